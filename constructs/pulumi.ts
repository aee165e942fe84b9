/**
 * `ml-platform-constructs/pulumi`: the Kubernetes flavor as Pulumi components, rendering the cdk8s
 * constructs and handing their objects to `@pulumi/kubernetes`. Never loads aws-cdk-lib.
 * The exports are listed by name (see constructs/core.ts); each component takes `XxxArgs`: the cdk8s flavor's
 * `XxxProps` plus `namespace` and `residency`.
 */
export * from './core';
export { KubernetesComponent, renderChart, type KubernetesComponentOptions, type KubernetesPlacementArgs } from '../lib/pulumi/chart-bridge';
export { NamespaceBaseline, type NamespaceBaselineArgs } from '../lib/pulumi/namespace-baseline';
export type { NamespaceBaselineProps } from '../lib/k8s/namespace-baseline';
export type { ContainerSize } from '../lib/k8s/hardened-container';
export type { CanaryAutoscalingOptions, CanaryEndpointPlan, CanaryEndpointPlanProps, RollbackGateOptions, ShadowVariantOptions, TrafficShiftKind, TrafficShiftOptions, TrafficStep } from './canary-endpoint/plan';
export type { CanaryEndpointProps, CanaryTrafficRouting, ServerMetricNames } from './canary-endpoint/k8s';
export { CanaryEndpoint, type CanaryEndpointArgs } from './canary-endpoint/pulumi';
export type { BatchRetryOptions, BatchScheduleOptions, BatchScoringPipelinePlan, BatchScoringPipelinePlanProps, BatchValidationOptions, S3Prefix } from './batch-scoring-pipeline/plan';
export { BATCH_BAD_INPUT_EXIT_CODE, type BatchJobHistoryLimits, type BatchScoringPipelineProps } from './batch-scoring-pipeline/k8s';
export { BatchScoringPipeline, type BatchScoringPipelineArgs } from './batch-scoring-pipeline/pulumi';
export type {
  EntitySpec, FeatureGroupSpec, FeatureSpec, FeatureTtl, FeatureTtlUnit, FeatureValueType,
} from './feature-store/definitions';
export type { FeatureStorePlan, FeatureStorePlanProps, PlannedFeature, PlannedFeatureGroup } from './feature-store/plan';
export { FeatureSchemaLock, type LockedGroupSchema, type SchemaLockContent } from './feature-store/schema-lock';
export type { FeatureStoreProps, FeastMaterializationOptions, FeastRedisOptions } from './feature-store/k8s';
export { FeatureStore, type FeatureStoreArgs } from './feature-store/pulumi';
export type { MlPlatformPlan, MlPlatformPlanProps } from './ml-platform/plan';
export type { KubernetesPlatformHost } from '../lib/pulumi/platform-host';
export type { PlatformPrometheusOptions } from './ml-platform/k8s';
export { MlPlatform, type MlPlatformArgs } from './ml-platform/pulumi';
export type { EdgeHealthGateOptions, EdgeOtaFleetPlan, EdgeOtaFleetPlanProps, EdgeRolloutOptions, EdgeWave, EdgeWaveSize } from './edge-ota-fleet/plan';
export type { EdgeApplicationSource, EdgeCluster, EdgeOtaFleetProps } from './edge-ota-fleet/k8s';
export { EdgeOtaFleet, type EdgeOtaFleetArgs } from './edge-ota-fleet/pulumi';
export type {
  DriftDataFormat, DriftMonitorPlan, DriftMonitorPlanProps, DriftSourceKind, DriftSourceOptions, DriftThresholdOptions, FeatureThresholds,
  RetrainingOptions, RetrainingTargetKind,
} from './drift-monitor/plan';
export type { DriftMonitorOptions, KubernetesRetrainingOptions, ObjectStoreOptions, RetrainingJobTemplate } from './drift-monitor/k8s-props';
export { DriftMonitor, type DriftMonitorArgs } from './drift-monitor/pulumi';
