/**
 * `ml-platform-constructs/aws`: the ML platform on AWS, as aws-cdk-lib constructs.
 * Loads aws-cdk-lib, never cdk8s or Pulumi. The exports are listed by name (see constructs/core.ts).
 */
export * from './core';
export { applyResidency } from '../lib/aws/residency';
export { DataBucket, type DataBucketProps } from '../lib/aws/data-bucket';
export { EncryptionKey, type EncryptionKeyProps } from '../lib/aws/encryption-key';
export { gateAlarm, type GateAlarmProps } from '../lib/aws/alarms';
export { OwnerNotifications, type OwnerNotificationsProps, type TopicPublisher } from '../lib/aws/owner-notifications';
export type { ResourcePolicyRequirement, ServiceCallContract } from '../lib/aws/service-contracts';
export type { TrustedServiceName } from '../lib/aws/service-principals';
export { SageMakerExecutionRole, type SageMakerExecutionRoleProps } from '../lib/aws/sagemaker-execution';
export { StackSbom } from '../lib/aws/stack-sbom';
export type { CanaryAutoscalingOptions, CanaryEndpointPlan, CanaryEndpointPlanProps, RollbackGateOptions, ShadowVariantOptions, TrafficShiftKind, TrafficShiftOptions, TrafficStep } from './canary-endpoint/plan';
export { CanaryEndpoint, type CanaryEndpointProps, type DataCaptureOptions } from './canary-endpoint/aws';
export type { RollbackExposure } from './canary-endpoint/aws-gates';
export type { BatchRetryOptions, BatchScheduleOptions, BatchScoringPipelinePlan, BatchScoringPipelinePlanProps, BatchValidationOptions, S3Prefix } from './batch-scoring-pipeline/plan';
export { BatchScoringPipeline, type BatchScoringPipelineProps } from './batch-scoring-pipeline/aws';
export type {
  EntitySpec, FeatureGroupSpec, FeatureSpec, FeatureTtl, FeatureTtlUnit, FeatureValueType,
} from './feature-store/definitions';
export type { FeatureStorePlan, FeatureStorePlanProps, PlannedFeature, PlannedFeatureGroup } from './feature-store/plan';
export { FeatureSchemaLock, type LockedGroupSchema, type SchemaLockContent } from './feature-store/schema-lock';
export { FeatureStore, type FeatureStoreProps } from './feature-store/aws';
export { type TrainingSetSpec, TrainingSetWorkflow, type TrainingSetWorkflowProps } from './feature-store/aws-training-set';
export type { FeatureGroupSource, FeatureReads } from '../lib/aws/feature-reads';
export type { MlPlatformPlan, MlPlatformPlanProps } from './ml-platform/plan';
export { MlPlatform, type MlPlatformProps } from './ml-platform/aws';
export type { AwsPlatformServices } from '../lib/aws/platform-services';
export { PlatformCloudWatchDashboard, type PlatformCloudWatchDashboardProps } from '../lib/aws/cloudwatch-dashboard';
export type { DriftDataFormat, DriftMonitorPlan, DriftMonitorPlanProps, DriftSourceKind, DriftSourceOptions, DriftThresholdOptions, FeatureThresholds, RetrainingOptions, RetrainingTargetKind } from './drift-monitor/plan';
export { DriftMonitor, type DriftMonitorProps } from './drift-monitor/aws';
export { RetrainingGate, type RetrainingGateProps, type RetrainingTargets } from './drift-monitor/aws-retraining';
export type { EdgeHealthGateOptions, EdgeOtaFleetPlan, EdgeOtaFleetPlanProps, EdgeRolloutOptions, EdgeWave, EdgeWaveSize } from './edge-ota-fleet/plan';
export { EdgeOtaFleet, type EdgeOtaFleetProps } from './edge-ota-fleet/aws';
