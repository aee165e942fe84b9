import { readFileSync } from 'fs';
import { join } from 'path';
import { baselineAndCompare, compareWith, normal, pick, python, runDrift, scipyTest, seeded, tempDir, writeCsv, MODEL_ARGS } from './drift-fixtures';

const COLUMNS = ['amount', 'age', 'country'];
const COUNTRIES = ['DE', 'FR', 'IE'];

/** Transactions: amount ~ N(shift, 1), age ~ Exp(1), country by the given weights. */
function transactions(seed: number, rows: number, shift = 0, weights = [0.5, 0.3, 0.2]): Array<Array<string | number>> {
  const random = seeded(seed);
  const exponential = () => Math.round(-Math.log(1 - random()) * 1e6) / 1e6;
  return Array.from({ length: rows }, () => [normal(random, shift), exponential(), pick(random, COUNTRIES, weights)]);
}

const dir = tempDir();
const TRAIN = writeCsv(dir, 'train.csv', COLUMNS, transactions(1, 5000));
const BASELINE = join(dir, 'fraud-baseline.json');

beforeAll(() => {
  const made = runDrift(['baseline', '--data', TRAIN, '--out', BASELINE, ...MODEL_ARGS]);
  expect(made.status).toBe(0);
});

function compare(name: string, rows: Array<Array<string | number>>, args: string[] = []): any {
  return compareWith(tempDir(), BASELINE, writeCsv(dir, name, COLUMNS, rows), args);
}

function statuses(report: any): Record<string, string> {
  return Object.fromEntries(Object.entries(report.features).map(([name, f]: [string, any]) => [name, f.status]));
}

describe('drift.py compare: statuses', () => {
  test('GIVEN a window from the training distribution THEN every feature and the window are ok', () => {
    const report = compare('same.csv', transactions(2, 2000));
    expect(statuses(report)).toEqual({ amount: 'ok', age: 'ok', country: 'ok' });
    expect(report.status).toBe('ok');
  });

  test('GIVEN amount shifted by 0.6 sd and countries reweighted THEN both alarm, age stays ok, and they lead the top list', () => {
    const report = compare('drifted.csv', transactions(3, 2000, 0.6, [0.2, 0.3, 0.5]));
    expect(statuses(report)).toEqual({ amount: 'alarm', age: 'ok', country: 'alarm' });
    expect(report.status).toBe('alarm');
    expect(report.top_drifting.map((t: any) => [t.feature, t.status])).toEqual([['country', 'alarm'], ['amount', 'alarm'], ['age', 'ok']]);
  });

  test('GIVEN a shifted amount THEN its reasons quote the PSI and the corrected KS p-value', () => {
    const amount = compare('drifted.csv', transactions(3, 2000, 0.6)).features.amount;
    expect(amount.reasons).toEqual([
      `PSI ${amount.psi.toFixed(4)} >= alarm threshold 0.2`,
      `KS ${amount.ks.toFixed(4)} >= 0.1 with corrected p ${python<string>('result = "%.3g" % data', amount.ks_pvalue_adjusted)} < 0.01`,
    ]);
  });

  test('GIVEN a drifted window of 50 rows THEN every feature is insufficient_data, never an alarm', () => {
    const report = compare('small.csv', transactions(4, 50, 2, [0, 0, 1]));
    expect(statuses(report)).toEqual({ amount: 'insufficient_data', age: 'insufficient_data', country: 'insufficient_data' });
    expect(report.status).toBe('insufficient_data');
    expect(report.top_drifting).toEqual([]);
  });

  test('GIVEN a categorical shift of 0.5/0.3/0.2 to 0.35/0.3/0.35 THEN country warns, and a per-feature threshold of 0.2 makes it ok', () => {
    const rows = transactions(5, 4000, 0, [0.35, 0.3, 0.35]);
    expect(compare('reweighted.csv', rows).features.country.status).toBe('warn');
    const overridden = compare('reweighted.csv', rows, ['--threshold', 'country=0.2:0.3']).features.country;
    expect([overridden.status, overridden.psi_warn, overridden.psi_alarm]).toEqual(['ok', 0.2, 0.3]);
  });

  test('GIVEN a category the baseline never saw THEN it is counted in the last ("other") bin', () => {
    const rows = transactions(6, 1000).map((row, k) => (k < 100 ? [row[0], row[1], 'ES'] : row));
    const country = compare('new-country.csv', rows).features.country;
    expect(country.counts_current[3]).toBe(100);
    expect(country.counts_baseline[3]).toBe(0);
  });

  test('GIVEN two numeric features THEN the adjusted KS p-values are Benjamini-Hochberg\'s over both', () => {
    const { amount, age } = compare('bh.csv', transactions(7, 2000, 0.05)).features;
    const [low, high] = [amount.ks_pvalue, age.ks_pvalue].sort((a, b) => a - b);
    const adjustedLow = Math.min(low * 2, high);
    expect([amount.ks_pvalue_adjusted, age.ks_pvalue_adjusted].sort((a, b) => a - b)).toEqual([adjustedLow, high]);
  });
});

describe('drift.py compare: numbers', () => {
  test('GIVEN values 1..10 with counts 200,200,100,100,100,100,50,50,50,50 against 100 each THEN PSI is 0.4 ln 2 by hand', () => {
    // Baseline deciles put one value per bin (10 % each); window proportions .2,.2,.1,.1,.1,.1,.05,.05,.05,.05:
    // 2 * 0.1 ln 2 + 4 * (-0.05) ln 0.5 = 0.4 ln 2.
    const work = tempDir();
    const baseline = writeCsv(work, 'b.csv', ['x'], Array.from({ length: 1000 }, (_, k) => [(k % 10) + 1]));
    const counts = [200, 200, 100, 100, 100, 100, 50, 50, 50, 50];
    const window = writeCsv(work, 'w.csv', ['x'], counts.flatMap((count, value) => Array.from({ length: count }, () => [value + 1])));
    const x = baselineAndCompare(work, baseline, window).features.x;
    expect(x.counts_current).toEqual(counts);
    expect(x.psi).toBeCloseTo(0.4 * Math.log(2), 12);
    expect(x.status).toBe('alarm');
  });

  test('GIVEN 339 rows on each side THEN the window is judged; GIVEN 338 THEN insufficient_data (chi2_95(9) * 2 / n > 0.1)', () => {
    const judged = tempDir();
    const values339 = writeCsv(judged, 'v.csv', ['x'], Array.from({ length: 339 }, (_, k) => [k + 1]));
    expect(baselineAndCompare(judged, values339, values339).features.x.status).toBe('ok');
    const short = tempDir();
    const values338 = writeCsv(short, 'v.csv', ['x'], Array.from({ length: 338 }, (_, k) => [k + 1]));
    const x = baselineAndCompare(short, values338, values338).features.x;
    expect(x.status).toBe('insufficient_data');
    expect(x.reasons).toEqual(['338 values against 338: chance alone reaches PSI 0.1001 (95 %), above the warn threshold 0.1']);
  });

  test('GIVEN the README THEN the window size it states for 10 bins is the 339 rows pinned above', () => {
    expect(readFileSync(join(__dirname, '..', '..', 'README.md'), 'utf8')).toContain('a window needs **339 values when the baseline has as many**');
  });

  test('GIVEN a KS sample cap of 1000 and 2000 rows THEN KS uses 1000 sampled rows and states a DKW error of sqrt(ln 80 / 2000)', () => {
    const amount = compare('capped.csv', transactions(8, 2000), ['--ks-sample-cap', '1000']).features.amount;
    expect([amount.ks_n_baseline, amount.ks_n_current]).toEqual([5000, 1000]);
    expect(amount.ks_sampling_error).toBeCloseTo(Math.sqrt(Math.log(80) / 2000), 12);
  });

  scipyTest('GIVEN a window below the KS cap THEN the report\'s KS statistic is scipy\'s on the full columns and its p-value within 0.0075', () => {
    const window = writeCsv(dir, 'scipy.csv', COLUMNS, transactions(9, 2000, 0.1));
    const report = compareWith(tempDir(), BASELINE, window);
    const reference = python<{ statistic: number; pvalue: number }>([
      'import csv',
      'from scipy import stats',
      'columns = [[float(r["amount"]) for r in csv.DictReader(open(p))] for p in data]',
      'r = stats.ks_2samp(columns[0], columns[1], method="exact")',
      'result = {"statistic": float(r.statistic), "pvalue": float(r.pvalue)}',
    ].join('\n'), [TRAIN, window]);
    expect(report.features.amount.ks).toBeCloseTo(reference.statistic, 12);
    expect(report.features.amount.ks_method).toBe('asymptotic');
    expect(Math.abs(report.features.amount.ks_pvalue - reference.pvalue)).toBeLessThan(0.0075);
  });
});
