import { App, Chart } from 'cdk8s';
import { type AnalysisMetric, measurementPhase, metricPhase, rolloutAction, runPhase } from './argo-analysis';
import { describeWithPromtool, type RuleFile, testRules } from './promtool';
import { CanaryEndpoint } from '../../constructs/k8s';
import { IMAGE, MODEL } from '../support/canary-fixtures';

/** The analysis metrics of the default `CanaryEndpoint`, as synthesized. */
function analysisMetrics(): Array<AnalysisMetric & { interval: string; initialDelay: string; provider: { prometheus: { query: string } } }> {
  const chart = new Chart(new App({ outdir: 'unused' }), 'serving', { namespace: 'ml' });
  new CanaryEndpoint(chart, 'Fraud', { name: 'fraud', model: MODEL, image: IMAGE });
  return chart.toJson().find((o) => o.kind === 'AnalysisTemplate').spec.metrics;
}

// The pod-template hashes Argo Rollouts passes as `canary-hash` (the canary) and leaves on the stable pods.
const CANARY = '7d9f8b6c5';
const STABLE = '5c4b3a2d1';
const SCRAPE_SECONDS = 15;
const HORIZON_SAMPLES = 12 * 60 / SCRAPE_SECONDS;

/** What one version's pods serve, per second: answers by status code and the cumulative latency histogram. */
interface Traffic {
  readonly perCode: Record<string, number>;
  readonly cumulativeByBucket: Record<string, number>;
}

const FAST: Traffic['cumulativeByBucket'] = { '0.1': 5, '0.25': 10, '0.5': 10, '1': 10, '2.5': 10, '+Inf': 10 };
const SLOW: Traffic['cumulativeByBucket'] = { '0.1': 5, '0.25': 8, '0.5': 8, '1': 8, '2.5': 10, '+Inf': 10 };

/** The server's counters, scraped every 15 s from the step's start, as the ServiceMonitor labels them. */
function traffic(hash: string, served: Traffic): Array<{ series: string; values: string }> {
  const pod = `namespace="ml", pod="fraud-${hash}-x2k9p", rollouts_pod_template_hash="${hash}"`;
  const counter = (perSecond: number) => `0+${perSecond * SCRAPE_SECONDS}x${HORIZON_SAMPLES}`;
  return [
    ...Object.entries(served.perCode).map(([code, perSecond]) => ({ series: `http_requests_total{${pod}, code="${code}"}`, values: counter(perSecond) })),
    ...Object.entries(served.cumulativeByBucket).map(([le, perSecond]) => ({ series: `http_request_duration_seconds_bucket{${pod}, le="${le}"}`, values: counter(perSecond) })),
  ];
}

// The stable fleet fails half its requests in every scenario: the gates must look at the canary's pods only.
const STABLE_TRAFFIC = traffic(STABLE, { perCode: { 200: 50, 503: 50 }, cumulativeByBucket: { '0.1': 100, '+Inf': 100 } });

interface Scenario {
  readonly what: string;
  readonly canary: ReadonlyArray<{ series: string; values: string }>;
  /** What Prometheus must compute for each metric at every measurement (NaN: no number). */
  readonly expected: Record<'canary-traffic' | 'error-rate' | 'p99-latency', number>;
  readonly action: 'promote' | 'abort' | 'pause';
}

const SCENARIOS: Scenario[] = [
  {
    what: 'a good canary: 10 requests/s, no 5xx series at all, p99 247 ms',
    canary: traffic(CANARY, { perCode: { 200: 10 }, cumulativeByBucket: FAST }),
    expected: { 'canary-traffic': 600, 'error-rate': 0, 'p99-latency': 0.247 },
    action: 'promote',
  },
  {
    what: 'a canary failing 10 % of its requests',
    canary: traffic(CANARY, { perCode: { 200: 9, 500: 1 }, cumulativeByBucket: FAST }),
    expected: { 'canary-traffic': 600, 'error-rate': 0.1, 'p99-latency': 0.247 },
    action: 'abort',
  },
  {
    what: 'a canary whose p99 is 2.425 s',
    canary: traffic(CANARY, { perCode: { 200: 10 }, cumulativeByBucket: SLOW }),
    expected: { 'canary-traffic': 600, 'error-rate': 0, 'p99-latency': 2.425 },
    action: 'abort',
  },
  {
    what: 'a canary that is scraped but gets no requests',
    canary: traffic(CANARY, { perCode: { 200: 0 }, cumulativeByBucket: { '0.1': 0, '+Inf': 0 } }),
    expected: { 'canary-traffic': 0, 'error-rate': NaN, 'p99-latency': NaN },
    action: 'pause',
  },
  {
    what: 'a canary Prometheus never scrapes (a ServiceMonitor it does not select, or another metric name)',
    canary: [],
    expected: { 'canary-traffic': NaN, 'error-rate': NaN, 'p99-latency': NaN },
    action: 'pause',
  },
];

const recordName = (metric: string) => `analysis:${metric.replace(/-/g, '_')}`;

/** Each metric's query as a recording rule, with the canary's hash where Argo substitutes `{{args.canary-hash}}`. */
function recordingRules(metrics: ReturnType<typeof analysisMetrics>): RuleFile {
  return {
    groups: [{
      name: 'fraud-gates',
      rules: metrics.map((metric) => ({ record: recordName(metric.name), expr: metric.provider.prometheus.query.split('{{args.canary-hash}}').join(CANARY) })),
    }],
  };
}

/** A promql test that the recorded value at `minute` is `value`: NaN is the only value unequal to itself. */
function valueTest(metric: string, minute: number, value: number) {
  const series = recordName(metric);
  return {
    expr: Number.isNaN(value) ? `${series} != bool ${series}` : `abs(${series} - ${value}) < bool 1e-9`,
    eval_time: `${minute}m`,
    exp_samples: [{ labels: '{}', value: 1 }],
  };
}

describe('the canary analysis, evaluated as Argo Rollouts does', () => {
  const metrics = analysisMetrics();

  test('GIVEN the template THEN every query is a scalar, so `result` is one float (NaN when there is no data), never a list', () => {
    expect(metrics.map((m) => /^scalar\(.*\)$/.test(m.provider.prometheus.query))).toEqual([true, true, true]);
    // The first measurement comes one interval after the canary step starts; `count` of them make the bake.
    expect(metrics.map((m) => [m.initialDelay, m.interval, m.count])).toEqual(Array(3).fill(['60s', '60s', 10]));
  });

  test.each(SCENARIOS)('GIVEN $what THEN the conditions on its values make the rollout $action', ({ expected, action }) => {
    // Every measurement of the step gives the same values; the run ends at the first verdict.
    const phases = metrics.map((metric) => {
      const measured = Array.from({ length: metric.count! }, () => measurementPhase(metric, expected[metric.name as keyof Scenario['expected']]));
      return metricPhase(metric, measured);
    });
    expect(rolloutAction(runPhase(phases))).toBe(action);
  });

  test('GIVEN a good canary with one bad minute THEN it still promotes; a second bad minute aborts', () => {
    const errorRate = metrics.find((m) => m.name === 'error-rate')!;
    const minutes = (bad: number) => Array.from({ length: 10 }, (_, i) => measurementPhase(errorRate, i < bad ? 0.5 : 0));
    expect(metricPhase(errorRate, minutes(1))).toBe('Successful');
    expect(metricPhase(errorRate, minutes(2))).toBe('Failed');
  });

  test('GIVEN a canary bad from its first minute THEN the step aborts at the second measurement, 120 s in, within the plan\'s 3-minute bound', () => {
    const chart = new Chart(new App({ outdir: 'unused' }), 'serving');
    const endpoint = new CanaryEndpoint(chart, 'Fraud', { name: 'fraud', model: MODEL, image: IMAGE });
    const errorRate = metrics.find((m) => m.name === 'error-rate')!;
    const seconds = (duration: string) => Number(/^(\d+)s$/.exec(duration)![1]);
    const phases: ReturnType<typeof measurementPhase>[] = [];
    while (metricPhase(errorRate, phases) === 'Running') {
      phases.push(measurementPhase(errorRate, 0.1));
    }
    const abortedAfter = seconds(errorRate.initialDelay) + (phases.length - 1) * seconds(errorRate.interval);
    expect(abortedAfter).toBe(120);
    expect(abortedAfter).toBeLessThanOrEqual(endpoint.plan.worstCaseMinutesToRollback * 60);
  });

  test('GIVEN one minute without requests in a good canary THEN the step pauses at that minute instead of promoting', () => {
    const canaryTraffic = metrics.find((m) => m.name === 'canary-traffic')!;
    const phases = Array.from({ length: 10 }, (_, i) => measurementPhase(canaryTraffic, i === 4 ? NaN : 600));
    expect(metricPhase(canaryTraffic, phases)).toBe('Inconclusive');
  });

  test('GIVEN Prometheus unreachable for 5 measurements in a row THEN the run errs, which aborts; 4 are tolerated', () => {
    const errorRate = metrics.find((m) => m.name === 'error-rate')!;
    const down = (n: number) => [...Array.from({ length: n }, () => measurementPhase(errorRate, { queryError: 'connection refused' })), ...Array(9).fill('Successful')];
    expect(metricPhase(errorRate, down(5).slice(0, 5))).toBe('Error');
    expect(rolloutAction(metricPhase(errorRate, down(5).slice(0, 5)))).toBe('abort');
    expect(metricPhase(errorRate, [...down(4).slice(0, 4), ...Array(10).fill('Successful')])).toBe('Successful');
  });
});

describeWithPromtool('the canary analysis queries, evaluated by promtool as recording rules', () => {
  const metrics = analysisMetrics();

  test.each(SCENARIOS)('GIVEN $what THEN Prometheus computes the values the conditions were judged on, at every measurement', ({ canary, expected }) => {
    const measurementMinutes = Array.from({ length: metrics[0].count! }, (_, i) => i + 1);
    const run = testRules([recordingRules(metrics)], {
      evaluation_interval: '1m',
      tests: [{
        interval: `${SCRAPE_SECONDS}s`,
        input_series: [...STABLE_TRAFFIC, ...canary],
        promql_expr_test: measurementMinutes.flatMap((minute) =>
          metrics.map((metric) => valueTest(metric.name, minute, expected[metric.name as keyof Scenario['expected']]))),
      }],
    });
    expect(run.output).toBe('Unit Testing:  test.yaml\n  SUCCESS\n\n');
    expect(run.status).toBe(0);
  });
});
