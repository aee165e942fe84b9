import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { acknowledge, acknowledgeWildcardResource } from '../../lib/aws';

/**
 * Counts newline-delimited records under two S3 prefixes, streaming each object (nothing is kept), and answers
 * `{inputObjects, inputRecords, outputObjects, outputRecords}`. The one thing Step Functions' service
 * integrations cannot do: read object bodies.
 */
const HANDLER = `
import boto3

s3 = boto3.client("s3")


def count(bucket, prefix):
    objects = records = 0
    for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix):
        for item in page.get("Contents", []):
            if item["Key"].endswith("/") or "/_" in "/" + item["Key"][len(prefix):]:
                continue
            objects += 1
            last = b"\\n"
            for chunk in s3.get_object(Bucket=bucket, Key=item["Key"])["Body"].iter_chunks(1 << 20):
                records += chunk.count(b"\\n")
                last = chunk[-1:] or last
            if last != b"\\n":
                records += 1
    return objects, records


def handler(event, _context):
    input_objects, input_records = count(event["inputBucket"], event["inputPrefix"])
    output_objects, output_records = count(event["outputBucket"], event["outputPrefix"])
    return {
        "inputObjects": input_objects,
        "inputRecords": input_records,
        "outputObjects": output_objects,
        "outputRecords": output_records,
    }
`;

/** Props for `RecordCounter`. */
export interface RecordCounterProps {
  /** The key of the input and output objects and of the function's logs. */
  readonly encryptionKey: kms.IKey;
  /** `arn:...:s3:::bucket` of the input and output buckets (listed). */
  readonly bucketArns: string[];
  /** Object ARNs with a trailing `*` the function may read. */
  readonly objectArns: string[];
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
    const role = new iam.Role(this, 'Role', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    const policy = new iam.ManagedPolicy(this, 'Policy', { roles: [role] });
    const allow = (actions: string[], resource: string, wildcard?: 'runtimeObjectKeys') => {
      policy.addStatements(new iam.PolicyStatement({ actions, resources: [resource] }));
      if (wildcard) {
        acknowledgeWildcardResource(policy, resource, wildcard);
      }
    };
    for (const bucketArn of props.bucketArns) {
      allow(['s3:ListBucket'], bucketArn);
    }
    for (const objectArn of props.objectArns) {
      allow(['s3:GetObject'], objectArn, 'runtimeObjectKeys');
    }
    allow(['kms:Decrypt'], props.encryptionKey.keyArn);
    allow(['logs:CreateLogStream', 'logs:PutLogEvents'], logGroup.logGroupArn);

    this.function = new lambda.Function(this, 'Resource', {
      // The newest Python runtime Lambda runs (the CloudFormation specification cfn-lint checks has no 3.15 yet).
      runtime: lambda.Runtime.PYTHON_3_14,
      handler: 'index.handler',
      code: lambda.Code.fromInline(HANDLER),
      role,
      logGroup,
      // Streaming at S3's ~100 MB/s per connection, 15 minutes (Lambda's maximum) counts about 90 GB.
      timeout: Duration.minutes(15),
      memorySize: 512,
      description: `Counts input and output records of ${scope.node.path}`,
    });
    this.function.node.addDependency(policy);
    acknowledge(this.function, 'lambdaRuntimeAheadOfLaunch');
    acknowledge(this.function, 'lambdaOutsideVpc');
    acknowledge(this.function, 'lambdaInvokedSynchronously');
    acknowledge(this.function, 'lambdaUnreservedConcurrency');
  }
}
