// The Kubernetes conformance checks ship with the library (`ml-platform-constructs/testing`); the repository's tests use the same code.
export {
  hardeningViolations, kubernetesConformance, podSecurityViolations, podSpecs, schemaViolations, unknownFieldViolations, type KubeObject,
} from '../../lib/testing/k8s-conformance';
