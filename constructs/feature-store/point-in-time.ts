import type { FeatureStorePlan, PlannedFeatureGroup } from './plan';

/**
 * The few functions where Athena (Trino) and DuckDB differ, in one place: everything else in the generated SQL is
 * what both run (CTEs, `row_number() OVER (PARTITION BY ... ORDER BY ...)`, `INTERVAL '<n>' SECOND`, double-quoted
 * identifiers, `LEFT JOIN`).
 */
export const SQL_DIALECTS = {
  /** Athena engine version 3 (Trino): `from_iso8601_timestamp` parses the ISO-8601 event-time feature. */
  athena: { eventTime: (column: string) => `from_iso8601_timestamp(${column})` },
  /** DuckDB, for tests: a cast parses the same ISO-8601 text. */
  duckdb: { eventTime: (column: string) => `CAST(${column} AS TIMESTAMPTZ)` },
} as const;

/** The SQL dialect of a generated query. */
export type SqlDialect = keyof typeof SQL_DIALECTS;

/** The entity table a training set starts from: one row per (entity id, time, label...). */
export interface EntityTableSpec {
  /** The table, as `database.table` (Glue) or any relation the engine resolves. */
  readonly table: string;
  /** The column holding each row's time, a timestamp: features are taken as of this time. */
  readonly timestampColumn: string;
  /**
   * Columns copied to the training set unchanged (labels, weights).
   * @default - none
   */
  readonly passThroughColumns?: readonly string[];
}

/** One training set: an entity table joined point in time to feature groups. */
export interface TrainingSetQuery {
  /** The entity table. */
  readonly entities: EntityTableSpec;
  /** The groups to join, each on its entity's join key (a column of the entity table of the same name). */
  readonly groups: readonly PlannedFeatureGroup[];
  /** Where each group's offline table is: `"<database>"."<table>"` by default. */
  readonly tableOf?: (group: PlannedFeatureGroup) => string;
}

/** A double-quoted SQL identifier (both engines), with embedded quotes doubled. */
export function quoteIdentifier(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** A relation name `a.b` as quoted identifiers. */
export function quoteRelation(name: string): string {
  return name.split('.').map(quoteIdentifier).join('.');
}

/**
 * The point-in-time join: each entity row gets, from every group, the latest record of its entity with an event time
 * at or before the row's time (and after the row's time less the group's TTL, when set). Of records with the same
 * event time the latest write wins (`write_time`, then `api_invocation_time`); when the winning record is a deletion
 * (`is_deleted`), the row gets no values from that group. Entity rows are never dropped or repeated: each keeps
 * its own row number, and each group contributes at most one record to it.
 *
 * Feature columns are named `<group table>__<feature>`, so two groups' features never collide.
 */
export function pointInTimeSql(plan: FeatureStorePlan, query: TrainingSetQuery, dialect: SqlDialect): string {
  const { entities } = query;
  const eventTime = SQL_DIALECTS[dialect].eventTime;
  const tableOf = query.tableOf ?? ((group: PlannedFeatureGroup) => `${quoteIdentifier(plan.projectName)}.${quoteIdentifier(group.tableName)}`);
  const time = quoteIdentifier(entities.timestampColumn);
  const keys = [...new Set(query.groups.map((group) => group.recordIdentifier))];
  const passThrough = entities.passThroughColumns ?? [];
  const ctes = [
    `entity_rows AS (\n  SELECT row_number() OVER () AS "__row", ${[...keys, entities.timestampColumn, ...passThrough].map(quoteIdentifier).join(', ')}\n`
      + `  FROM ${quoteRelation(entities.table)}\n)`,
  ];
  const selected = [`e.${time}`, ...keys.map((key) => `e.${quoteIdentifier(key)}`), ...passThrough.map((column) => `e.${quoteIdentifier(column)}`)];
  const joins: string[] = [];
  query.groups.forEach((group, index) => {
    const alias = `g${index}`;
    const key = quoteIdentifier(group.recordIdentifier);
    const recordTime = eventTime(`f.${quoteIdentifier(group.eventTime)}`);
    const features = group.features.filter((feature) => feature.role === 'feature');
    const window = group.ttlSeconds === undefined ? '' : `\n    AND ${recordTime} > e.${time} - INTERVAL '${group.ttlSeconds}' SECOND`;
    ctes.push(`${alias} AS (\n  SELECT e."__row", f."is_deleted" AS "__deleted", ${features.map((feature) => `f.${quoteIdentifier(feature.name)}`).join(', ')},\n`
      + `    row_number() OVER (PARTITION BY e."__row" ORDER BY ${recordTime} DESC, f."write_time" DESC, f."api_invocation_time" DESC) AS "__rank"\n`
      + `  FROM entity_rows e\n  JOIN ${tableOf(group)} f ON f.${key} = e.${key}\n    AND ${recordTime} <= e.${time}${window}\n)`);
    joins.push(`LEFT JOIN ${alias} ON ${alias}."__row" = e."__row" AND ${alias}."__rank" = 1 AND NOT ${alias}."__deleted"`);
    selected.push(...features.map((feature) => `${alias}.${quoteIdentifier(feature.name)} AS ${quoteIdentifier(`${group.tableName}__${feature.name}`)}`));
  });
  return `WITH ${ctes.join(',\n')}\nSELECT ${selected.join(', ')}\nFROM entity_rows e\n${joins.join('\n')}\nORDER BY e."__row"\n`;
}
