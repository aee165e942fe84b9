import { readFileSync } from 'fs';
import { join } from 'path';

const ROOT = join(__dirname, '..', '..');

/** The packages the README's table says an entry point loads (the backquoted names of its "loads" cell). */
function readmeLoads(entryPoint: string): string[] {
  const row = readFileSync(join(ROOT, 'README.md'), 'utf8').split('\n')
    .find((line) => line.startsWith(`| \`${entryPoint}\` |`));
  if (!row) {
    throw new Error(`README.md has no row for ${entryPoint}`);
  }
  const loads = row.split('|').map((cell) => cell.trim()).filter((cell) => cell !== '').at(-1)!;
  return [...loads.matchAll(/`([^`]+)`/g)].map((match) => match[1]).sort();
}

/** The run-time dependencies of a consumer project besides this library: what its engine needs. */
function consumerNeeds(app: string): string[] {
  const manifest = JSON.parse(readFileSync(join(__dirname, 'apps', app, 'package.json'), 'utf8'));
  return Object.keys(manifest.dependencies).filter((name) => name !== 'ml-platform-constructs').sort();
}

describe('each consumer project installs what the README says its entry point needs', () => {
  test.each([
    ['cdk-commonjs', 'ml-platform-constructs/aws'],
    ['cdk-init', 'ml-platform-constructs/aws'],
    ['cdk8s', 'ml-platform-constructs/k8s'],
    ['pulumi', 'ml-platform-constructs/pulumi'],
  ])('GIVEN the %s consumer THEN its dependencies are the README row of %s', (app, entryPoint) => {
    expect(consumerNeeds(app)).toEqual(readmeLoads(entryPoint));
  });

  test('GIVEN the Pulumi entry point THEN the README says it needs cdk8s and cdk8s-plus-28', () => {
    expect(readmeLoads('ml-platform-constructs/pulumi')).toEqual(['@pulumi/kubernetes', '@pulumi/pulumi', 'cdk8s', 'cdk8s-plus-28', 'constructs']);
  });
});
