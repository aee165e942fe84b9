import { MlPlatformError } from './errors';
import { isUnresolved } from './tokens';

/** Describes a model artifact. */
export interface ModelArtifactOptions {
  /**
   * The model's name, as it appears in the SBOM.
   * @default - the last path segment of the URI that is not a version or a generic name like `model` (`fraud` for `s3://b/fraud/1.4/model.tar.gz`)
   */
  readonly name?: string;
  /**
   * The model's version.
   * @default - none; the SBOM lists the model without a version
   */
  readonly version?: string;
  /**
   * The framework the model was trained with (e.g. `xgboost`, `pytorch`), recorded in the SBOM.
   * @default - not recorded
   */
  readonly framework?: string;
  /**
   * The SHA-256 of the artifact as 64 hex characters, recorded in the SBOM so that the deployed model can be verified.
   * @default - not recorded
   */
  readonly sha256?: string;
}

/** The URI schemes a model may live under. */
export type ModelUriScheme = 's3' | 'https' | 'oci';

// S3 bucket naming rules: 3-63 characters, lowercase letters, digits, dots and hyphens, starting and ending alphanumeric.
const S3_URI = /^s3:\/\/([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])\/(\S+)$/;
const HTTPS_URI = /^https:\/\/[^\s/$.?#][^\s]*$/;
const OCI_URI = /^oci:\/\/[a-z0-9.-]+(?::[0-9]+)?\/[a-z0-9._/-]+(?::[A-Za-z0-9_.-]+|@sha256:[a-f0-9]{64})?$/;
const SHA256_HEX = /^[a-f0-9]{64}$/;

/** Where a model lives (`s3://…`, `https://…`, `oci://…`), with what the SBOM records about it. */
export class ModelArtifact {
  /** A model at a URI: `s3://bucket/key`, `https://host/path` or `oci://registry/repo[:tag|@sha256:…]`. */
  public static fromUri(uri: string, options: ModelArtifactOptions = {}): ModelArtifact {
    return new ModelArtifact(uri, options);
  }

  /** The URI as given. */
  public readonly uri: string;
  /** The scheme of the URI. */
  public readonly scheme: ModelUriScheme;
  /** The model's name. */
  public readonly name: string;
  /** The model's version, when given. */
  public readonly version?: string;
  /** The training framework, when given. */
  public readonly framework?: string;
  /** The artifact's SHA-256, when given. */
  public readonly sha256?: string;

  private constructor(uri: string, options: ModelArtifactOptions) {
    if (isUnresolved(uri)) {
      throw new MlPlatformError({
        scope: 'ModelArtifact.fromUri',
        prop: 'uri',
        value: uri,
        allowed: 'a URI known at synthesis: the model is granted to the services that read it and recorded in the SBOM by its location',
        fix: 'give the bucket and key as literals, e.g. "s3://my-models/fraud/1.4.0/model.tar.gz"',
      });
    }
    if (options === null || typeof options !== 'object') {
      throw new MlPlatformError({
        scope: 'ModelArtifact.fromUri', prop: 'options', value: options, allowed: 'an object of options, or none', fix: 'pass { version: "1.4.0" } or nothing',
      });
    }
    const scheme = schemeOf(uri);
    if (scheme === undefined) {
      throw new MlPlatformError({
        scope: 'ModelArtifact.fromUri',
        prop: 'uri',
        value: uri,
        allowed: 's3://<bucket>/<key>, https://<host>/<path> or oci://<registry>/<repository>[:tag|@sha256:<digest>]',
        fix: 'give the full URI of the model artifact, e.g. "s3://my-models/fraud/1.4.0/model.tar.gz"',
      });
    }
    if (options.sha256 !== undefined && !SHA256_HEX.test(options.sha256)) {
      throw new MlPlatformError({
        scope: 'ModelArtifact.fromUri',
        prop: 'sha256',
        value: options.sha256,
        allowed: '64 lowercase hex characters',
        fix: 'use the output of `sha256sum <artifact>`',
      });
    }
    for (const prop of ['name', 'version', 'framework'] as const) {
      const value = options[prop];
      if (value !== undefined && (typeof value !== 'string' || value.trim() === '')) {
        throw new MlPlatformError({
          scope: 'ModelArtifact.fromUri',
          prop,
          value,
          allowed: 'a non-empty string, or leave it unset',
          fix: `remove ${prop} or give it a value`,
        });
      }
    }
    this.uri = uri;
    this.scheme = scheme;
    this.name = options.name ?? defaultName(uri);
    this.version = options.version;
    this.framework = options.framework;
    this.sha256 = options.sha256;
  }

  /** For `s3://` models: the bucket and the key. */
  public get s3Location(): { readonly bucket: string; readonly key: string } | undefined {
    const match = S3_URI.exec(this.uri);
    return match ? { bucket: match[1], key: match[2] } : undefined;
  }
}

function schemeOf(uri: unknown): ModelUriScheme | undefined {
  if (typeof uri !== 'string') {
    return undefined;
  }
  if (S3_URI.test(uri)) {
    return 's3';
  }
  if (HTTPS_URI.test(uri)) {
    return 'https';
  }
  if (OCI_URI.test(uri)) {
    return 'oci';
  }
  return undefined;
}

function defaultName(uri: string): string {
  const path = uri.replace(/^[a-z0-9]+:\/\//, '').replace(/[@:][^/]*$/, '');
  const segments = path.split('/').filter((segment) => segment !== '')
    .map((segment) => segment.replace(/\.(tar\.gz|tgz|zip|onnx|pt|pkl|joblib|bin|safetensors)$/, ''));
  // SageMaker names every packaged artifact model.tar.gz: the folder above says which model it is.
  const generic = ['model', 'models', 'artifact', 'output'];
  const meaningful = segments.slice(1).reverse().find((segment) => !generic.includes(segment) && !/^v?\d+(\.\d+)*$/.test(segment));
  return meaningful ?? segments[segments.length - 1] ?? path;
}
