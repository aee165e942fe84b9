import { tarballProblems } from './tarball';

const COMPLETE = [
  'package.json', 'README.md', 'LICENSE',
  ...['constructs/core', 'constructs/aws', 'constructs/k8s', 'constructs/pulumi', 'constructs/testing'].flatMap((entry) => [`build/${entry}.js`, `build/${entry}.d.ts`]),
  'build/lib/core/errors.js', 'build/lib/core/errors.d.ts',
];

describe('tarballProblems', () => {
  test('GIVEN every entry point compiled, README and LICENSE THEN the package is complete', () => {
    expect(tarballProblems(COMPLETE)).toEqual([]);
  });

  test('GIVEN the 3-file tarball of an uncompiled clone THEN every entry point is reported missing', () => {
    expect(tarballProblems(['package.json', 'README.md', 'LICENSE'])).toEqual([
      'missing build/constructs/core.js', 'missing build/constructs/core.d.ts',
      'missing build/constructs/aws.js', 'missing build/constructs/aws.d.ts',
      'missing build/constructs/k8s.js', 'missing build/constructs/k8s.d.ts',
      'missing build/constructs/pulumi.js', 'missing build/constructs/pulumi.d.ts',
      'missing build/constructs/testing.js', 'missing build/constructs/testing.d.ts',
    ]);
  });

  test('GIVEN a runtime asset the compiled code reads THEN it is allowed beside the build', () => {
    expect(tarballProblems([...COMPLETE, 'constructs/drift-monitor/drift/drift.py'])).toEqual([]);
  });

  test('GIVEN sources, tests, examples and benchmarks THEN each is reported', () => {
    expect(tarballProblems([...COMPLETE, 'lib/core/errors.ts', 'test/core/errors.test.ts', 'examples/ml-platform/main.ts', 'bench/synth.bench.ts', 'build/lib/x.test.js']))
      .toEqual([
        'unexpected lib/core/errors.ts', 'unexpected test/core/errors.test.ts', 'unexpected examples/ml-platform/main.ts',
        'unexpected bench/synth.bench.ts', 'unexpected build/lib/x.test.js',
      ]);
  });
});
