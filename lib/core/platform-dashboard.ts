import type { ErrorScope } from './errors';
import { renderGrafanaDashboard, type GrafanaDashboardOptions } from './grafana-dashboard';
import { assertInRange, propFailure, type PropFailure } from './number-range';
import { isUnresolved } from './tokens';

/** One CloudWatch metric. */
export interface CloudWatchMetricQuery {
  /** e.g. `AWS/SageMaker`. */
  readonly namespace: string;
  /** e.g. `Invocations`. */
  readonly metricName: string;
  /**
   * e.g. `{ EndpointName: 'fraud', VariantName: 'AllTraffic' }`.
   * @default - no dimensions
   */
  readonly dimensions?: Readonly<Record<string, string>>;
  /** e.g. `Sum`, `Average`, `p99`. */
  readonly statistic: string;
  /**
   * The period in seconds.
   * @default 60
   */
  readonly periodSeconds?: number;
}

/** A CloudWatch metric-math expression over named metrics, e.g. a 5xx rate `100 * errors / invocations`. */
export interface CloudWatchExpressionQuery {
  /** e.g. `100 * errors / invocations`. */
  readonly expression: string;
  /** The metrics the expression names, by the id it uses (lower-case first letter, as metric math requires). */
  readonly usingMetrics: Readonly<Record<string, CloudWatchMetricQuery>>;
  /**
   * The period in seconds.
   * @default 60
   */
  readonly periodSeconds?: number;
}

/** A Prometheus query. */
export interface PrometheusQuery {
  /** The PromQL expression. */
  readonly expr: string;
  /**
   * The legend of each series, e.g. `{{pod}}`.
   * @default - the metric's label
   */
  readonly legendFormat?: string;
}

/**
 * A line of a widget. It carries the query of each engine it is shown on: the AWS platform renders `cloudWatch`,
 * the Kubernetes platform `prometheus`.
 */
export interface DashboardMetric {
  /** What a person reads in the legend. */
  readonly label: string;
  /**
   * The CloudWatch query.
   * @default - not shown on CloudWatch
   */
  readonly cloudWatch?: CloudWatchMetricQuery | CloudWatchExpressionQuery;
  /**
   * The Prometheus query.
   * @default - not shown on Grafana
   */
  readonly prometheus?: PrometheusQuery;
}

/** The unit of a widget's values. */
export type DashboardUnit = 'count' | 'percent' | 'ratio' | 'seconds' | 'milliseconds' | 'requestsPerSecond' | 'bytes' | 'none';

/** Every unit. */
export const DASHBOARD_UNITS: readonly DashboardUnit[] = ['count', 'percent', 'ratio', 'seconds', 'milliseconds', 'requestsPerSecond', 'bytes', 'none'];

/** A horizontal line across a time series, e.g. a latency gate. */
export interface DashboardThreshold {
  /** Where the line is, in the widget's unit. */
  readonly value: number;
  /** What it is, e.g. `p99 gate 500 ms`. */
  readonly label: string;
  /**
   * How bad crossing it is: `critical` is red, `warning` orange.
   * @default 'critical'
   */
  readonly severity?: 'critical' | 'warning';
}

/** Fields every widget has. */
interface WidgetBase {
  /** The widget's title. */
  readonly title: string;
  /**
   * Its width in grid columns out of 24 (CloudWatch and Grafana both lay dashboards out on 24 columns).
   * @default - the columns the row's other widgets leave, shared evenly by the widgets without a width
   */
  readonly width?: number;
  /**
   * Its height in grid rows.
   * @default 8
   */
  readonly height?: number;
  /**
   * What it shows, in a sentence, shown as the panel's description.
   * @default - none
   */
  readonly description?: string;
}

/** Lines over time. */
export interface TimeSeriesWidget extends WidgetBase {
  readonly type: 'timeSeries';
  /** The lines. */
  readonly metrics: readonly DashboardMetric[];
  /**
   * The values' unit.
   * @default 'none'
   */
  readonly unit?: DashboardUnit;
  /**
   * Horizontal lines, e.g. the gate an alarm watches.
   * @default - none
   */
  readonly thresholds?: readonly DashboardThreshold[];
}

/** The latest value of one metric. */
export interface SingleValueWidget extends WidgetBase {
  readonly type: 'singleValue';
  /** The metric. */
  readonly metric: DashboardMetric;
  /**
   * The value's unit.
   * @default 'none'
   */
  readonly unit?: DashboardUnit;
  /**
   * Values from which the number turns orange or red.
   * @default - none
   */
  readonly thresholds?: readonly DashboardThreshold[];
}

/** Markdown text, e.g. the owner and runbook of a row. */
export interface TextWidget extends WidgetBase {
  readonly type: 'text';
  /** The Markdown. */
  readonly markdown: string;
}

/** A widget of a dashboard. */
export type DashboardWidget = TimeSeriesWidget | SingleValueWidget | TextWidget;

/** A titled row of widgets, e.g. one per endpoint. */
export interface DashboardRow {
  /** The row's title, e.g. `Endpoint Fraud`. */
  readonly title: string;
  /** Its widgets, left to right. */
  readonly widgets: readonly DashboardWidget[];
}

/** The dashboard's identity. */
export interface PlatformDashboardProps {
  /** The title. */
  readonly title: string;
  /**
   * The Grafana uid: up to 40 letters, digits, `-` and `_`.
   * @default - the title in lower case with every other character replaced by `-`, cut to 40 characters
   */
  readonly uid?: string;
  /**
   * The time range shown when opened, as a Grafana/CloudWatch relative range.
   * @default '3h' (a canary's bake time plus the hour before it)
   */
  readonly timeRange?: string;
  /**
   * Where errors are reported: the platform construct.
   * @default `PlatformDashboard(<title>)`
   */
  readonly errorScope?: ErrorScope;
}

/** A widget with its place on the 24-column grid. */
export interface PlacedWidget {
  readonly widget: DashboardWidget;
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

/** A row with its place and its widgets' places. */
export interface PlacedRow {
  readonly title: string;
  /** The grid row of the row's header. */
  readonly y: number;
  readonly widgets: readonly PlacedWidget[];
}

/** Grid columns of CloudWatch and Grafana dashboards. */
export const DASHBOARD_COLUMNS = 24;
/** The default widget height in grid rows (Grafana's default panel height; 8 CloudWatch units is ~ as tall). */
export const DEFAULT_WIDGET_HEIGHT = 8;
/** CloudWatch periods under a minute, for high-resolution metrics. */
const HIGH_RESOLUTION_PERIODS = [1, 5, 10, 20, 30];
/** Grafana uids are at most 40 characters (https://grafana.com/docs/grafana/latest/developers/http_api/dashboard/). */
const UID_PATTERN = /^[A-Za-z0-9_-]{1,40}$/;

/**
 * An engine-neutral dashboard: titled rows of time series, single values and text. Every product construct under a
 * platform adds its row; the AWS platform renders it as a CloudWatch dashboard, the Kubernetes platform as Grafana
 * dashboard JSON (`toGrafanaJson()`) in a ConfigMap for the Grafana sidecar.
 */
export class PlatformDashboard {
  /** The title. */
  public readonly title: string;
  /** The Grafana uid. */
  public readonly uid: string;
  /** The relative time range shown when opened, e.g. `3h`. */
  public readonly timeRange: string;
  private readonly fail: PropFailure;
  private readonly rowList: DashboardRow[] = [];

  public constructor(props: PlatformDashboardProps) {
    this.fail = propFailure(props.errorScope ?? `PlatformDashboard(${String(props.title)})`);
    this.title = text(this.fail, 'title', props.title);
    this.uid = props.uid ?? this.title.toLowerCase().replace(/[^a-z0-9_-]+/g, '-').slice(0, 40);
    if (!UID_PATTERN.test(this.uid)) {
      this.fail('uid', this.uid, 'up to 40 letters, digits, - and _ (Grafana\'s dashboard uid)', 'set uid to e.g. "fraud-platform"');
    }
    this.timeRange = props.timeRange ?? '3h';
    if (!/^[1-9][0-9]*[smhdw]$/.test(this.timeRange)) {
      this.fail('timeRange', this.timeRange, 'a whole number followed by s, m, h, d or w', 'set timeRange to e.g. "3h"');
    }
  }

  /** The rows, in the order they were added. */
  public get rows(): readonly DashboardRow[] {
    return [...this.rowList];
  }

  /** Adds a row below the others. Its widgets are checked now, so a bad widget names the construct that added it. */
  public addRow(row: DashboardRow): void {
    const title = text(this.fail, 'row.title', row?.title);
    if (this.rowList.some((existing) => existing.title === title)) {
      this.fail('row.title', title, 'a title no other row of this dashboard has', 'give each construct\'s row its own title, e.g. its construct path');
    }
    if (!Array.isArray(row.widgets) || row.widgets.length === 0) {
      this.fail(`row "${title}" widgets`, row.widgets, 'at least one widget', 'add a widget or leave the row out');
    }
    row.widgets.forEach((widget, index) => this.checkWidget(`row "${title}" widgets[${index}]`, widget));
    this.rowList.push(row);
  }

  /**
   * Where every row and widget goes on the 24-column grid: a row's header takes one grid row, its widgets follow
   * left to right and wrap when the next one does not fit.
   */
  public layout(): PlacedRow[] {
    let y = 0;
    return this.rowList.map((row) => {
      const headerY = y;
      y += 1;
      const unsized = row.widgets.filter((widget) => widget.width === undefined).length;
      const remaining = DASHBOARD_COLUMNS - row.widgets.reduce((sum, widget) => sum + (widget.width ?? 0), 0);
      // Widgets without a width share what the others leave of the line, or a whole line if they leave too little.
      const evenWidth = Math.max(1, Math.floor((remaining >= unsized ? remaining : DASHBOARD_COLUMNS) / Math.max(unsized, 1)));
      let x = 0;
      let lineHeight = 0;
      const widgets = row.widgets.map((widget) => {
        const width = widget.width ?? evenWidth;
        const height = widget.height ?? DEFAULT_WIDGET_HEIGHT;
        if (x + width > DASHBOARD_COLUMNS) {
          y += lineHeight;
          x = 0;
          lineHeight = 0;
        }
        const placed = { widget, x, y, width, height };
        x += width;
        lineHeight = Math.max(lineHeight, height);
        return placed;
      });
      y += lineHeight;
      return { title: row.title, y: headerY, widgets };
    });
  }

  /** The dashboard as Grafana dashboard JSON (classic model), for a ConfigMap read by the Grafana sidecar. */
  public toGrafanaJson(options: GrafanaDashboardOptions = {}): Record<string, unknown> {
    return renderGrafanaDashboard(this, this.fail, options);
  }

  private checkWidget(at: string, widget: DashboardWidget): void {
    text(this.fail, `${at}.title`, widget?.title);
    if (widget.width !== undefined) {
      assertInRange(this.fail, `${at}.width`, widget.width, { min: 1, max: DASHBOARD_COLUMNS, why: 'dashboards are 24 columns wide' });
    }
    if (widget.height !== undefined) {
      assertInRange(this.fail, `${at}.height`, widget.height, { min: 1, max: 100 });
    }
    switch (widget.type) {
      case 'timeSeries':
        if (!Array.isArray(widget.metrics) || widget.metrics.length === 0) {
          this.fail(`${at}.metrics`, widget.metrics, 'at least one metric', 'add the metric the widget plots');
        }
        widget.metrics.forEach((metric, index) => this.checkMetric(`${at}.metrics[${index}]`, metric));
        this.checkUnitAndThresholds(at, widget.unit, widget.thresholds);
        return;
      case 'singleValue':
        this.checkMetric(`${at}.metric`, widget.metric);
        this.checkUnitAndThresholds(at, widget.unit, widget.thresholds);
        return;
      case 'text':
        text(this.fail, `${at}.markdown`, widget.markdown);
        return;
      default:
        this.fail(`${at}.type`, (widget as { type?: unknown }).type, 'timeSeries, singleValue or text', 'set type to one of them');
    }
  }

  private checkMetric(at: string, metric: DashboardMetric): void {
    text(this.fail, `${at}.label`, metric?.label);
    if (metric.cloudWatch === undefined && metric.prometheus === undefined) {
      this.fail(at, metric, 'a metric with a cloudWatch or a prometheus query', 'give the query of the engine the dashboard is shown on');
    }
    if (metric.prometheus !== undefined) {
      text(this.fail, `${at}.prometheus.expr`, metric.prometheus.expr);
    }
    const cloudWatch = metric.cloudWatch;
    if (cloudWatch !== undefined) {
      const queries = 'expression' in cloudWatch
        ? (text(this.fail, `${at}.cloudWatch.expression`, cloudWatch.expression), Object.entries(cloudWatch.usingMetrics ?? {}))
        : [['', cloudWatch] as const];
      for (const [id, query] of queries) {
        const where = id === '' ? `${at}.cloudWatch` : `${at}.cloudWatch.usingMetrics.${id}`;
        // "The first character must be a lowercase letter" (https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_MetricDataQuery.html, "Id").
        if (id !== '' && !/^[a-z][A-Za-z0-9_]*$/.test(id)) {
          this.fail(where, id, 'an id starting with a lower-case letter, then letters, digits and _ (CloudWatch metric math ids)', 'rename the metric, e.g. "errors"');
        }
        text(this.fail, `${where}.namespace`, query.namespace);
        text(this.fail, `${where}.metricName`, query.metricName);
        text(this.fail, `${where}.statistic`, query.statistic);
      }
      const period = cloudWatch.periodSeconds;
      // 1, 5, 10, 20, 30 s (high-resolution metrics) or a multiple of 60 s
      // (https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_MetricStat.html, "Period").
      if (period !== undefined && !HIGH_RESOLUTION_PERIODS.includes(period) && !(Number.isInteger(period) && period >= 60 && period % 60 === 0)) {
        this.fail(`${at}.cloudWatch.periodSeconds`, period, `${HIGH_RESOLUTION_PERIODS.join(', ')} or a multiple of 60`, 'round the period to whole minutes');
      }
    }
  }

  private checkUnitAndThresholds(at: string, unit: DashboardUnit | undefined, thresholds: readonly DashboardThreshold[] | undefined): void {
    if (unit !== undefined && !DASHBOARD_UNITS.includes(unit)) {
      this.fail(`${at}.unit`, unit, `one of ${DASHBOARD_UNITS.join(', ')}`, 'set unit to one of them');
    }
    (thresholds ?? []).forEach((threshold, index) => {
      if (typeof threshold?.value !== 'number' || !Number.isFinite(threshold.value) || isUnresolved(threshold.value)) {
        this.fail(`${at}.thresholds[${index}].value`, threshold?.value, 'a finite number known at synthesis', 'give the gate as a number');
      }
      text(this.fail, `${at}.thresholds[${index}].label`, threshold.label);
      if (threshold.severity !== undefined && threshold.severity !== 'critical' && threshold.severity !== 'warning') {
        this.fail(`${at}.thresholds[${index}].severity`, threshold.severity, 'critical or warning', 'set severity to one of them');
      }
    });
  }
}

function text(fail: PropFailure, prop: string, value: unknown): string {
  if (typeof value !== 'string' || value.trim() === '') {
    fail(prop, value, 'a non-empty string', `set ${prop}`);
  }
  return value as string;
}
