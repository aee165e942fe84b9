// Property-based generators of FeatureStore props (fast-check): valid props, which every engine must synthesize into
// conforming output, and invalid props, each tagged with the prop it breaks. test/fuzz runs them.
import { App, Chart } from 'cdk8s';
import * as fc from 'fast-check';
import { FeatureStore as AwsFeatureStore, type FeatureStoreProps as AwsProps } from './aws';
import { FeatureStore as K8sFeatureStore, type FeatureStoreProps as K8sProps } from './k8s';
import { type FeatureStoreArgs, FeatureStore as PulumiFeatureStore, storeNameOf } from './pulumi';
import { FeatureSchemaLock, LOCK_UPDATE_CONTEXT } from './schema-lock';
import { EncryptionKey, OwnerNotifications } from '../../lib/aws';
import { Residency } from '../../lib/core';
import { type FuzzCase, type FuzzTarget, GENERATORS, invalidCase } from '../../lib/core/generators';

const { constructId, wrongType } = GENERATORS;

const RESERVED = ['is_deleted', 'write_time', 'api_invocation_time'];
const featureName = fc.stringMatching(/^[a-z][a-z0-9_]{0,20}[a-z0-9]$/).filter((name) => !RESERVED.includes(name) && !name.includes('__'));
const groupName = fc.stringMatching(/^[a-z][a-z0-9-]{0,30}[a-z0-9]$/).filter((name) => !name.includes('--'));

/** Valid props: 1-2 entities, 1-3 groups of 1-6 features each; lists only where `lists` allows them. */
const propsWith = (lists: boolean): fc.Arbitrary<Record<string, unknown>> => fc.record({
  storeName: fc.stringMatching(/^[a-z][a-z0-9-]{0,20}[a-z0-9]$/),
  entityCount: fc.integer({ min: 1, max: 2 }),
  groups: fc.uniqueArray(fc.record({
    name: groupName,
    features: fc.uniqueArray(fc.record({ name: featureName, type: fc.constantFrom('integral', 'fractional', 'string'), list: lists ? fc.boolean() : fc.constant(false) }),
      { minLength: 1, maxLength: 6, selector: (feature) => feature.name }),
    online: fc.boolean(),
    ttlHours: fc.option(fc.integer({ min: 1, max: 10_000 }), { nil: undefined }),
    freshnessMinutes: fc.integer({ min: 1, max: 10_080 }),
    description: fc.option(fc.string({ maxLength: 128 }), { nil: undefined }),
  }), { minLength: 1, maxLength: 3, selector: (group) => group.name.replace(/-/g, '_') }),
}).map(({ storeName, entityCount, groups }) => {
  const entities = Array.from({ length: entityCount }, (_, index) => ({ name: `entity${index}`, joinKey: `entity${index}_id` }));
  return {
    storeName,
    entities,
    featureGroups: groups.map((group, index) => ({
      name: group.name,
      entity: entities[index % entityCount].name,
      features: group.features.filter((feature) => !/^entity\d_id$/.test(feature.name) && feature.name !== 'event_time'),
      online: group.online,
      ttl: group.online && group.ttlHours ? { value: group.ttlHours, unit: 'Hours' as const } : undefined,
      freshnessMinutes: group.freshnessMinutes,
      description: group.description,
    })).filter((group) => group.features.length > 0),
  };
}).filter((props) => props.featureGroups.length > 0);

/** Invalid props of the shared plan, each tagged with the prop it breaks. */
export const invalidProps: ReadonlyArray<FuzzCase> = [
  invalidCase('storeName', fc.oneof(fc.constantFrom('Fraud', 'fraud_features', '-x', 'a'.repeat(41)), wrongType({ except: ['undefined', 'string'] }))),
  invalidCase('entities', fc.oneof(fc.constant([]), wrongType({ except: [] }))),
  invalidCase('featureGroups', fc.oneof(fc.constant([]), wrongType({ except: [] }))),
  { prop: 'featureGroups[0].name', mutate: fc.constantFrom('under_score', '-lead', 'a'.repeat(65)).map((name) => (valid: any) => ({ ...valid, featureGroups: [{ ...valid.featureGroups[0], name }] })) },
  {
    prop: 'featureGroups[0].features[0].name',
    mutate: fc.constantFrom(...RESERVED, '_x', 'a b').map((name) => (valid: any) => ({ ...valid, featureGroups: [{ ...valid.featureGroups[0], features: [{ name, type: 'string' }] }] })),
  },
  { prop: 'featureGroups[0].description', mutate: fc.constant((valid: any) => ({ ...valid, featureGroups: [{ ...valid.featureGroups[0], description: 'd'.repeat(129) }] })) },
  { prop: 'featureGroups[0].ttl.', mutate: fc.constantFrom({ value: 0, unit: 'Hours' }, { value: 1, unit: 'Months' }).map((ttl) => (valid: any) => ({ ...valid, featureGroups: [{ ...valid.featureGroups[0], online: true, ttl }] })) },
];

/** Builds with an in-memory lock that records the generated schema (the guard itself is tested in test/feature-store). */
function withLock<T extends Record<string, unknown>>(props: T): T & { schemaLock: FeatureSchemaLock } {
  return { ...props, schemaLock: FeatureSchemaLock.inMemory() };
}

/** How each engine builds a FeatureStore from generated props; test/fuzz discovers this. */
export const fuzzTarget: FuzzTarget = {
  name: 'FeatureStore',
  validProps: propsWith(false) as unknown as fc.Arbitrary<Record<string, unknown>>,
  invalidProps,
  ids: constructId,
  engines: {
    aws: {
      extra: fc.record({ onlineStorageType: fc.constantFrom('Standard', 'InMemory') }, { requiredKeys: [] }),
      invalid: [invalidCase('onlineStorageType', fc.constantFrom('standard', 'Redis', 3))],
      build: (stack, id, props) => {
        stack.node.setContext(LOCK_UPDATE_CONTEXT, 'update');
        const notifications = new OwnerNotifications(stack, 'FuzzOwner', { encryptionKey: new EncryptionKey(stack, 'FuzzOwnerKey').key });
        return new AwsFeatureStore(stack, id, withLock({ notifications, ...props }) as unknown as AwsProps);
      },
    },
    k8s: {
      extra: fc.record({ onlineStore: fc.record({ secretName: fc.stringMatching(/^[a-z][a-z0-9-]{0,20}[a-z0-9]$/) }) }),
      invalid: [invalidCase('onlineStore.secretName', fc.constantFrom('Upper', 'has space', '').map((secretName) => ({ secretName })), 'onlineStore')],
      build: (chart, id, props) => {
        chart.node.setContext(LOCK_UPDATE_CONTEXT, 'update');
        return new K8sFeatureStore(chart, id, withLock(props) as unknown as K8sProps);
      },
    },
    pulumi: {
      extra: fc.record({
        onlineStore: fc.record({ secretName: fc.stringMatching(/^[a-z][a-z0-9-]{0,20}[a-z0-9]$/) }),
        namespace: fc.stringMatching(/^[a-z][a-z0-9-]{0,30}[a-z0-9]$/),
        residency: fc.constantFrom(Residency.EU, Residency.US),
      }, { requiredKeys: ['onlineStore'] }),
      invalid: [invalidCase('namespace', fc.constantFrom('ML Platform', 'a'.repeat(64), 'Upper'))],
      build: (_scope, id, props) => {
        // A Pulumi program has no synthesis context: record the schema first, as `featureStoreLock=update` would.
        const lock = FeatureSchemaLock.inMemory();
        const app = new App({ outdir: 'unused' });
        app.node.setContext(LOCK_UPDATE_CONTEXT, 'update');
        const { namespace: _namespace, residency: _residency, ...k8sProps } = props;
        try {
          // The store name the component will use, so the recorded schema is the one it checks.
          const storeName = (k8sProps.storeName as string | undefined) ?? storeNameOf(id);
          new K8sFeatureStore(new Chart(app, 'lock'), 'Lock', { ...(k8sProps as unknown as K8sProps), storeName, schemaLock: lock });
        } catch {
          // Invalid props: the component below raises the same error.
        }
        return new PulumiFeatureStore(id, { ...(props as unknown as FeatureStoreArgs), schemaLock: lock });
      },
    },
  },
};
