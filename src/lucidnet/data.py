"""Reading tabular data from files, writing predictions, and validating arrays.

This module is the boundary between the outside world and the engine. Rows are
examples everywhere: a table of ``m`` examples with ``n`` features is an array of
shape ``(m, n)``.

What it is for
--------------
* :func:`read_table` reads ``.csv`` / ``.tsv`` / ``.txt`` (delimited text),
  ``.npy``, ``.npz`` and ``.parquet`` files into a :class:`Table`. A bad cell is
  reported with the file, the 1-based line (the header is line 1) and the column
  name, so a user can open the file and fix it.
* :func:`write_predictions` writes a CSV atomically: a failure never leaves a
  half-written file in place of a good one.
* :func:`check_array` and :func:`check_targets` validate in-memory arrays for the
  engine and return C-contiguous floating arrays, without copying when the input
  is already fine.

What it is not for
------------------
It does no scaling, imputation, one-hot encoding or label encoding.  A missing or
non-numeric feature is an error unless the caller asks otherwise: ``missing="nan"``
reads a missing cell as NaN (for a caller that fills them in), and ``categories``
reads text feature columns as category codes (for a caller that one-hot encodes
them; see :func:`read_table`). It reads whole files
into memory; there is no streaming. It never uses pandas (errors must name the exact
line) and imports pyarrow only for a Parquet file or a large delimited one, whose
columns it then parses (the results are those of its own row-by-row reader, which
takes over to word any error).

Delimited text
--------------
The first non-blank line is the header unless it looks like data: every field a
number (unless they are ``0,1,2,...``, the labels pandas writes for an unnamed array,
over data that is not all whole numbers), or numbers and text in the same columns as
the next line (``5.1,3.5,setosa``).  A ``target`` given by a name that the first line
holds makes that line the header whatever it looks like (``2019,2020,2021,label``
with ``target="label"``).  Without a header the columns are named ``"0"``,
``"1"``, ... (0-based, the same numbers an integer ``target`` uses).  ``header=True``
or ``False`` says it instead of the guess; a guess that was not clear-cut is described
in :attr:`Table.header_note` and in any error met reading the file.  Blank lines, and
lines of empty fields only (``,,,,``, as spreadsheets write below a table), are
skipped but still counted, so line numbers match what an editor shows. A UTF-8 byte
order mark is ignored; a UTF-16 one (Excel's "Unicode text") makes the file UTF-16;
text that is not UTF-8 (and plain ASCII up to its first other byte) is read as
Windows-1252 (Latin-1 when it holds a byte 1252 leaves undefined),
and where the delimiter is not a comma a cell such as ``1,5`` is the number 1.5 (as
pandas reads it with ``decimal=","``); :attr:`Table.header_note` says either.
An empty column name is pandas' ``Unnamed: j`` (0-based), as for the row labels
``DataFrame.to_csv`` writes first; delimiters ending every line (a spreadsheet's
empty last columns) are left out.  The delimiter is ``,`` for ``.csv`` and tab for
``.tsv`` unless the first lines are consistently split by another of ``, ; TAB |``
(or, with one ragged line among them, mostly), or unless the first line is Excel's
``sep=;`` (which then says it); a ``.txt``, ``.data``, ``.dat`` or ``.test`` file (UCI's)
may also be separated
by runs of whitespace (as :func:`numpy.savetxt` writes), and so may any text file
whose lines no other delimiter splits (scikit-learn's ``linnerud_exercise.csv``; by
single spaces when runs of them split unevenly, as pandas' ``to_csv(sep=" ")`` writes
quoted fields and missing values).

Text files may be compressed, as pandas reads them: ``.gz``, ``.bz2``, ``.xz``, or a
``.zip`` of one file, after the format's suffix (``data.csv.gz``, ``train.csv.zip``).

Cells that count as missing (compared case-insensitively, after stripping
whitespace): the empty string, ``NA``, ``N/A``, ``NaN``, ``null``, ``None``, ``?``
and pandas' other defaults (Excel's ``#N/A``, ``<NA>``, ...). A missing cell is an
error in feature and target columns alike (a feature's may be read as NaN instead:
``missing="nan"``); so is a NaN in an ``.npy`` or ``.npz`` file's array.  A feature
column of ``True`` / ``False`` (any case) reads as 1 / 0, as a Parquet file's booleans
do.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from functools import partial
from pathlib import Path

# This module is the reading API; the work is done in private modules of one concern
# each, whose public names are imported here so that ``from lucidnet.data import X``
# keeps working.
from ._array_checks import check_array, check_targets
from ._array_files import _array_column_names, _load_npy, _load_npz, _read_npy, _read_npz
from ._cells import _Coding
from ._compression import COMPRESSIONS, split_suffix
from ._delimited import _read_delimited
from ._delimited_layout import (
    _delimited_layout,
    _delimited_text,
    _first_lines,
    _refuse_preamble,
    _rows_with_lines,
    _split_fields,
    _without_empty_last_field,
)
from ._formats import _DELIMITERS, PARQUET_SUFFIXES, TEXT_SUFFIXES, PathLike, file_format
from ._header_guess import _header
from ._number_text import MISSING_TOKENS, finite_number
from ._number_text import TEXT_IN_NUMBERS_HINT as TEXT_IN_NUMBERS_HINT
from ._number_text import decorated_hint as decorated_hint
from ._number_text import decorated_number as decorated_number
from ._number_text import decorated_numbers as decorated_numbers
from ._number_text import separator_readings as separator_readings
from ._parquet import _pandas_index_columns, _pyarrow, _read_parquet
from ._prediction_files import prediction_rows as prediction_rows
from ._prediction_files import write_predictions
from ._table import Table, _list_names, is_column_index
from ._text_decoding import _head_text, _read_text
from .errors import DataError

__all__ = [
    "MISSING_TOKENS",
    "PARQUET_SUFFIXES",
    "TEXT_SUFFIXES",
    "Table",
    "check_array",
    "check_targets",
    "file_format",
    "finite_number",
    "names_columns",
    "is_column_index",
    "read_cells",
    "read_table",
    "row_line",
    "write_predictions",
]


def read_table(
    path: PathLike,
    target: str | int | None = None,
    *,
    require_target: bool = False,
    header: bool | None = None,
    read_target: bool = True,
    features: Sequence[str] | None = None,
    categories: str | Mapping[str, Sequence[str]] | None = None,
    missing: str = "error",
    text_columns: Sequence[str] = (),
) -> Table:
    """Read a table of examples (one per row) from a file.

    Parameters
    ----------
    path : str or path-like
        A ``.csv``, ``.tsv``, ``.txt``, ``.npy``, ``.npz`` or ``.parquet`` file; text
        may be compressed (``.csv.gz``, ``.csv.bz2``, ``.csv.xz``, ``.csv.zip``).

        * ``.npy``: one 2-D numeric array; ``target`` is a column index.
        * ``.npz``: arrays ``X`` of shape (n_samples, n_features) and optionally
          ``y`` of shape (n_samples,) or (n_samples, 1), or numbers of shape
          (n_samples, k) for several targets (other arrays are ignored), or a single
          2-D array treated like a ``.npy`` file.
        * ``.parquet``: needs pyarrow (``pip install "lucidnet[parquet]"``).
    target : str or int, optional
        The target column: its name, or its 0-based index (negative counts from the
        end). A string of digits that is not a column name is an index. ``None``
        reads every column as a feature (e.g. for prediction).
    require_target : bool, default False
        Raise if the table ends up without a target.
    header : bool or None, default None
        Delimited text only: whether the first non-blank line names the columns;
        None guesses (see the module text).
    read_target : bool, default True
        False to leave the target column out without reading it: its cells may then
        be blank or anything else (new rows to predict, whose label column is empty).
        ``target`` is then None in the result; ``target_name`` still names the column.
    features : sequence of str, optional
        The feature columns to read, by name and in this order (a model's features in
        a file that orders them differently or holds other columns too, such as an
        id); in delimited text and Parquet the other columns are not read (they may
        hold text).  None: every column but the target.
    categories : "auto", dict or None, default None
        Feature columns to read as text categories (delimited text and Parquet), coded
        in :attr:`Table.features` as each cell's index in its column's categories
        (:attr:`Table.categories`).  ``"auto"``: the text columns (Parquet's string
        columns; in delimited text, those in which most cells that are not missing
        are not numbers: a column of numbers with a stray word stays numeric, and the
        word is an error), with their distinct texts, sorted, as categories.  A dict
        ``{column: categories}``: those columns (a model's), a text outside its
        categories coded -1.  None: every feature must be a number.
    missing : {"error", "nan"}, default "error"
        What a missing cell of a numeric feature is (see the module text; in an array
        file, a NaN): an error naming it, or NaN.  (A text category column codes it NaN
        either way; a missing target cell is always an error.)
    text_columns : sequence of str, default ()
        With ``categories="auto"``: feature columns read as text categories whatever
        they hold (numeric codes such as 1/2, zip codes), their cells' texts as
        categories (numbers in numeric order).

    Returns
    -------
    Table
        ``features`` of shape (n_samples, n_features) float64, ``target`` of shape
        (n_samples,) (an ``.npz`` file's ``y`` of several targets: (n_samples, k)) or
        None.

    Raises
    ------
    DataError
        For anything wrong with the file, naming the file and, where there is one,
        the line and column.
    """
    source = os.fspath(path)
    if isinstance(target, bool) or not (target is None or isinstance(target, (str, int))):
        raise TypeError(
            f"target must be a column name (str), a column index (int) or None; "
            f"got {type(target).__name__}"
        )
    suffix, compression = split_suffix(source)
    if header is not None and not isinstance(header, bool):
        raise TypeError(f"header must be True, False or None; got {header!r}")
    if features is not None:
        if isinstance(features, str):  # not its letters, one column each
            raise TypeError(f"features must be a list of column names; got the string "
                            f"{features!r} (write [{features!r}])")
        features = list(features)
        if not all(isinstance(name, str) for name in features):
            raise TypeError("features must be a sequence of column names (str)")
    if missing not in ("error", "nan"):
        raise ValueError(f"missing must be 'error' or 'nan'; got {missing!r}")
    if categories is not None and categories != "auto":
        if not isinstance(categories, Mapping):
            raise TypeError(f"categories must be 'auto', a dict or None; got {categories!r}")
        listed = [name for name, values in categories.items()
                  if isinstance(values, (str, bytes)) or not isinstance(values, Iterable)]
        if listed:
            raise TypeError(f"categories[{listed[0]!r}] must be a list of the column's "
                            f"categories; got {categories[listed[0]]!r}")
        categories = {str(name): [str(c) for c in values] for name, values in categories.items()}
    text_columns = frozenset(str(name) for name in text_columns)
    if text_columns and categories != "auto":
        raise ValueError("text_columns needs categories='auto'")
    coding = _Coding(categories, missing == "nan", text_columns)
    delimited = partial(_read_delimited, header=header, coding=coding)
    readers: dict[str, Callable[..., Table]] = {
        ".csv": delimited,
        ".tsv": delimited,
        ".txt": delimited,
        ".data": delimited,
        ".dat": delimited,
        ".test": delimited,
        ".npy": _read_npy,
        ".npz": _read_npz,
        ".parquet": _read_parquet,
        ".pq": _read_parquet,
    }
    if suffix not in readers or (compression is not None and suffix not in _DELIMITERS):
        kind = f"{suffix}{compression}" if compression else (suffix or "(no suffix)")
        raise DataError(
            f"unsupported file type {kind!r}; expected one of {', '.join(sorted(readers))}"
            f" (text ones may be compressed: {', '.join('.csv' + c for c in COMPRESSIONS)})",
            path=source,
        )
    if not os.path.isfile(source):
        raise DataError("no such file", path=source)
    if suffix in (".npy", ".npz"):
        if isinstance(categories, Mapping) and categories:
            raise DataError("an array file holds no text columns; the model one-hot encodes "
                            f"{', '.join(map(repr, categories))}", path=source)
        table = readers[suffix](source, target, read_target, features, coding.missing_is_nan)
    else:
        table = readers[suffix](source, target, read_target, features, coding=coding)
    if require_target and (table.target if read_target else table.target_name) is None:
        raise DataError(
            "a target column is required; pass the target column's name or index",
            path=source,
        )
    if table.features.shape[1] == 0:
        raise DataError("the table has no feature columns besides the target", path=source)
    return table


def read_cells(path: PathLike, columns: Sequence[str], header: bool | None = None
               ) -> list[list[str]]:
    """The cells of ``columns`` (names from :func:`column_names`) in each data row of a
    text or Parquet file, as written: text, spaces and ``NA`` kept, one list per row
    of :func:`read_table`'s (blank lines skipped alike).  For copying an id column
    into an output; array files give their numbers' text.

    ``header``: whether a text file's first line names the columns, as the table was
    read (its rows are the same then).
    """
    source = os.fspath(path)
    names = column_names(source, header)
    unknown = [column for column in columns if column not in names]
    if unknown:
        raise DataError(f"no column {unknown[0]!r}; available columns: {_list_names(names)}",
                        path=source)
    index = [names.index(column) for column in columns]
    suffix = file_format(source)
    if suffix in _DELIMITERS:
        raw = _read_text(source)[0]
        if header is None and names:  # guessed as read_table guesses: on decimal commas
            from itertools import islice

            converted, delimiter, _ = _delimited_text(raw, source)
            first = _without_empty_last_field(
                list(islice(_rows_with_lines(converted, delimiter, source), 2)))
            header = _header(first[0][1], first[1][1] if len(first) > 1 else None, 1,
                             source, None)[1]
        text, delimiter = _delimited_layout(raw, source)
        records = list(_rows_with_lines(text, delimiter, source))
        if '"' in text:
            records = _without_empty_last_field(records)
        return [[fields[j] for j in index] for _, fields in records[1 if header else 0:]]
    if suffix in PARQUET_SUFFIXES:
        pa, pq = _pyarrow(source)
        try:
            data = pq.read_table(source, columns=list(columns))
        except (OSError, pa.ArrowException) as exc:
            raise DataError(f"cannot read as a Parquet file: {exc}", path=source) from None
        values = [data.column(column).to_pylist() for column in columns]
        return [["" if cell is None else str(cell) for cell in row]
                for row in zip(*values, strict=True)]
    table = read_table(source, header=header, features=list(columns))
    return [[repr(value) for value in row] for row in table.features.tolist()]


def column_names(path: PathLike, header: bool | None = None) -> list[str]:
    """The names of a file's columns, target included, in file order.

    For delimited text only the first lines are read (64 KiB, more for longer lines),
    so this is cheap on large files; other formats are read whole.  Raises
    ``DataError`` like :func:`read_table`.
    """
    source = os.fspath(path)
    suffix, compression = split_suffix(source)
    if suffix in _DELIMITERS and os.path.isfile(source):
        text = _head_text(source, compression)
        text, delimiter, _ = _delimited_text(text, source)
        if '"' in text:  # a record may span lines; its empty last field is per record
            from itertools import islice

            records = _without_empty_last_field(
                list(islice(_rows_with_lines(text, delimiter, source), 2)))
            rows = [fields for _, fields in records]
        else:
            rows = _split_fields(_first_lines(text, 2, delimiter), delimiter)
        if not rows:
            return []
        _refuse_preamble(text, delimiter, source)
        first, *second = rows
        return _header(first, second[0] if second else None, 1, source, header)[0]
    if Path(source).suffix.lower() in PARQUET_SUFFIXES and os.path.isfile(source):
        # The schema alone: reading the table would refuse a text column (the labels).
        pa, pq = _pyarrow(source)
        try:
            schema = pq.read_schema(source)
            return [str(name) for name in schema.names
                    if name not in _pandas_index_columns(schema)]
        except (OSError, pa.ArrowException) as exc:
            raise DataError(f"cannot read as a Parquet file: {exc}", path=source) from None
    if suffix in (".npy", ".npz") and compression is None and os.path.isfile(source):
        # Names from the shape alone: the values of the columns used are for the reader
        # to judge (a NaN or inf in a column --drop leaves out is no error).
        array = _load_npy(source) if suffix == ".npy" else _load_npz(source)[0]
        return _array_column_names(array, source)
    table = read_table(source, header=header, read_target=False)
    return list(table.feature_names)


def row_line(path: PathLike, row: int, header: bool | None = None) -> int | None:
    """The 1-based line of a delimited text file on which data row ``row`` (0-based, as
    in :attr:`Table.features`) starts; None for other formats or a row the file lacks.

    For messages about a row found bad after reading (a value too large for a dtype):
    the file is read again, so call it only on the way to an error.  ``header`` as in
    :func:`read_table`.
    """
    source = os.fspath(path)
    if file_format(source) not in _DELIMITERS or row < 0:
        return None
    try:
        text, delimiter, _ = _delimited_text(_read_text(source)[0], source)
        records = _without_empty_last_field(list(_rows_with_lines(text, delimiter, source)))
        if not records:
            return None
        second = records[1][1] if len(records) > 1 else None
        has_header = _header(records[0][1], second, records[0][0], source, header)[1]
    except (OSError, DataError):
        return None
    index = row + bool(has_header)
    return records[index][0] if index < len(records) else None


def names_columns(path: PathLike) -> bool:
    """Whether ``path``'s format names its columns (text, by a header or by numbers;
    Parquet), unlike array files, whose columns are "0", "1", ... by construction."""
    return file_format(path) in (*TEXT_SUFFIXES, *PARQUET_SUFFIXES)
