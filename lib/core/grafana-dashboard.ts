import type { PropFailure } from './number-range';
import type { DashboardMetric, DashboardThreshold, DashboardUnit, PlatformDashboard, PlacedWidget } from './platform-dashboard';

/** How the Grafana JSON is written. */
export interface GrafanaDashboardOptions {
  /**
   * The uid of the Prometheus data source every panel queries.
   * @default - a `datasource` variable of type `prometheus` (the kube-prometheus-stack dashboards' convention), so the
   * dashboard works with whichever Prometheus data source the Grafana has
   */
  readonly datasourceUid?: string;
  /**
   * The dashboard's tags.
   * @default - none
   */
  readonly tags?: readonly string[];
  /**
   * How often the dashboard refreshes.
   * @default '1m' (Prometheus' default scrape interval is 1 m: faster refreshes show nothing new)
   */
  readonly refresh?: string;
}

/**
 * The dashboard `schemaVersion` written. Grafana migrates a dashboard up from its `schemaVersion` and its API refuses
 * one it cannot migrate to its own latest version (apps/dashboard/pkg/migration/migrate.go: "schema version not
 * migrated to target version"), so a number newer than a Grafana knows fails there. 39 is what Grafana 10.4 and 11
 * write; the migrations to 40, 41 and 42 (Grafana 12) change only `refresh` types, `timepicker.time_options` and
 * `hideFrom` overrides, none of which this output has (grafana/grafana apps/dashboard/pkg/migration/schemaversion/).
 */
export const GRAFANA_SCHEMA_VERSION = 39;

/** Grafana unit ids (https://grafana.com/docs/grafana/latest/panels-visualizations/configure-standard-options/#unit). */
const GRAFANA_UNITS: Record<DashboardUnit, string> = {
  count: 'short',
  percent: 'percent',
  ratio: 'percentunit',
  seconds: 's',
  milliseconds: 'ms',
  requestsPerSecond: 'reqps',
  bytes: 'bytes',
  none: 'none',
};

const SEVERITY_COLORS = { critical: 'red', warning: 'orange' } as const;

/** The Grafana dashboard JSON (classic model) of a platform dashboard. */
export function renderGrafanaDashboard(dashboard: PlatformDashboard, fail: PropFailure, options: GrafanaDashboardOptions): Record<string, unknown> {
  const datasource = { type: 'prometheus', uid: options.datasourceUid ?? '${datasource}' };
  let nextId = 1;
  const panels: Array<Record<string, unknown>> = [];
  for (const row of dashboard.layout()) {
    panels.push({
      type: 'row',
      id: nextId++,
      title: row.title,
      collapsed: false,
      panels: [],
      gridPos: { h: 1, w: 24, x: 0, y: row.y },
    });
    row.widgets.forEach((placed, index) => {
      panels.push({ id: nextId++, ...panelOf(placed, `row "${row.title}" widgets[${index}]`, datasource, fail) });
    });
  }
  return {
    annotations: { list: [] },
    editable: false,
    fiscalYearStartMonth: 0,
    // Shared crosshair: the same moment is marked on every panel.
    graphTooltip: 1,
    id: null,
    links: [],
    panels,
    refresh: options.refresh ?? '1m',
    schemaVersion: GRAFANA_SCHEMA_VERSION,
    tags: [...(options.tags ?? [])],
    templating: {
      list: options.datasourceUid !== undefined ? [] : [{
        name: 'datasource',
        label: 'Data source',
        type: 'datasource',
        query: 'prometheus',
        // `default` selects the Grafana's default Prometheus data source, as kube-prometheus-stack's dashboards do.
        current: { selected: true, text: 'default', value: 'default' },
        hide: 0,
        refresh: 1,
        regex: '',
        options: [],
        includeAll: false,
        multi: false,
      }],
    },
    time: { from: `now-${dashboard.timeRange}`, to: 'now' },
    timepicker: {},
    timezone: 'utc',
    title: dashboard.title,
    uid: dashboard.uid,
    version: 1,
  };
}

function panelOf(placed: PlacedWidget, at: string, datasource: DatasourceRef, fail: PropFailure): Record<string, unknown> {
  const { widget } = placed;
  const common = {
    title: widget.title,
    gridPos: { h: placed.height, w: placed.width, x: placed.x, y: placed.y },
  };
  switch (widget.type) {
    case 'text':
      return { type: 'text', ...common, ...description(widget.description, []), options: { mode: 'markdown', content: widget.markdown } };
    case 'timeSeries':
      return {
        type: 'timeseries',
        ...common,
        ...description(widget.description, widget.thresholds ?? []),
        datasource,
        targets: widget.metrics.map((metric, index) => targetOf(metric, index, `${at}.metrics[${index}]`, datasource, fail)),
        fieldConfig: {
          defaults: {
            unit: GRAFANA_UNITS[widget.unit ?? 'none'],
            thresholds: thresholdsOf(widget.thresholds ?? []),
            custom: { thresholdsStyle: { mode: (widget.thresholds ?? []).length > 0 ? 'line' : 'off' } },
          },
          overrides: [],
        },
        options: {
          legend: { displayMode: 'list', placement: 'bottom', showLegend: true, calcs: [] },
          tooltip: { mode: 'multi', sort: 'none' },
        },
      };
    case 'singleValue':
      return {
        type: 'stat',
        ...common,
        ...description(widget.description, widget.thresholds ?? []),
        datasource,
        targets: [targetOf(widget.metric, 0, `${at}.metric`, datasource, fail)],
        fieldConfig: {
          defaults: { unit: GRAFANA_UNITS[widget.unit ?? 'none'], thresholds: thresholdsOf(widget.thresholds ?? []) },
          overrides: [],
        },
        options: {
          reduceOptions: { calcs: ['lastNotNull'], fields: '', values: false },
          colorMode: (widget.thresholds ?? []).length > 0 ? 'background' : 'none',
          graphMode: 'none',
          justifyMode: 'auto',
          orientation: 'auto',
          textMode: 'auto',
        },
      };
  }
}

interface DatasourceRef { readonly type: string; readonly uid: string }

function targetOf(metric: DashboardMetric, index: number, at: string, datasource: DatasourceRef, fail: PropFailure): Record<string, unknown> {
  if (metric.prometheus === undefined) {
    fail(`${at}.prometheus`, undefined, 'a Prometheus query for every metric of a dashboard shown on Grafana',
      `give metric "${metric.label}" a prometheus.expr, or leave it out of the Kubernetes platform's dashboard`);
  }
  return {
    refId: refId(index),
    datasource,
    expr: metric.prometheus!.expr,
    legendFormat: metric.prometheus!.legendFormat ?? metric.label,
    range: true,
  };
}

/** Grafana threshold steps: a base step (value `null`), then one step per threshold from the lowest up. */
function thresholdsOf(thresholds: readonly DashboardThreshold[]): Record<string, unknown> {
  const steps = [...thresholds].sort((a, b) => a.value - b.value)
    .map((threshold) => ({ color: SEVERITY_COLORS[threshold.severity ?? 'critical'], value: threshold.value }));
  return { mode: 'absolute', steps: [{ color: 'green', value: null }, ...steps] };
}

/** Grafana does not label threshold lines, so the panel's description names them. */
function description(text: string | undefined, thresholds: readonly DashboardThreshold[]): { description?: string } {
  const lines = thresholds.length === 0 ? '' : `Lines: ${thresholds.map((threshold) => `${threshold.label} (${threshold.value})`).join('; ')}.`;
  const full = [text, lines].filter((part) => part !== undefined && part !== '').join(' ');
  return full === '' ? {} : { description: full };
}

/** Query ids A, B, …, Z, AA, AB, … */
function refId(index: number): string {
  const letter = String.fromCharCode(65 + (index % 26));
  return index < 26 ? letter : `${refId(Math.floor(index / 26) - 1)}${letter}`;
}
