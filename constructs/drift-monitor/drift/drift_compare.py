"""The `compare` command: a window of data against a baseline, per feature PSI, KS and a sample-aware status."""
from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Optional

from drift_baseline import KS_SAMPLE_CAP
from drift_profile import CategoricalProfile, NumericProfile, Reservoir, finite_numbers
from drift_readers import DataSource
from drift_stats import PSI_FLOOR, benjamini_hochberg, chance_psi, dkw_error, ks_test, psi

REPORT_SCHEMA = 'ml-platform-constructs/drift-report@1'
# Statuses from least to most severe; the window reports its most severe feature status.
STATUS_ORDER = ('ok', 'insufficient_data', 'warn', 'alarm')
# The level of the sample-size rule: a window is judged only when chance alone stays below the warn threshold in
# 95 % of windows without drift.
CHANCE_LEVEL = 0.95
# Each side's KS sample is within its DKW bound with 97.5 % confidence, so both are with 95 % (union bound).
SAMPLING_MISS_PER_SIDE = 0.025


@dataclass
class Thresholds:
    # PSI below 0.1 is stable, 0.1-0.2 worth investigating, above 0.2 a shift to act on (the industry rule of thumb).
    psi_warn: float = 0.1
    psi_alarm: float = 0.2
    # A KS difference is significant at a Benjamini-Hochberg corrected p below 1 %.
    ks_alpha: float = 0.01
    # ... and large enough to matter: the two CDFs differ by at least 10 percentage points somewhere. Without this
    # floor a window of 100,000 rows alarms on differences of 0.01 that no model notices.
    ks_min_statistic: float = 0.1
    per_feature: dict = field(default_factory=dict)

    def for_feature(self, name: str) -> tuple[float, float]:
        return self.per_feature.get(name, (self.psi_warn, self.psi_alarm))


def compare(baseline: dict, paths: list[str], thresholds: Thresholds, positional: Optional[list[str]] = None,
            sample_cap: int = KS_SAMPLE_CAP, seed: int = 0, top: int = 5) -> dict:
    entries = baseline['features']
    names = [entry['name'] for entry in entries]
    profiles = [NumericProfile(entry['edges']) if entry['type'] == 'numeric' else CategoricalProfile() for entry in entries]
    rows = Reservoir(sample_cap, random.Random(seed))
    source = DataSource(paths, columns=names, positional=positional or names)
    for chunk in source.chunks():
        for profile, column in zip(profiles, zip(*chunk)):
            profile.add(column)
        rows.extend(chunk)

    features = {}
    sampled_columns = list(zip(*rows.items)) or [()] * len(entries)
    for entry, profile, column in zip(entries, profiles, sampled_columns):
        sample = sorted(finite_numbers(column)) if entry['type'] == 'numeric' else []
        features[entry['name']] = _feature(entry, profile, thresholds, sample, rows.sampled)
    _correct_and_judge(features, thresholds)
    judged = [(name, f) for name, f in features.items() if f['status'] not in ('insufficient_data',)]
    judged.sort(key=lambda item: (-STATUS_ORDER.index(item[1]['status']), -item[1]['psi'], item[0]))
    status = max((f['status'] for f in features.values()), key=STATUS_ORDER.index)
    return {
        'schema': REPORT_SCHEMA,
        'model': dict(baseline['model']),
        'created_at': datetime.now(timezone.utc).strftime('%Y-%m-%dT%H:%M:%SZ'),
        'status': status,
        'top_drifting': [{'feature': name, 'status': f['status'], 'psi': f['psi'], 'ks': f['ks']} for name, f in judged[:top]],
        'window': {
            'files': len(source.files),
            'rows': source.rows,
            'capture_records': source.capture_records,
            'unparseable_records': source.unparseable,
        },
        'baseline': {'rows': baseline.get('rows'), 'created_at': baseline.get('created_at')},
        'settings': {
            'psi_warn': thresholds.psi_warn,
            'psi_alarm': thresholds.psi_alarm,
            'psi_overrides': {k: {'warn': w, 'alarm': a} for k, (w, a) in thresholds.per_feature.items()},
            'psi_floor': PSI_FLOOR,
            'chance_level': CHANCE_LEVEL,
            'ks_alpha': thresholds.ks_alpha,
            'ks_min_statistic': thresholds.ks_min_statistic,
            'ks_correction': 'benjamini-hochberg',
            'ks_sample_cap': sample_cap,
        },
        'features': features,
    }


def _feature(entry: dict, profile, thresholds: Thresholds, current_sample: list[float], subsample: bool) -> dict:
    warn, alarm = thresholds.for_feature(entry['name'])
    expected = entry['counts']
    if isinstance(profile, NumericProfile):
        actual = profile.bin_counts()
    else:
        actual = profile.category_counts(entry['categories'])
    n_baseline = entry['n']
    n_current = profile.n
    # Bins the baseline leaves empty carry no chance variation; at least two, so one category still needs rows.
    bins = max(2, sum(1 for c in expected if c > 0))
    chance = chance_psi(bins, n_current, n_baseline, CHANCE_LEVEL)
    rows_read = n_current + profile.missing + profile.invalid
    result = {
        'type': entry['type'],
        'status': 'ok',
        'reasons': [],
        'psi': psi(expected, actual) if n_current and n_baseline else None,
        'psi_chance_95': chance if chance != float('inf') else None,
        'psi_warn': warn,
        'psi_alarm': alarm,
        'bins': len(expected),
        'bins_populated': bins,
        'n_baseline': n_baseline,
        'n_current': n_current,
        'n_missing': profile.missing,
        'n_invalid': profile.invalid,
        'missing_rate': profile.missing / rows_read if rows_read else None,
        'counts_baseline': list(expected),
        'counts_current': actual,
        'ks': None,
        'ks_pvalue': None,
        'ks_pvalue_adjusted': None,
        'ks_method': None,
        'ks_n_baseline': None,
        'ks_n_current': None,
        'ks_sampling_error': None,
    }
    if isinstance(profile, NumericProfile) and current_sample and entry['sample']:
        d, pvalue, method = ks_test(entry['sample'], current_sample)
        error = 0.0
        if entry.get('sample_is_subsample'):
            error += dkw_error(len(entry['sample']), SAMPLING_MISS_PER_SIDE)
        if subsample:
            error += dkw_error(len(current_sample), SAMPLING_MISS_PER_SIDE)
        result.update(ks=d, ks_pvalue=pvalue, ks_method=method, ks_n_baseline=len(entry['sample']),
                      ks_n_current=len(current_sample), ks_sampling_error=error)
    return result


def _correct_and_judge(features: dict, thresholds: Thresholds) -> None:
    tested = [name for name, f in features.items() if f['ks_pvalue'] is not None]
    for name, adjusted in zip(tested, benjamini_hochberg([features[name]['ks_pvalue'] for name in tested])):
        features[name]['ks_pvalue_adjusted'] = adjusted
    for name, f in features.items():
        reasons = f['reasons']
        if f['psi'] is None:
            reasons.append(f'no values in the {"window" if f["n_current"] == 0 else "baseline"}')
            f['status'] = 'insufficient_data'
            continue
        if f['psi_chance_95'] > f['psi_warn']:
            reasons.append(f'{f["n_current"]} values against {f["n_baseline"]}: chance alone reaches PSI '
                           f'{f["psi_chance_95"]:.4f} (95 %), above the warn threshold {f["psi_warn"]}')
            f['status'] = 'insufficient_data'
            continue
        status = 'ok'
        if f['psi'] >= f['psi_alarm']:
            status = 'alarm'
            reasons.append(f'PSI {f["psi"]:.4f} >= alarm threshold {f["psi_alarm"]}')
        elif f['psi'] >= f['psi_warn']:
            status = 'warn'
            reasons.append(f'PSI {f["psi"]:.4f} >= warn threshold {f["psi_warn"]}')
        adjusted = f['ks_pvalue_adjusted']
        if adjusted is not None and adjusted < thresholds.ks_alpha and f['ks'] >= thresholds.ks_min_statistic:
            status = 'alarm'
            reasons.append(f'KS {f["ks"]:.4f} >= {thresholds.ks_min_statistic} with corrected p {adjusted:.3g} '
                           f'< {thresholds.ks_alpha}')
        f['status'] = status
