/* eslint-disable @typescript-eslint/no-require-imports -- ajv and cdk8s (its YAML reader) are optional peers, loaded when called */
import { existsSync } from 'fs';
import { join } from 'path';

/** A Kubernetes object as JSON. */
type KubeObject = Record<string, any>;

/**
 * Custom resources that no `kubernetes-models` package covers, validated against their CRD's own OpenAPI schema, kept
 * in the repository at a pinned release: the Feast operator's `FeatureStore` (feast-dev/feast v0.66.0).
 */
const CRD_FILES: Readonly<Record<string, string>> = {
  'feast.dev/v1/FeatureStore': 'imports/feast.dev_featurestores.yaml',
};

const validators = new Map<string, (object: KubeObject) => string[]>();

/** Whether a CRD schema of this library validates `object`'s apiVersion and kind. */
export function hasCrdSchema(object: KubeObject): boolean {
  return `${object.apiVersion}/${object.kind}` in CRD_FILES;
}

/**
 * The problems of `object` against its CRD's `openAPIV3Schema`, read as Kubernetes reads a structural schema: fields
 * the schema does not name are errors (unless it preserves unknown fields), formats such as `int32` are not checked.
 */
export function crdSchemaViolations(object: KubeObject): string[] {
  const key = `${object.apiVersion}/${object.kind}`;
  let validate = validators.get(key);
  if (!validate) {
    validate = compile(key);
    validators.set(key, validate);
  }
  return validate(object);
}

function compile(key: string): (object: KubeObject) => string[] {
  const file = [join(__dirname, '..', '..', CRD_FILES[key]), join(__dirname, '..', '..', '..', CRD_FILES[key])].find(existsSync);
  if (!file) {
    return () => [`no CRD file ${CRD_FILES[key]} beside the library`];
  }
  const [crd] = require('cdk8s').Yaml.load(file);
  const version = String(key.split('/')[1]);
  const schema = crd.spec.versions.find((candidate: { name: string }) => candidate.name === version).schema.openAPIV3Schema;
  const Ajv = require('ajv').default;
  const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
  const check = ajv.compile(structural(schema, true));
  return (object) => {
    const { metadata: _metadata, ...rest } = object;
    return check(rest) ? [] : (check.errors ?? []).map((error: { instancePath: string; message?: string; params?: unknown }) =>
      `${error.instancePath || '/'} ${error.message}${error.params ? ` ${JSON.stringify(error.params)}` : ''}`);
  };
}

/** A copy of `schema` in which objects with named properties refuse others (Kubernetes prunes and rejects them). */
function structural(schema: any, root = false): any {
  if (Array.isArray(schema)) {
    return schema.map((item) => structural(item));
  }
  if (schema === null || typeof schema !== 'object') {
    return schema;
  }
  const copy: Record<string, any> = {};
  for (const [name, value] of Object.entries(schema)) {
    copy[name] = name === 'properties'
      ? Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([field, sub]) => [field, structural(sub)]))
      : structural(value);
  }
  if (copy.properties && copy.additionalProperties === undefined && !copy['x-kubernetes-preserve-unknown-fields']) {
    copy.additionalProperties = false;
  }
  if (root) {
    // The object's metadata is checked by the API server's ObjectMeta, not the CRD's schema.
    delete copy.properties?.metadata;
  }
  return copy;
}
