import fs from 'node:fs';
import dotenv from 'dotenv';
import { fromRoot } from './paths';

/** The process environment, as read once at start-up. */
export type Env = Readonly<Record<string, string | undefined>>;

/**
 * A setting that is missing or wrong. Its message names the variable and
 * what is wrong with it, and never repeats a secret's value.
 */
export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    readonly problem: string,
  ) {
    super(`${variable} ${problem}`);
    this.name = 'ConfigError';
  }
}

/**
 * The environment with the project's `.env` file applied underneath it:
 * a variable set in the real environment always wins over the file.
 */
export function loadEnv(file = fromRoot('.env')): Env {
  if (fs.existsSync(file)) dotenv.config({ path: file, quiet: true });
  return process.env;
}

/**
 * A setting's raw value: `undefined` when unset. A variable that is set but
 * empty (or only spaces) is an error for settings that have a default, since
 * it usually means a half-edited `.env` file rather than "use the default".
 */
function rawSetting(env: Env, name: string): string | undefined {
  const value = env[name];
  if (value === undefined) return undefined;
  const trimmed = value.trim();
  if (trimmed === '') throw new ConfigError(name, 'is set but empty; unset it to use the default, or give it a value');
  return trimmed;
}

/** A string setting with a default. */
export function stringSetting(env: Env, name: string, fallback: string): string {
  return rawSetting(env, name) ?? fallback;
}

/** An optional setting with no default: empty counts as unset (typical for secrets in `.env.example`). */
export function optionalSetting(env: Env, name: string): string | undefined {
  const value = env[name]?.trim();
  return value === undefined || value === '' ? undefined : value;
}

/** A whole-number setting within [min, max]. */
export function integerSetting(env: Env, name: string, fallback: number, range: { min: number; max: number }): number {
  const raw = rawSetting(env, name);
  if (raw === undefined) return fallback;
  if (!/^-?\d+$/.test(raw)) throw new ConfigError(name, `must be a whole number, got "${raw}"`);
  const value = Number(raw);
  if (value < range.min || value > range.max) {
    throw new ConfigError(name, `must be between ${range.min} and ${range.max}, got ${value}`);
  }
  return value;
}

/** A setting that must be one of a fixed set of words (compared case-insensitively, returned as listed). */
export function choiceSetting<T extends string>(env: Env, name: string, choices: readonly T[], fallback: T): T {
  const raw = rawSetting(env, name);
  if (raw === undefined) return fallback;
  const match = choices.find((choice) => choice.toLowerCase() === raw.toLowerCase());
  if (match === undefined) throw new ConfigError(name, `must be one of ${choices.join(', ')}, got "${raw}"`);
  return match;
}

/** A URL setting whose scheme is one of `protocols` (e.g. `['http:', 'https:']`). */
export function urlSetting(env: Env, name: string, fallback: string, protocols: readonly string[]): URL {
  const raw = rawSetting(env, name) ?? fallback;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(name, 'is not a valid URL');
  }
  if (!protocols.includes(url.protocol)) {
    throw new ConfigError(
      name,
      `must start with ${protocols.map((p) => `${p}//`).join(' or ')}, got ${url.protocol}//`,
    );
  }
  return url;
}
