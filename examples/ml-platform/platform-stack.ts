import { Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { BatchScoringPipeline, CanaryEndpoint, ContainerImage, DriftMonitor, FeatureStore, MlPlatform, ModelArtifact, Residency } from '../../constructs/aws';
import { FRAUD_ENTITIES, FRAUD_FEATURE_GROUPS, FRAUD_FEATURE_STORE } from '../shared/fraud-features';
import { FRAUD_ML_OWNER, FRAUD_PLATFORM_NAME } from '../shared/fraud-ml-owner';

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
 * The example ML platform: an `MlPlatform` (one key, one data bucket, the owner's topic, the dashboard, the catalog
 * and diagram, EU residency), the fraud model served through a canary endpoint, the same model scoring
 * yesterday's transactions every night, and drift monitors on the endpoint's captured requests and the nightly inputs.
 */
export class PlatformStack extends Stack {
  public readonly platform: MlPlatform;
  public readonly fraudEndpoint: CanaryEndpoint;
  public readonly fraudScoring: BatchScoringPipeline;
  public readonly fraudFeatures: FeatureStore;
  public readonly fraudRequestDrift: DriftMonitor;
  public readonly fraudInputDrift: DriftMonitor;

  public constructor(scope: Construct, id: string, props: PlatformStackProps) {
    super(scope, id, props);
    // Data stays in EU member states; synthesis fails for any resource of the platform that would leave them.
    this.platform = new MlPlatform(this, 'Platform', {
      platformName: FRAUD_PLATFORM_NAME,
      residency: Residency.EU,
      owner: FRAUD_ML_OWNER,
      keyAlias: 'alias/ml-platform/data',
    });
    const model = fraudModel(props.fraudModelVersion ?? '1.4.0');
    // The fraud features: retained groups on the platform's key and bucket, checked against feature-store.lock.json
    // (beside cdk.json; record additions with `npx cdk synth -c featureStoreLock=update`), and a point-in-time training set.
    this.fraudFeatures = new FeatureStore(this.platform, 'FraudFeatures', {
      storeName: FRAUD_FEATURE_STORE,
      entities: FRAUD_ENTITIES,
      featureGroups: FRAUD_FEATURE_GROUPS,
      trainingSets: [{
        name: 'fraud-training',
        entityDatabase: 'fraud_labels',
        entityTable: 'labelled_transactions',
        entityLocation: 's3://ml-platform-labels-eu-west-1/fraud/labelled-transactions/',
        timestampColumn: 'label_time',
        passThroughColumns: ['is_fraud'],
        featureGroups: ['customer-spend', 'transaction-risk'],
      }],
    });
    // Defaults: a 10 % canary baked 10 minutes, rollback on > 1 % 5xx or p99 > 1000 ms, 2-4 instances; the platform's
    // key, data bucket (captured data under data-capture/fraud/) and owner topic.
    this.fraudEndpoint = new CanaryEndpoint(this.platform, 'FraudEndpoint', {
      endpointName: 'fraud',
      model,
      image: FRAUD_SERVER_IMAGE,
      // The model looks up the customer's spend at prediction time: GetRecord and BatchGetRecord on that group only.
      featureReads: [{ store: this.fraudFeatures, groups: ['customer-spend'] }],
    });
    // Every night at 02:00 Irish time: score yesterday's transactions, publish the scores when every check passed.
    this.fraudScoring = new BatchScoringPipeline(this.platform, 'FraudScoring', {
      model,
      image: FRAUD_SERVER_IMAGE,
      schedule: { cron: '0 2 * * *', timeZone: 'Europe/Dublin' },
      ...this.platform.pipelineUris('fraud-scoring'),
      featureReads: [{ store: this.fraudFeatures, groups: ['customer-spend'] }],
    });
    // The baseline the training pipeline made with drift.py baseline, beside the model of the same version.
    const baselineUri = `s3://ml-platform-models-eu-west-1/fraud/${model.version}/baseline.json`;
    // Every hour at :10, the captured requests of the last hour against the baseline; an alarm asks the owner to
    // approve retraining, which puts a "Retraining approved" event on the default bus for the training pipeline's rule.
    this.fraudRequestDrift = new DriftMonitor(this.platform, 'FraudRequestDrift', {
      model, baselineUri, endpoint: this.fraudEndpoint, retraining: { target: 'eventbridge-event' },
    });
    // Every day at 00:10 UTC, the inputs of the day that ended, before the 02:00 run scores them.
    this.fraudInputDrift = new DriftMonitor(this.platform, 'FraudInputDrift', { model, baselineUri, pipeline: this.fraudScoring });
  }
}
