import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { IConstruct } from 'constructs';

/** The global condition keys a service sets when it acts for a resource (assumes a role, publishes to a topic). */
export type SourceConditionKey = 'aws:SourceAccount' | 'aws:SourceArn';

/** What one AWS service principal tells IAM about the resource it acts for, and where the service documents it. */
export interface TrustedService {
  /** The service principal, e.g. `states.amazonaws.com`. */
  readonly principal: string;
  /** The condition keys the service sets when it assumes a role or calls a resource policy. */
  readonly keys: readonly SourceConditionKey[];
  /**
   * The ARNs of this account and region the service acts for, as `<service>:<resource pattern>` below
   * `arn:<partition>:`; `{region}` and `{account}` are the stack's. The pattern covers every resource of the kind,
   * so that a role can be created before the resource that names it (no dependency cycle).
   */
  readonly sourceArn: string;
  /**
   * `always` when the service's guide shows these keys on the calls this library lets it make, so a call without them
   * is refused; `whenSet` when the guide names the keys but not for those calls: the conditions then hold wherever the
   * service sets the keys (`…IfExists`), and a call that carries none is not refused (IAM evaluates `StringEquals`
   * on a missing key as false, which would break the service's own use of the role).
   */
  readonly enforcement: 'always' | 'whenSet';
  /** The documentation page that names the keys for this service. */
  readonly source: string;
}

/** A service this library trusts: a row of `TRUSTED_SERVICES`. */
export type TrustedServiceName = 'sagemaker' | 'stepFunctions' | 'scheduler' | 'lambda' | 'cloudWatchAlarms' | 'eventBridge';

/**
 * Every service principal this library trusts, with the confused-deputy condition keys the service documents.
 * A role or resource policy that admits one of these names it through `trustedServicePrincipal` or
 * `sourceConditions`, so the trust and its test read the same row.
 */
export const TRUSTED_SERVICES = {
  sagemaker: {
    principal: 'sagemaker.amazonaws.com',
    keys: ['aws:SourceAccount', 'aws:SourceArn'],
    // Models, endpoints, transform and processing jobs of this account and region.
    sourceArn: 'sagemaker:{region}:{account}:*',
    // The guide's role-trust example is for training jobs; hosting, transform and processing are not shown.
    enforcement: 'whenSet',
    source: 'https://docs.aws.amazon.com/sagemaker/latest/dg/security-confused-deputy-prevention.html',
  },
  stepFunctions: {
    principal: 'states.amazonaws.com',
    keys: ['aws:SourceAccount', 'aws:SourceArn'],
    sourceArn: 'states:{region}:{account}:stateMachine:*',
    enforcement: 'always',
    source: 'https://docs.aws.amazon.com/step-functions/latest/dg/procedure-create-iam-role.html#prevent-cross-service-confused-deputy',
  },
  scheduler: {
    principal: 'scheduler.amazonaws.com',
    keys: ['aws:SourceAccount', 'aws:SourceArn'],
    // Scheduler sets the schedule group's ARN (since 2023-09-07), not the schedule's.
    sourceArn: 'scheduler:{region}:{account}:schedule-group/*',
    enforcement: 'always',
    source: 'https://docs.aws.amazon.com/scheduler/latest/UserGuide/setting-up.html#setting-up-execution-role',
  },
  lambda: {
    principal: 'lambda.amazonaws.com',
    keys: ['aws:SourceAccount', 'aws:SourceArn'],
    sourceArn: 'lambda:{region}:{account}:function:*',
    // The guide says the keys may be used in role trust policies, without an example for the execution role.
    enforcement: 'whenSet',
    source: 'https://docs.aws.amazon.com/lambda/latest/dg/permissions-managed-policies.html',
  },
  cloudWatchAlarms: {
    principal: 'cloudwatch.amazonaws.com',
    keys: ['aws:SourceAccount', 'aws:SourceArn'],
    sourceArn: 'cloudwatch:{region}:{account}:alarm:*',
    enforcement: 'always',
    // "Allow CloudWatch alarms to publish to a topic" and "aws:SourceAccount versus aws:SourceOwner".
    source: 'https://docs.aws.amazon.com/sns/latest/dg/sns-access-policy-use-cases.html',
  },
  eventBridge: {
    principal: 'events.amazonaws.com',
    keys: ['aws:SourceAccount', 'aws:SourceArn'],
    sourceArn: 'events:{region}:{account}:rule/*',
    // The condition-keys page lists both; the guide's SNS-target example shows no condition.
    enforcement: 'whenSet',
    source: 'https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-use-conditions.html',
  },
} as const satisfies Record<TrustedServiceName, TrustedService>;

/** Options for `sourceConditions` and `trustedServicePrincipal`. */
export interface SourceConditionOptions {
  /**
   * Only these of the service's keys (e.g. a KMS key policy for EventBridge delivery, where the service sets none).
   * @default - every key the service sets
   */
  readonly keys?: readonly SourceConditionKey[];
  /**
   * A narrower source ARN than the service's pattern, e.g. one schedule group.
   * @default - every resource of the kind in the stack's account and region (`TRUSTED_SERVICES[service].sourceArn`)
   */
  readonly sourceArn?: string;
  /**
   * How the conditions hold: `whenSet` for a call whose request context the service's guide does not describe
   * (e.g. a key policy, where the key is used by another service on the publisher's behalf).
   * @default - the service's `enforcement`
   */
  readonly enforcement?: TrustedService['enforcement'];
}

/** The IAM condition block that limits `service` to resources of `scope`'s account (and region). */
export function sourceConditions(scope: IConstruct, service: TrustedServiceName,
  options: SourceConditionOptions = {}): Record<string, Record<string, string>> {
  const row: TrustedService = TRUSTED_SERVICES[service];
  const keys = (options.keys ?? row.keys).filter((key) => row.keys.includes(key));
  const stack = Stack.of(scope);
  const ifExists = (options.enforcement ?? row.enforcement) === 'whenSet' ? 'IfExists' : '';
  const conditions: Record<string, Record<string, string>> = {};
  if (keys.includes('aws:SourceAccount')) {
    conditions[`StringEquals${ifExists}`] = { 'aws:SourceAccount': stack.account };
  }
  if (keys.includes('aws:SourceArn')) {
    const pattern = row.sourceArn.replace('{region}', stack.region).replace('{account}', stack.account);
    conditions[`ArnLike${ifExists}`] = { 'aws:SourceArn': options.sourceArn ?? `arn:${stack.partition}:${pattern}` };
  }
  return conditions;
}

/** The service principal of `service`, limited to resources of `scope`'s account and region: for role trust policies. */
export function trustedServicePrincipal(scope: IConstruct, service: TrustedServiceName, options: SourceConditionOptions = {}): iam.IPrincipal {
  return new iam.ServicePrincipal(TRUSTED_SERVICES[service].principal, { conditions: sourceConditions(scope, service, options) });
}
