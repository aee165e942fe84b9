/**
 * Engine-neutral recognition of unresolved tokens (CDK `${Token[...]}` strings,
 * encoded numbers and lists; Pulumi outputs), so that validation never judges
 * a value that is only known at deploy time.
 */
export function isUnresolved(value: unknown): boolean {
  if (typeof value === 'string') {
    return value.includes('${Token[') || value.includes('#{Token[');
  }
  if (typeof value === 'number') {
    // aws-cdk-lib encodes number tokens as doubles near -1.888e+289.
    return value < -1e+289;
  }
  if (Array.isArray(value)) {
    return value.some(isUnresolved);
  }
  if (value !== null && typeof value === 'object') {
    // Pulumi `Output`s and CDK `IResolvable`s.
    return 'resolve' in value || '__pulumiOutput' in value;
  }
  return false;
}
