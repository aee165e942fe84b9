import { spawnSync } from 'child_process';
import { mkdtempSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';

/** The folder of the drift statistics script, as shipped in the package. */
export const DRIFT_DIR = join(__dirname, '..', '..', 'constructs', 'drift-monitor', 'drift');
export const DRIFT_SCRIPT = join(DRIFT_DIR, 'drift.py');

const PYTHON_ENV = { ...process.env, PYTHONDONTWRITEBYTECODE: '1' };

/** Whether this machine's python3 has scipy: the independent implementation the numbers are checked against. */
export const HAS_SCIPY = spawnSync('python3', ['-c', 'import scipy.stats'], { env: PYTHON_ENV }).status === 0;

/** `test` when scipy is available, otherwise a skipped test whose name says why. */
export const scipyTest: (name: string, fn: () => void) => void = HAS_SCIPY
  ? (name, fn) => test(name, fn)
  : (name, fn) => test.skip(`${name} [skipped: python3 has no scipy]`, fn);

export interface RunResult {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `python3 drift.py <args>`. */
export function runDrift(args: string[]): RunResult {
  const result = spawnSync('python3', [DRIFT_SCRIPT, ...args], { encoding: 'utf8', env: PYTHON_ENV, maxBuffer: 64 * 1024 * 1024 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/**
 * Runs Python with the script's folder on `sys.path` and `data` (the JSON input) defined; the code assigns `result`,
 * which comes back as JSON.
 */
export function python<T = any>(code: string, input: unknown = null): T {
  const wrapper = [
    'import json, sys',
    `sys.path.insert(0, ${JSON.stringify(DRIFT_DIR)})`,
    'data = json.load(sys.stdin)',
    code,
    'print(json.dumps(result))',
  ].join('\n');
  const run = spawnSync('python3', ['-c', wrapper], { input: JSON.stringify(input), encoding: 'utf8', env: PYTHON_ENV, maxBuffer: 64 * 1024 * 1024 });
  if (run.status !== 0) {
    throw new Error(`python3 failed (${run.status}): ${run.stderr}`);
  }
  return JSON.parse(run.stdout) as T;
}

/** A fresh temporary folder. */
export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'drift-test-'));
}

/** A seeded generator of uniform numbers in (0, 1) (Park-Miller minimal standard), so every test's data is the same on every run. */
export function seeded(seed: number): () => number {
  const modulus = 2147483647;
  let state = (Math.abs(Math.floor(seed)) % (modulus - 1)) + 1;
  return () => {
    state = (state * 48271) % modulus;
    return state / modulus;
  };
}

/** A normal variate by Box-Muller, rounded to 6 decimals as a CSV would hold it. */
export function normal(random: () => number, mean = 0, sd = 1): number {
  const u = 1 - random();
  const v = random();
  const z = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  return Math.round((mean + sd * z) * 1e6) / 1e6;
}

/** One of `values` with the given weights. */
export function pick<T>(random: () => number, values: readonly T[], weights: readonly number[]): T {
  let r = random() * weights.reduce((a, b) => a + b, 0);
  for (let k = 0; k < values.length; k++) {
    r -= weights[k];
    if (r < 0) {
      return values[k];
    }
  }
  return values[values.length - 1];
}

/** Writes a CSV with a header; returns its path. */
export function writeCsv(dir: string, name: string, columns: readonly string[], rows: ReadonlyArray<ReadonlyArray<string | number>>): string {
  const path = join(dir, name);
  writeFileSync(path, [columns.join(','), ...rows.map((row) => row.join(','))].join('\n') + '\n');
  return path;
}

/** Writes JSON Lines; returns the path. */
export function writeJsonl(dir: string, name: string, records: readonly unknown[]): string {
  const path = join(dir, name);
  writeFileSync(path, records.map((record) => JSON.stringify(record)).join('\n') + '\n');
  return path;
}

/** The model every drift test's baseline is made for. */
export const MODEL_ARGS = ['--model-name', 'fraud', '--model-version', '1.4.0'];

/** Builds a baseline and compares a window with it; returns the parsed report. */
export function baselineAndCompare(dir: string, baselineData: string, windowData: string, baselineArgs: string[] = [],
  compareArgs: string[] = []): any {
  const baseline = join(dir, 'baseline.json');
  const made = runDrift(['baseline', '--data', baselineData, '--out', baseline, ...MODEL_ARGS, ...baselineArgs]);
  if (made.status !== 0) {
    throw new Error(`baseline failed (${made.status}): ${made.stderr}`);
  }
  return compareWith(dir, baseline, windowData, compareArgs);
}

/** Compares a window with an existing baseline; returns the parsed report. */
export function compareWith(dir: string, baseline: string, windowData: string, compareArgs: string[] = []): any {
  const report = join(dir, 'report.json');
  const compared = runDrift(['compare', '--baseline', baseline, '--data', windowData, '--out', report, ...MODEL_ARGS, ...compareArgs]);
  if (compared.status !== 0) {
    throw new Error(`compare failed (${compared.status}): ${compared.stderr}`);
  }
  return python('result = json.load(open(data))', report);
}
