// A Pulumi program (run with `pulumi up` in this folder's parent project): the Kubernetes ML platform
// through @pulumi/kubernetes. It creates exactly the objects `npm run synth:k8s` writes.
import { NamespaceBaseline, Residency } from '../../constructs/pulumi';

const namespace = new NamespaceBaseline('ml-platform', { name: 'ml-platform', residency: Residency.EU });

/** The bill of materials of what this program deploys. */
export const sbom = namespace.sbom;
