/**
 * The names of a drift monitor's metrics on each engine: CloudWatch (what `drift/drift_lambda.py` puts) and Prometheus
 * (what the Kubernetes runner pushes to the Pushgateway). One meaning per row; the dashboard row and the alarms and
 * alerts of both engines read these names.
 */

/** The CloudWatch namespace of every drift metric (AWS). */
export const DRIFT_METRIC_NAMESPACE = 'MlPlatform/DriftMonitor';

/** The runbook of a drift monitor's alarms and alerts, below the owner's runbook base. */
export const DRIFT_RUNBOOK = 'drift-monitor';

/**
 * The dimensions (CloudWatch) and labels (Prometheus) that say whose a value is. `model` and `monitor` are on every
 * metric; `feature` on the per-feature ones.
 */
export const DRIFT_METRIC_LABELS = {
  cloudWatch: { model: 'Model', monitor: 'Monitor', feature: 'Feature' },
  prometheus: { model: 'model', monitor: 'monitor', feature: 'feature' },
} as const;

/** One drift metric's name on each engine. */
export interface DriftMetricName {
  /**
   * Its CloudWatch metric name; none when the AWS runner does not publish it.
   * @default - not published to CloudWatch
   */
  readonly cloudWatch?: string;
  /**
   * Its Prometheus metric name (a gauge); none when the Kubernetes runner does not push it.
   * @default - not pushed to Prometheus
   */
  readonly prometheus?: string;
}

/**
 * Every drift metric. The Prometheus names are the CloudWatch names in snake case under `ml_platform_drift_`.
 * A report is one push (Kubernetes) or one `PutMetricData` batch (AWS): gauges, each the last window's value.
 */
export const DRIFT_METRICS = {
  /** Per feature: the PSI of the window against the baseline. */
  psi: { cloudWatch: 'PSI', prometheus: 'ml_platform_drift_psi' },
  /** Per feature (numeric): the two-sample Kolmogorov-Smirnov statistic. */
  ks: { cloudWatch: 'KS', prometheus: 'ml_platform_drift_ks' },
  /** Per feature (numeric): the KS p-value after the Benjamini-Hochberg correction (the report's `ks_pvalue_adjusted`). */
  ksPValue: { prometheus: 'ml_platform_drift_ks_p_value' },
  /** Per window: how many features are at warn level. */
  featuresAtWarn: { cloudWatch: 'FeaturesAtWarn', prometheus: 'ml_platform_drift_features_at_warn' },
  /** Per window: how many features are at alarm level. */
  featuresAtAlarm: { cloudWatch: 'FeaturesAtAlarm', prometheus: 'ml_platform_drift_features_at_alarm' },
  /** Per window: how many features had too little data to judge (1 for an empty window). */
  featuresInsufficientData: { cloudWatch: 'FeaturesInsufficientData', prometheus: 'ml_platform_drift_features_insufficient_data' },
  /**
   * Per window: the report's worst status as its rank in `drift_compare.py`'s `STATUS_ORDER` (`DRIFT_STATUS_CODES`).
   * CloudWatch derives it from the three counts above.
   */
  worstStatus: { prometheus: 'ml_platform_drift_worst_status' },
  /** Per window: 1 for each report written (CloudWatch counts them per period; silence is a missing report). */
  reports: { cloudWatch: 'Reports' },
  /** Per window: when the last report was written, in Unix seconds (Prometheus' way to tell a silent monitor). */
  lastReportTimestamp: { prometheus: 'ml_platform_drift_last_report_timestamp_seconds' },
} as const satisfies Record<string, DriftMetricName>;

/** A report's worst status as a number: its rank in `drift_compare.py`'s `STATUS_ORDER`, worst highest. */
export const DRIFT_STATUS_CODES = { ok: 0, insufficient_data: 1, warn: 2, alarm: 3 } as const;
