import { CanaryEndpoint as K8sCanaryEndpoint, type CanaryEndpointProps } from './k8s';
import { KubernetesComponent, type KubernetesComponentOptions, type KubernetesPlacementArgs, withoutPlacement } from '../../lib/pulumi';

export type { CanaryTrafficRouting, ServerMetricNames } from './k8s';

/** Args for the Pulumi `CanaryEndpoint`: the Kubernetes flavor's props, plus where the objects go. */
export interface CanaryEndpointArgs extends CanaryEndpointProps, KubernetesPlacementArgs {}

/**
 * The Pulumi flavor of `CanaryEndpoint` (type `ml-platform:serving:CanaryEndpoint`): renders the cdk8s
 * construct and registers exactly its objects (Rollout, AnalysisTemplate, Services, HPA, PDB, NetworkPolicy,
 * ServiceAccount, ServiceMonitor) as children.
 */
export class CanaryEndpoint extends KubernetesComponent {
  /** The name of the Rollout and the callers' Service. */
  public readonly endpointName: string;

  public constructor(name: string, args: CanaryEndpointArgs, opts?: KubernetesComponentOptions) {
    let endpointName = '';
    super('ml-platform:serving:CanaryEndpoint', name, args, (chart) => {
      const props = withoutPlacement(args);
      endpointName = new K8sCanaryEndpoint(chart, 'Resource', { ...props, name: props.name ?? name }).name;
    }, opts);
    this.endpointName = endpointName;
    this.finish({ endpointName });
  }
}
