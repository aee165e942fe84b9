import type * as pulumi from '@pulumi/pulumi';
import { ApiObject, type Chart } from 'cdk8s';
import type { IConstruct } from 'constructs';

/**
 * What a Pulumi `MlPlatform` offers the components given it as `platform`: the private cdk8s chart its Kubernetes
 * flavor lives in, so that a component's construct is built below it and finds its namespace, residency, owner,
 * Prometheus, catalog and dashboard as on cdk8s.
 */
export interface KubernetesPlatformHost {
  /** The chart holding the platform's Kubernetes flavor. */
  readonly hostChart: Chart;
  /** The platform's Kubernetes flavor: components build their constructs below it. */
  readonly hostScope: IConstruct;
  /** The platform's namespace: every component's objects go there. */
  readonly namespace: string;
  /** The Pulumi resources of the namespace baseline, which every component's objects depend on. */
  readonly baselineResources: pulumi.Resource;
}

/**
 * The Kubernetes objects below `scope` (a construct, not a whole chart), as plain JSON, in the chart's order. The chart
 * is rendered first: cdk8s runs the validations (which apply residency and other settings read at synthesis) then.
 */
export function objectsBelow(chart: Chart, scope: IConstruct): Record<string, any>[] {
  chart.toJson();
  const below = new Set(scope.node.findAll().filter((node): node is ApiObject => node instanceof ApiObject));
  return chart.node.findAll().filter((node): node is ApiObject => node instanceof ApiObject && below.has(node)).map((object) => object.toJson());
}
