import type { IConstruct } from 'constructs';
import {
  type EntitySpec, type FeatureGroupSpec, type FeatureSpec, type FeatureTtl, type FeatureTtlUnit, type FeatureValueType,
  RESERVED_FEATURE_NAMES, TTL_UNIT_SECONDS,
} from './definitions';
import { PropChecks } from '../../lib/core';

/** The props every engine's `FeatureStore` shares. */
export interface FeatureStorePlanProps {
  /** The entities the groups are about. */
  readonly entities: readonly EntitySpec[];
  /** The feature groups: each is a SageMaker feature group and a Feast feature view. */
  readonly featureGroups: readonly FeatureGroupSpec[];
  /**
   * The store's name: the Feast project, the Glue database (with "-" as "_") and the store's prefix in the data bucket.
   * @default - the construct id in lowercase with "-" between words (`FraudFeatures` → `fraud-features`)
   */
  readonly storeName?: string;
}

/** One feature, resolved. */
export interface PlannedFeature {
  readonly name: string;
  readonly type: FeatureValueType;
  readonly list: boolean;
  readonly description?: string;
  /** The entity's id or the event time: written by the construct, not by the user's feature list. */
  readonly role: 'recordIdentifier' | 'eventTime' | 'feature';
}

/** One feature group, resolved. */
export interface PlannedFeatureGroup {
  readonly name: string;
  readonly entity: Required<Omit<EntitySpec, 'description'>> & { readonly description?: string };
  readonly recordIdentifier: string;
  readonly eventTime: string;
  /** Every feature in definition order: the record identifier, the event time, then the group's features. */
  readonly features: readonly PlannedFeature[];
  readonly description?: string;
  readonly online: boolean;
  readonly offline: boolean;
  readonly ttl?: FeatureTtl;
  readonly ttlSeconds?: number;
  readonly freshnessMinutes: number;
  /** The Glue (offline store) table: the name in lowercase with "_" for "-", as Glue keeps it. */
  readonly tableName: string;
}

/** The resolved, validated plan every engine renders. */
export interface FeatureStorePlan {
  readonly storeName: string;
  /** The Feast project name and the Glue database: the store name with "_" for "-". */
  readonly projectName: string;
  readonly entities: ReadonlyArray<PlannedFeatureGroup['entity']>;
  readonly groups: readonly PlannedFeatureGroup[];
}

// SageMaker FeatureGroupName and FeatureName (CloudFormation AWS::SageMaker::FeatureGroup; API FeatureDefinition).
const GROUP_NAME = /^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,63}$/;
const FEATURE_NAME = /^[a-zA-Z0-9]([-_]*[a-zA-Z0-9]){0,63}$/;
// Feast's project name (the operator's CRD: spec.feastProject), kept to what is also a DNS label once "_" is "-".
const STORE_NAME = /^[a-z0-9]([-a-z0-9]{0,38}[a-z0-9])?$/;
// FeatureDefinitions: 1-2,500 per group (CloudFormation AWS::SageMaker::FeatureGroup FeatureDefinitions maxItems).
export const MAX_FEATURES_PER_GROUP = 2500;
// Description: at most 128 characters (CloudFormation AWS::SageMaker::FeatureGroup Description maxLength).
export const MAX_GROUP_DESCRIPTION = 128;
// SageMaker's default quota: 100 feature groups per account; more in one store is a quota request, not a prop.
const MAX_GROUPS = 100;
const DEFAULTS = {
  eventTimeFeature: 'event_time',
  // A daily ingestion plus two hours of slack before the freshness alarm pages.
  freshnessMinutes: 26 * 60,
  online: true,
  offline: true,
  entityType: 'string',
} as const;
const TTL_UNITS: readonly FeatureTtlUnit[] = ['Seconds', 'Minutes', 'Hours', 'Days', 'Weeks'];
// TtlDuration.Value is an integer of at least 1 (API TtlDuration); a 32-bit integer in the SDKs.
const MAX_TTL_VALUE = 2_147_483_647;
// Freshness: one minute to 7 days, the longest span a CloudWatch alarm evaluates (periods x evaluation periods).
const MAX_FRESHNESS_MINUTES = 7 * 24 * 60;

/** Resolves and validates the shared props; throws an `MlPlatformError` naming the prop at fault. */
export function planFeatureStore(scope: IConstruct, props: FeatureStorePlanProps): FeatureStorePlan {
  const checks = new PropChecks(scope);
  const fail = checks.fail;
  const storeName = checks.string('storeName', props.storeName ?? defaultStoreName(scope.node.id), {
    pattern: STORE_NAME,
    allowed: '1-40 lowercase letters, digits and "-", starting and ending with a letter or digit',
    fix: 'name the store, e.g. "fraud-features"',
    deployTime: 'it names the Glue database, the Feast project and the data prefix',
  });

  const entities = checks.array('entities', props.entities, (entry, prop) => {
    const entity = checks.object(prop, entry);
    return {
      name: checks.string(`${prop}.name`, entity.name, { pattern: FEATURE_NAME, allowed: 'a letter or digit, then letters, digits, "-" and "_", at most 64', fix: 'name the entity, e.g. "customer"', deployTime: 'it names the join key' }),
      joinKey: featureName(checks, `${prop}.joinKey`, entity.joinKey),
      type: checks.oneOf(`${prop}.type`, entity.type ?? DEFAULTS.entityType, ['integral', 'string'] as const),
      description: entity.description === undefined ? undefined : checks.string(`${prop}.description`, entity.description, { allowed: 'text', fix: 'describe the entity', minLength: 0 }),
    };
  });
  if (entities.length === 0) {
    fail('entities', props.entities, 'at least one entity', 'define the entity your groups are about, e.g. { name: "customer", joinKey: "customer_id" }');
  }
  unique(checks, 'entities', entities.map((entity) => entity.name));

  const groups = checks.array('featureGroups', props.featureGroups, (entry, prop) => planGroup(checks, prop, checks.object(prop, entry), entities), MAX_GROUPS);
  if (groups.length === 0) {
    fail('featureGroups', props.featureGroups, 'at least one feature group', 'define a group, e.g. { name: "customer-spend", entity: "customer", features: [...] }');
  }
  unique(checks, 'featureGroups', groups.map((group) => group.name));
  unique(checks, 'featureGroups', groups.map((group) => group.tableName), 'its offline table name (lowercase, "-" as "_")');
  return { storeName, projectName: storeName.replace(/-/g, '_'), entities, groups };
}

function planGroup(checks: PropChecks, prop: string, group: Record<string, unknown>, entities: FeatureStorePlan['entities']): PlannedFeatureGroup {
  const fail = checks.fail;
  const name = checks.string(`${prop}.name`, group.name, {
    pattern: GROUP_NAME,
    maxLength: 64,
    allowed: 'a letter or digit, then letters, digits and "-" (no "_", no "--" at the end), at most 64 characters',
    fix: 'name the group, e.g. "customer-spend-v1"',
    deployTime: 'the schema guard compares it with the lock file',
  });
  const entityName = checks.string(`${prop}.entity`, group.entity, { allowed: `one of the entities: ${entities.map((entity) => entity.name).join(', ')}`, fix: 'name an entity of the store' });
  const entity = entities.find((candidate) => candidate.name === entityName)
    ?? fail(`${prop}.entity`, entityName, `one of the entities: ${entities.map((candidate) => JSON.stringify(candidate.name)).join(', ')}`, 'add the entity to entities, or name one of those');
  const eventTime = featureName(checks, `${prop}.eventTimeFeature`, group.eventTimeFeature ?? DEFAULTS.eventTimeFeature);
  const online = checks.boolean(`${prop}.online`, group.online ?? DEFAULTS.online);
  const offline = checks.boolean(`${prop}.offline`, group.offline ?? DEFAULTS.offline);
  if (!online && !offline) {
    fail(`${prop}.online`, false, 'an online store, an offline store or both (CreateFeatureGroup needs one of OnlineStoreConfig and OfflineStoreConfig)', 'leave online or offline at its default (true)');
  }
  const userFeatures = checks.array(`${prop}.features`, group.features, (entry, featureProp) => {
    const feature = checks.object(featureProp, entry) as Partial<FeatureSpec>;
    return {
      name: featureName(checks, `${featureProp}.name`, feature.name),
      type: checks.oneOf(`${featureProp}.type`, feature.type, ['integral', 'fractional', 'string'] as const),
      list: checks.boolean(`${featureProp}.list`, feature.list ?? false),
      description: feature.description === undefined ? undefined : checks.string(`${featureProp}.description`, feature.description, { allowed: 'text', fix: 'describe the feature', minLength: 0 }),
      role: 'feature' as const,
    };
  });
  if (userFeatures.length === 0) {
    fail(`${prop}.features`, group.features, 'at least one feature', 'list the group\'s features, e.g. [{ name: "spend_7d", type: "fractional" }]');
  }
  const features: PlannedFeature[] = [
    { name: entity.joinKey, type: entity.type, list: false, description: entity.description ?? `The ${entity.name} id`, role: 'recordIdentifier' },
    { name: eventTime, type: 'string', list: false, description: 'Event time (ISO-8601)', role: 'eventTime' },
    ...userFeatures,
  ];
  if (features.length > MAX_FEATURES_PER_GROUP) {
    fail(`${prop}.features`, `${features.length} features with the id and event time`, `at most ${MAX_FEATURES_PER_GROUP} (CloudFormation AWS::SageMaker::FeatureGroup FeatureDefinitions)`, 'split the group in two');
  }
  const seen = new Map<string, string>();
  features.forEach((feature, index) => {
    const featureProp = index < 2 ? `${prop}.${index === 0 ? 'entity' : 'eventTimeFeature'}` : `${prop}.features[${index - 2}].name`;
    const reserved = (RESERVED_FEATURE_NAMES as readonly string[]).includes(feature.name.toLowerCase());
    if (reserved) {
      fail(featureProp, feature.name, `a name other than ${RESERVED_FEATURE_NAMES.join(', ')} (SageMaker adds them to every offline record)`, 'rename the feature');
    }
    const earlier = seen.get(feature.name.toLowerCase());
    if (earlier !== undefined) {
      fail(featureProp, feature.name, `a name unique in the group ignoring case (Glue keeps column names in lowercase); "${earlier}" is already there`, 'rename one of them');
    }
    seen.set(feature.name.toLowerCase(), feature.name);
  });

  const description = group.description === undefined ? undefined : checks.string(`${prop}.description`, group.description, {
    minLength: 0,
    maxLength: MAX_GROUP_DESCRIPTION,
    allowed: 'text (CloudFormation AWS::SageMaker::FeatureGroup Description)',
    fix: 'shorten the description',
    deployTime: 'the schema guard compares it with the lock file',
  });
  let ttl: FeatureTtl | undefined;
  if (group.ttl !== undefined) {
    const given = checks.object(`${prop}.ttl`, group.ttl);
    ttl = {
      value: checks.number(`${prop}.ttl.value`, given.value, { min: 1, max: MAX_TTL_VALUE, why: 'TtlDuration.Value' }),
      unit: checks.oneOf(`${prop}.ttl.unit`, given.unit, TTL_UNITS),
    };
    if (!online) {
      fail(`${prop}.ttl`, group.ttl, 'a TTL only on a group with an online store (OnlineStoreConfig.TtlDuration)', 'remove ttl, or set online: true');
    }
  }
  const freshnessMinutes = checks.number(`${prop}.freshnessMinutes`, group.freshnessMinutes ?? DEFAULTS.freshnessMinutes, { min: 1, max: MAX_FRESHNESS_MINUTES, why: 'one minute to 7 days' });
  return {
    name,
    entity,
    recordIdentifier: entity.joinKey,
    eventTime,
    features,
    description,
    online,
    offline,
    ttl,
    ttlSeconds: ttl ? ttl.value * TTL_UNIT_SECONDS[ttl.unit] : undefined,
    freshnessMinutes,
    tableName: name.toLowerCase().replace(/-/g, '_'),
  };
}

function featureName(checks: PropChecks, prop: string, value: unknown): string {
  return checks.string(prop, value, {
    pattern: FEATURE_NAME,
    maxLength: 64,
    allowed: 'a letter or digit, then letters, digits, "-" and "_", ending in a letter or digit, at most 64 characters (SageMaker FeatureName)',
    fix: 'rename it, e.g. "spend_7d"',
    deployTime: 'it is a column of the offline table and of the generated SQL',
  });
}

function unique(checks: PropChecks, prop: string, names: string[], what = 'its name'): void {
  const seen = new Set<string>();
  for (const name of names) {
    if (seen.has(name)) {
      checks.fail(prop, name, `each item unique by ${what}`, 'rename one of them');
    }
    seen.add(name);
  }
}

function defaultStoreName(id: string): string {
  return id.replace(/([a-z0-9])([A-Z])/g, '$1-$2').replace(/[^A-Za-z0-9]+/g, '-').replace(/^-+|-+$/g, '').toLowerCase().slice(0, 40).replace(/-+$/, '') || 'features';
}
