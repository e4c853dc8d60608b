"""Sparse inputs: SciPy's CSR and CSC matrices and arrays, checked once, made dense a
block of rows at a time.

The engine's products are dense BLAS products.  A sparse ``X`` (one-hot encoded
categories, say) stays sparse in memory and is turned into dense rows only for the
rows being worked on: a training batch, a validation or prediction chunk.  So memory is
the sparse matrix plus one dense block, and each block costs what gathering the same
rows of a dense ``X`` costs.  For very wide, very sparse data (text as word counts) a
sparse product would do less arithmetic than the dense one; that is not this module's
aim.

SciPy is imported by whoever made the matrix: :func:`is_sparse` looks it up in
``sys.modules`` and so never imports it.
"""

from __future__ import annotations

import sys
from typing import Any

import numpy as np

from ._checks import check_finite

__all__ = ["as_sparse_rows", "dense_rows", "is_sparse"]


def is_sparse(value: Any) -> bool:
    """Whether ``value`` is a SciPy sparse matrix or array."""
    sparse = sys.modules.get("scipy.sparse")
    return sparse is not None and bool(sparse.issparse(value))


def as_sparse_rows(value: Any, name: str, *, dtype: np.dtype, n_columns: int | None = None):
    """``value`` as a CSR matrix of ``dtype`` with finite entries, or a clear error.

    Parameters
    ----------
    value : SciPy sparse matrix or array of shape (m, n)
    name : str
        The argument's name, for messages.
    n_columns : int, optional
        Required number of columns.

    Returns
    -------
    scipy.sparse CSR matrix or array of shape (m, n)
        ``value`` itself when it is already one of ``dtype``.
    """
    if value.ndim != 2:
        raise ValueError(
            f"{name} must be a 2-D array of shape (m, n), examples as rows; got a sparse "
            f"array of shape {value.shape}"
        )
    if value.dtype.kind not in "biuf":
        raise TypeError(f"{name} must hold real numbers; got a sparse array of dtype {value.dtype}")
    if n_columns is not None and value.shape[1] != n_columns:
        raise ValueError(
            f"{name} must have {n_columns} columns (shape (m, {n_columns})); "
            f"got shape {value.shape}"
        )
    # Duplicate entries need no summing: making rows dense adds them up.
    matrix = value.tocsr().astype(dtype, copy=False)
    try:
        check_finite(matrix.data, name)
    except ValueError:
        bad = int(np.flatnonzero(~np.isfinite(matrix.data))[0])
        row = int(np.searchsorted(matrix.indptr, bad, side="right")) - 1
        raise ValueError(
            f"{name} must be finite; {name}[{row}, {int(matrix.indices[bad])}] is "
            f"{float(matrix.data[bad])!r}"
        ) from None
    return matrix


def dense_rows(matrix, rows: slice | np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
    """Rows ``rows`` of CSR ``matrix`` as a dense C-ordered ndarray of shape (k, n).

    ``out``, when given, must have that shape and the matrix's dtype; it is filled and
    returned.
    """
    return matrix[rows].toarray(out=out)
