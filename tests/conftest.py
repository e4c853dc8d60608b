"""Shared fixtures: seeded generators and small random problems."""

from __future__ import annotations

import os

import numpy as np
import pytest


def pytest_configure(config: pytest.Config) -> None:
    """In a pytest-xdist worker (one per core), one BLAS thread, for the worker and the
    command lines it starts: threads of their own would only wait for the cores the
    other workers hold (the case ``lucidnet --threads`` is for)."""
    if not os.environ.get("PYTEST_XDIST_WORKER") or "OPENBLAS_NUM_THREADS" in os.environ:
        return
    for name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ[name] = "1"  # read by each library when it loads: later ones, children
    from threadpoolctl import threadpool_limits

    threadpool_limits(1)  # the pools already loaded (NumPy's)


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
