import { App, Chart } from 'cdk8s';
import { checkRules, describeWithPromtool, type RuleFile, testRules } from './promtool';
import { BatchScoringPipeline } from '../../constructs/k8s';
import { IMAGE, MODEL } from '../support/canary-fixtures';

/** The PrometheusRule of a nightly pipeline `fraud-scoring` in namespace `ml`, as synthesized. */
function alertRules(): RuleFile {
  const chart = new Chart(new App({ outdir: 'unused' }), 'batch', { namespace: 'ml' });
  new BatchScoringPipeline(chart, 'FraudScoring', {
    name: 'fraud-scoring',
    model: MODEL,
    image: IMAGE,
    schedule: { cron: '0 2 * * *', timeZone: 'Europe/Dublin' },
    inputUri: 's3://fraud-data-eu/transactions/',
    outputUri: 's3://fraud-data-eu/scores/',
  });
  return chart.toJson().find((o) => o.kind === 'PrometheusRule').spec;
}

const MINUTES_PER_HOUR = 60;
const HORIZON_MINUTES = 76 * MINUTES_PER_HOUR;

/**
 * A series in promtool's expanding notation, one sample a minute for the whole horizon: `undefined` where
 * kube-state-metrics does not report it yet, else the value from the given minute on.
 */
function series(...changes: Array<[fromMinute: number, value: number]>): string {
  const parts: string[] = [];
  let minute = 0;
  let value: number | undefined;
  for (const [from, next] of [...changes, [HORIZON_MINUTES + 1, 0] as [number, number]]) {
    const samples = from - minute;
    if (samples > 0) {
      parts.push(value === undefined ? `_x${samples}` : `${value}x${samples - 1}`);
    }
    minute = from;
    value = next;
  }
  return parts.join(' ');
}

const job = (minutesSinceEpoch: number) => `fraud-scoring-${minutesSinceEpoch}`;
// Nightly runs at 0 h, 24 h, 48 h and 72 h into the test: the first fails, the second succeeds, the third fails, the fourth succeeds.
const RUNS = [
  { name: job(29_000_000), createdAt: 0, finishedAt: 60, failed: true },
  { name: job(29_001_440), createdAt: 1440, finishedAt: 1500, failed: false },
  { name: job(29_002_880), createdAt: 2880, finishedAt: 2940, failed: true },
  { name: job(29_004_320), createdAt: 4320, finishedAt: 4380, failed: false },
];

/** kube-state-metrics' series for the runs: every run's Job is kept (TTL 7 days), failed ones with their Failed condition. */
function inputSeries(): Array<{ series: string; values: string }> {
  const input = RUNS.flatMap((run) => [
    { series: `kube_job_created{namespace="ml", job_name="${run.name}"}`, values: series([run.createdAt, run.createdAt * 60]) },
    ...(run.failed ? [
      { series: `kube_job_failed{namespace="ml", job_name="${run.name}", condition="true"}`, values: series([run.finishedAt, 1]) },
      { series: `kube_job_failed{namespace="ml", job_name="${run.name}", condition="false"}`, values: series([run.finishedAt, 0]) },
    ] : []),
  ]);
  const successes = RUNS.filter((run) => !run.failed);
  input.push({
    series: 'kube_cronjob_status_last_successful_time{namespace="ml", cronjob="fraud-scoring"}',
    values: series(...successes.map((run): [number, number] => [run.finishedAt, run.finishedAt * 60])),
  });
  // Another pipeline's newer failed run in the same namespace must neither hide nor raise this one's alert.
  input.push({ series: 'kube_job_created{namespace="ml", job_name="churn-scoring-29003000"}', values: series([3000, 3000 * 60]) });
  input.push({ series: 'kube_job_failed{namespace="ml", job_name="churn-scoring-29003000", condition="true"}', values: series([3060, 1]) });
  return input;
}

const runFailed = (run: typeof RUNS[number]) => ({
  exp_labels: { severity: 'page', namespace: 'ml', job_name: run.name },
  exp_annotations: { summary: `The run ${run.name} of fraud-scoring failed; nothing was published for its date.` },
});
const noRecentSuccess = { exp_labels: { severity: 'page' }, exp_annotations: { summary: 'fraud-scoring has not completed a run for more than 26 hours.' } };

describeWithPromtool('BatchScoringPipeline alerts, evaluated by promtool', () => {
  test('GIVEN the synthesized PrometheusRule THEN promtool check rules accepts it', () => {
    const run = checkRules([alertRules()]);
    expect(run.output).toMatch(/SUCCESS: 2 rules found/);
    expect(run.status).toBe(0);
  });

  test('GIVEN a failure, a success, a failure and a success THEN each failure pages once under its own run and resolves when the next run starts', () => {
    const at = (hours: number, alerts: object[]) => ({ eval_time: `${hours * MINUTES_PER_HOUR}m`, alertname: 'BatchScoringRunFailed', exp_alerts: alerts });
    const run = testRules([alertRules()], {
      evaluation_interval: '1m',
      tests: [{
        interval: '1m',
        input_series: inputSeries(),
        alert_rule_test: [
          at(0.5, []),
          at(2, [runFailed(RUNS[0])]),
          at(23, [runFailed(RUNS[0])]),
          // The next run started: the first failure's alert resolves though its Job is kept for 7 days.
          at(26, []),
          at(50, [runFailed(RUNS[2])]),
          at(74, []),
        ],
      }],
    });
    expect(run.output).toBe('Unit Testing:  test.yaml\n  SUCCESS\n\n');
    expect(run.status).toBe(0);
  });

  test('GIVEN a last success at 25 h THEN no-recent-success fires after 26 more hours and resolves with the next success', () => {
    const at = (hours: number, alerts: object[]) => ({ eval_time: `${hours * MINUTES_PER_HOUR}m`, alertname: 'BatchScoringNoRecentSuccess', exp_alerts: alerts });
    const run = testRules([alertRules()], {
      evaluation_interval: '1m',
      tests: [{
        interval: '1m',
        input_series: inputSeries(),
        // Before any success there is no last success to measure from; 25 h + 26 h = 51 h.
        alert_rule_test: [at(23, []), at(50, []), at(51, []), at(52, [noRecentSuccess]), at(72, [noRecentSuccess]), at(74, [])],
      }],
    });
    expect(run.output).toBe('Unit Testing:  test.yaml\n  SUCCESS\n\n');
    expect(run.status).toBe(0);
  });
});
