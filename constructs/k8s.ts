/**
 * `ml-platform-constructs/k8s`: the ML platform on Kubernetes, as cdk8s constructs.
 * Loads cdk8s and cdk8s-plus-28, never aws-cdk-lib or Pulumi. The exports are listed by name (see constructs/core.ts).
 */
export * from './core';
export { applyResidency } from '../lib/k8s/residency';
export { AppSbom, PlatformApp } from '../lib/k8s/app-sbom';
export { hardenedContainer, type ContainerSize, type HardenedContainerOptions } from '../lib/k8s/hardened-container';
export { hardenedPodProps, hardenWorkload } from '../lib/k8s/hardened-workload';
export { NamespaceBaseline, type NamespaceBaselineProps } from '../lib/k8s/namespace-baseline';
export type { CanaryAutoscalingOptions, CanaryEndpointPlan, CanaryEndpointPlanProps, RollbackGateOptions, ShadowVariantOptions, TrafficShiftKind, TrafficShiftOptions, TrafficStep } from './canary-endpoint/plan';
export { CanaryEndpoint, type CanaryEndpointProps, type CanaryTrafficRouting, type RolloutTiming, type ServerMetricNames } from './canary-endpoint/k8s';
export { KUBE_PROMETHEUS_STACK } from '../lib/k8s/prometheus';
export type { BatchRetryOptions, BatchScheduleOptions, BatchScoringPipelinePlan, BatchScoringPipelinePlanProps, BatchValidationOptions, S3Prefix } from './batch-scoring-pipeline/plan';
export { BATCH_BAD_INPUT_EXIT_CODE, BatchScoringPipeline, type BatchJobHistoryLimits, type BatchScoringPipelineProps } from './batch-scoring-pipeline/k8s';
export type {
  EntitySpec, FeatureGroupSpec, FeatureSpec, FeatureTtl, FeatureTtlUnit, FeatureValueType,
} from './feature-store/definitions';
export type { FeatureStorePlan, FeatureStorePlanProps, PlannedFeature, PlannedFeatureGroup } from './feature-store/plan';
export { FeatureSchemaLock, type LockedGroupSchema, type SchemaLockContent } from './feature-store/schema-lock';
export { FeatureStore, type FeatureStoreProps, type FeastMaterializationOptions, type FeastRedisOptions } from './feature-store/k8s';
export type { MlPlatformPlan, MlPlatformPlanProps } from './ml-platform/plan';
export type { K8sPlatformServices } from '../lib/k8s/platform-services';
export { MlPlatform, type MlPlatformProps, type PlatformPrometheusOptions } from './ml-platform/k8s';
export type { EdgeHealthGateOptions, EdgeOtaFleetPlan, EdgeOtaFleetPlanProps, EdgeRolloutOptions, EdgeWave, EdgeWaveSize } from './edge-ota-fleet/plan';
export { EdgeOtaFleet, type EdgeApplicationSource, type EdgeCluster, type EdgeOtaFleetProps } from './edge-ota-fleet/k8s';
export type {
  DriftDataFormat, DriftMonitorPlan, DriftMonitorPlanProps, DriftSourceKind, DriftSourceOptions, DriftThresholdOptions, FeatureThresholds,
  RetrainingOptions, RetrainingTargetKind,
} from './drift-monitor/plan';
export {
  DRIFT_K8S_IMAGES, DriftMonitor, type DriftMonitorOptions, type DriftMonitorProps, type KubernetesRetrainingOptions, type ObjectStoreOptions,
  type RetrainingJobTemplate,
} from './drift-monitor/k8s';
export { DRIFT_ALERTS } from './drift-monitor/k8s-alert-names';
export { DRIFT_METRIC_LABELS, DRIFT_METRICS, DRIFT_STATUS_CODES, type DriftMetricName } from './drift-monitor/metrics';
export { PROMETHEUS_PUSHGATEWAY_ADDRESS } from '../lib/k8s/prometheus';
