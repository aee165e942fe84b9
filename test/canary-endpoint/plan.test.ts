import { readFileSync } from 'fs';
import { join } from 'path';
import { Token } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { CANARY_DEFAULTS, type CanaryEndpointPlanProps, planCanaryEndpoint } from '../../constructs/canary-endpoint/plan';
import { ContainerImage, MlPlatformError } from '../../lib/core';
import { CHALLENGER, IMAGE, MODEL, thrownBy } from '../support/canary-fixtures';

const scope = new Construct(undefined as any, 'Fraud');

function plan(overrides: Partial<CanaryEndpointPlanProps> = {}) {
  return planCanaryEndpoint(scope, { model: MODEL, image: IMAGE, ...overrides });
}

describe('CanaryEndpoint plan', () => {
  test('GIVEN no options THEN a 10 % canary baked 10 minutes, gates at 1 % 5xx and 1000 ms p99, 2-4 capacity', () => {
    const resolved = plan();
    expect(resolved.trafficShift).toEqual({
      kind: 'canary', percent: 10, bakeSeconds: 600, steps: [{ weightPercent: 10, bakeSeconds: 600 }],
    });
    expect(resolved.rollbackGates).toEqual({
      maxErrorRatePercent: 1, maxP99LatencyMs: 1000, periodSeconds: 60, evaluationPeriods: 3, datapointsToAlarm: 2,
    });
    expect(resolved.autoscaling).toEqual({
      minCapacity: 2,
      maxCapacity: 4,
      targetInvocationsPerMinute: 600,
      targetCpuUtilizationPercent: 70,
      scaleOutCooldownSeconds: 60,
      scaleInCooldownSeconds: 300,
    });
    expect(resolved.port).toBe(8080);
  });

  test('GIVEN the defaults THEN a bad canary is rolled back within 3 minutes of its fault', () => {
    // Two breaching one-minute periods, plus a minute for the metric to arrive.
    expect(plan().worstCaseMinutesToRollback).toBe(3);
  });

  test('GIVEN two breaching periods to alarm THEN one more breaching period means one more minute to roll back', () => {
    expect(plan().worstCaseMinutesToRollback).toBe(CANARY_DEFAULTS.datapointsToAlarm + 1);
  });

  test('GIVEN the README THEN the rollback time it states is the one the defaults give', () => {
    const readme = readFileSync(join(__dirname, '..', '..', 'README.md'), 'utf8');
    expect(readme).toContain(`for at most **${plan().worstCaseMinutesToRollback} minutes** (\`plan.worstCaseMinutesToRollback\`)`);
  });

  test('GIVEN a linear shift of 25 % THEN three baked steps before full traffic', () => {
    expect(plan({ trafficShift: { kind: 'linear', percent: 25, bakeMinutes: 5 } }).trafficShift.steps).toEqual([
      { weightPercent: 25, bakeSeconds: 300 },
      { weightPercent: 50, bakeSeconds: 300 },
      { weightPercent: 75, bakeSeconds: 300 },
    ]);
  });

  test('GIVEN all-at-once with a reason THEN no steps and min capacity 1 is allowed', () => {
    const resolved = plan({ trafficShift: { kind: 'all-at-once', allAtOnceReason: 'dev endpoint, no users' }, autoscaling: { minCapacity: 1, maxCapacity: 1 } });
    expect(resolved.trafficShift).toEqual({ kind: 'all-at-once', percent: 100, bakeSeconds: 0, steps: [] });
    expect(resolved.autoscaling.minCapacity).toBe(1);
  });

  test('GIVEN minCapacity above the default maximum THEN the maximum follows it', () => {
    expect(plan({ autoscaling: { minCapacity: 6 } }).autoscaling.maxCapacity).toBe(6);
  });

  test('GIVEN a shadow without an image THEN it is served by the endpoint\'s image at 100 %', () => {
    expect(plan({ shadow: { model: CHALLENGER } }).shadow).toEqual({ model: CHALLENGER, image: IMAGE, trafficPercent: 100 });
  });

  test('GIVEN an image by mutable tag without a reason THEN the error names the image prop', () => {
    expect(() => plan({ image: ContainerImage.fromTag('registry.example.com/server:1.0') })).toThrow(
      /^Fraud: invalid image "registry.example.com\/server:1.0"\. Allowed: an image pinned by digest/,
    );
  });
});

/** Invalid combinations of the shared props: [what, props, the prop the error must name]. */
const INVALID_PLAN_PROPS: Array<[string, Partial<CanaryEndpointPlanProps>, string]> = [
  ['canary above SageMaker\'s 50 % limit', { trafficShift: { percent: 60 } }, 'trafficShift.percent'],
  ['canary of 0 %', { trafficShift: { percent: 0 } }, 'trafficShift.percent'],
  ['fractional canary', { trafficShift: { percent: 7.5 } }, 'trafficShift.percent'],
  ['linear step below 10 %', { trafficShift: { kind: 'linear', percent: 5 } }, 'trafficShift.percent'],
  ['bake of 0 minutes', { trafficShift: { bakeMinutes: 0 } }, 'trafficShift.bakeMinutes'],
  ['bake above SageMaker\'s 60 minutes', { trafficShift: { bakeMinutes: 90 } }, 'trafficShift.bakeMinutes'],
  ['all-at-once without a reason', { trafficShift: { kind: 'all-at-once' } }, 'trafficShift.allAtOnceReason'],
  ['all-at-once with a blank reason', { trafficShift: { kind: 'all-at-once', allAtOnceReason: ' ' } }, 'trafficShift.allAtOnceReason'],
  ['all-at-once with a canary size', { trafficShift: { kind: 'all-at-once', allAtOnceReason: 'dev', percent: 10 } }, 'trafficShift.percent'],
  ['a reason without all-at-once', { trafficShift: { allAtOnceReason: 'dev' } }, 'trafficShift.allAtOnceReason'],
  ['an unknown shift', { trafficShift: { kind: 'blue-green' as any } }, 'trafficShift.kind'],
  ['min above max', { autoscaling: { minCapacity: 5, maxCapacity: 3 } }, 'autoscaling.minCapacity'],
  ['min below 2 with a canary', { autoscaling: { minCapacity: 1 } }, 'autoscaling.minCapacity'],
  ['max of 0', { autoscaling: { maxCapacity: 0 } }, 'autoscaling.maxCapacity'],
  ['scale-in faster than scale-out', { autoscaling: { scaleOutCooldownSeconds: 300, scaleInCooldownSeconds: 60 } }, 'autoscaling.scaleInCooldownSeconds'],
  ['no invocation target', { autoscaling: { targetInvocationsPerMinute: 0 } }, 'autoscaling.targetInvocationsPerMinute'],
  ['CPU target of 100 %', { autoscaling: { targetCpuUtilizationPercent: 100 } }, 'autoscaling.targetCpuUtilizationPercent'],
  ['error gate of 0 %', { rollbackGates: { maxErrorRatePercent: 0 } }, 'rollbackGates.maxErrorRatePercent'],
  ['error gate of 100 %', { rollbackGates: { maxErrorRatePercent: 100 } }, 'rollbackGates.maxErrorRatePercent'],
  ['latency gate above the 60 s invocation timeout', { rollbackGates: { maxP99LatencyMs: 120_000 } }, 'rollbackGates.maxP99LatencyMs'],
  ['shadow of 0 % of traffic', { shadow: { model: CHALLENGER, trafficPercent: 0 } }, 'shadow.trafficPercent'],
  ['shadow identical to production', { shadow: { model: MODEL } }, 'shadow.model'],
  ['shadow image by mutable tag', { shadow: { model: CHALLENGER, image: ContainerImage.fromTag('registry.example.com/server:2') } }, 'shadow.image'],
  ['environment name with a dash', { environment: { 'MODEL-THREADS': '4' } }, 'environment.MODEL-THREADS'],
  ['environment overriding the model\'s name', { environment: { MODEL_NAME: 'other' } }, 'environment.MODEL_NAME'],
  ['environment value that is not a string', { environment: { THREADS: 4 as any } }, 'environment.THREADS'],
  ['a canary share given as a token', { trafficShift: { kind: 'linear', percent: Token.asNumber({ Ref: 'Share' }) } }, 'trafficShift.percent'],
  ['a scale-out cooldown above the HPA\'s 1800 s', { autoscaling: { scaleOutCooldownSeconds: 2400, scaleInCooldownSeconds: 3000 } }, 'autoscaling.scaleOutCooldownSeconds'],
];

describe('CanaryEndpoint plan: invalid props', () => {
  test.each(INVALID_PLAN_PROPS)('GIVEN %s THEN an MlPlatformError names the prop', (_what, overrides, prop) => {
    const error = thrownBy(() => plan(overrides));
    expect(error).toBeInstanceOf(MlPlatformError);
    expect(error.prop).toBe(prop);
    expect(error.message).toMatch(new RegExp(`^Fraud: invalid ${prop.replace(/\./g, '\\.')} .+\\. Allowed: .+\\. Fix: .+`));
  });
});
