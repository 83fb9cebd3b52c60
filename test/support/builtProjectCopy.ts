import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fromRoot } from '../../lib/paths';

/**
 * A copy of the built project (dist/ and what its programs read at run time:
 * views, migrations, static files; node_modules linked), for running a
 * program as another release would ship it. With `bidSchema`, the copy's
 * dist/schemas/bid.schema.json is that document: the built programs read
 * the bid schema from there.
 */
export class BuiltProjectCopy {
  readonly root = fs.mkdtempSync(path.join(os.tmpdir(), 'auction-built-'));

  constructor(bidSchema?: Record<string, unknown>) {
    fs.copyFileSync(fromRoot('package.json'), path.join(this.root, 'package.json'));
    for (const folder of ['dist', 'views', 'sql', path.join('web', 'public')]) {
      fs.cpSync(fromRoot(folder), path.join(this.root, folder), { recursive: true });
    }
    fs.symlinkSync(fs.realpathSync(fromRoot('node_modules')), path.join(this.root, 'node_modules'), 'dir');
    if (bidSchema !== undefined) {
      fs.writeFileSync(path.join(this.root, 'dist', 'schemas', 'bid.schema.json'), JSON.stringify(bidSchema, null, 2));
    }
  }

  remove(): void {
    fs.rmSync(this.root, { recursive: true, force: true });
  }
}
