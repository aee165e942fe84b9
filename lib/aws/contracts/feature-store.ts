import type { ServiceCallContract } from '../service-contracts';

/** What SageMaker Feature Store, Athena and Glue require for the calls a `FeatureStore` makes or causes. */

const ONLINE_KEY = 'https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_OnlineStoreSecurityConfig.html';
const OFFLINE_ROLE = 'https://docs.aws.amazon.com/sagemaker/latest/dg/feature-store-adding-policies.html';
const OFFLINE_S3 = 'https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_S3StorageConfig.html';
const FEATURE_STORE_IAM = 'https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonsagemaker.html';
const ATHENA_SFN = 'https://docs.aws.amazon.com/step-functions/latest/dg/athena-iam.html';
const ATHENA_WORKGROUP_KMS = 'https://docs.aws.amazon.com/athena/latest/ug/encryption.html';

/**
 * CreateFeatureGroup with an online store key: the caller (CloudFormation with the deploying identity) needs these on
 * the key; the key policy delegates to the account's IAM, where the deploying identity's policy decides.
 */
export const CREATE_FEATURE_GROUP_ONLINE_KEY: ServiceCallContract = {
  call: 'sagemaker:CreateFeatureGroup (OnlineStoreConfig.SecurityConfig.KmsKeyId)',
  caller: 'the identity that deploys the stack',
  callerActions: [],
  resourcePolicy: [{
    resource: 'key',
    principal: 'account',
    actions: [
      'kms:Encrypt', 'kms:Decrypt', 'kms:DescribeKey', 'kms:CreateGrant', 'kms:RetireGrant', 'kms:ReEncryptFrom', 'kms:ReEncryptTo',
      'kms:GenerateDataKey', 'kms:ListAliases', 'kms:ListGrants', 'kms:RevokeGrant',
    ],
    source: ONLINE_KEY,
  }],
  source: ONLINE_KEY,
};

/**
 * The offline store's role (CreateFeatureGroup RoleArn): SageMaker writes records to S3 with it, encrypted with the
 * offline store key, and registers the Glue table and its Iceberg snapshots.
 */
export const OFFLINE_STORE_WRITE: ServiceCallContract = {
  call: 'SageMaker Feature Store writing the offline store (CreateFeatureGroup RoleArn)',
  caller: "the offline store's role",
  callerActions: [
    's3:PutObject', 's3:GetObject', 's3:DeleteObject', 's3:GetBucketAcl', 's3:PutObjectAcl', 's3:ListBucket',
    'kms:GenerateDataKey', 'kms:Decrypt', 'kms:DescribeKey',
    'glue:GetDatabase', 'glue:GetTable', 'glue:CreateTable', 'glue:UpdateTable', 'glue:BatchCreatePartition', 'glue:GetPartitions',
  ],
  source: `${OFFLINE_ROLE} ; ${OFFLINE_S3}`,
};

/** Ingestion: PutRecord on the group, and kms:Decrypt on the online store's key (every data-plane call). */
export const FEATURE_GROUP_WRITE: ServiceCallContract = {
  call: 'sagemaker:PutRecord',
  caller: 'the ingestion identity (grantWrite)',
  callerActions: ['sagemaker:PutRecord', 'kms:Decrypt'],
  source: `${FEATURE_STORE_IAM} ; ${ONLINE_KEY}`,
};

/** Lookup: GetRecord and BatchGetRecord on the groups, and kms:Decrypt on the online store's key. */
export const FEATURE_GROUP_READ: ServiceCallContract = {
  call: 'sagemaker:GetRecord, sagemaker:BatchGetRecord',
  caller: 'the reading identity (grantRead)',
  callerActions: ['sagemaker:GetRecord', 'sagemaker:BatchGetRecord', 'kms:Decrypt'],
  // BatchGetRecord reads at most 100 records from at most 10 groups per call (SageMaker quotas).
  limits: { batchGetRecordIdentifiers: 100, batchGetRecordFeatureGroups: 10 },
  source: `${FEATURE_STORE_IAM} ; ${ONLINE_KEY}`,
};

/**
 * A training-set run: Step Functions' Athena `.sync` integration starts the query in the workgroup, polls it, reads the
 * Glue tables and the offline data, and writes the result (UNLOAD) and the query's metadata with the workgroup's key.
 */
export const TRAINING_SET_QUERY: ServiceCallContract = {
  call: 'athena:StartQueryExecution (.sync) with UNLOAD',
  caller: "the training-set state machine's role",
  callerActions: [
    'athena:StartQueryExecution', 'athena:GetQueryExecution', 'athena:StopQueryExecution', 'athena:GetWorkGroup',
    'glue:GetDatabase', 'glue:GetTable', 'glue:GetPartitions',
    's3:GetObject', 's3:ListBucket', 's3:PutObject', 's3:GetBucketLocation', 's3:AbortMultipartUpload',
    'kms:Decrypt', 'kms:GenerateDataKey',
  ],
  source: `${ATHENA_SFN} ; ${ATHENA_WORKGROUP_KMS}`,
};
