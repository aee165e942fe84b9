import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import jsonata from 'jsonata';
import { BatchScoringPipeline, type BatchScoringPipelineProps, EncryptionKey, OwnerNotifications } from '../../constructs/aws';
import { IMAGE, MODEL } from '../support/canary-fixtures';

/** The state machine's definition, with tokens replaced by TOKEN. */
function definitionOf(overrides: Partial<BatchScoringPipelineProps> = {}): any {
  const stack = new Stack(new App(), 'Scoring', { env: { region: 'eu-west-1', account: '123456789012' } });
  const notifications = new OwnerNotifications(stack, 'Owner', { encryptionKey: new EncryptionKey(stack, 'Key').key });
  new BatchScoringPipeline(stack, 'Nightly', {
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
    expect(await evaluate(condition, { states: { input: { published: true } }, force: false })).toBe(true);
    expect(await evaluate(condition, { states: { input: { published: true } }, force: true })).toBe(false);
    expect(await evaluate(condition, { states: { input: { published: false } }, force: false })).toBe(false);
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

  test('GIVEN the record counter THEN its result is kept as $counts for the check and the manifest', () => {
    expect(perDate.CountRecords.Assign).toEqual({ counts: '{% $states.result.Payload %}' });
  });
});
