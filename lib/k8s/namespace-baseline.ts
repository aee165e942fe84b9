import { ApiObject, Chart, JsonPatch } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { RESIDENCY_TAG, Residency } from '../core';

/** Props for `NamespaceBaseline`. */
export interface NamespaceBaselineProps {
  /** The namespace's name. */
  readonly name: string;
  /**
   * Whether pods may resolve names through cluster DNS (kube-system, port 53) despite default-deny egress.
   * @default true - almost every workload needs DNS, and denying it fails in confusing ways
   */
  readonly allowDns?: boolean;
}

/**
 * A namespace for ML workloads: Pod Security Standards `restricted` enforced by the admission controller,
 * default-deny ingress and egress, and the residency label when a policy is in force.
 */
export class NamespaceBaseline extends Construct {
  /** The namespace. */
  public readonly namespace: kplus.Namespace;
  /** The policy that denies all traffic not allowed by another policy. */
  public readonly defaultDeny: kplus.NetworkPolicy;

  public constructor(scope: Construct, id: string, props: NamespaceBaselineProps) {
    super(scope, id);
    const residency = Residency.of(this);
    this.namespace = new kplus.Namespace(this, 'Resource', {
      metadata: {
        name: props.name,
        labels: {
          // Pod Security Admission: reject, audit and warn on anything below `restricted`.
          'pod-security.kubernetes.io/enforce': 'restricted',
          'pod-security.kubernetes.io/audit': 'restricted',
          'pod-security.kubernetes.io/warn': 'restricted',
          ...(residency ? { [RESIDENCY_TAG]: residency.name } : {}),
        },
      },
    });
    if (Chart.of(this).namespace) {
      // A Namespace is cluster-scoped: the chart's default namespace must not be stamped on it.
      ApiObject.of(this.namespace).addJsonPatch(JsonPatch.remove('/metadata/namespace'));
    }
    this.defaultDeny = new kplus.NetworkPolicy(this, 'DefaultDeny', {
      metadata: { namespace: props.name },
      selector: kplus.Pods.all(this, 'AllPods', { namespaces: kplus.Namespaces.select(this, 'Self', { names: [props.name] }) }),
      ingress: { default: kplus.NetworkPolicyTrafficDefault.DENY },
      egress: { default: kplus.NetworkPolicyTrafficDefault.DENY },
    });
    if (props.allowDns ?? true) {
      this.defaultDeny.addEgressRule(
        kplus.Pods.all(this, 'ClusterDns', { namespaces: kplus.Namespaces.select(this, 'KubeSystem', { names: ['kube-system'] }) }),
        [kplus.NetworkPolicyPort.udp(53), kplus.NetworkPolicyPort.tcp(53)],
      );
    }
  }
}
