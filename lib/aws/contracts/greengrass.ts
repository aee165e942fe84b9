import type { ServiceCallContract } from '../service-contracts';

/**
 * What AWS IoT Greengrass v2 and AWS IoT jobs require of the calls the edge fleet's wave driver (a Step Functions
 * state machine) and its devices make.
 */

const GG_ACTIONS = 'https://docs.aws.amazon.com/service-authorization/latest/reference/list_awsiotgreengrassv2.html';
const IOT_ACTIONS = 'https://docs.aws.amazon.com/service-authorization/latest/reference/list_awsiot.html';
const TOKEN_EXCHANGE = 'https://docs.aws.amazon.com/greengrass/v2/developerguide/device-service-role.html';
const SFN_ACTIONS = 'https://docs.aws.amazon.com/service-authorization/latest/reference/list_awsstepfunctions.html';
const SFN_LIST_EXECUTIONS = 'https://docs.aws.amazon.com/step-functions/latest/apireference/API_ListExecutions.html';
const SDK_INTEGRATION = 'https://docs.aws.amazon.com/step-functions/latest/dg/supported-services-awssdk.html';

/**
 * CreateDeployment to a thing group: Greengrass creates, updates and cancels the group's continuous IoT job and
 * writes the devices' deployment shadows with the caller's permissions, so the caller needs those IoT actions too
 * (the dependent actions of greengrass:CreateDeployment in the Service Authorization Reference).
 */
export const GREENGRASS_CREATE_DEPLOYMENT: ServiceCallContract = {
  call: 'greengrass:CreateDeployment',
  caller: "the wave driver's role",
  callerActions: [
    'greengrass:CreateDeployment', 'iot:CancelJob', 'iot:CreateJob', 'iot:DeleteThingShadow', 'iot:DescribeJob', 'iot:DescribeThing',
    'iot:DescribeThingGroup', 'iot:GetThingShadow', 'iot:UpdateJob', 'iot:UpdateThingShadow',
  ],
  limits: { maxTimeoutMinutes: 10_080, maxRolloutPerMinute: 1000, maxIncrementFactor: 5, maxAbortThresholdPercent: 100 },
  source: GG_ACTIONS,
};

/** CancelDeployment: Greengrass cancels the deployment's IoT job with the caller's permissions. */
export const GREENGRASS_CANCEL_DEPLOYMENT: ServiceCallContract = {
  call: 'greengrass:CancelDeployment',
  caller: "the wave driver's role",
  callerActions: ['greengrass:CancelDeployment', 'iot:CancelJob', 'iot:DeleteThingShadow', 'iot:DescribeJob', 'iot:DescribeThing',
    'iot:DescribeThingGroup', 'iot:GetThingShadow', 'iot:UpdateJob', 'iot:UpdateThingShadow'],
  source: GG_ACTIONS,
};

/** GetDeployment and ListDeployments: a target's current deployment and its components, and a deployment's job id. */
export const GREENGRASS_READ_DEPLOYMENTS: ServiceCallContract = {
  call: 'greengrass:GetDeployment, greengrass:ListDeployments',
  caller: "the wave driver's role",
  callerActions: ['greengrass:GetDeployment', 'greengrass:ListDeployments'],
  // ListDeployments names no resource type in the Service Authorization Reference.
  unscopedActions: ['greengrass:ListDeployments'],
  source: GG_ACTIONS,
};

/** iot:DescribeJob: the job process details (succeeded, failed, rejected, timed-out, queued, in-progress counts). */
export const IOT_DESCRIBE_JOB: ServiceCallContract = {
  call: 'iot:DescribeJob',
  caller: "the wave driver's role",
  callerActions: ['iot:DescribeJob'],
  source: IOT_ACTIONS,
};

/**
 * The rollout queue: the driver lists its own RUNNING executions (one rollout at a time). ListExecutions is authorized
 * on the state machine (resource type stateMachine in the Service Authorization Reference).
 */
export const STATES_LIST_OWN_EXECUTIONS: ServiceCallContract = {
  call: 'states:ListExecutions (the rollout queue)',
  caller: "the wave driver's role",
  callerActions: ['states:ListExecutions'],
  source: `${SFN_ACTIONS} ${SFN_LIST_EXECUTIONS}`,
};

/** The user's alarms in ALARM: DescribeAlarms names no resource type for the list. */
export const CLOUDWATCH_DESCRIBE_ALARMS: ServiceCallContract = {
  call: 'cloudwatch:DescribeAlarms',
  caller: "the wave driver's role",
  callerActions: ['cloudwatch:DescribeAlarms'],
  unscopedActions: ['cloudwatch:DescribeAlarms'],
  source: SDK_INTEGRATION,
};

/**
 * A core device downloading the component's artifacts from S3 with its token exchange role: s3:GetObject on the
 * artifact objects (the guide's example policy), and kms:Decrypt for objects encrypted with a customer-managed key.
 */
export const GREENGRASS_ARTIFACT_DOWNLOAD: ServiceCallContract = {
  call: 's3:GetObject (component artifacts, by the core device)',
  caller: 'the token exchange role of the core devices',
  callerActions: ['s3:GetObject'],
  source: TOKEN_EXCHANGE,
};
