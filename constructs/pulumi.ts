/**
 * `ml-platform-constructs/pulumi`: the Kubernetes flavor as Pulumi components, rendering the cdk8s
 * constructs and handing their objects to `@pulumi/kubernetes`. Never loads aws-cdk-lib.
 */
export * from '../lib/core';
export * from '../lib/pulumi';
export * from './canary-endpoint/plan';
export * from './canary-endpoint/pulumi';
export * from './batch-scoring-pipeline/plan';
export * from './batch-scoring-pipeline/pulumi';
