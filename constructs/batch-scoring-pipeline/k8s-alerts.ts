import type { IPrometheusRule } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PrometheusRule';
import { BATCH_RUNBOOK } from './platform-entries';
import { prometheusRule } from '../../lib/k8s/prometheus-rule';

/** The alert names of the Kubernetes `BatchScoringPipeline`. */
export const BATCH_ALERTS = { runFailed: 'BatchScoringRunFailed', noRecentSuccess: 'BatchScoringNoRecentSuccess' } as const;

/** What the pipeline's `PrometheusRule` is built from. */
export interface BatchAlertRuleOptions {
  /** The CronJob's name; its scheduled runs are the Jobs `<name>-<minutes since the epoch>`. */
  readonly name: string;
  /** The namespace the CronJob runs in, when the chart sets one. */
  readonly namespace?: string;
  /** The five-field cron of the schedule. */
  readonly cron: string;
  /** The labels of the pipeline's objects. */
  readonly labels: Record<string, string>;
  /** The labels the Prometheus selects rules by. */
  readonly selectorLabels: Record<string, string>;
  /**
   * The owner's labels and annotations of each alert, by its runbook below the owner's runbook base.
   * @default - none (outside a platform)
   */
  readonly ownership?: (runbook: string) => { readonly labels: Record<string, string>; readonly annotations: Record<string, string> };
}

/**
 * The pipeline's alerts, from kube-state-metrics' Job and CronJob series (`kube_job_failed{condition}`,
 * `kube_job_created`, `kube_cronjob_status_last_successful_time`: kube-state-metrics `docs/metrics/workload/`),
 * with `severity: page` for Alertmanager to route to the owner:
 * - `BatchScoringRunFailed` fires while the newest scheduled run has failed (its Job's `Failed` condition, not a
 *   failed pod a retry may still fix), one alert per run (`job_name`), and resolves when the next run starts. A
 *   failed Job is kept for its TTL (7 days) and its history limit, so an alert on any kept failed Job would fire
 *   for a week and swallow every later failure; on the newest Job each failure pages anew.
 * - `BatchScoringNoRecentSuccess` fires when no run has succeeded for the longest gap of the schedule plus two
 *   hours (a missed or stuck run), and resolves with the next success.
 */
export function batchAlertRule(options: BatchAlertRuleOptions): IPrometheusRule {
  const where = options.namespace ? `namespace="${options.namespace}", ` : '';
  const runs = `${where}job_name=~"${options.name}-[0-9]+"`;
  const staleAfter = longestScheduleGapSeconds(options.cron) + 2 * 3600;
  const newestRun = `kube_job_created{${runs}} == on (namespace) group_left () max by (namespace) (kube_job_created{${runs}})`;
  const owned = (runbook: string) => options.ownership?.(runbook) ?? { labels: {}, annotations: {} };
  const runFailedOwner = owned(`${BATCH_RUNBOOK}/run-failed`);
  const noRecentSuccessOwner = owned(`${BATCH_RUNBOOK}/no-recent-success`);
  return prometheusRule(options, [
    {
      alert: BATCH_ALERTS.runFailed,
      // `max by` keeps one alert per run when several kube-state-metrics replicas report the same Job.
      expr: `max by (namespace, job_name) (kube_job_failed{${runs}, condition="true"} == 1 and on (namespace, job_name) (${newestRun}))`,
      labels: { severity: 'page', ...runFailedOwner.labels },
      annotations: { summary: `The run {{ $labels.job_name }} of ${options.name} failed; nothing was published for its date.`, ...runFailedOwner.annotations },
    },
    {
      alert: BATCH_ALERTS.noRecentSuccess,
      // The longest gap between two scheduled runs plus two hours for a run to finish: a missed run.
      expr: `time() - max(kube_cronjob_status_last_successful_time{${where}cronjob="${options.name}"}) > ${staleAfter}`,
      labels: { severity: 'page', ...noRecentSuccessOwner.labels },
      annotations: { summary: `${options.name} has not completed a run for more than ${staleAfter / 3600} hours.`, ...noRecentSuccessOwner.annotations },
    },
  ]);
}

/** The longest time between two runs of a five-field cron, rounded up to whole hours, days, weeks, months or years. */
export function longestScheduleGapSeconds(cron: string): number {
  const [, hour, dayOfMonth, month, dayOfWeek] = cron.split(' ');
  const hourSeconds = 3600;
  const daySeconds = 24 * hourSeconds;
  if (month !== '*') {
    return 366 * daySeconds;
  }
  if (dayOfMonth !== '*') {
    return 31 * daySeconds;
  }
  if (dayOfWeek !== '*') {
    return 7 * daySeconds;
  }
  if (hour === '*') {
    return hourSeconds;
  }
  const step = /^\*\/(\d+)$/.exec(hour);
  return step ? Number(step[1]) * hourSeconds : daySeconds;
}
