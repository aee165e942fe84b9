import { App, Chart } from 'cdk8s';
import { BatchScoringPipeline, CanaryEndpoint } from '../../constructs/k8s';
import { AWS_API_EGRESS } from '../../lib/k8s/aws-api-egress';
import { IMAGE, MODEL } from '../support/canary-fixtures';

/** The egress rules of every NetworkPolicy the two workload constructs emit, as `cidr:port`. */
function egressByPolicy(): Record<string, string[]> {
  const chart = new Chart(new App({ outdir: 'unused' }), 'ml', { namespace: 'ml' });
  new CanaryEndpoint(chart, 'Fraud', { name: 'fraud', model: MODEL, image: IMAGE });
  new BatchScoringPipeline(chart, 'FraudScoring', {
    name: 'fraud-scoring',
    model: MODEL,
    image: IMAGE,
    schedule: { cron: '0 2 * * *' },
    inputUri: 's3://fraud-data-eu/transactions/',
    outputUri: 's3://fraud-data-eu/scores/',
  });
  return Object.fromEntries(chart.toJson().filter((o) => o.kind === 'NetworkPolicy').map((policy) => [
    policy.metadata.name,
    policy.spec.egress.flatMap((rule: any) => rule.to.flatMap((peer: any) => rule.ports.map((port: any) => `${peer.ipBlock.cidr}:${port.protocol}/${port.port}`))),
  ]));
}

describe('egress to AWS from Kubernetes pods', () => {
  test('GIVEN the table THEN it names IRSA\'s HTTPS on both IP families and the EKS Pod Identity Agent\'s two addresses on TCP 80, each with its page', () => {
    expect(AWS_API_EGRESS.map((rule) => `${rule.cidr}:${rule.port}`)).toEqual(['0.0.0.0/0:443', '::/0:443', '169.254.170.23/32:80', 'fd00:ec2::23/128:80']);
    expect(AWS_API_EGRESS.filter((rule) => rule.port === 80).map((rule) => rule.source)).toEqual(
      Array(2).fill('https://docs.aws.amazon.com/eks/latest/userguide/pod-id-agent-setup.html'),
    );
  });

  test('GIVEN the endpoint and the pipeline THEN each NetworkPolicy lets pods out to exactly the table\'s destinations', () => {
    const expected = AWS_API_EGRESS.map((rule) => `${rule.cidr}:TCP/${rule.port}`);
    expect(egressByPolicy()).toEqual({ 'fraud': expected, 'fraud-scoring': expected });
  });
});
