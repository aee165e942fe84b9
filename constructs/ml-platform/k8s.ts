import { mkdirSync, writeFileSync } from 'fs';
import { join } from 'path';
import { ApiObject, Chart, Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import { type MlPlatformPlan, type MlPlatformPlanProps, planMlPlatform } from './plan';
import { platformFileNames } from './platform-files';
import { PLATFORM_TAGS, PlatformDashboard, propFailure, type PropFailure } from '../../lib/core';
import { PlatformCatalog } from '../../lib/core/platform-catalog';
import {
  AppArtifacts, applyResidency, isHttpUrl, type K8sPlatformServices, KUBE_PROMETHEUS_STACK, NamespaceBaseline, PlatformServices,
  PROMETHEUS_PUSHGATEWAY_ADDRESS, prometheusSelectorLabels,
} from '../../lib/k8s';

/** The Prometheus the platform's constructs are watched by. */
export interface PlatformPrometheusOptions {
  /**
   * The labels it selects ServiceMonitors and PrometheusRules by; every construct below sets them.
   * @default { release: "kube-prometheus-stack" } - kube-prometheus-stack's default selector for a release of that name
   */
  readonly selectorLabels?: Record<string, string>;
  /**
   * Its query API, which Argo Rollouts analyses query.
   * @default "http://kube-prometheus-stack-prometheus.monitoring.svc:9090"
   */
  readonly address?: string;
  /**
   * The Pushgateway it scrapes, which drift monitors push their metrics to.
   * @default "http://prometheus-pushgateway.monitoring.svc:9091" - the prometheus-community chart released as prometheus-pushgateway in monitoring
   */
  readonly pushgatewayAddress?: string;
}

/** Props for the Kubernetes `MlPlatform`. */
export interface MlPlatformProps extends MlPlatformPlanProps {
  /**
   * The namespace of the platform: created with the baseline (PSS restricted, default-deny), and where every object goes.
   * @default - the chart's namespace
   */
  readonly namespace?: string;
  /**
   * The Prometheus the constructs below are watched by (their defaults for `prometheusSelectorLabels` and `prometheusAddress`).
   * @default - kube-prometheus-stack's release `kube-prometheus-stack` in `monitoring`
   */
  readonly prometheus?: PlatformPrometheusOptions;
  /**
   * The labels the Grafana sidecar finds dashboard ConfigMaps by.
   * @default { grafana_dashboard: "1" } - kube-prometheus-stack's `grafana.sidecar.dashboards.label` and `labelValue`
   */
  readonly grafanaDashboardLabels?: Record<string, string>;
}

const DEFAULT_GRAFANA_LABELS = { grafana_dashboard: '1' };

/**
 * An ML platform on Kubernetes: the construct, in a cdk8s chart, that the product constructs are created under.
 *
 * Creates the namespace baseline (Pod Security Standards `restricted`, default-deny traffic, the residency label) and a
 * ConfigMap holding the platform's Grafana dashboard, labelled for the Grafana sidecar (a row per endpoint and pipeline).
 * Sets residency once, supplies the Prometheus selector labels and address to every construct below, labels every object
 * for cost allocation (`ml-platform/team`, `ml-platform/construct`, `ml-platform/model`), gives
 * every alert the owner (`team` label, `runbook_url` and `owner` annotations), and writes beside the manifests
 * (`PlatformApp`): `<name>.catalog.json`, `<name>.diagram.md` and `<name>.diagram.svg`.
 */
export class MlPlatform extends Construct implements K8sPlatformServices {
  /** The resolved plan. */
  public readonly plan: MlPlatformPlan;
  /** The platform's name. */
  public readonly name: string;
  /** The owning team. */
  public readonly owner: MlPlatformPlan['owner'];
  /** The platform's namespace. */
  public readonly namespace: string;
  /** The namespace baseline. */
  public readonly baseline: NamespaceBaseline;
  /** The Prometheus the constructs below are watched by. */
  public readonly prometheus: K8sPlatformServices['prometheus'];
  /** The catalog of what the platform holds. */
  public readonly catalog: PlatformCatalog;
  /** The dashboard model every construct below adds its row to. */
  public readonly dashboard: PlatformDashboard;
  /** The ConfigMap holding the Grafana dashboard JSON. */
  public readonly dashboardConfigMap: ApiObject;

  public constructor(scope: Construct, id: string, props: MlPlatformProps) {
    super(scope, id);
    const fail: PropFailure = propFailure(this);
    this.plan = planMlPlatform(this, props);
    this.name = this.plan.name;
    this.owner = this.plan.owner;
    if (this.plan.residency) {
      applyResidency(this, this.plan.residency);
    }
    const chartNamespace = Chart.of(this).namespace;
    this.namespace = props.namespace ?? chartNamespace ?? fail('namespace', undefined, 'a namespace, given here or on the chart',
      'set namespace, e.g. "ml-platform", or create the platform in a Chart with a namespace');
    if (chartNamespace !== undefined && chartNamespace !== this.namespace) {
      fail('namespace', this.namespace, `the chart's namespace "${chartNamespace}" (every object of the chart goes there)`,
        'leave namespace out, or create the platform in a chart with that namespace');
    }
    this.prometheus = {
      selectorLabels: prometheusSelectorLabels(fail, 'prometheus.selectorLabels', props.prometheus?.selectorLabels, []),
      address: props.prometheus?.address ?? KUBE_PROMETHEUS_STACK.address,
      pushgatewayAddress: props.prometheus?.pushgatewayAddress ?? PROMETHEUS_PUSHGATEWAY_ADDRESS,
    };
    if (!/^https?:\/\/[^\s/]+(:\d+)?(\/\S*)?$/.test(this.prometheus.address)) {
      fail('prometheus.address', this.prometheus.address, 'an http:// or https:// URL', `use e.g. "${KUBE_PROMETHEUS_STACK.address}"`);
    }
    if (typeof this.prometheus.pushgatewayAddress !== 'string' || !isHttpUrl(this.prometheus.pushgatewayAddress)) {
      fail('prometheus.pushgatewayAddress', this.prometheus.pushgatewayAddress,
        'an http:// or https:// URL with a host and a port from 1 to 65535, without spaces or credentials', `use e.g. "${PROMETHEUS_PUSHGATEWAY_ADDRESS}"`);
    }
    const grafanaLabels = prometheusSelectorLabels(fail, 'grafanaDashboardLabels', props.grafanaDashboardLabels ?? DEFAULT_GRAFANA_LABELS, []);

    this.baseline = new NamespaceBaseline(this, 'Namespace', { name: this.namespace });
    this.catalog = new PlatformCatalog({ platform: this.name, owner: this.owner, residency: this.plan.residency?.name, errorScope: this });
    this.dashboard = new PlatformDashboard({ title: this.name, errorScope: this });
    const teamLabels = { [PLATFORM_TAGS.team]: this.owner.team };
    this.dashboardConfigMap = new ApiObject(this, 'Dashboard', {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: `${this.name}-dashboard`, namespace: this.namespace, labels: { ...grafanaLabels, ...teamLabels } },
      // Rendered when the chart is: rows added by constructs created after the platform are on it.
      data: { [`${this.name}.json`]: Lazy.any({ produce: () => JSON.stringify(this.dashboard.toGrafanaJson({ tags: [this.name, this.owner.team] })) }) },
    });
    this.catalog.addNode({
      id: `${this.node.path}/Dashboard`,
      kind: 'dashboard',
      name: `${this.name} dashboard`,
      owner: this.owner.team,
      engine: 'kubernetes',
      location: `${this.namespace}/${this.name}-dashboard`,
    });
    for (const object of [this.baseline.namespace, this.baseline.defaultDeny]) {
      for (const [key, value] of Object.entries(teamLabels)) {
        object.metadata.addLabel(key, value);
      }
    }

    PlatformServices.register(this, this);
    AppArtifacts.add(this, (outdir) => this.writeCatalog(outdir));
  }

  /** Writes the catalog and the diagram into `outdir` (done by `PlatformApp.synth()`). */
  public writeCatalog(outdir: string): void {
    mkdirSync(outdir, { recursive: true });
    const files = platformFileNames(this.name);
    writeFileSync(join(outdir, files.catalog), `${JSON.stringify(this.catalog.toJSON(), null, 2)}\n`);
    writeFileSync(join(outdir, files.mermaid), this.catalog.toMermaid());
    writeFileSync(join(outdir, files.svg), this.catalog.toSvg());
  }
}
