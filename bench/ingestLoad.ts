import autocannon from 'autocannon';
import type { EndpointLoad } from './benchResult';

/** The body every ingest request sends, to the app and to the bare endpoint alike. */
export const INGEST_BODY = JSON.stringify({ item: 'Benchmark lot', name: 'Bench bidder', price: 1500 });

/**
 * POSTs `INGEST_BODY` to `url` from `connections` keep-alive connections,
 * each sending its next request as soon as the last is answered (closed
 * loop), for `seconds`. `onSecond` is told the seconds done, for the
 * progress line.
 */
export function loadEndpoint(
  url: string,
  options: { connections: number; seconds: number },
  onSecond: (done: number) => void = () => undefined,
): Promise<EndpointLoad> {
  return new Promise((resolve, reject) => {
    let seconds = 0;
    const instance = autocannon(
      {
        url,
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: INGEST_BODY,
        connections: options.connections,
        duration: options.seconds,
      },
      (error: Error | null, result: autocannon.Result) => {
        if (error) {
          reject(new Error(`load on ${url} failed: ${error.message}`));
          return;
        }
        resolve({
          connections: options.connections,
          seconds: result.duration,
          okPerSecond: result['2xx'] / result.duration,
          p50: result.latency.p50,
          p99: result.latency.p99,
          non2xx: result.non2xx,
          errors: result.errors,
        });
      },
    );
    instance.on('tick', () => onSecond(++seconds));
  });
}
