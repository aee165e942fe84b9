import { Construct } from 'constructs';
import * as fc from 'fast-check';
import { ALARM_EVALUATION_MINUTES, type DriftMonitorPlanProps, planDriftMonitor } from '../../constructs/drift-monitor/plan';
import { isMlPlatformError, ModelArtifact } from '../../lib/core';

const scope = new Construct(undefined as any, 'FraudDrift');
const MODEL = ModelArtifact.fromUri('s3://models-eu/fraud/1.4.0/model.tar.gz', { version: '1.4.0' });

const bucket = fc.stringMatching(/^[a-z0-9][a-z0-9-]{1,20}[a-z0-9]$/);
const prefix = fc.array(fc.stringMatching(/^[a-z0-9_-]{1,12}$/), { maxLength: 3 }).map((parts) => parts.map((part) => `${part}/`).join(''));
const psiPair = fc.tuple(fc.double({ min: 0.001, max: 4.9, noNaN: true }), fc.double({ min: 0.001, max: 5, noNaN: true }))
  .map(([warn, gap]) => ({ psiWarn: warn, psiAlarm: warn + gap }));

/** Props every engine must accept. */
const validProps: fc.Arbitrary<DriftMonitorPlanProps> = fc.record({
  kind: fc.constantFrom('endpoint-capture', 'pipeline-inputs', 'prefix'),
  bucket,
  prefix,
  everyHours: fc.constantFrom(1, 2, 3, 4, 6, 8, 12, 24),
  startDelayMinutes: fc.integer({ min: 0, max: 59 }),
  timeoutFraction: fc.double({ min: 0, max: 1, noNaN: true }),
  thresholds: psiPair,
  features: fc.dictionary(fc.stringMatching(/^[a-z][a-z0-9_]{0,15}$/), psiPair, { maxKeys: 4 }),
  ksAlpha: fc.double({ min: 0.0001, max: 0.2, noNaN: true }),
}).map((v) => ({
  model: MODEL,
  source: v.kind === 'endpoint-capture' ? { kind: v.kind, uri: `s3://${v.bucket}/${v.prefix}`, endpointName: 'fraud' }
    : { kind: v.kind, uri: `s3://${v.bucket}/${v.prefix}`, format: 'jsonl' as const },
  baselineUri: `s3://${v.bucket}/baselines/baseline.json`,
  everyHours: v.everyHours,
  startDelayMinutes: v.startDelayMinutes,
  jobTimeoutMinutes: Math.max(1, Math.floor(v.timeoutFraction * Math.min(v.everyHours * 60, 1440))),
  thresholds: { ...v.thresholds, features: v.features, ksAlpha: v.ksAlpha },
}));

describe('DriftMonitor plan: properties', () => {
  test('GIVEN any valid props THEN the plan resolves and pages within period + delay + job bound + alarm evaluation', () => {
    fc.assert(fc.property(validProps, (props) => {
      const plan = planDriftMonitor(scope, props);
      const expected = props.everyHours! * 60 + props.startDelayMinutes! + props.jobTimeoutMinutes! + ALARM_EVALUATION_MINUTES;
      expect(plan.worstCaseMinutesFromDriftToPage).toBe(expected);
      expect(plan.compareArguments.filter((arg) => arg.startsWith('--threshold=')).length).toBe(Object.keys(props.thresholds!.features!).length);
    }), { numRuns: 200 });
  });

  test('GIVEN any value in any one prop THEN the plan resolves or throws an MlPlatformError, never another error', () => {
    const props = ['model', 'source', 'baselineUri', 'everyHours', 'startDelayMinutes', 'jobTimeoutMinutes', 'thresholds', 'retraining'] as const;
    fc.assert(fc.property(validProps, fc.constantFrom(...props), fc.anything(), (valid, prop, value) => {
      try {
        planDriftMonitor(scope, { ...valid, [prop]: value } as DriftMonitorPlanProps);
      } catch (error) {
        expect(isMlPlatformError(error)).toBe(true);
      }
    }), { numRuns: 500 });
  });

  test('GIVEN any value in a nested threshold or source field THEN only MlPlatformErrors are thrown', () => {
    const fields = ['psiWarn', 'psiAlarm', 'ksAlpha', 'ksMinStatistic', 'features'] as const;
    const sourceFields = ['kind', 'uri', 'endpointName', 'variantNames', 'format'] as const;
    fc.assert(fc.property(validProps, fc.constantFrom(...fields), fc.constantFrom(...sourceFields), fc.anything(), fc.boolean(),
      (valid, field, sourceField, value, inSource) => {
        const props = inSource
          ? { ...valid, source: { ...valid.source, [sourceField]: value } }
          : { ...valid, thresholds: { ...valid.thresholds, [field]: value } };
        try {
          planDriftMonitor(scope, props as DriftMonitorPlanProps);
        } catch (error) {
          expect(isMlPlatformError(error)).toBe(true);
        }
      }), { numRuns: 500 });
  });
});
