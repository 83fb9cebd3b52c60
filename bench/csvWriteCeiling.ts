import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CSV_HEADER, csvRow, csvText } from '../workers/csv/csvFormat';
import type { Throughput } from './benchResult';
import { timeChunkedWrites } from './ceilingRecords';

/** Rows per append, as the CSV sink's batches. */
const ROWS_PER_APPEND = 5_000;

/**
 * The CSV store ceiling: `records` bids turned into CSV by csv-stringify
 * (the export's own row format) and appended to a fresh file in the folder
 * the benchmark's CSV sink writes to (the same disk), with an fdatasync
 * after every 5,000 rows, as durable as the sink's appends. No checkpoint,
 * no lock, no Kafka. The folder is removed afterwards.
 */
export async function measureCsvWriteCeiling(
  records: number,
  onProgress: (written: number) => void,
): Promise<Throughput> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-csv-ceiling-'));
  try {
    const file = await fs.promises.open(path.join(dir, 'bids.csv'), 'w');
    try {
      await file.write(CSV_HEADER);
      return await timeChunkedWrites(
        records,
        ROWS_PER_APPEND,
        async (rows) => {
          await file.write(csvText(rows.map(csvRow)));
          await file.datasync();
        },
        onProgress,
      );
    } finally {
      await file.close();
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
