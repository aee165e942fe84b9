import { Chart } from 'cdk8s';
import type { Construct } from 'constructs';
import {
  BatchScoringPipeline, type BatchScoringPipelineProps, CanaryEndpoint, type CanaryEndpointProps, ContainerImage, DriftMonitor,
  type DriftSourceOptions, EdgeOtaFleet, type EdgeOtaFleetProps, FeatureStore, type FeatureStoreProps, type KubernetesRetrainingOptions,
  MlPlatform, Residency,
} from '../../constructs/k8s';
import { FRAUD_ENTITIES, FRAUD_FEATURE_GROUPS, FRAUD_FEATURE_STORE } from '../shared/fraud-features';
import { FRAUD_ML_OWNER, FRAUD_PLATFORM_NAME } from '../shared/fraud-ml-owner';
import { fraudModel } from '../shared/fraud-model';

/** The namespace of the example platform. */
export const NAMESPACE = 'ml-platform';

/** The fraud model endpoint of the example platform: the Kubernetes twin of the AWS example's endpoint. */
export const FRAUD_ENDPOINT: CanaryEndpointProps = {
  name: 'fraud',
  model: fraudModel(),
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

/** The training baseline of the served fraud model (made by `drift.py baseline` from its training data). */
export const FRAUD_BASELINE_URI = `s3://ml-platform-models-eu-west-1/fraud/${FRAUD_ENDPOINT.model.version}/baseline.json`;

/** Where the fraud server writes the requests it captures, in SageMaker's data-capture layout and format. */
export const FRAUD_CAPTURE_URI = 's3://ml-platform-data-eu-west-1/fraud/data-capture/';

/** The retraining an alarm on the fraud requests asks for: a suspended Job running the training image, approved with kubectl. */
export const FRAUD_RETRAINING: KubernetesRetrainingOptions = {
  target: 'kubernetes-job',
  jobTemplate: {
    image: ContainerImage.fromDigest('123456789012.dkr.ecr.eu-west-1.amazonaws.com/ml/fraud-train@sha256:8d3e5f7a9b1c2d4e6f8091a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6'),
    args: ['--train-from', 's3://ml-platform-data-eu-west-1/fraud/transactions/', '--publish-to', 's3://ml-platform-models-eu-west-1/fraud/'],
    // Annotated with the training role (IRSA), which reads the transactions and writes the models.
    serviceAccountName: 'fraud-training',
    resources: { cpuMillis: 2000, cpuLimitMillis: 4000, memoryMebibytes: 8192 },
  },
};

/** The drift monitor of the fraud requests: hourly, retraining behind approval. Its data: the endpoint's capture. */
export const FRAUD_REQUEST_DRIFT = { name: 'fraud-request-drift', model: FRAUD_ENDPOINT.model, baselineUri: FRAUD_BASELINE_URI, retraining: FRAUD_RETRAINING };

/** The drift monitor of the nightly inputs: daily. Its data: the pipeline's inputs. */
export const FRAUD_INPUT_DRIFT = { name: 'fraud-input-drift', model: FRAUD_ENDPOINT.model, baselineUri: FRAUD_BASELINE_URI };

/** The monitors' data as prefixes, for the Pulumi program (its components take no cdk8s constructs). */
export const FRAUD_DRIFT_SOURCES: Readonly<Record<'requests' | 'inputs', DriftSourceOptions>> = {
  requests: { kind: 'endpoint-capture', uri: FRAUD_CAPTURE_URI, endpointName: 'fraud' },
  inputs: { kind: 'pipeline-inputs', uri: FRAUD_SCORING.inputUri },
};

/** The fraud features through the Feast operator: Redis by Secret, materialized hourly. */
export const FRAUD_FEATURES: FeatureStoreProps = {
  storeName: FRAUD_FEATURE_STORE,
  entities: FRAUD_ENTITIES,
  featureGroups: FRAUD_FEATURE_GROUPS,
  // The Secret holds Feast's Redis settings (connection_string with TLS and password); the Redis is the team's managed one.
  onlineStore: { secretName: 'fraud-features-redis' },
};

/** The stores' clusters in rollout order, the canary store first; each is registered in Argo CD with the fleet's label. */
export const STORE_CLUSTERS = ['store-canary', ...Array.from({ length: 9 }, (_, index) => `store-eu-${index + 1}`)];

/**
 * The fraud model on the stores' edge clusters: an Argo CD ApplicationSet rolling the store manifests out in waves of
 * clusters. Each cluster serves the model through the fraud endpoint's Rollout (the cdk8s output of a chart holding
 * `FRAUD_ENDPOINT`, committed under dist/store), so a bad version aborts inside the cluster and halts the waves.
 */
export const FRAUD_STORES: EdgeOtaFleetProps = {
  name: 'fraud-stores',
  model: FRAUD_ENDPOINT.model,
  clusters: STORE_CLUSTERS.map((name) => ({ name, labels: { 'ml-platform/fleet': 'fraud-stores' } })),
  source: {
    repoURL: 'https://git.example.com/ml/fraud-edge.git',
    path: 'dist/store',
    // Commits, not a branch: the stores run exactly what was reviewed, and the Degraded page's runbook gives the
    // command that pins the ApplicationSet back to the commit the stores ran before (the fleet-level revert).
    targetRevision: '5d41402abc4b2a76b9719d911017c592ae3f2c1b',
    lastKnownGoodRevision: '7c4a8d09ca3762af61e59520943dc26494f8941b',
  },
};

/**
 * The example Kubernetes ML platform: an `MlPlatform` (the namespace that enforces PSS `restricted` and denies traffic
 * by default, EU residency, the owner on every alert, the Grafana dashboard, the catalog and diagram), the fraud model
 * served through an Argo Rollouts canary, the same model scoring the previous day's transactions every night, the
 * same model rolled out to the stores' edge clusters in waves, and drift monitors on its captured requests and the
 * nightly inputs.
 */
export class PlatformChart extends Chart {
  public readonly platform: MlPlatform;
  public readonly fraudEndpoint: CanaryEndpoint;
  public readonly fraudScoring: BatchScoringPipeline;
  public readonly fraudFeatures: FeatureStore;
  public readonly fraudStores: EdgeOtaFleet;
  public readonly fraudRequestDrift: DriftMonitor;
  public readonly fraudInputDrift: DriftMonitor;

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
    // Defaults: the canary store (one cluster, the smallest that proves the model on a real store), then 10 % and
    // 30 % of the clusters and the rest (each wave about three times the one before; RollingSync starts a wave when
    // every Application of the one before is Healthy), at most 10 clusters of a wave syncing at once (the base rate).
    // A bad version reaches at most the canary and the last wave (6 of 10 clusters), where each cluster's Rollout
    // aborts it on its own analysis.
    this.fraudStores = new EdgeOtaFleet(this.platform, 'FraudStores', FRAUD_STORES);
    // Every hour at :10 UTC, the captured requests of the last hour against the baseline; an alarm opens one suspended
    // retraining Job for the model, which the owner approves with kubectl patch (spec.suspend: false).
    this.fraudRequestDrift = new DriftMonitor(this.platform, 'FraudRequestDrift', {
      ...FRAUD_REQUEST_DRIFT, endpoint: this.fraudEndpoint, captureUri: FRAUD_CAPTURE_URI,
    });
    // Every day at 00:10 UTC, the inputs of the day that ended, before the 02:00 run scores them.
    this.fraudInputDrift = new DriftMonitor(this.platform, 'FraudInputDrift', { ...FRAUD_INPUT_DRIFT, pipeline: this.fraudScoring });
  }
}
