/**
 * The Node flags the web app is launched with, wherever it runs: `npm start`
 * (scripts/start.ts), `npm run web`, the container (docker-compose.yml,
 * docker/Dockerfile), and the tests and the benchmark (test/support/webApp.ts).
 *
 * `--max-semi-space-size=4` (MB): V8 sizes its young generation from the
 * machine's memory, up to tens of MB per semi-space on a large machine, and
 * the web app, whose live data is about 30 MB, holds on to it: about 280 MB
 * resident with 1,000 live clients. With 4 MB semi-spaces the same run stays
 * near 170-180 MB; its cost in bids/s was within the benchmark's noise
 * (README, "Benchmark"). Unlike a heap limit it cannot make the process run out of
 * memory: more objects only mean more frequent young collections.
 */
export const WEB_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=4'];
