import { execFileSync } from 'child_process';
import { join } from 'path';

const ROOT = join(__dirname, '..');

/** Loads an entry point in a fresh Node process and lists the engine packages that ended up in require.cache. */
function enginesLoadedBy(entryPoint: string): string[] {
  const script = `
    require(${JSON.stringify(join(ROOT, entryPoint))});
    const engines = ['aws-cdk-lib', 'cdk8s', 'cdk8s-plus-28', '@pulumi/pulumi', '@pulumi/kubernetes'];
    const loaded = engines.filter((engine) => Object.keys(require.cache).some((file) => file.includes('/node_modules/' + engine + '/')));
    process.stdout.write(JSON.stringify(loaded));
  `;
  const output = execFileSync(process.execPath, ['-r', 'ts-node/register/transpile-only', '-e', script], {
    cwd: ROOT,
    env: { ...process.env, TS_NODE_PROJECT: join(ROOT, 'tsconfig.dev.json') },
    encoding: 'utf8',
  });
  return JSON.parse(output);
}

describe('entry points load only their own engine', () => {
  test('GIVEN ml-platform-constructs (core) THEN no engine library is loaded', () => {
    expect(enginesLoadedBy('constructs/core.ts')).toEqual([]);
  });

  test('GIVEN ml-platform-constructs/k8s THEN cdk8s is loaded and aws-cdk-lib and Pulumi are not', () => {
    expect(enginesLoadedBy('constructs/k8s.ts')).toEqual(['cdk8s', 'cdk8s-plus-28']);
  });

  test('GIVEN ml-platform-constructs/pulumi THEN aws-cdk-lib is not loaded', () => {
    expect(enginesLoadedBy('constructs/pulumi.ts')).toEqual(['cdk8s', 'cdk8s-plus-28', '@pulumi/pulumi', '@pulumi/kubernetes']);
  });

  test('GIVEN ml-platform-constructs/testing THEN no engine library is loaded until a check is called', () => {
    expect(enginesLoadedBy('constructs/testing.ts')).toEqual([]);
  });

  test('GIVEN ml-platform-constructs/aws THEN Pulumi and cdk8s are not loaded', () => {
    expect(enginesLoadedBy('constructs/aws.ts')).toEqual(['aws-cdk-lib']);
  });
});

/** The names an entry point exports at run time, loaded in a fresh Node process. */
function exportedNames(entryPoint: string): string[] {
  const script = `process.stdout.write(JSON.stringify(Object.keys(require(${JSON.stringify(join(ROOT, entryPoint))}))));`;
  const output = execFileSync(process.execPath, ['-r', 'ts-node/register/transpile-only', '-e', script], {
    cwd: ROOT,
    env: { ...process.env, TS_NODE_PROJECT: join(ROOT, 'tsconfig.dev.json') },
    encoding: 'utf8',
  });
  return JSON.parse(output);
}

// Internals the entry points exported before their export lists were written by name.
const INTERNALS = [
  'assertInRange', 'propFailure', 'assertModelInputs', 'isUnresolved', 'recordUnchecked', 'NAG_ACKNOWLEDGEMENTS',
  'WILDCARD_RESOURCE_REASONS', 'acknowledge', 'acknowledgeWildcardResource', 'RESIDENCY_RULES', 'residencyViolations',
  'withoutPlacement', 'planCanaryEndpoint', 'planBatchScoringPipeline', 'grantContract', 'libraryVersion', 'LIBRARY_NAME',
];

describe('entry points export their public API only', () => {
  test.each(['constructs/core.ts', 'constructs/aws.ts', 'constructs/k8s.ts', 'constructs/pulumi.ts', 'constructs/testing.ts'])(
    'GIVEN %s THEN no internal helper, acknowledgement list or plan function is exported', (entryPoint) => {
      expect(exportedNames(entryPoint).filter((name) => INTERNALS.includes(name))).toEqual([]);
    });

  test('GIVEN every engine entry point THEN each re-exports the whole engine-neutral API', () => {
    const core = exportedNames('constructs/core.ts');
    for (const entryPoint of ['constructs/aws.ts', 'constructs/k8s.ts', 'constructs/pulumi.ts']) {
      const exported = new Set(exportedNames(entryPoint));
      expect(core.filter((name) => !exported.has(name))).toEqual([]);
    }
  });
});
