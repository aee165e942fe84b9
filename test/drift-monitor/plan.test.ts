import { existsSync, readFileSync } from 'fs';
import { join } from 'path';
import { Construct } from 'constructs';
import { MODEL_ARGS, normal, runDrift, seeded, tempDir, writeCsv } from './drift-fixtures';
import { ALARM_EVALUATION_MINUTES, type DriftMonitorPlanProps, planDriftMonitor } from '../../constructs/drift-monitor/plan';
import { DRIFT_SCRIPT_FOLDER, DRIFT_SCRIPT_NAME, driftScriptDirectory } from '../../constructs/drift-monitor/script';
import { isMlPlatformError, ModelArtifact } from '../../lib/core';
import { thrownBy } from '../support/canary-fixtures';

const scope = new Construct(undefined as any, 'FraudDrift');
const MODEL = ModelArtifact.fromUri('s3://models-eu/fraud/1.4.0/model.tar.gz', { version: '1.4.0' });
const ENDPOINT: DriftMonitorPlanProps = {
  model: MODEL,
  source: { kind: 'endpoint-capture', uri: 's3://fraud-capture-eu/data-capture/', endpointName: 'fraud' },
  baselineUri: 's3://models-eu/fraud/1.4.0/baseline.json',
};
const PIPELINE: DriftMonitorPlanProps = { ...ENDPOINT, source: { kind: 'pipeline-inputs', uri: 's3://fraud-data-eu/transactions/' } };

function plan(overrides: Partial<DriftMonitorPlanProps> = {}, base: DriftMonitorPlanProps = ENDPOINT) {
  return planDriftMonitor(scope, { ...base, ...overrides });
}

describe('DriftMonitor plan', () => {
  test('GIVEN an endpoint THEN its AllTraffic capture is compared hourly at minute 10, within 15 minutes', () => {
    const resolved = plan();
    expect(resolved.source).toEqual({
      kind: 'endpoint-capture',
      bucket: 'fraud-capture-eu',
      prefix: 'data-capture/',
      format: 'sagemaker-capture',
      endpointName: 'fraud',
      variantNames: ['AllTraffic'],
      windowTemplate: 'data-capture/fraud/{variant}/{yyyy}/{mm}/{dd}/{hh}/',
    });
    expect(resolved.schedule).toEqual({ everyHours: 1, startDelayMinutes: 10, cron: '10 */1 * * *' });
    expect(resolved.jobTimeoutMinutes).toBe(15);
  });

  test('GIVEN an endpoint THEN drift present for a whole hour pages within 90 minutes (60 + 10 + 15 + 5)', () => {
    expect(plan().worstCaseMinutesFromDriftToPage).toBe(60 + 10 + 15 + ALARM_EVALUATION_MINUTES);
    expect(plan().worstCaseMinutesFromDriftToPage).toBe(90);
  });

  test('GIVEN a pipeline\'s inputs THEN they are compared daily as CSV of the run date, paging within 1470 minutes', () => {
    const resolved = plan({}, PIPELINE);
    expect([resolved.source.format, resolved.source.windowTemplate]).toEqual(['csv', 'transactions/run_date={yyyy}-{mm}-{dd}/']);
    expect(resolved.schedule).toEqual({ everyHours: 24, startDelayMinutes: 10, cron: '10 0 * * *' });
    expect(resolved.worstCaseMinutesFromDriftToPage).toBe(1470);
  });

  test('GIVEN no thresholds THEN PSI warns at 0.1, alarms at 0.2, KS alarms below corrected 0.01 at a gap of 0.1', () => {
    expect(plan().thresholds).toEqual({ psiWarn: 0.1, psiAlarm: 0.2, features: {}, ksAlpha: 0.01, ksMinStatistic: 0.1 });
  });

  test('GIVEN a per-feature threshold THEN the compare arguments carry it with the model and the defaults', () => {
    const resolved = plan({ thresholds: { features: { amount: { psiWarn: 0.05, psiAlarm: 0.1 } } } });
    expect(resolved.compareArguments).toEqual([
      'compare', '--model-name=fraud', '--model-version=1.4.0', '--psi-warn=0.1', '--psi-alarm=0.2', '--ks-alpha=0.01',
      '--ks-min-statistic=0.1', '--threshold=amount=0.05:0.1',
    ]);
  });

  test('GIVEN the plan\'s compare arguments THEN drift.py accepts them and applies the per-feature threshold', () => {
    const dir = tempDir();
    const random = seeded(31);
    const data = writeCsv(dir, 'train.csv', ['amount'], Array.from({ length: 1000 }, () => [normal(random)]));
    const baseline = join(dir, 'baseline.json');
    expect(runDrift(['baseline', '--data', data, '--out', baseline, ...MODEL_ARGS]).status).toBe(0);
    const args = plan({ thresholds: { features: { amount: { psiWarn: 0.05, psiAlarm: 0.1 } } } }).compareArguments;
    const result = runDrift([...args, '--baseline', baseline, '--data', data, '--out', join(dir, 'report.json')]);
    expect([result.status, result.stderr]).toEqual([0, '']);
  });

  test('GIVEN a retraining target THEN approval waits 72 hours by default', () => {
    expect(plan({ retraining: { target: 'sagemaker-pipeline' } }).retraining).toEqual({ target: 'sagemaker-pipeline', approvalTimeoutHours: 72 });
  });

  test('GIVEN the README THEN the drift-to-page time and the script path it states are the plan\'s', () => {
    const readme = readFileSync(join(__dirname, '..', '..', 'README.md'), 'utf8');
    expect(readme).toContain(`reaches a page within the period, the start delay, the job's bound and ${ALARM_EVALUATION_MINUTES} minutes of alarm evaluation: `
      + `**${plan().worstCaseMinutesFromDriftToPage} minutes**`);
    expect(readme).toContain(`\`${DRIFT_SCRIPT_FOLDER}/${DRIFT_SCRIPT_NAME}\``);
  });

  test('GIVEN the package THEN the plan finds the drift script beside its modules', () => {
    expect(existsSync(join(driftScriptDirectory(), DRIFT_SCRIPT_NAME))).toBe(true);
    expect(existsSync(join(driftScriptDirectory(), 'drift_stats.py'))).toBe(true);
  });
});

const endpointSource = (extra: object) => ({ source: { ...ENDPOINT.source, ...extra } as any });
/** Invalid props: [what, props, the prop the error must name]. */
const INVALID: Array<[string, Partial<DriftMonitorPlanProps>, string]> = [
  ['a model without a version', { model: ModelArtifact.fromUri('s3://models-eu/fraud/model.tar.gz') }, 'model'],
  ['a model that is not a ModelArtifact', { model: 's3://models-eu/fraud/model.tar.gz' as any }, 'model'],
  ['no source', { source: undefined as any }, 'source'],
  ['an unknown source kind', endpointSource({ kind: 'kinesis' }), 'source.kind'],
  ['a source URI that is not S3', endpointSource({ uri: 'https://example.com/capture/' }), 'source.uri'],
  ['a source prefix without a trailing slash', endpointSource({ uri: 's3://fraud-capture-eu/data-capture' }), 'source.uri'],
  ['a source bucket name with capitals', endpointSource({ uri: 's3://Fraud-Capture/data-capture/' }), 'source.uri'],
  ['an empty path segment', endpointSource({ uri: 's3://fraud-capture-eu/a//b/' }), 'source.uri'],
  ['an endpoint capture without an endpoint', endpointSource({ endpointName: undefined }), 'source.endpointName'],
  ['an endpoint name with underscores', endpointSource({ endpointName: 'fraud_v1' }), 'source.endpointName'],
  ['no variants', endpointSource({ variantNames: [] }), 'source.variantNames'],
  ['a variant name of 64 characters', endpointSource({ variantNames: ['v'.repeat(64)] }), 'source.variantNames[0]'],
  ['an unknown format', endpointSource({ format: 'parquet' }), 'source.format'],
  ['a prefix without a format', { source: { kind: 'prefix', uri: 's3://fraud-data-eu/events/' } }, 'source.format'],
  ['an endpoint name on pipeline inputs', { source: { kind: 'pipeline-inputs', uri: 's3://fraud-data-eu/in/', endpointName: 'fraud' } }, 'source.endpointName'],
  ['a baseline URI that is a prefix', { baselineUri: 's3://models-eu/fraud/1.4.0/' }, 'baselineUri'],
  ['a baseline URI without a key', { baselineUri: 's3://models-eu/' }, 'baselineUri'],
  ['every 5 hours', { everyHours: 5 }, 'everyHours'],
  ['every 0 hours', { everyHours: 0 }, 'everyHours'],
  ['every 48 hours', { everyHours: 48 }, 'everyHours'],
  ['a start delay of an hour', { startDelayMinutes: 60 }, 'startDelayMinutes'],
  ['a job timeout longer than the hourly period', { jobTimeoutMinutes: 61 }, 'jobTimeoutMinutes'],
  ['a job timeout of 0', { jobTimeoutMinutes: 0 }, 'jobTimeoutMinutes'],
  ['a PSI warn of 0', { thresholds: { psiWarn: 0 } }, 'thresholds.psiWarn'],
  ['a PSI warn that is NaN', { thresholds: { psiWarn: Number.NaN } }, 'thresholds.psiWarn'],
  ['an alarm below the warning', { thresholds: { psiWarn: 0.2, psiAlarm: 0.1 } }, 'thresholds.psiAlarm'],
  ['an alarm equal to the warning', { thresholds: { psiWarn: 0.2, psiAlarm: 0.2 } }, 'thresholds.psiAlarm'],
  ['a feature alarm below its warning', { thresholds: { features: { amount: { psiWarn: 0.3, psiAlarm: 0.2 } } } }, 'thresholds.features.amount.psiAlarm'],
  ['a feature threshold without an alarm', { thresholds: { features: { amount: { psiWarn: 0.3 } as any } } }, 'thresholds.features.amount.psiAlarm'],
  ['a blank feature name', { thresholds: { features: { ' ': { psiWarn: 0.1, psiAlarm: 0.2 } } } }, 'thresholds.features. '],
  ['a KS level of 0', { thresholds: { ksAlpha: 0 } }, 'thresholds.ksAlpha'],
  ['a KS level of 0.5', { thresholds: { ksAlpha: 0.5 } }, 'thresholds.ksAlpha'],
  ['a KS minimum statistic above 1', { thresholds: { ksMinStatistic: 1.5 } }, 'thresholds.ksMinStatistic'],
  ['an unknown retraining target', { retraining: { target: 'lambda' as any } }, 'retraining.target'],
  ['an approval timeout of 0 hours', { retraining: { target: 'state-machine', approvalTimeoutHours: 0 } }, 'retraining.approvalTimeoutHours'],
  ['an approval timeout of 31 days', { retraining: { target: 'state-machine', approvalTimeoutHours: 744 } }, 'retraining.approvalTimeoutHours'],
];

describe('DriftMonitor plan: invalid props', () => {
  test.each(INVALID)('GIVEN %s THEN an MlPlatformError names the prop', (_what, props, prop) => {
    const error = thrownBy(() => plan(props));
    expect(isMlPlatformError(error)).toBe(true);
    expect(error.prop).toBe(prop);
    expect(error.message.startsWith(`FraudDrift: invalid ${prop} `)).toBe(true);
  });

  test('GIVEN an alarm below the warning THEN the message says what is allowed and how to fix it', () => {
    expect(thrownBy(() => plan({ thresholds: { psiWarn: 0.2, psiAlarm: 0.1 } })).message).toBe(
      'FraudDrift: invalid thresholds.psiAlarm 0.1. Allowed: a PSI above thresholds.psiWarn (0.2). Fix: alarm at a larger drift than the warning',
    );
  });

  test('GIVEN a model without a version THEN the message asks for one', () => {
    expect(thrownBy(() => plan({ model: ModelArtifact.fromUri('s3://models-eu/fraud/model.tar.gz') })).message).toBe(
      'FraudDrift: invalid model "s3://models-eu/fraud/model.tar.gz". Allowed: a ModelArtifact with a version (the baseline is made for one model version). '
      + 'Fix: give the version: ModelArtifact.fromUri(uri, { version: "1.4.0" })',
    );
  });

  test('GIVEN a daily pipeline THEN a job timeout of 2 hours is valid', () => {
    expect(plan({ jobTimeoutMinutes: 120 }, PIPELINE).jobTimeoutMinutes).toBe(120);
  });
});
