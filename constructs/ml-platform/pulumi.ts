import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import { ApiObject, App, Chart } from 'cdk8s';
import type { IConstruct } from 'constructs';
import { MlPlatform as K8sMlPlatform, type MlPlatformProps as K8sMlPlatformProps } from './k8s';
import { checkPlacementArgs, claimKubernetesObjects, type KubernetesComponentOptions, type KubernetesPlatformHost, objectsBelow } from '../../lib/pulumi';

/** Args for the Pulumi `MlPlatform`: the Kubernetes flavor's props; `namespace` is required (there is no chart to take it from). */
export interface MlPlatformArgs extends Omit<K8sMlPlatformProps, 'namespace'> {
  /** The platform's namespace, created with the baseline; every component given this platform goes there. */
  readonly namespace: string;
}

/**
 * The Pulumi flavor of `MlPlatform` (type `ml-platform:platform:MlPlatform`): the Kubernetes flavor rendered in a
 * private cdk8s chart. Its namespace baseline is registered at once; components given it as `platform` build their
 * constructs below it, so they share its namespace, residency, owner, Prometheus, catalog and dashboard. The Grafana
 * dashboard ConfigMap and the `catalog`, `diagram` and `diagramSvg` outputs are rendered once the program has created
 * its components (after the program's synchronous part), so they list every component created with this platform.
 */
export class MlPlatform extends pulumi.ComponentResource implements KubernetesPlatformHost {
  /** The private chart holding the platform's Kubernetes flavor. */
  public readonly hostChart: Chart;
  /** The platform's Kubernetes flavor. */
  public readonly platform: K8sMlPlatform;
  /** The platform's namespace. */
  public readonly namespace: string;
  /** The Pulumi resources of the namespace baseline. */
  public readonly baselineResources: k8s.yaml.ConfigGroup;
  /** The ConfigMap holding the Grafana dashboard. */
  public readonly dashboardConfigMap: k8s.core.v1.ConfigMap;
  /** `<name>.catalog.json`: the catalog document. */
  public readonly catalog: pulumi.Output<string>;
  /** `<name>.diagram.md`: the diagram as Mermaid. */
  public readonly diagram: pulumi.Output<string>;
  /** `<name>.diagram.svg`: the diagram as SVG. */
  public readonly diagramSvg: pulumi.Output<string>;

  public constructor(name: string, args: MlPlatformArgs, opts: KubernetesComponentOptions = {}) {
    checkPlacementArgs('ml-platform:platform:MlPlatform', name, { namespace: args.namespace, residency: args.residency });
    super('ml-platform:platform:MlPlatform', name, {}, opts);
    const app = new App({ outdir: '.', recordConstructMetadata: false });
    // Named after the namespace, like the cdk8s example's chart: names derived from construct paths come out the same.
    this.hostChart = new Chart(app, args.namespace, { namespace: args.namespace });
    this.platform = new K8sMlPlatform(this.hostChart, 'Platform', args);
    this.namespace = this.platform.namespace;
    const baselineObjects = objectsBelow(this.hostChart, this.platform.baseline);
    // The platform's own objects join the program's: a component elsewhere creating the same object is refused.
    const component = `ml-platform:platform:MlPlatform ${name}`;
    claimKubernetesObjects(this, { component, prop: 'namespace', given: true, value: args.namespace }, baselineObjects, opts.kubernetesProvider);
    claimKubernetesObjects(this, { component, prop: 'platformName', given: args.platformName !== undefined, value: args.platformName ?? name },
      [ApiObject.of(this.platform.dashboardConfigMap).toJson()], opts.kubernetesProvider);
    this.baselineResources = new k8s.yaml.ConfigGroup(`${name}-baseline`, { objs: baselineObjects },
      { parent: this, provider: opts.kubernetesProvider });

    const rendered = afterProgram().then(() => ({
      configMap: ApiObject.of(this.platform.dashboardConfigMap).toJson(),
      catalog: `${JSON.stringify(this.platform.catalog.toJSON(), null, 2)}\n`,
      diagram: this.platform.catalog.toMermaid(),
      diagramSvg: this.platform.catalog.toSvg(),
    }));
    // The metadata is known now; only the data waits for the components.
    const metadata = ApiObject.of(this.platform.dashboardConfigMap).toJson().metadata;
    this.dashboardConfigMap = new k8s.core.v1.ConfigMap(`${name}-dashboard`, {
      metadata: { name: metadata.name, namespace: metadata.namespace, labels: metadata.labels },
      data: pulumi.output(rendered).apply((outputs) => outputs.configMap.data as Record<string, string>),
    }, { parent: this, provider: opts.kubernetesProvider, dependsOn: [this.baselineResources] });
    this.catalog = pulumi.output(rendered).apply((outputs) => outputs.catalog);
    this.diagram = pulumi.output(rendered).apply((outputs) => outputs.diagram);
    this.diagramSvg = pulumi.output(rendered).apply((outputs) => outputs.diagramSvg);
    this.registerOutputs({ catalog: this.catalog, diagram: this.diagram, diagramSvg: this.diagramSvg });
  }

  /** The construct components build below (the platform's Kubernetes flavor). */
  public get hostScope(): IConstruct {
    return this.platform;
  }
}

/** Resolves after the program's synchronous part and the promises it started: every component has been created. */
function afterProgram(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
