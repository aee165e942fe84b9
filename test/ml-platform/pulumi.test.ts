import { App } from 'cdk8s';
import { BatchScoringPipeline, CanaryEndpoint, DriftMonitor, EdgeOtaFleet, FeatureStore, MlPlatform, Residency } from '../../constructs/pulumi';
import { definePlatform } from '../../examples/k8s-platform/platform';
import {
  FRAUD_DRIFT_SOURCES, FRAUD_ENDPOINT, FRAUD_FEATURES, FRAUD_INPUT_DRIFT, FRAUD_REQUEST_DRIFT, FRAUD_SCORING, FRAUD_STORES,
} from '../../examples/k8s-platform/platform-chart';
import { FRAUD_ML_OWNER, FRAUD_PLATFORM_NAME } from '../../examples/shared/fraud-ml-owner';
import { thrownBy } from '../support/canary-fixtures';
import { recordRegistrations, settle } from '../support/pulumi-mocks';

const registered = recordRegistrations();

const platform = new MlPlatform(FRAUD_PLATFORM_NAME, { namespace: 'ml-platform', platformName: FRAUD_PLATFORM_NAME, residency: Residency.EU, owner: FRAUD_ML_OWNER });
const fraud = new CanaryEndpoint('fraud', { ...FRAUD_ENDPOINT, platform });
const scoring = new BatchScoringPipeline('fraud-scoring', { ...FRAUD_SCORING, platform });
new FeatureStore('fraud-features', { ...FRAUD_FEATURES, platform });
new EdgeOtaFleet('fraud-stores', { ...FRAUD_STORES, platform });
new DriftMonitor('fraud-request-drift', { ...FRAUD_REQUEST_DRIFT, source: FRAUD_DRIFT_SOURCES.requests, platform });
new DriftMonitor('fraud-input-drift', { ...FRAUD_INPUT_DRIFT, source: FRAUD_DRIFT_SOURCES.inputs, platform });

/** The Kubernetes objects registered so far, as `Kind/name`, with what only Pulumi adds left out. */
function registeredObjects(): Map<string, Record<string, any>> {
  return new Map(registered
    .filter((r) => r.type.startsWith('kubernetes:') && !r.type.startsWith('kubernetes:yaml') && r.inputs.kind !== undefined)
    .map((r) => {
      const { apiVersion, kind, metadata, spec, data, rules, roleRef, subjects, automountServiceAccountToken } = r.inputs;
      return [`${kind}/${metadata.name}`, JSON.parse(JSON.stringify({ apiVersion, kind, metadata, spec, data, rules, roleRef, subjects, automountServiceAccountToken }))];
    }));
}

async function settled(count: number): Promise<Map<string, Record<string, any>>> {
  for (let waited = 0; registeredObjects().size < count && waited < 10_000; waited += 50) {
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return registeredObjects();
}

describe('Pulumi MlPlatform', () => {
  const cdk8sObjects = definePlatform(new App({ outdir: 'unused' })).toJson();

  test('GIVEN the example platform THEN Pulumi registers exactly the objects of the cdk8s example, field for field', async () => {
    await settle(platform.catalog);
    const objects = await settled(cdk8sObjects.length);
    const expected = new Map(cdk8sObjects.map((o) => [`${o.kind}/${o.metadata.name}`, JSON.parse(JSON.stringify({ ...o, data: o.data }))]));
    expect(objects).toEqual(expected);
  });

  test('GIVEN an endpoint, a pipeline, a feature store, a fleet and drift monitors given the platform THEN the catalog output lists them, their model, image, feature groups and data', async () => {
    const catalog = JSON.parse(await settle(platform.catalog));
    // The monitors take their data as prefixes here (no cdk8s constructs to link to): each adds its own dataset.
    expect(catalog.nodes.map((node: any) => `${node.kind}:${node.name}`)).toEqual([
      'model:fraud', 'image:ml/fraud-server', 'feature-group:customer-spend', 'feature-group:transaction-risk',
      'dataset:fraud drift data', 'dataset:fraud drift data', 'dataset:fraud-scoring input', 'dataset:fraud-scoring published scores',
      'endpoint:fraud', 'fleet:fraud-stores', 'pipeline:fraud-scoring',
      'monitor:fraud drift: pipeline inputs', 'monitor:fraud drift: captured requests', 'retraining:fraud retraining', 'dashboard:fraud-platform dashboard',
    ]);
  });

  test('GIVEN the platform THEN the diagram outputs are a Mermaid block and an SVG document', async () => {
    const [mermaid, svg] = await Promise.all([settle(platform.diagram), settle(platform.diagramSvg)]);
    expect([mermaid.split('\n')[0], svg.includes('<svg ')]).toEqual(['```mermaid', true]);
  });

  test('GIVEN components given the platform THEN their object names are those of their args', () => {
    expect([fraud.name, scoring.name]).toEqual(['fraud', 'fraud-scoring']);
  });

  test('GIVEN a namespace besides the platform THEN an MlPlatformError names the prop', () => {
    expect(thrownBy(() => new CanaryEndpoint('other', { ...FRAUD_ENDPOINT, name: 'other', platform, namespace: 'elsewhere' })).message).toBe(
      'ml-platform:serving:CanaryEndpoint other: invalid namespace "elsewhere". Allowed: nothing besides platform: the platform sets the namespace '
      + '("ml-platform") and the residency. Fix: leave namespace and residency out, or the platform out',
    );
  });
});
