import { mkdirSync, writeFileSync } from 'fs';
import { join } from 'path';
import { gzipSync } from 'zlib';
import { compareWith, MODEL_ARGS, normal, python, runDrift, seeded, tempDir, writeCsv, writeJsonl } from './drift-fixtures';

const dir = tempDir();
const random = seeded(21);
const TRAIN_ROWS = Array.from({ length: 2000 }, () => [normal(random), normal(random, 5, 2), random() < 0.7 ? 'card' : 'wire']);
const TRAIN = writeCsv(dir, 'train.csv', ['amount', 'balance', 'channel'], TRAIN_ROWS);
const BASELINE = join(dir, 'baseline.json');

beforeAll(() => {
  expect(runDrift(['baseline', '--data', TRAIN, '--out', BASELINE, ...MODEL_ARGS]).status).toBe(0);
});

const base64 = (text: string) => Buffer.from(text).toString('base64');
function capture(data: string, encoding: string, observedContentType: string) {
  return {
    captureData: {
      endpointInput: { observedContentType, mode: 'INPUT', data, encoding },
      endpointOutput: { observedContentType: 'text/csv; charset=utf-8', mode: 'OUTPUT', data: '0.12', encoding: 'CSV' },
    },
    eventMetadata: { eventId: 'a1b2c3d4-e5f6-7890-abcd-ef1234567890', inferenceTime: '2026-11-25T01:00:00Z' },
    eventVersion: '0',
  };
}

describe('drift.py baseline', () => {
  test('GIVEN training data THEN the baseline records the model name and version it was made for', () => {
    expect(python('result = json.load(open(data))["model"]', BASELINE)).toEqual({ name: 'fraud', version: '1.4.0' });
  });

  test('GIVEN a column of words THEN it is profiled as categorical without being declared', () => {
    expect(python('result = [f["type"] for f in json.load(open(data))["features"]]', BASELINE)).toEqual(['numeric', 'numeric', 'categorical']);
  });

  test('GIVEN a baseline of another model version THEN compare exits 3 and says which model it was made for', () => {
    const result = runDrift(['compare', '--baseline', BASELINE, '--data', TRAIN, '--out', join(tempDir(), 'r.json'), '--model-name', 'fraud', '--model-version', '1.5.0']);
    expect(result.status).toBe(3);
    expect(result.stderr.trim()).toBe('drift.py: error: the baseline was made for model fraud version 1.4.0, not fraud version 1.5.0; '
      + 'build a baseline from the training data of the model version being monitored');
  });
});

describe('drift.py inputs', () => {
  test('GIVEN missing and non-numeric values THEN they are counted apart and the rest is compared', () => {
    const rows = TRAIN_ROWS.slice(0, 400).map((row, k) => {
      const odd = ['', 'NA', 'nan', 'abc', 'inf'];
      return k < odd.length ? [odd[k], row[1], row[2]] : row;
    });
    const amount = compareWith(tempDir(), BASELINE, writeCsv(tempDir(), 'w.csv', ['amount', 'balance', 'channel'], rows)).features.amount;
    expect([amount.n_current, amount.n_missing, amount.n_invalid]).toEqual([395, 3, 2]);
    expect(amount.missing_rate).toBeCloseTo(3 / 400, 12);
    expect(amount.status).toBe('ok');
  });

  test('GIVEN a CSV with only a header THEN every feature and the window are insufficient_data', () => {
    const report = compareWith(tempDir(), BASELINE, writeCsv(tempDir(), 'empty.csv', ['amount', 'balance', 'channel'], []));
    expect(report.status).toBe('insufficient_data');
    expect(report.window.rows).toBe(0);
    expect(report.features.amount.reasons).toEqual(['no values in the window']);
  });

  test('GIVEN an empty directory THEN the window is insufficient_data with no files read', () => {
    const empty = join(tempDir(), 'hour');
    mkdirSync(empty);
    const report = compareWith(tempDir(), BASELINE, empty);
    expect([report.status, report.window.files, report.window.rows]).toEqual(['insufficient_data', 0, 0]);
  });

  test('GIVEN JSON Lines records THEN they are read by name, like the CSV rows', () => {
    const records = TRAIN_ROWS.slice(0, 500).map(([amount, balance, channel]) => ({ channel, amount, balance }));
    const fromJson = compareWith(tempDir(), BASELINE, writeJsonl(tempDir(), 'w.jsonl', records)).features;
    const fromCsv = compareWith(tempDir(), BASELINE, writeCsv(tempDir(), 'w.csv', ['amount', 'balance', 'channel'], TRAIN_ROWS.slice(0, 500))).features;
    expect([fromJson.amount.psi, fromJson.channel.psi, fromJson.amount.n_current]).toEqual([fromCsv.amount.psi, fromCsv.channel.psi, 500]);
  });

  test('GIVEN SageMaker data capture with CSV, JSON and BASE64 bodies THEN every input row is read and bad records are counted', () => {
    const hour = join(tempDir(), 'fraud-endpoint', 'AllTraffic', '2026', '11', '25', '01');
    mkdirSync(hour, { recursive: true });
    writeJsonl(hour, 'capture.jsonl', [
      capture('0.5,4.2,card', 'CSV', 'text/csv'),
      capture('0.1,5.0,wire\n-0.3,6.1,card', 'CSV', 'text/csv'),
      capture(JSON.stringify({ instances: [{ amount: 1.5, balance: 3, channel: 'card' }] }), 'JSON', 'application/json'),
      capture(base64('0.2,5.5,wire'), 'BASE64', 'text/csv'),
      capture(base64(JSON.stringify([0.7, 4.4, 'card'])), 'BASE64', 'application/json'),
      capture('not base64!', 'BASE64', 'text/csv'),
      capture('0.2,5.5', 'CSV', 'text/csv'),
    ]);
    const report = compareWith(tempDir(), BASELINE, join(hour, '..', '..', '..', '..'));
    expect(report.window).toEqual({ files: 1, rows: 6, capture_records: 7, unparseable_records: 2 });
    expect(report.features.amount.n_current).toBe(6);
    expect(report.features.channel.counts_current).toEqual([3 + 1, 2, 0]);
  });

  test('GIVEN captured CSV bodies in another column order THEN --columns names their fields', () => {
    const path = writeJsonl(tempDir(), 'c.jsonl', [capture('card,0.5,4.2', 'CSV', 'text/csv')]);
    const report = compareWith(tempDir(), BASELINE, path, ['--columns', 'channel,amount,balance']);
    expect([report.features.amount.n_current, report.features.channel.counts_current]).toEqual([1, [1, 0, 0]]);
  });

  test('GIVEN a CSV with a byte-order mark and a gzipped copy THEN both are read by their header names', () => {
    const work = tempDir();
    const csv = ['amount,balance,channel', ...TRAIN_ROWS.slice(0, 50).map((row) => row.join(','))].join('\n') + '\n';
    writeFileSync(join(work, 'a.csv'), `\ufeff${csv}`);
    writeFileSync(join(work, 'b.csv.gz'), gzipSync(Buffer.from(csv)));
    const report = compareWith(tempDir(), BASELINE, work);
    expect([report.window.files, report.features.amount.n_current, report.features.amount.n_missing]).toEqual([2, 100, 0]);
  });

  test('GIVEN bytes that are not UTF-8 THEN the value they are in is invalid and the window is still compared', () => {
    const path = join(tempDir(), 'w.csv');
    writeFileSync(path, Buffer.concat([Buffer.from('amount,balance,channel\n0.5,4.2,card\n'), Buffer.from([0xff, 0xfe]), Buffer.from(',4.0,wire\n')]));
    expect(compareWith(tempDir(), BASELINE, path).features.amount).toMatchObject({ n_current: 1, n_invalid: 1 });
  });

  test('GIVEN a line that is not JSON THEN it is counted as unparseable and the others are read', () => {
    const path = join(tempDir(), 'w.jsonl');
    writeFileSync(path, '{"amount": 1, "balance": 2, "channel": "card"}\n{broken\n');
    expect(compareWith(tempDir(), BASELINE, path).window).toEqual({ files: 1, rows: 1, capture_records: 0, unparseable_records: 1 });
  });
});

describe('drift.py exit codes', () => {
  test('GIVEN a data path that does not exist THEN compare exits 4 naming it', () => {
    const result = runDrift(['compare', '--baseline', BASELINE, '--data', '/nonexistent/hour', '--out', join(tempDir(), 'r.json'), ...MODEL_ARGS]);
    expect([result.status, result.stderr.trim()]).toEqual([4, 'drift.py: error: no such file or directory: /nonexistent/hour']);
  });

  test('GIVEN a warn threshold above the alarm threshold THEN compare exits 2 naming both', () => {
    const result = runDrift(['compare', '--baseline', BASELINE, '--data', TRAIN, '--out', join(tempDir(), 'r.json'), ...MODEL_ARGS, '--threshold', 'amount=0.3:0.2']);
    expect(result.status).toBe(2);
    expect(result.stderr.trim().split('\n').pop()).toBe('drift.py: error: --threshold amount: warn 0.3 must be below alarm 0.2');
  });

  test('GIVEN a file that is not a baseline THEN compare exits 4', () => {
    const result = runDrift(['compare', '--baseline', TRAIN, '--data', TRAIN, '--out', join(tempDir(), 'r.json'), ...MODEL_ARGS]);
    expect(result.status).toBe(4);
    expect(result.stderr).toMatch(/^drift\.py: error: cannot read baseline .*train\.csv: /);
  });

  test('GIVEN baseline data without rows THEN baseline exits 4', () => {
    const result = runDrift(['baseline', '--data', writeCsv(tempDir(), 'e.csv', ['x'], []), '--out', join(tempDir(), 'b.json'), ...MODEL_ARGS]);
    expect([result.status, result.stderr.trim()]).toEqual([4, 'drift.py: error: no rows in the baseline data (1 files)']);
  });
});
