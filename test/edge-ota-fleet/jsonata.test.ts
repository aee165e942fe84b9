import { Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import jsonata from 'jsonata';
import { synthFleet } from './fixtures';

/** The driver's definition, with tokens replaced by TOKEN. */
function definitionOf(withAlarm = false): any {
  const alarms = withAlarm ? [cloudwatch.Alarm.fromAlarmArn(new Stack(), 'Errors', 'arn:aws:cloudwatch:eu-west-1:123456789012:alarm:edge-inference-errors')] : undefined;
  const machine = Object.values(synthFleet({ alarms }).template.findResources('AWS::StepFunctions::StateMachine'))[0] as any;
  const parts = machine.Properties.DefinitionString['Fn::Join'][1] as unknown[];
  return JSON.parse(parts.map((part) => (typeof part === 'string' ? part : 'TOKEN')).join(''));
}

const asl = definitionOf();
const perTarget = asl.States.DeployWave.ItemProcessor.States;

function evaluate(expression: string, bindings: Record<string, unknown>): Promise<any> {
  const body = /^\{%([\s\S]*)%\}$/.exec(expression)?.[1];
  if (body === undefined) {
    throw new Error(`not a JSONata expression: ${expression}`);
  }
  return jsonata(body).evaluate({}, bindings);
}

const job = (counts: Record<string, number>, status = 'IN_PROGRESS') => ({
  Job: {
    Status: status,
    JobProcessDetails: {
      NumberOfSucceededThings: 0,
      NumberOfFailedThings: 0,
      NumberOfRejectedThings: 0,
      NumberOfTimedOutThings: 0,
      NumberOfQueuedThings: 0,
      NumberOfInProgressThings: 0,
      NumberOfCanceledThings: 0,
      NumberOfRemovedThings: 0,
      ...counts,
    },
  },
});

describe('the JSONata of the wave driver, evaluated', () => {
  test('GIVEN a start from the CloudFormation event THEN the version is read from the component version ARN', async () => {
    const arn = 'arn:aws:greengrass:eu-west-1:123456789012:components:ml.fraud:versions:1.4242.0';
    expect(await evaluate(asl.States.Start.Assign.version, { states: { input: { componentVersionArn: arn } } })).toBe('1.4242.0');
    expect(await evaluate(asl.States.Start.Assign.version, { states: { input: { componentVersion: '1.7.0' } } })).toBe('1.7.0');
  });

  test('GIVEN the plan THEN the waves in order: canary, then growing waves, every store once', () => {
    const waves = asl.States.Start.Assign.waves as Array<{ name: string; targets: string[] }>;
    expect(waves.map((wave) => [wave.name, wave.targets.length])).toEqual([['canary', 1], ['wave-1', 2], ['wave-2', 6], ['wave-3', 11]]);
    expect(new Set(waves.flatMap((wave) => wave.targets)).size).toBe(20);
  });

  test('GIVEN a target running other components THEN the new deployment keeps them and sets only the fleet\'s component', async () => {
    const previous = { 'aws.greengrass.Nucleus': { componentVersion: '2.12.0' }, 'ml.fraud': { componentVersion: '1.1.0' }, 'com.example.Telemetry': { componentVersion: '3.0.0' } };
    expect(await evaluate(perTarget.Deploy.Arguments.Components, { states: { input: { previous } }, version: '1.9.0' })).toEqual({
      'aws.greengrass.Nucleus': { componentVersion: '2.12.0' }, 'ml.fraud': { componentVersion: '1.9.0' }, 'com.example.Telemetry': { componentVersion: '3.0.0' },
    });
  });

  test('GIVEN a target without a deployment THEN the deployment holds the fleet\'s component alone', async () => {
    expect(await evaluate(perTarget.Deploy.Arguments.Components, { states: { input: { previous: {} } }, version: '1.9.0' })).toEqual({ 'ml.fraud': { componentVersion: '1.9.0' } });
  });

  test('GIVEN GetDeployment without components THEN the previous components are none', async () => {
    const outputs = perTarget.GetLatest.Output;
    expect(await evaluate(outputs, { states: { input: { targetArn: 'g' }, result: {} } })).toEqual({ targetArn: 'g', previous: {} });
  });

  test('GIVEN every wave deployment THEN the deployment policies roll back on device failure, and the job settings come from the plan', () => {
    expect(perTarget.Deploy.Arguments.DeploymentPolicies).toEqual({
      FailureHandlingPolicy: 'ROLLBACK',
      ComponentUpdatePolicy: { Action: 'NOTIFY_COMPONENTS', TimeoutInSeconds: 60 },
      ConfigurationValidationPolicy: { TimeoutInSeconds: 60 },
    });
    expect(perTarget.Deploy.Arguments.IotJobConfiguration).toEqual({
      JobExecutionsRolloutConfig: {
        ExponentialRate: { BaseRatePerMinute: 10, IncrementFactor: 2, RateIncreaseCriteria: { NumberOfSucceededThings: 10 } },
        MaximumPerMinute: 100,
      },
      AbortConfig: { CriteriaList: [{ FailureType: 'ALL', Action: 'CANCEL', ThresholdPercentage: 5, MinNumberOfExecutedThings: 10 }] },
      TimeoutConfig: { InProgressTimeoutInMinutes: 60 },
    });
  });

  test('GIVEN a wave THEN it waits the install timeout plus the bake before it is judged', () => {
    expect(asl.States.InstallAndBake.Seconds).toBe(3600 + 3600);
  });

  describe('the gate', () => {
    const judge = (evidence: unknown[], alarming: string[] = []) => evaluate(asl.States.Judge.Assign.verdict, { evidence, alarming });

    test('GIVEN 97 succeeded and 3 failed of 100 THEN healthy (3 % is within 5 %)', async () => {
      expect(await judge([job({ NumberOfSucceededThings: 97, NumberOfFailedThings: 3 })])).toMatchObject({ decision: 'healthy', failurePercent: 3, reportedPercent: 100 });
    });

    test('GIVEN failed, rejected and timed-out devices across two groups THEN all count as failures: 6 of 100 trips', async () => {
      const verdict = await judge([
        job({ NumberOfSucceededThings: 47, NumberOfFailedThings: 1, NumberOfRejectedThings: 2 }),
        job({ NumberOfSucceededThings: 47, NumberOfTimedOutThings: 3 }),
      ]);
      expect(verdict).toMatchObject({ decision: 'tripped', failed: 6, reported: 100, failurePercent: 6 });
    });

    test('GIVEN offline devices THEN they count neither as failures nor successes: 2 failed of 40 reported, 60 offline, is 5 % and 40 % reported', async () => {
      const offline = { NumberOfQueuedThings: 55, NumberOfInProgressThings: 5 };
      const verdict = await judge([job({ NumberOfSucceededThings: 38, NumberOfFailedThings: 2, ...offline })]);
      expect(verdict).toMatchObject({ decision: 'insufficient', failurePercent: 5, reportedPercent: 40, offline: 60 });
    });

    test('GIVEN half the wave reported, all healthy THEN healthy', async () => {
      expect((await judge([job({ NumberOfSucceededThings: 50, NumberOfQueuedThings: 50 })])).decision).toBe('healthy');
    });

    test('GIVEN too few reports but a failure share over the threshold THEN tripped: harm outranks missing evidence', async () => {
      expect((await judge([job({ NumberOfSucceededThings: 5, NumberOfFailedThings: 5, NumberOfQueuedThings: 90 })])).decision).toBe('tripped');
    });

    test('GIVEN a job cancelled by its abort criteria THEN tripped whatever the counts', async () => {
      expect(await judge([job({ NumberOfSucceededThings: 100 }), job({ NumberOfSucceededThings: 9 }, 'CANCELED')])).toMatchObject({ decision: 'tripped', abortedByJob: true });
    });

    test('GIVEN a user alarm in ALARM THEN tripped, and the alarm is in the evidence', async () => {
      expect(await judge([job({ NumberOfSucceededThings: 100 })], ['edge-inference-errors'])).toMatchObject({ decision: 'tripped', alarms: ['edge-inference-errors'] });
    });

    test('GIVEN a wave of empty thing groups THEN insufficient: nothing reported is no evidence', async () => {
      expect(await judge([job({})])).toMatchObject({ decision: 'insufficient', reportedPercent: 0 });
    });
  });

  test('GIVEN a tripped gate THEN every target updated so far, earlier waves included, is reverted to its previous components', async () => {
    const canary = [{ targetArn: 'g/canary', previous: { 'ml.fraud': { componentVersion: '1.1.0' } }, deploymentId: 'd1' }];
    const wave = [{ targetArn: 'g/w1a', previous: {}, deploymentId: 'd2' }, { targetArn: 'g/w1b', previous: { x: { componentVersion: '1.0.0' } }, deploymentId: 'd3' }];
    const updated = await evaluate(asl.States.DeployWave.Assign.updated, { updated: canary, states: { result: wave } });
    expect(updated).toEqual([...canary, ...wave]);
    expect(asl.States.Revert.Items).toBe('{% $updated %}');
    const redeploy = asl.States.Revert.ItemProcessor.States.RedeployPrevious.Arguments;
    expect(await evaluate(redeploy.Components, { states: { input: canary[0] } })).toEqual({ 'ml.fraud': { componentVersion: '1.1.0' } });
    expect(redeploy.DeploymentPolicies.FailureHandlingPolicy).toBe('ROLLBACK');
  });

  test('GIVEN the verdicts THEN tripped reverts, insufficient halts, healthy moves to the next wave or finishes', async () => {
    const choices = asl.States.Verdict.Choices as Array<{ Condition: string; Next: string }>;
    const route = async (decision: string, index: number) => {
      for (const choice of choices) {
        if (await evaluate(choice.Condition, { verdict: { decision }, index, waves: [1, 2, 3, 4] })) {
          return choice.Next;
        }
      }
      return asl.States.Verdict.Default;
    };
    expect(await route('tripped', 0)).toBe('Revert');
    expect(await route('insufficient', 1)).toBe('NotifyHalted');
    expect(await route('healthy', 2)).toBe('NextWave');
    expect(await route('healthy', 3)).toBe('NotifyFinished');
  });

  test('GIVEN a revert THEN the owner\'s message names the wave, the evidence and the reverted targets', async () => {
    const message = await evaluate(asl.States.NotifyReverted.Arguments.Message, {
      waves: [{ name: 'canary' }, { name: 'wave-1' }],
      index: 1,
      verdict: { decision: 'tripped', failurePercent: 6 },
      updated: [{ targetArn: 'g/canary' }, { targetArn: 'g/w1a' }],
      states: { context: { Execution: { Id: 'exec-1' } } },
    });
    expect(JSON.parse(message)).toEqual({
      outcome: 'reverted', wave: 'wave-1', verdict: { decision: 'tripped', failurePercent: 6 }, reverted: ['g/canary', 'g/w1a'], execution: 'exec-1',
    });
  });

  describe('one rollout at a time', () => {
    const arn = (name: string) => `arn:aws:states:eu-west-1:123456789012:execution:Driver:${name}`;
    const running = (name: string, startDate: unknown) => ({ ExecutionArn: arn(name), StateMachineArn: 'sm', Name: name, Status: 'RUNNING', StartDate: startDate });
    // The execution `me`, started at `startTime`, reading ListExecutions (RUNNING).
    const turnOf = (me: string, startTime: string, executions: unknown[]) => evaluate(asl.States.ListRunning.Assign.queue, {
      states: { context: { Execution: { Id: arn(me), StartTime: startTime } }, result: { Executions: executions } },
    });
    const route = async (turn: string) => {
      for (const choice of asl.States.Turn.Choices as Array<{ Condition: string; Next: string }>) {
        if (await evaluate(choice.Condition, { queue: { turn } })) {
          return choice.Next;
        }
      }
      return asl.States.Turn.Default;
    };
    const V1 = '2026-11-20T09:00:00.000Z';
    const V2 = '2026-11-20T10:30:00.000Z';

    test('GIVEN a start THEN the driver waits a minute, then lists its own running executions', () => {
      expect([asl.StartAt, asl.States.Start.Next, asl.States.Settle.Seconds, asl.States.Settle.Next]).toEqual(['Start', 'Settle', 60, 'ListRunning']);
      expect(asl.States.ListRunning.Resource).toBe('arn:TOKEN:states:::aws-sdk:sfn:listExecutions');
      expect(asl.States.ListRunning.Arguments).toEqual({ StateMachineArn: '{% $states.context.StateMachine.Id %}', StatusFilter: 'RUNNING', MaxResults: 1000 });
    });

    test('GIVEN no other rollout running THEN go: the first wave deploys', async () => {
      expect(await turnOf('v1', V1, [running('v1', V1)])).toEqual({ turn: 'go', older: [], newer: [] });
      expect(await route('go')).toBe('DeployWave');
    });

    test('GIVEN two versions in a row THEN the second waits while the first runs, looking again every 5 minutes, and goes once it has finished', async () => {
      expect(await turnOf('v2', V2, [running('v2', V2), running('v1', V1)])).toEqual({ turn: 'wait', older: [arn('v1')], newer: [] });
      expect(await route('wait')).toBe('WaitForOlderRollout');
      expect([asl.States.WaitForOlderRollout.Seconds, asl.States.WaitForOlderRollout.Next]).toEqual([300, 'ListRunning']);
      expect((await turnOf('v2', V2, [running('v2', V2)])).turn).toBe('go');
    });

    test('GIVEN a version waiting when a newer one starts THEN the waiting one is superseded: it ends without deploying and tells the owner', async () => {
      const v3 = '2026-11-20T11:00:00.000Z';
      expect(await turnOf('v2', V2, [running('v3', v3), running('v2', V2), running('v1', V1)])).toEqual({ turn: 'superseded', older: [arn('v1')], newer: [arn('v3')] });
      expect(await turnOf('v3', v3, [running('v3', v3), running('v2', V2), running('v1', V1)])).toMatchObject({ turn: 'wait' });
      expect(await route('superseded')).toBe('NotifySuperseded');
      expect([asl.States.NotifySuperseded.Next, asl.States.Superseded.Type]).toEqual(['Superseded', 'Succeed']);
      const message = await evaluate(asl.States.NotifySuperseded.Arguments.Message, {
        version: '1.2.0', queue: { newer: [arn('v3')] }, states: { context: { Execution: { Id: arn('v2') } } },
      });
      expect(JSON.parse(message)).toEqual({ outcome: 'superseded', version: '1.2.0', supersededBy: [arn('v3')], execution: arn('v2') });
    });

    test('GIVEN start dates as epoch seconds, epoch milliseconds or text THEN the order is the same', async () => {
      const seconds = Date.parse(V1) / 1000;
      expect((await turnOf('v2', V2, [running('v2', Date.parse(V2)), running('v1', seconds)])).turn).toBe('wait');
      expect((await turnOf('v1', V1, [running('v2', Date.parse(V2) / 1000), running('v1', V1)])).turn).toBe('superseded');
    });

    test('GIVEN two executions started in the same millisecond THEN exactly one of them goes first (the lower ARN)', async () => {
      const both = [running('b', V1), running('a', V1)];
      expect([(await turnOf('a', V1, both)).turn, (await turnOf('b', V1, both)).turn]).toEqual(['superseded', 'wait']);
    });

    test('GIVEN a version created while a revert runs THEN it waits for the revert, then snapshots the reverted components: its own revert restores the last known good', async () => {
      // v1 (1.2.0) tripped its gate and is redeploying 1.1.0: its execution still runs.
      expect((await turnOf('v2', V2, [running('v2', V2), running('v1', V1)])).turn).toBe('wait');
      // v1 has failed (GateTripped): v2 goes, from the canary, with nothing updated yet.
      expect((await turnOf('v2', V2, [running('v2', V2)])).turn).toBe('go');
      expect([asl.States.Start.Assign.index, asl.States.Start.Assign.updated]).toEqual([0, '{% [] %}']);
      // The target's latest deployment is v1's revert: its components are the last known good.
      const reverted = { 'ml.fraud': { componentVersion: '1.1.0' }, 'aws.greengrass.Nucleus': { componentVersion: '2.12.0' } };
      const snapshot = await evaluate(perTarget.GetLatest.Output, { states: { input: { targetArn: 'g/canary' }, result: { Components: reverted } } });
      expect(await evaluate(perTarget.Deploy.Arguments.Components, { states: { input: snapshot }, version: '1.3.0' }))
        .toEqual({ 'ml.fraud': { componentVersion: '1.3.0' }, 'aws.greengrass.Nucleus': { componentVersion: '2.12.0' } });
      const revert = asl.States.Revert.ItemProcessor.States.RedeployPrevious.Arguments.Components;
      expect(await evaluate(revert, { states: { input: { ...snapshot, deploymentId: 'd9' } } })).toEqual(reverted);
    });

    test('GIVEN the defaults THEN the execution may wait one whole older rollout before its own: 60 s + 43,200 s + 300 s + 43,200 s', () => {
      expect(asl.TimeoutSeconds).toBe(60 + 43_200 + 300 + 43_200);
    });
  });

  test('GIVEN user alarms THEN the driver reads those in ALARM', () => {
    const withAlarms = definitionOf(true);
    expect(withAlarms.States.ReadAlarms.Arguments).toEqual({ AlarmNames: ['edge-inference-errors'], StateValue: 'ALARM' });
  });
});
