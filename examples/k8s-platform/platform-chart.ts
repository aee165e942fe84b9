import { Chart } from 'cdk8s';
import type { Construct } from 'constructs';
import { NamespaceBaseline } from '../../constructs/k8s';

/** The example Kubernetes ML platform: a namespace that enforces PSS `restricted` and denies traffic by default. */
export class PlatformChart extends Chart {
  public readonly baseline: NamespaceBaseline;

  public constructor(scope: Construct, id: string) {
    super(scope, id, { namespace: 'ml-platform' });
    this.baseline = new NamespaceBaseline(this, 'Namespace', { name: 'ml-platform' });
  }
}
