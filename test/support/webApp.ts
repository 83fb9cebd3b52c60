import { WEB_NODE_FLAGS } from '../../web/nodeFlags';
import { BuiltProgram, type ProgramExit } from './builtProgram';
import { freePort, waitFor } from './service';

/** The built web app (`dist/web/main.js`) running as its own process on a free port. */
export interface WebAppUnderTest {
  baseUrl: string;
  program: BuiltProgram;
  stop(): Promise<ProgramExit>;
}

/**
 * Starts the web app with extra settings and waits until /readyz says Kafka, the registry and MySQL answer.
 * `root`: run a copy of the built project from there instead of this one.
 */
export async function startWebApp(env: Record<string, string>, root?: string): Promise<WebAppUnderTest> {
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const program = new BuiltProgram('web/main.js', { PORT: String(port), ...env }, [], root, WEB_NODE_FLAGS);
  try {
    await waitFor(
      'the web app to be ready',
      async () => {
        if (program.hasExited) throw new Error(`web app exited: ${program.stderr.join('')}`);
        return (await fetch(`${baseUrl}/readyz`)).ok ? true : undefined;
      },
      60_000,
    );
  } catch (error) {
    await program.dispose();
    throw error;
  }
  let stopping = false;
  void program.exited.then(({ code, signal }) => {
    // A crash mid-test says why: its last lines go to the test output.
    if (stopping) return;
    const last = program.lines.slice(-20).map((line) => JSON.stringify(line));
    console.error(`web app exited unexpectedly (${code ?? signal}):\n${last.join('\n')}\n${program.stderr.join('')}`);
  });
  return {
    baseUrl,
    program,
    stop: () => {
      stopping = true;
      return program.stop();
    },
  };
}

/** POSTs a JSON body (already serialised, so malformed bodies can be sent too). */
export async function postBidJson(
  baseUrl: string,
  body: string,
  contentType = 'application/json',
): Promise<{ status: number; body: Record<string, unknown>; headers: Headers }> {
  const response = await fetch(`${baseUrl}/api/bids`, {
    method: 'POST',
    headers: { 'content-type': contentType },
    body,
  });
  const text = await response.text();
  let parsed: Record<string, unknown>;
  try {
    parsed = JSON.parse(text) as Record<string, unknown>;
  } catch {
    parsed = { raw: text };
  }
  return { status: response.status, body: parsed, headers: response.headers };
}
