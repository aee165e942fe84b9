import { Construct } from 'constructs';
import type { FeatureGroupSpec } from '../../constructs/feature-store/definitions';
import { type FeatureStorePlanProps, planFeatureStore } from '../../constructs/feature-store/plan';

const scope = () => new Construct(undefined as any, 'FraudFeatures');
const group = (overrides: Partial<FeatureGroupSpec> = {}): FeatureGroupSpec => ({
  name: 'customer-spend', entity: 'customer', features: [{ name: 'spend_7d', type: 'fractional' }], ...overrides,
});
const props = (overrides: Partial<FeatureStorePlanProps> = {}): FeatureStorePlanProps => ({
  entities: [{ name: 'customer', joinKey: 'customer_id' }], featureGroups: [group()], ...overrides,
});
const plan = (overrides: Partial<FeatureStorePlanProps> = {}) => planFeatureStore(scope(), props(overrides));

describe('defaults', () => {
  test('GIVEN minimal props WHEN planned THEN the store is named after the id, groups are online and offline, fresh within 26 h, no TTL', () => {
    const result = plan();
    expect(result.storeName).toBe('fraud-features');
    expect(result.projectName).toBe('fraud_features');
    expect(result.groups[0]).toEqual({
      name: 'customer-spend',
      entity: { name: 'customer', joinKey: 'customer_id', type: 'string', description: undefined },
      recordIdentifier: 'customer_id',
      eventTime: 'event_time',
      features: [
        { name: 'customer_id', type: 'string', list: false, description: 'The customer id', role: 'recordIdentifier' },
        { name: 'event_time', type: 'string', list: false, description: 'Event time (ISO-8601)', role: 'eventTime' },
        { name: 'spend_7d', type: 'fractional', list: false, description: undefined, role: 'feature' },
      ],
      description: undefined,
      online: true,
      offline: true,
      ttl: undefined,
      ttlSeconds: undefined,
      freshnessMinutes: 1560,
      tableName: 'customer_spend',
    });
  });

  test('GIVEN a TTL of 2 weeks WHEN planned THEN the lookback is 1,209,600 seconds', () => {
    expect(plan({ featureGroups: [group({ ttl: { value: 2, unit: 'Weeks' } })] }).groups[0].ttlSeconds).toBe(1_209_600);
  });
});

describe('refusals', () => {
  const refused = (overrides: Partial<FeatureStorePlanProps>) => () => plan(overrides);

  test.each([
    ['customer_spend', 'FraudFeatures: invalid featureGroups[0].name "customer_spend". Allowed: a letter or digit, then letters, digits and "-" (no "_", no "--" at the end), at most 64 characters. Fix: name the group, e.g. "customer-spend-v1"'],
    ['-spend', 'FraudFeatures: invalid featureGroups[0].name "-spend". Allowed: a letter or digit, then letters, digits and "-" (no "_", no "--" at the end), at most 64 characters. Fix: name the group, e.g. "customer-spend-v1"'],
    ['a'.repeat(65), `FraudFeatures: invalid featureGroups[0].name "${'a'.repeat(65)}". Allowed: 1-64 characters (65 given): a letter or digit, then letters, digits and "-" (no "_", no "--" at the end), at most 64 characters. Fix: name the group, e.g. "customer-spend-v1"`],
  ])('GIVEN group name %j THEN the SageMaker name rule refuses it', (name, message) => {
    expect(refused({ featureGroups: [group({ name })] })).toThrow(message);
  });

  test.each(['is_deleted', 'write_time', 'API_INVOCATION_TIME'])('GIVEN the reserved feature name %s THEN it is refused', (name) => {
    expect(refused({ featureGroups: [group({ features: [{ name, type: 'string' }] })] })).toThrow(
      `FraudFeatures: invalid featureGroups[0].features[0].name "${name}". Allowed: a name other than is_deleted, write_time, api_invocation_time (SageMaker adds them to every offline record). Fix: rename the feature`);
  });

  test('GIVEN two features differing only in case THEN the second is refused (Glue lowercases columns)', () => {
    expect(refused({ featureGroups: [group({ features: [{ name: 'Spend', type: 'fractional' }, { name: 'spend', type: 'fractional' }] })] })).toThrow(
      'FraudFeatures: invalid featureGroups[0].features[1].name "spend". Allowed: a name unique in the group ignoring case (Glue keeps column names in lowercase); "Spend" is already there. Fix: rename one of them');
  });

  test('GIVEN a feature named like the join key THEN it is refused', () => {
    expect(refused({ featureGroups: [group({ features: [{ name: 'customer_id', type: 'string' }] })] })).toThrow(
      'invalid featureGroups[0].features[0].name "customer_id". Allowed: a name unique in the group ignoring case');
  });

  test('GIVEN 2,499 features (2,501 with the id and event time) THEN the group is refused', () => {
    const features = Array.from({ length: 2499 }, (_, index) => ({ name: `f${index}`, type: 'integral' as const }));
    expect(refused({ featureGroups: [group({ features })] })).toThrow(
      'FraudFeatures: invalid featureGroups[0].features "2501 features with the id and event time". Allowed: at most 2500 (CloudFormation AWS::SageMaker::FeatureGroup FeatureDefinitions). Fix: split the group in two');
  });

  test('GIVEN 2,498 features (2,500 in all) THEN the group is planned', () => {
    const features = Array.from({ length: 2498 }, (_, index) => ({ name: `f${index}`, type: 'integral' as const }));
    expect(plan({ featureGroups: [group({ features })] }).groups[0].features).toHaveLength(2500);
  });

  test('GIVEN a description of 129 characters THEN it is refused', () => {
    expect(refused({ featureGroups: [group({ description: 'd'.repeat(129) })] })).toThrow(
      `FraudFeatures: invalid featureGroups[0].description "${'d'.repeat(129)}". Allowed: 0-128 characters (129 given): text (CloudFormation AWS::SageMaker::FeatureGroup Description). Fix: shorten the description`);
  });

  test('GIVEN neither online nor offline THEN the group is refused', () => {
    expect(refused({ featureGroups: [group({ online: false, offline: false })] })).toThrow(
      'FraudFeatures: invalid featureGroups[0].online false. Allowed: an online store, an offline store or both (CreateFeatureGroup needs one of OnlineStoreConfig and OfflineStoreConfig). Fix: leave online or offline at its default (true)');
  });

  test('GIVEN a TTL on an offline-only group THEN it is refused', () => {
    expect(refused({ featureGroups: [group({ online: false, ttl: { value: 1, unit: 'Days' } })] })).toThrow(
      'FraudFeatures: invalid featureGroups[0].ttl {"value":1,"unit":"Days"}. Allowed: a TTL only on a group with an online store (OnlineStoreConfig.TtlDuration). Fix: remove ttl, or set online: true');
  });

  test.each([
    [{ value: 0, unit: 'Days' }, 'featureGroups[0].ttl.value 0. Allowed: a whole number from 1 to 2147483647 (TtlDuration.Value)'],
    [{ value: 1, unit: 'Months' }, 'featureGroups[0].ttl.unit "Months". Allowed: one of "Seconds", "Minutes", "Hours", "Days", "Weeks"'],
  ])('GIVEN ttl %j THEN it is refused', (ttl, message) => {
    expect(refused({ featureGroups: [group({ ttl: ttl as any })] })).toThrow(message);
  });

  test('GIVEN a group of an unknown entity THEN it is refused naming the entities', () => {
    expect(refused({ featureGroups: [group({ entity: 'merchant' })] })).toThrow(
      'FraudFeatures: invalid featureGroups[0].entity "merchant". Allowed: one of the entities: "customer". Fix: add the entity to entities, or name one of those');
  });

  test('GIVEN two groups whose table names collide THEN the second is refused', () => {
    expect(refused({ featureGroups: [group({ name: 'Customer-Spend' }), group({ name: 'customer-spend' })] })).toThrow(
      'FraudFeatures: invalid featureGroups "customer_spend". Allowed: each item unique by its offline table name (lowercase, "-" as "_"). Fix: rename one of them');
  });

  test('GIVEN no groups THEN the store is refused', () => {
    expect(refused({ featureGroups: [] })).toThrow('FraudFeatures: invalid featureGroups []. Allowed: at least one feature group.');
  });

  test('GIVEN a store name with "_" THEN it is refused', () => {
    expect(refused({ storeName: 'fraud_features' })).toThrow(
      'FraudFeatures: invalid storeName "fraud_features". Allowed: 1-40 lowercase letters, digits and "-", starting and ending with a letter or digit. Fix: name the store, e.g. "fraud-features"');
  });
});
