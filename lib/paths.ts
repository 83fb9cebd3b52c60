import fs from 'node:fs';
import path from 'node:path';

/**
 * The project root: the nearest folder above this file that holds
 * package.json. Resolved from the file's own location so it is the same
 * whether the code runs from the TypeScript sources (tsx) or from dist/.
 */
function findProjectRoot(start: string): string {
  let dir = start;
  for (;;) {
    if (fs.existsSync(path.join(dir, 'package.json'))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`no package.json above ${start}`);
    dir = parent;
  }
}

export const projectRoot = findProjectRoot(__dirname);

/** A path inside the project, e.g. `fromRoot('schemas', 'bid.schema.json')`. */
export function fromRoot(...segments: string[]): string {
  return path.join(projectRoot, ...segments);
}
