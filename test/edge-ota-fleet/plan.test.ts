import { Construct } from 'constructs';
import { type EdgeOtaFleetPlanProps, planEdgeOtaFleet } from '../../constructs/edge-ota-fleet/plan';
import { ModelArtifact } from '../../lib/core';
import { thrownBy } from '../support/canary-fixtures';

const scope = new Construct(undefined as any, 'Retail');
const MODEL = ModelArtifact.fromUri('s3://models-eu/fraud/1.4.0/model.tar.gz', { version: '1.4.0', sha256: 'b'.repeat(64) });
const stores = (count: number) => Array.from({ length: count }, (_, index) => `store-${String(index + 1).padStart(3, '0')}`);

function plan(overrides: Partial<EdgeOtaFleetPlanProps> = {}) {
  return planEdgeOtaFleet(scope, { model: MODEL, targets: stores(20), ...overrides });
}

describe('EdgeOtaFleet plan', () => {
  test('GIVEN 20 targets and no options THEN a canary of 1, waves of 2 and 6, and the other 11 last', () => {
    const waves = plan().waves;
    expect(waves.map((wave) => [wave.name, wave.targets.length])).toEqual([['canary', 1], ['wave-1', 2], ['wave-2', 6], ['wave-3', 11]]);
    expect(waves.flatMap((wave) => wave.targets)).toEqual(stores(20));
  });

  test('GIVEN no options THEN the rollout, gate and bake defaults', () => {
    const resolved = plan();
    expect(resolved.bakeSeconds).toBe(3600);
    expect(resolved.gate).toEqual({ maxFailurePercent: 5, minReportedPercent: 50, detectionDelayMinutes: 5 });
    expect(resolved.rollout).toEqual({
      baseRatePerMinute: 10,
      incrementFactor: 2,
      succeededThingsPerIncrease: 10,
      maximumPerMinute: 100,
      minExecutedThingsBeforeAbort: 10,
      inProgressTimeoutMinutes: 60,
    });
  });

  test('GIVEN the defaults THEN exposure is the canary plus the largest later wave, for timeout + bake + detection delay', () => {
    expect(plan().exposure).toEqual({ targets: 1 + 11, seconds: (60 + 60 + 5) * 60 });
  });

  test('GIVEN counts THEN the waves take them in order and the last takes the rest', () => {
    const waves = plan({ canary: { count: 2 }, waves: [{ count: 3 }, { count: 5 }], targets: stores(12) }).waves;
    expect(waves.map((wave) => wave.targets)).toEqual([
      ['store-001', 'store-002'], ['store-003', 'store-004', 'store-005'], ['store-006', 'store-007', 'store-008', 'store-009', 'store-010'], ['store-011', 'store-012'],
    ]);
  });

  test('GIVEN a percentage THEN it is rounded up to a whole target', () => {
    expect(plan({ targets: stores(7), waves: [{ percent: 10 }] }).waves.map((wave) => wave.targets.length)).toEqual([1, 1, 5]);
  });

  test('GIVEN a model without its sha256 THEN refused', () => {
    expect(thrownBy(() => plan({ model: ModelArtifact.fromUri('s3://models-eu/fraud/model.tar.gz') })).message).toBe(
      'Retail: invalid model "s3://models-eu/fraud/model.tar.gz". Allowed: a ModelArtifact with its sha256 (devices verify the file before loading it). '
      + 'Fix: use ModelArtifact.fromUri(uri, { sha256: "<64 hex digits>" })');
  });

  test('GIVEN a target twice THEN refused, naming it', () => {
    expect(thrownBy(() => plan({ targets: ['a', 'b', 'a'] })).message).toBe(
      'Retail: invalid targets "a". Allowed: each target once (a target in two waves would be updated before its wave is due). Fix: remove the repeated name');
  });

  test('GIVEN a target name with a slash THEN refused with the thing group rule', () => {
    const error = thrownBy(() => plan({ targets: ['store/1', 'b'] }));
    expect(error.prop).toBe('targets[0]');
    expect(error.message).toContain('Allowed: 1-128 letters, digits, ":", "_" and "-" (an AWS IoT thing group name)');
  });

  test('GIVEN one target THEN refused: a canary and a wave need two', () => {
    expect(thrownBy(() => plan({ targets: ['a'] })).prop).toBe('targets');
  });

  test('GIVEN a wave smaller than the one before THEN refused', () => {
    expect(thrownBy(() => plan({ waves: [{ count: 4 }, { count: 2 }] })).message).toBe(
      'Retail: invalid waves[1] {"count":2}. Allowed: a wave at least as large as the one before (4 targets). Fix: order the waves from small to large');
  });

  test('GIVEN waves that leave no targets for the last wave THEN refused', () => {
    expect(thrownBy(() => plan({ targets: stores(4), waves: [{ count: 1 }, { count: 2 }] })).message).toBe(
      'Retail: invalid waves[1] {"count":2}. Allowed: a wave that leaves targets for a last wave (2 left before it). '
      + 'Fix: make the waves smaller, or drop the later ones: the last wave always takes every target left');
  });

  test('GIVEN a canary as large as the fleet THEN refused', () => {
    expect(thrownBy(() => plan({ targets: stores(3), canary: { percent: 100 } })).prop).toBe('canary');
  });

  test('GIVEN a wave with both count and percent THEN refused', () => {
    expect(thrownBy(() => plan({ canary: { count: 1, percent: 5 } })).message).toBe(
      'Retail: invalid canary {"count":1,"percent":5}. Allowed: one of count or percent. Fix: e.g. { count: 2 } or { percent: 10 }');
  });

  test.each([
    ['rollout.baseRatePerMinute', { rollout: { baseRatePerMinute: 1001 } }],
    ['rollout.baseRatePerMinute', { rollout: { baseRatePerMinute: 0 } }],
    ['rollout.incrementFactor', { rollout: { incrementFactor: 5.5 } }],
    ['rollout.incrementFactor', { rollout: { incrementFactor: 1.55 } }],
    ['rollout.maximumPerMinute', { rollout: { baseRatePerMinute: 50, maximumPerMinute: 20 } }],
    ['rollout.inProgressTimeoutMinutes', { rollout: { inProgressTimeoutMinutes: 10_081 } }],
    ['rollout.minExecutedThingsBeforeAbort', { rollout: { minExecutedThingsBeforeAbort: 0 } }],
    ['healthGate.maxFailurePercent', { healthGate: { maxFailurePercent: 100.5 } }],
    ['healthGate.maxFailurePercent', { healthGate: { maxFailurePercent: 10.999 } }],
    ['healthGate.minReportedPercent', { healthGate: { minReportedPercent: 0 } }],
    ['bakeMinutes', { bakeMinutes: 10_081 }],
  ])('GIVEN %s out of the service limits THEN refused naming it', (prop, overrides) => {
    expect(thrownBy(() => plan(overrides as Partial<EdgeOtaFleetPlanProps>)).prop).toBe(prop);
  });

  test('GIVEN the largest limits THEN accepted', () => {
    const resolved = plan({
      rollout: { baseRatePerMinute: 1000, incrementFactor: 5, inProgressTimeoutMinutes: 10_080 },
      healthGate: { maxFailurePercent: 100, minReportedPercent: 100 },
      bakeMinutes: 10_080,
    });
    expect([resolved.rollout.maximumPerMinute, resolved.rollout.incrementFactor, resolved.bakeSeconds]).toEqual([1000, 5, 604_800]);
  });

  test('GIVEN decimals that binary floating point cannot hold exactly (8.05 %, factor 1.1) THEN accepted', () => {
    const resolved = plan({ healthGate: { maxFailurePercent: 8.05 }, rollout: { incrementFactor: 1.1 } });
    expect([resolved.gate.maxFailurePercent, resolved.rollout.incrementFactor]).toEqual([8.05, 1.1]);
  });

  test('GIVEN an abort threshold of 0 % and two decimals THEN accepted', () => {
    expect(plan({ healthGate: { maxFailurePercent: 0 } }).gate.maxFailurePercent).toBe(0);
    expect(plan({ healthGate: { maxFailurePercent: 10.99 } }).gate.maxFailurePercent).toBe(10.99);
  });
});

describe('EdgeOtaFleet plan for small fleets', () => {
  test.each([
    [2, [1, 1]],
    [3, [1, 1, 1]],
    [4, [1, 1, 2]],
    [5, [1, 1, 2, 1]],
  ])('GIVEN %i targets and the default waves THEN the waves that fit: %j', (count, sizes) => {
    expect(plan({ targets: stores(count) }).waves.map((wave) => wave.targets.length)).toEqual(sizes);
  });
});
