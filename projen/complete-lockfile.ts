import { readFileSync, writeFileSync } from 'fs';

/**
 * Records the platform-specific optional packages (e.g. @swc/core-darwin-arm64) that a registry without
 * those platforms' binaries leaves out of package-lock.json. Without the entries `npm ci` refuses the lock
 * as out of sync; with them (marked optional, with the os and cpu their names state) npm skips them on
 * other platforms. Run after changing dependencies: `npx ts-node projen/complete-lockfile.ts`.
 */
const OS_NAMES: Record<string, string> = {
  darwin: 'darwin', linux: 'linux', win32: 'win32', freebsd: 'freebsd', android: 'android', openharmony: 'openharmony', sunos: 'sunos', aix: 'aix',
};
const CPU_NAMES = ['x64', 'arm64', 'arm', 'ia32', 'ppc64', 's390x', 'riscv64', 'loong64', 'wasm32'];

function platformOf(name: string): { os?: string[]; cpu?: string[] } {
  const parts = name.split('/').pop()!.split('-');
  const os = parts.find((part) => OS_NAMES[part]);
  const cpu = CPU_NAMES.find((candidate) => parts.includes(candidate));
  return { ...(os ? { os: [OS_NAMES[os]] } : {}), ...(cpu ? { cpu: [cpu] } : {}) };
}

const lockPath = process.argv[2] ?? 'package-lock.json';
const lock = JSON.parse(readFileSync(lockPath, 'utf8'));
const packages: Record<string, any> = lock.packages;
let added = 0;
for (const [path, entry] of Object.entries(packages)) {
  for (const [dependency, range] of Object.entries<string>(entry.optionalDependencies ?? {})) {
    const nested = `${path ? `${path}/` : ''}node_modules/${dependency}`;
    const hoisted = `node_modules/${dependency}`;
    if (packages[nested] || packages[hoisted]) {
      continue;
    }
    const platform = platformOf(dependency);
    if (!platform.os && !platform.cpu) {
      continue;
    }
    packages[hoisted] = { version: range.replace(/^[\^~=]/, ''), dev: entry.dev, optional: true, ...platform };
    if (!entry.dev) {
      delete packages[hoisted].dev;
    }
    added++;
  }
}
lock.packages = Object.fromEntries(Object.entries(packages).sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a.localeCompare(b))));
writeFileSync(lockPath, `${JSON.stringify(lock, null, 2)}\n`);
console.log(`complete-lockfile: recorded ${added} platform-specific optional package(s)`);
