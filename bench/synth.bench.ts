// Synthesis benchmark: median and spread of in-process synthesis of the two example platforms.
// Run with `npm run bench`; quote medians and ratios, not single runs (machines are shared and noisy).
import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { App } from 'aws-cdk-lib';
import { App as Cdk8sApp } from 'cdk8s';
import { definePlatform as defineK8sPlatform } from '../examples/k8s-platform/platform';
import { definePlatform as defineAwsPlatform } from '../examples/ml-platform/platform';

const RUNS = Number(process.env.BENCH_RUNS ?? 15);

function measure(name: string, run: () => void): number {
  run(); // warm-up: module loading and JIT are not what is measured
  const samples: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const start = process.hrtime.bigint();
    run();
    samples.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  samples.sort((a, b) => a - b);
  const median = samples[Math.floor(samples.length / 2)];
  console.log(`${name}: median ${median.toFixed(1)} ms, min ${samples[0].toFixed(1)} ms, max ${samples[samples.length - 1].toFixed(1)} ms over ${RUNS} runs`);
  return median;
}

const awsMedian = measure('aws example platform synth', () => {
  const outdir = mkdtempSync(join(tmpdir(), 'bench-aws-'));
  const app = new App({ outdir });
  defineAwsPlatform(app);
  app.synth();
  rmSync(outdir, { recursive: true, force: true });
});
const k8sMedian = measure('k8s example platform synth', () => {
  const app = new Cdk8sApp({ outdir: 'unused' });
  defineK8sPlatform(app).toJson();
});
console.log(`ratio aws/k8s: ${(awsMedian / k8sMedian).toFixed(1)}x`);
