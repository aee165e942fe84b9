import { CfnResource, Stack, Token } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import type { IConstruct } from 'constructs';
import { MlPlatformError, type Residency } from '../core';

/** A CloudFormation resource as the rules see it: resolved properties plus the construct. */
interface ResourceUnderCheck {
  readonly construct: CfnResource;
  readonly properties: Record<string, any>;
}

/** One residency rule: the violations it finds in one resource (none when compliant or not applicable). */
type ResidencyRule = (resource: ResourceUnderCheck, context: RuleContext) => string[];

interface RuleContext {
  readonly policy: Residency;
  /** Region of each bucket in the app, by its ARN resolved to CloudFormation and serialized. */
  readonly bucketRegions: Map<string, string>;
}

// AWS-managed keys (alias/aws/<service>) are not customer-managed: their policy and rotation are AWS's.
const AWS_MANAGED_KEY = /(^|:)alias\/aws\//;

function cmkViolation(resource: ResourceUnderCheck, prop: string, value: unknown, what: string): string[] {
  if (typeof value === 'string' && AWS_MANAGED_KEY.test(value)) {
    return [MlPlatformError.format({
      scope: resource.construct,
      prop,
      value,
      allowed: `${what} encrypted with a customer-managed KMS key (AWS-managed aliases such as alias/aws/... are not)`,
      fix: 'pass a customer-managed key, e.g. new EncryptionKey(this, "Key").key',
    })];
  }
  if (value === undefined || value === null || value === '') {
    return [MlPlatformError.format({
      scope: resource.construct,
      prop,
      value,
      allowed: `${what} encrypted with a customer-managed KMS key under the residency policy`,
      fix: 'set the encryption key prop (encryptionKey / masterKey) to a customer-managed key',
    })];
  }
  return [];
}

const bucketEncryptedWithCmk: ResidencyRule = (resource) => {
  if (resource.construct.cfnResourceType !== 'AWS::S3::Bucket') {
    return [];
  }
  const rules: any[] = resource.properties.BucketEncryption?.ServerSideEncryptionConfiguration ?? [];
  const byDefault = rules.map((rule) => rule?.ServerSideEncryptionByDefault).filter(Boolean);
  const kms = byDefault.find((d) => d.SSEAlgorithm === 'aws:kms' || d.SSEAlgorithm === 'aws:kms:dsse');
  if (!kms) {
    return [MlPlatformError.format({
      scope: resource.construct,
      prop: 'BucketEncryption',
      value: byDefault[0]?.SSEAlgorithm ?? 'not set',
      allowed: 'SSE-KMS with a customer-managed key under the residency policy',
      fix: 'use DataBucket, or set encryption: BucketEncryption.KMS with encryptionKey on the bucket',
    })];
  }
  return cmkViolation(resource, 'BucketEncryption.KMSMasterKeyID', kms.KMSMasterKeyID, 'a bucket');
};

const bucketReplicatesInside: ResidencyRule = (resource, context) => {
  if (resource.construct.cfnResourceType !== 'AWS::S3::Bucket') {
    return [];
  }
  const rules: any[] = resource.properties.ReplicationConfiguration?.Rules ?? [];
  return rules.flatMap((rule, index) => {
    const region = context.bucketRegions.get(JSON.stringify(rule?.Destination?.Bucket));
    if (region !== undefined && !Token.isUnresolved(region) && context.policy.allows(region)) {
      return [];
    }
    return [MlPlatformError.format({
      scope: resource.construct,
      prop: `ReplicationConfiguration.Rules[${index}].Destination`,
      value: region === undefined || Token.isUnresolved(region) ? 'a bucket in an unknown region' : `a bucket in ${region}`,
      allowed: `replication only to buckets in regions of residency policy "${context.policy.name}": ${context.policy.allowedRegions.join(', ')}`,
      fix: 'replicate to a bucket in an allowed region; import external buckets with Bucket.fromBucketAttributes(scope, id, { bucketArn, region })',
    })];
  });
};

const topicEncryptedWithCmk: ResidencyRule = (resource) =>
  resource.construct.cfnResourceType === 'AWS::SNS::Topic'
    ? cmkViolation(resource, 'KmsMasterKeyId', resource.properties.KmsMasterKeyId, 'an SNS topic')
    : [];

const queueEncryptedWithCmk: ResidencyRule = (resource) =>
  resource.construct.cfnResourceType === 'AWS::SQS::Queue'
    ? cmkViolation(resource, 'KmsMasterKeyId', resource.properties.KmsMasterKeyId, 'an SQS queue')
    : [];

const logGroupEncryptedWithCmk: ResidencyRule = (resource) =>
  resource.construct.cfnResourceType === 'AWS::Logs::LogGroup'
    ? cmkViolation(resource, 'KmsKeyId', resource.properties.KmsKeyId, 'a log group')
    : [];

/** The rules every resource under a residency policy must pass. */
export const RESIDENCY_RULES: readonly ResidencyRule[] = [
  bucketEncryptedWithCmk,
  bucketReplicatesInside,
  topicEncryptedWithCmk,
  queueEncryptedWithCmk,
  logGroupEncryptedWithCmk,
];

/**
 * The resource types the rules judge; every other resource is skipped without being resolved. Resolving a
 * resource is the expensive part of the check: synthesis resolves each one again to write the template.
 */
export const RESIDENCY_RESOURCE_TYPES: ReadonlySet<string> = new Set(['AWS::S3::Bucket', 'AWS::SNS::Topic', 'AWS::SQS::Queue', 'AWS::Logs::LogGroup']);

/**
 * Every residency violation under `scope`: stack regions first, then resources. One walk of the construct tree;
 * only resources of `RESIDENCY_RESOURCE_TYPES` are resolved, and the app's bucket regions only when a bucket replicates.
 */
export function residencyViolations(scope: IConstruct, policy: Residency): string[] {
  const stacks: Stack[] = [];
  const governed: CfnResource[] = [];
  for (const construct of scope.node.findAll()) {
    if (Stack.isStack(construct)) {
      stacks.push(construct);
    } else if (CfnResource.isCfnResource(construct) && RESIDENCY_RESOURCE_TYPES.has(construct.cfnResourceType)) {
      governed.push(construct);
    }
  }
  const regionScopes = stacks.length > 0 ? stacks : scope.node.scopes.filter(Stack.isStack).slice(-1);
  const violations = regionScopes.flatMap((stack) => stackRegionViolations(stack, policy));
  let regions: Map<string, string> | undefined;
  const context: RuleContext = {
    policy,
    get bucketRegions() {
      regions ??= bucketRegions(scope.node.root);
      return regions;
    },
  };
  for (const construct of governed) {
    const resolved = Stack.of(construct).resolve((construct as any)._toCloudFormation());
    const properties = Object.values<any>(resolved?.Resources ?? {})[0]?.Properties ?? {};
    for (const rule of RESIDENCY_RULES) {
      violations.push(...rule({ construct, properties }, context));
    }
  }
  return violations;
}

function stackRegionViolations(stack: Stack, policy: Residency): string[] {
  const allowed = `a region of residency policy "${policy.name}": ${policy.allowedRegions.join(', ')}`;
  if (Token.isUnresolved(stack.region)) {
    return [MlPlatformError.format({
      scope: stack,
      prop: `env.region of stack ${stack.stackName}`,
      value: 'unresolved (environment-agnostic stack)',
      allowed,
      fix: `give the stack an explicit region, e.g. new Stack(app, '${stack.node.id}', { env: { region: '${policy.allowedRegions[0]}' } })`,
    })];
  }
  if (!policy.allows(stack.region)) {
    return [MlPlatformError.format({
      scope: stack,
      prop: `env.region of stack ${stack.stackName}`,
      value: stack.region,
      allowed,
      fix: `deploy the stack to one of those regions, e.g. env: { region: '${policy.allowedRegions[0]}' }`,
    })];
  }
  return [];
}

function bucketRegions(root: IConstruct): Map<string, string> {
  const regions = new Map<string, string>();
  for (const construct of root.node.findAll()) {
    if (construct instanceof s3.BucketBase) {
      regions.set(JSON.stringify(Stack.of(construct).resolve(construct.bucketArn)), construct.env.region);
    }
  }
  return regions;
}
