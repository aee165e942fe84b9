import { BUILD_DIR, ENTRY_POINTS, RUNTIME_ASSETS } from '../../projen/packaging';

// Folders of the repository that must never reach the package.
const NEVER_PUBLISHED = ['test/', 'examples/', 'bench/', 'projen/', 'api/', 'lib/', 'constructs/', '.projen/', 'coverage/'];

/**
 * What is wrong with a package's file list (paths inside the tarball, without the `package/` prefix): every entry
 * point's JavaScript and declarations, package.json, README.md and LICENSE must be there; sources, tests,
 * examples, benchmarks and build leftovers must not, except the runtime assets the code reads (`RUNTIME_ASSETS`).
 */
export function tarballProblems(files: readonly string[]): string[] {
  const assets = RUNTIME_ASSETS.map((glob) => new RegExp(`^${glob.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*')}$`));
  const present = new Set(files);
  const required = [
    'package.json', 'README.md', 'LICENSE',
    ...Object.values(ENTRY_POINTS).flatMap((source) => [`${BUILD_DIR}/${source}.js`, `${BUILD_DIR}/${source}.d.ts`]),
  ];
  const missing = required.filter((file) => !present.has(file)).map((file) => `missing ${file}`);
  const unwanted = files.filter((file) => !assets.some((asset) => asset.test(file)))
    .filter((file) => NEVER_PUBLISHED.some((folder) => file.startsWith(folder))
    || (file.endsWith('.ts') && !file.endsWith('.d.ts'))
    || /\.test\.|\.tsbuildinfo$|__snapshots__/.test(file))
    .map((file) => `unexpected ${file}`);
  return [...missing, ...unwanted];
}
