import { execFileSync } from 'child_process';
import { join } from 'path';

const ROOT = join(__dirname, '..');

/** What loading an entry point does: the engine packages that end up in require.cache, and the names it exports. */
interface Loaded {
  readonly engines: string[];
  readonly exported: string[];
}

// One fresh Node process per entry point (loading the library through ts-node takes seconds), shared by the tests.
const loadedEntryPoints = new Map<string, Loaded>();

/** Loads an entry point in a fresh Node process (once per entry point) and reports what it loaded and exports. */
function load(entryPoint: string): Loaded {
  let loaded = loadedEntryPoints.get(entryPoint);
  if (!loaded) {
    const script = `
      const exported = Object.keys(require(${JSON.stringify(join(ROOT, entryPoint))}));
      const engines = ['aws-cdk-lib', 'cdk8s', 'cdk8s-plus-28', '@pulumi/pulumi', '@pulumi/kubernetes'];
      const loaded = engines.filter((engine) => Object.keys(require.cache).some((file) => file.includes('/node_modules/' + engine + '/')));
      process.stdout.write(JSON.stringify({ engines: loaded, exported }));
    `;
    const output = execFileSync(process.execPath, ['-r', 'ts-node/register/transpile-only', '-e', script], {
      cwd: ROOT,
      env: { ...process.env, TS_NODE_PROJECT: join(ROOT, 'tsconfig.dev.json') },
      encoding: 'utf8',
    });
    loaded = JSON.parse(output) as Loaded;
    loadedEntryPoints.set(entryPoint, loaded);
  }
  return loaded;
}

/** The engine packages an entry point loads. */
const enginesLoadedBy = (entryPoint: string): string[] => load(entryPoint).engines;

/** The names an entry point exports at run time. */
const exportedNames = (entryPoint: string): string[] => load(entryPoint).exported;

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
