import type { javascript } from 'projen';

/** The published entry points: subpath → the source file (without `.ts`) that `tsc` compiles to build/. */
export const ENTRY_POINTS: Record<string, string> = {
  '.': 'constructs/core',
  './aws': 'constructs/aws',
  './k8s': 'constructs/k8s',
  './pulumi': 'constructs/pulumi',
  './testing': 'constructs/testing',
};

/**
 * What `ml-platform-constructs/testing` loads when a check is called: optional peers, installed by the users of
 * that check only (the versions the library's own tests run with, at their major).
 */
export const TESTING_PEERS: Record<string, string> = {
  // addAwsConformanceChecks: the cdk-nag packs and AWS Control Tower's controls (0.0.x: each release is a minor).
  'cdk-nag': '^3.0.2',
  '@cdklabs/cdk-validator-cfnguard': '>=0.0.62 <0.1.0',
  // kubernetesConformance: the schemas (4.x, the last major that is CommonJS on Node 20) and the CRDs. Its unknown-field
  // check also loads the project's own `typescript` (5.x: TypeScript 7 has no compiler API yet); not a peer, so that an
  // app on TypeScript 7 that never calls the check installs without a peer conflict.
  'kubernetes-models': '^4.5.1',
  '@kubernetes-models/argo-rollouts': '^0.3.2',
  '@kubernetes-models/argo-cd': '^2.7.2',
  '@kubernetes-models/keda': '^0.4.2',
  '@kubernetes-models/prometheus-operator': '^4.4.4',
  // sbomViolations: the CycloneDX library's JSON validator.
  'ajv': '^8.17.1',
  'ajv-formats': '^3.0.1',
  'ajv-formats-draft2019': '^1.6.1',
};

/** Source files the compiled code reads at run time, published as they are (globs relative to the package root). */
export const RUNTIME_ASSETS = [
  // The drift statistics script ships as Python source beside the compiled code (DriftMonitor's jobs run it).
  'constructs/drift-monitor/drift/*.py',
  // The CRDs no kubernetes-models package covers, which the Kubernetes conformance check validates custom resources against.
  'imports/*.yaml',
];

/** Where the compiled library goes; the tarball holds this folder's lib/ and constructs/, the drift script, README and LICENSE. */
export const BUILD_DIR = 'build';

/**
 * How the package is published: `exports` for Node and for TypeScript under node16, nodenext and bundler;
 * `typesVersions` for TypeScript under node10 (`"module": "commonjs"` without `moduleResolution`, which does
 * not read `exports`); `files` limited to the compiled code; and the npm lifecycle scripts that compile it,
 * so `npm pack` and `npm install <git url>` produce a complete package without running the tests.
 */
export function configurePackaging(project: javascript.NodeProject): void {
  const exportsField: Record<string, unknown> = {};
  const typesVersions: Record<string, string[]> = {};
  for (const [subpath, source] of Object.entries(ENTRY_POINTS)) {
    exportsField[subpath] = { types: `./${BUILD_DIR}/${source}.d.ts`, default: `./${BUILD_DIR}/${source}.js` };
    if (subpath !== '.') {
      typesVersions[subpath.slice(2)] = [`${BUILD_DIR}/${source}.d.ts`];
    }
  }
  exportsField['./package.json'] = './package.json';
  project.package.addField('types', `${BUILD_DIR}/${ENTRY_POINTS['.']}.d.ts`);
  project.package.addField('exports', exportsField);
  project.package.addField('typesVersions', { '*': typesVersions });
  project.package.addField('files', [`${BUILD_DIR}/lib`, `${BUILD_DIR}/constructs`, ...RUNTIME_ASSETS, 'README.md', 'LICENSE']);

  // A clean build: a file removed from the sources must not linger in the package.
  project.preCompileTask.exec(`rm -rf ${BUILD_DIR}`);
  const prepack = project.addTask('prepack', {
    description: 'Compile the library into build/ before `npm pack` and `npm publish` (no tests run).',
  });
  prepack.spawn(project.preCompileTask);
  prepack.spawn(project.compileTask);
  // npm runs `prepare` (not `prepack`) for a git dependency, after installing its dev dependencies, and also on
  // every `npm install` in a checkout: compile when there is no build yet, so installs in a checkout stay fast.
  const prepare = project.addTask('prepare', {
    description: 'Compile the library when build/ is missing (a fresh clone, `npm install <git url>`).',
    condition: `node -e "process.exitCode = require('fs').existsSync('${BUILD_DIR}/${ENTRY_POINTS['./aws']}.js') ? 1 : 0"`,
  });
  prepare.spawn(prepack);
}

/**
 * `api:check` (run by `npm test`) compares each entry point's API with its reviewed report in api/ and fails on
 * an unreviewed change; `api:update` rewrites the reports in one command.
 */
export function addApiReportTasks(project: javascript.NodeProject): void {
  const script = 'ts-node --transpile-only --project tsconfig.dev.json projen/api-report.ts';
  const check = project.addTask('api:check', {
    description: 'Fail when the public API of an entry point differs from its reviewed report in api/.',
  });
  check.spawn(project.tasks.tryFind('prepack')!);
  check.exec(script);
  const update = project.addTask('api:update', {
    description: 'Rewrite the API reports in api/ after an intended change to the public API (review and commit them).',
  });
  update.spawn(project.tasks.tryFind('prepack')!);
  update.exec(`${script} --update`);
  project.testTask.spawn(check);
}

/** `test:consumers`: the packed library installed into fresh CDK, cdk8s and Pulumi projects (needs the npm registry). */
export function addConsumerTestTask(project: javascript.NodeProject): void {
  project.addTask('test:consumers', {
    description: 'Pack the library, install it into the consumer projects of test/consumers/apps, type-check, synthesize and test each.',
    exec: 'ts-node --transpile-only --project tsconfig.dev.json test/consumers/run.ts',
    receiveArgs: true,
  });
}
