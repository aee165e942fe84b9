import { existsSync, mkdtempSync, readFileSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { App, Chart } from 'cdk8s';
import { BatchScoringPipeline, CanaryEndpoint, MlPlatform, type MlPlatformProps, PlatformApp, Residency } from '../../constructs/k8s';
import { FRAUD_ENDPOINT, FRAUD_SCORING } from '../../examples/k8s-platform/platform-chart';
import { thrownBy } from '../support/canary-fixtures';
import { kubernetesConformance } from '../support/k8s-conformance';

const OWNER = { team: 'fraud-ml', email: 'fraud-ml-oncall@example.com', runbookBaseUrl: 'https://runbooks.example.com/ml/' };

function platformChart(props: Partial<MlPlatformProps> = {}, app: App = new App({ outdir: 'unused' })) {
  const chart = new Chart(app, 'serving', { namespace: 'ml-platform' });
  const platform = new MlPlatform(chart, 'Platform', { residency: Residency.EU, owner: OWNER, ...props });
  return { app, chart, platform };
}

function withEndpointAndPipeline(props: Partial<MlPlatformProps> = {}) {
  const built = platformChart(props);
  new CanaryEndpoint(built.platform, 'Fraud', FRAUD_ENDPOINT);
  new BatchScoringPipeline(built.platform, 'Scoring', FRAUD_SCORING);
  return { ...built, objects: built.chart.toJson() };
}

const ofKind = (objects: any[], kind: string) => objects.filter((o) => o.kind === kind);

describe('Kubernetes MlPlatform', () => {
  test('GIVEN an endpoint and a pipeline under a platform THEN one Namespace and one default-deny NetworkPolicy for the namespace', () => {
    const { objects } = withEndpointAndPipeline();
    const namespaceWide = ofKind(objects, 'NetworkPolicy').filter((o) => Object.keys(o.spec.podSelector).length === 0);
    expect([ofKind(objects, 'Namespace').map((o) => o.metadata.name), namespaceWide.length]).toEqual([['ml-platform'], 1]);
  });

  test('GIVEN a platform with its own Prometheus selector labels THEN the ServiceMonitor and the PrometheusRule carry them', () => {
    const { objects } = withEndpointAndPipeline({ prometheus: { selectorLabels: { prometheus: 'ml' } } });
    expect([...ofKind(objects, 'ServiceMonitor'), ...ofKind(objects, 'PrometheusRule')].map((o) => o.metadata.labels.prometheus)).toEqual(['ml', 'ml']);
  });

  test('GIVEN selector labels on the endpoint itself THEN the endpoint\'s own labels win over the platform\'s', () => {
    const { platform, chart } = platformChart({ prometheus: { selectorLabels: { prometheus: 'ml' } } });
    new CanaryEndpoint(platform, 'Fraud', { ...FRAUD_ENDPOINT, prometheusSelectorLabels: { release: 'mine' } });
    expect(ofKind(chart.toJson(), 'ServiceMonitor')[0].metadata.labels).toMatchObject({ release: 'mine' });
  });

  test('GIVEN a platform with a Prometheus address THEN the endpoint\'s analysis queries it', () => {
    const { objects } = withEndpointAndPipeline({ prometheus: { address: 'http://prometheus.observability.svc:9090' } });
    const addresses = ofKind(objects, 'AnalysisTemplate')[0].spec.metrics.map((m: any) => m.provider.prometheus.address);
    expect(new Set(addresses)).toEqual(new Set(['http://prometheus.observability.svc:9090']));
  });

  test('GIVEN a pipeline under a platform THEN every alert carries the team label, the runbook URL and the owner', () => {
    const { objects } = withEndpointAndPipeline();
    const alerts = ofKind(objects, 'PrometheusRule').flatMap((rule) => rule.spec.groups.flatMap((group: any) => group.rules));
    expect(alerts.map((a: any) => [a.alert, a.labels.team, a.annotations.runbook_url, a.annotations.owner])).toEqual([
      ['BatchScoringRunFailed', 'fraud-ml', 'https://runbooks.example.com/ml/batch-scoring-pipeline/run-failed', 'fraud-ml <fraud-ml-oncall@example.com>'],
      ['BatchScoringNoRecentSuccess', 'fraud-ml', 'https://runbooks.example.com/ml/batch-scoring-pipeline/no-recent-success', 'fraud-ml <fraud-ml-oncall@example.com>'],
    ]);
  });

  test('GIVEN a pipeline outside a platform THEN its alerts carry no owner labels', () => {
    const chart = new Chart(new App({ outdir: 'unused' }), 'serving', { namespace: 'ml-platform' });
    new BatchScoringPipeline(chart, 'Scoring', FRAUD_SCORING);
    const alerts = ofKind(chart.toJson(), 'PrometheusRule')[0].spec.groups[0].rules;
    expect(alerts.map((a: any) => [a.labels, Object.keys(a.annotations)])).toEqual([[{ severity: 'page' }, ['summary']], [{ severity: 'page' }, ['summary']]]);
  });

  test('GIVEN a platform THEN one ConfigMap labelled for the Grafana sidecar holds the dashboard with a row per endpoint and pipeline', () => {
    const { objects } = withEndpointAndPipeline();
    const configMaps = ofKind(objects, 'ConfigMap');
    const dashboard = JSON.parse(configMaps[0].data['platform.json']);
    expect([configMaps.length, configMaps[0].metadata.labels.grafana_dashboard, dashboard.panels.filter((p: any) => p.type === 'row').map((p: any) => p.title)])
      .toEqual([1, '1', ['Endpoint fraud', 'Pipeline fraud-scoring']]);
  });

  test('GIVEN an endpoint under a platform THEN the Rollout and its pods carry the cost-allocation labels', () => {
    const { objects } = withEndpointAndPipeline();
    const rollout = ofKind(objects, 'Rollout')[0];
    const costLabels = (labels: Record<string, string>) => Object.fromEntries(Object.entries(labels).filter(([key]) => key.startsWith('ml-platform/')));
    const expected = { 'ml-platform/construct': 'CanaryEndpoint', 'ml-platform/model': 'fraud', 'ml-platform/team': 'fraud-ml' };
    expect([costLabels(rollout.metadata.labels), costLabels(rollout.spec.template.metadata.labels)]).toEqual([expected, expected]);
  });

  test('GIVEN a CronJob under a platform THEN its pod template carries the cost-allocation labels', () => {
    const { objects } = withEndpointAndPipeline();
    expect(ofKind(objects, 'CronJob')[0].spec.jobTemplate.spec.template.metadata.labels).toMatchObject({
      'ml-platform/construct': 'BatchScoringPipeline', 'ml-platform/team': 'fraud-ml',
    });
  });

  test('GIVEN a platform under an EU policy THEN the pods are pinned to EU regions and the namespace is labelled', () => {
    const { objects } = withEndpointAndPipeline();
    const regions = ofKind(objects, 'Rollout')[0].spec.template.spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution
      .nodeSelectorTerms[0].matchExpressions[0].values;
    expect([regions, ofKind(objects, 'Namespace')[0].metadata.labels['ml-platform/residency']]).toEqual([Residency.EU.allowedRegions, 'eu']);
  });

  test('GIVEN a platform with an endpoint and a pipeline THEN every object is schema-valid, hardened and PSS restricted', () => {
    expect(kubernetesConformance(withEndpointAndPipeline().objects)).toEqual([]);
  });

  test('GIVEN a PlatformApp THEN synth writes the catalog and the diagram beside the manifests', () => {
    const outdir = mkdtempSync(join(tmpdir(), 'k8s-platform-'));
    try {
      const app = new PlatformApp({ outdir });
      const { platform } = platformChart({}, app);
      new CanaryEndpoint(platform, 'Fraud', FRAUD_ENDPOINT);
      app.synth();
      const catalog = JSON.parse(readFileSync(join(outdir, 'platform.catalog.json'), 'utf8'));
      expect([existsSync(join(outdir, 'platform.diagram.md')), existsSync(join(outdir, 'platform.diagram.svg')), catalog.nodes.map((n: any) => n.kind)])
        .toEqual([true, true, ['model', 'image', 'endpoint', 'dashboard']]);
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  });

  test('GIVEN a namespace other than the chart\'s THEN an MlPlatformError names the prop', () => {
    expect(thrownBy(() => platformChart({ namespace: 'other' })).message).toBe(
      'serving/Platform: invalid namespace "other". Allowed: the chart\'s namespace "ml-platform" (every object of the chart goes there). '
      + 'Fix: leave namespace out, or create the platform in a chart with that namespace',
    );
  });
});
