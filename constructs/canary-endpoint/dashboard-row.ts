import type { CanaryEndpointPlan } from './plan';
import type { CloudWatchMetricQuery, DashboardRow } from '../../lib/core';

/** Where an endpoint's metrics are: its SageMaker variant, or its Prometheus series. */
export interface CanaryMetricsSource {
  /**
   * The SageMaker endpoint and variant (AWS).
   * @default - no CloudWatch queries
   */
  readonly sageMaker?: { readonly endpointName: string; readonly variantName: string };
  /**
   * The namespace and Service prometheus-operator scrapes the pods through, and the server's metric names (Kubernetes).
   * @default - no Prometheus queries
   */
  readonly prometheus?: {
    readonly namespace: string;
    readonly service: string;
    readonly requestsTotal: string;
    readonly requestDurationBucket: string;
  };
}

/**
 * The endpoint's row of the platform dashboard: invocations, the 5xx rate and p99 latency each against its rollback
 * gate, and the instance (or pod) count. The same row on every engine; each renders the queries it has.
 */
export function canaryDashboardRow(title: string, plan: CanaryEndpointPlan, source: CanaryMetricsSource): DashboardRow {
  const gates = plan.rollbackGates;
  const sm = source.sageMaker;
  const variant = (metricName: string, statistic: string): CloudWatchMetricQuery | undefined => (sm
    ? { namespace: 'AWS/SageMaker', metricName, dimensions: { EndpointName: sm.endpointName, VariantName: sm.variantName }, statistic }
    : undefined);
  const prom = source.prometheus;
  const series = prom ? `namespace="${prom.namespace}", service="${prom.service}"` : '';
  return {
    title,
    widgets: [
      {
        type: 'timeSeries',
        title: 'Invocations per minute',
        unit: 'count',
        metrics: [{
          label: 'invocations',
          cloudWatch: variant('Invocations', 'Sum'),
          prometheus: prom ? { expr: `sum(rate(${prom.requestsTotal}{${series}}[1m])) * 60` } : undefined,
        }],
      },
      {
        type: 'timeSeries',
        title: '5xx rate (%)',
        unit: 'percent',
        metrics: [{
          label: '5xx rate',
          cloudWatch: sm ? {
            expression: 'IF(invocations > 0, 100 * errors / invocations, 0)',
            usingMetrics: { errors: variant('Invocation5XXErrors', 'Sum')!, invocations: variant('Invocations', 'Sum')! },
          } : undefined,
          prometheus: prom ? {
            expr: `100 * sum(rate(${prom.requestsTotal}{${series}, code=~"5.."}[1m])) / sum(rate(${prom.requestsTotal}{${series}}[1m]))`,
          } : undefined,
        }],
        thresholds: [{ value: gates.maxErrorRatePercent, label: `rollback gate ${gates.maxErrorRatePercent} %` }],
      },
      {
        type: 'timeSeries',
        title: 'p99 latency (ms)',
        unit: 'milliseconds',
        metrics: [{
          label: 'p99 latency',
          // SageMaker reports ModelLatency in microseconds.
          cloudWatch: sm ? { expression: 'latency / 1000', usingMetrics: { latency: variant('ModelLatency', 'p99')! } } : undefined,
          prometheus: prom ? { expr: `1000 * histogram_quantile(0.99, sum by (le) (rate(${prom.requestDurationBucket}{${series}}[1m])))` } : undefined,
        }],
        thresholds: [{ value: gates.maxP99LatencyMs, label: `rollback gate ${gates.maxP99LatencyMs} ms` }],
      },
      {
        type: 'timeSeries',
        title: sm ? 'Instances' : 'Pods',
        unit: 'count',
        description: sm
          ? 'Invocations / InvocationsPerInstance: SageMaker publishes no instance count, so this shows while the endpoint serves.'
          : 'Pods Prometheus scrapes through the Service and finds up.',
        metrics: [{
          label: sm ? 'instances' : 'pods',
          cloudWatch: sm ? {
            expression: 'IF(perInstance > 0, invocations / perInstance, 0)',
            usingMetrics: { invocations: variant('Invocations', 'Sum')!, perInstance: variant('InvocationsPerInstance', 'Sum')! },
          } : undefined,
          prometheus: prom ? { expr: `count(up{${series}} == 1)` } : undefined,
        }],
        thresholds: [
          { value: plan.autoscaling.minCapacity, label: `min ${plan.autoscaling.minCapacity}`, severity: 'warning' },
          { value: plan.autoscaling.maxCapacity, label: `max ${plan.autoscaling.maxCapacity}`, severity: 'warning' },
        ],
      },
    ],
  };
}
