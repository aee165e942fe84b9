// A Pulumi program (run with `pulumi up` in this folder's parent project): the Kubernetes ML platform
// through @pulumi/kubernetes. It creates exactly the objects `npm run synth:k8s` writes.
import { BatchScoringPipeline, CanaryEndpoint, DriftMonitor, EdgeOtaFleet, FeatureStore, MlPlatform, Residency } from '../../constructs/pulumi';
import {
  FRAUD_DRIFT_SOURCES, FRAUD_ENDPOINT, FRAUD_FEATURES, FRAUD_INPUT_DRIFT, FRAUD_REQUEST_DRIFT, FRAUD_SCORING, FRAUD_STORES, NAMESPACE,
} from '../k8s-platform/platform-chart';
import { FRAUD_ML_OWNER, FRAUD_PLATFORM_NAME } from '../shared/fraud-ml-owner';

// The namespace baseline, EU residency, the owner on every alert, the Grafana dashboard, the catalog and the diagram.
const platform = new MlPlatform(FRAUD_PLATFORM_NAME, {
  namespace: NAMESPACE,
  platformName: FRAUD_PLATFORM_NAME,
  residency: Residency.EU,
  owner: FRAUD_ML_OWNER,
});
const fraud = new CanaryEndpoint('fraud', { ...FRAUD_ENDPOINT, platform });
const fraudScoring = new BatchScoringPipeline('fraud-scoring', { ...FRAUD_SCORING, platform });
// The fraud features through the Feast operator, checked against feature-store.lock.json.
new FeatureStore('fraud-features', { ...FRAUD_FEATURES, platform });
// The fraud model rolled out to the stores' edge clusters in waves: the same ApplicationSet as the cdk8s example.
new EdgeOtaFleet('fraud-stores', { ...FRAUD_STORES, platform });
// The drift monitors of the cdk8s example, given their data as prefixes (the endpoint's capture, the pipeline's inputs).
new DriftMonitor('fraud-request-drift', { ...FRAUD_REQUEST_DRIFT, source: FRAUD_DRIFT_SOURCES.requests, platform });
new DriftMonitor('fraud-input-drift', { ...FRAUD_INPUT_DRIFT, source: FRAUD_DRIFT_SOURCES.inputs, platform });

/** The platform's catalog (`fraud-platform.catalog.json`) and diagram, as Mermaid and as SVG. */
export const catalog = platform.catalog;
export const diagram = platform.diagram;
export const diagramSvg = platform.diagramSvg;
/** The bill of materials of what this program deploys (one for the whole platform). */
export const sbom = fraudScoring.sbom;
export const fraudEndpointName = fraud.name;
