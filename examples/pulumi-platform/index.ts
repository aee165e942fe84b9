// A Pulumi program (run with `pulumi up` in this folder's parent project): the Kubernetes ML platform
// through @pulumi/kubernetes. It creates exactly the objects `npm run synth:k8s` writes.
import { BatchScoringPipeline, CanaryEndpoint, NamespaceBaseline, Residency } from '../../constructs/pulumi';
import { FRAUD_ENDPOINT, FRAUD_SCORING } from '../k8s-platform/platform-chart';

const namespace = new NamespaceBaseline('ml-platform', { name: 'ml-platform', residency: Residency.EU });
const fraud = new CanaryEndpoint('fraud', { ...FRAUD_ENDPOINT, namespace: 'ml-platform', residency: Residency.EU }, { dependsOn: [namespace] });
const fraudScoring = new BatchScoringPipeline('fraud-scoring', { ...FRAUD_SCORING, namespace: 'ml-platform', residency: Residency.EU }, { dependsOn: [namespace] });

/** The bills of materials of what this program deploys. */
export const sbom = namespace.sbom;
export const fraudSbom = fraud.sbom;
export const fraudScoringSbom = fraudScoring.sbom;
