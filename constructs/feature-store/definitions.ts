/** The value type of a feature, as both engines know it: SageMaker's Integral, Fractional, String; Feast's Int64, Float64, String. */
export type FeatureValueType = 'integral' | 'fractional' | 'string';

/** The units of an online store's time to live (CloudFormation `AWS::SageMaker::FeatureGroup` TtlDuration.Unit). */
export type FeatureTtlUnit = 'Seconds' | 'Minutes' | 'Hours' | 'Days' | 'Weeks';

/** One feature of a group. */
export interface FeatureSpec {
  /** The feature's name: a letter or digit, then letters, digits, "-" and "_" (at most 64), unique in its group ignoring case. */
  readonly name: string;
  /** The value type. */
  readonly type: FeatureValueType;
  /**
   * What the feature means, for the catalog and the Feast definitions.
   * @default - none
   */
  readonly description?: string;
  /**
   * A list of values of `type` (Feast `Array`). SageMaker keeps lists only in InMemory online stores, and its
   * CloudFormation resource has no collection type, so the AWS `FeatureStore` refuses lists.
   * @default false
   */
  readonly list?: boolean;
}

/** What a group's records are about (a customer, a transaction): its record identifier. */
export interface EntitySpec {
  /** The entity's name, e.g. `customer`. */
  readonly name: string;
  /** The feature holding the entity's id in every group of this entity, e.g. `customer_id`. */
  readonly joinKey: string;
  /**
   * The id's type.
   * @default 'string'
   */
  readonly type?: 'integral' | 'string';
  /**
   * What the entity is.
   * @default - none
   */
  readonly description?: string;
}

/** How long a record stays in the online store after its event time. */
export interface FeatureTtl {
  /** How many units (at least 1). */
  readonly value: number;
  /** The unit. */
  readonly unit: FeatureTtlUnit;
}

/** A feature group (SageMaker) or feature view (Feast): the features of one entity that are written together. */
export interface FeatureGroupSpec {
  /** The group's name: a letter or digit, then letters, digits and "-" (at most 64). A new name is a new group. */
  readonly name: string;
  /** The entity (its `name`) whose id identifies the group's records. */
  readonly entity: string;
  /** The features, besides the entity's id and the event time: 1-2,500 in all. */
  readonly features: readonly FeatureSpec[];
  /**
   * The feature holding each record's event time, an ISO-8601 string (`2026-11-01T12:00:00Z`).
   * @default 'event_time'
   */
  readonly eventTimeFeature?: string;
  /**
   * What the group holds (at most 128 characters).
   * @default - none
   */
  readonly description?: string;
  /**
   * Whether the group has an online store for lookups at prediction time.
   * @default true
   */
  readonly online?: boolean;
  /**
   * Whether the group has an offline store for training sets and batch scoring.
   * @default true
   */
  readonly offline?: boolean;
  /**
   * How long online records live after their event time; also the point-in-time join's lookback.
   * @default - records never expire
   */
  readonly ttl?: FeatureTtl;
  /**
   * The longest time, in minutes, the newest event time of the group may lag behind now before its freshness alarm
   * (AWS) or alert (Kubernetes) fires.
   * @default 1560 - 26 hours: a daily ingestion plus two hours
   */
  readonly freshnessMinutes?: number;
}

/** The reserved feature names SageMaker adds to every record of an offline store (FeatureDefinition.FeatureName). */
export const RESERVED_FEATURE_NAMES = ['is_deleted', 'write_time', 'api_invocation_time'] as const;

/** Seconds per TTL unit. */
export const TTL_UNIT_SECONDS: Record<FeatureTtlUnit, number> = { Seconds: 1, Minutes: 60, Hours: 3600, Days: 86_400, Weeks: 604_800 };
