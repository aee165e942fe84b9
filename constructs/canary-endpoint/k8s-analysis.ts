import type { IAnalysisTemplate } from '@kubernetes-models/argo-rollouts/argoproj.io/v1alpha1/AnalysisTemplate';
import type { CanaryEndpointPlan } from './plan';

/** The Prometheus series the model server exports. */
export interface ServerMetricNames {
  /**
   * The request counter, labelled with the HTTP status `code`.
   * @default "http_requests_total"
   */
  readonly requestsTotal?: string;
  /**
   * The request-duration histogram's bucket series, in seconds.
   * @default "http_request_duration_seconds_bucket"
   */
  readonly requestDurationBucket?: string;
  /**
   * The HTTP path the metrics are served on (on the serving port).
   * @default "/metrics"
   */
  readonly path?: string;
}

/**
 * The analysis argument holding the canary's pod-template hash; Argo Rollouts fills it (`podTemplateHashValue:
 * Latest`), and the ServiceMonitor copies the pods' `rollouts-pod-template-hash` label onto every series.
 */
export const CANARY_HASH_ARG = 'canary-hash';

/** The analysis's metrics. Argo names the first metric that is not successful in the run's message, so `canary-traffic` comes first. */
export const ANALYSIS_METRICS = { traffic: 'canary-traffic', errorRate: 'error-rate', p99Latency: 'p99-latency' } as const;

/**
 * The rollback gates as an Argo Rollouts `AnalysisTemplate` spec, run as the bake of every canary step: one
 * measurement a minute over the canary's pods, `bakeSeconds / 60` of them (Argo waits one minute before the
 * first, so its one-minute window holds only ready canary pods). A gate fails on the second bad measurement
 * (`failureLimit: datapointsToAlarm - 1`), which aborts the rollout; the step succeeds only when every
 * measurement had data and at most one was bad.
 *
 * No data is never success. Every query returns a scalar (`scalar()`), so an empty result is `NaN`, and every
 * condition requires a number (`!isNaN(result)`): a minute without canary requests, a wrong metric name or a
 * ServiceMonitor that Prometheus never selects measures `NaN`, which is neither success nor failure, so the
 * measurement is Inconclusive, `inconclusiveLimit: 0` makes the run Inconclusive, and Argo pauses the rollout
 * (`InconclusiveAnalysisRun`) for a human. The error rate counts a canary without 5xx series as 0 errors
 * (`or vector(0)`): a counter with a `code` label has no 5xx series until the first 5xx. Prometheus unreachable
 * for five measurements in a row (`consecutiveErrorLimit: 4`) errs the run, which aborts the rollout.
 * Semantics from argo-rollouts `metricproviders/prometheus/prometheus.go` (a scalar result is a float, a vector
 * a list), `utils/evaluate/evaluate.go` (neither condition true: Inconclusive) and `analysis/analysis.go` (limits).
 * @internal its return type names the dev-only `@kubernetes-models` package, which no published declaration may import.
 */
export function gatesAnalysisSpec(plan: CanaryEndpointPlan, prometheusAddress: string, metrics: Required<ServerMetricNames>): IAnalysisTemplate['spec'] {
  const gates = plan.rollbackGates;
  const selector = `rollouts_pod_template_hash="{{args.${CANARY_HASH_ARG}}}"`;
  const window = `${gates.periodSeconds}s`;
  const common = {
    initialDelay: window,
    interval: window,
    // One measurement per minute of bake (at least one: an all-at-once shift has no canary step to run it).
    count: Math.max(1, plan.trafficShift.bakeSeconds / gates.periodSeconds),
    failureLimit: gates.datapointsToAlarm - 1,
    inconclusiveLimit: 0,
    consecutiveErrorLimit: 4,
  };
  const prometheus = (query: string) => ({ prometheus: { address: prometheusAddress, query } });
  const gate = (limit: number) => ({ successCondition: `!isNaN(result) && result <= ${limit}`, failureCondition: `!isNaN(result) && result > ${limit}` });
  const requests = `${metrics.requestsTotal}{${selector}}`;
  return {
    args: [{ name: CANARY_HASH_ARG }],
    metrics: [
      {
        name: ANALYSIS_METRICS.traffic,
        ...common,
        // Requests reached the canary and Prometheus saw them; nothing here fails a version, so no data is Inconclusive.
        successCondition: '!isNaN(result) && result > 0',
        failureCondition: 'false',
        provider: prometheus(`scalar(sum(increase(${requests}[${window}])))`),
      },
      {
        name: ANALYSIS_METRICS.errorRate,
        ...common,
        ...gate(gates.maxErrorRatePercent / 100),
        provider: prometheus(`scalar((sum(rate(${metrics.requestsTotal}{${selector},code=~"5.."}[${window}])) or vector(0)) / sum(rate(${requests}[${window}])))`),
      },
      {
        name: ANALYSIS_METRICS.p99Latency,
        ...common,
        ...gate(gates.maxP99LatencyMs / 1000),
        provider: prometheus(`scalar(histogram_quantile(0.99, sum by (le) (rate(${metrics.requestDurationBucket}{${selector}}[${window}]))))`),
      },
    ],
  };
}
