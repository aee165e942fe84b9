// Helpers of the benchmarks: medians of alternating runs, temporary output directories, child processes.
import { execFileSync } from 'child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';

/** The median of samples. */
export function median(samples: readonly number[]): number {
  const sorted = [...samples].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** Milliseconds `run` takes. */
export function timed(run: () => void): number {
  const start = process.hrtime.bigint();
  run();
  return Number(process.hrtime.bigint() - start) / 1e6;
}

// Linux counts CPU time in /proc in clock ticks of 1/100 s (USER_HZ).
const TICKS_PER_SECOND = 100;

/**
 * CPU milliseconds (user and system) used by this process and by the child processes it has waited for. Children
 * are counted from /proc/self/stat (Linux); elsewhere only this process is.
 */
export function cpuMs(): number {
  const own = process.cpuUsage();
  let children = 0;
  if (existsSync('/proc/self/stat')) {
    // Fields after the command name (which may hold spaces, hence the last ')'): cutime and cstime are the 14th and 15th.
    const stat = readFileSync('/proc/self/stat', 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    children = ((Number(fields[13]) + Number(fields[14])) * 1000) / TICKS_PER_SECOND;
  }
  return (own.user + own.system) / 1000 + children;
}

/** The wall-clock and CPU milliseconds of one run. */
export interface Timing {
  readonly wall: number;
  readonly cpu: number;
}

/**
 * Runs each case `runs` times, interleaved (a, b, c, a, b, c, ...) after one warm-up each, so that a busy moment of a
 * shared machine hits every case alike; returns the median wall-clock and CPU milliseconds of each case. CPU time
 * moves far less than wall-clock time when other work shares the cores.
 */
export function interleavedTimings(cases: Record<string, () => void>, runs: number): Record<string, Timing> {
  const samples: Record<string, Timing[]> = Object.fromEntries(Object.keys(cases).map((name) => [name, []]));
  for (const run of Object.values(cases)) {
    run();
  }
  for (let i = 0; i < runs; i++) {
    for (const [name, run] of Object.entries(cases)) {
      const cpuStart = cpuMs();
      const wall = timed(run);
      samples[name].push({ wall, cpu: cpuMs() - cpuStart });
    }
  }
  return Object.fromEntries(Object.entries(samples).map(([name, values]) => [name, {
    wall: median(values.map((value) => value.wall)),
    cpu: median(values.map((value) => value.cpu)),
  }]));
}

/** `interleavedTimings`, wall-clock medians only. */
export function interleavedMedians(cases: Record<string, () => void>, runs: number): Record<string, number> {
  return Object.fromEntries(Object.entries(interleavedTimings(cases, runs)).map(([name, timing]) => [name, timing.wall]));
}

/** Runs `use` with a fresh temporary directory, removed afterwards. */
export function withTempDir<T>(prefix: string, use: (dir: string) => T): T {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  try {
    return use(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Runs a TypeScript file of this folder in a new Node.js process (swc through ts-node) and returns its stdout. */
export function runBenchScript(file: string, args: string[] = []): string {
  const tsNode = require.resolve('ts-node/dist/bin');
  return execFileSync(process.execPath, [tsNode, '--swc', '--project', join(__dirname, '..', 'tsconfig.dev.json'), join(__dirname, file), ...args], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
}

/** `a / b` with two decimals and an `x`. */
export function ratio(a: number, b: number): string {
  return `${(a / b).toFixed(2)}x`;
}
