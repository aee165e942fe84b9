import { Token } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import type { BatchScoringPipelineProps } from './aws';
import { type BatchScoringPipelinePlan, BATCH_RESERVED_ENVIRONMENT, RUN_LAYOUT } from './plan';
import { AWS_KINDS, checkContainerLimits, SAGEMAKER_CONTAINER_LIMITS } from '../../lib/aws';
import { PropChecks } from '../../lib/core';

/** The AWS-only settings of a pipeline, checked. */
export interface BatchAwsSettings {
  readonly instanceType: string;
  readonly maxPayloadMb: number;
  readonly batchStrategy: 'MultiRecord' | 'SingleRecord';
  readonly splitType: 'Line' | 'None' | 'RecordIO' | 'TFRecord';
}

const INSTANCE_TYPE = /^ml\.[a-z0-9-]+\.[a-z0-9]+$/;
// The longest run date and run id the layout writes: YYYY-MM-DD and eight hex characters.
const SAMPLE_RUN_DATE = '2026-01-01';
const SAMPLE_RUN_ID = '0123abcd';

/**
 * The type and value checks of the AWS-only props of `BatchScoringPipeline`, and the limits of the SageMaker
 * jobs the plan's environment and prefixes reach (CreateTransformJob; CreateProcessingJob for the validator,
 * whose prefixes arrive as environment values of at most 256 characters).
 */
export function checkBatchAwsProps(scope: IConstruct, props: BatchScoringPipelineProps, plan: BatchScoringPipelinePlan): BatchAwsSettings {
  const checks = new PropChecks(scope);
  if (props.notifications !== undefined) {
    checks.kind('notifications', props.notifications, AWS_KINDS.notifications);
  }
  if (props.encryptionKey !== undefined) {
    checks.kind('encryptionKey', props.encryptionKey, AWS_KINDS.key);
  }
  if (props.scheduleEnabled !== undefined) {
    checks.boolean('scheduleEnabled', props.scheduleEnabled);
  }
  // A general-purpose CPU instance with 16 GiB for tabular models.
  const instanceType = checks.string('instanceType', props.instanceType ?? 'ml.m5.xlarge', {
    pattern: INSTANCE_TYPE, allowed: 'a SageMaker instance type such as "ml.m5.xlarge"', fix: 'use an ml.* instance type',
  });
  // SageMaker's default, below the 6 MB a real-time invocation takes, so the same server works for both.
  const maxPayloadMb = checks.number('maxPayloadMb', props.maxPayloadMb ?? 6, {
    min: 1, max: 100, why: 'SageMaker\'s MaxPayloadInMB; 0 means chunked requests few containers accept', deployTime: 'the transform task checks it at synthesis',
  });
  const batchStrategy = checks.oneOf('batchStrategy', props.batchStrategy ?? 'MultiRecord', ['MultiRecord', 'SingleRecord'] as const);
  const splitType = checks.oneOf('splitType', props.splitType ?? 'Line', ['Line', 'None', 'RecordIO', 'TFRecord'] as const);
  if (batchStrategy === 'MultiRecord' && splitType === 'None') {
    checks.fail('batchStrategy', batchStrategy, 'SingleRecord when splitType is "None" (SageMaker batches records only when it can split them)',
      'set batchStrategy "SingleRecord", or a splitType of "Line", "RecordIO" or "TFRecord"');
  }
  for (const [prop, location] of [['inputUri', plan.input], ['outputUri', plan.output]] as const) {
    // aws-cdk-lib's bucket-name check (s3.Bucket.validateBucketName) also refuses a period next to a hyphen, an older
    // S3 rule for names used in virtual-hosted URLs; a name it refuses could not be imported into the stack.
    if (!Token.isUnresolved(location.bucket) && /\.-|-\./.test(location.bucket)) {
      checks.fail(prop, `s3://${location.bucket}/${location.prefix}`, 'a bucket name without a period next to a hyphen (aws-cdk-lib refuses "-." and ".-")',
        'use the bucket\'s real name; rename buckets with "-." or ".-"');
    }
  }
  checkContainerLimits(scope, { environment: plan.environment, environmentProp: 'environment' }, SAGEMAKER_CONTAINER_LIMITS.createTransformJob);
  if (plan.validatorImage) {
    const runContract = Object.fromEntries(BATCH_RESERVED_ENVIRONMENT.filter((name) => ['RUN_DATE', 'RUN_ID', 'INPUT_PREFIX', 'OUTPUT_PREFIX'].includes(name))
      .map((name) => [name, '']));
    checkContainerLimits(scope, {
      environment: {
        ...plan.environment,
        ...runContract,
        RUN_DATE: SAMPLE_RUN_DATE,
        RUN_ID: SAMPLE_RUN_ID,
        INPUT_PREFIX: knownUri(plan.input.bucket, RUN_LAYOUT.inputPrefix(plan.input, SAMPLE_RUN_DATE)),
        OUTPUT_PREFIX: knownUri(plan.output.bucket, RUN_LAYOUT.runPrefix(plan.output, SAMPLE_RUN_DATE, SAMPLE_RUN_ID)),
      },
      environmentProp: 'environment',
      derivedFrom: { RUN_DATE: 'schedule', RUN_ID: 'schedule', INPUT_PREFIX: 'inputUri', OUTPUT_PREFIX: 'outputUri' },
      image: plan.validatorImage.reference,
      imageProp: 'validation.validatorImage',
    }, SAGEMAKER_CONTAINER_LIMITS.createProcessingJob);
  }
  return { instanceType, maxPayloadMb, batchStrategy, splitType };
}

/** An `s3://` URI, or the key alone when the bucket is known only at deployment (at most 63 characters more). */
function knownUri(bucket: string, key: string): string {
  return Token.isUnresolved(bucket) ? `s3://${'b'.repeat(63)}/${key}` : `s3://${bucket}/${key}`;
}
