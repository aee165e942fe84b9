// Apart from the rule builder, whose declaration names a kubernetes-models type: the entry point exports these names.

/** The alert names of the Kubernetes `DriftMonitor`'s PrometheusRule (for Alertmanager routes and silences). */
export const DRIFT_ALERTS = {
  warn: 'DriftWarn',
  alarm: 'DriftAlarm',
  insufficientData: 'DriftInsufficientData',
  missingReports: 'DriftReportMissing',
} as const;
