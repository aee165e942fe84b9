import type { javascript } from 'projen';

const TS_NODE = 'ts-node --transpile-only --project tsconfig.dev.json';
// The benchmarks load the library the way cdk.json's app command does: swc, no type-check.
const BENCH_TS_NODE = 'ts-node --swc --project tsconfig.dev.json';

/** The project's tasks beyond projen's defaults; CI and people run the same ones. */
export function addTasks(project: javascript.NodeProject): void {
  const typecheck = project.addTask('typecheck', {
    description: 'Type-check the library, tests, examples and benchmarks (tests themselves run through @swc/jest).',
    exec: 'tsc --noEmit --project tsconfig.dev.json',
  });

  project.compileTask.exec('tsc --project tsconfig.json');

  // `npm test`: type-check, lint, then jest with snapshots that fail on change.
  const jestSteps = [...project.testTask.steps];
  project.testTask.reset();
  project.testTask.spawn(typecheck);
  project.testTask.spawn(project.tasks.tryFind('eslint')!);
  for (const step of jestSteps) {
    const command = step.exec ?? step.execArgs?.join(' ');
    if (command?.startsWith('jest')) {
      project.testTask.exec(command, { receiveArgs: true });
    }
  }

  project.addTask('synth:aws', {
    description: 'Synthesize the example AWS ML platform to cdk.out/ (templates and *.sbom.cdx.json).',
    exec: 'cdk synth --no-notices',
    env: { CDK_DISABLE_CLI_TELEMETRY: 'true' },
  });
  project.addTask('synth:k8s', {
    description: 'Synthesize the example Kubernetes ML platform to dist/ (YAML and sbom.cdx.json).',
    exec: `${TS_NODE} examples/k8s-platform/main.ts`,
  });
  project.addTask('test:deploy', {
    description: 'cdk bootstrap, deploy and destroy the example platform against moto_server on localhost.',
    exec: 'bash test/deploy/deploy-against-moto.sh',
  });
  project.addTask('fuzz', {
    description: 'A long property-based run of every construct on every engine: FUZZ_RUNS cases per construct, engine and kind (default 10000), seed FUZZ_SEED (default: new).',
    exec: 'FUZZ_RUNS=${FUZZ_RUNS:-10000} FUZZ_SEED=${FUZZ_SEED:-$(date +%s)} jest --coverage=false --testTimeout=0 test/fuzz/props.test.ts',
    receiveArgs: true,
  });
  const bench = project.addTask('bench', {
    description: 'Synthesis benchmarks (medians over repeated runs): example platforms, MlPlatform against the CDK SageMaker alpha, cdk synth.',
    exec: `${BENCH_TS_NODE} bench/synth.bench.ts`,
  });
  bench.exec(`${BENCH_TS_NODE} bench/platform.bench.ts`);
  bench.exec(`${BENCH_TS_NODE} bench/cdk-synth.bench.ts`);
  // Apart from `bench`: it writes a 190 MB window and takes a minute or two.
  project.addTask('bench:drift', {
    description: 'Drift statistics benchmark: CPU seconds and rows per second of drift.py compare for 20 numeric features (DRIFT_BENCH_ROWS, default 1,000,000).',
    exec: `${BENCH_TS_NODE} bench/drift.bench.ts`,
  });
}
