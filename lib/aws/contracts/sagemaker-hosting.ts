import type { ServiceCallContract } from '../service-contracts';

// What a SageMaker real-time endpoint's execution role needs while SageMaker creates and runs the model
// (CreateModel, CreateEndpointConfig, CreateEndpoint and UpdateEndpoint all hand the role to SageMaker).
const SAGEMAKER_ROLES = 'https://docs.aws.amazon.com/sagemaker/latest/dg/sagemaker-roles.html#sagemaker-roles-createmodel-perms';

/** SageMaker pulls the serving image from ECR with the execution role. */
export const SAGEMAKER_MODEL_IMAGE_PULL: ServiceCallContract = {
  call: 'sagemaker:CreateModel (image pull)',
  caller: "the model's execution role",
  callerActions: ['ecr:GetAuthorizationToken', 'ecr:BatchCheckLayerAvailability', 'ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'],
  // The Service Authorization Reference lists no resource type for GetAuthorizationToken.
  unscopedActions: ['ecr:GetAuthorizationToken'],
  source: SAGEMAKER_ROLES,
};

/** SageMaker downloads `ModelDataUrl` with the execution role. */
export const SAGEMAKER_MODEL_ARTIFACT_READ: ServiceCallContract = {
  call: 'sagemaker:CreateModel (model download)',
  caller: "the model's execution role",
  callerActions: ['s3:GetObject'],
  source: SAGEMAKER_ROLES,
};

/** The serving container's logs go to `/aws/sagemaker/Endpoints/<endpoint name>` with the execution role. */
export const SAGEMAKER_ENDPOINT_LOGS: ServiceCallContract = {
  call: 'sagemaker:CreateEndpoint (container logs)',
  caller: "the model's execution role",
  callerActions: ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents'],
  source: SAGEMAKER_ROLES,
};

/**
 * The instances publish their utilization metrics (`/aws/sagemaker/Endpoints`: CPU, memory, disk) with the execution
 * role; PutMetricData has no resource type, so the grant is limited by namespace instead.
 */
export const SAGEMAKER_ENDPOINT_INSTANCE_METRICS: ServiceCallContract = {
  call: 'sagemaker:CreateEndpoint (instance metrics)',
  caller: "the model's execution role",
  callerActions: ['cloudwatch:PutMetricData'],
  unscopedActions: ['cloudwatch:PutMetricData'],
  callerConditions: { StringEquals: { 'cloudwatch:namespace': '/aws/sagemaker/Endpoints' } },
  source: SAGEMAKER_ROLES,
};

/**
 * Data capture writes requests and responses to S3, encrypted with the endpoint config's `DataCaptureConfig.KmsKeyId`,
 * with the execution role: an SSE-KMS upload needs `kms:GenerateDataKey`, and `kms:Decrypt` for multipart uploads.
 */
export const SAGEMAKER_DATA_CAPTURE: ServiceCallContract = {
  call: 'sagemaker:CreateEndpointConfig (DataCaptureConfig with KmsKeyId)',
  caller: "the model's execution role",
  callerActions: ['s3:PutObject', 'kms:GenerateDataKey', 'kms:Decrypt'],
  source: 'https://docs.aws.amazon.com/sagemaker/latest/dg/model-monitor-data-capture-endpoint.html; '
    + 'https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingKMSEncryption.html#require-sse-kms',
};

/**
 * Deployment guardrails read the rollback alarms with the endpoint's execution role while a blue/green update bakes;
 * DescribeAlarms takes the alarm ARNs as resources.
 */
export const SAGEMAKER_DEPLOYMENT_GUARDRAILS: ServiceCallContract = {
  call: 'sagemaker:UpdateEndpoint (DeploymentConfig.AutoRollbackConfiguration)',
  caller: "the endpoint's execution role",
  callerActions: ['cloudwatch:DescribeAlarms'],
  source: 'https://docs.aws.amazon.com/sagemaker/latest/dg/deployment-guardrails-configuration.html',
};

/** Every contract of a SageMaker real-time endpoint's execution role. */
export const SAGEMAKER_ENDPOINT_CONTRACTS: readonly ServiceCallContract[] = [
  SAGEMAKER_MODEL_IMAGE_PULL,
  SAGEMAKER_MODEL_ARTIFACT_READ,
  SAGEMAKER_ENDPOINT_LOGS,
  SAGEMAKER_ENDPOINT_INSTANCE_METRICS,
  SAGEMAKER_DATA_CAPTURE,
  SAGEMAKER_DEPLOYMENT_GUARDRAILS,
];

/**
 * An endpoint config with `KmsKeyId` (the instances' storage volumes): CreateEndpoint and UpdateEndpoint need
 * `kms:CreateGrant` for their caller, the identity that deploys the stack, not a role of this library. The key policy
 * must leave that to the caller's identity policy (the account-root statement that delegates to IAM).
 */
export const SAGEMAKER_ENDPOINT_VOLUME_KEY: ServiceCallContract = {
  call: 'sagemaker:CreateEndpoint / UpdateEndpoint (EndpointConfig KmsKeyId)',
  caller: 'the identity that deploys the stack',
  callerActions: [],
  resourcePolicy: [{
    resource: 'key',
    principal: 'account',
    actions: ['kms:CreateGrant'],
    source: 'https://docs.aws.amazon.com/sagemaker/latest/dg/api-permissions-reference.html',
  }],
  source: 'https://docs.aws.amazon.com/sagemaker/latest/dg/api-permissions-reference.html',
};
