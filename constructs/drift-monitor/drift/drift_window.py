"""What every runner of drift.py shares: which window a scheduled run compares, the prefixes that hold it, the sample
of objects read when the window is larger than the byte budget, and the window's feature counts per status.

drift_lambda.py (AWS) and drift_k8s.py (Kubernetes) import it, so both engines compare the same window for the same
scheduled time. Python 3.9+ standard library only.
"""
from __future__ import annotations

import random
from datetime import datetime, timedelta, timezone

# A report's per-feature statuses, as drift_compare.py writes them.
STATUSES = ('ok', 'warn', 'alarm', 'insufficient_data')


def window_of(scheduled_time: str, every_hours: int) -> tuple[datetime, datetime]:
    """The `every_hours` hours that ended at the last full hour before the scheduled time (which runs minutes after it)."""
    at = datetime.strptime(scheduled_time[:19], '%Y-%m-%dT%H:%M:%S').replace(tzinfo=timezone.utc)
    end = at.replace(minute=0, second=0, microsecond=0)
    return end - timedelta(hours=every_hours), end


def window_prefixes(config: dict, start: datetime, end: datetime) -> list[str]:
    """The prefixes that hold the window's objects (for `prefix` sources: the one prefix, filtered by LastModified)."""
    template = config['windowTemplate']
    if config['kind'] == 'prefix':
        return [template]
    if config['kind'] == 'pipeline-inputs':
        day = start
        return [_fill(template, day)]
    prefixes = []
    hour = start
    while hour < end:
        prefixes.extend(_fill(template, hour).replace('{variant}', variant) for variant in config['variantNames'])
        hour += timedelta(hours=1)
    return prefixes


def _fill(template: str, at: datetime) -> str:
    return (template.replace('{yyyy}', f'{at.year:04d}').replace('{mm}', f'{at.month:02d}')
            .replace('{dd}', f'{at.day:02d}').replace('{hh}', f'{at.hour:02d}'))


def choose_objects(objects: list[dict], budget: int, seed: str) -> list[dict]:
    """All objects when they fit the byte budget; otherwise a uniform random sample of them that fits, in key order."""
    if sum(o['Size'] for o in objects) <= budget:
        return sorted(objects, key=lambda o: o['Key'])
    shuffled = sorted(objects, key=lambda o: o['Key'])
    random.Random(seed).shuffle(shuffled)
    chosen, used = [], 0
    for candidate in shuffled:
        if used + candidate['Size'] <= budget:
            chosen.append(candidate)
            used += candidate['Size']
    return sorted(chosen, key=lambda o: o['Key'])


def status_counts(report: dict) -> dict:
    """How many features of a report are at each status; an empty window counts as one feature without enough data."""
    statuses = [feature['status'] for feature in report['features'].values()]
    counts = {status: statuses.count(status) for status in STATUSES}
    if not statuses:
        counts['insufficient_data'] = 1
    return counts
