import { SbomDocument } from '../core/sbom';

/**
 * Validates an SBOM with CycloneDX's strict 1.6 JSON schema; resolves to readable errors (empty when valid).
 * Needs the CycloneDX library's optional peers `ajv`, `ajv-formats` and `ajv-formats-draft2019`.
 */
export async function sbomViolations(json: string): Promise<string[]> {
  const errors = await SbomDocument.validate(json);
  if (errors === null || errors === undefined) {
    return [];
  }
  const details = (errors as { details?: unknown }).details ?? errors;
  return (Array.isArray(details) ? details : [details]).map((error: any) =>
    `${error.instancePath ?? ''} ${error.message ?? JSON.stringify(error)}`.trim());
}
