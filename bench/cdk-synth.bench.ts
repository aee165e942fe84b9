// `npx cdk synth` of the example platform against `npx cdk synth` of an empty app run with the same cdk.json settings
// (the same app command with the entry file swapped, the same context): what the app command and the library add
// to the time a user waits. Run with `npm run bench`; medians of interleaved runs, quoted as a ratio.
import { execFileSync } from 'child_process';
import { readFileSync } from 'fs';
import { join } from 'path';
import { interleavedTimings, ratio, withTempDir } from './support';

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const ROOT = join(__dirname, '..');
const EXAMPLE_MAIN = 'examples/ml-platform/main.ts';
const cdkJson = JSON.parse(readFileSync(join(ROOT, 'cdk.json'), 'utf8'));
if (!String(cdkJson.app).includes(EXAMPLE_MAIN)) {
  throw new Error(`cdk.json's app command does not run ${EXAMPLE_MAIN}: ${cdkJson.app}`);
}

/** `cdk synth` in the repository root (so cdk.json's context applies) with `app` as the app command. */
function cdkSynth(app: string, outdir: string, args: string[] = []): void {
  const cli = require.resolve('aws-cdk/bin/cdk');
  execFileSync(process.execPath, [cli, 'synth', '--no-notices', '--quiet', '--app', app, '--output', outdir, ...args], {
    cwd: ROOT,
    stdio: 'ignore',
    env: { ...process.env, CDK_DISABLE_CLI_TELEMETRY: 'true' },
  });
}

withTempDir('bench-cdk-synth-', (dir) => {
  const empty = cdkJson.app.replace(EXAMPLE_MAIN, 'bench/empty-app/main.ts');
  // The app command before swc: ts-node with TypeScript's own transpiler.
  const typescriptTranspiler = cdkJson.app.replace('--swc', '--transpile-only');
  // The same ts-node run by node itself: what resolving ts-node through npx costs.
  const withoutNpx = cdkJson.app.replace(/^npx ts-node /, `node ${join('node_modules', 'ts-node', 'dist', 'bin.js')} `);
  const timings = interleavedTimings({
    example: () => cdkSynth(cdkJson.app, join(dir, 'example.out')),
    empty: () => cdkSynth(empty, join(dir, 'empty.out')),
    exampleControlTower: () => cdkSynth(cdkJson.app, join(dir, 'example-ct.out'), ['-c', 'controlTower=true']),
    exampleTypescriptTranspiler: () => cdkSynth(typescriptTranspiler, join(dir, 'example-ts.out')),
    exampleWithoutNpx: () => cdkSynth(withoutNpx, join(dir, 'example-node.out')),
    emptyWithoutNpx: () => cdkSynth(empty.replace(/^npx ts-node /, `node ${join('node_modules', 'ts-node', 'dist', 'bin.js')} `), join(dir, 'empty-node.out')),
  }, RUNS);
  const medians = Object.fromEntries(Object.entries(timings).map(([name, timing]) => [name, timing.wall])) as Record<keyof typeof timings, number>;
  const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
  console.log(`cdk synth, medians of ${RUNS}: example ${seconds(medians.example)} (${cdkJson.app}), empty app ${seconds(medians.empty)}, `
    + `ratio ${ratio(medians.example, medians.empty)} (target: <= 1.5x); CPU time (the CLI, the app and cfn-guard): example ${seconds(timings.example.cpu)}, `
    + `empty ${seconds(timings.empty.cpu)}, ratio ${ratio(timings.example.cpu, timings.empty.cpu)}`);
  console.log(`  with -c controlTower=true (as CI): ${seconds(medians.exampleControlTower)}, ratio ${ratio(medians.exampleControlTower, medians.empty)}; `
    + `through ts-node --transpile-only: ${seconds(medians.exampleTypescriptTranspiler)}; `
    + `ts-node without npx: example ${seconds(medians.exampleWithoutNpx)}, empty ${seconds(medians.emptyWithoutNpx)}, ratio ${ratio(medians.exampleWithoutNpx, medians.emptyWithoutNpx)}`);
});
