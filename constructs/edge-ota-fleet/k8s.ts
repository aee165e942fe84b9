import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { edgeDashboardRow } from './dashboard-row';
import { edgeAlertRule } from './k8s-alerts';
import { type EdgeOtaFleetPlan, type EdgeOtaFleetPlanProps, planEdgeOtaFleet } from './plan';
import { addEdgeFleetToCatalog } from './platform-entries';
import { NAME_RULES, propFailure } from '../../lib/core';
import { alertOwnership, derivedObjectName, KubernetesPropChecks, PlatformServices, prometheusSelectorLabels } from '../../lib/k8s';

/** An edge cluster as Argo CD knows it: its cluster secret's name and labels. */
export interface EdgeCluster {
  /** The cluster's name in Argo CD. */
  readonly name: string;
  /**
   * The labels of its cluster secret.
   * @default - none
   */
  readonly labels?: Readonly<Record<string, string>>;
}

/** Where the generated Applications take the manifests each cluster runs (a chart with a `CanaryEndpoint`). */
export interface EdgeApplicationSource {
  /** The Git repository. */
  readonly repoURL: string;
  /** The path of the manifests in it, e.g. the cdk8s output of a chart holding `k8s.CanaryEndpoint`. */
  readonly path: string;
  /** The revision to roll out: a commit SHA pins it (and is what a fleet-level revert pins back). */
  readonly targetRevision: string;
  /**
   * The revision the fleet ran before `targetRevision` (a commit SHA): the Degraded alert's runbook gives the command
   * that pins the ApplicationSet back to it.
   * @default - the alert's runbook gives the command that lists the revisions the canary cluster ran
   */
  readonly lastKnownGoodRevision?: string;
}

/** Props of the Kubernetes `EdgeOtaFleet`: clusters instead of thing groups. */
export interface EdgeOtaFleetProps extends Omit<EdgeOtaFleetPlanProps, 'targets'> {
  /** The clusters in rollout order; the canary group comes first. */
  readonly clusters: readonly EdgeCluster[];
  /** What each cluster runs. */
  readonly source: EdgeApplicationSource;
  /**
   * The cluster secret labels the ApplicationSet's cluster generator selects; every cluster given must carry them.
   * @default { 'ml-platform/fleet': <name> }
   */
  readonly clusterSelector?: Readonly<Record<string, string>>;
  /**
   * The namespace on each cluster the model runs in.
   * @default "ml-serving"
   */
  readonly destinationNamespace?: string;
  /**
   * The Argo CD namespace the ApplicationSet lives in.
   * @default "argocd"
   */
  readonly argoCdNamespace?: string;
  /**
   * The Argo CD project of the generated Applications.
   * @default "default"
   */
  readonly project?: string;
  /**
   * The ApplicationSet's name.
   * @default - derived from the construct path
   */
  readonly name?: string;
  /**
   * The labels your Prometheus selects PrometheusRules by (its `ruleSelector`); set on the fleet's PrometheusRule.
   * An empty object for a Prometheus that selects every rule.
   * @default - the platform's under an `MlPlatform`; otherwise { release: "kube-prometheus-stack" }
   */
  readonly prometheusSelectorLabels?: Record<string, string>;
}

/** The label each generated Application carries: its cluster's name, which the RollingSync steps select. */
export const CLUSTER_LABEL = 'ml-platform/cluster';
const FLEET_LABEL = 'ml-platform/fleet';

/** A RollingSync step: the Applications whose labels match its expressions, at most `maxUpdate` syncing at once. */
export interface RollingSyncStep {
  readonly matchExpressions: ReadonlyArray<{ readonly key: string; readonly operator: 'In' | 'NotIn'; readonly values: readonly string[] }>;
  readonly maxUpdate?: number;
}

/**
 * The RollingSync steps of the plan's waves, then one step for clusters that join the fleet later (they carry the
 * fleet's labels but were not given): an Application that matches no step is never synced by RollingSync
 * (https://argo-cd.readthedocs.io/en/stable/operator-manual/applicationset/Progressive-Syncs/). At most
 * `rollout.baseRatePerMinute` clusters of a step sync at once.
 */
export function rollingSyncSteps(plan: EdgeOtaFleetPlan): RollingSyncStep[] {
  const all = plan.waves.flatMap((wave) => wave.targets);
  return [
    ...plan.waves.map((wave) => ({
      matchExpressions: [{ key: CLUSTER_LABEL, operator: 'In' as const, values: [...wave.targets] }],
      maxUpdate: Math.min(wave.targets.length, plan.rollout.baseRatePerMinute),
    })),
    { matchExpressions: [{ key: CLUSTER_LABEL, operator: 'NotIn' as const, values: all }], maxUpdate: 1 },
  ];
}

/** How many steps select an Application with these labels (Kubernetes label selector semantics for In and NotIn). */
export function stepsSelecting(steps: readonly RollingSyncStep[], labels: Readonly<Record<string, string>>): number {
  return steps.filter((step) => step.matchExpressions.every((expression) => {
    const value = labels[expression.key];
    return expression.operator === 'In' ? value !== undefined && expression.values.includes(value) : value === undefined || !expression.values.includes(value);
  })).length;
}

/**
 * A model rolled out to edge clusters by an Argo CD ApplicationSet with RollingSync: one step per wave, each cluster
 * in exactly one step (checked at synthesis). Inside each cluster the model is served by a metric-gated Rollout
 * (`CanaryEndpoint` in the Application's manifests): a bad version aborts there, the Application turns Degraded and
 * RollingSync does not start the next step. The fleet-level revert pins `source.targetRevision` back to the last
 * known-good commit: RollingSync then rolls that revision out through the same steps.
 */
export class EdgeOtaFleet extends Construct {
  /** The resolved plan. */
  public readonly plan: EdgeOtaFleetPlan;
  /** The ApplicationSet's name; its Applications are `<name>-<cluster>`. */
  public readonly name: string;
  /** The ApplicationSet. */
  public readonly applicationSet: ApiObject;
  /** The `PrometheusRule` that pages the owner with the revert command when an Application of the fleet is Degraded. */
  public readonly alertRule: ApiObject;
  private readonly argoCdNamespace: string;

  public constructor(scope: Construct, id: string, props: EdgeOtaFleetProps) {
    super(scope, id);
    const checks = new KubernetesPropChecks(this);
    const clusters = checks.array('clusters', props.clusters, (entry, prop) => {
      const cluster = checks.object(prop, entry) as unknown as EdgeCluster;
      const labels = cluster.labels === undefined ? {} : checks.stringRecord(`${prop}.labels`, cluster.labels, {
        namePattern: /^([a-z0-9]([-a-z0-9.]*[a-z0-9])?\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/, names: 'Kubernetes label keys', maxValueLength: 63,
      });
      // The name becomes a label value of its Application and part of the Application's name.
      const clusterName = checks.string(`${prop}.name`, cluster.name, {
        pattern: NAME_RULES.dns1123Label.pattern,
        maxLength: 63,
        allowed: 'an RFC 1123 label (it becomes a label value and part of an Application name)',
        fix: 'use the cluster\'s name in Argo CD, e.g. "store-001"',
        deployTime: 'the RollingSync steps are computed from it',
      });
      return { name: clusterName, labels };
    });
    this.plan = planEdgeOtaFleet(this, {
      model: props.model,
      canary: props.canary,
      waves: props.waves,
      bakeMinutes: props.bakeMinutes,
      healthGate: props.healthGate,
      rollout: props.rollout,
      targets: clusters.map((cluster) => cluster.name),
    });
    const name = props.name === undefined ? derivedObjectName(this, 53)
      : checks.string('name', props.name, { pattern: NAME_RULES.dns1123Label.pattern, maxLength: 53, allowed: 'an RFC 1123 label (with "-<cluster>" it names each Application)', fix: 'e.g. "fraud-stores"' });
    const selector = props.clusterSelector ?? { [FLEET_LABEL]: name };
    const source = checks.object('source', props.source) as unknown as EdgeApplicationSource;
    for (const field of ['repoURL', 'path', 'targetRevision'] as const) {
      checks.string(`source.${field}`, source[field], { allowed: 'a non-empty string', fix: `set source.${field}` });
    }
    const lastKnownGood = source.lastKnownGoodRevision === undefined ? undefined
      : checks.string('source.lastKnownGoodRevision', source.lastKnownGoodRevision, {
        pattern: /^[A-Za-z0-9][A-Za-z0-9._\/-]*$/, allowed: 'a Git revision (a commit SHA, a tag or a branch)', fix: 'give the commit SHA the fleet ran before',
      });
    if (lastKnownGood !== undefined && lastKnownGood === source.targetRevision) {
      checks.fail('source.lastKnownGoodRevision', lastKnownGood, 'a revision other than source.targetRevision (pinning back to it reverts nothing)',
        'give the commit the fleet ran before this one');
    }
    const text = (prop: string, value: unknown, fallback: string) => checks.string(prop, value ?? fallback, {
      pattern: NAME_RULES.dns1123Label.pattern, maxLength: 63, allowed: 'an RFC 1123 label', fix: `e.g. "${fallback}"`,
    });
    const destinationNamespace = text('destinationNamespace', props.destinationNamespace, 'ml-serving');
    const argoCdNamespace = text('argoCdNamespace', props.argoCdNamespace, 'argocd');
    this.name = name;
    this.argoCdNamespace = argoCdNamespace;
    // The alert and the dashboard select the Applications by `<name>-` (argocd_app_info has no ApplicationSet label).
    const overlapping = this.node.root.node.findAll().find((other): other is EdgeOtaFleet => other instanceof EdgeOtaFleet && other !== this
      && other.argoCdNamespace === argoCdNamespace && (other.name.startsWith(`${name}-`) || name.startsWith(`${other.name}-`)));
    if (overlapping) {
      checks.fail('name', name, `a name that is not "<name>-" of another fleet in ${argoCdNamespace} (${overlapping.node.path} is "${overlapping.name}"): `
        + 'the alert and the dashboard select each fleet\'s Applications by "<name>-"', 'rename one of the two fleets');
    }
    const project = text('project', props.project, 'default');

    const steps = rollingSyncSteps(this.plan);
    clusters.forEach((cluster, index) => {
      const unselected = Object.entries(selector).find(([key, value]) => cluster.labels[key] !== value);
      if (unselected) {
        checks.fail(`clusters[${index}].labels`, cluster.labels, `the labels the cluster generator selects (${JSON.stringify(selector)}): a cluster it does not select never gets the model`,
          `label the cluster's secret ${unselected[0]}=${unselected[1]}, or change clusterSelector`);
      }
      const matched = stepsSelecting(steps, { [CLUSTER_LABEL]: cluster.name });
      if (matched !== 1) {
        checks.fail(`clusters[${index}]`, cluster.name, `a cluster in exactly one RollingSync step (it is in ${matched})`, 'give each cluster once');
      }
    });

    this.applicationSet = new ApiObject(this, 'Resource', {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'ApplicationSet',
      metadata: { name, namespace: argoCdNamespace },
      spec: {
        goTemplate: true,
        goTemplateOptions: ['missingkey=error'],
        generators: [{ clusters: { selector: { matchLabels: { ...selector } } } }],
        strategy: { type: 'RollingSync', rollingSync: { steps } },
        template: {
          metadata: { name: `${name}-{{.name}}`, labels: { [CLUSTER_LABEL]: '{{.name}}' } },
          spec: {
            project,
            source: { repoURL: source.repoURL, path: source.path, targetRevision: source.targetRevision },
            destination: { server: '{{.server}}', namespace: destinationNamespace },
            // RollingSync turns automated sync off on the Applications it manages and syncs them step by step.
            syncPolicy: { syncOptions: ['CreateNamespace=true'] },
          },
        },
      },
    });
    const platform = PlatformServices.of(this);
    const labels = { 'app.kubernetes.io/name': name, 'app.kubernetes.io/component': 'edge-ota-fleet' };
    this.alertRule = new ApiObject(this, 'Alerts', edgeAlertRule({
      applicationSet: name,
      argoCdNamespace,
      canaryApplication: `${name}-${this.plan.waves[0].targets[0]}`,
      lastKnownGoodRevision: lastKnownGood,
      labels,
      selectorLabels: prometheusSelectorLabels(propFailure(this), 'prometheusSelectorLabels',
        props.prometheusSelectorLabels ?? platform?.prometheus.selectorLabels, Object.keys(labels)),
      ownership: (runbook) => alertOwnership(this, runbook),
    }) as any);
    if (platform) {
      addEdgeFleetToCatalog(platform.catalog, platform.owner, this.plan, {
        path: this.node.path, name, location: `${argoCdNamespace}/${name}`, engine: 'kubernetes',
      });
      platform.dashboard.addRow(edgeDashboardRow(`Edge fleet ${name}`, this.plan, { argoCd: { namespace: argoCdNamespace, applicationSet: name } }));
    }
    PlatformServices.labelMembers(this, { kind: 'EdgeOtaFleet', model: this.plan.model.name });
  }
}
