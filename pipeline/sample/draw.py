"""Random draws on top of :class:`random.Random` (never the module's global state)."""

from __future__ import annotations

import math
from bisect import bisect
from collections.abc import Mapping
from itertools import accumulate
from random import Random
from typing import Generic, TypeVar

T = TypeVar("T")


class Weighted(Generic[T]):
    """A fixed categorical distribution: ``Weighted({"a": 3, "b": 1})(rng)`` is "a" 3 times in 4."""

    def __init__(self, weights: Mapping[T, float]) -> None:
        self._items = [item for item, weight in weights.items() if weight > 0]
        self._cumulative = list(accumulate(w for w in weights.values() if w > 0))
        self._total = self._cumulative[-1]

    def __call__(self, rng: Random) -> T:
        return self._items[bisect(self._cumulative, rng.random() * self._total)]


def chance(rng: Random, probability: float) -> bool:
    """True with the given probability."""
    return rng.random() < probability


def days_between(rng: Random, low: float, high: float) -> int:
    """A whole number of days, uniform between ``low`` and ``high``."""
    return round(rng.uniform(low, high))


def lognormal_days(rng: Random, median: float, sigma: float, low: float, high: float) -> int:
    """A right-skewed duration in days with the given median, clipped to [low, high]."""
    value = median * math.exp(rng.gauss(0.0, sigma))
    return round(min(max(value, low), high))


class Deck(Generic[T]):
    """Draws in the given proportions, dealt from a shuffled deck (stratified sampling).

    Every ``size`` draws hold each item in proportion to its weight (to rounding), so
    totals vary far less from one seed to another than with independent draws; the order
    is still random. A deck has state: make one per generation run.
    """

    def __init__(self, rng: Random, weights: Mapping[T, float], size: int = 100) -> None:
        total = sum(weights.values())
        self._rng = rng
        counts = {item: round(size * weight / total) for item, weight in weights.items()}
        self._cards = [item for item, count in counts.items() for _ in range(count)]
        self._pile: list[T] = []

    def __call__(self) -> T:
        if not self._pile:
            self._pile = self._cards[:]
            self._rng.shuffle(self._pile)
        return self._pile.pop()
