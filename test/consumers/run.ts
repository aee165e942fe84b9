/**
 * Consumer tests: packs the library as `npm pack` does on a clean clone (prepack compiles, no tests run), checks the
 * tarball's contents, installs it into fresh consumer projects (test/consumers/apps/<name>) under a temporary
 * folder, and in each one type-checks every tsconfig*.json with `skipLibCheck: false`, synthesizes, and runs the
 * project's jest tests (snapshots with the exported helpers, checked in beside each app).
 *
 *   npx ts-node --transpile-only test/consumers/run.ts [name ...] [--update-snapshots]
 *
 * Prints, per consumer, its lines of code, its install size and the time of its synthesis.
 */
import { execFile, execFileSync, type ExecFileSyncOptions, spawn } from 'child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, renameSync, statSync } from 'fs';
import { tmpdir } from 'os';
import { join, relative } from 'path';
import { tarballProblems } from './tarball';

const ROOT = join(__dirname, '..', '..');
const APPS = join(__dirname, 'apps');
const TARBALL = 'ml-platform-constructs.tgz';
const CONCURRENCY = Number(process.env.CONSUMER_CONCURRENCY ?? 2);

interface ConsumerResult {
  readonly name: string;
  readonly linesOfCode: number;
  readonly installMegabytes: number;
  readonly installSeconds: number;
  readonly synthSeconds: number;
  readonly typeChecked: string[];
}

function run(command: string, args: string[], options: ExecFileSyncOptions & { cwd: string }): string {
  console.log(`$ (${relative(ROOT, options.cwd) || '.'}) ${command} ${args.join(' ')}`);
  return execFileSync(command, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], ...options }) as string;
}

/** Runs a command of one consumer; its output is kept with the consumer's log and printed when the consumer ends. */
function runIn(log: string[], command: string, args: string[], cwd: string): Promise<string> {
  log.push(`$ (${relative(ROOT, cwd)}) ${command} ${args.join(' ')}`);
  return new Promise((resolve, reject) => {
    execFile(command, args, { cwd, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      log.push(...`${stdout}${stderr}`.split('\n').filter((line) => line.trim() !== '' && !line.startsWith('npm warn')));
      if (error) {
        reject(new Error(`${command} ${args.join(' ')} failed in ${relative(ROOT, cwd)}`));
      } else {
        resolve(stdout);
      }
    });
  });
}

async function timed(action: () => Promise<unknown>): Promise<number> {
  const start = process.hrtime.bigint();
  await action();
  return Number(process.hrtime.bigint() - start) / 1e9;
}

/** Non-blank lines that are not only a comment, in the app's own TypeScript (tests and config excluded). */
function linesOfCode(dir: string): number {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.ts') && !file.includes('node_modules') && !file.startsWith('test') && !file.includes('.test.'))
    .flatMap((file) => readFileSync(join(dir, file), 'utf8').split('\n'))
    .filter((line) => line.trim() !== '' && !/^\s*(\/\/|\/\*\*?|\*)/.test(line)).length;
}

function megabytes(dir: string): number {
  const kilobytes = Number(run('du', ['-sk', dir], { cwd: ROOT }).split('\t')[0]);
  return Math.round(kilobytes / 1024);
}

/** Packs the library into `work`, checks the file list and returns the tarball's path. */
function pack(work: string): string {
  const [result] = JSON.parse(run('npm', ['pack', '--json', '--pack-destination', work], { cwd: ROOT }));
  const files: string[] = result.files.map((file: { path: string }) => file.path);
  const problems = tarballProblems(files);
  if (problems.length > 0) {
    throw new Error(`the tarball ${result.filename} is incomplete:\n  ${problems.join('\n  ')}`);
  }
  console.log(`packed ${result.filename}: ${files.length} files, ${Math.round(result.size / 1024)} KiB`);
  const tarball = join(work, TARBALL);
  renameSync(join(work, result.filename), tarball);
  return tarball;
}

async function testConsumer(name: string, work: string, updateSnapshots: boolean): Promise<ConsumerResult> {
  const dir = join(work, name);
  const log: string[] = [];
  try {
    cpSync(join(APPS, name), dir, { recursive: true, filter: (source) => !source.includes('node_modules') });
    const installSeconds = await timed(() => runIn(log, 'npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error'], dir));
    const typeChecked = readdirSync(dir).filter((file) => /^tsconfig(\.[a-z0-9]+)?\.json$/.test(file));
    for (const tsconfig of typeChecked) {
      await runIn(log, 'npx', ['tsc', '--noEmit', '-p', tsconfig], dir);
    }
    const synthSeconds = await timed(() => runIn(log, 'npm', ['run', '--silent', 'synth'], dir));
    await runIn(log, 'npx', updateSnapshots ? ['jest', '--ci=false', '-u'] : ['jest', '--ci'], dir);
    if (updateSnapshots && existsSync(join(dir, 'test', '__snapshots__'))) {
      cpSync(join(dir, 'test', '__snapshots__'), join(APPS, name, 'test', '__snapshots__'), { recursive: true });
    }
    return {
      name,
      linesOfCode: linesOfCode(join(APPS, name)),
      installMegabytes: megabytes(join(dir, 'node_modules')),
      installSeconds,
      synthSeconds,
      typeChecked,
    };
  } finally {
    console.log(`\n== consumer ${name}\n${log.join('\n')}`);
  }
}

/** Runs `task` over `items`, at most `limit` at a time, keeping the order of the results. */
async function inPool<T, R>(items: T[], limit: number, task: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await task(items[index]);
    }
  });
  await Promise.all(workers);
  return results;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const updateSnapshots = args.includes('--update-snapshots');
  const requested = args.filter((arg) => !arg.startsWith('--'));
  const names = readdirSync(APPS).filter((name) => statSync(join(APPS, name)).isDirectory())
    .filter((name) => requested.length === 0 || requested.includes(name));
  const work = mkdtempSync(join(tmpdir(), 'ml-platform-consumers-'));
  const started = process.hrtime.bigint();
  try {
    pack(work);
    // Two at a time: installs wait on the network while the other consumer compiles and synthesizes.
    const results = await inPool(names, CONCURRENCY, (name) => testConsumer(name, work, updateSnapshots));
    const total = Number(process.hrtime.bigint() - started) / 1e9;
    console.log('\nconsumer        lines  install          synth   type-checked with skipLibCheck false');
    for (const r of results) {
      console.log(`${r.name.padEnd(15)} ${String(r.linesOfCode).padStart(5)}  ${`${r.installMegabytes} MB in ${r.installSeconds.toFixed(0)} s`.padEnd(16)} `
        + `${`${r.synthSeconds.toFixed(1)} s`.padStart(6)}   ${r.typeChecked.join(', ')}`);
    }
    console.log(`consumers: ${results.length} passed in ${total.toFixed(0)} s`);
  } finally {
    // Deleting the four installs (about 900 MB) took as long as installing and testing them (190 s of a 385 s run on
    // a busy machine): a detached rm removes them after this process has reported and exited.
    spawn('rm', ['-rf', work], { detached: true, stdio: 'ignore' }).unref();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
