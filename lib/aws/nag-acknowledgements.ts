import { Stack, Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

/**
 * Every cdk-nag and AWS Control Tower (cfn-guard, `cdk-validator-cfnguard::<rule>`) finding this library
 * acknowledges, with the reason, in one reviewed place.
 * Constructs call `acknowledge(construct, 'KEY')`; nothing else in the library acknowledges findings.
 */
export const NAG_ACKNOWLEDGEMENTS = {
  bucketReplication: {
    ids: ['NIST.800.53.R5-S3BucketReplicationEnabled', 'HIPAA.Security-S3BucketReplicationEnabled'],
    reason: 'Replication to another region would break the data-residency policy; durability comes from versioning, RETAIN on delete and S3\'s own multi-AZ storage.',
  },
  stepFunctionsTaskPolicies: {
    ids: ['NIST.800.53.R5-IAMNoInlinePolicy', 'HIPAA.Security-IAMNoInlinePolicy'],
    reason: 'Step Functions tasks and Scheduler targets write their least-privilege statements into the role\'s default policy; the role belongs to one state machine or schedule and nothing else attaches to it.',
  },
  executionRoleInlinePolicy: {
    ids: ['NIST.800.53.R5-IAMNoInlinePolicy', 'HIPAA.Security-IAMNoInlinePolicy'],
    reason: 'The SageMaker execution role of one endpoint or pipeline under an ML platform holds its least-privilege statements inline: the policy belongs to that role alone, and one resource instead of two per endpoint keeps 60 endpoints within CloudFormation\'s 500 resources per stack.',
  },
  eventRuleTargetPolicy: {
    ids: ['NIST.800.53.R5-IAMNoInlinePolicy', 'HIPAA.Security-IAMNoInlinePolicy'],
    reason: 'An EventBridge rule target writes its one states:StartExecution statement into the role\'s default policy; the role belongs to that target alone.',
  },
  schedulerDeadLetterQueue: {
    ids: ['AwsSolutions-SQS3'],
    reason: 'This queue is the dead-letter queue of an EventBridge Scheduler target, which cdk-nag does not recognize as DLQ use.',
  },
  lambdaRuntimeAheadOfLaunch: {
    ids: ['AwsSolutions-L1'],
    reason: 'python3.14 is the newest Python runtime Lambda and CloudFormation accept; aws-cdk-lib already lists python3.15, which cdk-nag takes as the latest.',
  },
  lambdaOutsideVpc: {
    ids: ['NIST.800.53.R5-LambdaInsideVPC', 'HIPAA.Security-LambdaInsideVPC', 'cdk-validator-cfnguard::lambda_inside_vpc_check'],
    reason: 'The function reads only S3, through IAM over TLS in the stack\'s region; it reaches no network resource a VPC would protect. Pass `vpc` to run it (and the jobs) in a VPC.',
  },
  lambdaInvokedSynchronously: {
    ids: ['NIST.800.53.R5-LambdaDLQ', 'HIPAA.Security-LambdaDLQ'],
    reason: 'The function is invoked synchronously by its state machine, which retries it and notifies the owner on failure; an asynchronous DLQ would never receive anything.',
  },
  lambdaDeadLetterGrant: {
    ids: ['NIST.800.53.R5-IAMNoInlinePolicy', 'HIPAA.Security-IAMNoInlinePolicy'],
    reason: 'aws-cdk-lib writes the function\'s sqs:SendMessage on its own dead-letter queue into the role\'s default policy; the role belongs to one function, whose other statements are in a customer-managed policy.',
  },
  lambdaUnreservedConcurrency: {
    ids: ['NIST.800.53.R5-LambdaConcurrency', 'HIPAA.Security-LambdaConcurrency'],
    reason: 'The function runs once per pipeline run; reserving concurrency would fail deployment in accounts at the default quota of 10.',
  },
  accessLogBucketNotLogged: {
    ids: ['cdk-validator-cfnguard::s3_bucket_logging_enabled_check'],
    reason: 'This bucket receives the server access logs of a data bucket; logging its own access would need a further log bucket, and that one another, without end.',
  },
  bucketWithoutEventNotifications: {
    ids: ['cdk-validator-cfnguard::s3_event_notifications_enabled_check'],
    reason: 'Nothing in the library acts on object events: runs read their input on a schedule and consumers read the published manifest. A notification with no consumer adds a topic or queue and no control; access is recorded by the server access logs.',
  },
  bucketWithoutObjectLock: {
    ids: ['cdk-validator-cfnguard::s3_bucket_object_lock_enabled_check'],
    reason: 'Object Lock (write once, read many) cannot be turned off and would keep personal data past an erasure request; versioning, retention on stack deletion and non-current version expiry undo bad writes without it.',
  },
  deadLetterQueueIsLast: {
    ids: ['cdk-validator-cfnguard::sqs_dlq_check'],
    reason: 'This queue is itself the dead-letter queue of an EventBridge Scheduler target: a queue behind it would hold messages no one replays. Control Tower recognizes a dead-letter queue only by a RedriveAllowPolicy letting other queues use it, which no queue here needs.',
  },
} as const satisfies Record<string, { readonly ids: readonly string[]; readonly reason: string }>;

/**
 * Why a policy may name a resource with `*`: only where AWS offers nothing narrower. Each use names the
 * exact resource, so a new wildcard elsewhere in the same policy still fails synthesis.
 */
export const WILDCARD_RESOURCE_REASONS = {
  ecrAuthorizationToken: 'ecr:GetAuthorizationToken has no resource-level permissions ("*" is its only resource); the image actions are scoped to one repository.',
  runtimeObjectKeys: 'The object keys under this one prefix are chosen by the service at run time (date-partitioned); the prefix itself is fixed.',
  logStreams: 'Log stream names inside this one log group are chosen by the service at run time.',
  serviceWithoutResources: 'The actions Step Functions adds for X-Ray tracing, log delivery and sagemaker:ListTags support no resource-level permissions ("*" is their only resource).',
  serviceWithoutResourcesAndMetrics: 'The actions Step Functions adds for X-Ray tracing, log delivery and sagemaker:ListTags, and cloudwatch:PutMetricData of the records scored, support no resource-level permissions ("*" is their only resource); PutMetricData is limited to one namespace by the cloudwatch:namespace condition.',
  runtimeJobNames: 'SageMaker job names are made per run at run time (date, run id, attempt); the actions are limited to jobs and to Step Functions\' own job calls.',
  functionVersions: 'The versions and aliases of one function, which Step Functions may invoke by qualified ARN.',
  networkInterfaces: 'Lambda and SageMaker create and delete the network interfaces of a function or job in a VPC at run time, and the EC2 Describe actions have no resource type: "*" is their only resource (Lambda and SageMaker VPC documentation).',
  metricNamespace: 'cloudwatch:PutMetricData has no resource type ("*" is its only resource); the grant is limited to one namespace by the cloudwatch:namespace condition.',
  childExecutions: 'The executions of this one state machine that its Distributed Map starts as child workflows; their names are chosen by Step Functions at run time.',
  greengrassRuntimeIds: 'Greengrass deployment ids, the ids of their IoT jobs and the core devices (things) in the targeted thing groups are chosen at run time by the services and by device provisioning; creating a deployment is limited to the fleet\'s own thing groups.',
  listWithoutResources: 'greengrass:ListDeployments and cloudwatch:DescribeAlarms have no resource type ("*" is their only resource).',
} as const;

/** Why a policy may name a wildcard resource: a key of `WILDCARD_RESOURCE_REASONS`. */
export type WildcardResourceReason = keyof typeof WILDCARD_RESOURCE_REASONS;

/**
 * Acknowledges cdk-nag's AwsSolutions-IAM5 finding for one wildcard resource of a policy, rendered exactly as
 * cdk-nag renders it (`<Logical.Attr>` for Fn::GetAtt, `<Name>` for Ref, joins concatenated).
 */
export function acknowledgeWildcardResource(policy: IConstruct, resource: string, reason: WildcardResourceReason): void {
  const rendered = renderReference(Stack.of(policy).resolve(resource));
  Validations.of(policy).acknowledge({ id: `AwsSolutions-IAM5[Resource::${rendered}]`, reason: WILDCARD_RESOURCE_REASONS[reason] });
}

function renderReference(node: unknown): string {
  if (typeof node === 'string') {
    return node.replace(/\$\{/g, '<').replace(/\}/g, '>');
  }
  const fn = node as Record<string, any>;
  if (fn['Fn::Join']) {
    const [delimiter, items] = fn['Fn::Join'];
    return (items as unknown[]).map(renderReference).join(delimiter);
  }
  if (fn['Fn::GetAtt']) {
    return `<${fn['Fn::GetAtt'].map(renderReference).join('.')}>`;
  }
  if (fn.Ref) {
    return `<${renderReference(fn.Ref)}>`;
  }
  return JSON.stringify(node);
}

/** Records the reviewed acknowledgement `key` on a construct. */
export function acknowledge(construct: IConstruct, key: keyof typeof NAG_ACKNOWLEDGEMENTS): void {
  const { ids, reason } = NAG_ACKNOWLEDGEMENTS[key];
  for (const id of ids) {
    Validations.of(construct).acknowledge({ id, reason });
  }
}
