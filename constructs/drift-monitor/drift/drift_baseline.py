"""The `baseline` command: profiles training data into the bins, categories and KS sample a window is compared with.

Two passes over the data: the first finds each column's type and a uniform sample of its numbers (the decile edges
and the KS reference), the second counts every value into those bins, so the expected proportions are exact."""
from __future__ import annotations

import random
from datetime import datetime, timezone
from typing import Optional

from drift_profile import CategoricalProfile, NumericProfile, Reservoir, TypeScan, finite_numbers
from drift_readers import DataError, DataSource
from drift_stats import quantile_edges

BASELINE_SCHEMA = 'ml-platform-constructs/drift-baseline@1'
# Deciles: ten bins of about 10 % of the training data each, the usual PSI layout.
BINS = 10
# The most frequent categories get a bin each; the rest share "other", so a high-cardinality column stays bounded.
MAX_CATEGORIES = 20
# Up to 100,000 rows are kept for the KS test: exact below it; above it a uniform sample of rows, whose CDF per
# feature is within 0.0049 of the full data's with 97.5 % confidence (Dvoretzky-Kiefer-Wolfowitz).
KS_SAMPLE_CAP = 100_000


def build_baseline(paths: list[str], model_name: str, model_version: str, features: Optional[list[str]] = None,
                   categorical: Optional[list[str]] = None, sample_cap: int = KS_SAMPLE_CAP, seed: int = 0) -> dict:
    declared = set(categorical or [])
    scan_source = DataSource(paths, columns=list(features) if features else None)
    rows = Reservoir(sample_cap, random.Random(seed))
    scans: Optional[list[TypeScan]] = None
    for chunk in scan_source.chunks():
        columns = scan_source.columns or []
        if scans is None:
            scans = [TypeScan() for _ in columns]
        for name, scan, column in zip(columns, scans, zip(*chunk)):
            if name not in declared:
                scan.add(column)
        rows.extend(chunk)
    if scan_source.rows == 0 or scans is None:
        raise DataError(f'no rows in the baseline data ({len(scan_source.files)} files)')
    names = list(scan_source.columns or [])
    unknown = sorted(declared - set(names))
    if unknown:
        raise DataError(f'--categorical names columns the data lacks: {", ".join(unknown)} (columns: {", ".join(names)})')

    profiles: list = []
    samples: dict = {}
    for name, scan, column in zip(names, scans, zip(*rows.items)):
        if name in declared or not scan.looks_numeric:
            profiles.append(CategoricalProfile())
        else:
            samples[name] = sorted(finite_numbers(column))
            profiles.append(NumericProfile(quantile_edges(samples[name], BINS)))
    count_source = DataSource(paths, columns=names)
    for chunk in count_source.chunks():
        for profile, column in zip(profiles, zip(*chunk)):
            profile.add(column)

    entries = []
    for name, profile in zip(names, profiles):
        if profile.n == 0:
            raise DataError(f'feature "{name}" has no values in the baseline data ({profile.missing} missing)')
        entries.append(_numeric_entry(name, profile, samples[name], rows.sampled) if isinstance(profile, NumericProfile)
                       else _categorical_entry(name, profile))
    return {
        'schema': BASELINE_SCHEMA,
        'model': {'name': model_name, 'version': model_version},
        'created_at': datetime.now(timezone.utc).strftime('%Y-%m-%dT%H:%M:%SZ'),
        'rows': count_source.rows,
        'files': len(count_source.files),
        'settings': {'bins': BINS, 'max_categories': MAX_CATEGORIES, 'ks_sample_cap': sample_cap, 'seed': seed},
        'features': entries,
    }


def _numeric_entry(name: str, profile: NumericProfile, sample: list[float], subsample: bool) -> dict:
    return {
        'name': name,
        'type': 'numeric',
        'edges': profile.edges,
        'counts': profile.bin_counts(),
        'n': profile.n,
        'missing': profile.missing,
        'invalid': profile.invalid,
        'sample': sample,
        'sample_is_subsample': subsample,
    }


def _categorical_entry(name: str, profile: CategoricalProfile) -> dict:
    ranked = sorted(((k, v) for k, v in profile.counts.items() if k is not None), key=lambda kv: (-kv[1], kv[0]))
    categories = [k for k, _ in ranked[:MAX_CATEGORIES]]
    return {
        'name': name,
        'type': 'categorical',
        'categories': categories,
        'counts': profile.category_counts(categories),
        'n': profile.n,
        'missing': profile.missing,
        'invalid': 0,
    }


def check_baseline(baseline: object) -> dict:
    """The baseline document, or DataError naming what is wrong with it."""
    if not isinstance(baseline, dict) or baseline.get('schema') != BASELINE_SCHEMA:
        raise DataError(f'not a drift baseline (expected "schema": "{BASELINE_SCHEMA}")')
    features = baseline.get('features')
    if not isinstance(features, list) or not features:
        raise DataError('the baseline lists no features')
    for entry in features:
        kind = entry.get('type') if isinstance(entry, dict) else None
        keys = ('edges', 'counts', 'sample') if kind == 'numeric' else ('categories', 'counts')
        if kind not in ('numeric', 'categorical') or not all(isinstance(entry.get(k), list) for k in keys):
            raise DataError(f'baseline feature entry is malformed: {str(entry)[:200]}')
    return baseline
