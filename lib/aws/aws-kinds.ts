import { Stack, Token } from 'aws-cdk-lib';
import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type { IConstruct } from 'constructs';
import { MlPlatformError, type ValueKind } from '../core';
import type { OwnerNotifications } from './owner-notifications';

const field = (value: unknown, name: string, type: 'string' | 'function'): boolean =>
  value !== null && typeof value === 'object' && typeof (value as Record<string, unknown>)[name] === type;

/** The AWS value kinds props take, recognized by shape (plain JavaScript, two copies of aws-cdk-lib). */
export const AWS_KINDS = {
  key: {
    name: 'a KMS key (kms.IKey)',
    is: (value: unknown): value is kms.IKey => field(value, 'keyArn', 'string') && field(value, 'grant', 'function'),
    fix: 'pass a kms.Key or kms.Key.fromKeyArn(...), not its ARN as a string',
  } satisfies ValueKind<kms.IKey>,
  bucket: {
    name: 'an S3 bucket (s3.IBucket)',
    is: (value: unknown): value is s3.IBucket => field(value, 'bucketName', 'string') && field(value, 'arnForObjects', 'function'),
    fix: 'pass an s3.Bucket or s3.Bucket.fromBucketName(...)',
  } satisfies ValueKind<s3.IBucket>,
  alarm: {
    name: 'a CloudWatch alarm (cloudwatch.IAlarm)',
    is: (value: unknown): value is cloudwatch.IAlarm => field(value, 'alarmArn', 'string') && field(value, 'alarmName', 'string'),
    fix: 'pass a cloudwatch.Alarm or cloudwatch.Alarm.fromAlarmArn(...)',
  } satisfies ValueKind<cloudwatch.IAlarm>,
  notifications: {
    name: 'an OwnerNotifications',
    is: (value: unknown): value is OwnerNotifications => field(value, 'notifyOn', 'function') && field(value, 'grantPublish', 'function'),
    fix: 'pass new OwnerNotifications(scope, "Owner", { ... })',
  } satisfies ValueKind<OwnerNotifications>,
} as const;

// The names each account and region of an app holds, by kind, and the construct that holds each.
const claims = new WeakMap<IConstruct, Map<string, string>>();

/**
 * Records that `owner` gives a resource of `kind` the physical name `name`, and throws an `MlPlatformError`
 * naming both constructs when another construct of the same app already does in the same account and region:
 * the second deployment would fail on a name SageMaker (or the service) already holds.
 */
export function claimPhysicalName(owner: IConstruct, kind: string, name: string, prop: string): void {
  if (Token.isUnresolved(name)) {
    return;
  }
  const stack = Stack.of(owner);
  const root = owner.node.root;
  let names = claims.get(root);
  if (!names) {
    names = new Map();
    claims.set(root, names);
  }
  // Environment-agnostic stacks deploy wherever the CLI points: assume they share one account and region.
  const where = `${Token.isUnresolved(stack.account) ? '*' : stack.account}/${Token.isUnresolved(stack.region) ? '*' : stack.region}`;
  // SageMaker names are case-insensitive (ARNs carry them in lower case).
  const key = `${kind}/${where}/${name.toLowerCase()}`;
  const holder = names.get(key);
  if (holder !== undefined && holder !== owner.node.path) {
    throw new MlPlatformError({
      scope: owner,
      prop,
      value: name,
      allowed: `a ${kind} name no other construct of the app uses in the same account and region: ${holder} already uses "${name}"`,
      fix: `give one of ${holder} and ${owner.node.path} another ${prop}`,
    });
  }
  names.set(key, owner.node.path);
}
