import { Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { DataBucket, EncryptionKey, OwnerNotifications } from '../../constructs/aws';

/** The example ML platform: one customer-managed key for all data, a data bucket and the owner's alarm topic. */
export class PlatformStack extends Stack {
  public readonly dataKey: EncryptionKey;
  public readonly featureData: DataBucket;
  public readonly owner: OwnerNotifications;

  public constructor(scope: Construct, id: string, props: StackProps) {
    super(scope, id, props);
    this.dataKey = new EncryptionKey(this, 'DataKey', { alias: 'alias/ml-platform/data' });
    this.featureData = new DataBucket(this, 'FeatureData', { encryptionKey: this.dataKey.key, datasetName: 'feature-data' });
    this.owner = new OwnerNotifications(this, 'Owner', { encryptionKey: this.dataKey.key, displayName: 'ML platform owner' });
  }
}
