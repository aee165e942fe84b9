// The fraud features of the examples: customer and transaction entities, one online and one offline-only group.
import type { FeatureStoreProps as AwsFeatureStoreProps } from '../../constructs/feature-store/aws';
import type { FeatureStoreProps } from '../../constructs/feature-store/k8s';

export const FRAUD_FEATURES: Pick<AwsFeatureStoreProps, 'entities' | 'featureGroups'> = {
  entities: [{ name: 'customer', joinKey: 'customer_id' }, { name: 'transaction', joinKey: 'transaction_id' }],
  featureGroups: [
    {
      name: 'customer-spend',
      entity: 'customer',
      description: 'Spend per customer over rolling windows',
      ttl: { value: 7, unit: 'Days' },
      features: [{ name: 'spend_7d', type: 'fractional' }, { name: 'txn_count_7d', type: 'integral' }],
    },
    { name: 'transaction-risk', entity: 'transaction', online: false, features: [{ name: 'merchant_category', type: 'string' }, { name: 'amount', type: 'fractional' }] },
  ],
};

export const FRAUD_K8S: FeatureStoreProps = {
  storeName: 'fraud-features',
  entities: [{ name: 'customer', joinKey: 'customer_id' }, { name: 'transaction', joinKey: 'transaction_id' }],
  featureGroups: [
    {
      name: 'customer-spend',
      entity: 'customer',
      ttl: { value: 7, unit: 'Days' },
      description: 'Spend per customer',
      features: [{ name: 'spend_7d', type: 'fractional' }, { name: 'recent_merchants', type: 'string', list: true }],
    },
    { name: 'transaction-risk', entity: 'transaction', online: false, features: [{ name: 'amount', type: 'fractional' }] },
  ],
  onlineStore: { secretName: 'fraud-redis' },
};
