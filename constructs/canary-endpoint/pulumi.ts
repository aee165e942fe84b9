import { CanaryEndpoint as K8sCanaryEndpoint, type CanaryEndpointProps } from './k8s';
import type { Residency } from '../../lib/core';
import { applyResidency } from '../../lib/k8s';
import { KubernetesComponent, type KubernetesComponentOptions } from '../../lib/pulumi';

export type { CanaryTrafficRouting, ServerMetricNames } from './k8s';

/** Args for the Pulumi `CanaryEndpoint`: the Kubernetes flavor's props, plus where the objects go. */
export interface CanaryEndpointArgs extends CanaryEndpointProps {
  /**
   * The namespace of every object.
   * @default - the provider's default namespace
   */
  readonly namespace?: string;
  /**
   * The residency policy the pods are pinned to.
   * @default - none
   */
  readonly residency?: Residency;
}

/**
 * The Pulumi flavor of `CanaryEndpoint` (type `ml-platform:serving:CanaryEndpoint`): renders the cdk8s
 * construct and registers exactly its objects (Rollout, AnalysisTemplate, Services, HPA, PDB, NetworkPolicy,
 * ServiceAccount, ServiceMonitor) as children.
 */
export class CanaryEndpoint extends KubernetesComponent {
  /** The name of the Rollout and the stable Service. */
  public readonly endpointName: string;

  public constructor(name: string, args: CanaryEndpointArgs, opts?: KubernetesComponentOptions) {
    let endpointName = '';
    super('ml-platform:serving:CanaryEndpoint', name, (chart) => {
      if (args.residency) {
        applyResidency(chart, args.residency);
      }
      const { namespace: _namespace, residency: _residency, ...props } = args;
      endpointName = new K8sCanaryEndpoint(chart, 'Resource', { ...props, name: props.name ?? name }).name;
    }, opts, { namespace: args.namespace });
    this.endpointName = endpointName;
    this.finish({ endpointName });
  }
}
