import { Chart } from 'cdk8s';
import type { Construct } from 'constructs';
import { BatchScoringPipeline, CanaryEndpoint, ContainerImage, ModelArtifact, NamespaceBaseline } from 'ml-platform-constructs/k8s';

const IMAGE = 'registry.example.com/ml/fraud-server@sha256:3b5f1c2a9d8e7f6041a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f708';

/** A namespace with the secure baseline, a fraud model behind a canary, and its nightly scoring. */
export class ScoringChart extends Chart {
  public constructor(scope: Construct, id: string) {
    super(scope, id, { namespace: 'ml-platform' });
    const model = ModelArtifact.fromUri('s3://my-models/fraud/1.4.0/model.tar.gz', { version: '1.4.0' });
    const image = ContainerImage.fromDigest(IMAGE);
    new NamespaceBaseline(this, 'Namespace', { name: 'ml-platform' });
    new CanaryEndpoint(this, 'Fraud', { name: 'fraud', model, image });
    new BatchScoringPipeline(this, 'FraudScoring', {
      name: 'fraud-scoring',
      model,
      image,
      schedule: { cron: '0 2 * * *', timeZone: 'Europe/Dublin' },
      inputUri: 's3://my-data/fraud/transactions/',
      outputUri: 's3://my-data/fraud/scores/',
    });
  }
}
