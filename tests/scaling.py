"""How a function's time grows with its input, for tests that must catch quadratic work without a
wall-clock threshold: the time on an input 4x as big over the time on the small one is ~4 for linear work
and ~16 for quadratic, whatever the machine's speed or load."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

FACTOR = 4
LINEAR = 8.0  # between 4 (linear) and 16 (quadratic): the bound a growth ratio must stay under
_FLOOR_S = 0.002  # below this a time is mostly noise: both sizes count as this long


def growth(fn: Callable[[Any], object], small: Any, big: Any, repeat: int = 3) -> float:
    """Best time of fn(big) over best time of fn(small), the two interleaved `repeat` times (a burst of
    load on the shared machine then hits both)."""
    best = {"small": float("inf"), "big": float("inf")}
    for _ in range(repeat):
        for key, arg in (("small", small), ("big", big)):
            t0 = time.perf_counter()
            fn(arg)
            best[key] = min(best[key], time.perf_counter() - t0)
    return max(best["big"], _FLOOR_S) / max(best["small"], _FLOOR_S)
