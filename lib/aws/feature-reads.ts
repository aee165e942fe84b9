import type * as iam from 'aws-cdk-lib/aws-iam';

/** A store whose feature groups can be read at prediction time: the AWS `FeatureStore`. */
export interface FeatureGroupSource {
  /** Lets `grantee` read records (GetRecord, BatchGetRecord) of the groups named, or of every group with an online store. */
  grantRead(grantee: iam.IGrantable, ...groupNames: string[]): iam.Grant;
}

/** Feature groups a model reads while it runs (an endpoint's model at prediction time, a pipeline's during scoring). */
export interface FeatureReads {
  /** The store. */
  readonly store: FeatureGroupSource;
  /**
   * The groups, by name.
   * @default - every group of the store with an online store
   */
  readonly groups?: readonly string[];
}

/** Grants `grantee` exactly the reads (GetRecord, BatchGetRecord and the key's Decrypt) of each `FeatureReads`. */
export function grantFeatureReads(grantee: iam.IGrantable, reads: readonly FeatureReads[] | undefined): void {
  for (const read of reads ?? []) {
    read.store.grantRead(grantee, ...(read.groups ?? []));
  }
}
