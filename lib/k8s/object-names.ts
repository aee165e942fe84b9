import { Chart, Names } from 'cdk8s';
import type { IConstruct } from 'constructs';
import { MlPlatformError } from '../core';

/**
 * The base name of a construct's objects when the user gives none: cdk8s's DNS label of the construct path,
 * with a leading letter when the path starts with a digit (a chart id `2024`), since a Service's name is an
 * RFC 1035 label (Kubernetes "Object Names and IDs"). Names that already start with a letter are unchanged.
 */
export function derivedObjectName(scope: IConstruct, maxLen: number): string {
  const name = Names.toDnsLabel(scope, { maxLen });
  return /^[a-z]/.test(name) ? name : `x${Names.toDnsLabel(scope, { maxLen: maxLen - 1 })}`;
}

// The objects each namespace of an app holds, by kind and name, and the construct that makes them.
const claims = new WeakMap<IConstruct, Map<string, string>>();

/**
 * Records that `owner` creates objects named `name` in its chart's namespace, and throws an `MlPlatformError`
 * naming both constructs when another construct of the same app already creates objects of that name there:
 * two ServiceAccounts or NetworkPolicies `fraud` in one namespace would overwrite each other on apply.
 */
export function claimObjectName(owner: IConstruct, name: string, prop = 'name'): void {
  const root = owner.node.root;
  const namespace = Chart.of(owner).namespace ?? '';
  let names = claims.get(root);
  if (!names) {
    names = new Map();
    claims.set(root, names);
  }
  const key = `${namespace}/${name}`;
  const holder = names.get(key);
  if (holder !== undefined && holder !== owner.node.path) {
    throw new MlPlatformError({
      scope: owner,
      prop,
      value: name,
      allowed: `a name no other construct uses in namespace "${namespace || '(the default)'}": ${holder} already creates objects named "${name}"`,
      fix: `give one of ${holder} and ${owner.node.path} another name`,
    });
  }
  names.set(key, owner.node.path);
}
