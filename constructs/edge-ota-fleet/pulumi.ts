import { EdgeOtaFleet as K8sEdgeOtaFleet, type EdgeOtaFleetProps } from './k8s';
import { KubernetesComponent, type KubernetesComponentOptions, type KubernetesPlacementArgs, objectNameFor, withoutPlacement } from '../../lib/pulumi';

export type { EdgeApplicationSource, EdgeCluster } from './k8s';

/** Args for the Pulumi `EdgeOtaFleet`: the Kubernetes flavor's props, plus where the objects go. */
export interface EdgeOtaFleetArgs extends EdgeOtaFleetProps, KubernetesPlacementArgs {}

/**
 * The Pulumi flavor of `EdgeOtaFleet` (type `ml-platform:edge:EdgeOtaFleet`): renders the cdk8s construct and
 * registers exactly its objects (the Argo CD ApplicationSet) as children.
 */
export class EdgeOtaFleet extends KubernetesComponent {
  public constructor(name: string, args: EdgeOtaFleetArgs, opts?: KubernetesComponentOptions) {
    super('ml-platform:edge:EdgeOtaFleet', name, args, (chart) => {
      const props = withoutPlacement(args);
      // An ApplicationSet name leaves room for "-<cluster>" in the Applications' names (253 characters).
      new K8sEdgeOtaFleet(chart, 'Resource', { ...props, name: props.name ?? objectNameFor(name, 53) });
    }, opts);
    this.finish({});
  }
}
