import * as kplus from 'cdk8s-plus-28';
import { pinToResidency } from './residency';

/** Pod-level props every workload of this library starts from. */
export function hardenedPodProps(): Pick<kplus.AbstractPodProps, 'automountServiceAccountToken' | 'securityContext' | 'isolate'> {
  return {
    // Model servers and jobs do not call the Kubernetes API; a mounted token would only be a credential to steal.
    automountServiceAccountToken: false,
    securityContext: { ensureNonRoot: true, fsGroupChangePolicy: kplus.FsGroupChangePolicy.ON_ROOT_MISMATCH },
    // Default-deny: a NetworkPolicy selects every pod, and only what a construct allows reaches it.
    isolate: true,
  };
}

/**
 * Applies the scheduling defaults to a workload: pods pinned to the residency policy's regions and, for
 * replicated workloads, spread across zones (preferred) so one zone's outage does not take every replica.
 */
export function hardenWorkload(workload: kplus.Workload): void {
  pinToResidency(workload);
  if (workload instanceof kplus.Deployment || workload instanceof kplus.StatefulSet) {
    // Preferred, not required: a required spread leaves replicas beyond the zone count unschedulable.
    workload.scheduling.spread({ topology: kplus.Topology.ZONE, weight: 100 });
  }
}
