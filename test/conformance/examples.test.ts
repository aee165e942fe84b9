import { readFileSync } from 'fs';
import { join } from 'path';
import { Template } from 'aws-cdk-lib/assertions';
import { App as Cdk8sApp } from 'cdk8s';
import { AppSbom } from '../../constructs/k8s';
import { definePlatform as defineK8sPlatform } from '../../examples/k8s-platform/platform';
import { definePlatform as defineAwsPlatform } from '../../examples/ml-platform/platform';
import { conformingApp, synthesizeConforming } from '../support/aws-conformance';
import { kubernetesConformance } from '../support/k8s-conformance';
import { sbomViolations } from '../support/sbom';

/** The models and images an SBOM lists, as `type:name@version-or-digest-prefix`. */
function servedComponents(sbom: any): string[] {
  return sbom.components
    .filter((c: any) => c.type === 'machine-learning-model' || c.type === 'container')
    .map((c: any) => `${c.type}:${c.name}@${c.type === 'container' ? /sha256:[a-f0-9]{8}/.exec(decodeURIComponent(c.purl))?.[0] : c.version}`)
    .sort();
}

describe('the example AWS ML platform', () => {
  const app = conformingApp();
  const stack = defineAwsPlatform(app);
  // Throws a ConformanceError listing every cdk-nag, Control Tower and built-in validation finding.
  const assembly = synthesizeConforming(app);

  test('GIVEN the three cdk-nag packs, the Control Tower controls and built-in validation THEN synthesis has zero findings', () => {
    expect(assembly.stacks.map((s) => s.stackName)).toEqual(['MlPlatform']);
  });

  test('GIVEN synthesis THEN MlPlatform.sbom.cdx.json beside the template passes the CycloneDX 1.6 strict validator', async () => {
    const json = readFileSync(join(assembly.directory, 'MlPlatform.sbom.cdx.json'), 'utf8');
    expect(await sbomViolations(json)).toEqual([]);
  });

  test('GIVEN the fraud endpoint THEN the SBOM lists its model and its image pinned by digest', () => {
    const sbom = JSON.parse(readFileSync(join(assembly.directory, 'MlPlatform.sbom.cdx.json'), 'utf8'));
    expect(servedComponents(sbom)).toEqual(['container:fraud-server@sha256:3b5f1c2a', 'machine-learning-model:fraud@1.4.0']);
  });

  test('GIVEN stack deletion THEN every key and bucket is retained', () => {
    const template = Template.fromStack(stack);
    for (const type of ['AWS::KMS::Key', 'AWS::S3::Bucket']) {
      const resources = Object.values(template.findResources(type));
      expect(resources.length).toBeGreaterThan(0);
      expect(resources.map((r) => r.DeletionPolicy)).toEqual(resources.map(() => 'Retain'));
    }
  });

  test('snapshot of the default output', () => {
    expect(Template.fromStack(stack).toJSON()).toMatchSnapshot();
    expect(JSON.parse(readFileSync(join(assembly.directory, 'MlPlatform.sbom.cdx.json'), 'utf8'))).toMatchSnapshot();
  });
});

describe('the example Kubernetes ML platform', () => {
  const app = new Cdk8sApp({ outdir: 'unused' });
  const objects = defineK8sPlatform(app).toJson();

  test('GIVEN every object THEN schema-valid, no unknown fields, PSS restricted and hardened', () => {
    expect(kubernetesConformance(objects)).toEqual([]);
  });

  test('GIVEN the app THEN its SBOM passes the CycloneDX 1.6 strict validator', async () => {
    expect(await sbomViolations(AppSbom.of(app).toJson())).toEqual([]);
  });

  test('GIVEN the fraud endpoint and drift monitors THEN the SBOM lists the model and every image pinned by digest (the server, the monitors\' and the trainer)', () => {
    expect(servedComponents(JSON.parse(AppSbom.of(app).toJson()))).toEqual([
      'container:aws-cli@sha256:015921f4', 'container:fraud-server@sha256:3b5f1c2a', 'container:fraud-train@sha256:8d3e5f7a', 'container:python@sha256:78387bc3',
      'machine-learning-model:fraud@1.4.0',
    ]);
  });

  test('snapshot of the default output', () => {
    expect(objects).toMatchSnapshot();
  });
});
