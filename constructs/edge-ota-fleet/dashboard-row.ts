import type { EdgeOtaFleetPlan } from './plan';
import type { DashboardRow, DashboardWidget } from '../../lib/core';

/** Where a fleet's metrics are: its wave driver (AWS), or its Applications in Argo CD's metrics (Kubernetes). */
export interface EdgeMetricsSource {
  /**
   * The wave driver's ARN (AWS/States metrics), its execution timeout, and the period of the UnfinishedRollouts alarm.
   * @default - no CloudWatch queries
   */
  readonly stepFunctions?: { readonly stateMachineArn: string; readonly timeoutSeconds: number; readonly alarmPeriodSeconds: number };
  /**
   * The Argo CD namespace and the ApplicationSet whose Applications (`<applicationSet>-<cluster>`) the row counts.
   * @default - no Prometheus queries
   */
  readonly argoCd?: { readonly namespace: string; readonly applicationSet: string };
}

// Rollouts last hours: hourly sums show each one; a day's maximum shows the longest of the day.
const HOUR = 3600;
const DAY = 86_400;

/**
 * The Applications of an ApplicationSet in Argo CD's `argocd_app_info` (labels `namespace`, `name`, `sync_status`,
 * `health_status`, ...: controller/metrics/metrics.go, https://argo-cd.readthedocs.io/en/stable/operator-manual/metrics/).
 * The generated Applications are named `<applicationSet>-<cluster>`.
 */
export function fleetApplications(namespace: string, applicationSet: string, extra = ''): string {
  return `argocd_app_info{namespace="${namespace}", name=~"${applicationSet}-.+"${extra}}`;
}

/**
 * The fleet's row of the platform dashboard. AWS: the driver's executions by outcome (AWS/States by state machine
 * ARN), the failed executions the UnfinishedRollouts alarm watches against its threshold, and the longest rollout
 * against the execution timeout. Kubernetes: the fleet's Applications by health and by sync status, and the Degraded
 * ones the fleet's alert pages on. Both: the waves and the exposure bound.
 */
export function edgeDashboardRow(title: string, plan: EdgeOtaFleetPlan, source: EdgeMetricsSource): DashboardRow {
  const sfn = source.stepFunctions;
  const states = (metricName: string, statistic: string, periodSeconds: number) => ({
    namespace: 'AWS/States', metricName, dimensions: { StateMachineArn: sfn!.stateMachineArn }, statistic, periodSeconds,
  });
  const argo = source.argoCd;
  const apps = (extra = '') => fleetApplications(argo!.namespace, argo!.applicationSet, extra);
  const widgets: DashboardWidget[] = [];
  if (sfn) {
    widgets.push(
      {
        type: 'timeSeries',
        title: 'Rollouts',
        unit: 'count',
        description: 'Driver executions per hour: succeeded (every wave healthy, or superseded by a newer version), '
          + 'failed (a gate tripped and reverted, too few reports, or an error), timed out, aborted by hand.',
        metrics: [
          { label: 'started', cloudWatch: states('ExecutionsStarted', 'Sum', HOUR) },
          { label: 'succeeded', cloudWatch: states('ExecutionsSucceeded', 'Sum', HOUR) },
          { label: 'failed', cloudWatch: states('ExecutionsFailed', 'Sum', HOUR) },
          { label: 'timed out', cloudWatch: states('ExecutionsTimedOut', 'Sum', HOUR) },
          { label: 'aborted', cloudWatch: states('ExecutionsAborted', 'Sum', HOUR) },
        ],
      },
      {
        type: 'timeSeries',
        title: 'Unfinished rollouts',
        unit: 'count',
        description: 'The UnfinishedRollouts alarm\'s metric: failed executions; the owner\'s notification holds each one\'s evidence.',
        metrics: [{ label: 'failed', cloudWatch: states('ExecutionsFailed', 'Sum', sfn.alarmPeriodSeconds) }],
        thresholds: [{ value: 0, label: `UnfinishedRollouts alarm: above 0 in ${sfn.alarmPeriodSeconds / 60} min` }],
      },
      {
        type: 'singleValue',
        title: 'Longest rollout today (h)',
        unit: 'count',
        metric: { label: 'hours', cloudWatch: { expression: 'time / 3600000', usingMetrics: { time: states('ExecutionTime', 'Maximum', DAY) } } },
        thresholds: [{ value: sfn.timeoutSeconds / 3600, label: `execution timeout ${Math.round(sfn.timeoutSeconds / 360) / 10} h` }],
      },
    );
  }
  if (argo) {
    widgets.push(
      {
        type: 'timeSeries',
        title: 'Applications by health',
        unit: 'count',
        description: 'A Degraded Application halts RollingSync; its cluster\'s Rollout has reverted itself.',
        metrics: [{ label: 'health', prometheus: { expr: `count by (health_status) (${apps()})`, legendFormat: '{{health_status}}' } }],
      },
      {
        type: 'timeSeries',
        title: 'Applications by sync status',
        unit: 'count',
        description: 'OutOfSync Applications are waiting for their RollingSync step.',
        metrics: [{ label: 'sync', prometheus: { expr: `count by (sync_status) (${apps()})`, legendFormat: '{{sync_status}}' } }],
      },
      {
        type: 'singleValue',
        title: 'Degraded applications',
        unit: 'count',
        metric: { label: 'degraded', prometheus: { expr: `count(${apps(', health_status="Degraded"')}) or vector(0)` } },
        thresholds: [{ value: 1, label: 'pages the owner (fleet revert)' }],
      },
    );
  }
  widgets.push({
    type: 'text',
    title: 'Waves',
    markdown: `${plan.waves.map((wave) => `${wave.name}: ${wave.targets.length}`).join(', ')}. A bad version reaches at most `
      + `${plan.exposure.targets} targets, each for at most ${plan.exposure.seconds} s before the revert starts.`,
  });
  return { title, widgets };
}
