"""Turning a ``random_state`` argument into a ``np.random.Generator``."""

from __future__ import annotations

import numpy as np


def check_random_state(random_state: int | np.random.Generator | None) -> np.random.Generator:
    """A Generator from an int seed, a Generator (returned as is), or None (fresh entropy)."""
    if isinstance(random_state, np.random.Generator):
        return random_state
    if random_state is None or (
        isinstance(random_state, (int, np.integer)) and not isinstance(random_state, bool)
    ):
        return np.random.default_rng(random_state)
    raise TypeError(
        "random_state must be None, an int or a np.random.Generator; "
        f"got {random_state!r} of type {type(random_state).__name__}"
    )
