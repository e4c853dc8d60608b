"""Reading NumPy's ``.npy`` and ``.npz`` files into a :class:`~lucidnet._table.Table`.

A ``.npy`` file is one 2-D array whose columns are named ``"0"``, ``"1"``, ...; a
``.npz`` file holds ``X`` of shape (n_samples, n_features) and optionally ``y``, or a
single such array.  Pickles are never loaded, and a file that is not what its suffix
says is refused before NumPy reads it (NumPy's own error would be about pickles).  A
NaN is a missing value, an error unless the caller reads missing values as NaN; an
infinity is always one.
"""

from __future__ import annotations

import zipfile
from collections.abc import Sequence

import numpy as np

from ._array_checks import _all_finite
from ._number_text import MISSING_TOKENS
from ._table import Table, _feature_columns, _resolve_target
from .errors import DataError

# The first bytes of every .npy file (the format's magic string) and of a zip archive
# (an .npz is one).
_NPY_MAGIC = b"\x93NUMPY"
_ZIP_MAGIC = b"PK\x03\x04"
#: How a zip archive of no files starts: its end record alone.
_EMPTY_ZIP_MAGIC = b"PK\x05\x06"


def _load_npy(path: str) -> np.ndarray:
    """The array of a ``.npy`` file, or DataError (its values unchecked)."""
    # Checked first: for any other file NumPy's own error is about pickles.
    with open(path, "rb") as fh:
        if fh.read(len(_NPY_MAGIC)) != _NPY_MAGIC:
            raise DataError("not a NumPy .npy file (it lacks the .npy header)", path=path)
    try:
        return np.load(path, allow_pickle=False)
    except (ValueError, OSError, EOFError) as exc:
        raise DataError(f"cannot read as a NumPy .npy file: {exc}", path=path) from None


def _read_npy(path: str, target: str | int | None, read_target: bool = True,
              features: Sequence[str] | None = None, missing_is_nan: bool = False) -> Table:
    return _table_from_array(_load_npy(path), target, path, read_target, features,
                             missing_is_nan)


def _load_npz(path: str) -> tuple[np.ndarray, np.ndarray | None]:
    """``(X, y or None)`` of a ``.npz`` data file, or DataError (values unchecked)."""
    # Checked first: for any other file NumPy's own error is about pickles.
    with open(path, "rb") as fh:
        start = fh.read(len(_ZIP_MAGIC))
    if start == _EMPTY_ZIP_MAGIC:  # np.savez() with no arrays
        raise DataError("the .npz archive holds no arrays (save X, and y, in it)", path=path)
    if start != _ZIP_MAGIC:
        raise DataError("not a NumPy .npz file (it is not a zip archive)", path=path)
    try:
        # The file opened here, not by np.load, which leaves it open when the
        # archive turns out to be damaged.
        with open(path, "rb") as fh, np.load(fh, allow_pickle=False) as archive:
            keys = list(archive.files)
            if "X" in keys:
                X = archive["X"]
                y = archive["y"] if "y" in keys else None
            elif len(keys) == 1:
                X, y = archive[keys[0]], None
            elif {"header", "params"} <= set(keys):
                raise DataError("a lucidnet model file, not data (arrays 'X' and optionally "
                                "'y', or a single 2-D array)", path=path)
            else:
                raise DataError(
                    f"expected arrays 'X' and optionally 'y', or a single 2-D array; "
                    f"found {keys}",
                    path=path,
                )
    except (ValueError, OSError, EOFError, zipfile.BadZipFile) as exc:
        if isinstance(exc, DataError):
            raise
        raise DataError(f"cannot read as a NumPy .npz file: {exc}", path=path) from None
    for name, member in (("X", X), ("y", y)):
        # np.load hands back the raw bytes of a member that is not a .npy array.
        if member is not None and not isinstance(member, np.ndarray):
            raise DataError(f"array {name!r} of the archive is not a NumPy .npy array",
                            path=path)
    return X, y


def _read_npz(path: str, target: str | int | None, read_target: bool = True,
              features: Sequence[str] | None = None, missing_is_nan: bool = False) -> Table:
    X, y = _load_npz(path)
    if y is None:
        return _table_from_array(X, target, path, read_target, features, missing_is_nan)
    if target is not None:
        raise DataError(
            f"the file holds its target as array 'y'; do not also name a target "
            f"column ({target!r})",
            path=path,
        )
    table = _table_from_array(X, None, path, features=features, missing_is_nan=missing_is_nan)
    table.target_name = "y"
    if not read_target:
        return table
    y = np.asarray(y)
    if y.ndim == 2 and y.shape[1] == 1:
        y = y[:, 0]
    several = y.ndim == 2 and y.shape[1] > 1 and y.dtype.kind not in "USO"
    if not (y.ndim == 1 or several) or y.shape[0] != table.n_samples:
        raise DataError(
            f"array 'y' must have shape ({table.n_samples},) to match 'X' of shape "
            f"{table.features.shape} (or ({table.n_samples}, k) for k numeric targets); "
            f"got shape {y.shape}",
            path=path,
        )
    if y.dtype.kind in "US":
        labels = y.astype(str)
        for i, label in enumerate(labels.tolist()):
            if label.strip().lower() in MISSING_TOKENS:
                raise DataError(f"array 'y' has a missing value at index {i}", path=path)
        table.target = labels
    else:
        table.target = _numeric_file_array(y, path, "array 'y'")
    return table


def _numeric_file_array(array: np.ndarray, path: str, what: str, *,
                        unused: Sequence[int] = (), nan_columns: Sequence[int] = (),
                        table: bool = False) -> np.ndarray:
    """``array`` as float64, or DataError naming its first element that cannot be used:
    an infinity, or a NaN outside the columns ``nan_columns`` of a 2-D array (where a NaN
    is a missing value, read as such).  Columns ``unused`` (values not used) are not
    looked at.  ``table``: ``array`` is a file's table, whose column ``j`` is named
    ``str(j)``; a NaN there is named by row and column in words that start "missing
    value", as a text file's blank cell is (so that the command line's remedies follow).
    """
    if array.dtype.kind not in "biuf":
        raise DataError(f"{what} must hold real numbers; got dtype {array.dtype}", path=path)
    array = np.ascontiguousarray(array, dtype=np.float64)
    if _all_finite(array):
        return array
    usable = np.isfinite(array)  # a mask only on the way to an error, or for missing values
    if len(nan_columns):
        usable[:, nan_columns] |= np.isnan(array[:, nan_columns])
    if len(unused):
        usable[:, unused] = True
    bad = np.argwhere(~usable)
    if not bad.size:
        return array
    index = tuple(int(i) for i in bad[0])
    if not np.isnan(array[index]):
        raise DataError(f"{what} must be finite; element {list(index)} is {array[index]}",
                        path=path)
    if table:
        raise DataError(f"missing value (NaN) in row {index[0]} (0-based)", path=path,
                        column=str(index[1]))
    raise DataError(f"{what} has a missing value (NaN) at element {list(index)}", path=path)


def _array_column_names(array: np.ndarray, path: str) -> list[str]:
    """``"0", "1", ...``: the names of a data array's columns, or DataError for an
    array that is not a table (not 2-D, or no rows)."""
    if array.ndim != 2:
        raise DataError(
            f"expected a 2-D array of shape (n_samples, n_columns); got shape {array.shape}",
            path=path,
        )
    if array.shape[0] == 0:
        raise DataError("the array has no rows", path=path)
    return [str(j) for j in range(array.shape[1])]


def _table_from_array(array: np.ndarray, target: str | int | None, path: str,
                      read_target: bool = True,
                      features: Sequence[str] | None = None,
                      missing_is_nan: bool = False) -> Table:
    names = _array_column_names(array, path)
    t = _resolve_target(target, names, path)
    feature_cols = _feature_columns(names, t, features, path)
    used = set(feature_cols) | ({t} if t is not None and read_target else set())
    array = _numeric_file_array(array, path, "the array", table=True,
                                unused=[j for j in range(len(names)) if j not in used],
                                nan_columns=feature_cols if missing_is_nan else ())
    return Table(
        features=np.ascontiguousarray(array[:, feature_cols]),
        target=None if t is None or not read_target else array[:, t].copy(),
        feature_names=[names[j] for j in feature_cols],
        target_name=None if t is None else names[t],
        source=path,
    )
