import { Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

/**
 * Every cdk-nag finding this library acknowledges, with the reason, in one reviewed place.
 * Constructs call `acknowledge(construct, 'KEY')`; nothing else in the library acknowledges findings.
 */
export const NAG_ACKNOWLEDGEMENTS = {
  bucketReplication: {
    ids: ['NIST.800.53.R5-S3BucketReplicationEnabled', 'HIPAA.Security-S3BucketReplicationEnabled'],
    reason: 'Replication to another region would break the data-residency policy; durability comes from versioning, RETAIN on delete and S3\'s own multi-AZ storage.',
  },
} as const satisfies Record<string, { readonly ids: readonly string[]; readonly reason: string }>;

/** Records the reviewed acknowledgement `key` on a construct. */
export function acknowledge(construct: IConstruct, key: keyof typeof NAG_ACKNOWLEDGEMENTS): void {
  const { ids, reason } = NAG_ACKNOWLEDGEMENTS[key];
  for (const id of ids) {
    Validations.of(construct).acknowledge({ id, reason });
  }
}
