import type { IConstruct } from 'constructs';

// aws-cdk-lib encodes a number token as a finite double near -1.8881545897087626e+289 (its token map's marker).
const NUMBER_TOKEN_MIN = -1.9e+289;
const NUMBER_TOKEN_MAX = -1.8e+289;

/**
 * Engine-neutral recognition of unresolved tokens (CDK `${Token[...]}` strings, encoded numbers and lists; Pulumi
 * outputs), so that validation never judges a value that is only known at deploy time. `-Infinity` and other
 * plain numbers are never tokens.
 */
export function isUnresolved(value: unknown): boolean {
  if (typeof value === 'string') {
    return value.includes('${Token[') || value.includes('#{Token[');
  }
  if (typeof value === 'number') {
    return Number.isFinite(value) && value >= NUMBER_TOKEN_MIN && value <= NUMBER_TOKEN_MAX;
  }
  if (Array.isArray(value)) {
    return value.some(isUnresolved);
  }
  if (value !== null && typeof value === 'object') {
    // Pulumi `Output`s and CDK `IResolvable`s.
    return typeof (value as { resolve?: unknown }).resolve === 'function' || '__pulumiOutput' in value;
  }
  return false;
}

/** The metadata type aws-cdk-lib's `Annotations.addInfo` writes; `cdk synth` prints it, cdk8s keeps it on the node. */
const INFO_METADATA = 'aws:cdk:info';

/**
 * Records that a prop was given a value known only at deployment, so it was accepted unchecked: an info
 * annotation on the construct (printed by `cdk synth`) naming the prop and the check left to the service.
 * Returns the line for the plan's `unchecked` list.
 */
export function recordUnchecked(scope: IConstruct | string, prop: string, check: string): string {
  const line = `${prop}: known only at deployment, so not checked at synthesis (${check})`;
  if (typeof scope !== 'string') {
    scope.node.addMetadata(INFO_METADATA, line);
  }
  return line;
}
