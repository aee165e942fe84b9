import * as pulumi from '@pulumi/pulumi';
import { CORE_KINDS, deriveName, NAME_RULES, PropChecks } from '../core';

/**
 * The Kubernetes name of a component's objects when its args give none: the component's Pulumi name when it is a
 * valid RFC 1035 label (e.g. `fraud`), else one derived from it (`Fraud_Endpoint` → `fraud-endpoint-<hash>`).
 */
export function objectNameFor(componentName: string, maxLength: number): string {
  return deriveName(componentName, NAME_RULES.dns1035Label, maxLength);
}

/**
 * Checks what every component of this library takes besides its construct's props, before anything is rendered:
 * the namespace (an RFC 1123 label; it also reaches PromQL label matchers), the residency policy, and that no arg
 * is a Pulumi `Output`: the objects are rendered when the program runs, before any output is known.
 */
export function checkPlacementArgs(type: string, name: string, args: Record<string, unknown>): void {
  const checks = new PropChecks(`${type} ${name}`);
  checks.object('args', args);
  rejectOutputs(checks, args, '');
  if (args.namespace !== undefined) {
    checks.string('namespace', args.namespace, {
      pattern: NAME_RULES.dns1123Label.pattern,
      maxLength: 63,
      allowed: 'a namespace name: an RFC 1123 label of lowercase letters, digits and "-", at most 63 characters',
      fix: 'rename the namespace, e.g. "ml-serving"',
    });
  }
  if (args.residency !== undefined) {
    checks.kind('residency', args.residency, CORE_KINDS.residency);
  }
}

// How deep args are searched for Outputs: prop groups are at most a few levels deep.
const MAX_DEPTH = 4;

function rejectOutputs(checks: PropChecks, value: unknown, path: string, depth = 0): void {
  if (pulumi.Output.isInstance(value)) {
    checks.fail(path || 'args', value, 'a plain value: the Kubernetes objects are rendered when the program runs, before any Output is known',
      'pass the value itself, or create the component inside .apply() of the Output');
  }
  if (depth >= MAX_DEPTH || value === null || typeof value !== 'object') {
    return;
  }
  const prototype = Object.getPrototypeOf(value);
  if (!Array.isArray(value) && prototype !== Object.prototype && prototype !== null) {
    // A value object of this library (ContainerImage, ModelArtifact, Residency) holds no Outputs.
    return;
  }
  for (const [key, item] of Object.entries(value)) {
    rejectOutputs(checks, item, Array.isArray(value) ? `${path}[${key}]` : (path ? `${path}.${key}` : key), depth + 1);
  }
}
