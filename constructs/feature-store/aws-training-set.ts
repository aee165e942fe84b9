import { Aws, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import type * as athena from 'aws-cdk-lib/aws-athena';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import type { FeatureStorePlan } from './plan';
import { pointInTimeSql } from './point-in-time';
import { acknowledge, acknowledgeWildcardResource } from '../../lib/aws';
import { TRAINING_SET_QUERY } from '../../lib/aws/contracts/feature-store';
import { trustedServicePrincipal } from '../../lib/aws/service-principals';
import { jsonataStringContent, PropChecks } from '../../lib/core';

/** A point-in-time training set: an entity table of (ids, time, labels) joined to feature groups as of each row's time. */
export interface TrainingSetSpec {
  /** The training set's name: lowercase letters, digits and "-", e.g. `fraud-training`. */
  readonly name: string;
  /** The Glue database of the entity table. */
  readonly entityDatabase: string;
  /** The entity table: a column per join key of the groups, the time column and the pass-through columns. */
  readonly entityTable: string;
  /** Where the entity table's data lives, `s3://bucket/prefix/`: the training-set role may read it. */
  readonly entityLocation: string;
  /** The entity table's timestamp column: features are taken as of this time. */
  readonly timestampColumn: string;
  /**
   * Columns copied unchanged (labels, weights).
   * @default - none
   */
  readonly passThroughColumns?: readonly string[];
  /** The feature groups to join, by name (each with an offline store). */
  readonly featureGroups: readonly string[];
}

/** What a training-set workflow is built from. */
export interface TrainingSetWorkflowProps {
  readonly spec: TrainingSetSpec;
  /** The prop the spec came from, for messages. */
  readonly prop: string;
  readonly plan: FeatureStorePlan;
  readonly workGroup: athena.CfnWorkGroup;
  readonly bucket: s3.IBucket;
  readonly prefix: string;
  readonly encryptionKey: kms.IKey;
}

const NAME = /^[a-z0-9]([-a-z0-9]{0,38}[a-z0-9])?$/;
const COLUMN = /^[a-zA-Z0-9_]{1,128}$/;
const S3_URI = /^s3:\/\/([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])\/((?:[^/]+\/)*)$/;
// A training set over months of features takes minutes in Athena; two hours is a stuck query.
const QUERY_TIMEOUT = Duration.hours(2);

/**
 * One training set on demand: a state machine that runs the point-in-time query in the store's workgroup through
 * Step Functions' Athena `.sync` integration as `UNLOAD ... TO` the run's own prefix
 * (`training-sets/<name>/runs/run_id=<id>/`, Parquet), then publishes `training-sets/<name>/published/run_id=<id>/manifest.json`
 * last, with `IfNoneMatch: *`, so a manifest exists only for a finished run and is written once.
 */
export class TrainingSetWorkflow extends Construct {
  /** The state machine: start it with no input (`aws stepfunctions start-execution --state-machine-arn <arn>`). */
  public readonly stateMachine: sfn.StateMachine;
  /** The query, in Athena's SQL, that each run unloads. */
  public readonly query: string;

  public constructor(scope: Construct, id: string, props: TrainingSetWorkflowProps) {
    super(scope, id);
    const { spec, prop, plan, bucket, encryptionKey } = props;
    const checks = new PropChecks(scope);
    const given = checks.object(prop, spec);
    const name = checks.string(`${prop}.name`, given.name, { pattern: NAME, allowed: '1-40 lowercase letters, digits and "-"', fix: 'name it, e.g. "fraud-training"' });
    const column = (columnProp: string, value: unknown) => checks.string(columnProp, value, { pattern: COLUMN, allowed: 'letters, digits and "_" (a Glue column)', fix: 'name the column' });
    const database = column(`${prop}.entityDatabase`, given.entityDatabase);
    const table = column(`${prop}.entityTable`, given.entityTable);
    const timestampColumn = column(`${prop}.timestampColumn`, given.timestampColumn);
    const passThrough = given.passThroughColumns === undefined ? [] : checks.array(`${prop}.passThroughColumns`, given.passThroughColumns, (entry, itemProp) => column(itemProp, entry));
    const location = checks.string(`${prop}.entityLocation`, given.entityLocation, { pattern: S3_URI, allowed: 's3://bucket/prefix/ (ending in "/")', fix: 'give the entity table\'s S3 location' });
    const groups = checks.array(`${prop}.featureGroups`, given.featureGroups, (entry, itemProp) => {
      const group = plan.groups.find((candidate) => candidate.name === entry);
      if (!group || !group.offline) {
        return checks.fail(itemProp, entry, `a group of the store with an offline store: ${plan.groups.filter((g) => g.offline).map((g) => JSON.stringify(g.name)).join(', ')}`, 'name one of those');
      }
      return group;
    });
    if (groups.length === 0) {
      checks.fail(`${prop}.featureGroups`, given.featureGroups, 'at least one group', 'name the groups to join');
    }

    this.query = pointInTimeSql(plan, { entities: { table: `${database}.${table}`, timestampColumn, passThroughColumns: passThrough }, groups }, 'athena');
    const setPrefix = `${props.prefix}training-sets/${name}/`;
    const runs = `s3://${bucket.bucketName}/${setPrefix}runs/run_id=`;
    const unload = `UNLOAD (${this.query.trimEnd()}) TO '`;
    const unloadEnd = "/' WITH (format = 'PARQUET', compression = 'SNAPPY')";

    const runQuery = new sfn.CustomState(this, 'RunQuery', {
      stateJson: {
        Type: 'Task',
        QueryLanguage: 'JSONata',
        Resource: `arn:${Aws.PARTITION}:states:::athena:startQueryExecution.sync`,
        Arguments: {
          // UNLOAD writes the rows under the run's own prefix; the enforced workgroup keeps the query's metadata.
          QueryString: `{% '${jsonataStringContent(unload)}' & '${jsonataStringContent(runs)}' & $runId & '${jsonataStringContent(unloadEnd)}' %}`,
          WorkGroup: props.workGroup.ref,
          QueryExecutionContext: { Catalog: 'AwsDataCatalog', Database: plan.projectName },
        },
        Output: { queryExecutionId: '{% $states.result.QueryExecution.QueryExecutionId %}' },
        TimeoutSeconds: QUERY_TIMEOUT.toSeconds(),
        Retry: [{ ErrorEquals: ['Athena.TooManyRequestsException', 'Athena.InternalServerException'], IntervalSeconds: 30, MaxAttempts: 3, BackoffRate: 2 }],
      },
    });
    const publish = tasks.CallAwsService.jsonata(this, 'Publish', {
      service: 's3',
      action: 'putObject',
      parameters: {
        Bucket: bucket.bucketName,
        Key: `{% '${jsonataStringContent(`${setPrefix}published/run_id=`)}' & $runId & '/manifest.json' %}`,
        ContentType: 'application/json',
        ServerSideEncryption: 'aws:kms',
        SSEKMSKeyId: encryptionKey.keyArn,
        IfNoneMatch: '*',
        Body: `{% $string({ 'trainingSet': '${name}', 'runId': $runId, 'execution': $states.context.Execution.Id, 'results': '${jsonataStringContent(runs)}' & $runId & '/', `
          + `'format': 'parquet', 'queryExecutionId': $states.input.queryExecutionId, 'featureGroups': ${JSON.stringify(groups.map((group) => group.name))}, `
          + "'publishedAt': $states.context.State.EnteredTime }) %}",
      },
      iamResources: [bucket.arnForObjects(`${setPrefix}published/*`)],
      iamAction: 's3:PutObject',
      taskTimeout: sfn.Timeout.duration(Duration.minutes(1)),
    });
    const start = sfn.Pass.jsonata(this, 'StartRun', {
      // Eight hex characters of the execution id: the same for every attempt of this execution.
      assign: { runId: '{% $substring($hash($states.context.Execution.Id, "MD5"), 0, 8) %}' },
    });

    const logGroup = new logs.LogGroup(this, 'Logs', { encryptionKey, retention: logs.RetentionDays.ONE_YEAR, removalPolicy: RemovalPolicy.RETAIN });
    this.stateMachine = new sfn.StateMachine(this, 'Resource', {
      role: new iam.Role(this, 'Role', { assumedBy: trustedServicePrincipal(this, 'stepFunctions') }),
      definitionBody: sfn.DefinitionBody.fromChainable(start.next(runQuery).next(publish)),
      queryLanguage: sfn.QueryLanguage.JSONATA,
      timeout: QUERY_TIMEOUT.plus(Duration.minutes(10)),
      tracingEnabled: true,
      logs: { destination: logGroup, level: sfn.LogLevel.ALL, includeExecutionData: false },
      comment: `Point-in-time training set ${name} of feature store ${plan.storeName}`,
    });
    this.grantQuery(props, setPrefix, location, database, groups.map((group) => group.tableName));
  }

  /** The Athena `.sync` calls, the Glue tables read, the data read and written: TRAINING_SET_QUERY's actions, each on its resources. */
  private grantQuery(props: TrainingSetWorkflowProps, setPrefix: string, location: string, database: string, tables: string[]): void {
    const stack = Stack.of(this);
    const { bucket, encryptionKey, plan } = props;
    const [, entityBucket, entityPrefix] = S3_URI.exec(location)!;
    const actions = (prefix: string, ...only: string[]) => TRAINING_SET_QUERY.callerActions
      .filter((action) => action.startsWith(prefix) && (only.length === 0 || only.includes(action)));
    const glueTables = [
      ...tables.map((table) => stack.formatArn({ service: 'glue', resource: 'table', resourceName: `${plan.projectName}/${table}` })),
      stack.formatArn({ service: 'glue', resource: 'table', resourceName: `${database}/${props.spec.entityTable}` }),
    ];
    const statements = [
      new iam.PolicyStatement({ actions: actions('athena:'), resources: [stack.formatArn({ service: 'athena', resource: 'workgroup', resourceName: props.workGroup.ref })] }),
      new iam.PolicyStatement({
        actions: actions('glue:'),
        resources: [
          stack.formatArn({ service: 'glue', resource: 'catalog' }),
          stack.formatArn({ service: 'glue', resource: 'database', resourceName: plan.projectName }),
          stack.formatArn({ service: 'glue', resource: 'database', resourceName: database }),
          ...glueTables,
        ],
      }),
      new iam.PolicyStatement({ actions: actions('s3:', 's3:ListBucket', 's3:GetBucketLocation'), resources: [bucket.bucketArn, `arn:${Aws.PARTITION}:s3:::${entityBucket}`] }),
      new iam.PolicyStatement({
        actions: actions('s3:', 's3:GetObject'),
        resources: [bucket.arnForObjects(`${props.prefix}offline/*`), `arn:${Aws.PARTITION}:s3:::${entityBucket}/${entityPrefix}*`],
      }),
      new iam.PolicyStatement({
        actions: actions('s3:', 's3:PutObject', 's3:AbortMultipartUpload', 's3:GetObject'),
        resources: [bucket.arnForObjects(`${setPrefix}runs/*`), bucket.arnForObjects(`${props.prefix}athena-results/*`)],
      }),
      new iam.PolicyStatement({ actions: actions('kms:'), resources: [encryptionKey.keyArn] }),
    ];
    for (const statement of statements) {
      this.stateMachine.addToRolePolicy(statement);
    }
    const role = this.stateMachine.role;
    acknowledge(role, 'stepFunctionsTaskPolicies');
    const policy = role.node.findChild('DefaultPolicy');
    acknowledgeWildcardResource(policy, '*', 'serviceWithoutResources');
    for (const resource of [
      bucket.arnForObjects(`${props.prefix}offline/*`), `arn:${Aws.PARTITION}:s3:::${entityBucket}/${entityPrefix}*`, bucket.arnForObjects(`${setPrefix}runs/*`),
      bucket.arnForObjects(`${props.prefix}athena-results/*`), bucket.arnForObjects(`${setPrefix}published/*`),
    ]) {
      acknowledgeWildcardResource(policy, resource, 'runtimeObjectKeys');
    }
  }
}
