import { LIBRARY_NAME, libraryVersion } from '../core/library-info';

/**
 * A jest snapshot serializer (jest's `SnapshotSerializerPlugin` shape, declared here so the package needs no jest
 * types): `expect.addSnapshotSerializer(stableSnapshotSerializer)` in a test file, or a module of your own that
 * `export =`s it, named in jest's `snapshotSerializers`.
 */
export interface SnapshotSerializer {
  /** Whether this serializer prints `value`. */
  test(value: unknown): boolean;
  /** Prints `value` through jest's own printer after masking. */
  serialize(value: any, config: any, indentation: string, depth: number, refs: any, printer: (...args: any[]) => string): string;
}

/** What a masked asset hash and this library's version read as in a snapshot. */
export const SNAPSHOT_MASKS = { assetHash: '<asset-hash>', libraryVersion: '<library-version>' } as const;

// CDK asset file names: a 64-hex hash and an extension. Image digests (`sha256:<hex>`) are infrastructure and stay.
const ASSET_HASH = /(?<!sha256:)\b[0-9a-f]{64}(?=\.(?:zip|json)\b)/g;

function escaped(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function maskText(text: string): string {
  const version = escaped(libraryVersion());
  const name = escaped(LIBRARY_NAME);
  const mark = SNAPSHOT_MASKS.libraryVersion;
  return text
    .replace(ASSET_HASH, SNAPSHOT_MASKS.assetHash)
    // purls and references: pkg:npm/ml-platform-constructs@1.2.3
    .replace(new RegExp(`(${name}@)${version}\\b`, 'g'), `$1${mark}`)
    // the library's component in serialized JSON, its "version" before or after its "name" within one object
    .replace(new RegExp(`("name"\\s*:\\s*"${name}"[^{}]*?"version"\\s*:\\s*")${version}"`, 'g'), `$1${mark}"`)
    .replace(new RegExp(`("version"\\s*:\\s*")${version}("[^{}]*?"name"\\s*:\\s*"${name}")`, 'g'), `$1${mark}$2`);
}

function isLibraryComponent(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return false;
  }
  const record = value as Record<string, unknown>;
  return record.name === LIBRARY_NAME && record.version === libraryVersion();
}

/**
 * Masks what changes without the infrastructure changing: CDK asset hashes (`<asset-hash>`) and this library's
 * version (`<library-version>`) in purls, references and the SBOM's component for the library, as a string or
 * as a parsed object. Masking is idempotent, so a masked value is printed as is.
 */
export const stableSnapshotSerializer: SnapshotSerializer = {
  test: (value: unknown) => (typeof value === 'string' && maskText(value) !== value) || isLibraryComponent(value),
  serialize: (value, config, indentation, depth, refs, printer) => {
    const masked = typeof value === 'string' ? maskText(value) : { ...value, version: SNAPSHOT_MASKS.libraryVersion };
    return printer(masked, config, indentation, depth, refs);
  },
};
