import { Construct, RootConstruct } from 'constructs';
import { GRAFANA_SCHEMA_VERSION, PlatformDashboard, type DashboardMetric, type DashboardWidget } from '../../lib/core';

const invocations: DashboardMetric = {
  label: 'invocations',
  prometheus: { expr: 'sum(rate(http_requests_total{service="fraud"}[5m]))' },
  cloudWatch: { namespace: 'AWS/SageMaker', metricName: 'Invocations', dimensions: { EndpointName: 'fraud', VariantName: 'AllTraffic' }, statistic: 'Sum' },
};

function endpointRow(): { title: string; widgets: DashboardWidget[] } {
  return {
    title: 'Endpoint fraud',
    widgets: [
      {
        type: 'timeSeries',
        title: 'p99 latency',
        unit: 'milliseconds',
        width: 16,
        metrics: [{ label: 'p99', prometheus: { expr: 'histogram_quantile(0.99, sum by (le) (rate(http_request_duration_seconds_bucket[5m]))) * 1000', legendFormat: 'p99' } }],
        thresholds: [{ value: 1000, label: 'rollback gate p99 1000 ms' }, { value: 800, label: 'warn', severity: 'warning' }],
      },
      { type: 'singleValue', title: 'Instances', metric: { label: 'replicas', prometheus: { expr: 'kube_deployment_status_replicas{deployment="fraud"}' } }, unit: 'count' },
    ],
  };
}

describe('PlatformDashboard.toGrafanaJson', () => {
  test('GIVEN one endpoint row WHEN rendered for Grafana THEN the dashboard JSON is exactly this', () => {
    const dashboard = new PlatformDashboard({ title: 'fraud-platform' });
    dashboard.addRow(endpointRow());
    const datasource = { type: 'prometheus', uid: '${datasource}' };
    expect(dashboard.toGrafanaJson({ tags: ['ml-platform'] })).toStrictEqual({
      annotations: { list: [] },
      editable: false,
      fiscalYearStartMonth: 0,
      graphTooltip: 1,
      id: null,
      links: [],
      panels: [
        { type: 'row', id: 1, title: 'Endpoint fraud', collapsed: false, panels: [], gridPos: { h: 1, w: 24, x: 0, y: 0 } },
        {
          id: 2,
          type: 'timeseries',
          title: 'p99 latency',
          gridPos: { h: 8, w: 16, x: 0, y: 1 },
          description: 'Lines: rollback gate p99 1000 ms (1000); warn (800).',
          datasource,
          targets: [{
            refId: 'A',
            datasource,
            range: true,
            legendFormat: 'p99',
            expr: 'histogram_quantile(0.99, sum by (le) (rate(http_request_duration_seconds_bucket[5m]))) * 1000',
          }],
          fieldConfig: {
            defaults: {
              unit: 'ms',
              thresholds: { mode: 'absolute', steps: [{ color: 'green', value: null }, { color: 'orange', value: 800 }, { color: 'red', value: 1000 }] },
              custom: { thresholdsStyle: { mode: 'line' } },
            },
            overrides: [],
          },
          options: { legend: { displayMode: 'list', placement: 'bottom', showLegend: true, calcs: [] }, tooltip: { mode: 'multi', sort: 'none' } },
        },
        {
          id: 3,
          type: 'stat',
          title: 'Instances',
          gridPos: { h: 8, w: 8, x: 16, y: 1 },
          datasource,
          targets: [{ refId: 'A', datasource, range: true, legendFormat: 'replicas', expr: 'kube_deployment_status_replicas{deployment="fraud"}' }],
          fieldConfig: { defaults: { unit: 'short', thresholds: { mode: 'absolute', steps: [{ color: 'green', value: null }] } }, overrides: [] },
          options: {
            reduceOptions: { calcs: ['lastNotNull'], fields: '', values: false },
            colorMode: 'none',
            graphMode: 'none',
            justifyMode: 'auto',
            orientation: 'auto',
            textMode: 'auto',
          },
        },
      ],
      refresh: '1m',
      schemaVersion: 39,
      tags: ['ml-platform'],
      templating: {
        list: [{
          name: 'datasource',
          label: 'Data source',
          type: 'datasource',
          query: 'prometheus',
          current: { selected: true, text: 'default', value: 'default' },
          hide: 0,
          refresh: 1,
          regex: '',
          options: [],
          includeAll: false,
          multi: false,
        }],
      },
      time: { from: 'now-3h', to: 'now' },
      timepicker: {},
      timezone: 'utc',
      title: 'fraud-platform',
      uid: 'fraud-platform',
      version: 1,
    });
  });

  test('GIVEN a fixed data source uid WHEN rendered THEN every query uses it and no variable is declared', () => {
    const dashboard = new PlatformDashboard({ title: 'p' });
    dashboard.addRow(endpointRow());
    const json = dashboard.toGrafanaJson({ datasourceUid: 'prometheus' }) as { panels: Array<{ datasource?: unknown }>; templating: unknown };
    expect(json.templating).toStrictEqual({ list: [] });
    expect(json.panels.filter((panel) => panel.datasource !== undefined).map((panel) => panel.datasource))
      .toStrictEqual([{ type: 'prometheus', uid: 'prometheus' }, { type: 'prometheus', uid: 'prometheus' }]);
  });

  test('GIVEN the output WHEN compared with what Grafana 12 migrations 40-42 rewrite THEN there is nothing for them to change', () => {
    const dashboard = new PlatformDashboard({ title: 'p' });
    dashboard.addRow(endpointRow());
    const json = dashboard.toGrafanaJson() as Record<string, any>;
    expect(GRAFANA_SCHEMA_VERSION).toBe(39);
    // v40: refresh is a string; v41: no timepicker.time_options; v42: no hideFrom override without tooltip.
    expect(typeof json.refresh).toBe('string');
    expect(json.timepicker).toStrictEqual({});
    expect(JSON.stringify(json)).not.toContain('hideFrom');
  });

  test('GIVEN 27 lines in one time series WHEN rendered THEN query ids run A to Z, then AA', () => {
    const dashboard = new PlatformDashboard({ title: 'p' });
    const metrics = Array.from({ length: 27 }, (_, index) => ({ label: `m${index}`, prometheus: { expr: `m${index}` } }));
    dashboard.addRow({ title: 'r', widgets: [{ type: 'timeSeries', title: 't', metrics }] });
    const json = dashboard.toGrafanaJson() as { panels: Array<{ targets?: Array<{ refId: string }> }> };
    const refIds = json.panels[1].targets!.map((target) => target.refId);
    expect([refIds[0], refIds[25], refIds[26]]).toStrictEqual(['A', 'Z', 'AA']);
  });

  test('GIVEN a metric with only a CloudWatch query WHEN rendered for Grafana THEN the error names the widget and the metric', () => {
    const dashboard = new PlatformDashboard({ title: 'p' });
    dashboard.addRow({ title: 'Endpoint fraud', widgets: [{ type: 'timeSeries', title: 't', metrics: [{ label: 'errors', cloudWatch: invocations.cloudWatch }] }] });
    expect(() => dashboard.toGrafanaJson()).toThrow('PlatformDashboard(p): invalid row "Endpoint fraud" widgets[0].metrics[0].prometheus (not set). '
      + 'Allowed: a Prometheus query for every metric of a dashboard shown on Grafana. '
      + 'Fix: give metric "errors" a prometheus.expr, or leave it out of the Kubernetes platform\'s dashboard');
  });

  test('GIVEN a text widget WHEN rendered THEN it is a Markdown text panel', () => {
    const dashboard = new PlatformDashboard({ title: 'p' });
    dashboard.addRow({ title: 'Owner', widgets: [{ type: 'text', title: 'Runbook', markdown: '[runbook](https://runbooks.example.com/ml/)', width: 24, height: 3 }] });
    expect((dashboard.toGrafanaJson() as { panels: unknown[] }).panels[1]).toStrictEqual({
      id: 2,
      type: 'text',
      title: 'Runbook',
      gridPos: { h: 3, w: 24, x: 0, y: 1 },
      options: { mode: 'markdown', content: '[runbook](https://runbooks.example.com/ml/)' },
    });
  });
});

describe('PlatformDashboard.layout', () => {
  test('GIVEN rows of widgets WHEN laid out THEN unsized widgets share what sized ones leave, widgets wrap, and each row starts below the last', () => {
    const dashboard = new PlatformDashboard({ title: 'p' });
    const single = (title: string, width?: number): DashboardWidget => ({ type: 'singleValue', title, metric: invocations, width, height: 4 });
    dashboard.addRow({ title: 'a', widgets: [single('a1'), single('a2'), single('a3')] });
    dashboard.addRow({ title: 'b', widgets: [single('b1', 20), single('b2', 8)] });
    dashboard.addRow({ title: 'c', widgets: [single('c1', 12), single('c2'), single('c3')] });
    const placed = dashboard.layout().map((row) => ({
      title: row.title, y: row.y, widgets: row.widgets.map(({ widget, x, y, width, height }) => [widget.title, x, y, width, height]),
    }));
    expect(placed)
      .toStrictEqual([
        { title: 'a', y: 0, widgets: [['a1', 0, 1, 8, 4], ['a2', 8, 1, 8, 4], ['a3', 16, 1, 8, 4]] },
        { title: 'b', y: 5, widgets: [['b1', 0, 6, 20, 4], ['b2', 0, 10, 8, 4]] },
        { title: 'c', y: 14, widgets: [['c1', 0, 15, 12, 4], ['c2', 12, 15, 6, 4], ['c3', 18, 15, 6, 4]] },
      ]);
  });
});

describe('PlatformDashboard errors', () => {
  const platform = new Construct(new Construct(new RootConstruct(''), 'Stack'), 'Platform');
  const dashboard = () => new PlatformDashboard({ title: 'fraud-platform', errorScope: platform });

  test('GIVEN two rows with one title WHEN added THEN the second is refused', () => {
    const board = dashboard();
    board.addRow(endpointRow());
    expect(() => board.addRow(endpointRow())).toThrow('Stack/Platform: invalid row.title "Endpoint fraud". Allowed: a title no other row of this dashboard has. '
      + 'Fix: give each construct\'s row its own title, e.g. its construct path');
  });

  test('GIVEN a row without widgets WHEN added THEN it is refused', () => {
    expect(() => dashboard().addRow({ title: 'r', widgets: [] })).toThrow('Stack/Platform: invalid row "r" widgets []. Allowed: at least one widget. Fix: add a widget or leave the row out');
  });

  test('GIVEN a widget 25 columns wide WHEN added THEN the error gives the range and why', () => {
    expect(() => dashboard().addRow({ title: 'r', widgets: [{ type: 'singleValue', title: 't', metric: invocations, width: 25 }] })).toThrow(
      'Stack/Platform: invalid row "r" widgets[0].width 25. Allowed: a whole number from 1 to 24 (dashboards are 24 columns wide). Fix: set row "r" widgets[0].width within 1-24');
  });

  test('GIVEN a metric without any query WHEN added THEN it is refused', () => {
    expect(() => dashboard().addRow({ title: 'r', widgets: [{ type: 'singleValue', title: 't', metric: { label: 'x' } }] })).toThrow(
      'Stack/Platform: invalid row "r" widgets[0].metric {"label":"x"}. Allowed: a metric with a cloudWatch or a prometheus query. '
      + 'Fix: give the query of the engine the dashboard is shown on');
  });

  test('GIVEN a metric-math id starting with a capital WHEN added THEN it is refused as CloudWatch refuses it', () => {
    const metric: DashboardMetric = { label: '5xx rate', cloudWatch: { expression: '100 * Errors / invocations', usingMetrics: { Errors: invocations.cloudWatch as never } } };
    expect(() => dashboard().addRow({ title: 'r', widgets: [{ type: 'timeSeries', title: 't', metrics: [metric] }] })).toThrow(
      'Stack/Platform: invalid row "r" widgets[0].metrics[0].cloudWatch.usingMetrics.Errors "Errors". '
      + 'Allowed: an id starting with a lower-case letter, then letters, digits and _ (CloudWatch metric math ids). Fix: rename the metric, e.g. "errors"');
  });

  test('GIVEN a 90 s CloudWatch period WHEN added THEN it is refused: periods are 1, 5, 10, 20, 30 s or whole minutes', () => {
    const metric: DashboardMetric = { label: 'x', cloudWatch: { namespace: 'AWS/SageMaker', metricName: 'Invocations', statistic: 'Sum', periodSeconds: 90 } };
    expect(() => dashboard().addRow({ title: 'r', widgets: [{ type: 'singleValue', title: 't', metric }] })).toThrow(
      'Stack/Platform: invalid row "r" widgets[0].metric.cloudWatch.periodSeconds 90. Allowed: 1, 5, 10, 20, 30 or a multiple of 60. Fix: round the period to whole minutes');
  });

  test('GIVEN a threshold that is not a number WHEN added THEN it is refused', () => {
    expect(() => dashboard().addRow({ title: 'r', widgets: [{ type: 'timeSeries', title: 't', metrics: [invocations], thresholds: [{ value: Number.NaN, label: 'gate' }] }] }))
      .toThrow(/^Stack\/Platform: invalid row "r" widgets\[0\]\.thresholds\[0\]\.value NaN\. Allowed: a finite number known at synthesis\. Fix: give the gate as a number$/);
  });

  test('GIVEN a title that makes no Grafana uid WHEN constructed THEN the uid is refused', () => {
    expect(() => new PlatformDashboard({ title: 'p', uid: 'has space', errorScope: platform })).toThrow(
      'Stack/Platform: invalid uid "has space". Allowed: up to 40 letters, digits, - and _ (Grafana\'s dashboard uid). Fix: set uid to e.g. "fraud-platform"');
  });

  test('GIVEN a long title WHEN constructed THEN the uid is its first 40 safe characters', () => {
    expect(new PlatformDashboard({ title: 'The Fraud Platform of the Risk Team (EU production)' }).uid).toBe('the-fraud-platform-of-the-risk-team-eu-p');
  });

  test('GIVEN a time range that is not relative WHEN constructed THEN it is refused', () => {
    expect(() => new PlatformDashboard({ title: 'p', timeRange: 'yesterday', errorScope: platform })).toThrow(
      'Stack/Platform: invalid timeRange "yesterday". Allowed: a whole number followed by s, m, h, d or w. Fix: set timeRange to e.g. "3h"');
  });
});
