import { python, scipyTest } from './drift-fixtures';

// Small samples with ties, the values scipy.stats.ks_2samp(a, b, method='exact') gives (scipy 1.17.1).
const SMALL_A = [0.1, 0.4, 0.4, 0.7, 1.2, 1.5, 2.0];
const SMALL_B = [0.4, 0.9, 1.3, 1.5, 1.5, 2.2, 2.8, 3.1];
const SMALL_SCIPY = { statistic: 0.4642857142857143, pvalue: 0.31313131313131315 };

describe('drift statistics (drift_stats.py)', () => {
  test('GIVEN small samples with ties THEN the KS statistic and exact p-value are scipy\'s', () => {
    const [d, p, method] = python<[number, number, string]>('import drift_stats as s\nresult = s.ks_test(sorted(data[0]), sorted(data[1]))', [SMALL_A, SMALL_B]);
    expect(method).toBe('exact');
    expect(d).toBeCloseTo(SMALL_SCIPY.statistic, 12);
    expect(p).toBeCloseTo(SMALL_SCIPY.pvalue, 12);
  });

  scipyTest('GIVEN random samples up to the exact cap THEN statistic and exact p-value equal scipy.stats.ks_2samp', () => {
    const worst = python<{ statistic: number; pvalue: number; methods: string[] }>([
      'import random, drift_stats as s',
      'from scipy import stats',
      'rng = random.Random(5)',
      'worst = {"statistic": 0.0, "pvalue": 0.0, "methods": []}',
      'for n, m, shift, digits in [(5, 9, 0.0, 6), (40, 25, 0.8, 1), (200, 300, 0.2, 2), (1000, 1000, 0.05, 6)]:',
      '    a = sorted(round(rng.gauss(0, 1), digits) for _ in range(n))',
      '    b = sorted(round(rng.gauss(shift, 1), digits) for _ in range(m))',
      '    d, p, method = s.ks_test(a, b)',
      '    ref = stats.ks_2samp(a, b, method="exact")',
      '    worst["statistic"] = max(worst["statistic"], abs(d - ref.statistic))',
      '    worst["pvalue"] = max(worst["pvalue"], abs(p - ref.pvalue))',
      '    worst["methods"].append(method)',
      'result = worst',
    ].join('\n'));
    expect(worst.methods).toEqual(['exact', 'exact', 'exact', 'exact']);
    expect(worst.statistic).toBeLessThan(1e-12);
    expect(worst.pvalue).toBeLessThan(1e-9);
  });

  scipyTest('GIVEN n = m = 1001, above the exact cap THEN the asymptotic p-value is within 0.0075 of scipy\'s exact one', () => {
    const error = python<number>([
      'import drift_stats as s',
      'from scipy.stats._stats_py import _compute_prob_outside_square',
      'n = 1001',
      'result = max(abs(_compute_prob_outside_square(n, h) - s.ks_pvalue_asymptotic(n, n, h / n)) for h in range(1, n // 5))',
    ].join('\n'));
    expect(error).toBeLessThan(0.0075);
  });

  test('GIVEN two samples of 1001 THEN the asymptotic p-value is used', () => {
    expect(python<string>('import drift_stats as s\nresult = s.ks_test([float(k) for k in range(1001)], [k + 0.5 for k in range(1001)])[2]')).toBe('asymptotic');
  });

  test('GIVEN 9 degrees of freedom THEN the 95 % chi-square quantile is 16.918977604620448 (scipy.stats.chi2.ppf)', () => {
    expect(python<number>('import drift_stats as s\nresult = s.chi2_ppf(0.95, 9)')).toBeCloseTo(16.918977604620448, 9);
  });

  scipyTest('GIVEN 1 to 60 degrees of freedom THEN the 95 % chi-square quantile equals scipy\'s to 1e-9', () => {
    expect(python<number>([
      'import drift_stats as s',
      'from scipy import stats',
      'result = max(abs(s.chi2_ppf(0.95, df) - stats.chi2.ppf(0.95, df)) for df in range(1, 61))',
    ].join('\n'))).toBeLessThan(1e-9);
  });

  test('GIVEN p-values 0.01, 0.04, 0.03, 0.005 THEN Benjamini-Hochberg gives 0.02, 0.04, 0.04, 0.02', () => {
    // Sorted: 0.005*4/1 = 0.02, 0.01*4/2 = 0.02, 0.03*4/3 = 0.04, 0.04*4/4 = 0.04; already monotone.
    expect(python<number[]>('import drift_stats as s\nresult = s.benjamini_hochberg(data)', [0.01, 0.04, 0.03, 0.005]))
      .toEqual([0.02, 0.04, 0.04, 0.02]);
  });

  scipyTest('GIVEN random p-values THEN Benjamini-Hochberg equals scipy.stats.false_discovery_control', () => {
    expect(python<number>([
      'import random, drift_stats as s',
      'from scipy import stats',
      'rng = random.Random(3)',
      'ps = [rng.random() ** 3 for _ in range(25)]',
      'result = max(abs(x - y) for x, y in zip(s.benjamini_hochberg(ps), stats.false_discovery_control(ps)))',
    ].join('\n'))).toBeLessThan(1e-15);
  });

  test('GIVEN proportions 0.5/0.3/0.2 against 0.2/0.3/0.5 THEN PSI is 0.6 ln 2.5 by hand', () => {
    // (0.2 - 0.5) ln(0.2/0.5) + 0 + (0.5 - 0.2) ln(0.5/0.2) = 2 * 0.3 * ln 2.5
    expect(python<number>('import drift_stats as s\nresult = s.psi([50, 30, 20], [20, 30, 50])')).toBeCloseTo(0.6 * Math.log(2.5), 12);
  });

  test('GIVEN a bin the window leaves empty THEN its proportion is floored at 0.0001', () => {
    // (1 - 0.5) ln(1/0.5) + (0.0001 - 0.5) ln(0.0001/0.5)
    expect(python<number>('import drift_stats as s\nresult = s.psi([5, 5], [10, 0])')).toBeCloseTo(0.5 * Math.log(2) + (0.0001 - 0.5) * Math.log(0.0001 / 0.5), 12);
  });

  test('GIVEN 10 bins and 339 values on each side THEN chance PSI at 95 % is 16.919 * 2 / 339, just under 0.1', () => {
    const chance = python<number[]>('import drift_stats as s\nresult = [s.chance_psi(10, 339, 339), s.chance_psi(10, 338, 338)]');
    expect(chance[0]).toBeCloseTo(16.918977604620448 * 2 / 339, 9);
    expect(chance[0]).toBeLessThan(0.1);
    expect(chance[1]).toBeGreaterThan(0.1);
  });

  test('GIVEN 2000 samples of 100 from a stream of 1000 fed in chunks THEN every tenth of the stream is kept equally often (within 3 %)', () => {
    const shares = python<number[]>([
      'import random',
      'from drift_profile import Reservoir',
      'rng = random.Random(1)',
      'hits = [0] * 10',
      'for _ in range(2000):',
      '    sample = Reservoir(100, rng)',
      '    for start in range(0, 1000, 37):',
      '        sample.extend(list(range(start, min(1000, start + 37))))',
      '    for x in sample.items:',
      '        hits[x // 100] += 1',
      'result = [h / (2000 * 10) for h in hits]',
    ].join('\n'));
    for (const share of shares) {
      expect(Math.abs(share - 1)).toBeLessThan(0.03);
    }
  });

  test('GIVEN deciles of 1..100 THEN the edges are numpy\'s type-7 quantiles 10.9, 20.8, ..., 90.1', () => {
    expect(python<number[]>('import drift_stats as s\nresult = s.quantile_edges([float(k) for k in range(1, 101)], 10)'))
      .toEqual([10.9, 20.8, 30.7, 40.6, 50.5, 60.4, 70.3, 80.2, 90.1].map((x) => expect.closeTo(x, 9)));
  });
});
