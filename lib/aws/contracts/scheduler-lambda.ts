import type { ServiceCallContract } from '../service-contracts';

/**
 * What EventBridge Scheduler requires of a schedule's role (start the state machine, send failures to the
 * dead-letter queue, use the customer-managed key of the schedule and the queue), and what Lambda requires of a
 * function's role to run the function in a VPC.
 */

const SCHEDULER_ROLE = 'https://docs.aws.amazon.com/scheduler/latest/UserGuide/setting-up.html#setting-up-execution-role';
const SCHEDULER_DLQ = 'https://docs.aws.amazon.com/scheduler/latest/UserGuide/configuring-schedule-dlq.html';
const SCHEDULER_KMS = 'https://docs.aws.amazon.com/scheduler/latest/UserGuide/encryption-rest.html';
const LAMBDA_VPC = 'https://docs.aws.amazon.com/lambda/latest/dg/configuration-vpc.html#configuration-vpc-permissions';

/** The schedule's target: StartExecution of the one state machine. */
export const SCHEDULE_START_EXECUTION: ServiceCallContract = {
  call: 'states:StartExecution by the schedule',
  caller: "the schedule's role",
  callerActions: ['states:StartExecution'],
  source: SCHEDULER_ROLE,
};

/** Invocations that cannot start the state machine go to the dead-letter queue, encrypted with the key. */
export const SCHEDULE_DEAD_LETTERS: ServiceCallContract = {
  call: 'sqs:SendMessage to the schedule\'s dead-letter queue (SSE-KMS)',
  caller: "the schedule's role",
  callerActions: ['sqs:SendMessage', 'kms:GenerateDataKey', 'kms:Decrypt'],
  source: SCHEDULER_DLQ,
};

/** A schedule encrypted with a customer-managed key is decrypted with the role's permissions when it runs. */
export const SCHEDULE_KEY: ServiceCallContract = {
  call: 'kms:Decrypt of the schedule (KmsKeyArn)',
  caller: "the schedule's role",
  callerActions: ['kms:Decrypt'],
  source: SCHEDULER_KMS,
};

/**
 * A function in a VPC: Lambda creates and deletes its network interfaces with the function's role. The Describe
 * action has no resource type, and the interfaces do not exist before the function: `*` is their resource.
 */
export const LAMBDA_VPC_ACCESS: ServiceCallContract = {
  call: 'ec2:CreateNetworkInterface (a function in a VPC)',
  caller: "the function's role",
  callerActions: ['ec2:CreateNetworkInterface', 'ec2:DescribeNetworkInterfaces', 'ec2:DescribeSubnets', 'ec2:DeleteNetworkInterface', 'ec2:AssignPrivateIpAddresses', 'ec2:UnassignPrivateIpAddresses'],
  unscopedActions: ['ec2:CreateNetworkInterface', 'ec2:DescribeNetworkInterfaces', 'ec2:DescribeSubnets', 'ec2:DeleteNetworkInterface', 'ec2:AssignPrivateIpAddresses', 'ec2:UnassignPrivateIpAddresses'],
  source: LAMBDA_VPC,
};
