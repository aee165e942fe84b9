import * as kplus from 'cdk8s-plus-28';
import type { Construct } from 'constructs';

/** One egress the monitor's pod needs, with the documentation that requires it. */
export interface DriftEgressRule {
  /** What the pod reaches this way. */
  readonly purpose: string;
  /** The TCP ports. */
  readonly ports: number[];
  /** The page that documents the address and port. */
  readonly source: string;
}

/**
 * The Kubernetes API from a pod: the `kubernetes` Service's ClusterIP, which NetworkPolicies see after translation to
 * the API servers' own addresses and ports. Those are outside the cluster's pod network and differ by distribution
 * (EKS: 443; kubeadm and most others: 6443), so both ports to any address.
 */
export const KUBERNETES_API_EGRESS: DriftEgressRule = {
  purpose: 'the Kubernetes API (creating and annotating the retraining Job)',
  ports: [443, 6443],
  source: 'https://kubernetes.io/docs/tasks/run-application/access-api-from-pod/',
};

// A Service's in-cluster DNS name: <service>.<namespace>.svc[.<cluster domain>] (Kubernetes "DNS for Services and Pods").
const SERVICE_HOST = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?\.([a-z0-9]([-a-z0-9]*[a-z0-9])?)\.svc(\.[a-z0-9.-]+)?$/;

/** The TCP port of an http(s) URL: its own, else the scheme's. */
export function urlPort(url: string): number {
  const parsed = new URL(url);
  return parsed.port !== '' ? Number(parsed.port) : parsed.protocol === 'https:' ? 443 : 80;
}

/**
 * Lets the pods a policy selects reach the host of `url` on its port: the pods of the Service's namespace for an
 * in-cluster Service name (the policy is evaluated on the pod's port after the Service's translation, so the Service
 * must forward to the same port), any address otherwise.
 */
export function allowEgressToUrl(scope: Construct, policy: kplus.NetworkPolicy, id: string, url: string): void {
  const port = kplus.NetworkPolicyPort.tcp(urlPort(url));
  const service = SERVICE_HOST.exec(new URL(url).hostname);
  if (service) {
    policy.addEgressRule(kplus.Pods.all(scope, `${id}Pods`, { namespaces: kplus.Namespaces.select(scope, `${id}Namespace`, { names: [service[2]] }) }), [port]);
    return;
  }
  policy.addEgressRule(kplus.NetworkPolicyIpBlock.ipv4(scope, `${id}Ipv4`, '0.0.0.0/0'), [port]);
  policy.addEgressRule(kplus.NetworkPolicyIpBlock.ipv6(scope, `${id}Ipv6`, '::/0'), [port]);
}

/** Lets the pods a policy selects reach the Kubernetes API (`KUBERNETES_API_EGRESS`). */
export function allowKubernetesApiEgress(scope: Construct, policy: kplus.NetworkPolicy): void {
  const ports = KUBERNETES_API_EGRESS.ports.map((port) => kplus.NetworkPolicyPort.tcp(port));
  policy.addEgressRule(kplus.NetworkPolicyIpBlock.ipv4(scope, 'KubernetesApiIpv4', '0.0.0.0/0'), ports);
  policy.addEgressRule(kplus.NetworkPolicyIpBlock.ipv6(scope, 'KubernetesApiIpv6', '::/0'), ports);
}
