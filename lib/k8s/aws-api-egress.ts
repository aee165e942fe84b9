import * as kplus from 'cdk8s-plus-28';
import type { Construct } from 'constructs';

/** One egress a pod needs to reach AWS, with the documentation that requires it. */
export interface AwsEgressRule {
  /** What the pod reaches this way. */
  readonly purpose: string;
  /** The destination, as a CIDR. */
  readonly cidr: string;
  /** The TCP port. */
  readonly port: number;
  /** The page that documents the address and port. */
  readonly source: string;
}

/**
 * What a pod needs to reach AWS APIs and get credentials on EKS, by either mechanism the cluster offers:
 * IAM roles for service accounts (the SDK calls STS `AssumeRoleWithWebIdentity` over HTTPS, like every other
 * AWS API) and EKS Pod Identity (the SDK asks the node's Pod Identity Agent, over plain HTTP on port 80, at
 * `AWS_CONTAINER_CREDENTIALS_FULL_URI`). IPv6 clusters give pods IPv6 addresses only, so both families.
 */
export const AWS_API_EGRESS: readonly AwsEgressRule[] = [
  { purpose: 'AWS APIs and STS (IRSA) over HTTPS', cidr: '0.0.0.0/0', port: 443, source: 'https://docs.aws.amazon.com/eks/latest/userguide/iam-roles-for-service-accounts.html' },
  { purpose: 'AWS APIs and STS (IRSA) over HTTPS, IPv6 clusters', cidr: '::/0', port: 443, source: 'https://docs.aws.amazon.com/eks/latest/userguide/cni-ipv6.html' },
  { purpose: 'EKS Pod Identity Agent, IPv4', cidr: '169.254.170.23/32', port: 80, source: 'https://docs.aws.amazon.com/eks/latest/userguide/pod-id-agent-setup.html' },
  { purpose: 'EKS Pod Identity Agent, IPv6', cidr: 'fd00:ec2::23/128', port: 80, source: 'https://docs.aws.amazon.com/eks/latest/userguide/pod-id-agent-setup.html' },
];

/** Lets the pods a NetworkPolicy selects reach AWS APIs and their credentials (`AWS_API_EGRESS`), and nothing else. */
export function allowAwsApiEgress(scope: Construct, policy: kplus.NetworkPolicy): void {
  AWS_API_EGRESS.forEach((rule, index) => {
    const peer = rule.cidr.includes(':')
      ? kplus.NetworkPolicyIpBlock.ipv6(scope, `AwsApiEgress${index}`, rule.cidr)
      : kplus.NetworkPolicyIpBlock.ipv4(scope, `AwsApiEgress${index}`, rule.cidr);
    policy.addEgressRule(peer, [kplus.NetworkPolicyPort.tcp(rule.port)]);
  });
}
