import fs from 'node:fs';
import path from 'node:path';

/**
 * The name of the CSV file started at `startedAt` because the columns
 * changed, beside `csvPath` (CSV_PATH): its name with the UTC start time
 * before the extension, `bids.csv` → `bids.20261123T171500Z.csv`. Sorted by
 * name, the later files follow one another in the order they were started.
 * A name already taken (two changes within one second) gets `-2`, `-3`…
 */
export function nextFileName(csvPath: string, startedAt: Date): string {
  const extension = path.extname(csvPath);
  const stem = path.basename(csvPath, extension);
  const stamp = startedAt
    .toISOString()
    .replace(/\.\d+Z$/, 'Z')
    .replace(/[-:]/g, '');
  const folder = path.dirname(csvPath);
  for (let attempt = 1; ; attempt++) {
    const name = `${stem}.${stamp}${attempt === 1 ? '' : `-${attempt}`}${extension}`;
    if (!fs.existsSync(path.join(folder, name))) return name;
  }
}
