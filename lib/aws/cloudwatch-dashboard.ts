import { Lazy, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { Construct } from 'constructs';
import {
  type CloudWatchExpressionQuery, type CloudWatchMetricQuery, type DashboardMetric, type DashboardThreshold, MlPlatformError,
  type PlatformDashboard, type PlacedWidget,
} from '../core';

/** Props for `PlatformCloudWatchDashboard`. */
export interface PlatformCloudWatchDashboardProps {
  /** The engine-neutral dashboard the platform's constructs add their rows to; rendered at synthesis. */
  readonly dashboard: PlatformDashboard;
  /**
   * The dashboard's name (dashboards are global to an account, so include the region when the same platform is in several).
   * @default - a name CloudFormation generates
   */
  readonly dashboardName?: string;
}

// "An array of between 0 and 500 widget objects" (https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/CloudWatch-Dashboard-Body-Structure.html).
export const CLOUDWATCH_DASHBOARD_WIDGET_LIMIT = 500;
const SEVERITY_COLORS = { critical: '#d62728', warning: '#ff7f0e' } as const;

/**
 * A platform's dashboard as one CloudWatch dashboard: each row a Markdown header, then its widgets at the places
 * `PlatformDashboard.layout()` gives them on the 24-column grid. The body is rendered at synthesis, so rows added
 * after this construct (every construct created later under the platform) are on it.
 */
export class PlatformCloudWatchDashboard extends Construct {
  /** The CloudWatch dashboard. */
  public readonly resource: cloudwatch.CfnDashboard;

  public constructor(scope: Construct, id: string, props: PlatformCloudWatchDashboardProps) {
    super(scope, id);
    const stack = Stack.of(this);
    this.resource = new cloudwatch.CfnDashboard(this, 'Resource', {
      dashboardName: props.dashboardName,
      dashboardBody: Lazy.string({ produce: () => stack.toJsonString(cloudWatchDashboardBody(this, props.dashboard, stack.region)) }),
    });
  }
}

/** The CloudWatch dashboard body of a platform dashboard (the `DashboardBody` JSON, before serialization). */
export function cloudWatchDashboardBody(scope: Construct, dashboard: PlatformDashboard, region: string): Record<string, unknown> {
  const widgets: Array<Record<string, unknown>> = [];
  for (const row of dashboard.layout()) {
    widgets.push({ type: 'text', x: 0, y: row.y, width: 24, height: 1, properties: { markdown: `### ${row.title}` } });
    for (const placed of row.widgets) {
      const widget = cloudWatchWidget(placed, region);
      if (widget) {
        widgets.push(widget);
      }
    }
  }
  if (widgets.length > CLOUDWATCH_DASHBOARD_WIDGET_LIMIT) {
    throw new MlPlatformError({
      scope,
      prop: 'dashboard',
      value: `${widgets.length} widgets`,
      allowed: `at most ${CLOUDWATCH_DASHBOARD_WIDGET_LIMIT} widgets on one CloudWatch dashboard`,
      fix: 'split the constructs over two platforms (each has its own dashboard)',
    });
  }
  return { start: `-PT${dashboard.timeRange.toUpperCase()}`, periodOverride: 'inherit', widgets };
}

/** One widget; `undefined` when none of its lines has a CloudWatch query (a Kubernetes-only line). */
function cloudWatchWidget(placed: PlacedWidget, region: string): Record<string, unknown> | undefined {
  const { widget, x, y, width, height } = placed;
  const place = { x, y, width, height };
  if (widget.type === 'text') {
    return { type: 'text', ...place, properties: { markdown: widget.markdown } };
  }
  const lines = widget.type === 'timeSeries' ? widget.metrics : [widget.metric];
  const metrics = lines.flatMap((line, index) => metricEntries(line, `q${index}`));
  if (metrics.length === 0) {
    return undefined;
  }
  return {
    type: 'metric',
    ...place,
    properties: {
      title: widget.title,
      view: widget.type === 'timeSeries' ? 'timeSeries' : 'singleValue',
      region,
      metrics,
      ...(widget.type === 'timeSeries' ? { yAxis: { left: { min: 0, showUnits: false, ...(widget.unit && widget.unit !== 'none' ? { label: widget.unit } : {}) } } } : {}),
      ...(widget.thresholds?.length ? { annotations: { horizontal: widget.thresholds.map(horizontalAnnotation) } } : {}),
    },
  };
}

function horizontalAnnotation(threshold: DashboardThreshold): Record<string, unknown> {
  return { value: threshold.value, label: threshold.label, color: SEVERITY_COLORS[threshold.severity ?? 'critical'] };
}

/**
 * The `metrics` array entries of one line: a metric (`[namespace, name, dim, value, ..., options]`), or an expression
 * followed by the metrics it uses, hidden. Ids get the line's prefix, so two expressions of a widget never share one.
 */
function metricEntries(line: DashboardMetric, prefix: string): unknown[][] {
  const query = line.cloudWatch;
  if (query === undefined) {
    return [];
  }
  if (!('expression' in query)) {
    return [metricEntry(query, { label: line.label })];
  }
  const expression = query as CloudWatchExpressionQuery;
  const ids = Object.keys(expression.usingMetrics);
  const renamed = ids.reduce((text, id) => text.replace(new RegExp(`\\b${id}\\b`, 'g'), `${prefix}_${id}`), expression.expression);
  return [
    [{ expression: renamed, label: line.label, id: prefix, ...(expression.periodSeconds ? { period: expression.periodSeconds } : {}) }],
    ...ids.map((id) => metricEntry(expression.usingMetrics[id], { id: `${prefix}_${id}`, visible: false })),
  ];
}

function metricEntry(query: CloudWatchMetricQuery, options: Record<string, unknown>): unknown[] {
  const dimensions = Object.entries(query.dimensions ?? {}).flat();
  // 60 s: the period of the alarms the widgets sit beside.
  return [query.namespace, query.metricName, ...dimensions, { stat: query.statistic, period: query.periodSeconds ?? 60, ...options }];
}
