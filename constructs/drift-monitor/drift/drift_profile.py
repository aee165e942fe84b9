"""Per-feature accumulation over chunks of rows: missing and invalid counts, bin or category counts; and a uniform
sample of rows for the KS test. Columns are processed a chunk at a time so that the per-value work runs in
C (map, bisect, Counter) rather than in Python loops."""
from __future__ import annotations

import json
import math
import random
from collections import Counter
from typing import Optional, Sequence

from drift_stats import bin_counter

# Strings read as a missing value (compared lower-cased and stripped), besides empty fields and JSON null.
MISSING_TOKENS = frozenset({'', 'na', 'n/a', 'nan', 'null', 'none'})


def is_missing(value) -> bool:
    if value is None:
        return True
    if isinstance(value, float):
        return math.isnan(value)
    return isinstance(value, str) and value.strip().lower() in MISSING_TOKENS


class Reservoir:
    """A uniform sample of at most `cap` items (rows) from a stream (Li's Algorithm L: work per replacement, not per value)."""

    def __init__(self, cap: int, rng: random.Random):
        self.cap = cap
        self.rng = rng
        self.items: list = []
        self.seen = 0
        self._weight = 1.0
        self._next = 0

    @property
    def sampled(self) -> bool:
        return self.seen > len(self.items)

    def extend(self, values: Sequence) -> None:
        start = self.seen
        count = len(values)
        if self.cap <= 0:
            self.seen += count
            return
        room = self.cap - len(self.items)
        if room > 0:
            self.items.extend(values[:room])
            if len(self.items) == self.cap:
                self._weight = math.exp(math.log(self._uniform()) / self.cap)
                self._next = start + room + self._skip()
        while len(self.items) == self.cap and self._next < start + count:
            self.items[self.rng.randrange(self.cap)] = values[self._next - start]
            self._weight *= math.exp(math.log(self._uniform()) / self.cap)
            self._next += self._skip() + 1
        self.seen += count

    def _uniform(self) -> float:
        return self.rng.random() or 1e-300

    def _skip(self) -> int:
        if self._weight >= 1.0:
            return 0
        return int(math.floor(math.log(self._uniform()) / math.log(1.0 - self._weight)))


def to_float(value) -> Optional[float]:
    """A finite float, None for a missing value, or raises ValueError for an invalid one."""
    if is_missing(value):
        return None
    if isinstance(value, str):
        number = float(value)
    elif isinstance(value, (int, float)):
        number = float(value)
    else:
        raise ValueError(value)
    if not math.isfinite(number):
        raise ValueError(value)
    return number


class NumericProfile:
    """Counts per quantile bin (given edges), of values read, and of missing and invalid values."""

    kind = 'numeric'

    def __init__(self, edges: Sequence[float]):
        self.edges = list(edges)
        self._bin = bin_counter(self.edges)
        self.counts: Counter = Counter()
        self.n = 0
        self.missing = 0
        self.invalid = 0

    def bin_counts(self) -> list[int]:
        return [self.counts.get(k, 0) for k in range(len(self.edges) + 1)]

    def add(self, column: Sequence) -> None:
        values = self.numbers(column)
        self.counts.update(map(self._bin, values))
        self.n += len(values)

    def numbers(self, column: Sequence) -> list[float]:
        """The finite numbers of a column; missing and invalid values are counted and left out."""
        try:
            values = list(map(float, column))
            if all(map(math.isfinite, values)):
                return values
        except (ValueError, TypeError):
            pass
        values = []
        for value in column:
            try:
                number = to_float(value)
            except (ValueError, TypeError, OverflowError):
                self.invalid += 1
                continue
            if number is None:
                self.missing += 1
            else:
                values.append(number)
        return values


def finite_numbers(column: Sequence) -> list[float]:
    """The finite numbers of a column, without counting what is left out."""
    return NumericProfile(()).numbers(column)


def category_of(value) -> Optional[str]:
    """The category a value counts as: strings stripped, whole numbers without a fraction, booleans lower-case."""
    if is_missing(value):
        return None
    if isinstance(value, bool):
        return 'true' if value else 'false'
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (dict, list)):
        return json.dumps(value, sort_keys=True)
    return str(value).strip()


class CategoricalProfile:
    """Counts per category and missing values."""

    kind = 'categorical'

    def __init__(self):
        self.counts: Counter = Counter()

    @property
    def missing(self) -> int:
        return self.counts.get(None, 0)

    @property
    def invalid(self) -> int:
        return 0

    @property
    def n(self) -> int:
        return sum(self.counts.values()) - self.missing

    def add(self, column: Sequence) -> None:
        self.counts.update(map(category_of, column))

    def category_counts(self, categories: Sequence[str]) -> list[int]:
        """Counts of the given categories, then of everything else ("other")."""
        known = [self.counts.get(name, 0) for name in categories]
        return known + [self.n - sum(known)]


class TypeScan:
    """Pass one of a baseline: how many present values of a column read as numbers, and how many do not."""

    def __init__(self):
        self.numeric = 0
        self.non_numeric = 0

    def add(self, column: Sequence) -> None:
        counter = NumericProfile(())
        values = counter.numbers(column)
        self.numeric += len(values)
        self.non_numeric += counter.invalid

    @property
    def looks_numeric(self) -> bool:
        # A column counts as numeric when at least half of its present values are numbers; the rest are counted
        # as invalid values, so a few stray strings neither change the type nor go unnoticed.
        return self.numeric >= self.non_numeric and self.numeric > 0
