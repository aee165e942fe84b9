import type { IConstruct } from 'constructs';
import { propFailure, type PropFailure, type PlatformOwner, type Residency, slugOf, validateOwner } from '../../lib/core';

/** The props every engine's `MlPlatform` takes. */
export interface MlPlatformPlanProps {
  /** The owning team: the owner of every alarm and alert, and the base of their runbooks. */
  readonly owner: PlatformOwner;
  /**
   * The data-residency policy for everything below the platform (set once, here).
   * @default - none: the platform obeys a policy set on a scope above it, if any
   */
  readonly residency?: Residency;
  /**
   * The platform's name: it names the catalog and diagram files (`<name>.catalog.json`) and the dashboard.
   * @default - the construct id in lowercase with "-" between words (`FraudPlatform` → `fraud-platform`)
   */
  readonly platformName?: string;
}

/** An `MlPlatform`'s props resolved and checked. */
export interface MlPlatformPlan {
  readonly name: string;
  readonly owner: PlatformOwner;
  readonly residency?: Residency;
}

// A DNS label: valid as a file name, a CloudWatch dashboard name, a Kubernetes object name and a tag value.
const NAME = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

/** Resolves and checks a platform's props; throws an `MlPlatformError` naming the prop. */
export function planMlPlatform(scope: IConstruct, props: MlPlatformPlanProps): MlPlatformPlan {
  const fail: PropFailure = propFailure(scope);
  const owner = validateOwner(scope, props?.owner);
  const name = props.platformName ?? slugOf(scope.node.id).replace(/\//g, '-');
  if (typeof name !== 'string' || !NAME.test(name)) {
    fail('platformName', name, '1-63 lowercase letters, digits and "-", starting and ending with a letter or digit',
      'name the platform, e.g. "fraud-platform"');
  }
  if (props.residency !== undefined && (typeof props.residency !== 'object' || !Array.isArray(props.residency.allowedRegions))) {
    fail('residency', props.residency, 'a Residency policy, e.g. Residency.EU', 'use Residency.EU, Residency.US or Residency.regions(...)');
  }
  return { name, owner: { ...owner }, residency: props.residency };
}
