"""Reading Parquet files into a :class:`~lucidnet._table.Table`, with pyarrow.

pyarrow is optional (``pip install "lucidnet[parquet]"``) and imported here only when a
Parquet file is read.  The columns are the schema's, less the unnamed row labels pandas
stores; numeric and boolean columns are features, text ones only as categories
(``"True"``/``"False"`` stored as text read as 1/0, as in a CSV file), and a null is a
missing value: an error naming its 0-based row, unless missing values are read as NaN.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from typing import Any

import numpy as np

from ._array_checks import _all_finite
from ._cells import _Coding
from ._table import Table, _feature_columns, _resolve_target
from .errors import DataError


def _pyarrow(path: str) -> tuple[Any, Any]:
    """``pyarrow`` and ``pyarrow.parquet``, or a DataError saying how to install them."""
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError:
        raise DataError(
            'reading Parquet files needs pyarrow; install it with: pip install "lucidnet[parquet]"',
            path=path,
        ) from None
    return pa, pq


def _pandas_index_columns(schema: Any) -> list[str]:
    """The columns of a Parquet file written by pandas that hold its DataFrame's
    unnamed row labels (``__index_level_0__`` after a shuffle or a split): not data,
    and a feature that would leak the rows' order.  A named index (``set_index("id")``)
    was the user's column and stays one."""
    metadata = schema.pandas_metadata or {}
    return [name for name in metadata.get("index_columns", [])
            if isinstance(name, str) and name in schema.names
            and re.fullmatch(r"__index_level_\d+__", name)]


def _boolean_words(column: Any) -> bool:
    """Whether a Parquet text column holds only True/False (any case), nulls aside."""
    values = {str(v).strip().lower() for v in column.unique().to_pylist() if v is not None}
    return bool(values) and values <= {"true", "false"}


def _read_parquet(path: str, target: str | int | None, read_target: bool = True,
                  features: Sequence[str] | None = None, coding: _Coding = _Coding()) -> Table:
    pa, pq = _pyarrow(path)
    try:
        # The schema first: pyarrow's reader fails on two columns of one name with
        # words about its own internals.
        counts = Counter(pq.read_schema(path).names)
        twice = next((name for name, count in counts.items() if count > 1), None)
        if twice is not None:
            raise DataError(f"{counts[twice]} columns are named {twice!r}; name each "
                            "column once", path=path)
        data = pq.read_table(path)
    except (OSError, pa.ArrowException) as exc:
        raise DataError(f"cannot read as a Parquet file: {exc}", path=path) from None
    data = data.drop_columns(_pandas_index_columns(data.schema))
    names = [str(name) for name in data.column_names]
    if not names:
        raise DataError("the file has no columns", path=path)
    if data.num_rows == 0:
        raise DataError("the file has no rows", path=path)
    t = _resolve_target(target, names, path)

    def numeric(column: Any) -> bool:
        kind = column.type
        return bool(
            pa.types.is_integer(kind) or pa.types.is_floating(kind)
            or pa.types.is_boolean(kind) or pa.types.is_decimal(kind)
        )

    def first_null(column: Any, name: str) -> None:
        if column.null_count:
            row = int(np.flatnonzero(column.is_null().to_numpy(zero_copy_only=False))[0])
            raise DataError(f"missing value in row {row} (0-based)", path=path, column=name)

    def as_float(column: Any, name: str) -> np.ndarray:
        values = np.asarray(column.to_numpy(zero_copy_only=False), dtype=np.float64)
        if not _all_finite(values):
            row = int(np.flatnonzero(~np.isfinite(values))[0])
            raise DataError(
                f"expected a finite number in row {row} (0-based), got {values[row]}",
                path=path,
                column=name,
            )
        return values

    def as_text(column: Any) -> list[str]:
        # Missing cells as "" (coded NaN); categories compare as the text a CSV holds.
        return ["" if value is None else str(value) for value in column.to_pylist()]

    columns = []
    feature_names = []
    categories = {}
    # pandas' "category" columns, whatever their values' type (1, 2, 3 are categories).
    declared = {str(entry.get("name")) for entry in (data.schema.pandas_metadata or {}).get(
        "columns", []) if isinstance(entry, dict) and entry.get("pandas_type") == "categorical"}
    for j in _feature_columns(names, t, features, path):
        name = names[j]
        column = data.column(j)
        given = isinstance(coding.categories, dict) and name in coding.categories
        textual = pa.types.is_string(column.type) or pa.types.is_large_string(column.type) or (
            pa.types.is_dictionary(column.type)) or name in declared
        if textual and not given and _boolean_words(column):
            # "True"/"False" stored as text: 1/0, as in a CSV file and as booleans.
            column = pa.array([None if v is None else v.strip().lower() == "true"
                               for v in column.to_pylist()], type=pa.bool_())
            textual = False
        if given or (coding.categories == "auto" and (textual or name in coding.text_columns)):
            codes, categories[name] = coding.codes(as_text(column), name)
            columns.append(codes)
            feature_names.append(name)
            continue
        if not numeric(column):
            raise DataError(
                f"expected a numeric column, got type {column.type}", path=path, column=name
            )
        if coding.missing_is_nan:
            values = np.array(column.cast(pa.float64()).to_numpy(zero_copy_only=False),
                              dtype=np.float64)
            missing = np.isnan(values)  # nulls and NaN alike
            values[missing] = 0.0
            as_float(pa.array(values), name)  # what is there must be finite
            values[missing] = np.nan
            columns.append(values)
            feature_names.append(name)
            continue
        first_null(column, name)
        columns.append(as_float(column, name))
        feature_names.append(name)
    X = np.column_stack(columns) if columns else np.empty((data.num_rows, 0))
    y = None
    if t is not None and read_target:
        column = data.column(t)
        first_null(column, names[t])
        if numeric(column) and not pa.types.is_boolean(column.type):
            y = as_float(column, names[t])
        else:  # text, and booleans as the labels "False" / "True" (as in a CSV file)
            y = np.array([str(value) for value in column.to_pylist()], dtype=str)
    return Table(
        features=np.ascontiguousarray(X),
        target=y,
        feature_names=feature_names,
        target_name=None if t is None else names[t],
        source=path,
        categories=categories,
    )
