import { existsSync, readFileSync, writeFileSync } from 'fs';
import { resolve } from 'path';
import type { IConstruct } from 'constructs';
import type { FeatureStorePlan, PlannedFeatureGroup } from './plan';
import { MlPlatformError } from '../../lib/core';

/**
 * The deployed schema of one feature group as the lock records it: its features in order, and each create-only
 * property (a change of one replaces the group) as text.
 */
export interface LockedGroupSchema {
  /** Every feature definition, in order: name and type (`string`, `integral`, `fractional`, with `[]` for a list). */
  readonly features: ReadonlyArray<{ readonly name: string; readonly type: string }>;
  /** The create-only properties by name, e.g. `recordIdentifier`, `eventTime`, `onlineStorageType`, `offlineStore`. */
  readonly createOnly: Readonly<Record<string, string>>;
}

/** What a lock holds: per store (`<engine>/<storeName>`), per group. */
export interface SchemaLockContent {
  readonly version: 1;
  readonly stores: Readonly<Record<string, { readonly groups: Readonly<Record<string, LockedGroupSchema>> }>>;
}

/**
 * The reviewed, checked-in record of each feature group's deployed schema. Synthesis compares every group with it and
 * refuses a change that would replace a group or shrink it; additions (a new group, new features at the end, at most
 * 100 at a time) are written to it only when synthesis runs with the context `featureStoreLock=update`
 * (`npx cdk synth -c featureStoreLock=update`), so each one shows up in review as a change to the lock file.
 */
export abstract class FeatureSchemaLock {
  /**
   * A lock file: JSON, committed beside `cdk.json` (or the cdk8s or Pulumi program).
   * @param path relative to the working directory synthesis runs in
   */
  public static file(path = DEFAULT_LOCK_FILE): FeatureSchemaLock {
    return new FileLock(path);
  }

  /** A lock held in memory, e.g. in tests that deploy a store's versions one after another. */
  public static inMemory(content?: SchemaLockContent): FeatureSchemaLock {
    return new MemoryLock(content ?? EMPTY);
  }

  /** Where the lock is, for messages. */
  public abstract readonly location: string;
  /** The lock's content (empty when there is no lock yet). */
  public abstract read(): SchemaLockContent;
  /** Replaces the lock's content. */
  public abstract write(content: SchemaLockContent): void;
}

/** The default lock file, beside `cdk.json`. */
export const DEFAULT_LOCK_FILE = 'feature-store.lock.json';
/** The context key that lets synthesis write additions to the lock. */
export const LOCK_UPDATE_CONTEXT = 'featureStoreLock';
// UpdateFeatureGroup takes at most 100 FeatureAdditions per call (API UpdateFeatureGroup, FeatureAdditions).
export const MAX_FEATURE_ADDITIONS = 100;
const EMPTY: SchemaLockContent = { version: 1, stores: {} };

class FileLock extends FeatureSchemaLock {
  public readonly location: string;
  public constructor(private readonly path: string) {
    super();
    this.location = path;
  }
  public read(): SchemaLockContent {
    const file = resolve(this.path);
    return existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : EMPTY;
  }
  public write(content: SchemaLockContent): void {
    writeFileSync(resolve(this.path), `${JSON.stringify(content, null, 2)}\n`);
  }
}

class MemoryLock extends FeatureSchemaLock {
  public readonly location = '(in memory)';
  public constructor(private content: SchemaLockContent) {
    super();
  }
  public read(): SchemaLockContent {
    return this.content;
  }
  public write(content: SchemaLockContent): void {
    this.content = content;
  }
}

/** A group's lock entry from its plan, with the create-only properties its engine adds. */
export function lockedSchema(group: PlannedFeatureGroup, engineCreateOnly: Record<string, string>): LockedGroupSchema {
  return {
    features: group.features.map((feature) => ({ name: feature.name, type: `${feature.type}${feature.list ? '[]' : ''}` })),
    createOnly: {
      recordIdentifier: group.recordIdentifier,
      eventTime: group.eventTime,
      online: String(group.online),
      offline: String(group.offline),
      description: group.description ?? '',
      ...engineCreateOnly,
    },
  };
}

/** The engine a store is deployed by: its key in the lock. */
export type LockEngine = 'aws' | 'kubernetes';

/** How the guard runs: `check` refuses any difference; `update` writes additions and refuses the rest. */
export type LockMode = 'check' | 'update';

/** The lock mode of `scope` from its context (`featureStoreLock=update`). */
export function lockMode(scope: IConstruct): LockMode {
  const value = scope.node.tryGetContext(LOCK_UPDATE_CONTEXT);
  if (value === undefined || value === 'check') {
    return 'check';
  }
  if (value === 'update') {
    return 'update';
  }
  throw new MlPlatformError({ scope, prop: `context ${LOCK_UPDATE_CONTEXT}`, value, allowed: '"update" or "check" (or unset: check)', fix: `synthesize with -c ${LOCK_UPDATE_CONTEXT}=update to record additions` });
}

const WAY_FORWARD = 'define a new version of the group under a new name (e.g. "-v2") beside the old one, backfill it, move readers to it, and '
  + 'remove the old group when nothing reads it (it is retained, not deleted)';

/**
 * Compares the store's groups with the lock. Throws an `MlPlatformError` naming the group and the feature or property
 * on a change that would replace or shrink a group; on an addition it throws in `check` mode and records it in
 * `update` mode. Returns the changes recorded.
 */
export function guardSchema(
  scope: IConstruct, engine: LockEngine, plan: FeatureStorePlan, schemas: Record<string, LockedGroupSchema>, lock: FeatureSchemaLock, mode: LockMode,
): string[] {
  const content = lock.read();
  // One lock serves every engine of an app: each store is recorded under its engine, `aws/<store>` or `kubernetes/<store>`.
  const storeKey = `${engine}/${plan.storeName}`;
  const locked = content.stores?.[storeKey]?.groups ?? {};
  const refuse = (group: string, prop: string, value: unknown, allowed: string, fix: string): never => {
    throw new MlPlatformError({ scope, prop: `featureGroups[${group}].${prop}`, value, allowed, fix });
  };
  const additions: string[] = [];
  for (const [name, schema] of Object.entries(schemas)) {
    const before = locked[name];
    if (!before) {
      additions.push(`new group "${name}" (${schema.features.length} features)`);
      continue;
    }
    for (const [property, value] of Object.entries(before.createOnly)) {
      const now = schema.createOnly[property];
      if (now !== value) {
        refuse(name, property, now ?? '(not set)', `${JSON.stringify(value)} as in ${lock.location}: ${property} is create-only, a change replaces the group and `
          + 'empties its online store', WAY_FORWARD);
      }
    }
    for (const property of Object.keys(schema.createOnly).filter((key) => !(key in before.createOnly))) {
      refuse(name, property, schema.createOnly[property], `no ${property} (not in ${lock.location}): ${property} is create-only`, WAY_FORWARD);
    }
    const current = new Map(schema.features.map((feature, index) => [feature.name, { ...feature, index }]));
    before.features.forEach((feature, index) => {
      const now = current.get(feature.name);
      if (!now) {
        const renamed = schema.features[index] && !before.features.some((old) => old.name === schema.features[index].name)
          ? `; "${schema.features[index].name}" in its place looks like a rename` : '';
        return refuse(name, `features.${feature.name}`, '(removed)', `every feature in ${lock.location} kept: SageMaker features can only be added${renamed}`,
          `keep "${feature.name}" (stop writing it if unused), or ${WAY_FORWARD}`);
      }
      if (now.type !== feature.type) {
        refuse(name, `features.${feature.name}`, now.type, `type ${feature.type} as in ${lock.location}: a feature's type cannot change`,
          `add a new feature (e.g. "${feature.name}_${now.type.replace('[]', '_list')}") and stop writing the old one, or ${WAY_FORWARD}`);
      }
    });
    const added = schema.features.filter((feature) => !before.features.some((old) => old.name === feature.name));
    if (added.length > MAX_FEATURE_ADDITIONS) {
      refuse(name, 'features', `${added.length} new features`, `at most ${MAX_FEATURE_ADDITIONS} added in one deployment (UpdateFeatureGroup FeatureAdditions)`,
        `add the first ${MAX_FEATURE_ADDITIONS}, deploy, then the rest`);
    }
    if (added.length > 0) {
      additions.push(`group "${name}": ${added.map((feature) => `+${feature.name}`).join(' ')}`);
    }
  }
  const removedGroups = Object.keys(locked).filter((name) => !(name in schemas));
  for (const name of removedGroups) {
    if (mode === 'check') {
      refuse(name, 'name', '(removed)', `every group in ${lock.location} still defined: a removed group leaves the stack but is retained in the account`,
        `keep it, or record its removal with -c ${LOCK_UPDATE_CONTEXT}=update after moving every reader to its next version`);
    }
    additions.push(`group "${name}" removed from the stack (retained in the account)`);
  }
  if (additions.length === 0) {
    return [];
  }
  if (mode === 'check') {
    throw new MlPlatformError({
      scope,
      prop: 'featureGroups',
      value: additions.join('; '),
      allowed: `only the schemas recorded in ${lock.location}`,
      fix: `review the additions and record them with -c ${LOCK_UPDATE_CONTEXT}=update (npx cdk synth -c ${LOCK_UPDATE_CONTEXT}=update), then commit the lock file`,
    });
  }
  const stores = { ...(content.stores ?? {}), [storeKey]: { groups: sortedGroups(schemas) } };
  lock.write({ version: 1, stores: Object.fromEntries(Object.entries(stores).sort(([a], [b]) => a.localeCompare(b))) });
  return additions;
}

function sortedGroups(schemas: Record<string, LockedGroupSchema>): Record<string, LockedGroupSchema> {
  return Object.fromEntries(Object.entries(schemas).sort(([a], [b]) => a.localeCompare(b)));
}
