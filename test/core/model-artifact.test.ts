import { MlPlatformError, ModelArtifact } from '../../lib/core';

describe('ModelArtifact', () => {
  test.each([
    ['s3://ml-models/fraud/1.4.0/model.tar.gz', 's3', 'fraud'],
    ['https://models.example.com/churn/v2/churn.onnx', 'https', 'churn'],
    ['oci://registry.example.com/models/ranker:2.1', 'oci', 'ranker'],
  ])('GIVEN %s WHEN parsed THEN scheme %s and default name %s', (uri, scheme, name) => {
    const model = ModelArtifact.fromUri(uri);
    expect(model.scheme).toBe(scheme);
    expect(model.name).toBe(name);
  });

  test('GIVEN an s3 URI WHEN asked THEN bucket and key are split', () => {
    expect(ModelArtifact.fromUri('s3://ml-models/fraud/model.tar.gz').s3Location).toEqual({ bucket: 'ml-models', key: 'fraud/model.tar.gz' });
  });

  test.each([
    ['a file path', '/tmp/model.tar.gz'],
    ['plain http', 'http://models.example.com/m.onnx'],
    ['an s3 bucket with capitals', 's3://ML-Models/m.tar.gz'],
    ['an s3 URI without a key', 's3://ml-models'],
  ])('GIVEN %s WHEN fromUri THEN MlPlatformError naming uri', (_, uri) => {
    expect(() => ModelArtifact.fromUri(uri)).toThrow(MlPlatformError);
    expect(() => ModelArtifact.fromUri(uri)).toThrow(`ModelArtifact.fromUri: invalid uri ${JSON.stringify(uri)}. Allowed: s3://<bucket>/<key>`);
  });

  test('GIVEN a sha256 that is not 64 hex WHEN fromUri THEN it is rejected naming sha256', () => {
    expect(() => ModelArtifact.fromUri('s3://ml-models/m.tar.gz', { sha256: 'abc' })).toThrow(/invalid sha256 "abc". Allowed: 64 lowercase hex/);
  });

  test('GIVEN an empty version WHEN fromUri THEN it is rejected naming version', () => {
    expect(() => ModelArtifact.fromUri('s3://ml-models/m.tar.gz', { version: '' })).toThrow(/invalid version ""/);
  });
});
