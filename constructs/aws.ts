/**
 * `ml-platform-constructs/aws`: the ML platform on AWS, as aws-cdk-lib constructs.
 * Loads aws-cdk-lib, never cdk8s or Pulumi.
 */
export * from '../lib/core';
export * from '../lib/aws';
export * from './canary-endpoint/plan';
export * from './canary-endpoint/aws';
export * from './batch-scoring-pipeline/plan';
export * from './batch-scoring-pipeline/aws';
