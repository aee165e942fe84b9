// Drift benchmark: rows per second of `drift.py compare` for 20 numeric features, against the goal of 1 million rows
// compared in under 60 s on one core. Run with `npm run bench:drift` (DRIFT_BENCH_ROWS to change the window size).
// CPU seconds of the Python process are the figure to quote: wall time on a shared machine includes other work.
import { spawnSync } from 'child_process';
import { createWriteStream, mkdtempSync, rmSync, statSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { driftScriptDirectory } from '../constructs/drift-monitor/script';

const FEATURES = 20;
const WINDOW_ROWS = Number(process.env.DRIFT_BENCH_ROWS ?? 1_000_000);
const BASELINE_ROWS = 100_000;
const GOAL_SECONDS = 60;

function uniform(seed: number): () => number {
  const modulus = 2147483647;
  let state = seed;
  return () => {
    state = (state * 48271) % modulus;
    return state / modulus;
  };
}

/** Writes `rows` rows of 20 normal features; the first five shifted by `shift` standard deviations. */
async function writeData(path: string, rows: number, shift: number, seed: number): Promise<void> {
  const random = uniform(seed);
  const out = createWriteStream(path);
  out.write(Array.from({ length: FEATURES }, (_, k) => `f${k}`).join(',') + '\n');
  let block: string[] = [];
  for (let r = 0; r < rows; r++) {
    const row: string[] = [];
    for (let k = 0; k < FEATURES; k++) {
      const z = Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
      row.push((z + (k < 5 ? shift : 0)).toFixed(6));
    }
    block.push(row.join(','));
    if (block.length === 10_000) {
      if (!out.write(block.join('\n') + '\n')) {
        await new Promise<void>((resolve) => out.once('drain', () => resolve()));
      }
      block = [];
    }
  }
  out.write(block.length ? block.join('\n') + '\n' : '');
  await new Promise<void>((resolve) => out.end(() => resolve()));
}

/** Runs drift.py in one Python process and returns its CPU and wall seconds. */
function timed(args: string[]): { cpu: number; wall: number } {
  const code = [
    'import json, sys, time',
    `sys.path.insert(0, ${JSON.stringify(driftScriptDirectory())})`,
    'import drift',
    'wall, cpu = time.perf_counter(), time.process_time()',
    `status = drift.main(${JSON.stringify(args)})`,
    'print(json.dumps({"status": status, "cpu": time.process_time() - cpu, "wall": time.perf_counter() - wall}))',
  ].join('\n');
  const run = spawnSync('python3', ['-c', code], { encoding: 'utf8', env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1' } });
  const result = JSON.parse(run.stdout.trim().split('\n').pop() ?? '{}') as { status: number; cpu: number; wall: number };
  if (run.status !== 0 || result.status !== 0) {
    throw new Error(`drift.py failed: ${run.stderr}`);
  }
  return result;
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-drift-'));
  try {
    const train = join(dir, 'train.csv');
    const window = join(dir, 'window.csv');
    await writeData(train, BASELINE_ROWS, 0, 1);
    await writeData(window, WINDOW_ROWS, 0.3, 2);
    const model = ['--model-name', 'bench', '--model-version', '1'];
    const baseline = timed(['baseline', '--data', train, '--out', join(dir, 'baseline.json'), ...model]);
    console.log(`baseline: ${BASELINE_ROWS} rows x ${FEATURES} features in ${baseline.cpu.toFixed(1)} s CPU (${baseline.wall.toFixed(1)} s wall)`);
    const compare = timed(['compare', '--baseline', join(dir, 'baseline.json'), '--data', window, '--out', join(dir, 'report.json'), ...model]);
    const megabytes = statSync(window).size / 1e6;
    console.log(`compare: ${WINDOW_ROWS} rows x ${FEATURES} features (${megabytes.toFixed(0)} MB CSV) in ${compare.cpu.toFixed(1)} s CPU `
      + `(${compare.wall.toFixed(1)} s wall): ${Math.round(WINDOW_ROWS / compare.cpu)} rows/s on one core`);
    const projected = (1_000_000 / WINDOW_ROWS) * compare.cpu;
    console.log(`1M rows: ${projected.toFixed(1)} s CPU, goal < ${GOAL_SECONDS} s: ${projected < GOAL_SECONDS ? 'met' : 'MISSED'}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

void main();
