import pino from 'pino';
import { ConfigError } from './env';

export type Logger = pino.Logger;

/**
 * A structured logger: one JSON object a line on stdout, with the process
 * role (`web`, `mysql-sink`, …) on every line. Secrets are redacted by key
 * wherever they might be logged as part of a settings object.
 */
export function createLogger(
  role: string,
  level = process.env.LOG_LEVEL ?? 'info',
  // Operator commands print their answer on stdout and log on stderr, so `--json` output stays JSON.
  output: 'stdout' | 'stderr' = 'stdout',
): Logger {
  if (!(level in pino.levels.values)) {
    throw new ConfigError('LOG_LEVEL', `must be one of ${Object.keys(pino.levels.values).join(', ')}, got "${level}"`);
  }
  const options: pino.LoggerOptions = {
    level,
    base: { role, pid: process.pid },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: {
      paths: ['password', '*.password', 'sasl.password', '*.sasl.password', 'basicAuth', '*.basicAuth', 'url.password'],
      censor: '[redacted]',
    },
    formatters: { level: (label) => ({ level: label }) },
  };
  return output === 'stdout' ? pino(options) : pino(options, pino.destination(2));
}
