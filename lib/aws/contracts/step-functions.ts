import type { ServiceCallContract } from '../service-contracts';

/**
 * What Step Functions requires of a state machine's role for the calls its states make and for its own logging,
 * and what the services it notifies require of their resource policies.
 */

const LOGS_IAM = 'https://docs.aws.amazon.com/step-functions/latest/dg/cw-logs.html';
const LOGS_KMS = 'https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html';
const LAMBDA_IAM = 'https://docs.aws.amazon.com/step-functions/latest/dg/lambda-iam.html';
const S3_SDK = 'https://docs.aws.amazon.com/AmazonS3/latest/userguide/conditional-writes.html';
const DISTRIBUTED_MAP = 'https://docs.aws.amazon.com/step-functions/latest/dg/iam-policies-eg-dist-map.html';
const EVENTS_SNS = 'https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-use-resource-based.html#eb-sns-permissions';
const CW_NAMESPACE_CONDITION = 'https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/iam-cw-condition-keys-namespace.html';

/** Log delivery to CloudWatch Logs: these actions have no resource type (the Service Authorization Reference). */
export const STATE_MACHINE_LOG_DELIVERY: ServiceCallContract = {
  call: 'logs:CreateLogDelivery (LoggingConfiguration of the state machine)',
  caller: "the state machine's role",
  callerActions: [
    'logs:CreateLogDelivery', 'logs:GetLogDelivery', 'logs:UpdateLogDelivery', 'logs:DeleteLogDelivery', 'logs:ListLogDeliveries',
    'logs:PutResourcePolicy', 'logs:DescribeResourcePolicies', 'logs:DescribeLogGroups',
  ],
  unscopedActions: [
    'logs:CreateLogDelivery', 'logs:GetLogDelivery', 'logs:UpdateLogDelivery', 'logs:DeleteLogDelivery', 'logs:ListLogDeliveries',
    'logs:PutResourcePolicy', 'logs:DescribeResourcePolicies', 'logs:DescribeLogGroups',
  ],
  source: LOGS_IAM,
};

/** A log group encrypted with a customer-managed key: CloudWatch Logs of the region uses the key itself. */
export function logGroupKey(region: string): ServiceCallContract {
  return {
    call: 'CloudWatch Logs writing to a KMS-encrypted log group',
    caller: `logs.${region}.amazonaws.com`,
    callerActions: [],
    resourcePolicy: [{
      resource: 'key',
      principal: `logs.${region}.amazonaws.com`,
      actions: ['kms:Encrypt', 'kms:Decrypt', 'kms:GenerateDataKey'],
      // The page's key policy limits the key to the account's log groups through the encryption context.
      conditionKeys: ['kms:EncryptionContext:aws:logs:arn'],
      source: LOGS_KMS,
    }],
    source: LOGS_KMS,
  };
}

/** The record counter, invoked by the counting child workflows (by ARN, or by a qualified ARN). */
export const INVOKE_RECORD_COUNTER: ServiceCallContract = {
  call: 'lambda:InvokeFunction (record counter)',
  caller: "the state machine's role",
  callerActions: ['lambda:InvokeFunction'],
  source: LAMBDA_IAM,
};

/** FindPublished lists the manifest key, which also returns its ETag for a forced run's `IfMatch`. */
export const FIND_PUBLISHED: ServiceCallContract = {
  call: 's3:ListObjectsV2 (manifest key and ETag)',
  caller: "the state machine's role",
  callerActions: ['s3:ListBucket'],
  source: S3_SDK,
};

/**
 * Publish: PutObject with `IfNoneMatch: *` (a normal run) or `IfMatch: <ETag>` (a forced run). Conditional writes
 * need no permission beyond `s3:PutObject`; a failed precondition answers 412 PreconditionFailed, a concurrent
 * conditional write 409 ConditionalRequestConflict (retry), `IfMatch` on a deleted key 404 NoSuchKey.
 * SSE-KMS writes need the key's GenerateDataKey.
 */
export const PUBLISH_MANIFEST: ServiceCallContract = {
  call: 's3:PutObject with IfNoneMatch / IfMatch (manifest)',
  caller: "the state machine's role",
  callerActions: ['s3:PutObject', 'kms:GenerateDataKey'],
  source: S3_SDK,
};

/** A Distributed Map runs its child workflows as executions of the same state machine and reads its items itself. */
export const DISTRIBUTED_MAP_RUN: ServiceCallContract = {
  call: 'states:StartExecution (Distributed Map child workflows) and s3:ListObjectsV2 (ItemReader)',
  caller: "the state machine's role",
  callerActions: ['states:StartExecution', 'states:DescribeExecution', 'states:StopExecution', 's3:ListBucket'],
  source: DISTRIBUTED_MAP,
};

/** An EventBridge rule publishing to an encrypted topic: the topic policy admits EventBridge, the key policy too. */
export const EVENTS_TO_ENCRYPTED_TOPIC: ServiceCallContract = {
  call: 'sns:Publish by an EventBridge rule target',
  caller: 'events.amazonaws.com',
  callerActions: [],
  resourcePolicy: [
    { resource: 'topic', principal: 'events.amazonaws.com', actions: ['sns:Publish'], source: EVENTS_SNS },
    { resource: 'key', principal: 'events.amazonaws.com', actions: ['kms:Decrypt', 'kms:GenerateDataKey'], source: EVENTS_SNS },
  ],
  source: EVENTS_SNS,
};

/**
 * PutRecordsScored: one datum per published run date. PutMetricData has no resource type; the `cloudwatch:namespace`
 * condition limits the grant to the pipelines' namespace (the condition-key page). The API takes at most 30
 * dimensions per metric, 1,000 metrics per request and dimension values of 1,024 characters, and refuses a namespace
 * that starts with `AWS/` (https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricData.html,
 * API_Dimension.html).
 */
export const PUT_RECORDS_SCORED: ServiceCallContract = {
  call: 'cloudwatch:PutMetricData (records scored of a published run date)',
  caller: "the state machine's role",
  callerActions: ['cloudwatch:PutMetricData'],
  unscopedActions: ['cloudwatch:PutMetricData'],
  callerConditions: { StringEquals: { 'cloudwatch:namespace': 'MlPlatform/BatchScoringPipeline' } },
  limits: { dimensionsPerMetric: 30, metricsPerCall: 1000, dimensionValueLength: 1024 },
  source: CW_NAMESPACE_CONDITION,
};
