import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import jsonata from 'jsonata';
import { BatchScoringPipeline, type BatchScoringPipelineProps, EncryptionKey, OwnerNotifications } from '../../constructs/aws';
import { RECORD_COUNTING } from '../../constructs/batch-scoring-pipeline/aws-record-counter';
import { IMAGE, MODEL } from '../support/canary-fixtures';

/** The state machine's definition, with tokens replaced by TOKEN. */
function definitionOf(overrides: Partial<BatchScoringPipelineProps> = {}, id = 'Nightly'): any {
  const stack = new Stack(new App(), 'Scoring', { env: { region: 'eu-west-1', account: '123456789012' } });
  const notifications = new OwnerNotifications(stack, 'Owner', { encryptionKey: new EncryptionKey(stack, 'Key').key });
  new BatchScoringPipeline(stack, id, {
    model: MODEL, image: IMAGE, schedule: { cron: '0 2 * * *' }, inputUri: 's3://fraud-data-eu/transactions/', outputUri: 's3://fraud-data-eu/scores/', notifications, ...overrides,
  });
  const machine = Object.values(Template.fromStack(stack).findResources('AWS::StepFunctions::StateMachine'))[0] as any;
  const parts = machine.Properties.DefinitionString['Fn::Join'][1] as unknown[];
  return JSON.parse(parts.map((part) => (typeof part === 'string' ? part : 'TOKEN')).join(''));
}

const asl = definitionOf({ validation: { rowCountTolerance: 0.01 } });
const perDate = asl.States.ScoreEachDate.ItemProcessor.States;

/** Evaluates one `{% … %}` expression of the definition with the JSONata engine Step Functions uses. */
function evaluate(expression: string, bindings: Record<string, unknown>): Promise<any> {
  const body = /^\{%([\s\S]*)%\}$/.exec(expression)?.[1];
  if (body === undefined) {
    throw new Error(`not a JSONata expression: ${expression}`);
  }
  return jsonata(body).evaluate({}, bindings);
}

describe('the JSONata of the scoring state machine, evaluated', () => {
  test.each([
    ['a scheduled run', { scheduledTime: '2026-11-23T02:00:00Z' }, { runDates: ['2026-11-22'], force: false }],
    ['one date', { runDate: '2026-11-01' }, { runDates: ['2026-11-01'], force: false }],
    ['a forced range', { from: '2026-10-30', to: '2026-11-02', force: true }, { runDates: ['2026-10-30', '2026-10-31', '2026-11-01', '2026-11-02'], force: true }],
    ['a range that runs backwards', { from: '2026-11-05', to: '2026-11-01' }, { runDates: [], force: false }],
    ['a range of two years', { from: '2024-01-01', to: '2025-12-31' }, { runDates: [], force: false }],
  ])('GIVEN %s THEN ResolveRunDates gives the dates to score', async (_what, input, expected) => {
    expect(await evaluate(asl.States.ResolveRunDates.Output, { states: { input } })).toEqual(expected);
  });

  test('GIVEN no dates THEN the run fails as invalid; GIVEN dates THEN they are scored', async () => {
    const condition = asl.States.RunDatesValid.Choices[0].Condition;
    expect(await evaluate(condition, { states: { input: { runDates: [] } } })).toBe(false);
    expect(await evaluate(condition, { states: { input: { runDates: ['2026-11-01'] } } })).toBe(true);
  });

  test.each([
    [1000, 1000, 4, 4, true],
    [1000, 1009, 4, 4, true],
    [1000, 1011, 4, 4, false],
    [1000, 990, 4, 4, true],
    [1000, 1000, 4, 3, false],
  ])('GIVEN %i input and %i output records in %i and %i objects and a 1 %% tolerance THEN publish is %s', async (inputRecords, outputRecords, inputObjects, outputObjects, publish) => {
    const condition = perDate.RecordCountsMatch.Choices[0].Condition;
    expect(await evaluate(condition, { counts: { inputRecords, outputRecords, inputObjects, outputObjects } })).toBe(publish);
  });

  test('GIVEN a date already published THEN it is skipped unless forced', async () => {
    const condition = perDate.AlreadyPublished.Choices[0].Condition;
    expect(await evaluate(condition, { manifestETag: '"e1"', force: false })).toBe(true);
    expect(await evaluate(condition, { manifestETag: '"e1"', force: true })).toBe(false);
    expect(await evaluate(condition, { manifestETag: '', force: false })).toBe(false);
  });

  describe('exactly once per date: the manifest ETag and the conditional write', () => {
    const listing = (...keys: string[]) => ({ KeyCount: keys.length, Contents: keys.map((key, i) => ({ Key: key, ETag: `"etag-${i}"` })) });
    const etagOf = (result: unknown) => evaluate(perDate.FindPublished.Assign.manifestETag, { runDate: '2026-11-22', states: { result } });

    test('GIVEN the date\'s manifest in the listing THEN FindPublished keeps its ETag', async () => {
      expect(await etagOf(listing('scores/published/run_date=2026-11-22/manifest.json'))).toBe('"etag-0"');
    });

    test('GIVEN no manifest, or only a key that merely starts like it THEN the ETag is empty', async () => {
      expect(await etagOf({ KeyCount: 0 })).toBe('');
      expect(await etagOf(listing('scores/published/run_date=2026-11-22/manifest.json.tmp'))).toBe('');
    });

    test.each([
      [true, '"etag-0"', true],
      [true, '', false],
      [false, '"etag-0"', false],
      [false, '', false],
    ])('GIVEN force %s and the ETag %j THEN replacing the seen manifest is %s', async (force, manifestETag, replace) => {
      expect(await evaluate(perDate.ReplacePublished.Choices[0].Condition, { force, manifestETag })).toBe(replace);
    });

    test('GIVEN a normal run THEN it writes only if no manifest exists; GIVEN a forced run THEN only over the manifest it saw', async () => {
      expect(perDate.Publish.Arguments.IfNoneMatch).toBe('*');
      expect(perDate.Publish.Arguments.IfMatch).toBeUndefined();
      expect(await evaluate(perDate.Replace.Arguments.IfMatch, { manifestETag: '"etag-0"' })).toBe('"etag-0"');
      expect(perDate.Replace.Arguments.IfNoneMatch).toBeUndefined();
    });

    test('GIVEN the first write THEN it retries only a conflict (409) or a timeout, and hands every S3 error to the cause check', () => {
      expect(perDate.Publish.Retry.map((r: any) => r.ErrorEquals)).toEqual([['S3.ConditionalRequestConflictException', 'States.Timeout']]);
      expect(perDate.Publish.Catch[0].ErrorEquals).toEqual(['S3.PreconditionFailedException', 'S3.S3Exception']);
    });

    test('GIVEN the second write THEN it retries S3 errors and conflicts, and a failure there fails the run where a redrive writes again', () => {
      expect(perDate.PublishAgain.Retry[0].ErrorEquals).toEqual(expect.arrayContaining(['S3.ConditionalRequestConflictException', 'S3.S3Exception']));
      expect(perDate.PublishAgain.Catch).toBeUndefined();
      expect(perDate.PublishAgain.Arguments.IfNoneMatch).toBe('*');
    });

    const PRECONDITION = 'At least one of the pre-conditions you specified did not hold';
    test.each([
      ['S3.S3Exception', `${PRECONDITION} (Service: S3, Status Code: 412, Request ID: R, Extended Request ID: E)`, true],
      ['S3.PreconditionFailedException', PRECONDITION, true],
      ['S3.S3Exception', `${PRECONDITION} (Service: Amazon S3; Status Code: 412; Error Code: PreconditionFailed; Request ID: R)`, true],
      ['S3.S3Exception', 'We encountered an internal error. Please try again. (Service: S3, Status Code: 500, Request ID: R)', false],
      ['S3.S3Exception', 'Access Denied (Service: S3, Status Code: 403, Request ID: R)', false],
      ['S3.S3Exception', undefined, false],
    ])('GIVEN the write failed with %s (%s) THEN "published by another run" is %s', async (error, cause, refused) => {
      const errorOutput = cause === undefined ? { Error: error } : { Error: error, Cause: cause };
      expect(await evaluate(perDate.PublishRefused.Choices[0].Condition, { states: { input: errorOutput } })).toBe(refused);
    });
  });

  describe('redrive', () => {
    test('GIVEN input that is missing THEN FindInput itself fails, naming the prefix, so a redrive looks again', async () => {
      await expect(evaluate(perDate.FindInput.Output, { runDate: '2026-11-22', states: { result: { KeyCount: 0 } } }))
        .rejects.toMatchObject({ message: 'InputMissing: no objects under s3://fraud-data-eu/transactions/run_date=2026-11-22/' });
      expect(await evaluate(perDate.FindInput.Output, { runDate: '2026-11-22', states: { result: { KeyCount: 1 } } })).toEqual({ inputPresent: true });
    });

    test('GIVEN a redriven execution THEN the transform job gets a name of its own', async () => {
      const name = (redriveCount: number) => evaluate(perDate.Score.Arguments.TransformJobName, {
        runDate: '2026-11-22', runId: '0123abcd', states: { context: { State: { RetryCount: 0 }, Execution: { RedriveCount: redriveCount } } },
      });
      expect(await name(1)).toMatch(/^Nightly-[a-f0-9]{8}-20261122-0123abcd-1-0$/);
      expect(await name(1)).not.toBe(await name(0));
    });

    test('GIVEN record counts that differ THEN the failure names both counts', async () => {
      const counts = { inputObjects: 4, inputRecords: 1000, outputObjects: 3, outputRecords: 750 };
      expect(await evaluate(perDate.RecordCountMismatch.Cause, { counts })).toBe(
        'Input 4 objects, 1000 records; output 3 objects, 750 records. Nothing was published: start a new run with force after fixing the cause.',
      );
    });
  });

  test('GIVEN a run THEN the transform job name is valid for SageMaker and differs per attempt', async () => {
    const name = (retryCount: number) => evaluate(perDate.Score.Arguments.TransformJobName, {
      runDate: '2026-11-22', runId: '0123abcd', states: { context: { State: { RetryCount: retryCount }, Execution: { RedriveCount: 0 } } },
    });
    const first = await name(0);
    expect(first).toMatch(/^Nightly-[a-f0-9]{8}-20261122-0123abcd-0-0$/);
    expect(first).toMatch(/^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$/);
    expect(await name(1)).toBe(first.replace(/-0$/, '-1'));
  });

  test('GIVEN a run THEN input, output and manifest follow the run layout', async () => {
    const vars = { runDate: '2026-11-22', runId: '0123abcd' };
    expect(await evaluate(perDate.Score.Arguments.TransformInput.DataSource.S3DataSource.S3Uri, vars)).toBe('s3://fraud-data-eu/transactions/run_date=2026-11-22/');
    expect(await evaluate(perDate.Score.Arguments.TransformOutput.S3OutputPath, vars)).toBe('s3://fraud-data-eu/scores/runs/run_date=2026-11-22/run_id=0123abcd/');
    expect(await evaluate(perDate.FindPublished.Arguments.Prefix, vars)).toBe('scores/published/run_date=2026-11-22/manifest.json');
    expect(await evaluate(perDate.Publish.Arguments.Key, vars)).toBe('scores/published/run_date=2026-11-22/manifest.json');
  });

  test('GIVEN the counts THEN the manifest names the run\'s results and counts', async () => {
    const body = await evaluate(perDate.Publish.Arguments.Body, {
      runDate: '2026-11-22',
      runId: '0123abcd',
      counts: { inputRecords: 1000, outputRecords: 1000 },
      states: { context: { Execution: { Id: 'arn:execution' }, State: { EnteredTime: '2026-11-23T03:10:00Z' } } },
    });
    expect(JSON.parse(body)).toEqual({
      runDate: '2026-11-22',
      runId: '0123abcd',
      execution: 'arn:execution',
      results: 's3://fraud-data-eu/scores/runs/run_date=2026-11-22/run_id=0123abcd/',
      inputRecords: 1000,
      outputRecords: 1000,
      publishedAt: '2026-11-23T03:10:00Z',
    });
  });

  describe('record counting, one invocation per object', () => {
    test.each([
      ['two data objects and a marker', [10, null, 5], { objects: 2, records: 15 }],
      ['one object', [7], { objects: 1, records: 7 }],
      ['an empty prefix', [], { objects: 0, records: 0 }],
      ['an empty object', [0], { objects: 1, records: 0 }],
    ])('GIVEN %s THEN the map totals objects and records', async (_what, result, expected) => {
      expect(await evaluate(perDate.CountInputRecords.Output, { states: { result } })).toEqual(expected);
    });

    test('GIVEN the input totals THEN the output map keeps both as $counts for the check and the manifest', async () => {
      const bindings = { inputCounts: { objects: 2, records: 15 }, states: { result: [9, 6] } };
      const counts = await evaluate(perDate.CountOutputRecords.Assign.counts, bindings);
      expect(counts).toEqual({ inputObjects: 2, inputRecords: 15, outputObjects: 2, outputRecords: 15 });
    });

    test(`GIVEN ${RECORD_COUNTING.maxObjectsPerRun} objects of 10^10 - 1 records THEN the results fit in 256 KiB and add up exactly`, async () => {
      const result = Array.from({ length: RECORD_COUNTING.maxObjectsPerRun }, () => 9_999_999_999);
      expect(JSON.stringify(result).length).toBeLessThanOrEqual(RECORD_COUNTING.maxResultBytes);
      expect(await evaluate(perDate.CountInputRecords.Output, { states: { result } }))
        .toEqual({ objects: RECORD_COUNTING.maxObjectsPerRun, records: RECORD_COUNTING.maxObjectsPerRun * 9_999_999_999 });
    });

    test('GIVEN Lambda\'s 15 minutes and 50 MB/s THEN the stated 40 GB per object leaves a tenth of the invocation spare', () => {
      const streamedGb = RECORD_COUNTING.invocationTimeoutSeconds * RECORD_COUNTING.assumedStreamMbPerSecond / 1000;
      expect(streamedGb).toBe(45);
      expect(RECORD_COUNTING.maxObjectGb).toBeLessThanOrEqual(0.9 * streamedGb);
    });

    test('GIVEN the distributed maps THEN they read the run\'s prefixes, count at most 100 objects at once, in standard child workflows', async () => {
      const prefixes = [['CountInputRecords', 'transactions/run_date=2026-11-22/'], ['CountOutputRecords', 'scores/runs/run_date=2026-11-22/run_id=0123abcd/']];
      for (const [name, prefix] of prefixes) {
        const map = perDate[name];
        expect(map.ItemProcessor.ProcessorConfig).toEqual({ Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' });
        expect(map.MaxConcurrency).toBe(100);
        expect(await evaluate(map.ItemReader.Arguments.Prefix, { runDate: '2026-11-22', runId: '0123abcd' })).toBe(prefix);
      }
    });
  });
});

describe('the records-scored metric, evaluated', () => {
  const put = perDate.PutRecordsScored;

  test('GIVEN a published run of 15 output records THEN one RecordsScored datum of 15, in Count, by pipeline, in the pipelines\' namespace', async () => {
    const counts = { inputObjects: 2, inputRecords: 15, outputObjects: 2, outputRecords: 15 };
    expect([put.Resource, put.Arguments.Namespace, await evaluate(put.Arguments.MetricData, { counts })]).toEqual([
      'arn:TOKEN:states:::aws-sdk:cloudwatch:putMetricData',
      'MlPlatform/BatchScoringPipeline',
      [{ MetricName: 'RecordsScored', Dimensions: [{ Name: 'Pipeline', Value: 'Scoring-Nightly' }], Value: 15, Unit: 'Count' }],
    ]);
  });

  test('GIVEN a pipeline path with a quote THEN the dimension value keeps it', async () => {
    const quoted = definitionOf({}, "Night'ly").States.ScoreEachDate.ItemProcessor.States.PutRecordsScored;
    const datum = await evaluate(quoted.Arguments.MetricData, { counts: { outputRecords: 1 } });
    expect(datum[0].Dimensions).toEqual([{ Name: 'Pipeline', Value: "Scoring-Night'ly" }]);
  });

  test('GIVEN a failure to put the metric THEN the run ends in a success state after two retries, never back in the publish branch', () => {
    const reachable = new Set<string>();
    const visit = (name: string) => {
      if (reachable.has(name)) {
        return;
      }
      reachable.add(name);
      const state = perDate[name];
      [state.Next, state.Default, ...(state.Catch ?? []).map((c: any) => c.Next), ...(state.Choices ?? []).map((c: any) => c.Next)]
        .filter((next): next is string => typeof next === 'string').forEach(visit);
    };
    visit('PutRecordsScored');
    expect([put.Retry, put.Catch, [...reachable], perDate.RecordsScoredNotPut]).toEqual([
      [{ ErrorEquals: ['States.ALL'], IntervalSeconds: 2, MaxAttempts: 2, BackoffRate: 2 }],
      [{ ErrorEquals: ['States.ALL'], Next: 'RecordsScoredNotPut' }],
      ['PutRecordsScored', 'RecordsScoredNotPut'],
      { Type: 'Pass', QueryLanguage: 'JSONata', Comment: 'The records-scored metric could not be put; the run has published and ends as a success.', End: true },
    ]);
  });

  test('GIVEN no output counts (an evaluation that yields nothing) THEN the datum has no Value, which the API refuses and the catch absorbs', async () => {
    expect(await evaluate(put.Arguments.MetricData, { counts: {} })).toEqual([{ MetricName: 'RecordsScored', Dimensions: [{ Name: 'Pipeline', Value: 'Scoring-Nightly' }], Unit: 'Count' }]);
  });
});
