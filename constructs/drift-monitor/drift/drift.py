#!/usr/bin/env python3
"""Per-feature drift of a window of data against a training baseline (PSI, two-sample KS), sample-aware.

  drift.py baseline --data <file|dir>... --out baseline.json --model-name NAME --model-version VERSION
                    [--features a,b,c] [--categorical c]
  drift.py compare  --baseline baseline.json --data <file|dir>... --out report.json
                    --model-name NAME --model-version VERSION [--columns a,b,c]
                    [--psi-warn 0.1] [--psi-alarm 0.2] [--threshold FEATURE=WARN:ALARM]...
                    [--ks-alpha 0.01] [--ks-min-statistic 0.1]

Data: CSV with a header, JSON Lines (one object per line), SageMaker data-capture JSON Lines, optionally gzipped, or
directories of them. Exit codes: 0 report or baseline written (whatever the drift status), 2 usage error,
3 the baseline was made for another model or model version, 4 unreadable input (a missing path, a malformed
baseline, baseline data without rows or a feature without values). Python 3.9+ standard library only.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile

# The package folder may be read-only (a Lambda bundle, a ConfigMap mount): no .pyc files beside the script.
sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from drift_baseline import KS_SAMPLE_CAP, build_baseline, check_baseline  # noqa: E402
from drift_compare import Thresholds, compare  # noqa: E402
from drift_readers import DataError  # noqa: E402

EXIT_OK = 0
EXIT_USAGE = 2
EXIT_OTHER_MODEL = 3
EXIT_INPUT = 4


def _names(text: str) -> list[str]:
    names = [name.strip() for name in text.split(',') if name.strip()]
    if not names:
        raise argparse.ArgumentTypeError('expected comma-separated names')
    return names


def _fraction(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f'not a number: {text}') from None
    if not 0 < value < 1:
        raise argparse.ArgumentTypeError(f'{text} is not between 0 and 1 (exclusive)')
    return value


def _positive_psi(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f'not a number: {text}') from None
    if not 0 < value <= 10:
        raise argparse.ArgumentTypeError(f'{text} is not a PSI threshold in (0, 10]')
    return value


def _threshold(text: str) -> tuple[str, float, float]:
    name, sep, levels = text.rpartition('=')
    warn, colon, alarm = levels.partition(':')
    if not sep or not name or not colon:
        raise argparse.ArgumentTypeError(f'expected FEATURE=WARN:ALARM, got {text}')
    return name, _positive_psi(warn), _positive_psi(alarm)


def _sample_cap(text: str) -> int:
    if not text.isdigit() or not 1000 <= int(text) <= 10_000_000:
        raise argparse.ArgumentTypeError(f'{text} is not a whole number from 1000 to 10000000')
    return int(text)


def parser() -> argparse.ArgumentParser:
    root = argparse.ArgumentParser(prog='drift.py', description=__doc__.split('\n')[0])
    commands = root.add_subparsers(dest='command', required=True)
    for name in ('baseline', 'compare'):
        sub = commands.add_parser(name)
        sub.add_argument('--data', nargs='+', required=True, help='CSV or JSON Lines files, or directories of them')
        sub.add_argument('--out', required=True, help='where the JSON document is written')
        sub.add_argument('--model-name', required=True)
        sub.add_argument('--model-version', required=True)
        sub.add_argument('--ks-sample-cap', type=_sample_cap, default=KS_SAMPLE_CAP)
        sub.add_argument('--seed', type=int, default=0, help='of the uniform KS sample, for reproducible results')
        if name == 'baseline':
            sub.add_argument('--features', type=_names, help='columns to profile (default: all)')
            sub.add_argument('--categorical', type=_names, default=[], help='columns that are categories')
        else:
            sub.add_argument('--baseline', required=True)
            sub.add_argument('--columns', type=_names, help='names of the fields of headerless rows (captured CSV)')
            sub.add_argument('--psi-warn', type=_positive_psi, default=Thresholds.psi_warn)
            sub.add_argument('--psi-alarm', type=_positive_psi, default=Thresholds.psi_alarm)
            sub.add_argument('--threshold', type=_threshold, action='append', default=[],
                             help='per-feature PSI thresholds, FEATURE=WARN:ALARM (repeatable)')
            sub.add_argument('--ks-alpha', type=_fraction, default=Thresholds.ks_alpha)
            sub.add_argument('--ks-min-statistic', type=float, default=Thresholds.ks_min_statistic)
            sub.add_argument('--top', type=int, default=5, help='how many drifting features the summary lists')
    return root


def _write_json(path: str, document: dict) -> None:
    directory = os.path.dirname(os.path.abspath(path))
    os.makedirs(directory, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=directory, suffix='.tmp')
    with os.fdopen(handle, 'w', encoding='utf-8') as out:
        json.dump(document, out, allow_nan=False, separators=(',', ':'))
    # Written then renamed: a reader never sees half a report.
    os.replace(temporary, path)


def _thresholds(args, names: list[str], fail) -> Thresholds:
    if args.psi_warn >= args.psi_alarm:
        fail(f'--psi-warn {args.psi_warn} must be below --psi-alarm {args.psi_alarm}')
    if not 0 <= args.ks_min_statistic <= 1:
        fail(f'--ks-min-statistic {args.ks_min_statistic} is not between 0 and 1')
    per_feature = {}
    for name, warn, alarm in args.threshold:
        if name not in names:
            fail(f'--threshold names "{name}", which the baseline does not have (features: {", ".join(names)})')
        if warn >= alarm:
            fail(f'--threshold {name}: warn {warn} must be below alarm {alarm}')
        per_feature[name] = (warn, alarm)
    return Thresholds(args.psi_warn, args.psi_alarm, args.ks_alpha, args.ks_min_statistic, per_feature)


def main(argv: list[str]) -> int:
    root = parser()
    args = root.parse_args(argv)
    try:
        if args.command == 'baseline':
            document = build_baseline(args.data, args.model_name, args.model_version, args.features,
                                      args.categorical, args.ks_sample_cap, args.seed)
            _write_json(args.out, document)
            print(f'baseline: {document["rows"]} rows, {len(document["features"])} features -> {args.out}')
            return EXIT_OK
        try:
            with open(args.baseline, encoding='utf-8') as handle:
                baseline = check_baseline(json.load(handle))
        except (OSError, ValueError) as error:
            raise DataError(f'cannot read baseline {args.baseline}: {error}') from None
        made_for = baseline.get('model') or {}
        if (made_for.get('name'), made_for.get('version')) != (args.model_name, args.model_version):
            print(f'drift.py: error: the baseline was made for model {made_for.get("name")} version '
                  f'{made_for.get("version")}, not {args.model_name} version {args.model_version}; '
                  'build a baseline from the training data of the model version being monitored', file=sys.stderr)
            return EXIT_OTHER_MODEL
        names = [entry['name'] for entry in baseline['features']]
        thresholds = _thresholds(args, names, root.error)
        report = compare(baseline, args.data, thresholds, args.columns, args.ks_sample_cap, args.seed, args.top)
        _write_json(args.out, report)
        print(f'{report["status"]}: {report["window"]["rows"]} rows; top: '
              f'{", ".join(t["feature"] for t in report["top_drifting"]) or "-"} -> {args.out}')
        return EXIT_OK
    except (DataError, OSError, UnicodeDecodeError) as error:
        print(f'drift.py: error: {error}', file=sys.stderr)
        return EXIT_INPUT


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
