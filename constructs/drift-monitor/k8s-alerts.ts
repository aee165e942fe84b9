import type { IPrometheusRule } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PrometheusRule';
import { DRIFT_ALERTS } from './k8s-alert-names';
import { DRIFT_METRIC_LABELS, DRIFT_METRICS, DRIFT_RUNBOOK } from './metrics';
import type { DriftMonitorPlan } from './plan';
import { prometheusRule } from '../../lib/k8s/prometheus-rule';


/** What the monitor's `PrometheusRule` is built from. */
export interface DriftAlertRuleOptions {
  /** The PrometheusRule's name (the monitor's object name). */
  readonly name: string;
  /** The `monitor` label value of the pushed metrics. */
  readonly monitor: string;
  /** The resolved plan: the model, the period and the thresholds quoted in the alerts. */
  readonly plan: DriftMonitorPlan;
  /** The labels of the monitor's objects. */
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
 * The monitor's alerts, over the gauges the runner pushes for each window (`DRIFT_METRICS`), with the model and
 * monitor labels. The alerts read the runner's per-status feature counts, not the PSI series: the runner applies
 * the thresholds (per-feature ones included), the KS test and the sample-size rule, so a small window is
 * `insufficient_data` and never pages as drift. A count keeps its value until the next report replaces it.
 * - `DriftWarn` (severity warning): some feature at warn level or above (PSI >= psiWarn).
 * - `DriftAlarm` (severity page): some feature at alarm level (PSI >= psiAlarm, or KS significant and large enough).
 * - `DriftInsufficientData` (severity warning): the last window had too few rows to judge some feature.
 * - `DriftReportMissing` (severity page): no report for two periods: the last report's time is older than two periods
 *   (`cause: stale`), or no report has been pushed for two periods (`cause: never-reported`: a new monitor that never
 *   ran, or a Pushgateway restarted without persistence). Two rules, told apart by `cause` (promtool refuses two rules
 *   of one name and labels).
 */
export function driftAlertRule(options: DriftAlertRuleOptions): IPrometheusRule {
  const { plan } = options;
  const labels = DRIFT_METRIC_LABELS.prometheus;
  const series = `${labels.model}="${promValue(plan.model.name)}", ${labels.monitor}="${promValue(options.monitor)}"`;
  // `max by` keeps the model and monitor labels on the alert, and one series when several Pushgateway replicas report it.
  const gauge = (name: string) => `max by (${labels.model}, ${labels.monitor}) (${name}{${series}})`;
  const periodSeconds = plan.schedule.everyHours * 3600;
  const silence = 2 * periodSeconds;
  const owned = (runbook: string) => options.ownership?.(`${DRIFT_RUNBOOK}/${runbook}`) ?? { labels: {}, annotations: {} };
  const who = `${options.monitor} (${plan.model.name} ${plan.model.version})`;
  const alert = (name: string, expr: string, severity: string, runbook: string, summary: string, extra: { for?: string; cause?: string } = {}) => {
    const owner = owned(runbook);
    return {
      alert: name,
      expr,
      ...(extra.for ? { for: extra.for } : {}),
      labels: { severity, ...(extra.cause ? { cause: extra.cause } : {}), ...owner.labels },
      annotations: { summary, ...owner.annotations },
    };
  };
  const { psiWarn, psiAlarm, ksAlpha, ksMinStatistic } = plan.thresholds;
  return prometheusRule(options, [
    alert(DRIFT_ALERTS.warn, `${gauge(DRIFT_METRICS.featuresAtWarn.prometheus)} + ${gauge(DRIFT_METRICS.featuresAtAlarm.prometheus)} > 0`, 'warning', 'warn',
      `${who}: a feature drifted to warn level (PSI >= ${psiWarn}) in the last window; read the report in the run's log.`),
    alert(DRIFT_ALERTS.alarm, `${gauge(DRIFT_METRICS.featuresAtAlarm.prometheus)} > 0`, 'page', 'alarm',
      `${who}: a feature drifted to alarm level (PSI >= ${psiAlarm}, or KS corrected p < ${ksAlpha} with D >= ${ksMinStatistic}).`
            + `${plan.retraining ? ' A suspended retraining Job awaits approval.' : ''}`),
    alert(DRIFT_ALERTS.insufficientData, `${gauge(DRIFT_METRICS.featuresInsufficientData.prometheus)} > 0`, 'warning', 'insufficient-data',
      `${who}: the last window had too few rows to judge some feature; drift there is unseen.`),
    alert(DRIFT_ALERTS.missingReports, `time() - ${gauge(DRIFT_METRICS.lastReportTimestamp.prometheus)} > ${silence}`, 'page', 'missing-reports',
      `${who}: no drift report for two periods (${2 * plan.schedule.everyHours} h); the CronJob is failing or not scheduled.`, { cause: 'stale' }),
    // Never pushed: absent for two periods (a monitor's first report arrives within one period and the start delay).
    alert(DRIFT_ALERTS.missingReports, `absent(${DRIFT_METRICS.lastReportTimestamp.prometheus}{${series}})`, 'page', 'missing-reports',
      `${who}: no drift report for two periods (${2 * plan.schedule.everyHours} h); the CronJob is failing or not scheduled.`,
      { for: `${silence}s`, cause: 'never-reported' }),
  ]);
}

/** A label value inside a PromQL double-quoted string. */
function promValue(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}
