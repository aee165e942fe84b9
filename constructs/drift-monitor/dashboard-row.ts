import { DRIFT_METRIC_LABELS, DRIFT_METRIC_NAMESPACE, DRIFT_METRICS, DRIFT_STATUS_CODES } from './metrics';
import type { DriftMonitorPlan } from './plan';
import type { CloudWatchMetricQuery, DashboardRow, DashboardThreshold, DashboardWidget } from '../../lib/core';

/** Whose drift metrics a row shows: the model and monitor values of the metrics' dimensions (AWS) or labels (Kubernetes). */
export interface DriftMetricsSource {
  /**
   * The `Model` and `Monitor` dimension values the comparison function publishes under `MlPlatform/DriftMonitor`.
   * @default - no CloudWatch queries
   */
  readonly cloudWatch?: { readonly model: string; readonly monitor: string };
  /**
   * The `model` and `monitor` label values the Kubernetes runner pushes to the Pushgateway.
   * @default - no Prometheus queries
   */
  readonly prometheus?: { readonly model: string; readonly monitor: string };
}

const STATUS_LEGEND = `${Object.entries(DRIFT_STATUS_CODES).map(([status, code]) => `${code} ${status}`).join(', ')}`;

/**
 * The monitor's row of the platform dashboard: the largest PSI of each feature per window against the warn and alarm
 * lines, the window's worst status, the number of features per status (warn, alarm, insufficient data), and whether
 * reports arrive (AWS: reports per period; Kubernetes: hours since the last report, against the alert's limit).
 */
export function driftDashboardRow(title: string, plan: DriftMonitorPlan, source: DriftMetricsSource): DashboardRow {
  const period = plan.schedule.everyHours * 3600;
  const cw = source.cloudWatch;
  const dims = DRIFT_METRIC_LABELS.cloudWatch;
  const window = (metricName: string, statistic = 'Maximum'): CloudWatchMetricQuery | undefined => (cw
    ? {
      namespace: DRIFT_METRIC_NAMESPACE,
      metricName,
      dimensions: { [dims.model]: cw.model, [dims.monitor]: cw.monitor },
      statistic,
      periodSeconds: period,
    }
    : undefined);
  const prom = source.prometheus;
  const labels = DRIFT_METRIC_LABELS.prometheus;
  const series = prom ? `${labels.model}="${promLabelValue(prom.model)}", ${labels.monitor}="${promLabelValue(prom.monitor)}"` : '';
  const gauge = (name: string) => `max(${name}{${series}})`;
  const { psiWarn, psiAlarm } = plan.thresholds;
  const overrides = Object.keys(plan.thresholds.features).length;
  const psiLines: DashboardThreshold[] = [
    { value: psiWarn, label: `warn ${psiWarn}`, severity: 'warning' },
    { value: psiAlarm, label: `alarm ${psiAlarm}` },
  ];
  const widgets: DashboardWidget[] = [
    {
      type: 'timeSeries',
      title: 'PSI per feature (max per window)',
      width: 10,
      unit: 'none',
      description: `Each feature's PSI against the training baseline of ${plan.model.name} ${plan.model.version}, one value per `
        + `${plan.schedule.everyHours} h window.${overrides > 0 ? ` ${overrides} feature(s) have their own thresholds (see the catalog).` : ''}`,
      metrics: [{
        // CloudWatch names each searched line by its Feature dimension (a dynamic label,
        // https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/graph-dynamic-labels.html).
        label: `\${PROP('Dim.${dims.feature}')}`,
        // One line per feature: the features are in the baseline, known only at run time, so the widget searches for
        // them by the monitor's dimension, whose value is letters, digits, ".", "_" and "-" (an exact match in double
        // quotes, https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/search-expression-syntax.html).
        cloudWatch: cw ? {
          expression: `SEARCH('{${DRIFT_METRIC_NAMESPACE},${dims.feature},${dims.model},${dims.monitor}} MetricName="${DRIFT_METRICS.psi.cloudWatch}" `
            + `${dims.monitor}="${searchValue(cw.monitor)}"', 'Maximum', ${period})`,
          usingMetrics: {},
          periodSeconds: period,
        } : undefined,
        prometheus: prom ? { expr: `max by (${labels.feature}) (${DRIFT_METRICS.psi.prometheus}{${series}})`, legendFormat: `{{${labels.feature}}}` } : undefined,
      }],
      thresholds: psiLines,
    },
    {
      type: 'singleValue',
      title: 'Worst status',
      width: 4,
      unit: 'none',
      description: `The last window's worst feature status: ${STATUS_LEGEND}.`,
      metric: {
        label: 'worst status',
        cloudWatch: cw ? {
          expression: `IF(alarm > 0, ${DRIFT_STATUS_CODES.alarm}, IF(warn > 0, ${DRIFT_STATUS_CODES.warn}, IF(insufficient > 0, ${DRIFT_STATUS_CODES.insufficient_data}, ${DRIFT_STATUS_CODES.ok})))`,
          usingMetrics: {
            alarm: window(DRIFT_METRICS.featuresAtAlarm.cloudWatch)!,
            warn: window(DRIFT_METRICS.featuresAtWarn.cloudWatch)!,
            insufficient: window(DRIFT_METRICS.featuresInsufficientData.cloudWatch)!,
          },
          periodSeconds: period,
        } : undefined,
        prometheus: prom ? { expr: gauge(DRIFT_METRICS.worstStatus.prometheus) } : undefined,
      },
      thresholds: [
        { value: DRIFT_STATUS_CODES.insufficient_data, label: 'insufficient data', severity: 'warning' },
        { value: DRIFT_STATUS_CODES.warn, label: 'warn', severity: 'warning' },
        { value: DRIFT_STATUS_CODES.alarm, label: 'alarm' },
      ],
    },
    {
      type: 'timeSeries',
      title: 'Features by status',
      width: 5,
      unit: 'count',
      description: 'Features at warn and alarm level, and features with too few rows to judge (insufficient_data; 1 for an empty window).',
      metrics: [
        { label: 'alarm', metric: DRIFT_METRICS.featuresAtAlarm },
        { label: 'warn', metric: DRIFT_METRICS.featuresAtWarn },
        { label: 'insufficient_data', metric: DRIFT_METRICS.featuresInsufficientData },
      ].map(({ label, metric }) => ({
        label,
        cloudWatch: window(metric.cloudWatch),
        prometheus: prom ? { expr: gauge(metric.prometheus) } : undefined,
      })),
      thresholds: [{ value: 1, label: 'alarms at 1', severity: 'warning' }],
    },
  ];
  if (cw) {
    widgets.push({
      type: 'timeSeries',
      title: 'Reports per window',
      width: 5,
      unit: 'count',
      description: `Reports written per ${plan.schedule.everyHours} h window; the missing-reports alarm pages after two windows without one.`,
      metrics: [{
        label: 'reports',
        // An empty window is a 0, not a gap.
        cloudWatch: { expression: 'FILL(reports, 0)', usingMetrics: { reports: window(DRIFT_METRICS.reports.cloudWatch, 'SampleCount')! }, periodSeconds: period },
      }],
      thresholds: [{ value: 1, label: 'one per window', severity: 'warning' }],
    });
  }
  if (prom) {
    const limitHours = 2 * plan.schedule.everyHours;
    widgets.push({
      type: 'singleValue',
      title: 'Hours since last report',
      width: 5,
      unit: 'count',
      description: `The missing-report alert fires after ${limitHours} h (two windows) without a report.`,
      metric: { label: 'hours', prometheus: { expr: `(time() - ${gauge(DRIFT_METRICS.lastReportTimestamp.prometheus)}) / 3600` } },
      thresholds: [{ value: limitHours, label: `alert after ${limitHours} h` }],
    });
  }
  return { title, widgets };
}

/** A PromQL label value in double quotes: `\` and `"` escaped. */
function promLabelValue(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"');
}

/** A monitor name as an exact search term: the AWS monitor names are letters, digits, ".", "_" and "-". */
function searchValue(monitor: string): string {
  if (!/^[A-Za-z0-9_.-]+$/.test(monitor)) {
    throw new Error(`drift monitor name ${JSON.stringify(monitor)} must be letters, digits, ".", "_" and "-" to be searched for on CloudWatch`);
  }
  return monitor;
}
