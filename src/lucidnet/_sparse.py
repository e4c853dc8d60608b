"""Sparse inputs: SciPy's CSR and CSC matrices and arrays, checked once and kept sparse.

A sparse ``X`` (one-hot encoded categories, word counts) is checked and converted to
CSR once per call; batches and prediction chunks are CSR row subsets of it, and the
first layer's two products with it (``Z = X W^T`` forward, ``dW = dZ^T X`` backward)
are SciPy's sparse products, whose work is proportional to the stored entries, as
scikit-learn's MLP does them.  Nothing of ``X`` is ever made dense: a batch costs its
stored entries plus a copy of the first layer's weights in the layout SciPy's product
reads (``W^T`` C-ordered) and one of ``dW`` back.  (The fused SGD step works on dense
batches only; sparse input trains through the general step.)

SciPy is imported by whoever made the matrix: :func:`is_sparse` looks it up in
``sys.modules`` and so never imports it.
"""

from __future__ import annotations

import sys
from typing import Any

import numpy as np

from ._checks import check_finite

__all__ = ["as_sparse_rows", "is_sparse", "sparse_product"]


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
    # Duplicate entries need no summing: SciPy's products add each one in.
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


def sparse_product(matrix, dense: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
    """``matrix @ dense`` for a sparse ``matrix`` (m, k) and a dense ``dense`` (k, n):
    an ndarray of shape (m, n), written into ``out`` when given (any memory layout)."""
    product = matrix @ dense
    if out is None:
        return np.asarray(product)
    np.copyto(out, product)
    return out
