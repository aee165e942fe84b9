import { Aws, Duration, Size } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as sns from 'aws-cdk-lib/aws-sns';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import type { Construct } from 'constructs';
import { type BatchScoringPipelinePlan, RUN_LAYOUT } from './plan';
import type { SageMakerExecutionRole } from '../../lib/aws';

/** What the state machine's definition needs besides the plan. */
export interface ScoringWorkflowOptions {
  readonly plan: BatchScoringPipelinePlan;
  /** The base of every transform job name (at most 30 characters). */
  readonly jobNamePrefix: string;
  readonly modelName: string;
  readonly execution: SageMakerExecutionRole;
  readonly encryptionKey: kms.IKey;
  readonly recordCounter: lambda.IFunction;
  readonly failureTopic: sns.ITopic;
  readonly instanceType: string;
  readonly maxPayloadMb: number;
  readonly batchStrategy: 'MultiRecord' | 'SingleRecord';
  readonly splitType: 'Line' | 'None' | 'RecordIO' | 'TFRecord';
  /** The validation processing job's state, when the plan has a validator. */
  readonly validation?: sfn.CustomState;
}

// ml.m5d, ml.c5d, ml.r5d, ml.g4dn, ml.p3dn, ml.p4d ...: a "d" in the family name after its generation.
const LOCAL_STORAGE_FAMILY = /^ml\.[a-z]+[0-9]+[a-z]*d[a-z]*\./;

/** The most run dates one backfill execution scores: a year. */
export const MAX_BACKFILL_DAYS = 366;

const DAY_MS = 86_400_000;
// RUN_LAYOUT's paths as JSONata string expressions over the state variables $runDate and $runId.
const RUN_DATE = "' & $runDate & '";
const RUN_ID = "' & $runId & '";
const jsonataText = (text: string) => `'${text}'`;
// The run date of a scheduled run: the UTC day before the scheduled time. `[$map(...)]` keeps one date a list:
// JSONata collapses a sequence of one into its value.
const RESOLVE_DATES = `{% (
  $day := ${DAY_MS};
  $date := function($ms) { $fromMillis($ms, '[Y0001]-[M01]-[D01]') };
  $from := $exists($states.input.runDate) ? $states.input.runDate
    : $exists($states.input.from) ? $states.input.from
    : $date($toMillis($states.input.scheduledTime) - $day);
  $to := $exists($states.input.to) ? $states.input.to : $from;
  $days := ($toMillis($to) - $toMillis($from)) / $day;
  { 'runDates': $days >= 0 and $days < ${MAX_BACKFILL_DAYS} ? [$map([0..$days], function($i) { $date($toMillis($from) + $i * $day) })] : [],
    'force': $exists($states.input.force) and $states.input.force = true }
) %}`;

/**
 * The state machine of a batch scoring pipeline (JSONata): resolve the run dates (the scheduled day, one date
 * or a range), then for each date in turn: skip it when already published (unless forced), check the input
 * is there, run the transform job and wait for it, count records, run the optional validation, and publish the
 * manifest last. Every failure notifies the owner and fails the execution; a failed run never touches the
 * published manifest.
 */
export function scoringWorkflow(scope: Construct, options: ScoringWorkflowOptions): sfn.IChainable {
  const { plan } = options;
  const input = plan.input;
  const output = plan.output;
  const retry: sfn.RetryProps = {
    maxAttempts: plan.retries.maxAttempts - 1,
    interval: Duration.seconds(plan.retries.intervalSeconds),
    backoffRate: plan.retries.backoffRate,
  };
  const stepTimeout = Duration.seconds(plan.runTimeoutSeconds);
  const inputPrefix = jsonataText(RUN_LAYOUT.inputPrefix(input, RUN_DATE));
  const runPrefix = jsonataText(RUN_LAYOUT.runPrefix(output, RUN_DATE, RUN_ID));
  const manifestKey = jsonataText(RUN_LAYOUT.manifestKey(output, RUN_DATE));
  const sdkRetry: sfn.RetryProps = { ...retry, errors: ['S3.S3Exception', 'States.Timeout', 'Lambda.TooManyRequestsException', 'Lambda.ServiceException'] };

  const notifyFailure = tasks.SnsPublish.jsonata(scope, 'NotifyFailure', {
    topic: options.failureTopic,
    subject: 'Batch scoring run failed',
    message: sfn.TaskInput.fromText('{% \'Run date \' & $runDate & \' failed in \' & $states.context.Execution.Id & \': \' & $string($states.input) %}'),
  }).next(sfn.Fail.jsonata(scope, 'RunFailed', { error: 'BatchScoringRunFailed', cause: 'See the owner notification and the execution history.' }));
  const onFailure = <T extends sfn.TaskStateBase>(state: T): T => {
    state.addCatch(notifyFailure, { errors: ['States.ALL'] });
    return state;
  };

  const findPublished = onFailure(tasks.CallAwsService.jsonata(scope, 'FindPublished', {
    service: 's3',
    action: 'listObjectsV2',
    parameters: { Bucket: output.bucket, Prefix: `{% ${manifestKey} %}` },
    iamResources: [`arn:${Aws.PARTITION}:s3:::${output.bucket}`],
    iamAction: 's3:ListBucket',
    outputs: '{% { "published": $states.result.KeyCount > 0 } %}',
    taskTimeout: sfn.Timeout.duration(Duration.minutes(1)),
  }).addRetry(sdkRetry));

  const findInput = onFailure(tasks.CallAwsService.jsonata(scope, 'FindInput', {
    service: 's3',
    action: 'listObjectsV2',
    parameters: { Bucket: input.bucket, Prefix: `{% ${inputPrefix} %}`, MaxKeys: 1 },
    iamResources: [`arn:${Aws.PARTITION}:s3:::${input.bucket}`],
    iamAction: 's3:ListBucket',
    outputs: '{% { "inputObjects": $states.result.KeyCount } %}',
    taskTimeout: sfn.Timeout.duration(Duration.minutes(1)),
  }).addRetry(sdkRetry));

  const score = onFailure(tasks.SageMakerCreateTransformJob.jsonata(scope, 'Score', {
    integrationPattern: sfn.IntegrationPattern.RUN_JOB,
    // One name per run and attempt: a retried step starts a new job only after the previous one failed.
    // A redriven execution keeps its id and restarts the retry count, so the redrive count is part of the name too.
    transformJobName: `{% '${options.jobNamePrefix}-' & $replace($runDate, '-', '') & '-' & $runId & '-' & $states.context.Execution.RedriveCount & '-' & $states.context.State.RetryCount %}`,
    modelName: options.modelName,
    role: options.execution.role,
    batchStrategy: options.batchStrategy as tasks.BatchStrategy,
    maxPayload: Size.mebibytes(options.maxPayloadMb),
    transformInput: {
      transformDataSource: { s3DataSource: { s3Uri: `{% 's3://${input.bucket}/' & ${inputPrefix} %}`, s3DataType: tasks.S3DataType.S3_PREFIX } },
      splitType: options.splitType as tasks.SplitType,
    },
    transformOutput: {
      s3OutputPath: `{% 's3://${output.bucket}/' & ${runPrefix} %}`,
      encryptionKey: options.encryptionKey,
      assembleWith: options.splitType === 'Line' ? tasks.AssembleWith.LINE : tasks.AssembleWith.NONE,
    },
    transformResources: {
      instanceCount: plan.shards,
      instanceType: new ec2.InstanceType(options.instanceType.replace(/^ml\./, '')),
      // Instances with local NVMe storage (the "d" families) encrypt it themselves and refuse a volume key.
      volumeEncryptionKey: LOCAL_STORAGE_FAMILY.test(options.instanceType) ? undefined : options.encryptionKey,
    },
    environment: plan.environment,
    taskTimeout: sfn.Timeout.duration(stepTimeout),
  }).addRetry({ ...retry, errors: ['SageMaker.AmazonSageMakerException', 'SageMaker.ResourceLimitExceededException', 'States.TaskFailed'] }));

  const countRecords = onFailure(tasks.LambdaInvoke.jsonata(scope, 'CountRecords', {
    lambdaFunction: options.recordCounter,
    payload: sfn.TaskInput.fromObject({
      inputBucket: input.bucket,
      inputPrefix: `{% ${inputPrefix} %}`,
      outputBucket: output.bucket,
      outputPrefix: `{% ${runPrefix} %}`,
    }),
    // The counts stay available to the check and to the manifest.
    assign: { counts: '{% $states.result.Payload %}' },
    outputs: '{% $states.result.Payload %}',
    taskTimeout: sfn.Timeout.duration(Duration.minutes(16)),
  }).addRetry(sdkRetry));

  const publish = onFailure(tasks.CallAwsService.jsonata(scope, 'Publish', {
    service: 's3',
    action: 'putObject',
    parameters: {
      Bucket: output.bucket,
      Key: `{% ${manifestKey} %}`,
      ContentType: 'application/json',
      ServerSideEncryption: 'aws:kms',
      SSEKMSKeyId: options.encryptionKey.keyArn,
      Body: `{% $string({ 'runDate': $runDate, 'runId': $runId, 'execution': $states.context.Execution.Id,
        'results': 's3://${output.bucket}/' & ${runPrefix}, 'inputRecords': $counts.inputRecords,
        'outputRecords': $counts.outputRecords, 'publishedAt': $states.context.State.EnteredTime }) %}`,
    },
    iamResources: [`arn:${Aws.PARTITION}:s3:::${output.bucket}/${output.prefix}published/*`],
    iamAction: 's3:PutObject',
    taskTimeout: sfn.Timeout.duration(Duration.minutes(1)),
  }).addRetry(sdkRetry));

  options.validation?.addCatch(notifyFailure, { errors: ['States.ALL'] });
  // Records are counted as lines; for other split types only the objects are compared (one output per input object).
  const recordsWithin = options.splitType === 'Line'
    ? ` and $abs($counts.outputRecords - $counts.inputRecords) <= ${plan.rowCountTolerance} * $counts.inputRecords` : '';
  const countsWithin = `{% $counts.outputObjects = $counts.inputObjects${recordsWithin} %}`;
  const checkCounts = sfn.Choice.jsonata(scope, 'RecordCountsMatch')
    .when(sfn.Condition.jsonata(countsWithin), options.validation ? options.validation.next(publish) : publish)
    .otherwise(sfn.Pass.jsonata(scope, 'RecordCountMismatch', { outputs: '{% { "error": "RecordCountMismatch", "counts": $counts } %}' }).next(notifyFailure));

  findInput.next(sfn.Choice.jsonata(scope, 'InputPresent')
    .when(sfn.Condition.jsonata('{% $states.input.inputObjects > 0 %}'), score.next(countRecords.next(checkCounts)))
    .otherwise(sfn.Pass.jsonata(scope, 'InputMissing', { outputs: `{% { "error": "InputMissing", "inputPrefix": ${inputPrefix} } %}` }).next(notifyFailure)));

  const perDate = sfn.Pass.jsonata(scope, 'StartRun', {
    assign: {
      runDate: '{% $states.input.runDate %}',
      force: '{% $states.input.force %}',
      // Eight hex characters of the execution id: the same for every attempt of this execution's run.
      runId: '{% $substring($hash($states.context.Execution.Id, "MD5"), 0, 8) %}',
    },
  }).next(findPublished).next(sfn.Choice.jsonata(scope, 'AlreadyPublished')
    .when(sfn.Condition.jsonata('{% $states.input.published and $not($force) %}'), sfn.Succeed.jsonata(scope, 'SkipPublishedDate'))
    .otherwise(findInput));

  const eachDate = sfn.Map.jsonata(scope, 'ScoreEachDate', {
    items: sfn.ProvideItems.jsonata('{% $states.input.runDates %}'),
    itemSelector: { runDate: '{% $states.context.Map.Item.Value %}', force: '{% $states.input.force %}' },
    // One date at a time: a backfill does not take more capacity than a nightly run.
    maxConcurrency: 1,
  }).itemProcessor(perDate);

  return sfn.Pass.jsonata(scope, 'ResolveRunDates', { outputs: RESOLVE_DATES })
    .next(sfn.Choice.jsonata(scope, 'RunDatesValid')
      .when(sfn.Condition.jsonata('{% $count($states.input.runDates) > 0 %}'), eachDate)
      .otherwise(sfn.Fail.jsonata(scope, 'InvalidRunDates', {
        error: 'InvalidRunDates',
        cause: `Give runDate, or from and to (YYYY-MM-DD, from <= to, at most ${MAX_BACKFILL_DAYS} days).`,
      })));
}
