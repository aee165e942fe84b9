import { join } from 'path';

// eslint 9 keeps the .eslintrc engine (which projen generates) behind this entry point.
import { LegacyESLint } from 'eslint/use-at-your-own-risk';

const ROOT = join(__dirname, '..');

async function importDirectionErrors(file: string, source: string): Promise<string[]> {
  const eslint = new LegacyESLint({
    cwd: ROOT,
    // Type information is not needed for import rules; without it a file need not exist on disk.
    overrideConfig: {
      parserOptions: { project: null, projectService: false },
      rules: { '@typescript-eslint/no-floating-promises': 'off', '@typescript-eslint/return-await': 'off' },
    },
  });
  const [result] = await eslint.lintText(source, { filePath: join(ROOT, file) });
  return result.messages
    .filter((m: any) => m.ruleId === 'import/no-restricted-paths' || m.ruleId === 'no-restricted-imports')
    .map((m: any) => `${m.ruleId}: ${m.message}`);
}

describe('import direction lint rule', () => {
  test('GIVEN lib/core importing an engine folder THEN lint fails', async () => {
    expect(await importDirectionErrors('lib/core/probe.ts', "import { DataBucket } from '../aws';\nexport const x = DataBucket;\n"))
      .toEqual([expect.stringMatching(/^import\/no-restricted-paths: .*lib\/core is engine-neutral/)]);
  });

  test('GIVEN lib/core importing aws-cdk-lib THEN lint fails', async () => {
    expect(await importDirectionErrors('lib/core/probe.ts', "import { Stack } from 'aws-cdk-lib';\nexport const x = Stack;\n"))
      .toEqual([expect.stringMatching(/^no-restricted-imports: .*lib\/core must not load this engine library/)]);
  });

  test('GIVEN lib/k8s importing aws-cdk-lib or a construct THEN lint fails', async () => {
    const errors = await importDirectionErrors('lib/k8s/probe.ts', "import { Stack } from 'aws-cdk-lib/core';\nimport * as aws from '../../constructs/aws';\nexport const x = [Stack, aws];\n");
    expect(errors).toHaveLength(2);
  });

  test('GIVEN a construct importing lib/aws and lib/core THEN lint passes', async () => {
    expect(await importDirectionErrors('constructs/probe.ts', "import { DataBucket } from '../lib/aws';\nimport { Residency } from '../lib/core';\nexport const x = [DataBucket, Residency];\n"))
      .toEqual([]);
  });
});
