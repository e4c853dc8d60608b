"""Shared fixtures: seeded generators and small random problems."""

from __future__ import annotations

import numpy as np
import pytest


@pytest.fixture
def rng() -> np.random.Generator:
    return np.random.default_rng(20261122)


def random_targets(rng: np.random.Generator, loss: str, m: int, n_out: int) -> np.ndarray:
    """Targets of shape (m, n_out) that make sense for ``loss``."""
    if loss == "categorical_cross_entropy":
        return np.eye(n_out)[rng.integers(0, n_out, m)]
    if loss == "binary_cross_entropy":
        return rng.integers(0, 2, (m, n_out)).astype(float)
    if loss == "poisson":  # counts, zeros included
        return rng.poisson(1.5, (m, n_out)).astype(float)
    return rng.standard_normal((m, n_out))
