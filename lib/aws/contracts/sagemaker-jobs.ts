import type { ServiceCallContract } from '../service-contracts';

/**
 * What SageMaker requires of the callers of its batch jobs (transform and processing), and of the role the jobs run
 * with. The state machine calls CreateTransformJob and CreateProcessingJob through the `.sync` integration, which
 * also describes, stops and watches the jobs through a managed EventBridge rule.
 */

const API_PERMISSIONS = 'https://docs.aws.amazon.com/sagemaker/latest/dg/api-permissions-reference.html';
const SFN_SAGEMAKER_POLICIES = 'https://docs.aws.amazon.com/step-functions/latest/dg/sagemaker-iam.html';
const EXECUTION_ROLES = 'https://docs.aws.amazon.com/sagemaker/latest/dg/sagemaker-roles.html';
const VPC_ACCESS = 'https://docs.aws.amazon.com/sagemaker/latest/dg/batch-vpc.html';

/** CreateTransformJob through `.sync`: create, then describe until done, stop on timeout, tag the job. */
export const CREATE_TRANSFORM_JOB: ServiceCallContract = {
  call: 'sagemaker:CreateTransformJob (.sync)',
  caller: "the state machine's role",
  callerActions: ['sagemaker:CreateTransformJob', 'sagemaker:DescribeTransformJob', 'sagemaker:StopTransformJob', 'sagemaker:AddTags'],
  source: SFN_SAGEMAKER_POLICIES,
};

/** CreateProcessingJob through `.sync` (the validator). */
export const CREATE_PROCESSING_JOB: ServiceCallContract = {
  call: 'sagemaker:CreateProcessingJob (.sync)',
  caller: "the state machine's role",
  callerActions: ['sagemaker:CreateProcessingJob', 'sagemaker:DescribeProcessingJob', 'sagemaker:StopProcessingJob', 'sagemaker:AddTags'],
  source: SFN_SAGEMAKER_POLICIES,
};

/** The managed rule through which `.sync` learns that a job ended (one rule per job type and account). */
export const SYNC_JOB_EVENTS: ServiceCallContract = {
  call: 'events:PutRule StepFunctionsGetEventsForSageMaker{Transform,Processing}JobsRule',
  caller: "the state machine's role",
  callerActions: ['events:PutTargets', 'events:PutRule', 'events:DescribeRule'],
  source: SFN_SAGEMAKER_POLICIES,
};

/** Both jobs run with the execution role: the caller passes it, to SageMaker only. */
export const PASS_EXECUTION_ROLE: ServiceCallContract = {
  call: 'iam:PassRole (RoleArn of CreateTransformJob / CreateModel / CreateProcessingJob)',
  caller: "the state machine's role",
  callerActions: ['iam:PassRole'],
  callerConditions: { StringEquals: { 'iam:PassedToService': 'sagemaker.amazonaws.com' } },
  source: API_PERMISSIONS,
};

/**
 * `VolumeKmsKeyId` of CreateTransformJob and CreateProcessingJob: SageMaker creates a grant on the key for the job's
 * volumes with the caller's permissions, so the caller needs `kms:CreateGrant`, limited to grants for AWS resources.
 * The execution role does not create the grant: it only uses the key for the data it reads and writes.
 */
export const VOLUME_KEY_GRANT: ServiceCallContract = {
  call: 'kms:CreateGrant (VolumeKmsKeyId of CreateTransformJob / CreateProcessingJob)',
  caller: "the state machine's role",
  callerActions: ['kms:CreateGrant'],
  callerConditions: { Bool: { 'kms:GrantIsForAWSResource': true } },
  source: API_PERMISSIONS,
};

/** At run time the job reads its input and writes its output encrypted with the key (KmsKeyId of the output). */
export const JOB_DATA_KEY: ServiceCallContract = {
  call: 'kms:Decrypt / kms:Encrypt / kms:GenerateDataKey (job input and KmsKeyId of the output)',
  caller: 'the execution role',
  callerActions: ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey'],
  source: EXECUTION_ROLES,
};

/**
 * Jobs in the user's VPC (`VpcConfig` of the model, `NetworkConfig.VpcConfig` of a processing job): SageMaker creates
 * and deletes the jobs' network interfaces with the execution role. The Describe actions have no resource type, and
 * the interfaces do not exist before the job: the Service Authorization Reference leaves `*` as their only resource.
 */
export const JOB_VPC_NETWORK: ServiceCallContract = {
  call: 'ec2:CreateNetworkInterface (jobs in a VPC)',
  caller: 'the execution role',
  callerActions: [
    'ec2:CreateNetworkInterface', 'ec2:CreateNetworkInterfacePermission', 'ec2:DeleteNetworkInterface', 'ec2:DeleteNetworkInterfacePermission',
    'ec2:DescribeNetworkInterfaces', 'ec2:DescribeVpcs', 'ec2:DescribeDhcpOptions', 'ec2:DescribeSubnets', 'ec2:DescribeSecurityGroups',
  ],
  unscopedActions: [
    'ec2:CreateNetworkInterface', 'ec2:CreateNetworkInterfacePermission', 'ec2:DeleteNetworkInterface', 'ec2:DeleteNetworkInterfacePermission',
    'ec2:DescribeNetworkInterfaces', 'ec2:DescribeVpcs', 'ec2:DescribeDhcpOptions', 'ec2:DescribeSubnets', 'ec2:DescribeSecurityGroups',
  ],
  source: VPC_ACCESS,
};
