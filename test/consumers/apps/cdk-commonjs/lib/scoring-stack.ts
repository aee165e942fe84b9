import { Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { BatchScoringPipeline, CanaryEndpoint, ContainerImage, DataBucket, ModelArtifact, OwnerNotifications } from 'ml-platform-constructs/aws';

const IMAGE = '123456789012.dkr.ecr.eu-west-1.amazonaws.com/ml/fraud-server@sha256:3b5f1c2a9d8e7f6041a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f708';

/** A fraud model served behind a canary and scored every night from a data bucket. */
export class ScoringStack extends Stack {
  public constructor(scope: Construct, id: string, props: StackProps) {
    super(scope, id, props);
    const model = ModelArtifact.fromUri('s3://my-models/fraud/1.4.0/model.tar.gz', { version: '1.4.0' });
    const image = ContainerImage.fromDigest(IMAGE);
    const data = new DataBucket(this, 'Data');
    const notifications = new OwnerNotifications(this, 'Owner', { encryptionKey: data.encryptionKey });
    new CanaryEndpoint(this, 'Fraud', { endpointName: 'fraud', model, image, notifications });
    new BatchScoringPipeline(this, 'FraudScoring', {
      model,
      image,
      schedule: { cron: '0 2 * * *', timeZone: 'Europe/Dublin' },
      inputUri: `s3://${data.bucket.bucketName}/transactions/`,
      outputUri: `s3://${data.bucket.bucketName}/fraud-scores/`,
      encryptionKey: data.encryptionKey,
      notifications,
    });
  }
}
