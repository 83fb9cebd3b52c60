import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

/** The separators a spreadsheet user picks when opening a CSV file, as LibreOffice's CSV filter names them (character codes). */
export const SPREADSHEET_SEPARATORS = [
  { name: 'comma', code: 44 },
  { name: 'semicolon', code: 59 },
  { name: 'tab', code: 9 },
] as const;

export type SpreadsheetSeparator = (typeof SPREADSHEET_SEPARATORS)[number];

/**
 * LibreOffice's CSV import options for `separator`, set the way that gives
 * an attacker the most: UTF-8, from line 1, every column "Standard", quoted
 * fields not forced to text, spaces trimmed (token 11), and formulas
 * evaluated on import (token 13) — the setting the attack relies on.
 */
function csvImportOptions(separator: SpreadsheetSeparator): string {
  const tokens = [
    String(separator.code), // 1 field separator
    '34', // 2 text delimiter: "
    '76', // 3 character set: UTF-8
    '1', // 4 first line to read
    '', // 5 column formats: all Standard
    '1033', // 6 language: English (USA)
    'false', // 7 quoted field as text
    'false', // 8 detect special numbers
    'false', // 9 (export only)
    'false', // 10 (export only)
    'true', // 11 remove spaces
    '0', // 12 (export only)
    'true', // 13 evaluate formulas
  ];
  return `Text - txt - csv (StarCalc):${tokens.join(',')}`;
}

/** LibreOffice's command, as Debian's libreoffice-calc installs it. */
const SOFFICE = 'soffice';

/**
 * Runs soffice with `args` in a process group of its own (soffice starts
 * soffice.bin as a child), killing the whole group if it has not ended
 * within `timeoutMs`. Resolves with what it printed.
 */
function runSoffice(args: readonly string[], timeoutMs: number): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    const child = spawn(SOFFICE, args, { detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    const timer = setTimeout(() => {
      try {
        if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
      } catch {
        // the group is already gone
      }
    }, timeoutMs);
    child.once('error', (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      reject(
        error.code === 'ENOENT'
          ? new Error(
              `${SOFFICE} (LibreOffice Calc) is not installed: run npm run setup, or apt-get install libreoffice-calc`,
            )
          : error,
      );
    });
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve(output);
      else reject(new Error(`${SOFFICE} ended with ${signal ?? `code ${code}`} (limit ${timeoutMs} ms): ${output}`));
    });
  });
}

/**
 * Opens each CSV file in LibreOffice Calc (headless, a throwaway profile of
 * its own so parallel runs never share one) as a spreadsheet user would with
 * `separator`, and saves it as a flat OpenDocument spreadsheet in `outDir`.
 * Returns the `.fods` paths, one per input, in order. Fails, never skips,
 * when LibreOffice is not installed. The first start of a profile is slow,
 * hence the generous limit.
 */
export async function openCsvInLibreOffice(
  csvFiles: readonly string[],
  separator: SpreadsheetSeparator,
  outDir: string,
  timeoutMs = 300_000,
): Promise<string[]> {
  mkdirSync(outDir, { recursive: true });
  const converted = csvFiles.map((file) => path.join(outDir, `${path.parse(file).name}.fods`));
  const profile = mkdtempSync(path.join(tmpdir(), 'soffice-profile-'));
  try {
    const output = await runSoffice(
      [
        `-env:UserInstallation=${pathToFileURL(profile).href}`,
        '--headless',
        '--norestore',
        '--nolockcheck',
        `--infilter=${csvImportOptions(separator)}`,
        '--convert-to',
        'fods',
        '--outdir',
        outDir,
        ...csvFiles,
      ],
      timeoutMs,
    );
    // soffice exits 0 even when it could not load a file: only the files say it worked.
    const missing = converted.filter((file) => !existsSync(file));
    if (missing.length > 0) throw new Error(`${SOFFICE} wrote no ${missing.join(', ')}: ${output}`);
  } finally {
    rmSync(profile, { recursive: true, force: true });
  }
  return converted;
}
