import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import type { PipelineNetwork } from './aws-network';
import { acknowledge, acknowledgeWildcardResource, contractStatement, fitDescription, trustedServicePrincipal } from '../../lib/aws';
import { LAMBDA_VPC_ACCESS } from '../../lib/aws/contracts/scheduler-lambda';

/**
 * Counts the newline-delimited records of one S3 object, streaming it (nothing is kept), and answers the count,
 * or `null` for an object that is not data (a folder marker, or a name such as `_SUCCESS` under the prefix). The one
 * thing Step Functions' service integrations cannot do: read object bodies. A Distributed Map runs it once per object.
 */
const HANDLER = `
import boto3

s3 = boto3.client("s3")


def handler(event, _context):
    key = event["key"]
    if key.endswith("/") or "/_" in "/" + key[len(event["prefix"]):]:
        return None
    records = 0
    last = b"\\n"
    for chunk in s3.get_object(Bucket=event["bucket"], Key=key)["Body"].iter_chunks(1 << 20):
        records += chunk.count(b"\\n")
        last = chunk[-1:] or last
    return records if last == b"\\n" else records + 1
`;

/**
 * The bounds of record counting, from Lambda's and Step Functions' limits. Each object is counted by its own
 * invocation, so a night is bounded by the number of objects (the counts come back in one state's output) and an
 * object by what one invocation streams before Lambda's timeout.
 */
export const RECORD_COUNTING = {
  // Lambda's longest timeout (https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html).
  invocationTimeoutSeconds: 900,
  // A conservative sustained rate of one S3 GET stream into a function with a full vCPU; counting newlines is faster.
  assumedStreamMbPerSecond: 50,
  // The largest object one invocation counts: 900 s x 50 MB/s = 45 GB, less a tenth for slow starts and retries.
  maxObjectGb: 40,
  // A state's output is at most 256 KiB (Step Functions quotas); each object adds its count and a comma to it:
  // at most 11 bytes for counts below 10^10 records, so 23,831 objects fit; the stated bound keeps a margin.
  maxResultBytes: 256 * 1024,
  maxObjectsPerRun: 20_000,
  // At most 100 objects counted at once: a tenth of the default account concurrency of 1,000, so a large night does
  // not throttle the account's other functions.
  maxConcurrency: 100,
  // One full vCPU (Lambda allocates CPU in proportion to memory; 1,769 MB is one vCPU).
  memoryMb: 1769,
} as const;

/** Props for `RecordCounter`. */
export interface RecordCounterProps {
  /** The key of the input and output objects and of the function's logs. */
  readonly encryptionKey: kms.IKey;
  /** Object ARNs with a trailing `*` the function may read. */
  readonly objectArns: string[];
  /**
   * Where the function runs in a VPC.
   * @default - outside a VPC: the function reaches only S3 and KMS, through IAM over TLS
   */
  readonly network?: PipelineNetwork;
}

/** The record-counting function of a `BatchScoringPipeline`, with its own role, policy and encrypted log group. */
export class RecordCounter extends Construct {
  /** The function. */
  public readonly function: lambda.Function;

  public constructor(scope: Construct, id: string, props: RecordCounterProps) {
    super(scope, id);
    const logGroup = new logs.LogGroup(this, 'Logs', {
      encryptionKey: props.encryptionKey,
      // A year of logs: the retention NIST 800-53 AU-11 examples use.
      retention: logs.RetentionDays.ONE_YEAR,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const role = new iam.Role(this, 'Role', { assumedBy: trustedServicePrincipal(this, 'lambda') });
    const policy = new iam.ManagedPolicy(this, 'Policy', { roles: [role] });
    for (const objectArn of props.objectArns) {
      policy.addStatements(new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: [objectArn] }));
      acknowledgeWildcardResource(policy, objectArn, 'runtimeObjectKeys');
    }
    policy.addStatements(new iam.PolicyStatement({ actions: ['kms:Decrypt'], resources: [props.encryptionKey.keyArn] }));
    policy.addStatements(new iam.PolicyStatement({ actions: ['logs:CreateLogStream', 'logs:PutLogEvents'], resources: [logGroup.logGroupArn] }));
    if (props.network) {
      policy.addStatements(contractStatement(LAMBDA_VPC_ACCESS, ['*']));
      acknowledgeWildcardResource(policy, '*', 'networkInterfaces');
    }

    this.function = new lambda.Function(this, 'Resource', {
      // The newest Python runtime Lambda runs (the CloudFormation specification cfn-lint checks has no 3.15 yet).
      runtime: lambda.Runtime.PYTHON_3_14,
      handler: 'index.handler',
      code: lambda.Code.fromInline(HANDLER),
      role,
      logGroup,
      timeout: Duration.seconds(RECORD_COUNTING.invocationTimeoutSeconds),
      memorySize: RECORD_COUNTING.memoryMb,
      description: fitDescription('lambda', `Counts the records of one object for ${scope.node.path}`),
      ...(props.network ? { vpc: props.network.vpc, vpcSubnets: props.network.subnets, securityGroups: [props.network.securityGroup] } : {}),
    });
    this.function.node.addDependency(policy);
    acknowledge(this.function, 'lambdaRuntimeAheadOfLaunch');
    if (!props.network) {
      acknowledge(this.function, 'lambdaOutsideVpc');
    }
    acknowledge(this.function, 'lambdaInvokedSynchronously');
    acknowledge(this.function, 'lambdaUnreservedConcurrency');
  }
}

/** Where the objects to count are: a bucket and a JSONata expression for the prefix (evaluated in the run). */
export interface CountedObjects {
  readonly bucketName: string;
  readonly prefixExpression: string;
}

/**
 * A Distributed Map that counts the records of every object under a prefix, one invocation of `counter` per object,
 * at most `RECORD_COUNTING.maxConcurrency` at once, and outputs `{objects, records}` (objects that are not data are
 * left out of both). Its child workflows are standard workflows: an express one stops after 5 minutes, before the
 * function's 15.
 */
export function countRecordsMap(
  scope: Construct, id: string, counter: lambda.IFunction, objects: CountedObjects, retry: sfn.RetryProps, assign: Record<string, string>,
): sfn.DistributedMap {
  const countObject = tasks.LambdaInvoke.jsonata(scope, `${id}Object`, {
    lambdaFunction: counter,
    payload: sfn.TaskInput.fromObject({ bucket: '{% $states.input.bucket %}', prefix: '{% $states.input.prefix %}', key: '{% $states.input.key %}' }),
    outputs: '{% $states.result.Payload %}',
    taskTimeout: sfn.Timeout.duration(Duration.seconds(RECORD_COUNTING.invocationTimeoutSeconds + 60)),
  }).addRetry(retry);
  return sfn.DistributedMap.jsonata(scope, id, {
    itemReader: new sfn.S3ObjectsItemReader({
      bucket: s3.Bucket.fromBucketName(scope, `${id}Bucket`, objects.bucketName),
      prefix: `{% ${objects.prefixExpression} %}`,
    }),
    itemSelector: {
      bucket: objects.bucketName,
      prefix: `{% ${objects.prefixExpression} %}`,
      key: '{% $states.context.Map.Item.Value.Key %}',
    },
    maxConcurrency: RECORD_COUNTING.maxConcurrency,
    toleratedFailurePercentage: 0,
    mapExecutionType: sfn.StateMachineType.STANDARD,
    assign,
    // The per-object results stay out of the next state's input: only the totals pass on.
    outputs: `{% ${COUNT_OBJECTS} %}`,
  }).itemProcessor(countObject);
}

/** The counts of one Distributed Map's results (`$states.result`: one count, or null, per object). */
export const COUNT_OBJECTS = "{ 'objects': $count($states.result[$type($) = 'number']), 'records': $sum([$states.result[$type($) = 'number']]) }";
