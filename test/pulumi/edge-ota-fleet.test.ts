import { App, Chart } from 'cdk8s';
import { EdgeOtaFleet as K8sEdgeOtaFleet } from '../../constructs/edge-ota-fleet/k8s';
import { EdgeOtaFleet, type EdgeOtaFleetArgs } from '../../constructs/edge-ota-fleet/pulumi';
import { ModelArtifact } from '../../lib/core';
import { recordRegistrations, settle } from '../support/pulumi-mocks';

const registered = recordRegistrations();

const PROPS = {
  name: 'fraud-stores',
  model: ModelArtifact.fromUri('s3://models-eu/fraud/1.4.0/model.tar.gz', { version: '1.4.0', sha256: 'c'.repeat(64) }),
  clusters: Array.from({ length: 6 }, (_, index) => ({ name: `store-${index + 1}`, labels: { 'ml-platform/fleet': 'fraud-stores' } })),
  source: { repoURL: 'https://git.example.com/ml/edge.git', path: 'dist/store', targetRevision: '3f2c1a9e8b7d6c5f4e3d2c1b0a9f8e7d6c5b4a39' },
} satisfies EdgeOtaFleetArgs;

describe('Pulumi EdgeOtaFleet', () => {
  test('GIVEN the same props THEN the component registers exactly the ApplicationSet and the PrometheusRule of the cdk8s construct', async () => {
    const component = new EdgeOtaFleet('stores', { ...PROPS, namespace: 'ml-platform' });
    await settle(component.manifests);
    const chart = new Chart(new App({ outdir: 'unused' }), 'expected', { namespace: 'ml-platform' });
    new K8sEdgeOtaFleet(chart, 'Stores', PROPS);
    const expected = JSON.parse(JSON.stringify(chart.toJson()));
    let objects: any[] = [];
    for (let waited = 0; objects.length < 2 && waited < 5000; waited += 50) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      objects = registered.filter((r) => ['ApplicationSet', 'PrometheusRule'].includes(r.inputs.kind)).map((r) => JSON.parse(JSON.stringify({
        apiVersion: r.inputs.apiVersion, kind: r.inputs.kind, metadata: r.inputs.metadata, spec: r.inputs.spec,
      })));
    }
    expect(expected.map((object: any) => object.kind)).toEqual(['ApplicationSet', 'PrometheusRule']);
    const byKind = (a: any, b: any) => a.kind.localeCompare(b.kind);
    expect([...objects].sort(byKind)).toEqual(expected);
    expect(registered.find((r) => r.name === 'stores')?.type).toBe('ml-platform:edge:EdgeOtaFleet');
  });
});
