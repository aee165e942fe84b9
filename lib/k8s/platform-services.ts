import { ApiObject, JsonPatch } from 'cdk8s';
import type { IConstruct } from 'constructs';
import { PLATFORM_TAGS, platformLookup, type PlatformOwner } from '../core';
import type { PlatformCatalog } from '../core/platform-catalog';
import type { PlatformDashboard } from '../core/platform-dashboard';

/**
 * What a Kubernetes `MlPlatform` shares with the constructs created below it in its chart. Product constructs find
 * it with `PlatformServices.of(this)` and use each piece unless their own props name another (an explicit prop wins).
 */
export interface K8sPlatformServices {
  /** The platform's name: the prefix of its catalog and diagram files and the dashboard. */
  readonly name: string;
  /** The owning team and its runbooks: on every alert below the platform. */
  readonly owner: PlatformOwner;
  /** The namespace every object of the platform is in. */
  readonly namespace: string;
  /** The Prometheus that scrapes and evaluates the platform's monitors, rules and analyses. */
  readonly prometheus: {
    /** The labels it selects ServiceMonitors and PrometheusRules by. */
    readonly selectorLabels: Readonly<Record<string, string>>;
    /** Its query API, for Argo Rollouts analyses. */
    readonly address: string;
    /** The Pushgateway it scrapes, which scheduled jobs (drift monitors) push their metrics to. */
    readonly pushgatewayAddress: string;
  };
  /** What the platform holds and how it connects, written as `<name>.catalog.json` and the diagram. */
  readonly catalog: PlatformCatalog;
  /** The platform's dashboard: each construct adds its row (`addRow`); rendered to a Grafana dashboard ConfigMap. */
  readonly dashboard: PlatformDashboard;
}

/** How a product construct joins the platform it was created under. */
export interface K8sPlatformMembership {
  /** The construct's kind, e.g. `CanaryEndpoint`: the `ml-platform/construct` label. */
  readonly kind: string;
  /**
   * The model the construct runs: the `ml-platform/model` label.
   * @default - no model label
   */
  readonly model?: string;
}

// Where each workload kind keeps its pod template's labels, as JSON Pointers (RFC 6901).
const POD_TEMPLATE_LABELS: Record<string, string> = {
  Rollout: '/spec/template/metadata/labels',
  Deployment: '/spec/template/metadata/labels',
  StatefulSet: '/spec/template/metadata/labels',
  Job: '/spec/template/metadata/labels',
  CronJob: '/spec/jobTemplate/spec/template/metadata/labels',
};

/** The lookup of the Kubernetes platform a construct was created under. */
export const PlatformServices = {
  /** The platform at or above `scope`, if any. */
  of(scope: IConstruct): K8sPlatformServices | undefined {
    return platformLookup.find<K8sPlatformServices>(scope);
  },
  /** Records `services` as the platform of `scope` and everything below it; called by the platform construct. */
  register(scope: IConstruct, services: K8sPlatformServices): void {
    platformLookup.register(scope, services);
  },
  /**
   * Labels every object a construct created under a platform for cost allocation (`ml-platform/team`,
   * `ml-platform/construct`, `ml-platform/model`), pod templates included (cost tools such
   * as OpenCost allocate by pod labels). Constructs call it last in their constructors; outside a platform it does nothing.
   */
  labelMembers(construct: IConstruct, membership: K8sPlatformMembership): void {
    const services = platformLookup.find<K8sPlatformServices>(construct);
    if (!services) {
      return;
    }
    const labels: Record<string, string> = {
      [PLATFORM_TAGS.team]: services.owner.team,
      [PLATFORM_TAGS.construct]: membership.kind,
      ...(membership.model ? { [PLATFORM_TAGS.model]: membership.model } : {}),
    };
    for (const child of construct.node.findAll()) {
      if (!(child instanceof ApiObject)) {
        continue;
      }
      for (const [key, value] of Object.entries(labels)) {
        child.metadata.addLabel(key, value);
      }
      const template = POD_TEMPLATE_LABELS[child.kind];
      if (template) {
        for (const [key, value] of Object.entries(labels)) {
          child.addJsonPatch(JsonPatch.add(`${template}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`, value));
        }
      }
    }
  },
};
