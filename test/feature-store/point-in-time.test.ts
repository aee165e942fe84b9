import { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { Construct } from 'constructs';
import { planFeatureStore, type FeatureStorePlan } from '../../constructs/feature-store/plan';
import { pointInTimeSql, SQL_DIALECTS } from '../../constructs/feature-store/point-in-time';

// The generated SQL run on DuckDB over synthetic offline-store tables shaped as SageMaker writes them: every feature
// as a column, the ISO-8601 event time as text, and write_time, api_invocation_time and is_deleted added by the store.

function fraudPlan(ttl?: { value: number; unit: 'Hours' | 'Days' }): FeatureStorePlan {
  return planFeatureStore(new Construct(undefined as any, 'FraudFeatures'), {
    entities: [{ name: 'customer', joinKey: 'customer_id' }, { name: 'merchant', joinKey: 'merchant_id' }],
    featureGroups: [
      { name: 'customer-spend', entity: 'customer', features: [{ name: 'spend_7d', type: 'fractional' }, { name: 'txn_count_7d', type: 'integral' }], ttl },
      { name: 'merchant-risk', entity: 'merchant', features: [{ name: 'risk_tier', type: 'string' }] },
    ],
  });
}

let instance: DuckDBInstance;
let db: DuckDBConnection;

beforeAll(async () => {
  instance = await DuckDBInstance.create(':memory:');
  db = await instance.connect();
  await db.run('CREATE SCHEMA fraud_features');
});

afterAll(() => {
  db.closeSync();
  instance.closeSync();
});

beforeEach(async () => {
  for (const table of ['fraud_features.customer_spend', 'fraud_features.merchant_risk', 'labels']) {
    await db.run(`DROP TABLE IF EXISTS ${table}`);
  }
  await db.run(`CREATE TABLE fraud_features.customer_spend (customer_id VARCHAR, event_time VARCHAR, spend_7d DOUBLE, txn_count_7d BIGINT,
    write_time TIMESTAMPTZ, api_invocation_time TIMESTAMPTZ, is_deleted BOOLEAN)`);
  await db.run(`CREATE TABLE fraud_features.merchant_risk (merchant_id VARCHAR, event_time VARCHAR, risk_tier VARCHAR,
    write_time TIMESTAMPTZ, api_invocation_time TIMESTAMPTZ, is_deleted BOOLEAN)`);
  await db.run('CREATE TABLE labels (customer_id VARCHAR, merchant_id VARCHAR, label_time TIMESTAMP, is_fraud INTEGER)');
});

/** A record of customer_spend: written at `written` (defaults to its event time plus a minute). */
function spend(customer: string, eventTime: string, spend7d: number, options: { written?: string; deleted?: boolean } = {}): string {
  const written = options.written ?? `TIMESTAMPTZ '${eventTime}' + INTERVAL 1 MINUTE`;
  const writeTime = options.written ? `TIMESTAMPTZ '${written}'` : written;
  return `('${customer}', '${eventTime}', ${spend7d}, ${Math.round(spend7d)}, ${writeTime}, ${writeTime}, ${options.deleted ?? false})`;
}

async function trainingSet(plan: FeatureStorePlan): Promise<Array<Record<string, unknown>>> {
  const sql = pointInTimeSql(plan, {
    entities: { table: 'labels', timestampColumn: 'label_time', passThroughColumns: ['is_fraud'] },
    groups: plan.groups,
  }, 'duckdb');
  return (await db.runAndReadAll(sql)).getRowObjectsJS() as Array<Record<string, unknown>>;
}

test('GIVEN a value written after the label time WHEN the training set is built THEN the earlier value is used (no future leakage)', async () => {
  await db.run(`INSERT INTO fraud_features.customer_spend VALUES ${[
    spend('c1', '2026-11-01T10:00:00Z', 10), spend('c1', '2026-11-01T12:00:00Z', 999),
  ].join(', ')}`);
  await db.run("INSERT INTO labels VALUES ('c1', 'm1', TIMESTAMP '2026-11-01 11:00:00', 1)");

  const rows = await trainingSet(fraudPlan());

  expect(rows.map((row) => row.customer_spend__spend_7d)).toEqual([10]);
});

test('GIVEN a record whose event time equals the label time WHEN the training set is built THEN it is used (event time ≤ row time)', async () => {
  await db.run(`INSERT INTO fraud_features.customer_spend VALUES ${[spend('c1', '2026-11-01T09:00:00Z', 5), spend('c1', '2026-11-01T11:00:00Z', 7)].join(', ')}`);
  await db.run("INSERT INTO labels VALUES ('c1', 'm1', TIMESTAMP '2026-11-01 11:00:00', 0)");

  expect((await trainingSet(fraudPlan())).map((row) => row.customer_spend__spend_7d)).toEqual([7]);
});

test('GIVEN two writes of the same event time WHEN the training set is built THEN the latest write wins and the row is not duplicated', async () => {
  await db.run(`INSERT INTO fraud_features.customer_spend VALUES ${[
    spend('c1', '2026-11-01T10:00:00Z', 20, { written: '2026-11-01T10:05:00Z' }),
    spend('c1', '2026-11-01T10:00:00Z', 21, { written: '2026-11-01T10:30:00Z' }),
    spend('c1', '2026-11-01T10:00:00Z', 19, { written: '2026-11-01T10:01:00Z' }),
  ].join(', ')}`);
  await db.run("INSERT INTO labels VALUES ('c1', 'm1', TIMESTAMP '2026-11-01 11:00:00', 0)");

  expect((await trainingSet(fraudPlan())).map((row) => row.customer_spend__spend_7d)).toEqual([21]);
});

test('GIVEN a deletion as the latest record before the label time WHEN the training set is built THEN the row has no values from the group', async () => {
  await db.run(`INSERT INTO fraud_features.customer_spend VALUES ${[
    spend('c1', '2026-11-01T08:00:00Z', 30), spend('c1', '2026-11-01T09:00:00Z', 30, { deleted: true }), spend('c1', '2026-11-01T12:00:00Z', 40),
  ].join(', ')}`);
  await db.run("INSERT INTO labels VALUES ('c1', 'm1', TIMESTAMP '2026-11-01 10:00:00', 1), ('c1', 'm1', TIMESTAMP '2026-11-01 13:00:00', 0)");

  const rows = await trainingSet(fraudPlan());

  expect(rows.map((row) => [row.is_fraud, row.customer_spend__spend_7d])).toEqual([[1, null], [0, 40]]);
});

test('GIVEN a TTL of 2 hours WHEN the newest record is older than the TTL at the label time THEN the row has no values from the group', async () => {
  await db.run(`INSERT INTO fraud_features.customer_spend VALUES ${spend('c1', '2026-11-01T08:00:00Z', 50)}`);
  await db.run("INSERT INTO labels VALUES ('c1', 'm1', TIMESTAMP '2026-11-01 09:59:59', 0), ('c1', 'm1', TIMESTAMP '2026-11-01 10:00:00', 1)");

  const rows = await trainingSet(fraudPlan({ value: 2, unit: 'Hours' }));

  // 09:59:59 is within 2 h of 08:00; at 10:00:00 the record is exactly 2 h old and has expired.
  expect(rows.map((row) => row.customer_spend__spend_7d)).toEqual([50, null]);
});

test('GIVEN entity rows of two entities and no record for one WHEN the training set is built THEN every row is kept once, in order, with each group joined on its own key', async () => {
  await db.run(`INSERT INTO fraud_features.customer_spend VALUES ${[spend('c1', '2026-11-01T08:00:00Z', 1), spend('c2', '2026-11-01T08:00:00Z', 2)].join(', ')}`);
  await db.run(`INSERT INTO fraud_features.merchant_risk VALUES ('m1', '2026-11-01T07:00:00Z', 'low', TIMESTAMPTZ '2026-11-01T07:00:00Z',
    TIMESTAMPTZ '2026-11-01T07:00:00Z', false), ('m1', '2026-11-01T09:30:00Z', 'high', TIMESTAMPTZ '2026-11-01T09:30:00Z', TIMESTAMPTZ '2026-11-01T09:30:00Z', false)`);
  await db.run(`INSERT INTO labels VALUES ('c1', 'm1', TIMESTAMP '2026-11-01 09:00:00', 0), ('c2', 'm1', TIMESTAMP '2026-11-01 10:00:00', 1),
    ('c3', 'm2', TIMESTAMP '2026-11-01 10:00:00', 0), ('c1', 'm1', TIMESTAMP '2026-11-01 09:00:00', 0)`);

  const rows = await trainingSet(fraudPlan());

  expect(rows.map((row) => [row.customer_id, row.merchant_id, row.customer_spend__spend_7d, row.merchant_risk__risk_tier])).toEqual([
    ['c1', 'm1', 1, 'low'], ['c2', 'm1', 2, 'high'], ['c3', 'm2', null, null], ['c1', 'm1', 1, 'low'],
  ]);
});

test('GIVEN the Athena dialect WHEN SQL is generated THEN event times are parsed with from_iso8601_timestamp and everything else is the shared SQL', () => {
  const plan = fraudPlan({ value: 1, unit: 'Days' });
  const entities = { table: 'training.labels', timestampColumn: 'label_time' };
  const athena = pointInTimeSql(plan, { entities, groups: plan.groups }, 'athena');
  const duckdb = pointInTimeSql(plan, { entities, groups: plan.groups }, 'duckdb');

  expect(athena.replace(/from_iso8601_timestamp\((f\."event_time")\)/g, 'CAST($1 AS TIMESTAMPTZ)')).toBe(duckdb);
  expect(athena).toContain('AND from_iso8601_timestamp(f."event_time") > e."label_time" - INTERVAL \'86400\' SECOND');
  expect(athena).toContain('JOIN "fraud_features"."customer_spend" f ON f."customer_id" = e."customer_id"');
  expect(SQL_DIALECTS.athena.eventTime('x')).toBe('from_iso8601_timestamp(x)');
});
