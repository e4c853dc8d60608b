"""Small array kernels that NumPy's obvious spelling runs slowly on a network's shapes.

Each one computes exactly what its docstring's plain NumPy expression computes; only
the route differs.  Measured with NumPy 2.4 on float32 and float64 arrays of the shapes
the engine sees every batch, (m, n) with m in the hundreds or thousands:

* reducing along rows of a few columns (the classes of a softmax): ``Z.max(axis=1)``
  and ``Z.sum(axis=1)`` run one short inner loop per row, 2.5-6x slower than reading the
  maximum at the ``argmax`` (which has a vectorized row loop) and than a BLAS
  matrix-vector product with a vector of ones;
* ``np.maximum(Z, 0)``: the array-and-scalar loop of ``maximum`` is about 2x slower
  than the loop for two arrays, here ``Z`` and a broadcast row of zeros.

The constant vectors are cached read-only (batch sizes and layer widths repeat).
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

__all__ = ["ones", "zeros_row", "row_max", "row_sum"]


@lru_cache(maxsize=16)
def ones(n: int, dtype: np.dtype) -> np.ndarray:
    """A read-only vector of ``n`` ones, shape (n,)."""
    vector = np.ones(n, dtype)
    vector.flags.writeable = False
    return vector


@lru_cache(maxsize=16)
def zeros_row(n: int, dtype: np.dtype) -> np.ndarray:
    """A read-only vector of ``n`` zeros, shape (n,): broadcasts against (m, n)."""
    vector = np.zeros(n, dtype)
    vector.flags.writeable = False
    return vector


def row_max(Z: np.ndarray) -> np.ndarray:
    """``Z.max(axis=1)`` for ``Z`` of shape (m, n): shape (m,).

    NaN behaves as in ``max``: ``argmax`` points at a row's first NaN, which is then
    the row's value.
    """
    return Z[np.arange(len(Z)), Z.argmax(axis=1)]


def row_sum(Z: np.ndarray) -> np.ndarray:
    """``Z.sum(axis=1)`` for ``Z`` of shape (m, n), as ``Z @ ones(n)``: shape (m,)."""
    # np.dot: np.matmul's call, but less dispatch (see lucidnet.layers._product).
    return np.dot(Z, ones(Z.shape[1], Z.dtype))
