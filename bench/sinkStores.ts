import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createTestHiveTable } from '../test/support/hiveBids';
import { createTestDatabase } from '../test/support/mysqlDatabase';
import type { BenchSink } from './benchOptions';

/** A fresh store for one sink worker: the settings that point the worker at it, and how to remove it. */
export interface SinkStore {
  env: Record<string, string>;
  remove(): Promise<void>;
}

async function mysqlStore(): Promise<SinkStore> {
  const database = await createTestDatabase('bench_auction');
  return { env: { MYSQL_URL: database.url }, remove: () => database.drop() };
}

async function csvStore(): Promise<SinkStore> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-csv-'));
  return {
    env: { CSV_PATH: path.join(dir, 'bids.csv') },
    async remove() {
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function hiveStore(): Promise<SinkStore> {
  // The worker creates the table itself on start, as in production.
  const table = await createTestHiveTable('bench_bids');
  return { env: { HIVE_TABLE: table.name }, remove: () => table.drop() };
}

/** A fresh MySQL database (the MySQL and statistics workers), CSV folder or Hive table on the running stack, for `sink`. */
export function createSinkStore(sink: BenchSink): Promise<SinkStore> {
  switch (sink) {
    case 'mysql':
      return mysqlStore();
    case 'csv':
      return csvStore();
    case 'hive':
      return hiveStore();
    case 'stats':
      return mysqlStore();
  }
}
