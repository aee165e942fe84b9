/**
 * `ml-platform-constructs/testing`: what users need in their own CI, from jest or any test runner. Loads no
 * engine library until a check is called; its declarations name only `constructs`.
 *
 * - `stableSnapshotSerializer`: snapshots that change only when infrastructure does.
 * - `addAwsConformanceChecks` + `synthesizeConforming`: a CDK app checked by aws-cdk-lib's validation, the cdk-nag
 *   packs, AWS Control Tower's controls and a residency policy (optional peers `cdk-nag`, `@cdklabs/cdk-validator-cfnguard`).
 * - `kubernetesConformance` and its parts: objects checked against the kubernetes-models schemas, for unknown
 *   fields, Pod Security Standards `restricted` and this library's hardening (optional peers `kubernetes-models`,
 *   the `@kubernetes-models` CRD packages, `typescript`).
 * - `sbomViolations`: CycloneDX 1.6 strict validation (optional peers `ajv`, `ajv-formats`, `ajv-formats-draft2019`).
 */
export { SNAPSHOT_MASKS, stableSnapshotSerializer, type SnapshotSerializer } from '../lib/testing/snapshot-serializer';
export {
  addAwsConformanceChecks, ConformanceError, synthesizeConforming, type AwsConformanceOptions, type ConformanceFinding,
} from '../lib/testing/aws-conformance';
export {
  hardeningViolations, kubernetesConformance, podSecurityViolations, schemaViolations, unknownFieldViolations, type KubeObject,
} from '../lib/testing/k8s-conformance';
export { sbomViolations } from '../lib/testing/sbom-validation';
export type { Residency } from '../lib/core/residency';
