import { Chart, Names } from 'cdk8s';
import type { IConstruct } from 'constructs';
import { deriveName, MlPlatformError, NAME_RULES } from '../core';

/**
 * The base name of a construct's objects when the user gives none: cdk8s's DNS label of the construct path when
 * it is an RFC 1035 label (a Service's name; Kubernetes "Object Names and IDs"), else one derived from it that is:
 * cdk8s keeps `_` (`S3_x` gives `s3_x-<hash>`) and leading digits (a chart id `2024`), which Services refuse.
 */
export function derivedObjectName(scope: IConstruct, maxLen: number): string {
  const name = Names.toDnsLabel(scope, { maxLen });
  return NAME_RULES.dns1035Label.pattern.test(name) ? name : deriveName(name, NAME_RULES.dns1035Label, maxLen);
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
