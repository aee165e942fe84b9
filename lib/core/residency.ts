import type { IConstruct } from 'constructs';
import { MlPlatformError } from './errors';

const REGION = /^[a-z]{2,}(?:-[a-z0-9]+)+$/;

/** The tag (AWS) and label (Kubernetes) key that records a resource's residency policy. */
export const RESIDENCY_TAG = 'ml-platform/residency';

const policies = new WeakMap<IConstruct, Residency>();

/**
 * A data-residency policy: the regions where data may be stored and processed.
 *
 * Set it once on a scope (an app, a stage, a stack or a chart) with `applyTo`; every construct below obeys it.
 * On AWS, synthesis fails when a stack's region is unresolved or outside the policy, when a bucket replicates
 * out of it, or when data at rest is not encrypted with a customer-managed key. On Kubernetes, every pod gets
 * required node affinity on `topology.kubernetes.io/region`.
 *
 * Region names are compared as given: the named sets use AWS region codes (also the
 * `topology.kubernetes.io/region` values on EKS); on other clouds use `Residency.regions(...)` with theirs.
 */
export class Residency {
  /**
   * The AWS regions in EU member states: Frankfurt, Ireland, Paris, Milan, Spain, Stockholm.
   * London (eu-west-2) and Zurich (eu-central-2) are outside the EU and are not included.
   */
  public static readonly EU = new Residency('eu', [
    'eu-central-1', 'eu-west-1', 'eu-west-3', 'eu-south-1', 'eu-south-2', 'eu-north-1',
  ]);

  /** The AWS commercial regions in the United States. */
  public static readonly US = new Residency('us', ['us-east-1', 'us-east-2', 'us-west-1', 'us-west-2']);

  /** A policy allowing exactly these regions; `name` labels resources (letters, digits and `-`). */
  public static regions(name: string, ...regions: string[]): Residency {
    if (!/^[a-z0-9][a-z0-9-]{0,62}$/.test(name ?? '')) {
      throw new MlPlatformError({
        scope: 'Residency.regions',
        prop: 'name',
        value: name,
        allowed: '1-63 lowercase letters, digits and "-", starting with a letter or digit (it becomes a tag and label value)',
        fix: 'name the policy, e.g. Residency.regions("eu-frankfurt", "eu-central-1")',
      });
    }
    if (regions.length === 0) {
      throw new MlPlatformError({
        scope: 'Residency.regions',
        prop: 'regions',
        value: regions,
        allowed: 'at least one region',
        fix: 'list the regions data may stay in, e.g. Residency.regions("eu-frankfurt", "eu-central-1")',
      });
    }
    for (const region of regions) {
      if (!REGION.test(region)) {
        throw new MlPlatformError({
          scope: 'Residency.regions',
          prop: 'regions',
          value: region,
          allowed: 'region codes such as "eu-central-1" or "europe-west4"',
          fix: 'use the provider\'s region code',
        });
      }
    }
    return new Residency(name, [...new Set(regions)]);
  }

  /** The policy in force at a scope: the nearest one applied to it or an ancestor, if any. */
  public static of(scope: IConstruct): Residency | undefined {
    const lineage = scope.node.scopes;
    for (let i = lineage.length - 1; i >= 0; i--) {
      const policy = policies.get(lineage[i]);
      if (policy) {
        return policy;
      }
    }
    return undefined;
  }

  /** The policy's name, used as the value of the `ml-platform/residency` tag and label. */
  public readonly name: string;
  /** The allowed regions. */
  public readonly allowedRegions: readonly string[];

  private constructor(name: string, regions: readonly string[]) {
    this.name = name;
    this.allowedRegions = Object.freeze([...regions]);
  }

  /** Whether data may be in this region. */
  public allows(region: string): boolean {
    return this.allowedRegions.includes(region);
  }

  /**
   * Records this policy on a scope. A scope takes one policy: a second one is an error, since two
   * policies on one scope would leave it unclear which wins. A child scope may set a narrower one.
   *
   * Engine entry points wrap this to add their checks: `applyResidency` in `ml-platform-constructs/aws`.
   */
  public applyTo(scope: IConstruct): void {
    const existing = policies.get(scope);
    if (existing && existing !== this) {
      throw new MlPlatformError({
        scope,
        prop: 'residency',
        value: this.name,
        allowed: `one residency policy per scope; "${existing.name}" is already set here`,
        fix: 'set the policy once, or set a narrower one on a child scope',
      });
    }
    policies.set(scope, this);
  }
}
