import { App, Chart } from 'cdk8s';
import { checkRules, describeWithPromtool, type RuleFile, testRules } from './promtool';
import { EdgeOtaFleet } from '../../constructs/k8s';
import { ModelArtifact } from '../../lib/core';

const SOURCE = { repoURL: 'https://git.example.com/ml/edge.git', path: 'dist/store', targetRevision: '3f2c1a9e8b7d6c5f4e3d2c1b0a9f8e7d6c5b4a39' };
const GOOD = '0a1b2c3d4e5f60718293a4b5c6d7e8f901234567';

/** The PrometheusRule of a fleet `stores` of 4 store clusters, as synthesized. */
function alertRules(source: Record<string, string> = SOURCE): RuleFile {
  const chart = new Chart(new App({ outdir: 'unused' }), 'edge', { namespace: 'ml' });
  new EdgeOtaFleet(chart, 'Stores', {
    name: 'stores',
    model: ModelArtifact.fromUri('s3://models-eu/fraud/1.4.0/model.tar.gz', { version: '1.4.0', sha256: 'c'.repeat(64) }),
    clusters: ['store-001', 'store-002', 'store-003', 'store-004'].map((name) => ({ name, labels: { 'ml-platform/fleet': 'stores' } })),
    source: source as any,
  });
  return chart.toJson().find((o) => o.kind === 'PrometheusRule').spec;
}

/** argocd_app_info of one Application as Argo CD's controller reports it (value 1, the state in the labels). */
const app = (name: string, health: string, values: string, namespace = 'argocd') => ({
  series: `argocd_app_info{namespace="${namespace}", name="${name}", project="default", autosync_enabled="false", repo="https://git.example.com/ml/edge", `
    + `dest_server="https://${name}.example.com", dest_namespace="ml-serving", sync_status="Synced", health_status="${health}", operation=""}`,
  values,
});

// The canary store-001 turns Degraded at minute 10 and Healthy again at minute 40 (the revision pinned back). As Argo
// CD's labels change, the old series disappears from the scrape: Prometheus marks it stale at once.
const INPUT = [
  app('stores-store-001', 'Healthy', '1x9 stale _x29 1x19'),
  app('stores-store-001', 'Degraded', '_x10 1x29 stale'),
  app('stores-store-002', 'Healthy', '1x59'),
  // Another ApplicationSet's Application, and one in another Argo CD: neither pages for this fleet.
  app('churn-store-001', 'Degraded', '1x59'),
  app('stores-store-003', 'Degraded', '1x59', 'argocd-staging'),
];

const degraded = (revert: string) => ({
  exp_labels: { severity: 'page', name: 'stores-store-001', dest_server: 'https://stores-store-001.example.com' },
  exp_annotations: {
    summary: 'stores-store-001 of the edge fleet stores is Degraded: RollingSync has halted, and clusters synced before it still run the new revision.',
    description: `${revert}. RollingSync then rolls that revision out through the same steps. Set source.targetRevision to it in the app too, `
      + 'or the next apply restores the bad revision.',
  },
});
const PATCH = (revision: string) => 'kubectl -n argocd patch applicationset stores --type json '
  + `-p '[{"op":"replace","path":"/spec/template/spec/source/targetRevision","value":"${revision}"}]'`;

describeWithPromtool('EdgeOtaFleet alerts, evaluated by promtool', () => {
  test('GIVEN the synthesized PrometheusRule THEN promtool check rules accepts it', () => {
    const run = checkRules([alertRules()]);
    expect(run.output).toMatch(/SUCCESS: 1 rules found/);
    expect(run.status).toBe(0);
  });

  test('GIVEN the canary Degraded from minute 10 to 40 THEN the page fires after 5 minutes, names the Application and gives the revert command with the last known-good commit', () => {
    const at = (minute: number, alerts: object[]) => ({ eval_time: `${minute}m`, alertname: 'EdgeFleetApplicationDegraded', exp_alerts: alerts });
    const page = degraded(`Pin the last known-good commit: ${PATCH(GOOD)}`);
    const run = testRules([alertRules({ ...SOURCE, lastKnownGoodRevision: GOOD })], {
      evaluation_interval: '1m',
      tests: [{ interval: '1m', input_series: INPUT, alert_rule_test: [at(9, []), at(14, []), at(15, [page]), at(39, [page]), at(41, []), at(59, [])] }],
    });
    expect(run.output).toBe('Unit Testing:  test.yaml\n  SUCCESS\n\n');
    expect(run.status).toBe(0);
  });

  test('GIVEN no last known-good revision THEN the page gives the command that lists the canary\'s revisions, then the patch to fill in', () => {
    const page = degraded('Find the last known-good commit among the revisions the canary ran (oldest first): kubectl -n argocd get application '
      + `stores-store-001 -o jsonpath='{.status.history[*].revision}'. Then pin it: ${PATCH('<last known-good commit>')}`);
    const run = testRules([alertRules()], {
      evaluation_interval: '1m',
      tests: [{ interval: '1m', input_series: INPUT, alert_rule_test: [{ eval_time: '20m', alertname: 'EdgeFleetApplicationDegraded', exp_alerts: [page] }] }],
    });
    expect(run.output).toBe('Unit Testing:  test.yaml\n  SUCCESS\n\n');
    expect(run.status).toBe(0);
  });
});
