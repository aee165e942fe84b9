import { App, Chart } from 'cdk8s';
import { FRAUD_K8S } from './fixtures';
import { FeatureStore, type FeatureStoreProps } from '../../constructs/feature-store/k8s';
import { FeatureSchemaLock } from '../../constructs/feature-store/schema-lock';
import { crdSchemaViolations } from '../../lib/testing/crd-schemas';
import { kubernetesConformance } from '../support/k8s-conformance';

function synth(overrides: Partial<FeatureStoreProps> = {}) {
  const app = new App({ outdir: 'unused' });
  app.node.setContext('featureStoreLock', 'update');
  const chart = new Chart(app, 'features', { namespace: 'ml-platform' });
  const store = new FeatureStore(chart, 'FraudFeatures', { ...FRAUD_K8S, schemaLock: FeatureSchemaLock.inMemory(), ...overrides });
  return { store, objects: chart.toJson() };
}

test('GIVEN the fraud features THEN a ConfigMap holds features.py and a feast.dev/v1 FeatureStore references Redis by Secret, with registry and offline volumes', () => {
  const { objects } = synth();
  expect(objects.map((object) => `${object.apiVersion}/${object.kind}/${object.metadata.name}`)).toEqual([
    'v1/ConfigMap/fraud-features-feature-repo', 'feast.dev/v1/FeatureStore/fraud-features',
  ]);
  const spec = objects[1].spec;
  expect(spec.feastProject).toBe('fraud_features');
  expect(spec.services.onlineStore.persistence).toEqual({ store: { type: 'redis', secretRef: { name: 'fraud-redis' }, secretKeyName: 'redis' } });
  expect(spec.services.offlineStore.persistence.file).toEqual({ type: 'duckdb', pvc: { create: { resources: { requests: { storage: '20Gi' } } }, mountPath: '/data/offline' } });
  expect(spec.services.registry.local.persistence.file.path).toBe('registry.db');
  expect(spec.services.volumes).toEqual([{ name: 'feature-definitions', configMap: { name: 'fraud-features-feature-repo' } }]);
  expect(spec.services.onlineStore.server.volumeMounts).toEqual([
    { name: 'feature-definitions', mountPath: '/data/offline/fraud_features/feature_repo/ml_platform', readOnly: true },
  ]);
});

test('GIVEN default materialization THEN the operator CronJob runs hourly in UTC, not suspended, one run at a time', () => {
  const { cronJob } = synth().objects[1].spec;
  expect(cronJob).toEqual({
    schedule: '0 * * * *',
    timeZone: 'UTC',
    suspend: false,
    concurrencyPolicy: 'Forbid',
    startingDeadlineSeconds: 600,
    successfulJobsHistoryLimit: 3,
    failedJobsHistoryLimit: 3,
    jobSpec: { backoffLimit: 2, activeDeadlineSeconds: 3600, ttlSecondsAfterFinished: 86400 },
  });
});

test('GIVEN the typed definitions THEN features.py declares the entities, sources and feature views with types, lists and TTLs', () => {
  const { store } = synth();
  expect(store.repository).toContain('entity_customer = Entity(name="customer", join_keys=["customer_id"], value_type=ValueType.STRING, description="")');
  expect(store.repository).toContain('source_customer_spend = FileSource(name="customer_spend_source", path="/data/offline/customer_spend", timestamp_field="event_time")');
  expect(store.repository).toContain('        Field(name="recent_merchants", dtype=Array(String), description=""),');
  expect(store.repository).toContain('    ttl=timedelta(seconds=604800),');
  expect(store.repository).toContain('    name="transaction_risk",\n    entities=[entity_transaction],\n    ttl=timedelta(seconds=0),');
  expect(store.repository).toContain('    online=False,');
});

test('GIVEN the objects THEN they conform: the FeatureStore to the Feast CRD schema (v0.66.0), the ConfigMap to kubernetes-models', () => {
  expect(kubernetesConformance(synth().objects)).toEqual([]);
});

test('GIVEN a field the Feast CRD does not know THEN the CRD schema check names it', () => {
  const { objects } = synth();
  const wrong = { ...objects[1], spec: { ...objects[1].spec, cronJob: { ...objects[1].spec.cronJob, suspended: false } } };
  expect(crdSchemaViolations(wrong)).toEqual(['/spec/cronJob must NOT have additional properties {"additionalProperty":"suspended"}']);
});

test('GIVEN a materialization schedule of four fields THEN it is refused', () => {
  expect(() => synth({ materialization: { schedule: '0 * * *' } })).toThrow(
    'features/FraudFeatures: invalid materialization.schedule "0 * * *". Allowed: a five-field cron expression. Fix: e.g. "0 * * * *"');
});

test('GIVEN no lock entry in check mode THEN the Kubernetes store is refused like the AWS one', () => {
  const app = new App({ outdir: 'unused' });
  const chart = new Chart(app, 'features');
  expect(() => new FeatureStore(chart, 'FraudFeatures', { ...FRAUD_K8S, schemaLock: FeatureSchemaLock.inMemory() })).toThrow(
    'features/FraudFeatures: invalid featureGroups "new group \\"customer-spend\\" (4 features); new group \\"transaction-risk\\" (3 features)".');
});
