import type { App } from 'cdk8s';
import { PlatformChart } from './platform-chart';
import { applyResidency, Residency } from '../../constructs/k8s';

/** Defines the example Kubernetes ML platform in a cdk8s app. */
export function definePlatform(app: App): PlatformChart {
  // Pods are pinned to nodes in EU member-state regions (label topology.kubernetes.io/region).
  applyResidency(app, Residency.EU);
  return new PlatformChart(app, 'ml-platform');
}
