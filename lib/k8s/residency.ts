import * as kplus from 'cdk8s-plus-28';
import type { IConstruct } from 'constructs';
import { Residency } from '../core';

/** The well-known node label holding a node's region. */
export const REGION_LABEL = 'topology.kubernetes.io/region';

/**
 * Sets a data-residency policy on a cdk8s scope (an app or a chart). Pods that constructs of this library
 * create below it get required node affinity on `topology.kubernetes.io/region` for the allowed regions.
 */
export function applyResidency(scope: IConstruct, policy: Residency): void {
  policy.applyTo(scope);
}

/** Requires a workload's pods to run on nodes in the residency policy's regions, when one is in force. */
export function pinToResidency(workload: kplus.AbstractPod & { readonly scheduling: kplus.PodScheduling }): void {
  const policy = Residency.of(workload);
  if (policy) {
    workload.scheduling.attract(kplus.Node.labeled(kplus.NodeLabelQuery.in(REGION_LABEL, [...policy.allowedRegions])));
  }
}

/** The same affinity as plain Kubernetes JSON, for pod templates that cdk8s-plus does not build (e.g. Rollouts). */
export function residencyAffinity(scope: IConstruct): Record<string, unknown> | undefined {
  const policy = Residency.of(scope);
  if (!policy) {
    return undefined;
  }
  return {
    nodeAffinity: {
      requiredDuringSchedulingIgnoredDuringExecution: {
        nodeSelectorTerms: [{ matchExpressions: [{ key: REGION_LABEL, operator: 'In', values: [...policy.allowedRegions] }] }],
      },
    },
  };
}
