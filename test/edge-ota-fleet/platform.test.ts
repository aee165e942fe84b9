import { readFileSync } from 'fs';
import { join } from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { App as Cdk8sApp, Chart } from 'cdk8s';
import { EDGE_MODEL, STORES } from './fixtures';
import { MlPlatform, Residency } from '../../constructs/aws';
import { EdgeOtaFleet } from '../../constructs/edge-ota-fleet/aws';
import { EdgeOtaFleet as K8sEdgeOtaFleet } from '../../constructs/edge-ota-fleet/k8s';
import { MlPlatform as K8sMlPlatform } from '../../constructs/k8s';

const OWNER = { team: 'fraud-ml', email: 'fraud-ml-oncall@example.com', runbookBaseUrl: 'https://runbooks.example.com/ml/' };

describe('EdgeOtaFleet under an AWS MlPlatform', () => {
  test('GIVEN a fleet under the platform THEN it uses the owner\'s topic and appears in the catalog with its model, waves and exposure', () => {
    const app = new App();
    const stack = new Stack(app, 'Edge', { env: { region: 'eu-west-1', account: '123456789012' } });
    const platform = new MlPlatform(stack, 'Platform', { residency: Residency.EU, owner: OWNER });
    new EdgeOtaFleet(platform, 'Retail', { model: EDGE_MODEL, targets: STORES, smokeTestCommand: 'python3 smoke.py', runCommand: 'python3 serve.py' });
    const catalog = JSON.parse(readFileSync(join(app.synth().directory, 'platform.catalog.json'), 'utf8'));
    const fleet = catalog.nodes.find((node: any) => node.kind === 'fleet');
    expect([fleet.id, fleet.owner, fleet.runbook, fleet.properties]).toEqual([
      'Edge/Platform/Retail', 'fraud-ml', 'https://runbooks.example.com/ml/edge-ota-fleet',
      { waves: 'canary:1 wave-1:2 wave-2:6 wave-3:11', exposure: '12 targets for 7500 s' },
    ]);
    expect(catalog.links.filter((link: any) => link.from === 'Edge/Platform/Retail' || link.to === 'Edge/Platform/Retail').map((link: any) => link.relation).sort())
      .toEqual(['notifies', 'serves']);
  });
});

describe('EdgeOtaFleet rows of the platform dashboard', () => {
  const PLATFORM_OWNER = { team: 'fraud-ml', runbookBaseUrl: 'https://runbooks.example.com/ml/' };

  function awsWidgets(): any[] {
    const stack = new Stack(new App(), 'Edge', { env: { region: 'eu-west-1', account: '123456789012' } });
    const platform = new MlPlatform(stack, 'Platform', { residency: Residency.EU, owner: PLATFORM_OWNER });
    new EdgeOtaFleet(platform, 'Retail', { model: EDGE_MODEL, targets: STORES, smokeTestCommand: 'python3 smoke.py', runCommand: 'python3 serve.py' });
    const body = (Object.values(Template.fromStack(stack).findResources('AWS::CloudWatch::Dashboard'))[0] as any).Properties.DashboardBody;
    return JSON.parse(body['Fn::Join'][1].map((part: unknown) => (typeof part === 'string' ? part : '<ref>')).join('')).widgets;
  }
  const states = (metricName: string, stat: string, period: number, label: string) => ['AWS/States', metricName, 'StateMachineArn', '<ref>', { stat, period, label }];

  test('GIVEN a fleet under an AWS platform THEN its row: rollouts, unfinished rollouts, the longest rollout and the waves', () => {
    expect(awsWidgets().map((widget) => widget.properties.title ?? widget.properties.markdown)).toEqual([
      '### Edge fleet Edge/Platform/Retail', 'Rollouts', 'Unfinished rollouts', 'Longest rollout today (h)',
      'canary: 1, wave-1: 2, wave-2: 6, wave-3: 11. A bad version reaches at most 12 targets, each for at most 7500 s before the revert starts.',
    ]);
  });

  test('GIVEN the driver THEN its executions per hour by outcome, by its state machine ARN', () => {
    expect(awsWidgets().find((widget) => widget.properties.title === 'Rollouts').properties.metrics).toEqual([
      states('ExecutionsStarted', 'Sum', 3600, 'started'), states('ExecutionsSucceeded', 'Sum', 3600, 'succeeded'),
      states('ExecutionsFailed', 'Sum', 3600, 'failed'), states('ExecutionsTimedOut', 'Sum', 3600, 'timed out'),
      states('ExecutionsAborted', 'Sum', 3600, 'aborted'),
    ]);
  });

  test('GIVEN the UnfinishedRollouts alarm THEN its metric and period with its threshold as a red line', () => {
    const widget = awsWidgets().find((candidate) => candidate.properties.title === 'Unfinished rollouts').properties;
    expect([widget.metrics, widget.annotations]).toEqual([
      [states('ExecutionsFailed', 'Sum', 300, 'failed')],
      { horizontal: [{ value: 0, label: 'UnfinishedRollouts alarm: above 0 in 5 min', color: '#d62728' }] },
    ]);
  });

  test('GIVEN the execution timeout THEN the longest rollout of the day in hours against it (86,760 s for the defaults)', () => {
    const widget = awsWidgets().find((candidate) => candidate.properties.title === 'Longest rollout today (h)').properties;
    expect([widget.metrics, widget.annotations]).toEqual([
      [[{ expression: 'q0_time / 3600000', label: 'hours', id: 'q0' }], [...states('ExecutionTime', 'Maximum', 86400, 'hours').slice(0, 4), { stat: 'Maximum', period: 86400, id: 'q0_time', visible: false }]],
      { horizontal: [{ value: 86760 / 3600, label: 'execution timeout 24.1 h', color: '#d62728' }] },
    ]);
  });

  test('GIVEN a fleet under a Kubernetes platform THEN Grafana shows its Applications by health and sync status and the Degraded count, from argocd_app_info', () => {
    const chart = new Chart(new Cdk8sApp({ outdir: 'unused' }), 'edge', { namespace: 'ml-platform' });
    const platform = new K8sMlPlatform(chart, 'Platform', { residency: Residency.EU, owner: PLATFORM_OWNER });
    new K8sEdgeOtaFleet(platform, 'Stores', {
      name: 'stores',
      model: EDGE_MODEL,
      clusters: STORES.slice(0, 4).map((name) => ({ name, labels: { 'ml-platform/fleet': 'stores' } })),
      source: { repoURL: 'https://git.example.com/ml/edge.git', path: 'dist/store', targetRevision: '3f2c1a9e8b7d6c5f4e3d2c1b0a9f8e7d6c5b4a39' },
    });
    const configMap = chart.toJson().find((object) => object.kind === 'ConfigMap' && object.metadata.name === 'platform-dashboard');
    const panels = (JSON.parse(Object.values(configMap.data)[0] as string).panels as any[]).filter((panel) => panel.type !== 'row');
    const apps = 'argocd_app_info{namespace="argocd", name=~"stores-.+"';
    expect(panels.map((panel) => [panel.title, (panel.targets ?? []).map((target: any) => [target.expr, target.legendFormat])])).toEqual([
      ['Applications by health', [[`count by (health_status) (${apps}})`, '{{health_status}}']]],
      ['Applications by sync status', [[`count by (sync_status) (${apps}})`, '{{sync_status}}']]],
      ['Degraded applications', [[`count(${apps}, health_status="Degraded"}) or vector(0)`, 'degraded']]],
      ['Waves', []],
    ]);
  });
});
