import { Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { BatchScoringPipeline, CanaryEndpoint, ContainerImage, DataBucket, EncryptionKey, ModelArtifact, OwnerNotifications } from '../../constructs/aws';

/** Props for the example platform stack. */
export interface PlatformStackProps extends StackProps {
  /**
   * The version of the fraud model to serve; a new version reaches users through the endpoint's canary.
   * @default "1.4.0"
   */
  readonly fraudModelVersion?: string;
}

/** The serving image of the fraud model, pinned by digest. */
export const FRAUD_SERVER_IMAGE = ContainerImage.fromDigest(
  '123456789012.dkr.ecr.eu-west-1.amazonaws.com/ml/fraud-server@sha256:3b5f1c2a9d8e7f6041a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f708',
);

/** The fraud model of a given version, as the training pipeline publishes it. */
export function fraudModel(version: string): ModelArtifact {
  return ModelArtifact.fromUri(`s3://ml-platform-models-eu-west-1/fraud/${version}/model.tar.gz`, { name: 'fraud', version, framework: 'xgboost' });
}

/**
 * The example ML platform: one customer-managed key for all data, a data bucket, the owner's alarm topic,
 * the fraud model served through a canary endpoint, and the same model scoring yesterday's transactions every night.
 */
export class PlatformStack extends Stack {
  public readonly dataKey: EncryptionKey;
  public readonly featureData: DataBucket;
  public readonly owner: OwnerNotifications;
  public readonly fraudEndpoint: CanaryEndpoint;
  public readonly fraudScoring: BatchScoringPipeline;

  public constructor(scope: Construct, id: string, props: PlatformStackProps) {
    super(scope, id, props);
    this.dataKey = new EncryptionKey(this, 'DataKey', { alias: 'alias/ml-platform/data' });
    this.featureData = new DataBucket(this, 'FeatureData', { encryptionKey: this.dataKey.key, datasetName: 'feature-data' });
    this.owner = new OwnerNotifications(this, 'Owner', { encryptionKey: this.dataKey.key, displayName: 'ML platform owner' });
    // Defaults: a 10 % canary baked 10 minutes, rollback on > 1 % 5xx or p99 > 1000 ms, 2-4 instances.
    this.fraudEndpoint = new CanaryEndpoint(this, 'FraudEndpoint', {
      endpointName: 'fraud',
      model: fraudModel(props.fraudModelVersion ?? '1.4.0'),
      image: FRAUD_SERVER_IMAGE,
      encryptionKey: this.dataKey.key,
      notifications: this.owner,
    });
    // Every night at 02:00 Irish time: score yesterday's transactions, publish the scores when every check passed.
    this.fraudScoring = new BatchScoringPipeline(this, 'FraudScoring', {
      model: fraudModel(props.fraudModelVersion ?? '1.4.0'),
      image: FRAUD_SERVER_IMAGE,
      schedule: { cron: '0 2 * * *', timeZone: 'Europe/Dublin' },
      inputUri: `s3://${this.featureData.bucket.bucketName}/transactions/`,
      outputUri: `s3://${this.featureData.bucket.bucketName}/fraud-scores/`,
      encryptionKey: this.dataKey.key,
      notifications: this.owner,
    });
  }
}
