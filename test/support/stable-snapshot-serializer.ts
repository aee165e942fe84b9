import { stableSnapshotSerializer } from '../../lib/testing/snapshot-serializer';

// jest's `snapshotSerializers` loads this module: the library's own serializer (`ml-platform-constructs/testing`).
export = stableSnapshotSerializer;
