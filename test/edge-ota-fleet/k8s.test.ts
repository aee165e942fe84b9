import { App, Chart } from 'cdk8s';
import { EdgeOtaFleet, type EdgeOtaFleetProps, rollingSyncSteps, stepsSelecting } from '../../constructs/edge-ota-fleet/k8s';
import { MlPlatform, Residency } from '../../constructs/k8s';
import { ModelArtifact } from '../../lib/core';
import { thrownBy } from '../support/canary-fixtures';
import { kubernetesConformance } from '../support/k8s-conformance';

const MODEL = ModelArtifact.fromUri('s3://models-eu/fraud/1.4.0/model.tar.gz', { version: '1.4.0', sha256: 'c'.repeat(64) });
const clusters = (count: number, labels: Record<string, string> = { 'ml-platform/fleet': 'stores' }) =>
  Array.from({ length: count }, (_, index) => ({ name: `store-${String(index + 1).padStart(3, '0')}`, labels }));
const SOURCE = { repoURL: 'https://git.example.com/ml/edge.git', path: 'dist/store', targetRevision: '3f2c1a9e8b7d6c5f4e3d2c1b0a9f8e7d6c5b4a39' };

function synth(overrides: Partial<EdgeOtaFleetProps> = {}) {
  const chart = new Chart(new App({ outdir: 'unused' }), 'Stores');
  const fleet = new EdgeOtaFleet(chart, 'Stores', { name: 'stores', model: MODEL, clusters: clusters(12), source: SOURCE, ...overrides });
  return { fleet, objects: chart.toJson() as any[] };
}

describe('EdgeOtaFleet on Kubernetes', () => {
  test('GIVEN 12 clusters THEN one ApplicationSet with RollingSync steps per wave and one for late joiners', () => {
    const [appSet] = synth().objects;
    expect(appSet.kind).toBe('ApplicationSet');
    expect(appSet.metadata.namespace).toBe('argocd');
    const steps = appSet.spec.strategy.rollingSync.steps;
    expect(steps.map((step: any) => [step.matchExpressions[0].operator, step.matchExpressions[0].values.length, step.maxUpdate])).toEqual([
      ['In', 1, 1], ['In', 2, 2], ['In', 4, 4], ['In', 5, 5], ['NotIn', 12, 1],
    ]);
    expect(appSet.spec.generators).toEqual([{ clusters: { selector: { matchLabels: { 'ml-platform/fleet': 'stores' } } } }]);
    expect(appSet.spec.template.metadata.labels).toEqual({ 'ml-platform/cluster': '{{.name}}' });
    expect(appSet.spec.template.spec.source).toEqual(SOURCE);
  });

  test('GIVEN the steps THEN every given cluster falls in exactly one, and an unknown cluster only in the last', () => {
    const { fleet } = synth();
    const steps = rollingSyncSteps(fleet.plan);
    for (const cluster of clusters(12)) {
      expect(stepsSelecting(steps, { 'ml-platform/cluster': cluster.name })).toBe(1);
    }
    expect(steps.findIndex((step) => stepsSelecting([step], { 'ml-platform/cluster': 'store-999' }) === 1)).toBe(steps.length - 1);
  });

  test('GIVEN a cluster without the selector labels THEN refused: the generator would never select it', () => {
    const given = [...clusters(3), { name: 'store-004', labels: { region: 'eu' } }];
    expect(thrownBy(() => synth({ clusters: given })).message).toBe(
      'Stores/Stores: invalid clusters[3].labels {"region":"eu"}. Allowed: the labels the cluster generator selects ({"ml-platform/fleet":"stores"}): '
      + 'a cluster it does not select never gets the model. Fix: label the cluster\'s secret ml-platform/fleet=stores, or change clusterSelector');
  });

  test('GIVEN a cluster twice THEN refused', () => {
    expect(thrownBy(() => synth({ clusters: [...clusters(3), clusters(1)[0]] })).prop).toBe('targets');
  });

  test('GIVEN a cluster name that is no label value THEN refused', () => {
    expect(thrownBy(() => synth({ clusters: [{ name: 'Store_1' }, ...clusters(2)] })).prop).toBe('clusters[0].name');
  });

  test('GIVEN the fleet THEN a PrometheusRule selected by kube-prometheus-stack pages on any of its Applications Degraded for 5 minutes', () => {
    const rule = synth().objects.find((object) => object.kind === 'PrometheusRule');
    expect(rule.metadata).toEqual({
      name: 'stores', labels: { 'app.kubernetes.io/name': 'stores', 'app.kubernetes.io/component': 'edge-ota-fleet', 'release': 'kube-prometheus-stack' },
    });
    const [alert] = rule.spec.groups[0].rules;
    expect([alert.alert, alert.expr, alert.for, alert.labels]).toEqual([
      'EdgeFleetApplicationDegraded',
      'max by (name, dest_server) (argocd_app_info{namespace="argocd", name=~"stores-.+", health_status="Degraded"}) == 1',
      '5m',
      { severity: 'page' },
    ]);
  });

  test('GIVEN a last known-good revision THEN the alert\'s description pins the ApplicationSet back to it', () => {
    const good = '0a1b2c3d4e5f60718293a4b5c6d7e8f901234567';
    const rule = synth({ source: { ...SOURCE, lastKnownGoodRevision: good } }).objects.find((object) => object.kind === 'PrometheusRule');
    expect(rule.spec.groups[0].rules[0].annotations.description).toBe('Pin the last known-good commit: kubectl -n argocd patch applicationset stores --type json '
      + `-p '[{"op":"replace","path":"/spec/template/spec/source/targetRevision","value":"${good}"}]'. RollingSync then rolls that revision out `
      + 'through the same steps. Set source.targetRevision to it in the app too, or the next apply restores the bad revision.');
  });

  test('GIVEN the target revision as the last known-good one THEN refused: pinning back to it reverts nothing', () => {
    expect(thrownBy(() => synth({ source: { ...SOURCE, lastKnownGoodRevision: SOURCE.targetRevision } })).message).toBe(
      `Stores/Stores: invalid source.lastKnownGoodRevision "${SOURCE.targetRevision}". Allowed: a revision other than source.targetRevision `
      + '(pinning back to it reverts nothing). Fix: give the commit the fleet ran before this one');
  });

  test('GIVEN a last known-good revision with a quote THEN refused: it is written into a shell command', () => {
    expect(thrownBy(() => synth({ source: { ...SOURCE, lastKnownGoodRevision: "v1'; rm -rf /" } })).prop).toBe('source.lastKnownGoodRevision');
  });

  test('GIVEN the fleet under a platform THEN the alert carries the owner\'s team, runbook and the platform\'s Prometheus labels', () => {
    const chart = new Chart(new App({ outdir: 'unused' }), 'edge', { namespace: 'ml-platform' });
    const platform = new MlPlatform(chart, 'Platform', {
      residency: Residency.EU, owner: { team: 'fraud-ml', runbookBaseUrl: 'https://runbooks.example.com/ml/' }, prometheus: { selectorLabels: { prometheus: 'ml' } },
    });
    new EdgeOtaFleet(platform, 'Stores', { name: 'stores', model: MODEL, clusters: clusters(4), source: SOURCE });
    const rule = chart.toJson().find((object) => object.kind === 'PrometheusRule');
    const [alert] = rule.spec.groups[0].rules;
    expect([rule.metadata.labels.prometheus, alert.labels, alert.annotations.runbook_url])
      .toEqual(['ml', { severity: 'page', team: 'fraud-ml' }, 'https://runbooks.example.com/ml/edge-ota-fleet/application-degraded']);
  });

  test('GIVEN two fleets whose Applications share a name prefix in one Argo CD namespace THEN the second is refused', () => {
    const { fleet } = synth();
    expect(thrownBy(() => new EdgeOtaFleet(fleet.node.scope as Chart, 'StoresEu', { name: 'stores-eu', model: MODEL, clusters: clusters(3), source: SOURCE })).message).toBe(
      'Stores/StoresEu: invalid name "stores-eu". Allowed: a name that is not "<name>-" of another fleet in argocd (Stores/Stores is "stores"): '
      + 'the alert and the dashboard select each fleet\'s Applications by "<name>-". Fix: rename one of the two fleets');
    expect(() => new EdgeOtaFleet(fleet.node.scope as Chart, 'Kiosks', { name: 'kiosks', model: MODEL, clusters: clusters(3, { 'ml-platform/fleet': 'kiosks' }), source: SOURCE }))
      .not.toThrow();
  });

  test('GIVEN the ApplicationSet THEN it passes the Argo CD CRD schema and the strict checks', () => {
    expect(kubernetesConformance(synth().objects)).toEqual([]);
  });
});
