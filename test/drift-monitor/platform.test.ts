import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { python } from './drift-fixtures';
import { BatchScoringPipeline, CanaryEndpoint, DriftMonitor, type DriftMonitorProps, MlPlatform, Residency } from '../../constructs/aws';
import { driftDashboardRow } from '../../constructs/drift-monitor/dashboard-row';
import { DRIFT_METRICS } from '../../constructs/drift-monitor/metrics';
import { planDriftMonitor } from '../../constructs/drift-monitor/plan';
import { PlatformDashboard } from '../../lib/core';
import { IMAGE, MODEL } from '../support/canary-fixtures';

const OWNER = { team: 'fraud-ml', runbookBaseUrl: 'https://runbooks.example.com/ml/' };
const BASELINE = 's3://models-eu/fraud/1.4.0/baseline.json';
const DEPLOY = '<known after deployment>';

function platformWith(build: (platform: MlPlatform) => void) {
  const stack = new Stack(new App(), 'Serving', { env: { region: 'eu-west-1', account: '123456789012' } });
  const platform = new MlPlatform(stack, 'Platform', { residency: Residency.EU, owner: OWNER });
  build(platform);
  return { stack, platform, catalog: () => platform.catalog.toJSON() };
}

function endpointMonitor(props: Partial<DriftMonitorProps> = {}) {
  return platformWith((platform) => {
    const endpoint = new CanaryEndpoint(platform, 'Fraud', { endpointName: 'fraud', model: MODEL, image: IMAGE });
    new DriftMonitor(platform, 'FraudDrift', { model: MODEL, baselineUri: BASELINE, endpoint, retraining: { target: 'eventbridge-event' }, ...props });
  });
}

/** The links that start or end at a node whose id contains `part`, as `from -relation-> to`. */
function linksOf(document: { links: ReadonlyArray<{ from: string; to: string; relation: string }> }, part: string): string[] {
  return document.links.filter((link) => link.from.includes(part) || link.to.includes(part)).map((link) => `${link.from} -${link.relation}-> ${link.to}`);
}

/** The dashboard body as JSON, each deploy-time reference written as `<ref>`. */
function dashboardBody(stack: Stack): any {
  const body = Object.values(Template.fromStack(stack).findResources('AWS::CloudWatch::Dashboard'))[0].Properties.DashboardBody;
  return JSON.parse(typeof body === 'string' ? body : body['Fn::Join'][1].map((part: unknown) => (typeof part === 'string' ? part : '<ref>')).join(''));
}

describe('DriftMonitor in the platform catalog', () => {
  test('GIVEN an endpoint and a monitor with retraining THEN the monitor node states its owner, runbook, schedule, thresholds, reports and time to page', () => {
    const monitor = endpointMonitor().catalog().nodes.find((node) => node.kind === 'monitor');
    expect(monitor).toEqual({
      id: 'Serving/Platform/FraudDrift',
      kind: 'monitor',
      name: 'fraud drift: captured requests',
      version: '1.4.0',
      owner: 'fraud-ml',
      runbook: 'https://runbooks.example.com/ml/drift-monitor',
      location: DEPLOY,
      engine: 'aws',
      properties: {
        driftToPage: '90 min',
        monitor: 'Serving-Platform-FraudDrift',
        reports: `s3://${DEPLOY}/reports/Serving-Platform-FraudDrift/`,
        schedule: '10 */1 * * * UTC',
        thresholds: 'PSI warn 0.1, alarm 0.2; KS p < 0.01 and D >= 0.1',
        window: '1 h',
      },
    });
  });

  test('GIVEN retraining behind the gate THEN a retraining node with its target, approval and timeout', () => {
    const retraining = endpointMonitor().catalog().nodes.find((node) => node.kind === 'retraining');
    expect(retraining).toEqual({
      id: 'Serving/Platform/FraudDrift/Retraining',
      kind: 'retraining',
      name: 'fraud retraining',
      owner: 'fraud-ml',
      runbook: 'https://runbooks.example.com/ml/drift-monitor/alarm',
      location: DEPLOY,
      engine: 'aws',
      properties: { approval: 'Step Functions task token', approvalTimeout: '72 h', target: 'eventbridge-event' },
    });
  });

  test('GIVEN an endpoint and a monitor THEN the endpoint\'s captured data reads into the monitor, which monitors the endpoint, triggers retraining and notifies the owner', () => {
    expect(linksOf(endpointMonitor().catalog(), 'FraudDrift')).toEqual([
      'Serving/Platform/Fraud/CapturedData -reads-> Serving/Platform/FraudDrift',
      'Serving/Platform/FraudDrift -monitors-> Serving/Platform/Fraud',
      'Serving/Platform/FraudDrift -triggers-> Serving/Platform/FraudDrift/Retraining',
      'Serving/Platform/FraudDrift -notifies-> Serving/Platform/Owner',
    ]);
  });

  test('GIVEN an endpoint and a monitor THEN the catalog has one captured-data dataset, the endpoint\'s', () => {
    expect(endpointMonitor().catalog().nodes.filter((node) => node.kind === 'dataset').map((node) => node.id)).toEqual(['Serving/Platform/Fraud/CapturedData']);
  });

  test('GIVEN no retraining THEN no retraining node and no triggers link', () => {
    const document = platformWith((platform) => {
      const endpoint = new CanaryEndpoint(platform, 'Fraud', { endpointName: 'fraud', model: MODEL, image: IMAGE });
      new DriftMonitor(platform, 'FraudDrift', { model: MODEL, baselineUri: BASELINE, endpoint });
    }).catalog();
    expect([document.nodes.filter((node) => node.kind === 'retraining'), document.links.filter((link) => link.relation === 'triggers')]).toEqual([[], []]);
  });

  test('GIVEN a monitor of a pipeline\'s inputs THEN the pipeline\'s input reads into the monitor, which monitors the pipeline daily', () => {
    const { catalog } = platformWith((platform) => {
      const pipeline = new BatchScoringPipeline(platform, 'Nightly', {
        model: MODEL, image: IMAGE, schedule: { cron: '0 2 * * *', timeZone: 'Europe/Dublin' }, ...platform.pipelineUris('nightly'),
      });
      new DriftMonitor(platform, 'InputDrift', { model: MODEL, baselineUri: BASELINE, pipeline });
    });
    const document = catalog();
    expect([linksOf(document, 'InputDrift'), document.nodes.find((node) => node.kind === 'monitor')?.properties?.schedule]).toEqual([[
      'Serving/Platform/InputDrift -monitors-> Serving/Platform/Nightly',
      'Serving/Platform/InputDrift -notifies-> Serving/Platform/Owner',
      'Serving/Platform/Nightly/Input -reads-> Serving/Platform/InputDrift',
    ], '10 0 * * * UTC']);
  });

  test('GIVEN a monitor of a prefix THEN it adds its data as a dataset and monitors the model', () => {
    const { catalog } = platformWith((platform) => {
      new DriftMonitor(platform, 'PrefixDrift', { model: MODEL, baselineUri: BASELINE, source: { kind: 'prefix', uri: 's3://raw-eu/transactions/', format: 'jsonl' } });
    });
    const document = catalog();
    expect([linksOf(document, 'PrefixDrift'), document.nodes.find((node) => node.id === 'Serving/Platform/PrefixDrift/Data')]).toEqual([[
      'Serving/Platform/PrefixDrift -notifies-> Serving/Platform/Owner',
      'Serving/Platform/PrefixDrift -monitors-> model:fraud@1.4.0',
      'Serving/Platform/PrefixDrift/Data -reads-> Serving/Platform/PrefixDrift',
    ], {
      id: 'Serving/Platform/PrefixDrift/Data',
      kind: 'dataset',
      name: 'fraud drift data',
      owner: 'fraud-ml',
      location: 's3://raw-eu/transactions/',
      engine: 'aws',
      properties: { format: 'jsonl' },
    }]);
  });

  test('GIVEN the endpoint and monitor THEN the Mermaid diagram has the lanes models, endpoints, captured data, monitors, retraining', () => {
    const { platform } = endpointMonitor();
    const lanes = [...platform.catalog.toMermaid().matchAll(/subgraph \w+\["([^"]+)"\]/g)].map((m) => m[1]);
    expect(lanes).toEqual(['Models', 'Endpoints and fleets', 'Captured data', 'Monitors', 'Retraining', 'Alerts and dashboards']);
  });
});

describe('DriftMonitor on the platform dashboard (AWS)', () => {
  const { stack } = endpointMonitor();
  const body = dashboardBody(stack);
  const header = body.widgets.findIndex((widget: any) => widget.properties.markdown === '### Drift Serving/Platform/FraudDrift');
  const row = body.widgets.slice(header + 1, header + 5);
  const dims = ['Model', 'fraud', 'Monitor', 'Serving-Platform-FraudDrift'];

  test('GIVEN a monitor under a platform THEN its row follows the endpoint\'s, with four widgets across the 24 columns', () => {
    expect([header, row.map((widget: any) => [widget.properties.title, widget.x, widget.width])]).toEqual([5, [
      ['PSI per feature (max per window)', 0, 10],
      ['Worst status', 10, 4],
      ['Features by status', 14, 5],
      ['Reports per window', 19, 5],
    ]]);
  });

  test('GIVEN the PSI widget THEN it searches the monitor\'s PSI per feature hourly, labelled by feature, against the warn and alarm lines', () => {
    expect([row[0].properties.metrics, row[0].properties.annotations]).toEqual([
      [[{
        expression: 'SEARCH(\'{MlPlatform/DriftMonitor,Feature,Model,Monitor} MetricName="PSI" Monitor="Serving-Platform-FraudDrift"\', \'Maximum\', 3600)',
        label: '${PROP(\'Dim.Feature\')}',
        id: 'q0',
        period: 3600,
      }]],
      { horizontal: [{ value: 0.1, label: 'warn 0.1', color: '#ff7f0e' }, { value: 0.2, label: 'alarm 0.2', color: '#d62728' }] },
    ]);
  });

  test('GIVEN the worst-status widget THEN it ranks the window\'s counts: 3 alarm, 2 warn, 1 insufficient data, 0 ok', () => {
    expect(row[1].properties.metrics).toEqual([
      [{ expression: 'IF(q0_alarm > 0, 3, IF(q0_warn > 0, 2, IF(q0_insufficient > 0, 1, 0)))', label: 'worst status', id: 'q0', period: 3600 }],
      ['MlPlatform/DriftMonitor', 'FeaturesAtAlarm', ...dims, { id: 'q0_alarm', visible: false, stat: 'Maximum', period: 3600 }],
      ['MlPlatform/DriftMonitor', 'FeaturesAtWarn', ...dims, { id: 'q0_warn', visible: false, stat: 'Maximum', period: 3600 }],
      ['MlPlatform/DriftMonitor', 'FeaturesInsufficientData', ...dims, { id: 'q0_insufficient', visible: false, stat: 'Maximum', period: 3600 }],
    ]);
  });

  test('GIVEN the status and report widgets THEN they read the window counts and the report count per window', () => {
    expect([row[2].properties.metrics, row[3].properties.metrics]).toEqual([[
      ['MlPlatform/DriftMonitor', 'FeaturesAtAlarm', ...dims, { label: 'alarm', stat: 'Maximum', period: 3600 }],
      ['MlPlatform/DriftMonitor', 'FeaturesAtWarn', ...dims, { label: 'warn', stat: 'Maximum', period: 3600 }],
      ['MlPlatform/DriftMonitor', 'FeaturesInsufficientData', ...dims, { label: 'insufficient_data', stat: 'Maximum', period: 3600 }],
    ], [
      [{ expression: 'FILL(q0_reports, 0)', label: 'reports', id: 'q0', period: 3600 }],
      ['MlPlatform/DriftMonitor', 'Reports', ...dims, { id: 'q0_reports', visible: false, stat: 'SampleCount', period: 3600 }],
    ]]);
  });

  test('GIVEN what drift_lambda.py publishes THEN every metric of the row is one it puts, with the same dimensions', () => {
    const published: Array<[string, string[]]> = python(`
import drift_lambda
config = {'modelName': 'fraud', 'monitor': 'Serving-Platform-FraudDrift'}
report = {'features': {'amount': {'psi': 0.3, 'ks': 0.2, 'status': 'alarm'}}}
result = sorted({(d['MetricName'], tuple(x['Name'] for x in d['Dimensions'])) for d in drift_lambda.metric_data(config, report)})
`);
    const used = new Set<string>();
    for (const widget of row) {
      for (const entry of widget.properties.metrics) {
        if (typeof entry[0] === 'string') {
          used.add(JSON.stringify([entry[1], [entry[2], entry[4]]]));
        } else if (entry[0].expression.startsWith('SEARCH')) {
          used.add(JSON.stringify([DRIFT_METRICS.psi.cloudWatch, ['Model', 'Monitor', 'Feature']]));
        }
      }
    }
    const publishedSet = new Set(published.map(([name, dimensions]) => JSON.stringify([name, dimensions])));
    expect([...used].filter((metric) => !publishedSet.has(metric))).toEqual([]);
  });
});

describe('DriftMonitor dashboard row on Kubernetes (Prometheus)', () => {
  const stack = new Stack();
  const plan = planDriftMonitor(stack, { model: MODEL, baselineUri: BASELINE, source: { kind: 'pipeline-inputs', uri: 's3://raw-eu/transactions/' } });
  const row = driftDashboardRow('Drift fraud', plan, { prometheus: { model: 'fraud', monitor: 'ml/fraud-drift' } });

  test('GIVEN the pushed gauges THEN the row queries them by model and monitor, the report age against two daily windows', () => {
    const queries = row.widgets.map((widget) => (widget.type === 'timeSeries' ? widget.metrics : widget.type === 'singleValue' ? [widget.metric] : [])
      .map((metric) => metric.prometheus?.expr));
    expect(queries).toEqual([
      ['max by (feature) (ml_platform_drift_psi{model="fraud", monitor="ml/fraud-drift"})'],
      ['max(ml_platform_drift_worst_status{model="fraud", monitor="ml/fraud-drift"})'],
      [
        'max(ml_platform_drift_features_at_alarm{model="fraud", monitor="ml/fraud-drift"})',
        'max(ml_platform_drift_features_at_warn{model="fraud", monitor="ml/fraud-drift"})',
        'max(ml_platform_drift_features_insufficient_data{model="fraud", monitor="ml/fraud-drift"})',
      ],
      ['(time() - max(ml_platform_drift_last_report_timestamp_seconds{model="fraud", monitor="ml/fraud-drift"})) / 3600'],
    ]);
  });

  test('GIVEN the report-age widget THEN its line is the missing-report alert\'s limit, 48 h for a daily monitor', () => {
    expect(row.widgets[3]).toMatchObject({ title: 'Hours since last report', thresholds: [{ value: 48, label: 'alert after 48 h' }] });
  });

  test('GIVEN a quote in a label value THEN it is escaped in PromQL', () => {
    const quoted = driftDashboardRow('Drift', plan, { prometheus: { model: 'fr"aud', monitor: 'm' } });
    expect(quoted.widgets[1].type === 'singleValue' && quoted.widgets[1].metric.prometheus?.expr).toBe('max(ml_platform_drift_worst_status{model="fr\\"aud", monitor="m"})');
  });

  test('GIVEN the row on a Grafana dashboard THEN every panel has its Prometheus target', () => {
    const dashboard = new PlatformDashboard({ title: 'fraud-platform' });
    dashboard.addRow(row);
    const panels = (dashboard.toGrafanaJson().panels as any[]).filter((panel) => panel.type !== 'row');
    expect(panels.map((panel) => [panel.title, panel.type, panel.targets.length])).toEqual([
      ['PSI per feature (max per window)', 'timeseries', 1],
      ['Worst status', 'stat', 1],
      ['Features by status', 'timeseries', 3],
      ['Hours since last report', 'stat', 1],
    ]);
  });
});
