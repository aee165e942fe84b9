import { NamespaceBaseline as K8sNamespaceBaseline, type NamespaceBaselineProps } from '../k8s';
import { KubernetesComponent, type KubernetesComponentOptions, type KubernetesPlacementArgs } from './chart-bridge';

/** Args for the Pulumi `NamespaceBaseline` (a namespace is cluster-scoped: `residency` labels it, no `namespace` applies). */
export interface NamespaceBaselineArgs extends NamespaceBaselineProps, Pick<KubernetesPlacementArgs, 'residency'> {}

/** The Pulumi flavor of `NamespaceBaseline` (type `ml-platform:k8s:NamespaceBaseline`): the same objects as cdk8s. */
export class NamespaceBaseline extends KubernetesComponent {
  public constructor(name: string, args: NamespaceBaselineArgs, opts?: KubernetesComponentOptions) {
    super('ml-platform:k8s:NamespaceBaseline', name, { residency: args.residency }, (chart) => {
      new K8sNamespaceBaseline(chart, 'Namespace', { name: args.name, allowDns: args.allowDns });
    }, opts);
    this.finish();
  }
}
