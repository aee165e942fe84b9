import { libraryVersion } from '../../lib/core';

// CDK asset file names: a 64-hex hash and an extension. Image digests (`sha256:<hex>`) are infrastructure and stay.
const ASSET_HASH = /(?<!sha256:)\b[0-9a-f]{64}(?=\.(?:zip|json)\b)/g;
const LIBRARY_VERSION_MARK = '<library-version>';

function mask(text: string): string {
  const version = libraryVersion().replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return text
    .replace(ASSET_HASH, '<asset-hash>')
    .replace(new RegExp(`(ml-platform-constructs@)${version}\\b`, 'g'), `$1${LIBRARY_VERSION_MARK}`);
}

/**
 * A jest snapshot serializer that masks asset hashes and this library's version in every string,
 * so a snapshot changes only when infrastructure changes. Masking is idempotent, so a masked string
 * is printed as is.
 */
const serializer: jest.SnapshotSerializerPlugin = {
  test: (value: unknown) => typeof value === 'string' && mask(value) !== value,
  serialize: (value: string, config, indentation, depth, refs, printer) =>
    printer(mask(value), config, indentation, depth, refs),
};

export = serializer;
