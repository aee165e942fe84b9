import * as iam from 'aws-cdk-lib/aws-iam';

/**
 * What an AWS service documents as required for one call that a resource of this library makes or causes
 * (an API call by one of our roles, or a service acting on our resources: an alarm action publishing to a topic,
 * a schedule starting a state machine). One table, two readers: the code that grants reads `callerActions` and
 * `resourcePolicy`, and the contract tests check the synthesized roles and policies against the same rows.
 */
export interface ServiceCallContract {
  /** The call, as `<service>:<Action>` (e.g. `sagemaker:CreateTransformJob`) or the service's own name for it. */
  readonly call: string;
  /** Whose permissions the service checks, in words (e.g. "the state machine's role"). */
  readonly caller: string;
  /** IAM actions the caller's identity policy must allow for the call to succeed. */
  readonly callerActions: readonly string[];
  /**
   * Caller actions the service authorizes only on `*`: the Service Authorization Reference lists no resource type
   * for them (e.g. `ecr:GetAuthorizationToken`). Every other caller action must be granted on named resources.
   * @default - none: every action is scoped
   */
  readonly unscopedActions?: readonly string[];
  /**
   * Condition keys the caller's grant must carry to stay least-privilege (e.g. `kms:GrantIsForAWSResource` on
   * `kms:CreateGrant`), as IAM condition blocks.
   * @default - none
   */
  readonly callerConditions?: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
  /**
   * Statements a resource policy (key policy, topic policy, queue policy) must hold when the caller is a service
   * principal, or when the resource's policy replaces the service's default one.
   * @default - none
   */
  readonly resourcePolicy?: readonly ResourcePolicyRequirement[];
  /**
   * Limits the service enforces on the call's parameters (e.g. `environmentEntries: 16`), checked by the plans.
   * @default - none
   */
  readonly limits?: Readonly<Record<string, number>>;
  /**
   * The service-linked role the service makes the call with, as its path below `arn:<partition>:iam::<account>:role/`,
   * when no role of this library is involved (e.g. Application Auto Scaling acting on a SageMaker variant).
   * @default - the call is made with `caller`'s role
   */
  readonly serviceLinkedRole?: string;
  /** The documentation page that states the requirement. */
  readonly source: string;
}

/** A statement a resource policy must hold for a service to act on the resource. */
export interface ResourcePolicyRequirement {
  /** Which resource's policy: the KMS key, the SNS topic, the SQS queue or the S3 bucket. */
  readonly resource: 'key' | 'topic' | 'queue' | 'bucket';
  /**
   * The service principal, e.g. `cloudwatch.amazonaws.com`; or `account`, the resource's own account, for a caller
   * that is an identity of the account (the resource policy delegates to IAM, and the caller's identity policy decides).
   */
  readonly principal: string;
  /** The actions the statement must allow. */
  readonly actions: readonly string[];
  /**
   * Global condition keys the statement must carry against confused-deputy use (`aws:SourceAccount`, `aws:SourceArn`).
   * @default - none
   */
  readonly conditionKeys?: readonly string[];
  /**
   * Condition keys the service does not set on this call: a statement conditioned on them never matches, and the
   * call fails silently (e.g. `aws:SourceArn` in a key policy for EventBridge delivery to an encrypted topic).
   * @default - none
   */
  readonly unsupportedConditionKeys?: readonly string[];
  /** The documentation page that states the requirement. */
  readonly source: string;
}

/**
 * The caller actions of `contract` on `resources`, with the contract's conditions, as one statement for a policy the
 * caller's role holds (a customer-managed policy, where an inline default policy is not wanted).
 */
export function contractStatement(contract: ServiceCallContract, resources: string[]): iam.PolicyStatement {
  return new iam.PolicyStatement({
    actions: [...contract.callerActions],
    resources,
    conditions: contract.callerConditions as Record<string, Record<string, unknown>> | undefined,
  });
}

/**
 * Grants `grantee` the caller actions of `contract` on `resources`, with the contract's conditions.
 * The code that makes a call grants through this, so the grant and its contract test read the same row.
 */
export function grantContract(grantee: iam.IGrantable, contract: ServiceCallContract, resources: string[]): iam.Grant {
  return iam.Grant.addToPrincipal({
    grantee,
    actions: [...contract.callerActions],
    resourceArns: resources,
    conditions: contract.callerConditions as Record<string, Record<string, unknown>> | undefined,
  });
}
