import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { BatchScoringPipeline, CanaryEndpoint, MlPlatform, Residency } from '../../constructs/aws';
import { cloudWatchDashboardBody } from '../../lib/aws/cloudwatch-dashboard';
import { PlatformDashboard } from '../../lib/core';
import { IMAGE, MODEL, thrownBy } from '../support/canary-fixtures';

const OWNER = { team: 'fraud-ml', runbookBaseUrl: 'https://runbooks.example.com/ml/' };

function dashboardOf(build: (platform: MlPlatform) => void) {
  const stack = new Stack(new App(), 'Serving', { env: { region: 'eu-west-1', account: '123456789012' } });
  const platform = new MlPlatform(stack, 'Platform', { residency: Residency.EU, owner: OWNER });
  build(platform);
  const template = Template.fromStack(stack);
  const dashboards = Object.values(template.findResources('AWS::CloudWatch::Dashboard'));
  return { dashboards, body: () => parseBody(dashboards[0].Properties.DashboardBody) };
}

/** The dashboard body as JSON, each deploy-time reference (an `Fn::Join` part that is not text) written as `<ref>`. */
function parseBody(body: unknown): any {
  const text = typeof body === 'string' ? body
    : (body as any)['Fn::Join'][1].map((part: unknown) => (typeof part === 'string' ? part : '<ref>')).join('');
  return JSON.parse(text);
}

describe('AWS MlPlatform dashboard', () => {
  test('GIVEN two endpoints and a pipeline THEN one CloudWatch dashboard named after the platform and region', () => {
    const { dashboards } = dashboardOf((platform) => {
      new CanaryEndpoint(platform, 'Fraud', { endpointName: 'fraud', model: MODEL, image: IMAGE });
      new CanaryEndpoint(platform, 'Churn', { endpointName: 'churn', model: MODEL, image: IMAGE });
      new BatchScoringPipeline(platform, 'Nightly', { model: MODEL, image: IMAGE, schedule: { cron: '0 2 * * *' }, ...platform.pipelineUris('nightly') });
    });
    expect(dashboards.map((d) => d.Properties.DashboardName)).toEqual(['platform-eu-west-1']);
  });

  test('GIVEN an endpoint and a pipeline THEN the dashboard has a header and widgets for each, in the order they were created', () => {
    const { body } = dashboardOf((platform) => {
      new CanaryEndpoint(platform, 'Fraud', { endpointName: 'fraud', model: MODEL, image: IMAGE });
      new BatchScoringPipeline(platform, 'Nightly', { model: MODEL, image: IMAGE, schedule: { cron: '0 2 * * *' }, ...platform.pipelineUris('nightly') });
    });
    expect(body().widgets.map((w: any) => w.properties.title ?? w.properties.markdown)).toEqual([
      '### Endpoint fraud', 'Invocations per minute', '5xx rate (%)', 'p99 latency (ms)', 'Instances',
      '### Pipeline Serving/Platform/Nightly', 'Runs', 'Last run duration (min)', 'Records scored',
    ]);
  });

  test('GIVEN a pipeline THEN its records-scored widget sums, per hour, the RecordsScored its runs put after publishing', () => {
    const { body } = dashboardOf((platform) => {
      new BatchScoringPipeline(platform, 'Nightly', { model: MODEL, image: IMAGE, schedule: { cron: '0 2 * * *' }, ...platform.pipelineUris('nightly') });
    });
    const widget = body().widgets.find((w: any) => w.properties.title === 'Records scored');
    expect(widget.properties.metrics).toEqual([
      ['MlPlatform/BatchScoringPipeline', 'RecordsScored', 'Pipeline', 'Serving-Platform-Nightly', { label: 'records', stat: 'Sum', period: 3600 }],
    ]);
  });

  test('GIVEN an endpoint THEN its 5xx widget plots the gate\'s metric math with the gate as a red line', () => {
    const { body } = dashboardOf((platform) => new CanaryEndpoint(platform, 'Fraud', { endpointName: 'fraud', model: MODEL, image: IMAGE }));
    const widget = body().widgets.find((w: any) => w.properties.title === '5xx rate (%)');
    expect(widget.properties).toEqual({
      title: '5xx rate (%)',
      view: 'timeSeries',
      region: 'eu-west-1',
      metrics: [
        [{ expression: 'IF(q0_invocations > 0, 100 * q0_errors / q0_invocations, 0)', label: '5xx rate', id: 'q0' }],
        ['AWS/SageMaker', 'Invocation5XXErrors', 'EndpointName', 'fraud', 'VariantName', 'AllTraffic', { stat: 'Sum', period: 60, id: 'q0_errors', visible: false }],
        ['AWS/SageMaker', 'Invocations', 'EndpointName', 'fraud', 'VariantName', 'AllTraffic', { stat: 'Sum', period: 60, id: 'q0_invocations', visible: false }],
      ],
      yAxis: { left: { min: 0, showUnits: false, label: 'percent' } },
      annotations: { horizontal: [{ value: 1, label: 'rollback gate 1 %', color: '#d62728' }] },
    });
  });

  test('GIVEN an endpoint THEN its p99 widget shows milliseconds against the 1000 ms gate', () => {
    const { body } = dashboardOf((platform) => new CanaryEndpoint(platform, 'Fraud', { endpointName: 'fraud', model: MODEL, image: IMAGE }));
    const widget = body().widgets.find((w: any) => w.properties.title === 'p99 latency (ms)');
    expect([widget.properties.metrics[0][0].expression, widget.properties.metrics[1][1], widget.properties.annotations.horizontal[0].value])
      .toEqual(['q0_latency / 1000', 'ModelLatency', 1000]);
  });

  test('GIVEN more than 500 widgets THEN synthesis fails naming the dashboard and the limit', () => {
    const dashboard = new PlatformDashboard({ title: 'big' });
    for (let i = 0; i < 101; i++) {
      dashboard.addRow({ title: `Row ${i}`, widgets: Array.from({ length: 4 }, (_, k) => ({ type: 'text' as const, title: `t${k}`, markdown: 'x' })) });
    }
    const stack = new Stack(new App(), 'Serving');
    expect(thrownBy(() => cloudWatchDashboardBody(stack, dashboard, 'eu-west-1')).message).toBe(
      'Serving: invalid dashboard "505 widgets". Allowed: at most 500 widgets on one CloudWatch dashboard. '
      + 'Fix: split the constructs over two platforms (each has its own dashboard)',
    );
  });
});
