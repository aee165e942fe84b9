import type { ServiceCallContract } from '../service-contracts';

/**
 * What the services require of a `DriftMonitor`'s calls: the comparison function reading the window and writing the
 * report and metrics, the schedule invoking it, the function asking for retraining, and the approval state machine
 * asking the owner and starting the retraining target.
 */

const S3_LIST = 'https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListObjectsV2.html';
const S3_GET = 'https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetObject.html';
const S3_KMS = 'https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingKMSEncryption.html';
const CW_NAMESPACE = 'https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/iam-cw-condition-keys-namespace.html';
const SCHEDULER_ROLE = 'https://docs.aws.amazon.com/scheduler/latest/UserGuide/setting-up.html#setting-up-execution-role';
const SFN_START = 'https://docs.aws.amazon.com/step-functions/latest/apireference/API_StartExecution.html';
const SFN_LIST = 'https://docs.aws.amazon.com/step-functions/latest/apireference/API_ListExecutions.html';
const SFN_SNS = 'https://docs.aws.amazon.com/step-functions/latest/dg/connect-sns.html';
const SNS_SSE = 'https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html';
const SFN_SAGEMAKER = 'https://docs.aws.amazon.com/step-functions/latest/dg/sagemaker-iam.html';
const SFN_STATES = 'https://docs.aws.amazon.com/step-functions/latest/dg/stepfunctions-iam.html';
const SFN_EVENTS = 'https://docs.aws.amazon.com/step-functions/latest/dg/connect-eventbridge.html';

/** The window's objects: listed under each window prefix, then read; SSE-KMS objects are decrypted with the key. */
export const DRIFT_READ_WINDOW: ServiceCallContract = {
  call: 's3:ListObjectsV2 and s3:GetObject (the window and the baseline)',
  caller: "the comparison function's role",
  callerActions: ['s3:ListBucket', 's3:GetObject', 'kms:Decrypt'],
  source: `${S3_LIST} ${S3_GET}`,
};

/** The report (and the evidence of an open request): PutObject, SSE-KMS with the key's GenerateDataKey. */
export const DRIFT_WRITE_REPORT: ServiceCallContract = {
  call: 's3:PutObject (report, evidence)',
  caller: "the comparison function's role",
  callerActions: ['s3:PutObject', 'kms:GenerateDataKey'],
  source: S3_KMS,
};

/** PutMetricData has no resource type; the `cloudwatch:namespace` condition limits it to the monitor's namespace. */
export const DRIFT_PUT_METRICS: ServiceCallContract = {
  call: 'cloudwatch:PutMetricData (per-feature PSI and KS, counts per status)',
  caller: "the comparison function's role",
  callerActions: ['cloudwatch:PutMetricData'],
  unscopedActions: ['cloudwatch:PutMetricData'],
  callerConditions: { StringEquals: { 'cloudwatch:namespace': 'MlPlatform/DriftMonitor' } },
  limits: { datumsPerCall: 1000, dimensionsPerMetric: 30 },
  source: CW_NAMESPACE,
};

/** The schedule's target: the comparison function. */
export const DRIFT_SCHEDULE_INVOKE: ServiceCallContract = {
  call: 'lambda:InvokeFunction by the schedule',
  caller: "the schedule's role",
  callerActions: ['lambda:InvokeFunction'],
  source: SCHEDULER_ROLE,
};

/**
 * An alarm-level window asks for retraining: ListExecutions (RUNNING) finds an open request; StartExecution names the
 * execution after the window, so a retried invocation is idempotent (same name and input: success; an execution name
 * is not reused for 90 days, so the name cannot be the model's alone).
 */
export const DRIFT_REQUEST_RETRAINING: ServiceCallContract = {
  call: 'states:ListExecutions and states:StartExecution (retraining request)',
  caller: "the comparison function's role",
  callerActions: ['states:ListExecutions', 'states:StartExecution'],
  source: `${SFN_LIST} ${SFN_START}`,
};

/** The approval step: sns:Publish with `.waitForTaskToken` to the owner's encrypted topic. */
export const GATE_ASK_OWNER: ServiceCallContract = {
  call: 'sns:Publish .waitForTaskToken (approval request)',
  caller: "the approval state machine's role",
  callerActions: ['sns:Publish', 'kms:Decrypt', 'kms:GenerateDataKey'],
  source: `${SFN_SNS} ${SNS_SSE}`,
};

/** An approved request starts a SageMaker pipeline. */
export const GATE_START_PIPELINE: ServiceCallContract = {
  call: 'sagemaker:StartPipelineExecution (approved retraining)',
  caller: "the approval state machine's role",
  callerActions: ['sagemaker:StartPipelineExecution'],
  source: SFN_SAGEMAKER,
};

/** An approved request starts a state machine. */
export const GATE_START_STATE_MACHINE: ServiceCallContract = {
  call: 'states:StartExecution (approved retraining)',
  caller: "the approval state machine's role",
  callerActions: ['states:StartExecution'],
  source: SFN_STATES,
};

/** An approved request puts an event on a bus. */
export const GATE_PUT_EVENT: ServiceCallContract = {
  call: 'events:PutEvents (approved retraining)',
  caller: "the approval state machine's role",
  callerActions: ['events:PutEvents'],
  source: SFN_EVENTS,
};
