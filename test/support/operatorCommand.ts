import { BuiltProgram } from './builtProgram';

/** What an operator command printed and how it ended. */
export interface CommandResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a built operator command (`scripts/sinkReset.js`, `scripts/dlq.js`) to its end with extra environment. */
export async function runOperatorCommand(
  script: string,
  args: readonly string[],
  env: Record<string, string>,
  timeoutMs = 60_000,
): Promise<CommandResult> {
  const program = new BuiltProgram(script, env, args);
  try {
    const { code } = await program.exit(timeoutMs);
    return {
      code,
      stdout: program.lines.map((line) => line.msg ?? JSON.stringify(line)).join('\n'),
      stderr: program.stderr.join(''),
    };
  } finally {
    await program.dispose();
  }
}
