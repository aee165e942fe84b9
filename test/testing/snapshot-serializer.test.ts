import { libraryVersion } from '../../lib/core/library-info';
import { SNAPSHOT_MASKS, stableSnapshotSerializer } from '../../lib/testing/snapshot-serializer';

const VERSION = libraryVersion();
const ASSET = 'a'.repeat(64);
const DIGEST = `sha256:${'b'.repeat(64)}`;

/** What the serializer hands jest's printer: printed here as JSON, so the masking itself is asserted. */
function printed(value: unknown): string {
  return stableSnapshotSerializer.serialize(value, {}, '', 0, [], (masked: unknown) => JSON.stringify(masked));
}

describe('stableSnapshotSerializer', () => {
  test('GIVEN the SBOM component of this library as an object THEN its version is masked', () => {
    const component = { 'bom-ref': 'library:ml-platform-constructs', 'name': 'ml-platform-constructs', 'type': 'library', 'version': VERSION };
    expect(stableSnapshotSerializer.test(component)).toBe(true);
    expect(JSON.parse(printed(component))).toEqual({ ...component, version: SNAPSHOT_MASKS.libraryVersion });
  });

  test('GIVEN a serialized SBOM THEN the library component\'s version and purl are masked, in either key order', () => {
    const sbom = JSON.stringify({
      components: [
        { name: 'ml-platform-constructs', purl: `pkg:npm/ml-platform-constructs@${VERSION}`, type: 'library', version: VERSION },
        { version: VERSION, type: 'library', name: 'ml-platform-constructs' },
      ],
    });
    expect(JSON.parse(JSON.parse(printed(sbom)))).toEqual({
      components: [
        { name: 'ml-platform-constructs', purl: 'pkg:npm/ml-platform-constructs@<library-version>', type: 'library', version: '<library-version>' },
        { version: '<library-version>', type: 'library', name: 'ml-platform-constructs' },
      ],
    });
  });

  test('GIVEN another component with the same version THEN it is left alone', () => {
    expect(stableSnapshotSerializer.test({ name: 'fraud', version: VERSION })).toBe(false);
    expect(stableSnapshotSerializer.test(JSON.stringify([{ name: 'fraud', version: VERSION }]))).toBe(false);
  });

  test('GIVEN a CDK asset file name and an image digest THEN only the asset hash is masked', () => {
    expect(JSON.parse(printed(`s3://assets/${ASSET}.zip ${DIGEST}`))).toBe(`s3://assets/<asset-hash>.zip ${DIGEST}`);
  });

  test('GIVEN an already masked value THEN the serializer does not claim it', () => {
    expect(stableSnapshotSerializer.test('s3://assets/<asset-hash>.zip pkg:npm/ml-platform-constructs@<library-version>')).toBe(false);
    expect(stableSnapshotSerializer.test({ name: 'ml-platform-constructs', version: '<library-version>' })).toBe(false);
  });
});
