import type { EntitySpec, FeatureGroupSpec } from '../../constructs/k8s';

/** The fraud features' store, the same on every engine. */
export const FRAUD_FEATURE_STORE = 'fraud-features';

/** The entities the fraud features are about. */
export const FRAUD_ENTITIES: EntitySpec[] = [
  { name: 'customer', joinKey: 'customer_id', description: 'A card holder' },
  { name: 'transaction', joinKey: 'transaction_id', description: 'One card payment' },
];

/** The fraud features: customer spend served online with a week's TTL, transaction risk for training and batch scoring. */
export const FRAUD_FEATURE_GROUPS: FeatureGroupSpec[] = [
  {
    name: 'customer-spend',
    entity: 'customer',
    description: 'Spend of a customer over rolling windows',
    ttl: { value: 7, unit: 'Days' },
    // Written every hour by the ingestion job: three missed hours page the owner.
    freshnessMinutes: 180,
    features: [
      { name: 'spend_1h', type: 'fractional', description: 'Amount spent in the last hour' },
      { name: 'spend_7d', type: 'fractional', description: 'Amount spent in the last 7 days' },
      { name: 'txn_count_7d', type: 'integral', description: 'Payments in the last 7 days' },
      { name: 'home_country', type: 'string', description: 'ISO 3166 country of the card' },
    ],
  },
  {
    name: 'transaction-risk',
    entity: 'transaction',
    description: 'Risk signals of a payment, for training and batch scoring',
    online: false,
    features: [
      { name: 'amount', type: 'fractional', description: 'Payment amount in EUR' },
      { name: 'merchant_category', type: 'string', description: 'ISO 18245 merchant category code' },
      { name: 'card_present', type: 'integral', description: '1 when the card was present' },
    ],
  },
];
