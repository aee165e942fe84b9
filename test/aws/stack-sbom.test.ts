import { readFileSync } from 'fs';
import { join } from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { applyResidency, ContainerImage, DataBucket, Residency, StackSbom } from '../../constructs/aws';
import { sbomViolations } from '../support/sbom';

describe('StackSbom', () => {
  test('GIVEN a stack with a data bucket WHEN synthesized THEN <stack>.sbom.cdx.json is written beside the template and is valid', async () => {
    const app = new App();
    applyResidency(app, Residency.EU);
    const stack = new Stack(app, 'Platform', { env: { region: 'eu-west-1' } });
    new DataBucket(stack, 'Features', { datasetName: 'features' });
    const assembly = app.synth();
    const json = readFileSync(join(assembly.directory, 'Platform.sbom.cdx.json'), 'utf8');
    expect(await sbomViolations(json)).toEqual([]);
    const bom = JSON.parse(json);
    expect(bom.metadata.component).toMatchObject({ name: 'Platform', properties: [{ name: 'ml-platform:residency', value: 'eu' }] });
    expect(bom.components.map((c: any) => `${c.type}:${c.name}`).sort()).toEqual(['data:features', 'library:ml-platform-constructs']);
  });

  test('GIVEN two stacks THEN each has its own SBOM', () => {
    const app = new App();
    StackSbom.of(new Stack(app, 'A')).addImage(ContainerImage.fromTag('nginx:1', { allowMutableTag: 'demo' }));
    StackSbom.of(new Stack(app, 'B'));
    const assembly = app.synth();
    const a = JSON.parse(readFileSync(join(assembly.directory, 'A.sbom.cdx.json'), 'utf8'));
    const b = JSON.parse(readFileSync(join(assembly.directory, 'B.sbom.cdx.json'), 'utf8'));
    expect(a.components).toHaveLength(2);
    expect(b.components).toHaveLength(1);
  });

  test('GIVEN two calls for one stack THEN the same document', () => {
    const stack = new Stack(new App(), 'A');
    expect(StackSbom.of(stack)).toBe(StackSbom.of(stack));
  });
});
