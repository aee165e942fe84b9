import { App, Chart } from 'cdk8s';
import { FeatureStore as K8sFeatureStore } from '../../constructs/feature-store/k8s';
import { FeatureStore } from '../../constructs/feature-store/pulumi';
import { FeatureSchemaLock } from '../../constructs/feature-store/schema-lock';
import { FRAUD_K8S } from '../feature-store/fixtures';
import { recordRegistrations, settle } from '../support/pulumi-mocks';

const registered = recordRegistrations();

/** The Kubernetes objects registered so far, without what only Pulumi adds. */
function registeredObjects(): Record<string, any>[] {
  return registered
    .filter((r) => r.type.startsWith('kubernetes:') && !r.type.startsWith('kubernetes:yaml'))
    .map((r) => {
      const { apiVersion, kind, metadata, spec, data } = r.inputs;
      return JSON.parse(JSON.stringify({ apiVersion, kind, metadata, spec, data }));
    });
}

test('GIVEN the same props THEN the Pulumi FeatureStore registers exactly the objects of the cdk8s construct', async () => {
  const lock = FeatureSchemaLock.inMemory();
  const app = new App({ outdir: 'unused' });
  app.node.setContext('featureStoreLock', 'update');
  const chart = new Chart(app, 'expected', { namespace: 'ml-platform' });
  new K8sFeatureStore(chart, 'FraudFeatures', { ...FRAUD_K8S, schemaLock: lock });
  const expected = JSON.parse(JSON.stringify(chart.toJson()));

  // The lock now holds the schema: the component synthesizes in check mode.
  const component = new FeatureStore('fraudFeatures', { ...FRAUD_K8S, storeName: undefined, namespace: 'ml-platform', schemaLock: lock });
  await settle(component.manifests);
  for (let waited = 0; registeredObjects().length < expected.length && waited < 5000; waited += 50) {
    await new Promise((resolve) => setTimeout(resolve, 50));
  }

  expect(component.storeName).toBe('fraud-features');
  const byKind = (objects: Record<string, any>[]) => [...objects].sort((a, b) => a.kind.localeCompare(b.kind));
  expect(byKind(registeredObjects())).toEqual(byKind(expected));
  expect(registered.find((r) => r.name === 'fraudFeatures')?.type).toBe('ml-platform:features:FeatureStore');
});
