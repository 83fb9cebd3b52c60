import fs from 'node:fs';
import path from 'node:path';
import { ConfigError, stringSetting, type Env } from '../../lib/env';
import { fromRoot } from '../../lib/paths';

export interface CsvSettings {
  /** The export file (absolute). Its checkpoint and lock sit beside it. */
  path: string;
}

/** Reads `CSV_PATH` (default `data/bids.csv` under the project) and checks it can be a file we write. */
export function readCsvSettings(env: Env): CsvSettings {
  const configured = stringSetting(env, 'CSV_PATH', fromRoot('data', 'bids.csv'));
  const file = path.resolve(configured);
  if (fs.existsSync(file) && !fs.statSync(file).isFile()) {
    throw new ConfigError('CSV_PATH', `must name a file, but ${file} is a directory or device`);
  }
  let folder = path.dirname(file);
  while (!fs.existsSync(folder)) folder = path.dirname(folder);
  if (!fs.statSync(folder).isDirectory()) {
    throw new ConfigError('CSV_PATH', `cannot be created: ${folder} is a file, not a folder`);
  }
  try {
    fs.accessSync(folder, fs.constants.W_OK);
  } catch {
    throw new ConfigError('CSV_PATH', `cannot be written: ${folder} is not writable`);
  }
  return { path: file };
}
