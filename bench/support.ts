// Helpers of the benchmarks: medians of alternating runs, temporary output directories, child processes.
import { execFileSync } from 'child_process';
import { mkdtempSync, rmSync } from 'fs';
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

/**
 * Runs each case `runs` times, interleaved (a, b, c, a, b, c, ...) after one warm-up each, so that a busy moment of a
 * shared machine hits every case alike; returns the median milliseconds of each case.
 */
export function interleavedMedians(cases: Record<string, () => void>, runs: number): Record<string, number> {
  const samples: Record<string, number[]> = Object.fromEntries(Object.keys(cases).map((name) => [name, []]));
  for (const run of Object.values(cases)) {
    run();
  }
  for (let i = 0; i < runs; i++) {
    for (const [name, run] of Object.entries(cases)) {
      samples[name].push(timed(run));
    }
  }
  return Object.fromEntries(Object.entries(samples).map(([name, values]) => [name, median(values)]));
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
