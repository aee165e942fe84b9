import { Lazy } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import type { IConstruct } from 'constructs';
import { AppSbom } from './app-sbom';
import { Residency } from '../core';

/** The well-known node label holding a node's region. */
export const REGION_LABEL = 'topology.kubernetes.io/region';

/**
 * Sets a data-residency policy on a cdk8s scope (an app or a chart). Pods that constructs of this library
 * create below it get required node affinity on `topology.kubernetes.io/region` for the allowed regions, and the
 * SBOM records the policy. The policy is read at synthesis, so it applies whether it is set before or after the
 * constructs are created, as on AWS.
 */
export function applyResidency(scope: IConstruct, policy: Residency): void {
  policy.applyTo(scope);
}

// Workloads whose pods are already pinned, so a second synthesis does not add the affinity twice.
const pinned = new WeakSet<IConstruct>();

/**
 * Requires a workload's pods to run on nodes in the regions of the residency policy in force at synthesis.
 * cdk8s validates every construct before it renders any object; the policy is read then.
 */
export function pinToResidency(workload: kplus.Workload | kplus.Pod): void {
  workload.node.addValidation({
    validate: () => {
      const policy = policyAtSynthesis(workload);
      if (policy && !pinned.has(workload)) {
        pinned.add(workload);
        workload.scheduling.attract(kplus.Node.labeled(kplus.NodeLabelQuery.in(REGION_LABEL, [...policy.allowedRegions])));
      }
      return [];
    },
  });
}

/**
 * The same affinity as plain Kubernetes JSON, for pod templates that cdk8s-plus does not build (e.g. Rollouts):
 * a value resolved when the object is rendered, so the policy in force at synthesis applies; it renders as nothing
 * without a policy.
 */
export function residencyAffinity(scope: IConstruct): unknown {
  return Lazy.any({
    produce: () => {
      const policy = policyAtSynthesis(scope);
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
    },
  });
}

/** The policy in force at `scope`, recorded in the app's SBOM. */
function policyAtSynthesis(scope: IConstruct): Residency | undefined {
  const policy = Residency.of(scope);
  if (policy) {
    AppSbom.of(scope).recordResidency(policy.name);
  }
  return policy;
}
