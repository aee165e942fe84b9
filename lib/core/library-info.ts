import { existsSync, readFileSync } from 'fs';
import { dirname, join } from 'path';

/** This library's npm name. */
export const LIBRARY_NAME = 'ml-platform-constructs';

let cachedVersion: string | undefined;

/** This library's version, read from its package.json (the same from source and from the built package). */
export function libraryVersion(): string {
  if (cachedVersion === undefined) {
    cachedVersion = findVersion(__dirname);
  }
  return cachedVersion;
}

function findVersion(start: string): string {
  let dir = start;
  for (;;) {
    const candidate = join(dir, 'package.json');
    if (existsSync(candidate)) {
      const manifest = JSON.parse(readFileSync(candidate, 'utf8')) as { name?: string; version?: string };
      if (manifest.name === LIBRARY_NAME && manifest.version) {
        return manifest.version;
      }
    }
    const parent = dirname(dir);
    if (parent === dir) {
      return '0.0.0';
    }
    dir = parent;
  }
}
