import { App, Chart } from 'cdk8s';
import { applyResidency, BatchScoringPipeline as K8sBatchScoringPipeline, ContainerImage, Residency } from '../../constructs/k8s';
import { BatchScoringPipeline, type BatchScoringPipelineArgs } from '../../constructs/pulumi';
import { IMAGE, MODEL } from '../support/canary-fixtures';
import { recordRegistrations, settle } from '../support/pulumi-mocks';
import { sbomViolations } from '../support/sbom';

const registered = recordRegistrations();

const VALIDATOR = ContainerImage.fromDigest(`registry.example.com/ml/score-validator@sha256:${'c'.repeat(64)}`);

const PROPS = {
  name: 'fraud-scoring',
  model: MODEL,
  image: IMAGE,
  schedule: { cron: '0 2 * * *', timeZone: 'Europe/Dublin' },
  inputUri: 's3://fraud-data-eu/transactions/',
  outputUri: 's3://fraud-data-eu/scores/',
  shards: 4,
  validation: { validatorImage: VALIDATOR },
} satisfies BatchScoringPipelineArgs;

/** The Kubernetes objects registered so far whose name is `name`, without what only Pulumi adds. */
function registeredObjects(name: string): Record<string, any>[] {
  return registered
    .filter((r) => r.type.startsWith('kubernetes:') && !r.type.startsWith('kubernetes:yaml') && r.inputs.metadata?.name === name)
    .map((r) => {
      const { apiVersion, kind, metadata, spec, automountServiceAccountToken } = r.inputs;
      return JSON.parse(JSON.stringify({ apiVersion, kind, metadata, spec, automountServiceAccountToken }));
    });
}

/** Children register asynchronously after the component's outputs resolve: wait until `count` objects named `name` arrived. */
async function waitForObjects(name: string, count: number): Promise<Record<string, any>[]> {
  for (let waited = 0; registeredObjects(name).length < count && waited < 5000; waited += 50) {
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return registeredObjects(name);
}

function byKind(objects: Record<string, any>[]): Record<string, any>[] {
  return [...objects].sort((a, b) => a.kind.localeCompare(b.kind));
}

describe('Pulumi BatchScoringPipeline', () => {
  test('GIVEN the same props THEN the component registers exactly the objects of the cdk8s construct', async () => {
    const component = new BatchScoringPipeline('scoring', { ...PROPS, namespace: 'ml-platform', residency: Residency.EU });
    await settle(component.manifests);

    const app = new App({ outdir: 'unused' });
    applyResidency(app, Residency.EU);
    const chart = new Chart(app, 'expected', { namespace: 'ml-platform' });
    new K8sBatchScoringPipeline(chart, 'Scoring', PROPS);
    const expected = JSON.parse(JSON.stringify(chart.toJson()));

    const objects = await waitForObjects('fraud-scoring', expected.length);
    expect(objects.map((o) => o.kind).sort()).toEqual(['CronJob', 'NetworkPolicy', 'PrometheusRule', 'ServiceAccount']);
    expect(byKind(objects)).toEqual(byKind(expected));
    expect(registered.find((r) => r.name === 'scoring')?.type).toBe('ml-platform:batch:BatchScoringPipeline');
    expect(registered.find((r) => r.inputs.kind === 'CronJob' && r.inputs.metadata?.name === 'fraud-scoring')?.type).toBe('kubernetes:batch/v1:CronJob');
  });

  test('GIVEN no name, namespace or residency THEN the objects take the component name, no namespace and no node affinity', async () => {
    const component = new BatchScoringPipeline('nightly-scoring', { ...PROPS, name: undefined });
    expect(component.name).toBe('nightly-scoring');
    const objects = await waitForObjects('nightly-scoring', 4);
    // No namespace given: the provider's default namespace.
    expect(objects.map((o) => [o.kind, o.metadata.namespace]).sort()).toEqual([
      ['CronJob', undefined], ['NetworkPolicy', undefined], ['PrometheusRule', undefined], ['ServiceAccount', undefined],
    ]);
    // No residency policy: the pods are not pinned.
    expect(objects.find((o) => o.kind === 'CronJob')?.spec.jobTemplate.spec.template.spec.affinity).toBeUndefined();
  });

  test('GIVEN a component THEN its SBOM output is a valid CycloneDX 1.6 document listing the model, the images and the datasets', async () => {
    const component = new BatchScoringPipeline('sbom-scoring', { ...PROPS, name: undefined });
    const sbom = await settle(component.sbom);
    expect(await sbomViolations(sbom)).toEqual([]);
    expect(JSON.parse(sbom).components.map((c: any) => `${c.type}:${c.name}`).sort()).toEqual([
      'container:fraud-server', 'container:score-validator',
      'data:sbom-scoring-input', 'data:sbom-scoring-output',
      'library:ml-platform-constructs', 'machine-learning-model:fraud',
    ]);
  });
});
