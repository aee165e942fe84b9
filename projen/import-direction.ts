import type { javascript } from 'projen';

/** The engine folders below lib/, each allowed to import only lib/core (and lib/pulumi also lib/k8s). */
const ENGINE_DIRS = ['aws', 'k8s', 'pulumi'] as const;

/** Which engine packages each engine folder may load; the rest are forbidden there. */
const ENGINE_PACKAGES: Record<string, string[]> = {
  aws: ['aws-cdk-lib', 'aws-cdk-lib/*'],
  k8s: ['cdk8s', 'cdk8s-plus-28', 'cdk8s/*', 'cdk8s-plus-28/*'],
  pulumi: ['@pulumi/pulumi', '@pulumi/pulumi/*', '@pulumi/kubernetes', '@pulumi/kubernetes/*'],
};

function forbiddenPackages(allowed: string[]): string[] {
  return Object.entries(ENGINE_PACKAGES)
    .filter(([engine]) => !allowed.includes(engine))
    .flatMap(([, packages]) => packages);
}

/**
 * Enforces the import direction `constructs` → `lib/<engine>` → `lib/core`:
 * lib/core imports no engine and no construct, an engine folder imports no
 * construct and no other engine (the Pulumi bridge may render cdk8s), and each
 * folder loads only its own engine's packages.
 */
export function addImportDirectionRule(eslint: javascript.Eslint): void {
  const zones = [
    {
      target: './lib/core',
      from: ['./lib/aws', './lib/k8s', './lib/pulumi', './constructs'],
      message: 'lib/core is engine-neutral: it must not import an engine folder or a construct.',
    },
    ...ENGINE_DIRS.map((engine) => ({
      target: `./lib/${engine}`,
      from: ['./constructs', ...ENGINE_DIRS
        .filter((other) => other !== engine && !(engine === 'pulumi' && other === 'k8s'))
        .map((other) => `./lib/${other}`)],
      message: `lib/${engine} may import only lib/core${engine === 'pulumi' ? ' and lib/k8s' : ''}, never a construct or another engine.`,
    })),
  ];
  eslint.addRules({ 'import/no-restricted-paths': ['error', { zones }] });

  const folderPackages: Array<[string, string[]]> = [
    ['lib/core/**/*.ts', []],
    ['lib/aws/**/*.ts', ['aws']],
    ['lib/k8s/**/*.ts', ['k8s']],
    ['lib/pulumi/**/*.ts', ['pulumi', 'k8s']],
  ];
  for (const [files, allowed] of folderPackages) {
    eslint.addOverride({
      files: [files],
      rules: {
        'no-restricted-imports': ['error', {
          patterns: [{
            group: forbiddenPackages(allowed),
            message: `${files.split('/**')[0]} must not load this engine library (see the import direction in DESIGN.md).`,
          }],
        }],
      },
    });
  }
}
