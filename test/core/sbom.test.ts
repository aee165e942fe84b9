import { ContainerImage, ModelArtifact, SBOM_PROPERTY, SbomDocument } from '../../lib/core';
import { sbomViolations } from '../support/sbom';

const DIGEST = `sha256:${'0f'.repeat(32)}`;

function exampleDocument(): { document: SbomDocument; refs: Record<string, string> } {
  const document = new SbomDocument({ name: 'FraudPlatform', residency: 'eu' });
  const model = document.addModel(ModelArtifact.fromUri('s3://ml-models/fraud/1.4.0/model.tar.gz', { version: '1.4.0', framework: 'xgboost', sha256: 'a'.repeat(64) }));
  const image = document.addImage(ContainerImage.fromDigest(`123456789012.dkr.ecr.eu-west-1.amazonaws.com/ml/fraud-server@${DIGEST}`));
  const dataset = document.addDataset({ name: 'transactions', uri: 's3://ml-data/transactions/' });
  const service = document.addService({ name: 'fraud-endpoint' });
  document.addDependency(service, model, image);
  return { document, refs: { model, image, dataset, service } };
}

describe('SbomDocument', () => {
  test('GIVEN models, images, datasets and services WHEN serialized THEN it passes the CycloneDX 1.6 strict validator', async () => {
    expect(await sbomViolations(exampleDocument().document.toJson())).toEqual([]);
  });

  test('GIVEN a digest-pinned image WHEN serialized THEN it is a container with a pkg:oci purl carrying the digest', () => {
    const bom = JSON.parse(exampleDocument().document.toJson());
    const image = bom.components.find((c: any) => c.type === 'container');
    expect(image.purl).toBe(`pkg:oci/fraud-server@sha256:${'0f'.repeat(32)}?repository_url=123456789012.dkr.ecr.eu-west-1.amazonaws.com%2Fml%2Ffraud-server`);
    expect(image.hashes).toEqual([{ alg: 'SHA-256', content: '0f'.repeat(32) }]);
  });

  test('GIVEN a model WHEN serialized THEN it is a machine-learning-model with its version, framework and hash', () => {
    const bom = JSON.parse(exampleDocument().document.toJson());
    const model = bom.components.find((c: any) => c.type === 'machine-learning-model');
    expect(model).toMatchObject({ name: 'fraud', version: '1.4.0', hashes: [{ alg: 'SHA-256', content: 'a'.repeat(64) }] });
    expect(model.properties).toContainEqual({ name: SBOM_PROPERTY.framework, value: 'xgboost' });
  });

  test('GIVEN dependencies WHEN serialized THEN the graph links the service to the model and image, and the root to everything', () => {
    const { document, refs } = exampleDocument();
    const bom = JSON.parse(document.toJson());
    const service = bom.dependencies.find((d: any) => d.ref === refs.service);
    expect(service.dependsOn).toEqual([refs.image, refs.model].sort());
    const root = bom.dependencies.find((d: any) => d.ref === 'subject:FraudPlatform');
    expect(root.dependsOn).toEqual(expect.arrayContaining([refs.model, refs.image, refs.dataset, refs.service, 'library:ml-platform-constructs']));
  });

  test('GIVEN any document THEN the library itself is a component and the tool', () => {
    const bom = JSON.parse(new SbomDocument({ name: 'Empty' }).toJson());
    expect(bom.components.map((c: any) => c.name)).toEqual(['ml-platform-constructs']);
    expect(bom.metadata.tools.components[0].name).toBe('ml-platform-constructs');
    expect(bom.specVersion).toBe('1.6');
  });

  test('GIVEN a mutable tag accepted with a reason WHEN serialized THEN the image carries the reason', () => {
    const document = new SbomDocument({ name: 'X' });
    document.addImage(ContainerImage.fromTag('nginx:1.27', { allowMutableTag: 'vendor image' }));
    const image = JSON.parse(document.toJson()).components.find((c: any) => c.type === 'container');
    expect(image.properties).toEqual([{ name: SBOM_PROPERTY.mutableTagReason, value: 'vendor image' }]);
  });

  test('GIVEN the same model twice THEN one component', () => {
    const document = new SbomDocument({ name: 'X' });
    const model = ModelArtifact.fromUri('s3://ml-models/m.tar.gz');
    expect(document.addModel(model)).toBe(document.addModel(model));
    expect(JSON.parse(document.toJson()).components).toHaveLength(2);
  });

  test('GIVEN an unknown ref WHEN adding a dependency THEN MlPlatformError', () => {
    const document = new SbomDocument({ name: 'X' });
    expect(() => document.addDependency('nope', 'library:ml-platform-constructs')).toThrow(/SbomDocument.addDependency: invalid ref "nope"/);
  });

  test('GIVEN an SBOM with an invalid component type WHEN validated THEN the validator rejects it', async () => {
    const broken = exampleDocument().document.toJson().replace('"machine-learning-model"', '"robot"');
    expect((await sbomViolations(broken)).join('\n')).toMatch(/\/components\/\d+\/type must be equal to one of the allowed values/);
  });
});
