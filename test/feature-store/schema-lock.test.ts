import { mkdtempSync, readFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { Construct } from 'constructs';
import type { FeatureGroupSpec } from '../../constructs/feature-store/definitions';
import { planFeatureStore } from '../../constructs/feature-store/plan';
import { FeatureSchemaLock, guardSchema, lockedSchema, lockMode, type LockMode } from '../../constructs/feature-store/schema-lock';

const ENGINE = { onlineStorageType: 'Standard', offlineStore: 's3://data/features/fraud-features/ Iceberg fraud_features' };

function deploy(lock: FeatureSchemaLock, groups: FeatureGroupSpec[], mode: LockMode = 'check', engine: Record<string, string> = ENGINE): string[] {
  const scope = new Construct(undefined as any, 'FraudFeatures');
  const plan = planFeatureStore(scope, { entities: [{ name: 'customer', joinKey: 'customer_id' }], featureGroups: groups });
  const schemas = Object.fromEntries(plan.groups.map((group) => [group.name, lockedSchema(group, engine)]));
  return guardSchema(scope, 'aws', plan, schemas, lock, mode);
}

const spend = (features: FeatureGroupSpec['features'], overrides: Partial<FeatureGroupSpec> = {}): FeatureGroupSpec =>
  ({ name: 'customer-spend', entity: 'customer', features, ...overrides });
const V1 = [{ name: 'spend_7d', type: 'fractional' as const }, { name: 'txn_count_7d', type: 'integral' as const }];

/** A lock holding V1 as deployed. */
function deployedLock(): FeatureSchemaLock {
  const lock = FeatureSchemaLock.inMemory();
  deploy(lock, [spend(V1)], 'update');
  return lock;
}

test('GIVEN no lock WHEN a store is synthesized in check mode THEN the new group is refused with the command that records it', () => {
  expect(() => deploy(FeatureSchemaLock.inMemory(), [spend(V1)])).toThrow(
    'FraudFeatures: invalid featureGroups "new group \\"customer-spend\\" (4 features)". Allowed: only the schemas recorded in (in memory). '
    + 'Fix: review the additions and record them with -c featureStoreLock=update (npx cdk synth -c featureStoreLock=update), then commit the lock file');
});

test('GIVEN update mode WHEN a new group is synthesized THEN the lock records its features and create-only properties', () => {
  const lock = FeatureSchemaLock.inMemory();
  expect(deploy(lock, [spend(V1)], 'update')).toEqual(['new group "customer-spend" (4 features)']);
  expect(lock.read().stores['aws/fraud-features'].groups['customer-spend']).toEqual({
    features: [
      { name: 'customer_id', type: 'string' }, { name: 'event_time', type: 'string' },
      { name: 'spend_7d', type: 'fractional' }, { name: 'txn_count_7d', type: 'integral' },
    ],
    createOnly: { recordIdentifier: 'customer_id', eventTime: 'event_time', online: 'true', offline: 'true', description: '', ...ENGINE },
  });
});

test('GIVEN the deployed schema unchanged WHEN synthesized in check mode THEN nothing is refused or recorded', () => {
  expect(deploy(deployedLock(), [spend(V1)])).toEqual([]);
});

test('GIVEN a feature removed THEN synthesis fails naming the group and the feature, in either mode', () => {
  for (const mode of ['check', 'update'] as const) {
    expect(() => deploy(deployedLock(), [spend([V1[0]])], mode)).toThrow(
      'FraudFeatures: invalid featureGroups[customer-spend].features.txn_count_7d "(removed)". Allowed: every feature in (in memory) kept: SageMaker features can only be added. '
      + 'Fix: keep "txn_count_7d" (stop writing it if unused), or define a new version of the group under a new name (e.g. "-v2") beside the old one, backfill it, '
      + 'move readers to it, and remove the old group when nothing reads it (it is retained, not deleted)');
  }
});

test('GIVEN a feature renamed THEN synthesis fails naming the old feature and the rename', () => {
  expect(() => deploy(deployedLock(), [spend([V1[0], { name: 'txn_count_week', type: 'integral' }])], 'update')).toThrow(
    'invalid featureGroups[customer-spend].features.txn_count_7d "(removed)". Allowed: every feature in (in memory) kept: SageMaker features can only be added; '
    + '"txn_count_week" in its place looks like a rename.');
});

test('GIVEN a feature type changed THEN synthesis fails naming the feature and both types', () => {
  expect(() => deploy(deployedLock(), [spend([V1[0], { name: 'txn_count_7d', type: 'fractional' }])], 'update')).toThrow(
    'FraudFeatures: invalid featureGroups[customer-spend].features.txn_count_7d "fractional". Allowed: type integral as in (in memory): a feature\'s type cannot change. '
    + 'Fix: add a new feature (e.g. "txn_count_7d_fractional") and stop writing the old one, or define a new version');
});

test.each([
  ['description', { description: 'Spend per customer' }, '"Spend per customer". Allowed: "" as in (in memory): description is create-only'],
  ['eventTime', { eventTimeFeature: 'observed_at' }, '"observed_at". Allowed: "event_time" as in (in memory): eventTime is create-only'],
  ['online', { online: false }, '"false". Allowed: "true" as in (in memory): online is create-only'],
  ['offline', { offline: false }, '"false". Allowed: "true" as in (in memory): offline is create-only'],
])('GIVEN the create-only property %s changed THEN synthesis fails naming the group and the property', (property, overrides, message) => {
  expect(() => deploy(deployedLock(), [spend(V1, overrides)], 'update')).toThrow(
    `FraudFeatures: invalid featureGroups[customer-spend].${property} ${message}, a change replaces the group and empties its online store.`);
});

test('GIVEN an engine create-only property changed (the online storage type) THEN synthesis fails naming it', () => {
  expect(() => deploy(deployedLock(), [spend(V1)], 'update', { ...ENGINE, onlineStorageType: 'InMemory' })).toThrow(
    'FraudFeatures: invalid featureGroups[customer-spend].onlineStorageType "InMemory". Allowed: "Standard" as in (in memory): onlineStorageType is create-only');
});

test('GIVEN a feature added THEN check mode refuses it and update mode records it', () => {
  const added = [...V1, { name: 'spend_30d', type: 'fractional' as const }];
  expect(() => deploy(deployedLock(), [spend(added)])).toThrow('invalid featureGroups "group \\"customer-spend\\": +spend_30d". Allowed: only the schemas recorded in (in memory).');
  const lock = deployedLock();
  expect(deploy(lock, [spend(added)], 'update')).toEqual(['group "customer-spend": +spend_30d']);
  expect(lock.read().stores['aws/fraud-features'].groups['customer-spend'].features.map((feature) => feature.name)).toEqual(['customer_id', 'event_time', 'spend_7d', 'txn_count_7d', 'spend_30d']);
});

test('GIVEN 101 features added at once THEN synthesis fails (UpdateFeatureGroup takes 100), 100 are recorded', () => {
  const more = (count: number) => [...V1, ...Array.from({ length: count }, (_, index) => ({ name: `extra_${index}`, type: 'integral' as const }))];
  expect(() => deploy(deployedLock(), [spend(more(101))], 'update')).toThrow(
    'FraudFeatures: invalid featureGroups[customer-spend].features "101 new features". Allowed: at most 100 added in one deployment (UpdateFeatureGroup FeatureAdditions). Fix: add the first 100, deploy, then the rest');
  expect(deploy(deployedLock(), [spend(more(100))], 'update')).toHaveLength(1);
});

test('GIVEN a group removed from the code THEN check mode refuses, update mode records the removal (the group is retained)', () => {
  const lock = FeatureSchemaLock.inMemory();
  deploy(lock, [spend(V1), spend(V1, { name: 'customer-spend-v2' })], 'update');
  expect(() => deploy(lock, [spend(V1, { name: 'customer-spend-v2' })])).toThrow(
    'FraudFeatures: invalid featureGroups[customer-spend].name "(removed)". Allowed: every group in (in memory) still defined: a removed group leaves the stack but is retained in the account. '
    + 'Fix: keep it, or record its removal with -c featureStoreLock=update after moving every reader to its next version');
  expect(deploy(lock, [spend(V1, { name: 'customer-spend-v2' })], 'update')).toEqual(['group "customer-spend" removed from the stack (retained in the account)']);
  expect(Object.keys(lock.read().stores['aws/fraud-features'].groups)).toEqual(['customer-spend-v2']);
});

test('GIVEN the way forward (a v2 beside v1 with the changed type) THEN update mode records v2 and keeps v1 unchanged', () => {
  const lock = deployedLock();
  const v2 = spend([V1[0], { name: 'txn_count_7d', type: 'fractional' }], { name: 'customer-spend-v2' });
  expect(deploy(lock, [spend(V1), v2], 'update')).toEqual(['new group "customer-spend-v2" (4 features)']);
  expect(deploy(lock, [spend(V1), v2])).toEqual([]);
});

test('GIVEN a lock file WHEN additions are recorded THEN the file holds sorted, indented JSON', () => {
  const path = join(mkdtempSync(join(tmpdir(), 'lock-')), 'feature-store.lock.json');
  deploy(FeatureSchemaLock.file(path), [spend(V1, { name: 'b-group' }), spend(V1, { name: 'a-group' })], 'update');
  const text = readFileSync(path, 'utf8');
  expect(Object.keys(JSON.parse(text).stores['aws/fraud-features'].groups)).toEqual(['a-group', 'b-group']);
  expect(text.startsWith('{\n  "version": 1,\n  "stores": {\n')).toBe(true);
  expect(deploy(FeatureSchemaLock.file(path), [spend(V1, { name: 'a-group' }), spend(V1, { name: 'b-group' })])).toEqual([]);
});

test('GIVEN the context featureStoreLock WHEN read THEN "update" updates, unset checks, anything else is refused', () => {
  const scope = new Construct(undefined as any, 'App');
  expect(lockMode(scope)).toBe('check');
  scope.node.setContext('featureStoreLock', 'update');
  expect(lockMode(scope)).toBe('update');
  const wrong = new Construct(undefined as any, 'Other');
  wrong.node.setContext('featureStoreLock', 'yes');
  expect(() => lockMode(wrong)).toThrow('Other: invalid context featureStoreLock "yes". Allowed: "update" or "check" (or unset: check). Fix: synthesize with -c featureStoreLock=update to record additions');
});
