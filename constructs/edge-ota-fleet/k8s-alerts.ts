import type { IPrometheusRule } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PrometheusRule';
import { fleetApplications } from './dashboard-row';
import { EDGE_RUNBOOK } from './platform-entries';
import { prometheusRule } from '../../lib/k8s/prometheus-rule';

/** The alert names of the Kubernetes `EdgeOtaFleet`. */
export const EDGE_ALERTS = { applicationDegraded: 'EdgeFleetApplicationDegraded' } as const;

// Five minutes: Degraded past one more refresh of the Application (Argo CD's default `timeout.reconciliation`, 180 s)
// and a scrape, not a state seen once while a Rollout's abort settles.
const DEGRADED_FOR = '5m';

/** What the fleet's `PrometheusRule` is built from. */
export interface EdgeAlertRuleOptions {
  /** The ApplicationSet's name; its Applications are `<name>-<cluster>`. */
  readonly applicationSet: string;
  /** The Argo CD namespace the ApplicationSet and its Applications live in. */
  readonly argoCdNamespace: string;
  /** The canary cluster's Application: its sync history holds the revisions the fleet ran. */
  readonly canaryApplication: string;
  /**
   * The revision to pin back to.
   * @default - the runbook lists the canary Application's revisions to choose from
   */
  readonly lastKnownGoodRevision?: string;
  /** The labels of the rule object. */
  readonly labels: Record<string, string>;
  /** The labels the Prometheus selects rules by. */
  readonly selectorLabels: Record<string, string>;
  /**
   * The owner's labels and annotations of each alert, by its runbook below the owner's runbook base.
   * @default - none (outside a platform)
   */
  readonly ownership?: (runbook: string) => { readonly labels: Record<string, string>; readonly annotations: Record<string, string> };
}

/** The command that pins the ApplicationSet's revision back, with `revision` in place. */
export function revertCommand(options: Pick<EdgeAlertRuleOptions, 'applicationSet' | 'argoCdNamespace'>, revision: string): string {
  return `kubectl -n ${options.argoCdNamespace} patch applicationset ${options.applicationSet} --type json `
    + `-p '[{"op":"replace","path":"/spec/template/spec/source/targetRevision","value":"${revision}"}]'`;
}

/**
 * The fleet-level revert page. `EdgeFleetApplicationDegraded` fires, one alert per Application, while an Application
 * of the fleet has been Degraded for 5 minutes (`argocd_app_info{health_status="Degraded"}`, Argo CD's application
 * controller metrics): its cluster's Rollout has reverted itself and RollingSync has halted, but clusters synced in
 * earlier steps still run the new revision. The annotations give the exact revert: pin the ApplicationSet's
 * `targetRevision` back (RollingSync then rolls the old revision out through the same steps), and the same change in
 * the app's code, or the next apply restores the bad revision. `max by` keeps one alert per Application when several
 * controller replicas report it.
 */
export function edgeAlertRule(options: EdgeAlertRuleOptions): IPrometheusRule {
  const owner = options.ownership?.(`${EDGE_RUNBOOK}/application-degraded`) ?? { labels: {}, annotations: {} };
  const degraded = fleetApplications(options.argoCdNamespace, options.applicationSet, ', health_status="Degraded"');
  const revert = options.lastKnownGoodRevision === undefined
    ? `Find the last known-good commit among the revisions the canary ran (oldest first): kubectl -n ${options.argoCdNamespace} get application `
      + `${options.canaryApplication} -o jsonpath='{.status.history[*].revision}'. Then pin it: ${revertCommand(options, '<last known-good commit>')}`
    : `Pin the last known-good commit: ${revertCommand(options, options.lastKnownGoodRevision)}`;
  return prometheusRule({ name: options.applicationSet, labels: options.labels, selectorLabels: options.selectorLabels }, [{
    alert: EDGE_ALERTS.applicationDegraded,
    expr: `max by (name, dest_server) (${degraded}) == 1`,
    for: DEGRADED_FOR,
    labels: { severity: 'page', ...owner.labels },
    annotations: {
      summary: `{{ $labels.name }} of the edge fleet ${options.applicationSet} is Degraded: RollingSync has halted, and clusters synced before it still run the new revision.`,
      description: `${revert}. RollingSync then rolls that revision out through the same steps. Set source.targetRevision to it in the app too, `
              + 'or the next apply restores the bad revision.',
      ...owner.annotations,
    },
  }]);
}
