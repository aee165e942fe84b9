import { App, Chart } from 'cdk8s';
import { applyResidency, ContainerImage, DriftMonitor as K8sDriftMonitor, Residency } from '../../constructs/k8s';
import { DriftMonitor, type DriftMonitorArgs } from '../../constructs/pulumi';
import { MODEL, thrownBy } from '../support/canary-fixtures';
import { recordRegistrations, settle } from '../support/pulumi-mocks';
import { sbomViolations } from '../support/sbom';

const registered = recordRegistrations();

const TRAINER = ContainerImage.fromDigest(`registry.example.com/ml/fraud-train@sha256:${'b'.repeat(64)}`);
const PROPS = {
  name: 'fraud-drift',
  model: MODEL,
  baselineUri: 's3://models-eu/fraud/1.4.0/baseline.json',
  source: { kind: 'pipeline-inputs', uri: 's3://fraud-data-eu/transactions/' },
  retraining: { target: 'kubernetes-job', jobTemplate: { image: TRAINER } },
} satisfies DriftMonitorArgs;

/** The Kubernetes objects registered so far whose name is `name`, as the cdk8s flavor writes them. */
function registeredObjects(name: string): Record<string, any>[] {
  return registered
    .filter((r) => r.type.startsWith('kubernetes:') && !r.type.startsWith('kubernetes:yaml') && r.inputs.metadata?.name === name)
    .map((r) => {
      const { apiVersion, kind, metadata, spec, data, rules, roleRef, subjects, automountServiceAccountToken } = r.inputs;
      return JSON.parse(JSON.stringify({ apiVersion, kind, metadata, spec, data, rules, roleRef, subjects, automountServiceAccountToken }));
    });
}

async function waitForObjects(name: string, count: number): Promise<Record<string, any>[]> {
  for (let waited = 0; registeredObjects(name).length < count && waited < 5000; waited += 50) {
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return registeredObjects(name);
}

const byKind = (objects: Record<string, any>[]) => [...objects].sort((a, b) => a.kind.localeCompare(b.kind));

describe('Pulumi DriftMonitor', () => {
  test('GIVEN the same props THEN the component registers exactly the objects of the cdk8s construct', async () => {
    const component = new DriftMonitor('drift', { ...PROPS, namespace: 'ml-platform', residency: Residency.EU });
    await settle(component.manifests);

    const app = new App({ outdir: 'unused' });
    applyResidency(app, Residency.EU);
    const chart = new Chart(app, 'expected', { namespace: 'ml-platform' });
    new K8sDriftMonitor(chart, 'Drift', PROPS);
    const expected = JSON.parse(JSON.stringify(chart.toJson()));

    const objects = await waitForObjects('fraud-drift', expected.length);
    expect(objects.map((o) => o.kind).sort()).toEqual(['ConfigMap', 'CronJob', 'NetworkPolicy', 'PrometheusRule', 'Role', 'RoleBinding', 'ServiceAccount']);
    expect(byKind(objects)).toEqual(byKind(expected));
    expect(registered.find((r) => r.name === 'drift')?.type).toBe('ml-platform:drift:DriftMonitor');
    expect(component.retrainingJobName).toBe('fraud-1-4-0-retrain');
  });

  test('GIVEN retraining without a namespace THEN refused: the RoleBinding must name the ServiceAccount\'s namespace', () => {
    expect(thrownBy(() => new DriftMonitor('drift-no-namespace', { ...PROPS, name: 'fraud-drift-x' })).prop).toBe('retraining');
  });

  test('GIVEN the component THEN its SBOM is valid and lists the baseline', async () => {
    const component = new DriftMonitor('drift-sbom', { ...PROPS, name: 'fraud-drift-sbom', namespace: 'ml-platform' });
    const json = await settle(component.sbom);
    expect(await sbomViolations(json)).toEqual([]);
    expect(JSON.parse(json).components.some((c: any) => c.type === 'data' && c.name === 'fraud-1.4.0-drift-baseline')).toBe(true);
  });
});
