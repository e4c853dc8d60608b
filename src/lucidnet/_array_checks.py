"""Validating in-memory arrays for the engine: real numbers, the allowed number of
dimensions, enough rows, no NaN or infinity.

:func:`check_array` (features, shape (n_samples, n_features)) and
:func:`check_targets` (shape (n_samples,) or (n_samples, n_outputs)) return
C-contiguous floating arrays, without a copy when the input already is one, or raise a
DataError naming the argument, what was expected and what was received.
:func:`_all_finite` is also how the file readers check the numbers they parsed.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .errors import DataError

_SHAPES = {
    "features": {1: "(n_samples,)", 2: "(n_samples, n_features)"},
    "targets": {1: "(n_samples,)", 2: "(n_samples, n_outputs)"},
}


def _all_finite(array: np.ndarray) -> bool:
    """True when no element is NaN or infinite.

    Summing first is cheap and catches almost every bad array without allocating a
    boolean mask; a non-finite sum can also mean overflow of huge finite values,
    so only then is every element checked.
    """
    if array.size == 0:
        return True
    with np.errstate(over="ignore", invalid="ignore"):
        total = array.sum()
    return bool(np.isfinite(total)) or bool(np.isfinite(array).all())


def _describe_ndim(ndims: tuple[int, ...], shapes: dict[int, str]) -> str:
    parts = []
    for ndim in ndims:
        shape = shapes.get(ndim)
        parts.append(f"a {ndim}-D array" + (f" of shape {shape}" if shape else ""))
    return " or ".join(parts)


def _check(
    X: Any,
    *,
    name: str,
    ndim: int | tuple[int, ...],
    dtype: Any,
    min_samples: int,
    shapes: dict[int, str],
) -> np.ndarray:
    try:
        array = np.asarray(X)
    except (ValueError, TypeError) as exc:
        raise DataError(f"{name} could not be converted to an array: {exc}") from None
    if array.dtype.kind == "O":
        try:
            array = array.astype(np.float64)
        except (ValueError, TypeError):
            raise DataError(
                f"{name} must hold real numbers; got an object array that is not numeric"
            ) from None
    if array.dtype.kind not in "biuf":
        raise DataError(
            f"{name} must hold real numbers; got dtype {array.dtype}"
            + (" (encode class labels as numbers first)" if array.dtype.kind in "US" else "")
        )
    ndims = (ndim,) if isinstance(ndim, int) else tuple(ndim)
    if array.ndim not in ndims:
        got = "a scalar" if array.ndim == 0 else f"an array of shape {array.shape}"
        raise DataError(f"{name} must be {_describe_ndim(ndims, shapes)}; got {got}")
    if array.shape[0] < min_samples:
        raise DataError(
            f"{name} must have at least {min_samples} sample(s) (rows); "
            f"got an array of shape {array.shape}"
        )
    if dtype is None:
        target_dtype = array.dtype if array.dtype.kind == "f" else np.dtype(np.float64)
    else:
        target_dtype = np.dtype(dtype)
        if target_dtype.kind != "f":
            raise TypeError(f"dtype must be a floating dtype or None; got {target_dtype}")
    # Casting down (float64 -> float32) can overflow to inf; that is reported below
    # as a non-finite element rather than as a NumPy warning.
    with np.errstate(over="ignore"):
        array = np.ascontiguousarray(array, dtype=target_dtype)
    if not _all_finite(array):
        index = tuple(int(i) for i in np.argwhere(~np.isfinite(array))[0])
        where = ", ".join(str(i) for i in index)
        raise DataError(
            f"{name} must not contain NaN or infinity; {name}[{where}] is {array[index]}"
        )
    return array


def check_array(
    X: Any,
    *,
    name: str = "X",
    ndim: int | tuple[int, ...] = 2,
    dtype: Any = None,
    min_samples: int = 1,
) -> np.ndarray:
    """Validate an in-memory array of features (rows are examples).

    Parameters
    ----------
    X : array-like of shape (n_samples, n_features)
        Real numbers (bool, integer or floating); no NaN or infinity.
    name : str, default "X"
        The argument's name, used in error messages.
    ndim : int or tuple of int, default 2
        Allowed number(s) of dimensions.
    dtype : floating dtype, optional
        Dtype of the result. ``None`` keeps a floating input's dtype and turns
        bool and integer input into float64.
    min_samples : int, default 1
        Fewest rows allowed; pass 0 to accept an empty batch.

    Returns
    -------
    ndarray of the same shape
        C-contiguous, of the requested dtype; ``X`` itself when it already was.

    Raises
    ------
    DataError
        (a ``ValueError``) naming ``name``, what was expected and what was received,
        e.g. ``"X must not contain NaN or infinity; X[3, 1] is nan"``.
    """
    return _check(
        X, name=name, ndim=ndim, dtype=dtype, min_samples=min_samples,
        shapes=_SHAPES["features"],
    )


def check_targets(
    y: Any,
    *,
    name: str = "y",
    n_samples: int | None = None,
    ndim: int | tuple[int, ...] = (1, 2),
    dtype: Any = None,
) -> np.ndarray:
    """Validate an in-memory array of numeric targets (rows are examples).

    Parameters
    ----------
    y : array-like of shape (n_samples,) or (n_samples, n_outputs)
        Real numbers, no NaN or infinity. Class labels that are strings must be
        encoded as numbers first.
    name : str, default "y"
        The argument's name, used in error messages.
    n_samples : int, optional
        The number of rows the features have; ``y`` must match it.
    ndim : int or tuple of int, default (1, 2)
        Allowed number(s) of dimensions.
    dtype : floating dtype, optional
        As in :func:`check_array`.

    Returns
    -------
    ndarray of the same shape
        C-contiguous, of the requested dtype; ``y`` itself when it already was.
    """
    array = _check(
        y, name=name, ndim=ndim, dtype=dtype, min_samples=0, shapes=_SHAPES["targets"]
    )
    if n_samples is not None and array.shape[0] != n_samples:
        raise DataError(
            f"{name} must have one row per example ({n_samples}, as in X); "
            f"got an array of shape {array.shape}"
        )
    return array
