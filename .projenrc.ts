import { javascript, JsonFile, typescript } from 'projen';
import { addImportDirectionRule } from './projen/import-direction';
import { addApiReportTasks, addConsumerTestTask, configurePackaging, TESTING_PEERS } from './projen/packaging';
import { addTasks } from './projen/tasks';

/** Engine libraries: optional peers, so a Kubernetes user never installs aws-cdk-lib. */
const ENGINE_PEERS: Record<string, string> = {
  'aws-cdk-lib': '2.276.x',
  'constructs': '^10.5.1',
  'cdk8s': '2.70.x',
  'cdk8s-plus-28': '2.5.x',
  // @pulumi/pulumi releases after 3.248 require Node 22.
  '@pulumi/pulumi': '3.248.x',
  '@pulumi/kubernetes': '4.34.x',
};

const ENGINE_DEV_VERSIONS: Record<string, string> = {
  'aws-cdk-lib': '2.276.0',
  'constructs': '10.8.1',
  'cdk8s': '2.70.106',
  'cdk8s-plus-28': '2.5.6',
  '@pulumi/pulumi': '3.248.0',
  '@pulumi/kubernetes': '4.34.2',
};

const project = new javascript.NodeProject({
  name: 'ml-platform-constructs',
  description: 'Construct library for ML platforms on AWS (aws-cdk-lib), Kubernetes (cdk8s) and Pulumi, with autoscaling, data residency, SBOM and rollback built in.',
  license: 'Apache-2.0',
  defaultReleaseBranch: 'main',
  packageManager: javascript.NodePackageManager.NPM,
  minNodeVersion: '20.18.0',
  github: false,
  release: false,
  buildWorkflow: false,
  depsUpgrade: false,
  pullRequestTemplate: false,
  package: false,
  projenrcJs: false,
  entrypoint: 'build/constructs/core.js',
  deps: [
    '@cyclonedx/cyclonedx-library@^10.3.0',
    'packageurl-js@^2',
    // The platform diagram's layout: pure JavaScript and synchronous, so the SVG is drawn during CDK synthesis
    // (Graphviz-in-WebAssembly loads only asynchronously); about 0.5 MB packed with its graph library.
    '@dagrejs/dagre@^3.1.3',
  ],
  devDeps: [
    'projen@0.103.25',
    '@types/jest@^29',
    // The engines at the newest patch of each supported line, for tests and examples.
    ...Object.entries(ENGINE_DEV_VERSIONS).map(([name, version]) => `${name}@${version}`),
    'ts-node@^10',
    // TypeScript 7 changes the compiler API that ts-node and eslint rely on.
    'typescript@~5.9.3',
    '@types/node@^20',
    // The 3.0.0 CLI cannot read the cloud assembly of current aws-cdk-lib.
    'aws-cdk@2.1148.x',
    'cdk-nag@^3.0.2',
    '@swc/core@^1.15',
    '@swc/jest@^0.2.39',
    // kubernetes-models 5 and the matching CRD majors are ESM-only and need Node 22.
    'kubernetes-models@4.5.1',
    '@kubernetes-models/argo-rollouts@0.3.2',
    '@kubernetes-models/keda@0.4.2',
    '@kubernetes-models/prometheus-operator@4.4.4',
    '@kubernetes-models/argo-cd@2.7.2',
    // The CycloneDX JSON validator's optional peers.
    'ajv@^8.17.1',
    'ajv-formats@^3.0.1',
    'ajv-formats-draft2019@^1.6.1',
    // The JSONata engine, to evaluate the state machine's JSONata expressions in unit tests.
    'jsonata@^2.2.2',
    // AWS Control Tower proactive controls as a CDK policy-validation plugin; ships the cfn-guard binary.
    '@cdklabs/cdk-validator-cfnguard@^0.0.62',
    // An embedded SQL engine (ships its binaries) to run the feature store's point-in-time SQL over synthetic data.
    '@duckdb/node-api@1.5.6-r.1',
    // Generates typed constructs from the Feast operator's CRD (`cdk8s import`), kept in imports/.
    'cdk8s-cli@^2.207.60',
    // Property-based generators for every construct's props.
    'fast-check@^4.10.2',
    // The API report of each entry point.
    '@microsoft/api-extractor@^7.60.1',
    // The CDK SageMaker alpha, the reference the synthesis benchmark compares against.
    '@aws-cdk/aws-sagemaker-alpha@2.159.1-alpha.0',
    // A strict XML parser, to check that the platform diagram's SVG is well-formed.
    'fast-xml-parser@^5.12.1',
    // Grafana's own dashboard types, generated from its schema: the Grafana dashboard JSON is type-checked against them.
    '@grafana/schema@^13.2.3',
  ],
  peerDependencyOptions: { pinnedDevDependency: false },
  peerDeps: Object.entries({ ...ENGINE_PEERS, ...TESTING_PEERS }).map(([name, range]) => `${name}@${range}`),
  jest: true,
  jestOptions: {
    jestVersion: '^29.7.0',
    // Snapshots fail on change; `npm run test:update` rewrites them deliberately.
    updateSnapshot: javascript.UpdateSnapshot.NEVER,
    junitReporting: false,
    passWithNoTests: false,
    jestConfig: {
      testMatch: ['<rootDir>/test/**/*.test.ts', '<rootDir>/projen/**/*.test.ts'],
      // test/consumers/apps/ are standalone projects with their own jest, run by `npm run test:consumers`.
      testPathIgnorePatterns: ['/node_modules/', '/cdk.out/', '/dist/', '/build/', '/test/consumers/apps/'],
      // @swc/jest strips types in ~1 s; type-checking is the separate `typecheck` task.
      transform: { '^.+\\.tsx?$': new javascript.Transform('@swc/jest') },
      snapshotSerializers: ['<rootDir>/test/support/stable-snapshot-serializer.ts'],
      coverageProvider: 'v8',
      // Coverage is a report, not a check (no threshold), and V8 coverage of suites that load aws-cdk-lib cost a third
      // of jest's CPU time (263 s against 182 s over the 20 slowest suites): `npx jest --coverage` when it is wanted.
      collectCoverage: false,
      // CI has 2 cores and jest's default (cores - 1) ran every suite in band. No two suites share a path on disk
      // (CDK assemblies, cdk8s outputs and tool inputs go to fresh temporary directories), so two run side by side.
      maxWorkers: 2,
      testEnvironment: 'node',
      // A synthesis with three cdk-nag packs takes 1-3 s alone and more on a shared, busy machine: 5 s flakes.
      testTimeout: 60_000,
    },
  },
  gitIgnoreOptions: { ignorePatterns: ['/build/', '/cdk.out/', '/dist/', '/.cdk-deploy/', '*.tsbuildinfo', '__pycache__/'] },
});

project.package.addField('peerDependenciesMeta', Object.fromEntries(
  Object.keys({ ...ENGINE_PEERS, ...TESTING_PEERS }).map((name) => [name, { optional: true }]),
));
configurePackaging(project);

const compilerOptions = {
  target: 'ES2022',
  module: 'commonjs',
  lib: ['es2022'],
  strict: true,
  declaration: true,
  esModuleInterop: true,
  skipLibCheck: true,
  resolveJsonModule: true,
  noImplicitReturns: true,
  noFallthroughCasesInSwitch: true,
  noUnusedLocals: true,
  noUnusedParameters: true,
  forceConsistentCasingInFileNames: true,
  experimentalDecorators: true,
  stripInternal: true,
};

// The published code: lib/ and constructs/ only.
new JsonFile(project, 'tsconfig.json', {
  obj: {
    compilerOptions: { ...compilerOptions, rootDir: '.', outDir: 'build' },
    include: ['lib/**/*.ts', 'constructs/**/*.ts'],
    // The property-based generators beside each construct are test code (fast-check is a dev dependency).
    exclude: ['node_modules', 'build', '**/generators.ts'],
  },
});
// Everything that is type-checked: the library, tests, examples, benchmarks and projen code.
new JsonFile(project, 'tsconfig.dev.json', {
  obj: {
    compilerOptions: { ...compilerOptions, noEmit: true },
    include: ['lib/**/*.ts', 'constructs/**/*.ts', 'test/**/*.ts', 'examples/**/*.ts', 'bench/**/*.ts', 'projen/**/*.ts', '.projenrc.ts'],
    exclude: ['node_modules', 'build', 'cdk.out', 'dist', 'test/consumers/apps'],
  },
});

const eslint = new javascript.Eslint(project, {
  dirs: ['lib', 'constructs'],
  devdirs: ['test', 'examples', 'bench', 'projen'],
  fileExtensions: ['.ts'],
  tsconfigPath: './tsconfig.dev.json',
  commandOptions: { fix: false },
  // lib/k8s/imports/ is generated by `cdk8s import` from the CRDs in imports/.
  ignorePatterns: ['build/', 'cdk.out/', 'dist/', 'node_modules/', '*.d.ts', 'test/consumers/apps/', 'lib/k8s/imports/'],
});
addImportDirectionRule(eslint);
// The generators beside each construct's plan (and lib/core's shared ones) are test code: fast-check is a dev dependency.
eslint.allowDevDeps('**/generators.ts');

// cdk.json: the example platform, run through ts-node with swc as the transpiler (no type-check): loading the library
// takes about 1 s instead of 3 s with TypeScript's transpiler (bench/cdk-synth.bench.ts). `npm run typecheck` checks types.
new JsonFile(project, 'cdk.json', {
  obj: {
    app: 'npx ts-node --swc --project tsconfig.dev.json examples/ml-platform/main.ts',
    output: 'cdk.out',
    context: {
      // Turns aws-cdk-lib's built-in template checks into synthesis errors.
      '@aws-cdk/core:validateAgainstDefaultRules': true,
    },
  },
});

addTasks(project);
addApiReportTasks(project);
addConsumerTestTask(project);
new typescript.ProjenrcTs(project);

project.synth();
