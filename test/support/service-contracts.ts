import { type CfnElement, Stack } from 'aws-cdk-lib';
import type { Template } from 'aws-cdk-lib/assertions';
import type { IConstruct } from 'constructs';
import type { ResourcePolicyRequirement, ServiceCallContract } from '../../lib/aws';

/**
 * Checks a synthesized template against the runtime contracts of `lib/aws/contracts`: the role that makes a call
 * allows each action the service documents (named, scoped, with the contract's conditions), and each resource policy
 * holds the statements a service principal needs, with its confused-deputy condition keys. Every check returns the
 * list of what is missing, so a test reads `expect(contractViolations(...)).toEqual([])` and a failure names the gap.
 */

/** A resource of the template: its logical ID, or the construct (L1, or an L2 whose default child is the resource). */
export type TemplateResource = string | IConstruct;

/** Where the template holds the parties of a call. */
export interface ContractParties {
  /** The role whose identity policies must allow the caller actions (the role the service runs the call with). */
  readonly role?: TemplateResource;
  /** The KMS key whose key policy must hold the contract's `key` statements. */
  readonly key?: TemplateResource;
  /** The SNS topic whose topic policy must hold the contract's `topic` statements. */
  readonly topic?: TemplateResource;
  /** The SQS queue whose queue policy must hold the contract's `queue` statements. */
  readonly queue?: TemplateResource;
  /** The S3 bucket whose bucket policy must hold the contract's `bucket` statements. */
  readonly bucket?: TemplateResource;
  /** The resource that must name the contract's service-linked role as its `RoleARN` (e.g. a scalable target). */
  readonly serviceLinkedRoleUser?: TemplateResource;
}

/** One IAM statement as CloudFormation holds it. */
export interface Statement {
  readonly Sid?: string;
  readonly Effect: 'Allow' | 'Deny';
  readonly Action?: string | string[];
  readonly Resource?: unknown;
  readonly Principal?: unknown;
  readonly Condition?: Record<string, Record<string, unknown>>;
}

type Resources = Record<string, { Type: string; Properties?: Record<string, any> }>;

/** The logical ID of `resource` in `stack`'s template. */
export function logicalIdOf(resource: TemplateResource): string {
  if (typeof resource === 'string') {
    return resource;
  }
  const element = (resource.node.defaultChild ?? resource) as CfnElement;
  return Stack.of(resource).getLogicalId(element) as unknown as string;
}

/** Every gap between `template` and `contract` for the given parties; empty when the template honours the contract. */
export function contractViolations(template: Template, contract: ServiceCallContract, parties: ContractParties): string[] {
  const resources = template.toJSON().Resources as Resources;
  const violations: string[] = [];
  if (contract.serviceLinkedRole) {
    violations.push(...serviceLinkedRoleViolations(resources, contract, parties.serviceLinkedRoleUser));
  }
  if (contract.callerActions.length > 0) {
    if (!parties.role) {
      violations.push(`${contract.call}: no role given for the caller (${contract.caller})`);
    } else {
      violations.push(...callerViolations(resources, contract, logicalIdOf(parties.role)));
    }
  }
  for (const requirement of contract.resourcePolicy ?? []) {
    const party = parties[requirement.resource];
    if (!party) {
      violations.push(`${contract.call}: no ${requirement.resource} given for the statement of ${requirement.principal}`);
      continue;
    }
    violations.push(...resourcePolicyViolations(resources, contract.call, requirement, logicalIdOf(party)));
  }
  return violations;
}

/** The Allow statements of every identity policy attached to `role` (inline, `AWS::IAM::Policy`, managed policies of the stack). */
export function identityStatements(template: Template, role: TemplateResource): Statement[] {
  return roleStatements(template.toJSON().Resources as Resources, logicalIdOf(role));
}

/** The statements of `role`'s statements that allow `action` (by name or by a pattern covering it). */
export function grantingStatements(template: Template, role: TemplateResource, action: string): Statement[] {
  return identityStatements(template, role).filter((statement) => statement.Effect === 'Allow' && asList(statement.Action).some((granted) => covers(granted, action)));
}

/** The statements of `role`'s trust policy that let `service` assume it. */
export function trustStatements(template: Template, role: TemplateResource, service: string): Statement[] {
  const resources = template.toJSON().Resources as Resources;
  const document = resources[logicalIdOf(role)]?.Properties?.AssumeRolePolicyDocument;
  return (document?.Statement ?? []).filter((statement: Statement) => servicePrincipals(statement.Principal).includes(service));
}

/** What `role`'s trust policy lacks: a statement admitting `service` carrying each of `conditionKeys`. */
export function trustViolations(template: Template, role: TemplateResource, service: string, conditionKeys: readonly string[]): string[] {
  const statements = trustStatements(template, role, service);
  if (statements.length === 0) {
    return [`${logicalIdOf(role)}: the trust policy does not admit ${service}`];
  }
  return statements.flatMap((statement) => conditionKeys
    .filter((key) => !conditionKeysOf(statement).includes(key))
    .map((key) => `${logicalIdOf(role)}: the trust statement for ${service} lacks the condition key ${key}`));
}

function callerViolations(resources: Resources, contract: ServiceCallContract, role: string): string[] {
  const statements = roleStatements(resources, role).filter((statement) => statement.Effect === 'Allow');
  const violations: string[] = [];
  for (const statement of statements) {
    for (const action of asList(statement.Action)) {
      if (action === '*' || /^[a-z0-9-]+:\*$/.test(action)) {
        violations.push(`${role}: allows the wildcard action ${action}`);
      }
    }
  }
  const unscoped = new Set(contract.unscopedActions ?? []);
  for (const action of contract.callerActions) {
    const granting = statements.filter((statement) => asList(statement.Action).some((granted) => granted !== '*' && covers(granted, action)));
    if (granting.length === 0) {
      violations.push(`${contract.call}: ${role} does not allow ${action} (${contract.source})`);
      continue;
    }
    if (!unscoped.has(action) && granting.every((statement) => asList(statement.Resource).includes('*'))) {
      violations.push(`${contract.call}: ${role} allows ${action} only on "*", not scoped to the resources of the call`);
    }
    const conditions = contract.callerConditions;
    if (conditions && !granting.some((statement) => holdsConditions(statement.Condition, conditions))) {
      violations.push(`${contract.call}: ${role} allows ${action} without the conditions ${JSON.stringify(conditions)}`);
    }
  }
  return violations;
}

function resourcePolicyViolations(resources: Resources, call: string, requirement: ResourcePolicyRequirement, resource: string): string[] {
  const statements = resourcePolicyStatements(resources, requirement.resource, resource)
    .filter((statement) => statement.Effect === 'Allow' && (requirement.principal === 'account'
      ? isAccountRoot(statement.Principal) : servicePrincipals(statement.Principal).includes(requirement.principal)));
  if (statements.length === 0) {
    return [`${call}: the ${requirement.resource} policy of ${resource} has no statement for ${requirement.principal} (${requirement.source})`];
  }
  const violations: string[] = [];
  for (const action of requirement.actions) {
    const granting = statements.filter((statement) => asList(statement.Action).some((granted) => covers(granted, action)));
    if (granting.length === 0) {
      violations.push(`${call}: the ${requirement.resource} policy of ${resource} does not allow ${requirement.principal} ${action} (${requirement.source})`);
      continue;
    }
    for (const key of requirement.conditionKeys ?? []) {
      if (!granting.some((statement) => conditionKeysOf(statement).includes(key))) {
        violations.push(`${call}: the ${requirement.resource} policy of ${resource} allows ${requirement.principal} ${action} without the condition key ${key}`);
      }
    }
    for (const key of requirement.unsupportedConditionKeys ?? []) {
      if (granting.every((statement) => conditionKeysOf(statement).includes(key))) {
        violations.push(`${call}: the ${requirement.resource} policy of ${resource} allows ${requirement.principal} ${action} only with the condition key ${key}, `
          + `which the service does not set on this call (${requirement.source})`);
      }
    }
  }
  return violations;
}

function serviceLinkedRoleViolations(resources: Resources, contract: ServiceCallContract, user: TemplateResource | undefined): string[] {
  if (!user) {
    return [`${contract.call}: no resource given that uses the service-linked role ${contract.serviceLinkedRole}`];
  }
  const id = logicalIdOf(user);
  const roleArn = JSON.stringify(resources[id]?.Properties?.RoleARN ?? null);
  return roleArn.includes(`:role/${contract.serviceLinkedRole}`) ? []
    : [`${contract.call}: ${id} uses ${roleArn}, not the service-linked role ${contract.serviceLinkedRole} (${contract.source})`];
}

function roleStatements(resources: Resources, role: string): Statement[] {
  const roleResource = resources[role];
  if (!roleResource || roleResource.Type !== 'AWS::IAM::Role') {
    throw new Error(`${role} is not an AWS::IAM::Role of the template`);
  }
  const inline = (roleResource.Properties?.Policies ?? []).flatMap((policy: any) => policy.PolicyDocument.Statement);
  const attachedManaged = new Set((roleResource.Properties?.ManagedPolicyArns ?? []).map((arn: any) => arn?.Ref).filter(Boolean));
  const attached = Object.entries(resources).flatMap(([id, resource]) => {
    const isPolicy = resource.Type === 'AWS::IAM::Policy' || resource.Type === 'AWS::IAM::ManagedPolicy';
    const roles: unknown[] = resource.Properties?.Roles ?? [];
    const attachedToRole = roles.some((ref: any) => ref?.Ref === role) || attachedManaged.has(id);
    return isPolicy && attachedToRole ? resource.Properties!.PolicyDocument.Statement : [];
  });
  return [...inline, ...attached];
}

function resourcePolicyStatements(resources: Resources, kind: ResourcePolicyRequirement['resource'], resource: string): Statement[] {
  if (kind === 'key') {
    return resources[resource]?.Properties?.KeyPolicy?.Statement ?? [];
  }
  const policy = { topic: ['AWS::SNS::TopicPolicy', 'Topics'], queue: ['AWS::SQS::QueuePolicy', 'Queues'], bucket: ['AWS::S3::BucketPolicy', 'Bucket'] }[kind];
  return Object.values(resources)
    .filter((candidate) => candidate.Type === policy[0] && asList(candidate.Properties?.[policy[1]]).some((ref: any) => ref?.Ref === resource))
    .flatMap((candidate) => candidate.Properties!.PolicyDocument.Statement);
}

/** The service principals of a statement; `Fn::Join`ed names read with `AWS::URLSuffix` as amazonaws.com. */
function servicePrincipals(principal: unknown): string[] {
  const service = (principal as { Service?: unknown } | undefined)?.Service;
  return asList(service).map((name) => {
    if (typeof name === 'string') {
      return name;
    }
    const join = (name as { 'Fn::Join'?: [string, unknown[]] })['Fn::Join'];
    return join ? join[1].map((part: any) => (typeof part === 'string' ? part : part?.Ref === 'AWS::URLSuffix' ? 'amazonaws.com' : '?')).join(join[0]) : '?';
  });
}

/** Whether a statement's principal is the account itself (`arn:<partition>:iam::<account>:root`), as IAM delegation writes it. */
function isAccountRoot(principal: unknown): boolean {
  return asList((principal as { AWS?: unknown } | undefined)?.AWS).some((arn) => JSON.stringify(arn).includes(':root'));
}

function conditionKeysOf(statement: Statement): string[] {
  return Object.values(statement.Condition ?? {}).flatMap((block) => Object.keys(block));
}

function holdsConditions(actual: Statement['Condition'], expected: Readonly<Record<string, Readonly<Record<string, unknown>>>>): boolean {
  return Object.entries(expected).every(([operator, block]) => Object.entries(block)
    .every(([key, value]) => JSON.stringify(normalize(actual?.[operator]?.[key])) === JSON.stringify(normalize(value))));
}

function normalize(value: unknown): unknown {
  if (Array.isArray(value)) {
    return value.map(normalize);
  }
  return typeof value === 'boolean' || typeof value === 'number' ? String(value) : value;
}

/** Whether the policy action `granted` (possibly with `*`/`?` wildcards) covers the required `action`; case-insensitive as IAM is. */
function covers(granted: string, action: string): boolean {
  if (granted.toLowerCase() === action.toLowerCase()) {
    return true;
  }
  const pattern = granted.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${pattern}$`, 'i').test(action);
}

function asList<T>(value: T | T[] | undefined): T[] {
  if (value === undefined) {
    return [];
  }
  return Array.isArray(value) ? value : [value];
}
