"""Writing predictions to a CSV file: atomically, and numbers in their dtype's digits.

The file is replaced in one step (:func:`~lucidnet._atomic.atomic_file`), so a failure
never leaves a half-written file in place of a good one.  A float32 prediction is
written in the shortest digits that read back as the same float32 (``0.99999994``,
not its float64 digits).  A ``.tsv`` name gives tabs, and a compression suffix a
compressed file, as pandas' ``to_csv`` writes them.
"""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Sequence
from typing import Any

import numpy as np

from ._atomic import atomic_file
from ._compression import COMPRESSIONS, compress, split_suffix
from ._formats import PathLike
from .errors import DataError


def prediction_rows(predictions: Any) -> tuple[list[list[Any]], int]:
    """The rows of a prediction CSV and their width, numbers in their dtype's digits.

    ``predictions`` has shape (n_samples,) or (n_samples, n_outputs).
    """
    values = np.asarray(predictions)
    if values.dtype == np.float32 and values.ndim in (1, 2):
        values = _float32_text(values)
    if values.ndim == 1:
        return [[value] for value in values.tolist()], 1
    if values.ndim == 2:
        return values.tolist(), values.shape[1]
    raise DataError(
        f"predictions must be a 1-D array of shape (n_samples,) or a 2-D array of "
        f"shape (n_samples, n_outputs); got an array of shape {values.shape}"
    )


def _float32_text(values: np.ndarray) -> np.ndarray:
    """float32 values as text in their shortest digits (tolist() would print float64's),
    written as Python writes floats: positional from 1e-4 up to 1e16 ("100332640.0",
    not NumPy's "1.0033264e+08"), scientific beyond."""
    text = values.astype(str)
    with np.errstate(invalid="ignore"):
        magnitude = np.abs(values)
        positional = (magnitude >= 1e-4) & (magnitude < 1e16)
    exponent = np.char.find(text, "e") >= 0
    for index in zip(*np.nonzero(positional & exponent), strict=True):
        text[index] = np.format_float_positional(values[index], unique=True, trim="0")
    return text


def write_predictions(
    path: PathLike, predictions: Any, *, header: str | Sequence[str]
) -> None:
    """Write predictions to a CSV file atomically (tab-separated when ``path`` ends in
    ``.tsv``; compressed when it ends in ``.gz``, ``.bz2``, ``.xz`` or ``.zip``).

    The rows go to a temporary file in the same directory, which then replaces
    ``path`` in one ``os.replace``; if anything fails on the way, an existing file
    at ``path`` is left untouched and the temporary file is removed.

    Parameters
    ----------
    path : str or path-like
        Destination CSV file.
    predictions : array-like of shape (n_samples,) or (n_samples, n_outputs)
        Numbers (written in the shortest form that reads back as the same value of
        their dtype: ``0.99999994`` for a float32, not its float64 digits) or labels.
    header : str or sequence of str
        Column name(s): one per output column.
    """
    destination = os.fspath(path)
    rows, n_cols = prediction_rows(predictions)
    names = [header] if isinstance(header, str) else [str(name) for name in header]
    if len(names) != n_cols:
        raise DataError(
            f"header must name each of the {n_cols} prediction column(s); "
            f"got {len(names)} name(s): {names}"
        )

    suffix, compression = split_suffix(destination)
    if compression is None and suffix in COMPRESSIONS:
        compression = suffix  # "preds.gz": compressed CSV, as pandas writes it
    delimiter = "\t" if suffix == ".tsv" else ","
    if compression is None:
        with atomic_file(destination, "w", encoding="utf-8", newline="") as fh:
            _write_rows(fh, names, rows, delimiter)
        return
    # preds.csv.gz: compressed as its suffix says, as pandas' to_csv does.
    text = io.StringIO()
    _write_rows(text, names, rows, delimiter)
    member = os.path.basename(destination)[: -len(compression)]
    data = compress(text.getvalue().encode("utf-8"), compression, member)
    with atomic_file(destination, "wb") as fh:
        fh.write(data)


def _write_rows(stream: Any, names: Sequence[str], rows: Sequence[Sequence[Any]],
                delimiter: str = ",") -> None:
    writer = csv.writer(stream, delimiter=delimiter, lineterminator="\n")
    writer.writerow(names)
    writer.writerows(rows)
