import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import { App, Chart } from 'cdk8s';
import { Construct, type IConstruct } from 'constructs';
import { type KubernetesPlatformHost, objectsBelow } from './platform-host';
import { MlPlatformError, type Residency } from '../core';
import { applyResidency, AppSbom } from '../k8s';
import { claimKubernetesObjects, type ObjectOwner } from './object-registry';
import { checkPlacementArgs } from './placement-checks';

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

/** Where a component's objects go: every component of this library takes these besides its construct's props. */
export interface KubernetesPlacementArgs {
  /**
   * The namespace of every namespaced object.
   * @default - the provider's default namespace
   */
  readonly namespace?: string;
  /**
   * The residency policy the pods are pinned to (and namespaces labelled with).
   * @default - none
   */
  readonly residency?: Residency;
  /**
   * The `MlPlatform` the component belongs to: its namespace, residency, owner, Prometheus, catalog and dashboard
   * apply, and its objects depend on the platform's namespace (give neither `namespace` nor `residency` then).
   * @default - none: the component stands alone
   */
  readonly platform?: KubernetesPlatformHost;
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
    type: string, name: string, placement: KubernetesPlacementArgs, build: (scope: Construct) => void, opts: KubernetesComponentOptions = {},
  ) {
    checkPlacementArgs(type, name, placement as Record<string, unknown>);
    const platform = placement.platform;
    if (platform && (placement.namespace !== undefined || placement.residency !== undefined)) {
      throw new MlPlatformError({
        scope: `${type} ${name}`,
        prop: placement.namespace !== undefined ? 'namespace' : 'residency',
        value: placement.namespace ?? placement.residency?.name,
        allowed: `nothing besides platform: the platform sets the namespace ("${platform.namespace}") and the residency`,
        fix: 'leave namespace and residency out, or the platform out',
      });
    }
    super(type, name, {}, platform ? { ...opts, dependsOn: withDependency(opts.dependsOn, platform.baselineResources) } : opts);
    const namingArg = (placement as Record<string, unknown>)[this.objectNameArg];
    const owner: ObjectOwner = { component: `${type} ${name}`, prop: this.objectNameArg, given: namingArg !== undefined, value: namingArg ?? name };
    if (platform) {
      // Built below the platform's Kubernetes flavor, in its chart: the construct finds the platform as on cdk8s.
      this.chart = platform.hostChart;
      const scope = new Construct(platform.hostScope, componentScopeId(platform, owner.component, name));
      build(scope);
      const objects = objectsBelow(this.chart, scope);
      claimKubernetesObjects(this, owner, objects, opts.kubernetesProvider);
      this.resources = new k8s.yaml.ConfigGroup(name, { objs: objects }, { parent: this, provider: opts.kubernetesProvider });
      this.manifests = pulumi.output(objects);
      this.sbom = pulumi.output(AppSbom.of(this.chart).toJson());
      return;
    }
    const app = new App({ outdir: '.', recordConstructMetadata: false });
    this.chart = new Chart(app, name, { namespace: placement.namespace });
    if (placement.residency) {
      applyResidency(this.chart, placement.residency);
    }
    build(this.chart);
    const objects = chartObjects(this.chart);
    claimKubernetesObjects(this, owner, objects, opts.kubernetesProvider);
    this.resources = renderChart(name, this.chart, this, opts.kubernetesProvider);
    this.manifests = pulumi.output(objects);
    this.sbom = pulumi.output(AppSbom.of(app).toJson());
  }

  /**
   * The arg that names the component's objects (`name`, unless a component says otherwise): a duplicate object
   * across the components of a program is reported against it.
   * @internal
   */
  protected get objectNameArg(): string {
    return 'name';
  }

  /** Registers the component's outputs; subclasses call it last in their constructors. */
  protected finish(outputs: Record<string, unknown> = {}): void {
    this.registerOutputs({ manifests: this.manifests, sbom: this.sbom, ...outputs });
  }
}

/** A component's args without the placement the base class applies: the props of its cdk8s construct. */
export function withoutPlacement<T extends KubernetesPlacementArgs>(args: T): Omit<T, keyof KubernetesPlacementArgs> {
  const { namespace: _namespace, residency: _residency, platform: _platform, ...props } = args;
  return props;
}

// The components built below each platform, by construct id (their Pulumi name).
const platformComponents = new WeakMap<IConstruct, Map<string, string>>();

/**
 * The construct id a component is built under below its platform: its Pulumi name, which two components of different
 * types given the same platform may share in Pulumi but not as constructs: an `MlPlatformError` naming both then.
 */
function componentScopeId(platform: KubernetesPlatformHost, component: string, name: string): string {
  let components = platformComponents.get(platform.hostScope);
  if (!components) {
    components = new Map();
    platformComponents.set(platform.hostScope, components);
  }
  // A construct of that id made otherwise (not by a component) is named by its path.
  const holder = components.get(name) ?? platform.hostScope.node.tryFindChild(name)?.node.path;
  if (holder !== undefined) {
    throw new MlPlatformError({
      scope: component,
      prop: 'name',
      value: name,
      allowed: `a component name no other component given platform "${platform.namespace}" has: ${holder} is built below the platform under that name`,
      fix: `give ${holder} or ${component} another Pulumi name`,
    });
  }
  components.set(name, component);
  return name;
}

/** `dependsOn` plus one resource (a `dependsOn` given as an Output is kept as it is: its resources are not known yet). */
function withDependency(dependsOn: pulumi.ComponentResourceOptions['dependsOn'], resource: pulumi.Resource): pulumi.ComponentResourceOptions['dependsOn'] {
  if (dependsOn === undefined) {
    return [resource];
  }
  if (Array.isArray(dependsOn)) {
    return [...dependsOn, resource];
  }
  return pulumi.Resource.isInstance(dependsOn) ? [dependsOn, resource] : dependsOn;
}
