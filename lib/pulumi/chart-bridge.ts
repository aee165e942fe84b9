import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import { App, Chart, type ChartProps } from 'cdk8s';
import { AppSbom } from '../k8s';

/** The Kubernetes objects of a chart, as plain JSON (what `cdk8s synth` would write). */
export function chartObjects(chart: Chart): Record<string, any>[] {
  return chart.toJson();
}

/**
 * Registers every object of a cdk8s chart as a `@pulumi/kubernetes` resource under `parent`, through
 * `yaml.ConfigGroup` (which maps each kind to its typed resource and CRDs to `CustomResource`), so the
 * Pulumi and cdk8s paths deploy identical objects.
 */
export function renderChart(name: string, chart: Chart, parent: pulumi.Resource, provider?: k8s.Provider): k8s.yaml.ConfigGroup {
  return new k8s.yaml.ConfigGroup(name, { objs: chartObjects(chart) }, { parent, provider });
}

/** Options common to the Pulumi components of this library. */
export interface KubernetesComponentOptions extends pulumi.ComponentResourceOptions {
  /**
   * The Kubernetes provider the objects are created with.
   * @default - the default provider (the current kubeconfig context)
   */
  readonly kubernetesProvider?: k8s.Provider;
}

/**
 * The base of every Pulumi component of this library: builds the cdk8s flavor of the construct in a
 * private cdk8s app, registers its objects as Pulumi children, and exposes the objects and the SBOM.
 */
export abstract class KubernetesComponent extends pulumi.ComponentResource {
  /** The cdk8s chart the component rendered. */
  public readonly chart: Chart;
  /** The Kubernetes objects, exactly as the cdk8s flavor synthesizes them. */
  public readonly manifests: pulumi.Output<Record<string, any>[]>;
  /** The CycloneDX 1.6 JSON bill of materials of what the component deploys. */
  public readonly sbom: pulumi.Output<string>;
  /** The Pulumi resources created from the chart. */
  protected readonly resources: k8s.yaml.ConfigGroup;

  protected constructor(
    type: string, name: string, build: (chart: Chart) => void, opts: KubernetesComponentOptions = {}, chartProps: ChartProps = {},
  ) {
    super(type, name, {}, opts);
    const app = new App({ outdir: '.', recordConstructMetadata: false });
    this.chart = new Chart(app, name, chartProps);
    build(this.chart);
    const objects = chartObjects(this.chart);
    this.resources = renderChart(name, this.chart, this, opts.kubernetesProvider);
    this.manifests = pulumi.output(objects);
    this.sbom = pulumi.output(AppSbom.of(app).toJson());
  }

  /** Registers the component's outputs; subclasses call it last in their constructors. */
  protected finish(outputs: Record<string, unknown> = {}): void {
    this.registerOutputs({ manifests: this.manifests, sbom: this.sbom, ...outputs });
  }
}
