import type { App } from 'cdk8s';
import { PlatformChart } from './platform-chart';

/** Defines the example Kubernetes ML platform in a cdk8s app (residency is set on its `MlPlatform`). */
export function definePlatform(app: App): PlatformChart {
  return new PlatformChart(app, 'ml-platform');
}
