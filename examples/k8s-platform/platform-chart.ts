import { Chart } from 'cdk8s';
import type { Construct } from 'constructs';
import {
  BatchScoringPipeline, type BatchScoringPipelineProps, CanaryEndpoint, type CanaryEndpointProps, ContainerImage, FeatureStore,
  type FeatureStoreProps, MlPlatform, ModelArtifact, Residency,
} from '../../constructs/k8s';
import { FRAUD_ENTITIES, FRAUD_FEATURE_GROUPS, FRAUD_FEATURE_STORE } from '../shared/fraud-features';
import { FRAUD_ML_OWNER, FRAUD_PLATFORM_NAME } from '../shared/fraud-ml-owner';

/** The namespace of the example platform. */
export const NAMESPACE = 'ml-platform';

/** The fraud model endpoint of the example platform: the Kubernetes twin of the AWS example's endpoint. */
export const FRAUD_ENDPOINT: CanaryEndpointProps = {
  name: 'fraud',
  model: ModelArtifact.fromUri('s3://ml-platform-models-eu-west-1/fraud/1.4.0/model.tar.gz', { name: 'fraud', version: '1.4.0', framework: 'xgboost' }),
  image: ContainerImage.fromDigest('123456789012.dkr.ecr.eu-west-1.amazonaws.com/ml/fraud-server@sha256:3b5f1c2a9d8e7f6041a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f708'),
};

/** Nightly batch scoring of the previous day's transactions with the served fraud model and image. */
export const FRAUD_SCORING: BatchScoringPipelineProps = {
  name: 'fraud-scoring',
  model: FRAUD_ENDPOINT.model,
  image: FRAUD_ENDPOINT.image,
  // 02:00 Dublin time, once the previous day's transactions have landed.
  schedule: { cron: '0 2 * * *', timeZone: 'Europe/Dublin' },
  inputUri: 's3://ml-platform-data-eu-west-1/fraud/transactions/',
  outputUri: 's3://ml-platform-data-eu-west-1/fraud/scores/',
};

/** The fraud features through the Feast operator: Redis by Secret, materialized hourly. */
export const FRAUD_FEATURES: FeatureStoreProps = {
  storeName: FRAUD_FEATURE_STORE,
  entities: FRAUD_ENTITIES,
  featureGroups: FRAUD_FEATURE_GROUPS,
  // The Secret holds Feast's Redis settings (connection_string with TLS and password); the Redis is the team's managed one.
  onlineStore: { secretName: 'fraud-features-redis' },
};

/**
 * The example Kubernetes ML platform: an `MlPlatform` (the namespace that enforces PSS `restricted` and denies traffic
 * by default, EU residency, the owner on every alert, the Grafana dashboard, the catalog and diagram), the fraud model
 * served through an Argo Rollouts canary, and the same model scoring the previous day's transactions every night.
 */
export class PlatformChart extends Chart {
  public readonly platform: MlPlatform;
  public readonly fraudEndpoint: CanaryEndpoint;
  public readonly fraudScoring: BatchScoringPipeline;
  public readonly fraudFeatures: FeatureStore;

  public constructor(scope: Construct, id: string) {
    super(scope, id, { namespace: NAMESPACE });
    // Pods are pinned to nodes in EU member-state regions (label topology.kubernetes.io/region).
    this.platform = new MlPlatform(this, 'Platform', { platformName: FRAUD_PLATFORM_NAME, residency: Residency.EU, owner: FRAUD_ML_OWNER });
    // Defaults: a 10 % canary paused 10 minutes, abort on > 1 % 5xx or p99 > 1 s, 2-4 replicas.
    this.fraudEndpoint = new CanaryEndpoint(this.platform, 'FraudEndpoint', FRAUD_ENDPOINT);
    // Defaults: 2 shards, 3 attempts per shard, a 4-hour run timeout, published only when record counts match exactly.
    this.fraudScoring = new BatchScoringPipeline(this.platform, 'FraudScoring', FRAUD_SCORING);
    // The fraud features, checked against feature-store.lock.json like the AWS example's.
    this.fraudFeatures = new FeatureStore(this.platform, 'FraudFeatures', FRAUD_FEATURES);
  }
}
