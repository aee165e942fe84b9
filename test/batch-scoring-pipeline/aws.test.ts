import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import {
  applyResidency, BatchScoringPipeline, type BatchScoringPipelineProps, ContainerImage, EncryptionKey, MlPlatformError, OwnerNotifications,
  Residency, StackSbom,
} from '../../constructs/aws';
import { conformingApp, synthesizeConforming } from '../support/aws-conformance';
import { IMAGE, MODEL, thrownBy } from '../support/canary-fixtures';

const VALIDATOR = ContainerImage.fromDigest(`123456789012.dkr.ecr.eu-west-1.amazonaws.com/fraud-validator@sha256:${'c'.repeat(64)}`);

function pipelineStack(overrides: Partial<BatchScoringPipelineProps> = {}, app = new App()) {
  applyResidency(app, Residency.EU);
  const stack = new Stack(app, 'Scoring', { env: { region: 'eu-west-1', account: '123456789012' } });
  const notifications = new OwnerNotifications(stack, 'Owner', { encryptionKey: new EncryptionKey(stack, 'Key').key });
  const pipeline = new BatchScoringPipeline(stack, 'Nightly', {
    model: MODEL,
    image: IMAGE,
    schedule: { cron: '0 2 * * *', timeZone: 'Europe/Dublin' },
    inputUri: 's3://fraud-data-eu/transactions/',
    outputUri: 's3://fraud-data-eu/scores/',
    notifications,
    ...overrides,
  });
  return { app, stack, pipeline, template: () => Template.fromStack(stack) };
}

/** The state machine's definition (Amazon States Language), with its tokens left as placeholders. */
function definition(stack: Stack): any {
  const machine = Object.values(Template.fromStack(stack).findResources('AWS::StepFunctions::StateMachine'))[0] as any;
  const parts = machine.Properties.DefinitionString['Fn::Join'][1] as unknown[];
  return JSON.parse(parts.map((part) => (typeof part === 'string' ? part : 'TOKEN')).join(''));
}

/** A state anywhere in the definition, including inside the per-date Map. */
function state(asl: any, name: string): any {
  return asl.States[name] ?? asl.States.ScoreEachDate.ItemProcessor.States[name];
}

describe('AWS BatchScoringPipeline', () => {
  test('GIVEN a nightly cron in Europe/Dublin THEN an EventBridge schedule in that zone starts the state machine with its scheduled time, a DLQ and retries', () => {
    const { template } = pipelineStack();
    template().hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'cron(0 2 * * ? *)',
      ScheduleExpressionTimezone: 'Europe/Dublin',
      State: 'ENABLED',
      KmsKeyArn: Match.anyValue(),
      FlexibleTimeWindow: { Mode: 'OFF' },
      Target: Match.objectLike({
        Input: '{"scheduledTime":"<aws.scheduler.scheduled-time>"}',
        DeadLetterConfig: { Arn: Match.anyValue() },
        RetryPolicy: { MaximumEventAgeInSeconds: 3600, MaximumRetryAttempts: 3 },
      }),
    });
  });

  test('GIVEN defaults THEN a JSONata state machine, traced, logging to an encrypted log group without execution data, timing out', () => {
    const { template, stack } = pipelineStack();
    template().hasResourceProperties('AWS::StepFunctions::StateMachine', {
      TracingConfiguration: { Enabled: true },
      LoggingConfiguration: { Level: 'ALL', IncludeExecutionData: false, Destinations: [Match.anyValue()] },
    });
    const asl = definition(stack);
    expect(asl.QueryLanguage).toBe('JSONata');
    // A backstop for a full backfill (366 dates x every attempt at the run timeout), capped at Step Functions' year.
    expect(asl.TimeoutSeconds).toBe(365 * 24 * 3600);
    expect(definition(pipelineStack({ runTimeoutMinutes: 5 }).stack).TimeoutSeconds).toBe(366 * (2 * 3 * 300 + 3600));
    template().hasResourceProperties('AWS::Logs::LogGroup', { KmsKeyId: Match.anyValue(), RetentionInDays: 365 });
  });

  test('GIVEN the definition THEN the per-date path checks publication, then input, scores, counts and publishes last', () => {
    const asl = definition(pipelineStack().stack).States.ScoreEachDate.ItemProcessor;
    expect(asl.StartAt).toBe('StartRun');
    const next = (name: string) => asl.States[name].Next;
    expect([next('StartRun'), next('FindPublished')]).toEqual(['FindPublished', 'AlreadyPublished']);
    expect(asl.States.AlreadyPublished.Default).toBe('FindInput');
    expect(asl.States.AlreadyPublished.Choices[0].Next).toBe('SkipPublishedDate');
    expect([next('FindInput'), next('Score'), next('CountInputRecords'), next('CountOutputRecords')])
      .toEqual(['Score', 'CountInputRecords', 'CountOutputRecords', 'RecordCountsMatch']);
    expect(asl.States.RecordCountsMatch.Choices[0].Next).toBe('ReplacePublished');
    expect([asl.States.ReplacePublished.Choices[0].Next, asl.States.ReplacePublished.Default]).toEqual(['Replace', 'Publish']);
    expect([next('Publish'), next('Replace'), next('PublishAgain'), next('ReplaceAgain')])
      .toEqual(['PutRecordsScored', 'PutRecordsScored', 'PutRecordsScored', 'PutRecordsScored']);
    expect([asl.States.PutRecordsScored.End, asl.States.PutRecordsScored.Catch[0].Next, asl.States.RecordsScoredNotPut.End])
      .toEqual([true, 'RecordsScoredNotPut', true]);
  });

  test('GIVEN the definition THEN the transform step waits for the job (.sync) and names it from the run date, the run and the attempt', () => {
    const score = state(definition(pipelineStack().stack), 'Score');
    expect(score.Resource).toMatch(/:states:::sagemaker:createTransformJob\.sync$/);
    expect(score.Arguments.TransformJobName).toMatch(
      /^\{% 'Nightly-[a-f0-9]{8}-' & \$replace\(\$runDate, '-', ''\) & '-' & \$runId & '-' & \$states\.context\.Execution\.RedriveCount & '-' & \$states\.context\.State\.RetryCount %\}$/,
    );
    expect(score.Arguments.TransformInput).toEqual({
      DataSource: { S3DataSource: { S3Uri: "{% 's3://fraud-data-eu/' & 'transactions/run_date=' & $runDate & '/' %}", S3DataType: 'S3Prefix' } },
      SplitType: 'Line',
    });
    expect(score.Arguments.TransformOutput.S3OutputPath).toBe("{% 's3://fraud-data-eu/' & 'scores/runs/run_date=' & $runDate & '/run_id=' & $runId & '/' %}");
    expect(score.Arguments.TransformOutput.KmsKeyId).toBe('TOKEN');
    expect(score.Arguments.TransformResources).toEqual({ InstanceCount: 2, InstanceType: 'ml.m5.xlarge', VolumeKmsKeyId: 'TOKEN' });
    expect(score.Arguments).toMatchObject({ BatchStrategy: 'MultiRecord', MaxPayloadInMB: 6 });
    expect(score.TimeoutSeconds).toBe(240 * 60);
    expect(score.Retry).toEqual([{
      ErrorEquals: ['SageMaker.AmazonSageMakerException', 'SageMaker.ResourceLimitExceededException', 'States.TaskFailed'],
      MaxAttempts: 2,
      IntervalSeconds: 60,
      BackoffRate: 2,
    }]);
  });

  test('GIVEN the definition THEN publication writes the date\'s manifest, KMS-encrypted, naming the run\'s own prefix', () => {
    const publish = state(definition(pipelineStack().stack), 'Publish');
    expect(publish.Resource).toMatch(/:states:::aws-sdk:s3:putObject$/);
    expect(publish.Arguments).toMatchObject({
      Bucket: 'fraud-data-eu',
      Key: "{% 'scores/published/run_date=' & $runDate & '/manifest.json' %}",
      ServerSideEncryption: 'aws:kms',
      ContentType: 'application/json',
    });
    expect(publish.Arguments.Body).toContain("'results': 's3://fraud-data-eu/' & 'scores/runs/run_date=' & $runDate & '/run_id=' & $runId & '/'");
  });

  test('GIVEN the definition THEN no task catches a failure, so a redrive resumes at the failed task (only a refused publication, and the metric after publishing, are caught)', () => {
    const states = definition(pipelineStack({ validation: { validatorImage: VALIDATOR } }).stack).States.ScoreEachDate.ItemProcessor.States;
    const catches = Object.entries(states).filter(([, s]: [string, any]) => s.Catch).map(([name, s]: [string, any]) => [name, s.Catch]);
    const refused = (next: string) => [{ ErrorEquals: ['S3.PreconditionFailedException', 'S3.S3Exception'], Next: next, Output: '{% $states.errorOutput %}' }];
    expect(catches).toEqual([
      ['Publish', refused('PublishRefused')],
      ['PutRecordsScored', [{ ErrorEquals: ['States.ALL'], Next: 'RecordsScoredNotPut' }]],
      ['Replace', refused('ReplaceRefused')],
    ]);
    // A refused precondition ends the run as published by another; any other S3 error writes again, uncaught.
    for (const write of ['Publish', 'Replace']) {
      expect([states[`${write}Refused`].Choices[0].Next, states[`${write}Refused`].Default]).toEqual(['PublishedByAnotherRun', `${write}Again`]);
      expect(states[`${write}Again`].Next).toBe('PutRecordsScored');
    }
    expect(states.PublishedByAnotherRun.Type).toBe('Succeed');
    // Only a check no redrive can change ends in a Fail state.
    expect(Object.entries(states).filter(([, s]: [string, any]) => s.Type === 'Fail').map(([name]) => name)).toEqual(['RecordCountMismatch']);
    expect(states.RecordCountsMatch.Default).toBe('RecordCountMismatch');
  });

  test('GIVEN a failed, timed-out or aborted execution THEN an EventBridge rule tells the owner which one and how to redrive it', () => {
    const { template } = pipelineStack();
    template().hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        'source': ['aws.states'],
        'detail-type': ['Step Functions Execution Status Change'],
        'detail': { stateMachineArn: [{ Ref: Match.stringLikeRegexp('^Nightly') }], status: ['FAILED', 'TIMED_OUT', 'ABORTED'] },
      },
      Targets: [Match.objectLike({
        Arn: { Ref: Match.stringLikeRegexp('^Owner') },
        InputTransformer: Match.objectLike({ InputTemplate: Match.stringLikeRegexp('aws stepfunctions redrive-execution --execution-arn <detail-executionArn>') }),
      })],
    });
  });

  test('GIVEN RecordIO input THEN only objects are compared (records are counted as lines)', () => {
    const check = state(definition(pipelineStack({ splitType: 'RecordIO' }).stack), 'RecordCountsMatch');
    expect(check.Choices[0].Condition).toBe('{% $counts.outputObjects = $counts.inputObjects %}');
  });

  test('GIVEN an instance type with local NVMe storage THEN no volume key is requested (SageMaker refuses one)', () => {
    const score = state(definition(pipelineStack({ instanceType: 'ml.g4dn.xlarge' }).stack), 'Score');
    expect(score.Arguments.TransformResources).toEqual({ InstanceCount: 2, InstanceType: 'ml.g4dn.xlarge' });
  });

  test('GIVEN a validator THEN the job role may pull its image and read the run output it checks', () => {
    const { template } = pipelineStack({ validation: { validatorImage: VALIDATOR } });
    const statements = Object.values(template().findResources('AWS::IAM::ManagedPolicy'))
      .flatMap((policy: any) => policy.Properties.PolicyDocument.Statement).map((s: any) => JSON.stringify(s));
    expect(statements.some((s) => s.includes('ecr:BatchGetImage') && s.includes('repository/fraud-validator'))).toBe(true);
    expect(statements.some((s) => s.includes('"s3:GetObject"') && s.includes('scores/runs/*'))).toBe(true);
  });

  test('GIVEN the owner\'s encrypted topic and the encrypted dead-letter queue THEN the state machine and the scheduler may use the keys', () => {
    const { template } = pipelineStack();
    const policies = Object.entries(template().findResources('AWS::IAM::Policy'));
    const statementsOf = (prefix: string) => policies
      .filter(([id]) => id.startsWith(prefix))
      .flatMap(([, p]: any) => p.Properties.PolicyDocument.Statement);
    const kmsActions = (prefix: string) => statementsOf(prefix).filter((s: any) => [s.Action].flat().some((a: string) => a.startsWith('kms:')));
    expect(kmsActions('NightlyStateMachineRoleDefaultPolicy').length).toBeGreaterThanOrEqual(2);
    expect(kmsActions('NightlyScheduleRole').flatMap((s: any) => s.Action)).toEqual(expect.arrayContaining(['kms:Decrypt', 'kms:GenerateDataKey']));
  });

  test('GIVEN a tolerance of 0.001 THEN counts must match per object and within 0.1 % of the input records', () => {
    const check = state(definition(pipelineStack({ validation: { rowCountTolerance: 0.001 } }).stack), 'RecordCountsMatch');
    expect(check.Choices[0].Condition).toBe(
      '{% $counts.outputObjects = $counts.inputObjects and $abs($counts.outputRecords - $counts.inputRecords) <= 0.001 * $counts.inputRecords %}',
    );
  });

  test('GIVEN the definition THEN a date already published is skipped unless forced, and dates run one at a time', () => {
    const asl = definition(pipelineStack().stack);
    expect(state(asl, 'AlreadyPublished').Choices[0].Condition).toBe("{% $manifestETag != '' and $not($force) %}");
    expect(asl.States.ScoreEachDate.MaxConcurrency).toBe(1);
    expect(asl.States.ResolveRunDates.Output).toContain('$exists($states.input.from)');
    expect(asl.States.RunDatesValid.Default).toBe('InvalidRunDates');
  });

  test('GIVEN a validator image THEN a processing job (.sync) runs between the counts and publication, and its failure fails the execution there', () => {
    const asl = definition(pipelineStack({ validation: { validatorImage: VALIDATOR } }).stack);
    expect(state(asl, 'RecordCountsMatch').Choices[0].Next).toBe('Validate');
    const validate = state(asl, 'Validate');
    expect(validate.Resource).toMatch(/:states:::sagemaker:createProcessingJob\.sync$/);
    expect(validate.Next).toBe('ReplacePublished');
    expect(validate.Catch).toBeUndefined();
    expect(Object.keys(validate.Arguments.Environment)).toEqual(expect.arrayContaining(['RUN_DATE', 'RUN_ID', 'INPUT_PREFIX', 'OUTPUT_PREFIX']));
  });

  test('GIVEN defaults THEN alarms on failed and timed-out executions notify the owner', () => {
    const { template } = pipelineStack();
    for (const metricName of ['ExecutionsFailed', 'ExecutionsTimedOut']) {
      template().hasResourceProperties('AWS::CloudWatch::Alarm', {
        MetricName: metricName,
        Namespace: 'AWS/States',
        Threshold: 0,
        EvaluationPeriods: 1,
        AlarmActions: [{ Ref: Match.stringLikeRegexp('^Owner') }],
      });
    }
  });

  test('GIVEN defaults THEN the job role reads only the input prefix, writes only run prefixes, and grants no wildcard actions', () => {
    const { template } = pipelineStack();
    const statements = Object.values(template().findResources('AWS::IAM::ManagedPolicy'))
      .flatMap((policy: any) => policy.Properties.PolicyDocument.Statement);
    expect(statements.flatMap((s: any) => [s.Action].flat()).filter((action: string) => action.includes('*'))).toEqual([]);
    const resourceOf = (action: string) => statements
      .filter((s: any) => [s.Action].flat().includes(action))
      .map((s: any) => JSON.stringify(s.Resource));
    expect(resourceOf('s3:PutObject')).toEqual([expect.stringContaining(':s3:::fraud-data-eu/scores/runs/*')]);
    expect(resourceOf('s3:GetObject')).toEqual(expect.arrayContaining([expect.stringContaining(':s3:::fraud-data-eu/transactions/run_date=*/*"')]));
  });

  test('GIVEN grantStartRun THEN the grantee may start executions of this state machine', () => {
    const { stack, pipeline, template } = pipelineStack();
    pipeline.grantStartRun(new iam.Role(stack, 'Operator', { assumedBy: new iam.AccountRootPrincipal() }));
    template().hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: { Statement: [{ Action: 'states:StartExecution', Effect: 'Allow', Resource: { Ref: Match.stringLikeRegexp('^Nightly') } }] },
    });
  });

  test('GIVEN the pipeline THEN the SBOM lists the model, the image and the input and output datasets', () => {
    const { pipeline } = pipelineStack();
    const sbom = JSON.parse(StackSbom.of(pipeline).toJson());
    expect(sbom.components.map((c: any) => `${c.type}:${c.name}`)).toEqual(expect.arrayContaining([
      'machine-learning-model:fraud', 'container:fraud-server', 'data:fraud-scoring-input', 'data:fraud-scores',
    ]));
  });

  test('GIVEN defaults and the three cdk-nag packs and the Control Tower controls THEN synthesis has zero findings', () => {
    const { app } = pipelineStack({ validation: { validatorImage: VALIDATOR } }, conformingApp());
    expect(() => synthesizeConforming(app)).not.toThrow();
  });

  test('snapshot of the default output', () => {
    expect(Template.fromStack(pipelineStack().stack).toJSON()).toMatchSnapshot();
  });
});

/** Invalid shared and AWS props: [what, props, the prop the error must name]. */
const INVALID_PROPS: Array<[string, Partial<BatchScoringPipelineProps>, string]> = [
  ['a cron with four fields', { schedule: { cron: '0 2 * *' } }, 'schedule.cron'],
  ['a cron hour of 25', { schedule: { cron: '0 25 * * *' } }, 'schedule.cron'],
  ['a cron with both day fields', { schedule: { cron: '0 2 1 * MON' } }, 'schedule.cron'],
  ['no schedule at all', { schedule: {} }, 'schedule.cron'],
  ['cron and everyHours together', { schedule: { cron: '0 2 * * *', everyHours: 6 } }, 'schedule'],
  ['every 5 hours, which does not divide a day', { schedule: { everyHours: 5 } }, 'schedule.everyHours'],
  ['an unknown time zone', { schedule: { cron: '0 2 * * *', timeZone: 'Europe/Atlantis' } }, 'schedule.timeZone'],
  ['zero shards', { shards: 0 }, 'shards'],
  ['parallelism above shards', { shards: 2, parallelism: 3 }, 'parallelism'],
  ['a tolerance above 1', { validation: { rowCountTolerance: 1.5 } }, 'validation.rowCountTolerance'],
  ['a negative tolerance', { validation: { rowCountTolerance: -0.1 } }, 'validation.rowCountTolerance'],
  ['an input URI without a trailing slash', { inputUri: 's3://fraud-data-eu/transactions' }, 'inputUri'],
  ['an output inside the input', { outputUri: 's3://fraud-data-eu/transactions/scores/' }, 'outputUri'],
  ['an environment variable the run sets', { environment: { RUN_DATE: '2026-01-01' } }, 'environment.RUN_DATE'],
  ['a validator by mutable tag', { validation: { validatorImage: ContainerImage.fromTag('registry.example.com/validator:1') } }, 'validation.validatorImage'],
  ['zero attempts', { retries: { maxAttempts: 0 } }, 'retries.maxAttempts'],
  ['a run timeout of a minute', { runTimeoutMinutes: 1 }, 'runTimeoutMinutes'],
  ['a payload above SageMaker\'s 100 MB', { maxPayloadMb: 200 }, 'maxPayloadMb'],
  ['a payload of 0 MB (chunked)', { maxPayloadMb: 0 }, 'maxPayloadMb'],
  ['many records per request without a split', { splitType: 'None' }, 'batchStrategy'],
  ['17 environment variables', { environment: Object.fromEntries(Array.from({ length: 17 }, (_, i) => [`V${i}`, 'x'])) }, 'environment'],
  ['a time zone in lower case', { schedule: { cron: '0 2 * * *', timeZone: 'europe/dublin' } }, 'schedule.timeZone'],
  ['Sunday written as 7', { schedule: { cron: '0 2 * * 7' } }, 'schedule.cron'],
  ['an instance type that is not SageMaker\'s', { instanceType: 'm5.xlarge' }, 'instanceType'],
  ['an image outside ECR', { image: ContainerImage.fromDigest(`docker.io/library/python@sha256:${'b'.repeat(64)}`) }, 'image'],
];

describe('AWS BatchScoringPipeline: invalid props', () => {
  test.each(INVALID_PROPS)('GIVEN %s THEN an MlPlatformError names the prop', (_what, overrides, prop) => {
    const error = thrownBy(() => pipelineStack(overrides));
    expect(error).toBeInstanceOf(MlPlatformError);
    expect(error.prop).toBe(prop);
    expect(error.message).toMatch(/^Scoring\/Nightly: invalid .+\. Allowed: .+\. Fix: .+/);
  });

  test('GIVEN a bad cron THEN the exact error quotes it and says which field is wrong', () => {
    expect(thrownBy(() => pipelineStack({ schedule: { cron: '0 25 * * *' } })).message).toBe(
      'Scoring/Nightly: invalid schedule.cron "0 25 * * *". Allowed: five fields: minute hour day-of-month month day-of-week '
      + '(hour "25" is outside 0-23). Fix: e.g. "0 2 * * *" for 02:00 every night',
    );
  });
});
