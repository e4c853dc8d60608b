"""Argument checks shared by the engine's public methods.

They run once per public call (never per mini-batch) and raise ``ValueError`` or
``TypeError`` whose message names the argument, what was expected and what was
received.
"""

from __future__ import annotations

import numbers
import os
import threading
from typing import Any

import numpy as np

FLOAT_DTYPES = (np.dtype(np.float32), np.dtype(np.float64))
#: Arrays of at least this many entries are summed in two halves on two threads: the
#: sum runs at one core's memory speed, and a thread costs far less than half of it.
TWO_THREAD_SUM_SIZE = 1 << 20


def is_real(value: Any) -> bool:
    """Whether ``value`` is a real number: int, float or a NumPy scalar such as
    ``np.float32(0.1)`` (what indexing a float32 array gives), but not a bool."""
    return isinstance(value, numbers.Real) and not isinstance(value, (bool, np.bool_))


def as_float_dtype(dtype: Any, name: str = "dtype") -> np.dtype:
    """``float32`` or ``float64`` as an ``np.dtype``; anything else is an error."""
    try:
        resolved = np.dtype(dtype)
    except TypeError:
        resolved = None
    if resolved not in FLOAT_DTYPES:
        raise ValueError(f"{name} must be float32 or float64; got {dtype!r}")
    return resolved


def as_matrix(
    value: Any,
    name: str,
    *,
    dtype: np.dtype,
    n_columns: int | None = None,
    n_rows: int | None = None,
    allow_vector: bool = False,
) -> np.ndarray:
    """``value`` as a finite, C-contiguous 2-D array of ``dtype``, or a clear error.

    Parameters
    ----------
    value : array-like of shape (m, n), or (m,) when ``allow_vector``
        A vector is read as one column.
    name : str
        The argument's name, for messages.
    n_columns, n_rows : int, optional
        Required sizes.
    """
    try:
        array = np.asarray(value)
    except (TypeError, ValueError) as exc:
        raise TypeError(f"{name} must be an array of numbers; got {type(value).__name__}") from exc
    if array.dtype == object and hasattr(value, "dtypes") and hasattr(value, "to_numpy"):
        # pandas' nullable columns (Int64, Float64, boolean) make an object array: read
        # as floats, a missing value as NaN (then named), as scikit-learn's check_array.
        try:
            array = value.to_numpy(dtype=np.float64, na_value=np.nan)
        except (TypeError, ValueError):
            pass  # text: refused below
    if array.dtype.kind not in "biuf":
        raise TypeError(f"{name} must hold real numbers; got an array of dtype {array.dtype}")
    if allow_vector and array.ndim == 1:
        array = array.reshape(-1, 1)
    if array.ndim != 2:
        expected = "(m, n)" if n_columns is None else f"(m, {n_columns})"
        hint = ""
        if name == "Y" and array.ndim == 1 and n_columns and n_columns > 1 and (
                array.dtype.kind in "biu"):
            # Class indices for a softmax output, which trains on one-hot rows.
            hint = f" (class indices? one-hot encode them: np.eye({n_columns})[y])"
        raise ValueError(
            f"{name} must be a 2-D array of shape {expected}, examples as rows; "
            f"got an array of shape {array.shape}{hint}"
        )
    if n_columns is not None and array.shape[1] != n_columns:
        hint = ""
        if name == "Y" and array.shape[1] == 1 and np.array_equal(array, np.round(array)):
            hint = f" (class indices? one-hot encode them: np.eye({n_columns})[y.ravel()])"
        elif array.shape[0] == n_columns:
            hint = f" (transposed? examples are rows here: pass {name}.T)"
        raise ValueError(
            f"{name} must have {n_columns} column{'s' if n_columns != 1 else ''} (shape "
            f"(m, {n_columns})); got shape {array.shape}{hint}"
        )
    if n_rows is not None and array.shape[0] != n_rows:
        raise ValueError(
            f"{name} must have {n_rows} rows, one per example of X; got shape {array.shape}"
        )
    array = np.ascontiguousarray(array, dtype=dtype)
    check_finite(array, name)
    return array


def check_finite(array: np.ndarray, name: str) -> None:
    """Raise ``ValueError`` naming the first NaN or infinite entry of ``array``."""
    # A sum is finite only when every entry is: one pass and no (m, n) boolean mask
    # for the common case; the exact search runs only when something is wrong (or the
    # sum of finite entries overflowed).
    if np.isfinite(_sum(array)):
        return
    if not np.isfinite(array).all():
        position = tuple(int(i) for i in np.argwhere(~np.isfinite(array))[0])
        raise ValueError(
            f"{name} must be finite; {name}[{', '.join(map(str, position))}] is "
            f"{float(array[position])!r}"
        )


def _sum(array: np.ndarray) -> Any:
    """``np.add.reduce`` over all of ``array``, large arrays in two halves at once.

    NumPy releases the GIL while it reduces, so the halves run on two cores.  A plain
    thread per call rather than a pool: a pool's worker would not survive a fork.
    """
    if array.size < TWO_THREAD_SUM_SIZE or _usable_cpus() < 2 or not array.flags.c_contiguous:
        return _quiet_sum(array)
    flat = array.reshape(-1)
    half = flat.size // 2
    sums: list[Any] = []
    worker = threading.Thread(target=lambda: sums.append(_quiet_sum(flat[half:])))
    worker.start()
    first = _quiet_sum(flat[:half])
    worker.join()
    if not sums:  # the worker failed (out of memory?): sum the rest here
        sums.append(_quiet_sum(flat[half:]))
    # NaN or inf in either half makes this NaN or inf (inf + -inf is NaN).
    with np.errstate(over="ignore", invalid="ignore"):
        return first + sums[0]


def _quiet_sum(array: np.ndarray) -> Any:
    # An overflowing or NaN sum is an expected outcome here, not a warning for the user
    # (np.errstate is per thread, so each thread sets it).
    with np.errstate(over="ignore", invalid="ignore"):
        return np.add.reduce(array, axis=None)


def _usable_cpus() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def as_sample_weight(value: Any, n_rows: int, dtype: np.dtype) -> np.ndarray | None:
    """``sample_weight`` as a finite, non-negative vector of shape (m,), or None."""
    if value is None:
        return None
    try:
        weights = np.asarray(value)
    except (TypeError, ValueError) as exc:  # ragged nested lists
        raise TypeError(f"sample_weight must be an array of numbers; got "
                        f"{type(value).__name__}") from exc
    if weights.dtype.kind not in "biuf":
        raise TypeError(f"sample_weight must hold real numbers; got an array of dtype "
                        f"{weights.dtype}")
    weights = weights.astype(dtype, copy=False)
    if weights.shape != (n_rows,):
        raise ValueError(
            f"sample_weight must have shape ({n_rows},), one weight per example; "
            f"got shape {weights.shape}"
        )
    check_finite(weights, "sample_weight")
    if (weights < 0).any():
        raise ValueError("sample_weight must be non-negative")
    return weights
