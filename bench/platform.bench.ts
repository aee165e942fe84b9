// MlPlatform benchmarks: CloudFormation resources per endpoint, marginal synthesis cost per endpoint against the CDK
// SageMaker alpha at 50 and 200 endpoints, and peak memory at 200. Run with `npm run bench`; quote the medians and
// ratios of one run (machines are shared and noisy: the two fleets run interleaved, so both see the same load).
import { App } from 'aws-cdk-lib';
import { alphaFleet, ENDPOINTS_PER_STACK, platformFleet } from './fleets';
import { interleavedTimings, ratio, runBenchScript, withTempDir } from './support';

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
// CloudFormation's quota of resources per stack (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/cloudformation-limits.html).
const STACK_RESOURCE_LIMIT = 500;
const GIB = 1024 ** 3;

function resourceCount(build: (outdir: string) => App, stackName: string): number {
  return withTempDir('bench-count-', (outdir) => Object.keys(build(outdir).synth().getStackByName(stackName).template.Resources).length);
}

const templateBytes = (build: (outdir: string) => App, stackName: string) => withTempDir('bench-bytes-', (outdir) =>
  JSON.stringify(build(outdir).synth().getStackByName(stackName).template).length);
const platformBase = resourceCount((outdir) => platformFleet(0, outdir), 'Platform0');
const perEndpoint = resourceCount((outdir) => platformFleet(2, outdir), 'Platform0') - resourceCount((outdir) => platformFleet(1, outdir), 'Platform0');
const alphaPerEndpoint = resourceCount((outdir) => alphaFleet(2, outdir), 'Alpha0') - resourceCount((outdir) => alphaFleet(1, outdir), 'Alpha0');
console.log(`resources: platform ${platformBase}, each additional CanaryEndpoint ${perEndpoint} (alpha: ${alphaPerEndpoint}); `
  + `one stack holds ${Math.floor((STACK_RESOURCE_LIMIT - platformBase) / perEndpoint)} endpoints (target: >= 60, at most 8 per endpoint)`);
const bytesPerEndpoint = (templateBytes((outdir) => platformFleet(11, outdir), 'Platform0') - templateBytes((outdir) => platformFleet(1, outdir), 'Platform0')) / 10;
const alphaBytesPerEndpoint = (templateBytes((outdir) => alphaFleet(11, outdir), 'Alpha0') - templateBytes((outdir) => alphaFleet(1, outdir), 'Alpha0')) / 10;
console.log(`template bytes per endpoint: CanaryEndpoint ${bytesPerEndpoint.toFixed(0)}, alpha ${alphaBytesPerEndpoint.toFixed(0)} (CloudFormation takes templates up to 1 MB from S3)`);

const synthesize = (build: (n: number, outdir: string) => App, n: number) => () => withTempDir('bench-synth-', (outdir) => {
  build(n, outdir).synth();
});
// aws-cdk-lib validates every template with its built-in CloudFormation rules (a WebAssembly engine) unless
// CDK_VALIDATION=false: most of the time of both fleets, in proportion to template size. Measured with it (what
// `cdk synth` does) and without it (what the constructs themselves cost).
for (const validation of ['on', 'off'] as const) {
  if (validation === 'off') {
    process.env.CDK_VALIDATION = 'false';
  }
  for (const endpoints of [50, 200]) {
    const timings = interleavedTimings({
      platformEmpty: synthesize(platformFleet, 0),
      platform: synthesize(platformFleet, endpoints),
      alphaEmpty: synthesize(alphaFleet, 0),
      alpha: synthesize(alphaFleet, endpoints),
    }, RUNS);
    const marginal = (clock: 'wall' | 'cpu') => ({
      ours: (timings.platform[clock] - timings.platformEmpty[clock]) / endpoints,
      alpha: (timings.alpha[clock] - timings.alphaEmpty[clock]) / endpoints,
    });
    const wall = marginal('wall');
    const cpu = marginal('cpu');
    console.log(`marginal synthesis per endpoint at ${endpoints} endpoints (${Math.ceil(endpoints / ENDPOINTS_PER_STACK)} stacks), template validation ${validation}, `
      + `medians of ${RUNS}: CanaryEndpoint ${wall.ours.toFixed(1)} ms, alpha ${wall.alpha.toFixed(1)} ms, ratio ${ratio(wall.ours, wall.alpha)} (target: <= 2x); `
      + `CPU time: ${cpu.ours.toFixed(1)} ms, ${cpu.alpha.toFixed(1)} ms, ratio ${ratio(cpu.ours, cpu.alpha)}`);
  }
}
delete process.env.CDK_VALIDATION;

const peak = Number(runBenchScript('fleet-memory.ts', ['200']).trim());
console.log(`peak memory synthesizing 200 endpoints: ${(peak / 1024 ** 2).toFixed(0)} MiB (target: <= ${GIB / 1024 ** 2} MiB)`);
