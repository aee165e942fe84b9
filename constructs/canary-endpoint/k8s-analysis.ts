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

/**
 * The rollback gates as an Argo Rollouts `AnalysisTemplate` spec: one Prometheus query per gate over the canary's
 * pods, measured every minute; the rollout aborts once a gate has failed `datapointsToAlarm` times during the
 * analysis (twice with the defaults; unlike the SageMaker alarms the failures need not be within three minutes).
 * A window without requests passes: the queries return NaN or nothing, which is not a failure of the new version.
 * @internal the published declarations must not name the dev-only `@kubernetes-models` packages.
 */
export function gatesAnalysisSpec(plan: CanaryEndpointPlan, prometheusAddress: string, metrics: Required<ServerMetricNames>): IAnalysisTemplate['spec'] {
  const gates = plan.rollbackGates;
  const selector = `rollouts_pod_template_hash="{{args.${CANARY_HASH_ARG}}}"`;
  const window = `${gates.periodSeconds}s`;
  const common = {
    interval: window,
    failureLimit: gates.datapointsToAlarm - 1,
    // Prometheus unreachable for four minutes in a row errs the analysis, which aborts the rollout: no silent pass.
    consecutiveErrorLimit: 4,
  };
  return {
    args: [{ name: CANARY_HASH_ARG }],
    metrics: [
      {
        name: 'error-rate',
        ...common,
        successCondition: `len(result) == 0 || isNaN(result[0]) || result[0] <= ${gates.maxErrorRatePercent / 100}`,
        provider: {
          prometheus: {
            address: prometheusAddress,
            query: `sum(rate(${metrics.requestsTotal}{${selector},code=~"5.."}[${window}])) / sum(rate(${metrics.requestsTotal}{${selector}}[${window}]))`,
          },
        },
      },
      {
        name: 'p99-latency',
        ...common,
        successCondition: `len(result) == 0 || isNaN(result[0]) || result[0] <= ${gates.maxP99LatencyMs / 1000}`,
        provider: {
          prometheus: {
            address: prometheusAddress,
            query: `histogram_quantile(0.99, sum by (le) (rate(${metrics.requestDurationBucket}{${selector}}[${window}])))`,
          },
        },
      },
    ],
  };
}
