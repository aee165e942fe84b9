import type { BatchScoringPipelinePlan } from './plan';
import type { DashboardRow, DashboardWidget } from '../../lib/core';

/** Where a pipeline's metrics are: its state machine (AWS), or its CronJob's kube-state-metrics series (Kubernetes). */
export interface BatchMetricsSource {
  /**
   * The state machine's ARN (AWS/States metrics), and the namespace and dimensions of the records-scored metric.
   * @default - no CloudWatch queries
   */
  readonly stepFunctions?: {
    readonly stateMachineArn: string;
    readonly recordsScored?: { readonly namespace: string; readonly metricName: string; readonly dimensions: Readonly<Record<string, string>> };
  };
  /**
   * The namespace and CronJob name (kube-state-metrics).
   * @default - no Prometheus queries
   */
  readonly kubernetes?: { readonly namespace: string; readonly cronJob: string };
}

// Runs are nightly or hourly: hourly sums show each run, and a day's maximum the last run's duration.
const HOUR = 3600;
const DAY = 86400;

/**
 * The pipeline's row of the platform dashboard: runs by outcome and the last run's duration (both engines), records
 * scored (AWS: the `RecordsScored` metric its runs publish; Kubernetes runs publish none), and on Kubernetes the hours
 * since the last successful run against the alert's limit.
 */
export function batchDashboardRow(title: string, plan: BatchScoringPipelinePlan, staleAfterHours: number, source: BatchMetricsSource): DashboardRow {
  const sfn = source.stepFunctions;
  const states = (metricName: string, statistic: string, periodSeconds: number) => ({
    namespace: 'AWS/States', metricName, dimensions: { StateMachineArn: sfn!.stateMachineArn }, statistic, periodSeconds,
  });
  const k8s = source.kubernetes;
  const jobs = k8s ? `namespace="${k8s.namespace}", job_name=~"${k8s.cronJob}-[0-9]+"` : '';
  const widgets: DashboardWidget[] = [
    {
      type: 'timeSeries',
      title: 'Runs',
      unit: 'count',
      description: `Scheduled ${plan.schedule.cron} (${plan.schedule.timeZone}).`,
      metrics: sfn ? [
        { label: 'succeeded', cloudWatch: states('ExecutionsSucceeded', 'Sum', HOUR) },
        { label: 'failed', cloudWatch: states('ExecutionsFailed', 'Sum', HOUR) },
        { label: 'timed out', cloudWatch: states('ExecutionsTimedOut', 'Sum', HOUR) },
      ] : [
        { label: 'succeeded', prometheus: { expr: `count(kube_job_status_succeeded{${jobs}} > 0) or vector(0)` } },
        { label: 'failed', prometheus: { expr: `count(kube_job_failed{${jobs}, condition="true"} > 0) or vector(0)` } },
      ],
    },
    {
      type: 'singleValue',
      title: 'Last run duration (min)',
      unit: 'count',
      metric: {
        label: 'duration',
        cloudWatch: sfn ? { expression: 'time / 60000', usingMetrics: { time: states('ExecutionTime', 'Maximum', DAY) } } : undefined,
        prometheus: k8s ? {
          expr: `max(kube_job_status_completion_time{${jobs}} - on (namespace, job_name) kube_job_status_start_time{${jobs}}) / 60`,
        } : undefined,
      },
      thresholds: [{ value: plan.runTimeoutSeconds / 60, label: `run timeout ${plan.runTimeoutSeconds / 60} min` }],
    },
  ];
  if (sfn?.recordsScored) {
    widgets.push({
      type: 'timeSeries',
      title: 'Records scored',
      unit: 'count',
      metrics: [{ label: 'records', cloudWatch: { ...sfn.recordsScored, statistic: 'Sum', periodSeconds: HOUR } }],
    });
  }
  if (k8s) {
    widgets.push({
      type: 'singleValue',
      title: 'Hours since last success',
      unit: 'count',
      metric: {
        label: 'hours',
        prometheus: { expr: `(time() - max(kube_cronjob_status_last_successful_time{namespace="${k8s.namespace}", cronjob="${k8s.cronJob}"})) / 3600` },
      },
      thresholds: [{ value: staleAfterHours, label: `alert after ${staleAfterHours} h` }],
    });
  }
  return { title, widgets };
}
