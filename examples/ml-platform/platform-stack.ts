import { Duration, Stack, type StackProps } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type { Construct } from 'constructs';
import {
  BatchScoringPipeline, CanaryEndpoint, ContainerImage, DriftMonitor, EdgeOtaFleet, FeatureStore, gateAlarm, MlPlatform, Residency,
} from '../../constructs/aws';
import { FRAUD_ENTITIES, FRAUD_FEATURE_GROUPS, FRAUD_FEATURE_STORE } from '../shared/fraud-features';
import { FRAUD_ML_OWNER, FRAUD_PLATFORM_NAME } from '../shared/fraud-ml-owner';
import { FRAUD_MODEL_VERSION, fraudModel } from '../shared/fraud-model';

/** Props for the example platform stack. */
export interface PlatformStackProps extends StackProps {
  /**
   * The version of the fraud model to serve; a new version reaches users through the endpoint's canary and the
   * retail devices through the fleet's waves.
   * @default "1.4.0"
   */
  readonly fraudModelVersion?: string;
  /**
   * The SHA-256 of that version's model file, for a version `FRAUD_MODEL_SHA256` (examples/shared/fraud-model.ts) does not list.
   * @default - the digest `FRAUD_MODEL_SHA256` records for the version
   */
  readonly fraudModelSha256?: string;
}

/** The thing groups of the retail stores' Greengrass core devices, in rollout order: the canary stores first. */
export const RETAIL_DEVICE_GROUPS = ['retail-canary', 'retail-eu-1', 'retail-eu-2', 'retail-eu-3'];

/** The serving image of the fraud model, pinned by digest. */
export const FRAUD_SERVER_IMAGE = ContainerImage.fromDigest(
  '123456789012.dkr.ecr.eu-west-1.amazonaws.com/ml/fraud-server@sha256:3b5f1c2a9d8e7f6041a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f708',
);

/**
 * The example ML platform: an `MlPlatform` (one key, one data bucket, the owner's topic, the dashboard, the catalog
 * and diagram, EU residency), the fraud model served through a canary endpoint, the same model scoring
 * yesterday's transactions every night, drift monitors on the endpoint's captured requests and the nightly inputs,
 * and the same model rolled out over the air to the retail stores' devices in waves.
 */
export class PlatformStack extends Stack {
  public readonly platform: MlPlatform;
  public readonly fraudEndpoint: CanaryEndpoint;
  public readonly fraudScoring: BatchScoringPipeline;
  public readonly fraudFeatures: FeatureStore;
  public readonly fraudRequestDrift: DriftMonitor;
  public readonly fraudInputDrift: DriftMonitor;
  public readonly fraudDeviceErrors: cloudwatch.Alarm;
  public readonly fraudDevices: EdgeOtaFleet;

  public constructor(scope: Construct, id: string, props: PlatformStackProps) {
    super(scope, id, props);
    // Data stays in EU member states; synthesis fails for any resource of the platform that would leave them.
    this.platform = new MlPlatform(this, 'Platform', {
      platformName: FRAUD_PLATFORM_NAME,
      residency: Residency.EU,
      owner: FRAUD_ML_OWNER,
      keyAlias: 'alias/ml-platform/data',
    });
    const model = fraudModel(props.fraudModelVersion ?? FRAUD_MODEL_VERSION, props.fraudModelSha256);
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
    // The stores' devices report their inference error rate (errors per 100 scored payments) every 5 minutes through
    // Greengrass's aws.greengrass.Cloudwatch component; more than 2 % in two of three periods trips the fleet's gate
    // (seen at most two periods, 10 minutes, after the devices start failing: the gate's detection delay below).
    this.fraudDeviceErrors = gateAlarm(this.platform, 'FraudDeviceInferenceErrors', {
      metric: new cloudwatch.Metric({
        namespace: 'FraudEdge', metricName: 'InferenceErrorRate', statistic: 'Maximum', period: Duration.minutes(5),
      }),
      threshold: 2,
      description: 'Fraud model on the retail devices: more than 2 % of on-device inferences failed; the edge rollout stops and reverts.',
      runbook: 'edge-ota-fleet/on-device-errors',
    });
    // Failing devices page the owner also between rollouts (an input drift the model cannot handle, a bad device image).
    this.platform.notifications.notifyOn(this.fraudDeviceErrors);
    // The same model on the stores' Greengrass core devices, a new version in waves of thing groups. Defaults: the
    // canary group (one target, the smallest that proves the install on real devices), then 10 % and the rest (each
    // wave about three times the one before), a 60-minute bake (hourly device metrics report at least once), a gate
    // at 5 % failed updates (above flaky-device noise) with half the wave reported (fewer is no evidence: halt, not
    // revert), 10 devices per minute doubling per 10 successes up to 100, a 60-minute install timeout (a slow link).
    // A bad version reaches at most the canary and one wave (3 of 4 groups), each for at most 130 minutes (install
    // timeout, bake and the alarm's 10-minute detection delay).
    this.fraudDevices = new EdgeOtaFleet(this.platform, 'FraudDevices', {
      model,
      targets: RETAIL_DEVICE_GROUPS,
      // The team's runtime component (Python 3.11 with xgboost 2.1.1 and the fraud_edge package), pinned: the
      // smoke test and the server below run on it.
      runtime: { componentName: 'com.example.fraud.XgboostRuntime', version: '2.1.1' },
      // One inference on a recorded payment with the new model ($MODEL_PATH): a non-zero exit rolls the device back.
      smokeTestCommand: 'python3 -m fraud_edge.smoke --model "$MODEL_PATH"',
      runCommand: 'python3 -m fraud_edge.serve --model "$MODEL_PATH"',
      alarms: [this.fraudDeviceErrors],
      healthGate: { detectionDelayMinutes: 10 },
    });
  }
}
