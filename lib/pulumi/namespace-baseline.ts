import type { Residency } from '../core';
import { applyResidency, NamespaceBaseline as K8sNamespaceBaseline, type NamespaceBaselineProps } from '../k8s';
import { KubernetesComponent, type KubernetesComponentOptions } from './chart-bridge';

/** Args for the Pulumi `NamespaceBaseline`. */
export interface NamespaceBaselineArgs extends NamespaceBaselineProps {
  /**
   * The residency policy the namespace records.
   * @default - none
   */
  readonly residency?: Residency;
}

/** The Pulumi flavor of `NamespaceBaseline` (type `ml-platform:k8s:NamespaceBaseline`): the same objects as cdk8s. */
export class NamespaceBaseline extends KubernetesComponent {
  public constructor(name: string, args: NamespaceBaselineArgs, opts?: KubernetesComponentOptions) {
    super('ml-platform:k8s:NamespaceBaseline', name, (chart) => {
      if (args.residency) {
        applyResidency(chart, args.residency);
      }
      new K8sNamespaceBaseline(chart, 'Namespace', args);
    }, opts);
    this.finish();
  }
}
