import { BatchScoringPipeline, CanaryEndpoint, ContainerImage, ModelArtifact, NamespaceBaseline, Residency } from 'ml-platform-constructs/pulumi';

const IMAGE = 'registry.example.com/ml/fraud-server@sha256:3b5f1c2a9d8e7f6041a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f708';
const model = ModelArtifact.fromUri('s3://my-models/fraud/1.4.0/model.tar.gz', { version: '1.4.0' });
const image = ContainerImage.fromDigest(IMAGE);
const placement = { namespace: 'ml-platform', residency: Residency.EU };

const namespace = new NamespaceBaseline('ml-platform', { name: 'ml-platform', residency: Residency.EU });
export const fraud = new CanaryEndpoint('fraud', { ...placement, model, image }, { dependsOn: [namespace] });
export const scoring = new BatchScoringPipeline('fraud-scoring', {
  ...placement,
  model,
  image,
  schedule: { cron: '0 2 * * *', timeZone: 'Europe/Dublin' },
  inputUri: 's3://my-data/fraud/transactions/',
  outputUri: 's3://my-data/fraud/scores/',
}, { dependsOn: [namespace] });
export const fraudSbom = fraud.sbom;
