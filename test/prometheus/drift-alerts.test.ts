import { App, Chart } from 'cdk8s';
import { checkRules, describeWithPromtool, type RuleFile, testRules } from './promtool';
import { DriftMonitor } from '../../constructs/k8s';
import { MODEL } from '../support/canary-fixtures';

/** The PrometheusRule of an hourly monitor `fraud-drift` in namespace `ml`, as synthesized. */
function alertRules(): RuleFile {
  const chart = new Chart(new App({ outdir: 'unused' }), 'drift', { namespace: 'ml' });
  new DriftMonitor(chart, 'FraudDrift', {
    name: 'fraud-drift',
    model: MODEL,
    baselineUri: 's3://models-eu/fraud/1.4.0/baseline.json',
    source: { kind: 'prefix', uri: 's3://fraud-data-eu/requests/', format: 'jsonl' },
    everyHours: 1,
  });
  return chart.toJson().find((o) => o.kind === 'PrometheusRule').spec;
}

const LABELS = 'model="fraud", monitor="ml/fraud-drift", job="ml-platform-drift", instance="pushgateway:9091"';
const WHO = 'ml/fraud-drift (fraud 1.4.0)';
const HOURS = 6;

/** One sample a minute for HOURS hours: a report at minute 10 of every hour, each value holding until the next report. */
function perReport(value: (hour: number) => number, firstReportMinute = 10): string {
  const parts = [`_x${firstReportMinute}`];
  for (let hour = 0; hour < HOURS; hour++) {
    const samples = hour === HOURS - 1 ? 60 - firstReportMinute : 60;
    parts.push(`${value(hour)}x${samples - 1}`);
  }
  return parts.join(' ');
}

/** The four window gauges of every report, and the last report's time (minute 10 of each hour, in seconds). */
function reports(counts: { warn: number; alarm: number; insufficient: number }, reportsUntilHour = HOURS): Array<{ series: string; values: string }> {
  return [
    { series: `ml_platform_drift_features_at_warn{${LABELS}}`, values: perReport(() => counts.warn) },
    { series: `ml_platform_drift_features_at_alarm{${LABELS}}`, values: perReport(() => counts.alarm) },
    { series: `ml_platform_drift_features_insufficient_data{${LABELS}}`, values: perReport(() => counts.insufficient) },
    { series: `ml_platform_drift_last_report_timestamp_seconds{${LABELS}}`, values: perReport((hour) => Math.min(hour, reportsUntilHour - 1) * 3600 + 600) },
  ];
}

const alert = (summary: string, severity: string, cause?: string) => ({
  exp_labels: { severity, model: 'fraud', monitor: 'ml/fraud-drift', ...(cause ? { cause } : {}) }, exp_annotations: { summary },
});
const WARN = alert(`${WHO}: a feature drifted to warn level (PSI >= 0.1) in the last window; read the report in the run's log.`, 'warning');
const ALARM = alert(`${WHO}: a feature drifted to alarm level (PSI >= 0.2, or KS corrected p < 0.01 with D >= 0.1).`, 'page');
const INSUFFICIENT = alert(`${WHO}: the last window had too few rows to judge some feature; drift there is unseen.`, 'warning');
const MISSING = `${WHO}: no drift report for two periods (2 h); the CronJob is failing or not scheduled.`;

function run(inputSeries: Array<{ series: string; values: string }>, checks: Array<{ eval_time: string; alertname: string; exp_alerts: unknown[] }>) {
  return testRules([alertRules()], { evaluation_interval: '1m', tests: [{ interval: '1m', input_series: inputSeries, alert_rule_test: checks }] });
}

describeWithPromtool('Kubernetes DriftMonitor alerts (promtool)', () => {
  test('GIVEN the synthesized rule THEN promtool check rules passes', () => {
    const result = checkRules([alertRules()]);
    expect([result.status, result.output]).toEqual([0, expect.stringContaining('SUCCESS: 5 rules found')]);
  });

  test('GIVEN a window with a feature at warn level THEN DriftWarn fires and DriftAlarm does not', () => {
    const result = run(reports({ warn: 1, alarm: 0, insufficient: 0 }), [
      { eval_time: '30m', alertname: 'DriftWarn', exp_alerts: [WARN] },
      { eval_time: '30m', alertname: 'DriftAlarm', exp_alerts: [] },
    ]);
    expect([result.status, result.output]).toEqual([0, expect.stringContaining('SUCCESS')]);
  });

  test('GIVEN a window with a feature at alarm level THEN DriftAlarm pages (and DriftWarn, which counts alarm too)', () => {
    const result = run(reports({ warn: 0, alarm: 1, insufficient: 0 }), [
      { eval_time: '30m', alertname: 'DriftAlarm', exp_alerts: [ALARM] },
      { eval_time: '30m', alertname: 'DriftWarn', exp_alerts: [WARN] },
    ]);
    expect([result.status, result.output]).toEqual([0, expect.stringContaining('SUCCESS')]);
  });

  test('GIVEN a small window (every feature insufficient_data) THEN DriftInsufficientData fires, neither drift alert does', () => {
    const result = run(reports({ warn: 0, alarm: 0, insufficient: 2 }), [
      { eval_time: '30m', alertname: 'DriftInsufficientData', exp_alerts: [INSUFFICIENT] },
      { eval_time: '30m', alertname: 'DriftAlarm', exp_alerts: [] },
      { eval_time: '30m', alertname: 'DriftWarn', exp_alerts: [] },
    ]);
    expect([result.status, result.output]).toEqual([0, expect.stringContaining('SUCCESS')]);
  });

  test('GIVEN a report every hour THEN no missing-report alert in six hours', () => {
    const result = run(reports({ warn: 0, alarm: 0, insufficient: 0 }), [
      { eval_time: '5h50m', alertname: 'DriftReportMissing', exp_alerts: [] },
    ]);
    expect([result.status, result.output]).toEqual([0, expect.stringContaining('SUCCESS')]);
  });

  test('GIVEN reports that stop after the 00:10 one THEN silent at 02:10, paging once the last report is more than two periods old', () => {
    const result = run(reports({ warn: 0, alarm: 0, insufficient: 0 }, 1), [
      { eval_time: '2h10m', alertname: 'DriftReportMissing', exp_alerts: [] },
      { eval_time: '2h11m', alertname: 'DriftReportMissing', exp_alerts: [alert(MISSING, 'page', 'stale')] },
    ]);
    expect([result.status, result.output]).toEqual([0, expect.stringContaining('SUCCESS')]);
  });

  test('GIVEN a monitor that never reported THEN silent for two periods, then paging (absent)', () => {
    const result = run([{ series: 'up{job="other"}', values: '1x400' }], [
      { eval_time: '1h59m', alertname: 'DriftReportMissing', exp_alerts: [] },
      { eval_time: '2h1m', alertname: 'DriftReportMissing', exp_alerts: [alert(MISSING, 'page', 'never-reported')] },
    ]);
    expect([result.status, result.output]).toEqual([0, expect.stringContaining('SUCCESS')]);
  });
});
