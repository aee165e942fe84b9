import { MlPlatformError, type ErrorScope } from './errors';
import { isUnresolved } from './tokens';

/** Options for an image referenced by a mutable tag. */
export interface MutableTagOptions {
  /**
   * Why this image may be referenced by a tag that can move (e.g. "vendor publishes no digests; scanned nightly").
   * Without a reason the reference is an error at synthesis, because a tag can point at a different image tomorrow
   * and the SBOM could no longer say what runs.
   *
   * @default - the tag is not allowed
   */
  readonly allowMutableTag?: string;
}

// Grammar from the OCI distribution spec (distribution/reference): lowercase path components joined by '/'.
const PATH_COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
const SHA256_DIGEST = /^sha256:[a-f0-9]{64}$/;
const REGISTRY = /^(?:localhost|[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+|[A-Za-z0-9-]+:[0-9]+|\[[0-9a-fA-F:]+\])(?::[0-9]+)?$/;
// Docker Hub is the registry of references that name none (docker/distribution normalization).
const DEFAULT_REGISTRY = 'docker.io';

// distribution/reference NameTotalLengthMax: a registry and repository name is at most 255 characters.
const MAX_NAME_LENGTH = 255;

const DIGEST_FORMAT = 'registry/repository@sha256:<64 lowercase hex> (a tag before the digest is allowed)';

interface ParsedReference {
  readonly registry: string;
  readonly repository: string;
  readonly tag?: string;
  readonly digest?: string;
}

/**
 * A container image, normally pinned by digest.
 *
 * - `ContainerImage.fromDigest('123456789012.dkr.ecr.eu-west-1.amazonaws.com/fraud@sha256:…')` is the normal way.
 * - `ContainerImage.fromTag('repo:1.2', { allowMutableTag: 'reason' })` accepts a tag that can move, with a written
 *   reason; the SBOM then marks the image as mutable. Without a reason, a construct given the image fails synthesis
 *   naming its prop.
 */
export class ContainerImage {
  /** An image pinned by its sha256 digest. */
  public static fromDigest(reference: string): ContainerImage {
    const parsed = parseReference('ContainerImage.fromDigest', reference);
    if (!parsed.digest) {
      throw new MlPlatformError({
        scope: 'ContainerImage.fromDigest',
        prop: 'reference',
        value: reference,
        allowed: DIGEST_FORMAT,
        fix: 'append the digest (`docker buildx imagetools inspect <ref>` prints it), or use ContainerImage.fromTag(ref, { allowMutableTag: "<reason>" })',
      });
    }
    return new ContainerImage(reference, parsed);
  }

  /**
   * An image referenced by a tag. The tag is a synthesis error for any construct that uses the image unless
   * `allowMutableTag` gives a reason.
   */
  public static fromTag(reference: string, options: MutableTagOptions = {}): ContainerImage {
    const parsed = parseReference('ContainerImage.fromTag', reference);
    if (parsed.digest) {
      throw new MlPlatformError({
        scope: 'ContainerImage.fromTag',
        prop: 'reference',
        value: reference,
        allowed: 'a reference without a digest',
        fix: 'use ContainerImage.fromDigest for digest-pinned references',
      });
    }
    const reason = options.allowMutableTag;
    if (reason !== undefined && (typeof reason !== 'string' || reason.trim() === '')) {
      throw new MlPlatformError({
        scope: 'ContainerImage.fromTag',
        prop: 'allowMutableTag',
        value: reason,
        allowed: 'a non-empty reason why this image cannot be pinned by digest',
        fix: 'write the reason, e.g. { allowMutableTag: "vendor image, digest rotates nightly; scanned on pull" }',
      });
    }
    return new ContainerImage(reference, { ...parsed, tag: parsed.tag ?? 'latest' }, reason);
  }

  /** The reference as given. */
  public readonly reference: string;
  /** The registry host, `docker.io` when the reference names none. */
  public readonly registry: string;
  /** The repository path within the registry, e.g. `library/python` or `ml/fraud-server`. */
  public readonly repository: string;
  /** The tag, when the reference has one. */
  public readonly tag?: string;
  /** The `sha256:` digest, when pinned. */
  public readonly digest?: string;
  /** The reason a mutable tag was accepted, when it was. */
  public readonly mutableTagReason?: string;

  private constructor(reference: string, parsed: ParsedReference, mutableTagReason?: string) {
    this.reference = reference;
    this.registry = parsed.registry;
    this.repository = parsed.repository;
    this.tag = parsed.tag;
    this.digest = parsed.digest;
    this.mutableTagReason = mutableTagReason;
  }

  /** `true` when the image is pinned by digest. */
  public get isPinned(): boolean {
    return this.digest !== undefined;
  }

  /** The short name of the image: the last path component of the repository. */
  public get name(): string {
    return this.repository.split('/').pop()!;
  }

  /**
   * Throws unless the image is pinned by digest or its mutable tag was accepted with a reason.
   * Constructs call this for every image prop they are given.
   */
  public assertPinned(scope: ErrorScope, prop: string): void {
    if (this.isPinned || this.mutableTagReason !== undefined) {
      return;
    }
    throw new MlPlatformError({
      scope,
      prop,
      value: this.reference,
      allowed: `an image pinned by digest (${DIGEST_FORMAT})`,
      fix: 'use ContainerImage.fromDigest("<repo>@sha256:<digest>"), or ContainerImage.fromTag(ref, { allowMutableTag: "<why a tag is acceptable>" })',
    });
  }
}

/** The length of the name part of a reference: what comes before the tag and digest. */
function nameLength(reference: string): number {
  const name = reference.split('@')[0];
  const lastSlash = name.lastIndexOf('/');
  const colon = name.indexOf(':', lastSlash + 1);
  return colon < 0 ? name.length : colon;
}

function parseReference(factory: string, reference: string): ParsedReference {
  const fail = (allowed: string): never => {
    throw new MlPlatformError({
      scope: factory,
      prop: 'reference',
      value: reference,
      allowed,
      fix: 'write the reference as registry/repository[:tag][@sha256:<digest>], e.g. "123456789012.dkr.ecr.eu-west-1.amazonaws.com/fraud@sha256:<64 hex>"',
    });
  };
  if (typeof reference !== 'string' || reference.trim() === '') {
    return fail('a non-empty image reference');
  }
  if (isUnresolved(reference)) {
    // The registry, repository and digest are granted, pinned and recorded in the SBOM at synthesis.
    return fail('a reference known at synthesis: its repository is granted and its digest recorded in the SBOM');
  }
  // The OCI distribution reference grammar (distribution/reference NameTotalLengthMax) and SageMaker's Image field both stop at 255.
  if (nameLength(reference) > MAX_NAME_LENGTH) {
    return fail(`a registry and repository name of at most ${MAX_NAME_LENGTH} characters`);
  }
  if (/\s/.test(reference)) {
    return fail('a reference without white space');
  }
  const [nameAndTag, digest, ...rest] = reference.split('@');
  if (rest.length > 0) {
    return fail('at most one "@" before the digest');
  }
  if (digest !== undefined && !SHA256_DIGEST.test(digest)) {
    return fail('a digest of the form sha256:<64 lowercase hex>');
  }
  const parts = nameAndTag.split('/');
  let registry = DEFAULT_REGISTRY;
  if (parts.length > 1 && REGISTRY.test(parts[0]) && (parts[0].includes('.') || parts[0].includes(':') || parts[0] === 'localhost')) {
    registry = parts.shift()!;
  }
  let tag: string | undefined;
  const last = parts[parts.length - 1];
  const colon = last.lastIndexOf(':');
  if (colon >= 0) {
    tag = last.slice(colon + 1);
    parts[parts.length - 1] = last.slice(0, colon);
    if (!TAG.test(tag)) {
      return fail('a tag of letters, digits, "_", "." and "-", at most 128 characters');
    }
  }
  if (parts.some((part) => !PATH_COMPONENT.test(part))) {
    return fail('repository path components of lowercase letters and digits separated by ".", "_", "__" or "-"');
  }
  if (registry === DEFAULT_REGISTRY && parts.length === 1) {
    // Docker Hub's official images live under library/.
    parts.unshift('library');
  }
  return { registry, repository: parts.join('/'), tag, digest };
}
