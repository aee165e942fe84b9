import { CanaryEndpoint as K8sCanaryEndpoint, type CanaryEndpointProps } from './k8s';
import { MAX_CANARY_NAME_LENGTH } from './k8s-props';
import { KubernetesComponent, type KubernetesComponentOptions, type KubernetesPlacementArgs, objectNameFor, withoutPlacement } from '../../lib/pulumi';

export type { CanaryTrafficRouting, ServerMetricNames } from './k8s';

/** Args for the Pulumi `CanaryEndpoint`: the Kubernetes flavor's props, plus where the objects go. */
export interface CanaryEndpointArgs extends CanaryEndpointProps, KubernetesPlacementArgs {}

/**
 * The Pulumi flavor of `CanaryEndpoint` (type `ml-platform:serving:CanaryEndpoint`): renders the cdk8s
 * construct and registers exactly its objects (Rollout, AnalysisTemplate, Services, HPA, PDB, NetworkPolicy,
 * ServiceAccount, ServiceMonitor) as children.
 */
export class CanaryEndpoint extends KubernetesComponent {
  /** The Kubernetes name of the Rollout and the callers' Service (`args.name`, else the component's name). */
  public readonly name: string;

  public constructor(name: string, args: CanaryEndpointArgs, opts?: KubernetesComponentOptions) {
    let objectName = '';
    super('ml-platform:serving:CanaryEndpoint', name, args, (chart) => {
      const props = withoutPlacement(args);
      objectName = new K8sCanaryEndpoint(chart, 'Resource', { ...props, name: props.name ?? objectNameFor(name, MAX_CANARY_NAME_LENGTH) }).name;
    }, opts);
    this.name = objectName;
    this.finish({ name: objectName });
  }
}
