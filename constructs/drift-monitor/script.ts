import { existsSync, readFileSync } from 'fs';
import { dirname, join } from 'path';
import { LIBRARY_NAME } from '../../lib/core';

/** Where the drift statistics script lies inside the package (shipped as source: Python 3.9+, standard library only). */
export const DRIFT_SCRIPT_FOLDER = 'constructs/drift-monitor/drift';
/** The script's entry point inside `DRIFT_SCRIPT_FOLDER`; its sibling `drift_*.py` modules ship with it. */
export const DRIFT_SCRIPT_NAME = 'drift.py';

/** The absolute folder of the drift script, found from the package root (the same from source and from the built package). */
export function driftScriptDirectory(): string {
  let dir = __dirname;
  for (;;) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === LIBRARY_NAME) {
      return join(dir, DRIFT_SCRIPT_FOLDER);
    }
    const parent = dirname(dir);
    if (parent === dir) {
      throw new Error(`${LIBRARY_NAME}: no package root above ${__dirname}, so ${DRIFT_SCRIPT_FOLDER} cannot be found`);
    }
    dir = parent;
  }
}
