import type * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import { MlPlatformError } from '../core';

/** The component that creates a set of Kubernetes objects, and the arg their names come from. */
export interface ObjectOwner {
  /** The component, as its type token and Pulumi name, e.g. `ml-platform:serving:CanaryEndpoint fraud`. */
  readonly component: string;
  /** The arg that names the objects, e.g. `name` (`storeName` for a feature store). */
  readonly prop: string;
  /** Whether the arg was given; when it was not, the objects take a name derived from the component's name. */
  readonly given: boolean;
  /** The arg's value, or the component's name when the arg was not given. */
  readonly value: unknown;
}

/** An object as the Kubernetes API identifies it: its API group and kind, its namespace and its name. */
interface ObjectIdentity {
  readonly group: string;
  readonly kind: string;
  readonly namespace: string;
  readonly name: string;
}

/**
 * The objects each program creates, per Kubernetes provider, and who creates them. A program is one run of the Pulumi
 * language host against one resource monitor: `pulumi up` or `preview` of a stack, each run of an Automation API
 * inline program, each `pulumi.runtime.setMocks` in a test. Keyed by the monitor, a process that runs many programs
 * (tests, the Automation API) never sees one program's objects in another, and one program sees all of its own,
 * whether its components stand alone or belong to an `MlPlatform`.
 */
const programs = new WeakMap<object, WeakMap<object, Map<string, { readonly resource: pulumi.Resource; readonly owner: ObjectOwner }>>>();
// Components created before any engine or mock is set: one program for the process.
const NO_MONITOR = {};
// The default provider (the current kubeconfig context). Two different providers may point at different clusters,
// so their objects never clash: the same object through two providers is valid input and is not refused.
const DEFAULT_PROVIDER = {};

/**
 * Records the Kubernetes objects the component `resource` (described by `owner`) creates through `provider` in the
 * current Pulumi program, and throws an
 * `MlPlatformError` naming both components, the object and the arg that named it when another component of the
 * program already creates the same object (API group, kind, namespace and name): on apply one would overwrite the
 * other, or the cluster would refuse the second. Objects without a namespace count as one namespace, the
 * provider's default (cluster-scoped objects have none).
 */
export function claimKubernetesObjects(
  resource: pulumi.Resource, owner: ObjectOwner, objects: ReadonlyArray<Record<string, any>>, provider?: k8s.Provider,
): void {
  const monitor = pulumi.runtime.getMonitor() ?? NO_MONITOR;
  let providers = programs.get(monitor);
  if (!providers) {
    providers = new WeakMap();
    programs.set(monitor, providers);
  }
  let claimed = providers.get(provider ?? DEFAULT_PROVIDER);
  if (!claimed) {
    claimed = new Map();
    providers.set(provider ?? DEFAULT_PROVIDER, claimed);
  }
  const identities = objects.map(identify);
  for (const object of identities) {
    const holder = claimed.get(keyOf(object));
    // Two components of one type and name are two resources too (the engine would also refuse their URN).
    if (holder !== undefined && holder.resource !== resource) {
      throw duplicateObject(owner, holder.owner, object);
    }
  }
  for (const object of identities) {
    claimed.set(keyOf(object), { resource, owner });
  }
}

function identify(object: Record<string, any>): ObjectIdentity {
  const apiVersion = String(object.apiVersion ?? '');
  return {
    // "apps/v1" is in group "apps"; "v1" is the core group.
    group: apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '',
    kind: String(object.kind),
    namespace: object.metadata?.namespace ?? '',
    name: String(object.metadata?.name),
  };
}

function keyOf(object: ObjectIdentity): string {
  return JSON.stringify([object.group, object.kind, object.namespace, object.name]);
}

function duplicateObject(owner: ObjectOwner, holder: ObjectOwner, object: ObjectIdentity): MlPlatformError {
  const kind = object.group === '' ? object.kind : `${object.kind} (${object.group})`;
  const where = object.namespace === '' ? 'in the provider\'s default namespace or cluster-wide' : `in namespace "${object.namespace}"`;
  const named = (who: ObjectOwner) => (who.given ? `named by its ${who.prop}` : `named after the component: no ${who.prop} given`);
  return new MlPlatformError({
    scope: owner.component,
    prop: owner.prop,
    value: owner.value,
    allowed: `a name no other component of the program gives the same object: ${holder.component} already creates ${kind} "${object.name}" `
      + `${where} (${named(holder)}); this component would create it too (${named(owner)}), and one would overwrite the other`,
    fix: `give ${holder.component} another ${holder.prop} or ${owner.component} another ${owner.prop}, or put one of them in another namespace`,
  });
}
