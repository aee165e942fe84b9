import { Aws, Duration, Size } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import type { Construct } from 'constructs';
import { COUNT_OBJECTS, countRecordsMap } from './aws-record-counter';
import { type BatchScoringPipelinePlan, RUN_LAYOUT, type S3Prefix } from './plan';
import type { SageMakerExecutionRole } from '../../lib/aws';
import { jsonataStringContent } from '../../lib/core';

/** What the state machine's definition needs besides the plan. */
export interface ScoringWorkflowOptions {
  readonly plan: BatchScoringPipelinePlan;
  /** The base of every transform job name (at most 30 characters). */
  readonly jobNamePrefix: string;
  readonly modelName: string;
  readonly execution: SageMakerExecutionRole;
  readonly encryptionKey: kms.IKey;
  readonly recordCounter: lambda.IFunction;
  readonly instanceType: string;
  readonly maxPayloadMb: number;
  readonly batchStrategy: 'MultiRecord' | 'SingleRecord';
  readonly splitType: 'Line' | 'None' | 'RecordIO' | 'TFRecord';
  /** The validation processing job's state, when the plan has a validator. */
  readonly validation?: sfn.CustomState;
  /** What follows a successful publish: the records-scored metric (`recordsScoredStep`). */
  readonly afterPublish: sfn.CustomState;
}

// ml.m5d, ml.c5d, ml.r5d, ml.g4dn, ml.p3dn, ml.p4d ...: a "d" in the family name after its generation.
const LOCAL_STORAGE_FAMILY = /^ml\.[a-z]+[0-9]+[a-z]*d[a-z]*\./;

// S3 answers a failed precondition with 412 PreconditionFailed, and a concurrent conditional write with 409
// ConditionalRequestConflict, to be retried (https://docs.aws.amazon.com/AmazonS3/latest/userguide/conditional-writes.html).
// Step Functions' naming rule for SDK errors (<Service>.<Error>Exception, supported-services-awssdk.html) would make
// the first S3.PreconditionFailedException, but S3 does not model it for PutObject: writes probed against AWS report
// it as the generic S3.S3Exception, the 412 only in the cause. Both names are caught and the cause decides.
export const PRECONDITION_FAILED = 'S3.PreconditionFailedException';
export const PUBLISH_CONFLICT = 'S3.ConditionalRequestConflictException';
export const S3_UNMODELLED_ERROR = 'S3.S3Exception';
/** True for the error output of a refused precondition (caught as either name above). */
export const REFUSED_PRECONDITION = `{% $states.input.Error = '${PRECONDITION_FAILED}'
  or ($exists($states.input.Cause) and $contains($states.input.Cause, /Status Code: 412|PreconditionFailed/)) %}`;

/** The manifest's ETag in FindPublished's listing, or '' when the date has no manifest. */
const MANIFEST_ETAG = (manifestKey: string) => `( $etag := $states.result.Contents[Key = (${manifestKey})].ETag; $exists($etag) ? $etag : '' )`;

/** The most run dates one backfill execution scores: a year. */
export const MAX_BACKFILL_DAYS = 366;

const DAY_MS = 86_400_000;
// RUN_LAYOUT's paths as JSONata string expressions over the state variables $runDate and $runId.
const RUN_DATE = "' & $runDate & '";
const RUN_ID = "' & $runId & '";
const jsonataText = (text: string) => `'${text}'`;
/** A location whose prefix is escaped for a JSONata string literal (users' prefixes may hold quotes). */
export const inJsonata = (location: S3Prefix): S3Prefix => ({ ...location, prefix: jsonataStringContent(location.prefix) });
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
 * is there, run the transform job and wait for it, count records, run the optional validation, publish the
 * manifest last with a conditional write, then put the records scored to CloudWatch (a failure there is caught).
 *
 * No state catches a failure (the one catch, on the manifest write, only tells a refused precondition from other
 * S3 errors): a failed step fails the execution where it stands, so a redrive (Step Functions re-runs only the
 * unsuccessful step and what follows it) resumes at that step, and the redrive count in the job names gives the
 * redriven job a name of its own. The owner hears of every failed, timed-out or aborted execution
 * from an EventBridge rule on the execution's status. Checks that a redrive can pass later fail their own task
 * (`$error` in its output: missing input); checks no redrive can change end in a Fail state (invalid dates, record
 * counts that differ: start a new, forced run).
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
  const inputPrefix = jsonataText(RUN_LAYOUT.inputPrefix(inJsonata(input), RUN_DATE));
  const runPrefix = jsonataText(RUN_LAYOUT.runPrefix(inJsonata(output), RUN_DATE, RUN_ID));
  const manifestKey = jsonataText(RUN_LAYOUT.manifestKey(inJsonata(output), RUN_DATE));
  const sdkRetry: sfn.RetryProps = { ...retry, errors: ['S3.S3Exception', 'States.Timeout', 'Lambda.TooManyRequestsException', 'Lambda.ServiceException'] };

  const findPublished = tasks.CallAwsService.jsonata(scope, 'FindPublished', {
    service: 's3',
    action: 'listObjectsV2',
    parameters: { Bucket: output.bucket, Prefix: `{% ${manifestKey} %}` },
    iamResources: [`arn:${Aws.PARTITION}:s3:::${output.bucket}`],
    iamAction: 's3:ListBucket',
    // The manifest's ETag ('' when there is none): a forced run replaces exactly the manifest it saw.
    assign: { manifestETag: `{% ${MANIFEST_ETAG(manifestKey)} %}` },
    taskTimeout: sfn.Timeout.duration(Duration.minutes(1)),
  }).addRetry(sdkRetry);

  const findInput = tasks.CallAwsService.jsonata(scope, 'FindInput', {
    service: 's3',
    action: 'listObjectsV2',
    parameters: { Bucket: input.bucket, Prefix: `{% ${inputPrefix} %}`, MaxKeys: 1 },
    iamResources: [`arn:${Aws.PARTITION}:s3:::${input.bucket}`],
    iamAction: 's3:ListBucket',
    // Missing input fails this task itself, so a redrive after the input arrived looks again.
    outputs: `{% $states.result.KeyCount > 0 ? { 'inputPresent': true } : $error('InputMissing: no objects under s3://${input.bucket}/' & ${inputPrefix}) %}`,
    taskTimeout: sfn.Timeout.duration(Duration.minutes(1)),
  }).addRetry(sdkRetry);

  const score = tasks.SageMakerCreateTransformJob.jsonata(scope, 'Score', {
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
      volumeEncryptionKey: usesVolumeKey(options.instanceType) ? options.encryptionKey : undefined,
    },
    environment: plan.environment,
    taskTimeout: sfn.Timeout.duration(stepTimeout),
  }).addRetry({ ...retry, errors: ['SageMaker.AmazonSageMakerException', 'SageMaker.ResourceLimitExceededException', 'States.TaskFailed'] });

  const lambdaRetry: sfn.RetryProps = { ...retry, errors: ['Lambda.TooManyRequestsException', 'Lambda.ServiceException', 'Lambda.AWSLambdaException', 'Lambda.SdkClientException', 'States.Timeout'] };
  // Input and output are counted one object per invocation; the two counts become $counts for the check and the manifest.
  const countInput = countRecordsMap(scope, 'CountInputRecords', options.recordCounter, { bucketName: input.bucket, prefixExpression: inputPrefix }, lambdaRetry,
    { inputCounts: `{% ${COUNT_OBJECTS} %}` });
  const countOutput = countRecordsMap(scope, 'CountOutputRecords', options.recordCounter, { bucketName: output.bucket, prefixExpression: runPrefix }, lambdaRetry,
    { counts: `{% ( $output := ${COUNT_OBJECTS}; { 'inputObjects': $inputCounts.objects, 'inputRecords': $inputCounts.records, 'outputObjects': $output.objects, 'outputRecords': $output.records } ) %}` });

  // Conditional writes: a normal run creates the manifest only if no run published the date meanwhile; a forced run
  // replaces only the manifest FindPublished saw. A failed precondition (412) means another run published first:
  // not a fault of this run, and nothing is overwritten.
  const publishedByAnotherRun = sfn.Succeed.jsonata(scope, 'PublishedByAnotherRun', {
    comment: 'Another run published this date between FindPublished and Publish; its manifest stays.',
  });
  const writeManifest = (id: string, condition: Record<string, string>) => tasks.CallAwsService.jsonata(scope, id, {
    service: 's3',
    action: 'putObject',
    parameters: {
      Bucket: output.bucket,
      Key: `{% ${manifestKey} %}`,
      ContentType: 'application/json',
      ServerSideEncryption: 'aws:kms',
      SSEKMSKeyId: options.encryptionKey.keyArn,
      ...condition,
      Body: `{% $string({ 'runDate': $runDate, 'runId': $runId, 'execution': $states.context.Execution.Id,
        'results': 's3://${output.bucket}/' & ${runPrefix}, 'inputRecords': $counts.inputRecords,
        'outputRecords': $counts.outputRecords, 'publishedAt': $states.context.State.EnteredTime }) %}`,
    },
    iamResources: [`arn:${Aws.PARTITION}:s3:::${output.bucket}/${output.prefix}published/*`],
    iamAction: 's3:PutObject',
    taskTimeout: sfn.Timeout.duration(Duration.minutes(1)),
  });
  // The first write retries only what cannot be a refused precondition; any S3 error goes to a check of its cause:
  // a 412 ends the run as published by another, anything else writes again with the usual retries and, failing,
  // fails the run at that second write, where a redrive resumes and writes again (the condition keeps it safe).
  const publishWith = (id: string, condition: Record<string, string>) => {
    const again = writeManifest(`${id}Again`, condition).addRetry({ ...sdkRetry, errors: [PUBLISH_CONFLICT, ...sdkRetry.errors!] })
      .next(options.afterPublish);
    const refused = sfn.Choice.jsonata(scope, `${id}Refused`)
      .when(sfn.Condition.jsonata(REFUSED_PRECONDITION), publishedByAnotherRun)
      .otherwise(again);
    return writeManifest(id, condition)
      .addRetry({ ...retry, errors: [PUBLISH_CONFLICT, 'States.Timeout'] })
      .addCatch(refused, { errors: [PRECONDITION_FAILED, S3_UNMODELLED_ERROR], outputs: '{% $states.errorOutput %}' })
      .next(options.afterPublish);
  };
  const publish = sfn.Choice.jsonata(scope, 'ReplacePublished')
    .when(sfn.Condition.jsonata("{% $force and $manifestETag != '' %}"), publishWith('Replace', { IfMatch: '{% $manifestETag %}' }))
    .otherwise(publishWith('Publish', { IfNoneMatch: '*' }));

  // Records are counted as lines; for other split types only the objects are compared (one output per input object).
  const recordsWithin = options.splitType === 'Line'
    ? ` and $abs($counts.outputRecords - $counts.inputRecords) <= ${plan.rowCountTolerance} * $counts.inputRecords` : '';
  const countsWithin = `{% $counts.outputObjects = $counts.inputObjects${recordsWithin} %}`;
  const checkCounts = sfn.Choice.jsonata(scope, 'RecordCountsMatch')
    .when(sfn.Condition.jsonata(countsWithin), options.validation ? options.validation.next(publish) : publish)
    .otherwise(sfn.Fail.jsonata(scope, 'RecordCountMismatch', {
      error: 'RecordCountMismatch',
      cause: "{% 'Input ' & $counts.inputObjects & ' objects, ' & $counts.inputRecords & ' records; output ' & $counts.outputObjects & ' objects, ' & $counts.outputRecords & ' records. Nothing was published: start a new run with force after fixing the cause.' %}",
    }));

  const perDate = sfn.Pass.jsonata(scope, 'StartRun', {
    assign: {
      runDate: '{% $states.input.runDate %}',
      force: '{% $states.input.force %}',
      // Eight hex characters of the execution id: the same for every attempt of this execution's run.
      runId: '{% $substring($hash($states.context.Execution.Id, "MD5"), 0, 8) %}',
    },
  }).next(findPublished).next(sfn.Choice.jsonata(scope, 'AlreadyPublished')
    .when(sfn.Condition.jsonata("{% $manifestETag != '' and $not($force) %}"), sfn.Succeed.jsonata(scope, 'SkipPublishedDate'))
    .otherwise(findInput.next(score).next(countInput).next(countOutput).next(checkCounts)));

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

/** Whether a transform job on `instanceType` gets a volume key (instances with local NVMe storage refuse one). */
export function usesVolumeKey(instanceType: string): boolean {
  return !LOCAL_STORAGE_FAMILY.test(instanceType);
}
