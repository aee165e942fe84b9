import { App } from 'cdk8s';
import { definePlatform } from '../../examples/k8s-platform/platform';
import { recordRegistrations, settle } from '../support/pulumi-mocks';
import { sbomViolations } from '../support/sbom';

const registered = recordRegistrations();

/** The object as plain JSON: every top-level field (spec, data, rules, automountServiceAccountToken, ...) is compared. */
function kubernetesObject(inputs: Record<string, any>): Record<string, any> {
  return JSON.parse(JSON.stringify(inputs));
}

function byKindAndName(objects: Record<string, any>[]): Record<string, any>[] {
  return [...objects].sort((a, b) => `${a.kind}/${a.metadata.name}`.localeCompare(`${b.kind}/${b.metadata.name}`));
}

/** Waits until the number of registered resources stops growing (children register after their parents). */
async function registrationsSettled(): Promise<void> {
  let count = -1;
  while (count !== registered.length) {
    count = registered.length;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('Pulumi bridge', () => {
  beforeAll(async () => {
    const program = await import('../../examples/pulumi-platform/index');
    await settle(program.catalog);
    await registrationsSettled();
  });

  test('GIVEN the example Pulumi program THEN it registers exactly the objects the cdk8s example synthesizes', () => {
    const kubernetes = registered.filter((r) => r.type.startsWith('kubernetes:') && !r.type.startsWith('kubernetes:yaml'));
    const expected = definePlatform(new App({ outdir: 'unused' })).toJson();
    expect(kubernetes.length).toBe(expected.length);
    expect(byKindAndName(kubernetes.map((r) => kubernetesObject(r.inputs)))).toEqual(byKindAndName(expected.map(kubernetesObject)));
  });

  test('GIVEN the example Pulumi program THEN each component has its type token and its objects map to typed or custom resources', () => {
    expect(registered.find((r) => r.name === 'fraud-platform')?.type).toBe('ml-platform:platform:MlPlatform');
    expect(registered.find((r) => r.name === 'fraud')?.type).toBe('ml-platform:serving:CanaryEndpoint');
    const types = new Set(registered.map((r) => r.type));
    for (const type of [
      'kubernetes:argoproj.io/v1alpha1:Rollout',
      'kubernetes:argoproj.io/v1alpha1:AnalysisTemplate',
      'kubernetes:autoscaling/v2:HorizontalPodAutoscaler',
      'kubernetes:policy/v1:PodDisruptionBudget',
      'kubernetes:monitoring.coreos.com/v1:ServiceMonitor',
    ]) {
      expect(types).toContain(type);
    }
  });

  test('GIVEN a component THEN its SBOM output is a valid CycloneDX 1.6 document listing what it deploys', async () => {
    const { CanaryEndpoint, NamespaceBaseline } = await import('../../constructs/pulumi');
    const { FRAUD_ENDPOINT } = await import('../../examples/k8s-platform/platform-chart');
    const baseline = new NamespaceBaseline('other', { name: 'other' });
    expect(await sbomViolations(await settle(baseline.sbom))).toEqual([]);
    const endpoint = new CanaryEndpoint('scoring', { ...FRAUD_ENDPOINT, name: undefined });
    const sbom = await settle(endpoint.sbom);
    expect(await sbomViolations(sbom)).toEqual([]);
    const names = JSON.parse(sbom).components.map((c: any) => `${c.type}:${c.name}`);
    expect(names).toEqual(expect.arrayContaining(['machine-learning-model:fraud', 'container:fraud-server']));
    expect(endpoint.name).toBe('scoring');
  });
});
