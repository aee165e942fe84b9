/**
 * `ml-platform-constructs/k8s`: the ML platform on Kubernetes, as cdk8s constructs.
 * Loads cdk8s and cdk8s-plus-28, never aws-cdk-lib or Pulumi.
 */
export * from '../lib/core';
export * from '../lib/k8s';
export * from './canary-endpoint/plan';
export * from './canary-endpoint/k8s';
export * from './batch-scoring-pipeline/plan';
export * from './batch-scoring-pipeline/k8s';
