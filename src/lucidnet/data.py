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

import csv
import difflib
import io
import math
import os
import re
import zipfile
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

import numpy as np

from ._atomic import atomic_file
from ._compression import COMPRESSIONS, compress, read_bytes, split_suffix
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

#: What a word in a column of numbers is told (a caller that encodes text columns
#: may say otherwise).
TEXT_IN_NUMBERS_HINT = "features must be numbers: encode text categories first, e.g. as 0/1 columns"

#: Cell texts (lower-cased, stripped) that mean "no value here".
MISSING_TOKENS = frozenset({"", "na", "n/a", "nan", "-nan", "+nan", "null", "none", "?",
                            # pandas' other defaults (Excel's #N/A among them)
                            "#n/a", "#n/a n/a", "#na", "<na>", "1.#ind", "-1.#ind",
                            "1.#qnan", "-1.#qnan"})

PathLike = str | os.PathLike[str]

# The first bytes of every .npy file (the format's magic string) and of a zip archive
# (an .npz is one).
_NPY_MAGIC = b"\x93NUMPY"
_ZIP_MAGIC = b"PK\x03\x04"
#: How a zip archive of no files starts: its end record alone.
_EMPTY_ZIP_MAGIC = b"PK\x05\x06"

# Candidate delimiters per suffix, most likely first. ``None`` means runs of
# whitespace, which only a ``.txt`` file may use (np.savetxt's default).
_DELIMITERS: dict[str, tuple[str | None, ...]] = {
    ".csv": (",", ";", "\t", "|"),
    ".tsv": ("\t", ",", ";", "|"),
    ".txt": (",", "\t", ";", "|", None),
    # The UCI repository's conventions: comma-separated (iris.data, adult.data) or
    # whitespace-separated (housing.data).
    ".data": (",", "\t", ";", "|", None),
    ".dat": (",", "\t", ";", "|", None),
    ".test": (",", "\t", ";", "|", None),  # adult.test
}
#: Suffixes read as delimited text (the files with a first line that may be a header).
TEXT_SUFFIXES = tuple(_DELIMITERS)
#: Suffixes read as Parquet (column names in the schema).
PARQUET_SUFFIXES = (".parquet", ".pq")


@dataclass(repr=False)
class Table:
    """A table of examples read from a file.

    Attributes
    ----------
    features : ndarray of shape (n_samples, n_features), float64
        The feature columns, in file order, without the target column.
    target : ndarray of shape (n_samples,) or None
        The target column: float64 when every cell is a number, otherwise an array
        of ``str`` class labels. ``None`` when no target was asked for.
    feature_names : list of str
        Names of the feature columns, ``len(feature_names) == n_features``.
    target_name : str or None
        Name of the target column.
    source : str
        The path the table was read from.
    header_note : str or None
        For delimited text, how it was read where that was a guess: the encoding of a
        file that is not UTF-8, and a first line taken to be (or not to be) a header
        although it held numbers (what was decided and how to say otherwise).
    header : bool or None
        Delimited text only: whether the first line was read as the column names.
    categories : dict of str to list of str
        The feature columns read as text (``read_table(categories=...)``), each with
        its categories: in :attr:`features` such a column holds the index of each
        cell's category, -1 for a text that is not one of them, NaN for a missing cell.
    """

    features: np.ndarray
    target: np.ndarray | None
    feature_names: list[str]
    target_name: str | None
    source: str
    header_note: str | None = None
    header: bool | None = None
    categories: dict[str, list[str]] = field(default_factory=dict)

    @property
    def n_samples(self) -> int:
        """Number of examples (rows)."""
        return int(self.features.shape[0])

    @property
    def n_features(self) -> int:
        """Number of feature columns."""
        return int(self.features.shape[1])

    def __repr__(self) -> str:
        target = (
            "None"
            if self.target is None
            else f"{self.target_name!r} ({self.target.dtype}, shape {self.target.shape})"
        )
        return (
            f"Table(source={self.source!r}, features=shape {self.features.shape}, "
            f"target={target})"
        )


# --------------------------------------------------------------------------- reading


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


def _head_text(source: str, compression: str | None) -> str:
    """The complete lines at the start of a text file, two non-blank ones at least
    (unless the file has fewer): 64 KiB, or more when its lines are longer."""
    size = 65536
    while True:
        head = read_bytes(source, compression, size)
        _refuse_binary(head, source)
        if _encoding_of(head) == "utf-16":
            text = head.decode("utf-16", errors="replace")
        else:
            # Complete lines only: a character cut short would read as another encoding.
            text = _decoded(head if len(head) < size else head[: head.rfind(b"\n") + 1],
                            source)[0]
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        if len(head) < size:
            return text  # the whole file
        text = text[: text.rfind("\n") + 1]  # the last line may be cut short
        if sum(1 for line in text.split("\n") if line.strip()) >= 2:
            return text
        size *= 4


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


def is_column_index(text: str) -> bool:
    """Whether ``text`` spells a column index ("3", "-1"; ASCII digits only: "³" is a
    digit to ``str.isdigit`` but not to ``int``)."""
    return re.fullmatch(r"\s*-?[0-9]+\s*", text) is not None


def _resolve_target(target: str | int | None, names: Sequence[str], path: str) -> int | None:
    """Turn a target name or index into a 0-based column index (or None)."""
    if target is None:
        return None
    if isinstance(target, str):
        if target in names:
            return list(names).index(target)
        text = target.strip()
        if not is_column_index(text):
            close = ([str(name) for name in names if str(name).lower() == target.lower()]
                     or difflib.get_close_matches(target, [str(name) for name in names], n=1))
            hint = f"did you mean {close[0]!r}? " if close else ""
            raise DataError(
                f"no target column {target!r}; {hint}available columns: {_list_names(names)}",
                path=path,
            )
        target = int(text)
    n = len(names)
    if not -n <= target < n:
        raise DataError(
            f"target column index {target} is out of range for {n} columns "
            f"(valid: {-n} to {n - 1}); available columns: {_list_names(names)}",
            path=path,
        )
    return target % n


def _feature_columns(names: Sequence[str], t: int | None, features: Sequence[str] | None,
                     path: str) -> list[int]:
    """Indices of the feature columns: ``features`` by name (in that order), else every
    column but the target ``t``."""
    if features is None:
        return [j for j in range(len(names)) if j != t]
    index = {name: j for j, name in enumerate(names)}
    if t is not None and names[t] in features:
        raise DataError(f"column {names[t]!r} is the target; it cannot be a feature too",
                        path=path)
    missing = [name for name in features if name not in index]
    if missing:
        raise DataError(
            f"no feature column {missing[0]!r}; available columns: {_list_names(names)}",
            path=path,
        )
    return [index[name] for name in features]


def _list_names(names: Sequence[str], limit: int = 30) -> str:
    """Column names for a message: all of them, or past ``limit`` the first ones and
    the last three (a target is often last: the column the reader is looking for)."""
    if len(names) <= limit:
        return ", ".join(repr(name) for name in names)
    head, tail = names[: limit - 3], names[-3:]
    return (", ".join(repr(name) for name in head) + ", ..., "
            + ", ".join(repr(name) for name in tail) + f" ({len(names)} in all)")


# ---------------------------------------------------------------- delimited text


#: A cell of digits with separators: a decimal comma, thousands separators, grouping.
_NUMBER_WITH_SEPARATORS = re.compile(r"[-+]?[0-9][0-9,._' ]*")


@dataclass(frozen=True)
class _Coding:
    """How feature cells other than numbers are read: ``categories`` and ``missing``
    of :func:`read_table` (``missing_is_nan`` for ``missing="nan"``)."""

    categories: str | dict[str, list[str]] | None = None
    missing_is_nan: bool = False
    #: Columns read as text categories whatever they hold (``text_columns``).
    text_columns: frozenset[str] = frozenset()

    @property
    def given(self) -> bool:
        """Whether some columns must be read as text whatever they hold."""
        return (isinstance(self.categories, dict) and bool(self.categories)
                or bool(self.text_columns))

    def is_text(self, column: list[str], name: str) -> bool:
        """Whether the feature ``column`` (its cells) is read as text categories: given
        as such, or ("auto") most of its cells that are not missing are not numbers (a
        column of numbers with a stray word stays numeric, and the word an error)."""
        if isinstance(self.categories, dict):
            return name in self.categories
        if self.categories != "auto":
            return False
        if name in self.text_columns:
            return True
        texts = numbers = 0
        for cell in column:
            cell = cell.strip()
            if cell.lower() in MISSING_TOKENS:
                continue
            if _is_number(cell) or _NUMBER_WITH_SEPARATORS.fullmatch(cell):
                numbers += 1  # "0,5", "1_000": numbers written otherwise, not categories
            else:
                texts += 1
        return texts > numbers

    def codes(self, cells: list[str], name: str) -> tuple[np.ndarray, list[str]]:
        """A text column's codes (float64: index, -1 unknown, NaN missing) and categories."""
        values = [cell.strip() for cell in cells]
        if isinstance(self.categories, dict):
            categories = self.categories[name]
        else:
            categories = sorted({value for value in values
                                 if value.lower() not in MISSING_TOKENS})
            if _numeric_categories(categories):
                # Numeric codes (--categorical): one category per value ("1" and "1.0"
                # alike), in numeric order (1, 2, 10, not 1, 10, 2).
                by_value = {float(value): value for value in reversed(categories)}
                categories = [by_value[key] for key in sorted(by_value)]
        if _numeric_categories(categories):
            # Codes match by value: "2.0" in new rows is the category "2".
            index = {float(category): float(i) for i, category in enumerate(categories)}

            def code(value: str) -> float:
                return index.get(float(value), -1.0) if _is_number(value) else -1.0
        else:
            text_index = {category: float(i) for i, category in enumerate(categories)}

            def code(value: str) -> float:
                return text_index.get(value, -1.0)
        return np.array([np.nan if value.lower() in MISSING_TOKENS else code(value)
                         for value in values]), categories


def _as_numbers(cells: list[str]) -> np.ndarray | None:
    """The cells as float64 when NumPy reads each as a finite number (and none uses
    "_" digit grouping, which NumPy would read); else None."""
    try:
        values = np.array(cells, dtype=np.float64)
    except ValueError:
        return None
    if not _all_finite(values) or "_" in "\x00".join(cells):
        return None
    return values


def _read_delimited(path: str, target: str | int | None, read_target: bool = True,
                    features: Sequence[str] | None = None,
                    header: bool | None = None, coding: _Coding = _Coding()) -> Table:
    text, encoding_note = _read_text(path)
    text, delimiter, comma_note = _delimited_text(text, path)
    encoding_note = "; ".join(filter(None, [encoding_note, comma_note])) or None
    forced_note = None
    if header is None and _first_line_names(text, delimiter, target):
        # The target is named, and only the first line holds that name: it is the header
        # however much it looks like data (2019,2020,2021,label); otherwise the name
        # would match no column at all.  Said on the way, in case the name was a value.
        if _first_line_note(text, delimiter, path) is not None:
            forced_note = (f"line 1 was read as column names because it holds the target "
                           f"{target!r}; if it is data, say so with --no-header "
                           "(header=False)")
        header = True
    try:
        # The fast path hands whole columns to NumPy's C parser; it cannot point at a
        # bad cell, so any failure there re-reads the text carefully to find it.
        # Quotes need the csv module's rules, so quoted files take the careful path.
        # Columns read as text whatever they hold ("1" may be a category) take the
        # careful path too.
        table = None
        if '"' not in text and not coding.given:
            table = _read_delimited_fast(text, path, delimiter, target, header, read_target,
                                         features)
        if table is None and '"' not in text:
            # Text columns or missing cells: a large file's cells as pyarrow's columns,
            # not one Python string each (the careful reader's, about ten times the
            # file's size in memory).
            table = _read_delimited_columns(text, path, delimiter, target, header,
                                            read_target, features, coding)
        if table is None:
            table = _read_delimited_careful(text, path, delimiter, target, header,
                                            read_target, features, coding)
        if forced_note is not None:
            table.header_note = forced_note
        if encoding_note is not None:
            table.header_note = "; ".join(filter(None, [encoding_note, table.header_note]))
        return table
    except DataError as exc:
        # A wrong guess about the first line shows up as some other error (no such
        # target column, no data rows): say how it was read, and how to say otherwise.
        first = _first_lines(text, 1, delimiter)
        comment = bool(first) and first[0].lstrip().startswith("#") and "#" not in exc.message
        if exc.note is not None and not comment:
            raise  # its own note (a line above the table) says more than the guess's
        note = None if header is not None else _first_line_note(text, delimiter, path)
        if comment:
            note = ("line 1 starts with '#': comment lines are not skipped; remove them"
                    if note is None else note)
        if note is None and exc.line is None:
            # Text read in another encoding than it was written in may be the cause of
            # an error about the file as a whole (a column name that is not found).
            note = encoding_note
        if note is None:
            raise
        raise DataError(exc.message, path=exc.path, line=exc.line, column=exc.column,
                        note=note) from None


#: A cell that is a number with a decimal comma (``-1,5``, ``0,376``, ``,5``, ``1,5e-05``,
#: quoted or not, spaces around it) between two delimiters (``;``, tab or ``|``, in the pattern's
#: place) or line ends.
_DECIMAL_COMMA_CELL = r'(?:^|(?<={d})) *("?)([-+]?\d*),(\d+(?:[eE][-+]?\d+)?)\1 *(?=$|{d})'
#: The same with points between groups of three digits: ``1.225,8``, ``-12.345.678,5``.
_GROUPED_DECIMAL_CELL = (r'(?:^|(?<={d})) *("?)([-+]?[1-9]\d{{0,2}}(?:\.\d{{3}})+),(\d+)\1 *'
                         r'(?=$|{d})')
#: A whole number with points between groups of three digits, ``85.052``: in a file of
#: decimal commas a thousands point, unless the point is a decimal one.
_GROUPED_WHOLE_CELL = r'(?:^|(?<={d})) *"?[-+]?[1-9]\d{{0,2}}(?:\.\d{{3}})+"? *(?=$|{d})'
#: A number that a thousands separator may have written as well as a decimal comma.
_THOUSAND_OR_DECIMAL = re.compile(r"[-+]?[1-9][0-9]{0,2},[0-9]{3}")


def _decimal_commas_as_points(text: str, delimiter: str | None,
                              path: str) -> tuple[str, str | None]:
    """``text`` with each cell like ``1,5`` written ``1.5`` when the delimiter is not a
    comma (a spreadsheet's export in most of Europe: ``1,5;2,25``), as pandas reads it
    with ``decimal=","``, and a note saying so; ``text`` and None otherwise.

    Only when one such cell cannot be a number with a thousands separator instead
    (``1,234`` may be either; ``1,5`` or ``0,376`` cannot), and then cell by cell, so
    a column of such numbers is numbers whatever else it holds (a word among them is
    still named); a quoted one (``"918,7"``) loses its quotes.  Points between groups
    of three digits before a decimal comma separate thousands (``1.225,8`` is
    1225.8, as pandas' ``thousands="."``); a whole number written so (``85.052``) is a
    DataError naming its line, since the point may be a thousands point (85052) or a
    decimal one, and reading it either way, cell by cell, would mix scales in a column
    or read the same cell otherwise in a file without decimal commas."""
    if delimiter not in (";", "\t", "|"):
        return text, None
    d = re.escape(delimiter)
    pattern = re.compile(_DECIMAL_COMMA_CELL.format(d=d), re.MULTILINE)
    # "1,234" may be a thousand and more (a US spreadsheet's tab-separated copy): only
    # a file that also writes an unambiguous decimal comma ("1,5", "0,376") uses them.
    first = next((match for match in pattern.finditer(text)
                  if not _THOUSAND_OR_DECIMAL.fullmatch(f"{match.group(2)},{match.group(3)}")),
                 None)
    if first is None:
        return text, None
    whole = re.compile(_GROUPED_WHOLE_CELL.format(d=d), re.MULTILINE).search(text)
    if whole is not None:
        cell = whole.group(0).strip().strip('"')
        raise DataError(
            f"{cell!r} in a file of decimal commas: is its point a thousands separator "
            f"({cell.replace('.', '')}) or a decimal point? write it without the point, "
            "or with a decimal comma", path=path, line=text.count("\n", 0, whole.start()) + 1)
    line = text.count("\n", 0, first.start()) + 1
    note = (f"decimal commas read as points ({first.group(0).strip()!r} on line {line} is "
            f"{first.group(2)}.{first.group(3)})")
    grouped = re.compile(_GROUPED_DECIMAL_CELL.format(d=d), re.MULTILINE)
    thousands = grouped.search(text)
    if thousands is not None:
        line = text.count("\n", 0, thousands.start()) + 1
        note += (f", and points between thousands taken out ({thousands.group(0).strip()!r} "
                 f"on line {line} is {thousands.group(2).replace('.', '')}."
                 f"{thousands.group(3)})")
        text = grouped.sub(lambda match: f"{match.group(2).replace('.', '')}.{match.group(3)}",
                           text)
    return pattern.sub(r"\2.\3", text), note


def _first_line_names(text: str, delimiter: str | None, target: str | int | None) -> bool:
    """Whether ``target`` is a column name (not an index) that the first non-blank
    line of ``text`` holds as one of its fields."""
    if not isinstance(target, str) or is_column_index(target):
        return False
    first = _first_lines(text, 1, delimiter)
    if not first:
        return False
    try:
        fields = _split_fields(first, delimiter)[0]
    except csv.Error:
        return False
    return target in (field.strip() for field in fields)


def _first_line_note(text: str, delimiter: str | None, path: str) -> str | None:
    """The header guess's note for ``text`` (None when the guess was clear-cut)."""
    lines = _first_lines(text, 2, delimiter)
    if not lines:
        return None
    try:
        first, *second = _split_fields(lines, delimiter)
        return _header(first, second[0] if second else None, 1, path, None)[2]
    except (DataError, csv.Error):
        return None


def _is_blank(line: str, delimiter: str | None) -> bool:
    """Whether ``line`` holds no field: whitespace, or empty (maybe quoted) fields
    between delimiters, as spreadsheets write below a table.  Both readers skip it."""
    stripped = line.strip()
    if not stripped or delimiter is None or stripped[0] not in (delimiter, '"'):
        return not stripped  # a field's text comes first: not blank (the common case)
    return not stripped.replace('"', "").replace(delimiter, "").strip()


def _first_lines(text: str, n: int, delimiter: str | None) -> list[str]:
    """The first ``n`` non-blank lines of ``text``, found without splitting all of it
    (the whole file's text, on every read)."""
    lines: list[str] = []
    start = 0
    while len(lines) < n and start <= len(text):
        end = text.find("\n", start)
        end = len(text) if end < 0 else end
        if not _is_blank(text[start:end], delimiter):
            lines.append(text[start:end])
        start = end + 1
    return lines


def _savetxt_header(text: str, path: str) -> str:
    """``text`` without the ``# `` that ``np.savetxt(..., header=...)`` puts before a
    ``.txt`` file's header line (the line is then read as any first line)."""
    if file_format(path) != ".txt":
        return text
    start = len(text) - len(text.lstrip())
    if text.startswith("# ", start):
        return text[:start] + text[start + 2:]
    return text


def _read_text(path: str) -> tuple[str, str | None]:
    """The text of the file ``path`` with "\n" line ends, and a note when it is not
    UTF-8 (see :func:`_decoded`)."""
    raw = read_bytes(path, split_suffix(path)[1])
    _refuse_binary(raw, path)
    text, note = _decoded(raw, path)
    if "\r" in text:
        # Old Mac line endings would otherwise be one long line to str.split("\n").
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text, note


def _decoded(raw: bytes, path: str) -> tuple[str, str | None]:
    """``raw`` decoded: UTF-8 (or UTF-16 after its byte order mark), else Windows-1252,
    with a note saying so (None for UTF-8).

    A text file that is not UTF-8 is most often a spreadsheet's export on Windows in
    Western Europe or the Americas (``Café``, ``São Paulo``): Windows-1252 reads it
    (Latin-1 when it holds a byte 1252 leaves undefined).  That is only when all
    before the first byte UTF-8 refuses is plain ASCII: a file that also holds UTF-8
    accents is UTF-8 with a stray byte, an error rather than every accent misread.
    Any other 8-bit encoding reads as some text too, so the note says how it was read
    and how to be sure.  A NUL byte means binary data, never text."""
    encoding = _encoding_of(raw)
    if encoding != "utf-16" and b"\x00" in raw:
        utf16 = _utf16_without_mark(raw)
        if utf16 is not None:
            raise DataError(f"the file is {utf16} text without a byte order mark (NUL "
                            "bytes between its letters); save it as UTF-8 (or with the "
                            "mark)", path=path)
        line = raw.count(b"\n", 0, raw.index(b"\x00")) + 1
        raise DataError("not text: it holds NUL bytes, as binary data does (an array "
                        "written with tofile? save it with numpy.save, as .npy)",
                        path=path, line=line)
    try:
        return raw.decode(encoding), None
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].decode(encoding, errors="replace").count("\n") + 1
        bad = raw[exc.start]
        if encoding != "utf-8-sig":
            raise DataError(
                f"the file is not UTF-16 text (byte {bad:#04x} at offset {exc.start}); it "
                "starts with UTF-16's byte order mark; save it again as UTF-8",
                path=path, line=line) from None
        if not raw[: exc.start].isascii():
            raise DataError(
                f"the file is not UTF-8 text (byte {bad:#04x} at offset {exc.start}, below "
                "UTF-8 text); save it as UTF-8", path=path, line=line) from None
    try:
        text, name = raw.decode("cp1252"), "Windows-1252"
    except UnicodeDecodeError:
        text, name = raw.decode("latin-1"), "Latin-1"
    return text, (f"not UTF-8 (byte {bad:#04x} on line {line}), so read as {name}, "
                  "as spreadsheets on Windows write text; if words look wrong, save the "
                  "file as UTF-8")


def _utf16_without_mark(raw: bytes) -> str | None:
    """``"UTF-16-LE"`` or ``"UTF-16-BE"`` when the start of ``raw`` decodes as that
    encoding to lines of printable text (binary data holds NUL characters or
    unprintable ones; the other byte order has no line ends); None otherwise."""
    import codecs

    head = raw[:4096]
    for name in ("utf-16-le", "utf-16-be"):
        try:  # incrementally: a character cut short at the end waits, unread
            text = codecs.getincrementaldecoder(name)().decode(head, final=False)
        except UnicodeDecodeError:
            continue
        printable = sum(char.isprintable() or char in "\r\n\t" for char in text)
        if "\n" in text and "\x00" not in text and printable >= 0.98 * len(text):
            return name.upper()
    return None


#: The first bytes of binary files a text reader may be handed by mistake, and what to
#: say about each.
_BINARY_MAGIC = (
    (b"\x1f\x8b", "a gzip-compressed file: name it .csv.gz (or .tsv.gz, .txt.gz) to read "
                  "it decompressed"),
    (b"BZh", None),  # bzip2 needs more than its 3 letters: checked below
    (b"\xfd7zXZ\x00", "an xz-compressed file: name it .csv.xz to read it decompressed"),
    (b"PK\x03\x04", "a zip archive (a .npz model or data file, an Excel .xlsx, or a zipped "
                    "table: name a zipped CSV .csv.zip)"),
    (b"\x93NUMPY", "a NumPy .npy file: name it .npy"),
    (b"PAR1", "a Parquet file: name it .parquet"),  # only with a NUL byte (below)
    (b"\x89PNG", "a PNG picture"),
)


def _refuse_binary(raw: bytes, path: str) -> None:
    """DataError naming what a binary file handed to the text reader is (by its first
    bytes); nothing for what may be text."""
    binary = _binary_kind(raw)
    if binary is not None:
        raise DataError(f"not text but {binary}", path=path)


def _binary_kind(raw: bytes) -> str | None:
    """What a binary file handed to the text reader is, by its first bytes (None: it
    may be text)."""
    for magic, what in _BINARY_MAGIC:
        # "PAR1" may be text too (a CSV's first column name); text holds no NUL byte.
        if raw.startswith(magic) and (magic != b"PAR1" or b"\x00" in raw[:64]):
            if what is None:  # "BZh" then a block size digit and the block magic
                if raw[3:4].isdigit() and raw[4:10] == b"1AY&SY":
                    return ("a bzip2-compressed file: name it .csv.bz2 to read it "
                            "decompressed")
                continue
            return what
    return None


def _encoding_of(raw: bytes) -> str:
    """UTF-8 (with or without a byte order mark), or UTF-16 when a UTF-16 byte order
    mark says so (Excel's "Unicode text" export)."""
    import codecs

    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    return "utf-8-sig"


def _split_fields(lines: Sequence[str], delimiter: str | None) -> list[list[str]]:
    if delimiter is None:
        return [_whitespace_fields(line) for line in lines]
    return list(csv.reader(lines, delimiter=delimiter))


#: A field of a line separated by whitespace: double-quoted (spaces inside, "" for a
#: quote) or a run of other characters.
_WHITESPACE_FIELD = re.compile(r'"((?:[^"]|"")*)"(?=\s|$)|(\S+)')


def _whitespace_fields(line: str) -> list[str]:
    """The fields of a line separated by runs of whitespace; a double-quoted field may
    hold spaces (UCI's auto-mpg.data: ``18.0   8   307.0\t"chevrolet chevelle malibu"``)."""
    if '"' not in line:
        return line.split()
    return [plain or quoted.replace('""', '"')
            for quoted, plain in _WHITESPACE_FIELD.findall(line)]


def file_format(path: PathLike) -> str:
    """The suffix that says how :func:`read_table` reads ``path``, lower-case:
    ``".csv"`` for ``data.csv`` and ``data.csv.gz`` alike."""
    return split_suffix(path)[0]


def names_columns(path: PathLike) -> bool:
    """Whether ``path``'s format names its columns (text, by a header or by numbers;
    Parquet), unlike array files, whose columns are "0", "1", ... by construction."""
    return file_format(path) in (*TEXT_SUFFIXES, *PARQUET_SUFFIXES)


def _delimited_text(text: str, path: str) -> tuple[str, str | None, str | None]:
    """The text of the file ``path`` as the readers split it, its delimiter, and a note
    on how its numbers were read: without np.savetxt's "# " before a ``.txt`` header,
    without Excel's ``sep=;`` line (its delimiter taken, the line left blank so line
    numbers stay), without the delimiters that end every line (a spreadsheet's empty
    last columns: ``a,b,y,,`` over ``1,2,0,,``), and with decimal commas as points
    (:func:`_decimal_commas_as_points`)."""
    text, delimiter = _delimited_layout(text, path)
    text, note = _decimal_commas_as_points(text, delimiter, path)
    return text, delimiter, note


def _delimited_layout(text: str, path: str) -> tuple[str, str | None]:
    """:func:`_delimited_text` without the decimal commas: the cells as written."""
    text = _savetxt_header(text, path)
    stated = _EXCEL_SEPARATOR.match(text)
    if stated:
        delimiter = stated.group(1)
        text = text[stated.end() - 1:]  # from the line end: the first line is blank
    else:
        delimiter = _delimiter_of(text, path)
    return _without_trailing_delimiter(text, delimiter), delimiter


#: Excel's first line naming the delimiter of a CSV it writes or reads: ``sep=;``.
_EXCEL_SEPARATOR = re.compile(r"sep=([^\s\w\"]|\t)[ \t]*\n")


def _without_trailing_delimiter(text: str, delimiter: str | None) -> str:
    """``text`` without the delimiters that end each of its non-blank lines, as many as
    every one ends with (two lines at least: a spreadsheet's empty last columns); else
    ``text`` itself.  Line numbers stay.  Quoted text is left as it is: a line may end
    inside a quoted field, so the careful reader drops empty last fields per record
    (:func:`_without_empty_last_field`)."""
    if delimiter is None or '"' in text:
        return text
    spaces = " \t".replace(delimiter, "")
    first = _first_lines(text, 2, delimiter)
    if len(first) < 2 or not all(line.rstrip(spaces).endswith(delimiter) for line in first):
        return text  # the common case, found without splitting the whole text
    lines = text.split("\n")
    while True:
        kept = [line for line in lines if not _is_blank(line, delimiter)]
        if len(kept) < 2 or not all(line.rstrip(spaces).endswith(delimiter) for line in kept):
            return "\n".join(lines)
        lines = [line if _is_blank(line, delimiter) else line.rstrip(spaces)[:-1]
                 for line in lines]


def _without_empty_last_field(
    records: list[tuple[int, list[str]]],
) -> list[tuple[int, list[str]]]:
    """``records`` (line, fields) without their last fields while they are empty in
    every one, header included (two records of two fields at least): the empty last
    columns of delimiters ending every record."""
    while len(records) >= 2 and all(len(fields) > 1 and not fields[-1].strip()
                                    for _, fields in records):
        records = [(line, fields[:-1]) for line, fields in records]
    return records


def _delimiter_of(text: str, path: str) -> str | None:
    """The delimiter of ``text``, read from the file ``path`` (its suffix says which
    delimiters to try first)."""
    return _choose_delimiter(text, _DELIMITERS[file_format(path)])


def _choose_delimiter(text: str, candidates: tuple[str | None, ...]) -> str | None:
    """The first candidate that splits the first records into equal, >1 field counts.

    When none does, the first whose most common count above 1 is shared by more than
    half of them (one ragged line among them): the reader then names the odd line,
    instead of reading the file as one column under the wrong delimiter.  When no
    candidate splits any line and whitespace splits every one into the same count
    above 1, whitespace (None), whatever the suffix (a ``.csv`` written with spaces);
    failing that, when single spaces do (quoted fields, empty ones), ``" "``.
    Otherwise the first candidate (a one-column file, or no clear majority).
    """
    lines = text[:65536].split("\n")
    cut = len(text) > 65536
    if cut:
        lines = lines[:-1]  # the last line of a cut sample is incomplete
    lines = [line for line in lines if line.strip()]
    cut = cut or len(lines) > 20
    sample = lines[:20]
    best, best_count = candidates[0], 0
    split_any = False
    for delimiter in candidates:
        try:
            rows = _split_fields(sample, delimiter)
        except csv.Error:
            split_any = True  # a quote gone wrong: no sign of a file of spaces
            continue
        if cut and len(rows) > 1:
            rows = rows[:-1]  # a quoted field may run past the sample's last line
        counts = Counter(len(row) for row in rows)
        if len(counts) == 1 and next(iter(counts)) > 1:
            if delimiter == "\t" and None in candidates and _aligned_by_spaces(sample, rows):
                return None
            if delimiter == "," and ";" in candidates and _decimal_commas_in(sample, ";"):
                return ";"
            return delimiter
        split_any = split_any or any(width > 1 for width in counts)
        shared = max((n for width, n in counts.items() if width > 1), default=0)
        if 2 * shared > len(rows) and shared > best_count:
            best, best_count = delimiter, shared
    if None not in candidates and not split_any and sample:
        widths = {len(line.split()) for line in sample}
        if len(widths) == 1 and min(widths) > 1:
            return None
        # Quoted fields with spaces inside, or empty fields: one space between fields
        # (pandas' to_csv(sep=" ")).
        try:
            widths = {len(row) for row in _split_fields(sample, " ")}
        except csv.Error:
            widths = set()
        if len(widths) == 1 and min(widths) > 1:
            return " "
    return best


def _decimal_commas_in(sample: list[str], delimiter: str) -> bool:
    """Whether ``delimiter`` splits the lines alike into fields whose every comma is a
    decimal comma, one on each line at least: ``1,5;2,25;0`` without a header, which
    commas would split alike as well."""
    rows = [line.split(delimiter) for line in sample]
    if len({len(row) for row in rows}) != 1 or len(rows[0]) < 2:
        return False
    return all(any("," in field for field in row)
               and all(_DECIMAL_COMMA.fullmatch(field.strip()) for field in row if "," in field)
               for row in rows)


def _aligned_by_spaces(sample: list[str], tab_rows: list[list[str]]) -> bool:
    """Whether lines that tabs split alike are rather columns aligned by runs of spaces
    with a tab among them (UCI's auto-mpg.data): every line holds two spaces in a row,
    and whitespace (quotes kept together) splits each into the same, larger count."""
    if not all("  " in line for line in sample):
        return False
    widths = {len(_whitespace_fields(line)) for line in sample}
    return len(widths) == 1 and min(widths) > len(tab_rows[0])


def _is_number(text: str) -> bool:
    """Whether ``text`` is a number as a CSV writes one: what ``float`` reads, but no
    digit grouping with "_" (Python's and NumPy's parsers take "1_000"; NumPy's
    ``loadtxt`` and other readers do not)."""
    if "_" in text:
        return False
    try:
        float(text)
    except ValueError:
        return False
    return True


def finite_number(text: str) -> float:
    """``text`` as a float when it is a finite number as a CSV writes one (see
    :func:`_is_number`), else NaN."""
    if not _is_number(text):
        return math.nan
    value = float(text)
    return value if math.isfinite(value) else math.nan


def _header(
    first: list[str], second: list[str] | None, first_line: int, path: str,
    header: bool | None,
) -> tuple[list[str], bool, str | None]:
    """Column names from the first non-blank row, whether that row is a header, and a
    note when that was guessed from a row holding numbers (see the module text).

    ``second`` is the next non-blank row (None if there is none); ``header`` is the
    caller's answer, or None to guess.
    """
    note = None
    if header is None:
        _refuse_counts_title(first, second, first_line, path)
        header, clear_cut = _looks_like_header(first, second)
        if not clear_cut:
            shown = ",".join(field.strip() for field in first)
            if len(shown) > 60:
                shown = shown[:57] + "..."
            note = (f"line {first_line} ({shown}) was read as column names; if it is data, "
                    "say so with --no-header (header=False)" if header else
                    f"line {first_line} ({shown}) was read as data, not column names; if "
                    "it names the columns, say so with --header (header=True)")
    if not header:
        return [str(j) for j in range(len(first))], False, note
    # An empty name is pandas' "Unnamed: j" (0-based): the column of row labels that
    # DataFrame.to_csv writes first has one.  (".1", ".2", ... if a column is named so.)
    given = {cell.strip() for cell in first}
    names: list[str] = []
    for j, cell in enumerate(first):
        name, k = cell.strip() or f"Unnamed: {j}", 0
        while not cell.strip() and (name in given or name in names):
            k += 1
            name = f"Unnamed: {j}.{k}"
        names.append(name)
    seen: dict[str, int] = {}
    for j, name in enumerate(names):
        if name in seen:
            raise DataError(
                f"duplicate column name {name!r} (columns {seen[name]} and {j}, 0-based)",
                path=path,
                line=first_line,
            )
        seen[name] = j
    return names, True, note


def _refuse_counts_title(first: list[str], second: list[str] | None, first_line: int,
                         path: str) -> None:
    """Refuse a first row that is scikit-learn's raw CSV title: the count of rows, the
    count of features, then the class names (``150,4,setosa,versicolor,virginica`` in
    ``iris.csv``).  When the class names make it as wide as the rows below (the count of
    features plus the target), it would pass for column names, and ``--target 4`` would
    pick the column named "4".  (A title of another width gets the ragged-row error
    with the same advice.)"""
    if second is None or len(second) != len(first) or len(first) < 4:
        return
    counts = [field.strip() for field in first[:2]]
    names = [field.strip() for field in first[2:]]
    # Two classes or more, each named (an empty or "NA" cell is a missing number of a
    # data row, and a header "1,2,target" names one column of text).
    if not (all(_WHOLE.fullmatch(field) for field in counts)
            and int(counts[1]) == len(first) - 1
            and len(set(names)) == len(names)
            and not any(name.lower() in MISSING_TOKENS or _looks_numeric(name)
                        for name in names)
            and all(_looks_numeric(field) for field in second)):
        return
    shown = ",".join(field.strip() for field in first)
    how = ("" if split_suffix(path)[1] is not None  # tail would cut a compressed file
           else f" (e.g. tail -n +{first_line + 1} FILE > NEW)")
    raise DataError(
        f"line {first_line} ({shown[:60]}) looks like a title, not column names: a count "
        f"of rows ({counts[0]}), of features ({counts[1]}) and class names, as "
        f"scikit-learn's raw CSV files begin; delete it{how} and read the rest with "
        "--no-header, or pass --header if it does name the columns", path=path)


def _looks_like_header(first: list[str], second: list[str] | None) -> tuple[bool, bool]:
    """Guess whether ``first`` names the columns: ``(is a header, clear-cut)``.

    Clear-cut: no field is a number (names), over a row that holds one (over a row of
    text too, a header still, not clear-cut: categories are data).  A row of numbers is
    data, clear-cut, unless it is two or more whole numbers (no point, no exponent) over
    a next row that is not all whole: then it names the columns (pandas writes
    ``0,1,2,...`` over ``5.0,1.25,...``; years over measurements), not clear-cut.
    ``0,1,2,...`` over whole numbers is read as data, not clear-cut either.  A row
    mixing numbers and text is a header when its numbers are pandas' labels
    ``0,1,2,...`` of at least three leading columns, or when some column holds a number
    in one row and text in the other (names over values); data when the two rows agree
    column by column (clear-cut when one of its numbers is not whole).
    """
    numeric = [_looks_numeric(field) for field in first]
    if not any(numeric):
        # Names, clear-cut, unless the next row is all text too: rows of categories
        # ("green,L,no") may be data as well, so that guess is said.
        below_text = second is not None and len(second) == len(first) and not any(
            _looks_numeric(field) for field in second)
        return True, not below_text
    leading = numeric.index(False) if not all(numeric) else len(numeric)
    pandas_labels = (
        leading >= _PANDAS_LABELS_MIN
        and not any(numeric[leading:])
        and all(first[j].strip() == str(j) for j in range(leading))
    )
    if all(numeric):
        whole = all(_WHOLE.fullmatch(field.strip()) for field in first)
        below = second is not None and len(second) == len(first) and all(
            _looks_numeric(field) for field in second
        )
        # (Two columns at least: a lone first value written "0" over "7.5" is data.)
        if (whole and below and len(first) > 1
                and not all(_WHOLE.fullmatch(field.strip()) for field in second)):
            return True, False
        return False, not pandas_labels
    # DataFrame.to_csv() of numbered columns: an empty name over its row labels, then
    # the labels 0, 1, 2, ... of the columns.
    numbered = (len(first) > 2 and not first[0].strip()
                and all(field.strip() == str(j) for j, field in enumerate(first[1:])))
    if pandas_labels or numbered or second is None or len(second) != len(first):
        return True, False
    # Column by column, where neither row's cell is missing (a blank cell in a row of
    # numbers is a missing value, not a name).
    below = [_looks_numeric(field) for field in second]
    known = [field.strip().lower() not in MISSING_TOKENS for field in first]
    known_below = [field.strip().lower() not in MISSING_TOKENS for field in second]
    header = any(a != b for a, b, k, kb in zip(numeric, below, known, known_below, strict=True)
                 if k and kb)
    # Data, clear-cut, when a number in it is not whole (5.1,3.5,Iris-setosa): names
    # that read as numbers are whole (years, codes: 2019,2020,label).
    return header, not header and not all(
        _WHOLE.fullmatch(field.strip()) for field, number in zip(first, numeric, strict=True)
        if number)


def _looks_numeric(field: str) -> bool:
    """A number to the header guess: digit grouping ("1_000") counts, so that a line
    holding one is read as data, whose cell the reader then refuses with its hint,
    rather than as column names."""
    return _is_number(field.replace("_", ""))


#: A number written as a whole number: no decimal point, no exponent.
_WHOLE = re.compile(r"[-+]?\d+")
#: Leading columns labelled 0, 1, 2, ... from which a first line is read as pandas' labels.
_PANDAS_LABELS_MIN = 3


def _read_delimited_fast(
    text: str, path: str, delimiter: str | None, target: str | int | None,
    header: bool | None, read_target: bool = True, features: Sequence[str] | None = None,
) -> Table | None:
    """Parse with ``np.loadtxt``; return None when the careful reader must take over."""
    lines = text.split("\n")
    nonblank = [i for i, line in enumerate(lines) if not _is_blank(line, delimiter)]
    if not nonblank:
        return None  # the careful reader words the "empty file" error
    first, *second = _split_fields([lines[i] for i in nonblank[:2]], delimiter)
    names, has_header, note = _header(first, second[0] if second else None,
                                      nonblank[0] + 1, path, header)
    data_index = nonblank[1:] if has_header else nonblank
    if not data_index:
        return None
    n_cols = len(names)
    # np.loadtxt with usecols ignores extra fields, so check every row's width here.
    if delimiter is None:
        if any(len(lines[i].split()) != n_cols for i in data_index):
            return None
    elif any(lines[i].count(delimiter) != n_cols - 1 for i in data_index):
        return None
    t = _resolve_target(target, names, path)
    feature_cols = _feature_columns(names, t, features, path)
    row = lines[data_index[0]].split(delimiter)
    if not all(_is_number(row[j].strip()) for j in feature_cols):
        return None  # a text or missing cell in the first row: not all numbers
    data = [lines[i] for i in data_index]
    try:
        if feature_cols:
            X = _parse_numbers(data, delimiter, n_cols, feature_cols)
        else:
            X = np.empty((len(data), 0))
        cells = None
        if t is not None and read_target:
            cells = np.loadtxt(
                data, delimiter=delimiter, usecols=[t], dtype=str, comments=None, ndmin=1
            ).tolist()
    except ValueError:
        return None
    if not _all_finite(X):
        return None
    y = None
    if cells is not None:
        y = _target_from_cells(cells, [i + 1 for i in data_index], path, names[t])
    return Table(
        features=X,
        target=y,
        feature_names=[names[j] for j in feature_cols],
        target_name=None if t is None else names[t],
        source=path,
        header_note=note,
        header=has_header,
    )


#: Characters of delimited text from which a file that is not all numbers is read
#: column by column by pyarrow, when installed (:func:`_read_delimited_columns`).
COLUMNS_MIN_CHARS = 1_000_000
#: Cells from which a delimited file's numbers are parsed by pyarrow, when installed:
#: NumPy's parser takes about 0.3 us a number, pyarrow's (multithreaded) a tenth of
#: that, plus 0.1 s to import it.
ARROW_MIN_CELLS = 1_000_000
#: Cells pyarrow parses at a time (about 5 MB of text).
ARROW_BLOCK_CELLS = 250_000


def _parse_numbers(data: list[str], delimiter: str | None, n_cols: int,
                   columns: list[int]) -> np.ndarray:
    """``np.loadtxt(data, delimiter=delimiter, usecols=columns, dtype=float64)`` for
    ``data``, lines of ``n_cols`` fields without quotes: shape (len(data), len(columns)).

    Large inputs go to pyarrow's CSV parser when it is installed; it rounds every
    number correctly, as NumPy's does, so the values are the same.  Anything it does not
    take as a number (a blank cell, "NA", "1_000") goes to NumPy's parser, whose
    ValueError the caller reads as "not all numbers".
    """
    if delimiter is not None and len(data) * len(columns) >= ARROW_MIN_CELLS:
        parsed = _parse_numbers_with_arrow(data, delimiter, n_cols, columns)
        if parsed is not None:
            return parsed
    return np.loadtxt(data, delimiter=delimiter, usecols=columns, dtype=np.float64,
                      comments=None, ndmin=2)


def _parse_numbers_with_arrow(data: list[str], delimiter: str, n_cols: int,
                              columns: list[int]) -> np.ndarray | None:
    """:func:`_parse_numbers` by pyarrow; None without pyarrow or when a cell is not a
    plain number to it."""
    try:
        import pyarrow as pa
        import pyarrow.csv as arrow_csv
    except ImportError:
        return None
    names = [f"c{j}" for j in range(n_cols)]
    wanted = [names[j] for j in columns]
    options = {
        "read_options": arrow_csv.ReadOptions(column_names=names),
        # Quotes never reach here; every line is a row (blank ones were dropped).
        "parse_options": arrow_csv.ParseOptions(delimiter=delimiter, quote_char=False,
                                                ignore_empty_lines=False),
        # No text means "missing" here: a blank or NA cell fails, as in NumPy's.
        "convert_options": arrow_csv.ConvertOptions(
            column_types=dict.fromkeys(wanted, pa.float64()), include_columns=wanted,
            null_values=[], strings_can_be_null=False),
    }
    X = np.empty((len(data), len(wanted)))
    # A block of rows at a time: the block's bytes and pyarrow's buffers stay small
    # next to X (the whole text at once would double the memory the file takes).
    rows = max(1, ARROW_BLOCK_CELLS // n_cols)
    for start in range(0, len(data), rows):
        lines = data[start:start + rows]
        if lines[0].startswith("\ufeff"):
            return None  # pyarrow would drop a byte-order mark that starts its input
        try:
            table = arrow_csv.read_csv(pa.py_buffer("\n".join(lines).encode("utf-8")),
                                       **options)
        except (pa.ArrowException, ValueError):
            return None
        if table.num_rows != len(lines):
            return None
        # Column by column, then one blocked transpose: writing each column into the
        # row-major X directly strides through memory and takes twice as long.
        X[start:start + table.num_rows] = np.stack(
            [table.column(name).to_numpy() for name in wanted]).T
    return X


def _read_delimited_columns(
    text: str, path: str, delimiter: str | None, target: str | int | None,
    header: bool | None, read_target: bool, features: Sequence[str] | None, coding: _Coding,
) -> Table | None:
    """The careful reader's result for a large unquoted file whose columns are clear
    cut, read column by column with pyarrow (when installed): numeric columns (missing
    cells NaN where ``coding`` allows), text columns in which no cell looks like a
    number (category codes), True/False columns (1/0).  None, for the careful reader
    to read and word any error, whenever a cell or line is anything else: a column of
    numbers with a word in it, a missing cell that is an error, a blank line, rows of
    other widths, numeric codes read as categories."""
    if (delimiter is None or coding.text_columns or len(text) < COLUMNS_MIN_CHARS
            or any(_numeric_categories(values) for values in (
                coding.categories.values() if isinstance(coding.categories, dict) else ()))):
        return None
    try:
        import pyarrow as pa
        import pyarrow.compute as pc
        import pyarrow.csv as arrow_csv
    except ImportError:
        return None
    head = _first_lines(text, 2, delimiter)
    if len(head) < 2:
        return None  # no rows, or one: the careful reader's words
    first, second = _split_fields(head, delimiter)
    if _is_blank(text[:text.find("\n")], delimiter):
        return None  # a blank line (",,") above the first row: line numbers shift
    names, has_header, note = _header(first, second, 1, path, header)
    # The rows' bytes: below the header, up to the newlines that end the file, as a
    # view of the encoded text (pyarrow copies the cells out of it).
    raw = text.encode("utf-8")
    start = raw.index(b"\n") + 1 if has_header else 0
    end = len(raw)
    while end > start and raw[end - 1] == 0x0A:
        end -= 1
    if end == start or raw[start] == 0x0A or raw.find(b"\n\n", start, end) >= 0:
        return None  # blank lines: the careful reader counts lines around them
    body = memoryview(raw)[start:end]
    buffer = pa.py_buffer(body)
    try:
        t = _resolve_target(target, names, path)
        feature_cols = _feature_columns(names, t, features, path)
    except DataError:
        return None  # worded by the careful reader, after any error of a line above

    keys = [f"c{j}" for j in range(len(names))]
    try:
        data = arrow_csv.read_csv(
            buffer,
            read_options=arrow_csv.ReadOptions(column_names=keys),
            parse_options=arrow_csv.ParseOptions(delimiter=delimiter, quote_char=False,
                                                 ignore_empty_lines=False),
            convert_options=arrow_csv.ConvertOptions(
                column_types=dict.fromkeys(keys, pa.string()), null_values=[],
                strings_can_be_null=False,
                include_columns=[keys[j] for j in (*feature_cols, *([t] if t is not None
                                                                     and read_target else []))]))
    except (pa.ArrowException, ValueError):
        return None  # rows of other widths, ...: found and worded by the careful reader
    finally:
        del buffer, body, raw  # pyarrow holds its own copy of the cells now
    if data.num_rows == 0:
        return None
    # Rows whose every cell read is empty may be ",,," lines, blank to the careful
    # reader, which counts lines around them.
    empty = None
    for key in data.column_names:
        cell_empty = pc.equal(pc.utf8_trim_whitespace(data.column(key)), "")
        empty = cell_empty if empty is None else pc.and_(empty, cell_empty)
    if empty is not None and pc.any(empty).as_py():
        return None
    missing = pa.array(sorted(MISSING_TOKENS))
    X = np.empty((data.num_rows, len(feature_cols)))
    categories: dict[str, list[str]] = {}
    given = coding.categories if isinstance(coding.categories, dict) else {}
    for k, j in enumerate(feature_cols):
        name = names[j]
        cells = pc.utf8_trim_whitespace(data.column(keys[j]))
        absent = pc.is_in(pc.utf8_lower(cells), value_set=missing)
        # A text column: no cell starts as a number does (any script's digits, as
        # float() reads them), so every one is text to the careful reader too.
        if name in given or coding.categories == "auto" and not pc.any(
                pc.match_substring_regex(cells, r"^[-+]?(\p{Nd}|\.\p{Nd}|(?i:inf))")).as_py():
            values = pc.unique(pc.filter(cells, pc.invert(absent))).to_pylist()
            if name not in given and values and {v.lower() for v in values} <= {"true", "false"}:
                # True/False: 1/0, as the careful reader (and Parquet's booleans) has them.
                if pc.any(absent).as_py() and not coding.missing_is_nan:
                    return None
                words = pc.utf8_lower(cells)
                X[:, k] = pc.if_else(absent, np.nan, pc.cast(pc.equal(words, "true"),
                                                             pa.float64())).to_numpy()
                data = data.drop_columns([keys[j]])
                continue
            if name not in given and not values:
                return None  # every cell missing: the careful reader's rule and words
            chosen = given[name] if name in given else sorted(values)
            codes = pc.index_in(cells, value_set=pa.array(chosen, pa.string()))
            codes = pc.if_else(absent, np.nan, pc.fill_null(pc.cast(codes, pa.float64()), -1.0))
            X[:, k] = codes.to_numpy()
            categories[name] = list(chosen)
            data = data.drop_columns([keys[j]])  # its cells are not needed again
            continue
        if pc.any(absent).as_py():
            if not coding.missing_is_nan:
                return None  # the careful reader names the missing cell
            cells = pc.if_else(absent, pa.scalar(None, pa.string()), cells)
        try:
            values = pc.cast(cells, pa.float64()).to_numpy(zero_copy_only=False)
        except (pa.ArrowException, ValueError):
            return None  # a word among numbers: refused by the careful reader, by cell
        present = values[~np.isnan(values)] if coding.missing_is_nan else values
        if not _all_finite(present):
            return None
        X[:, k] = values
        data = data.drop_columns([keys[j]])
    y = None
    if t is not None and read_target:
        labels = data.column(keys[t]).to_pylist()
        first_line = 2 if has_header else 1
        y = _target_from_cells(labels, range(first_line, first_line + len(labels)), path,
                               names[t])
    return Table(features=X, target=y, feature_names=[names[j] for j in feature_cols],
                 target_name=None if t is None else names[t], source=path,
                 header_note=note, header=has_header, categories=categories)


def _numeric_categories(categories: Sequence[str]) -> bool:
    """Whether every category is a number (codes matched by value: the careful reader's)."""
    return bool(categories) and all(_is_number(category) for category in categories)


def _read_delimited_careful(
    text: str, path: str, delimiter: str | None, target: str | int | None,
    header: bool | None, read_target: bool = True, features: Sequence[str] | None = None,
    coding: _Coding = _Coding(),
) -> Table:
    """Parse row by row, raising DataError at the first bad line or cell."""
    records = _without_empty_last_field(list(_rows_with_lines(text, delimiter, path)))
    if not records:
        raise DataError("the file is empty; expected a header row and data rows", path=path)
    start, first = records[0]
    names, has_header, note = _header(first, records[1][1] if len(records) > 1 else None,
                                      start, path, header)
    rows: list[list[str]] = []
    line_numbers: list[int] = []
    for start, row in records[1:] if has_header else records:
        if len(row) != len(names):
            raise DataError(
                f"expected {len(names)} field{'s' if len(names) != 1 else ''}, got {len(row)}",
                path=path, line=start,
                note=_preamble_note(records, len(row), start, path),
            )
        rows.append(row)
        line_numbers.append(start)
    if not rows:
        raise DataError("the file has a header but no data rows", path=path)

    t = _resolve_target(target, names, path)
    feature_cols = _feature_columns(names, t, features, path)
    if feature_cols == list(range(len(names))):
        cells = rows
    else:
        cells = [[row[j] for j in feature_cols] for row in rows]
    feature_names = [names[j] for j in feature_cols]
    X, categories = _features_from_cells(cells, line_numbers, path, feature_names, coding)
    y = None
    if t is not None and read_target:
        y = _target_from_cells([row[t] for row in rows], line_numbers, path, names[t])
    return Table(
        features=X,
        target=y,
        feature_names=feature_names,
        target_name=None if t is None else names[t],
        source=path,
        header_note=note,
        header=has_header,
        categories=categories,
    )


def _refuse_preamble(text: str, delimiter: str | None, path: str) -> None:
    """The error :func:`read_table` gives a file whose first line is a title or counts
    above rows all of another width, from ``text``, the complete first lines of the
    file (the columns of such a file are not its first line's)."""
    from itertools import islice

    try:
        records = list(islice(_rows_with_lines(text, delimiter, path), 21))
    except DataError:
        return  # a quoted field open at the end of the first lines: read_table will tell
    if '"' in text:
        records = _without_empty_last_field(records)
    widths = {len(fields) for _, fields in records[1:]}
    if len(widths) != 1 or len(records[0][1]) in widths:  # (also: fewer than two records)
        return
    (width,), line = widths, records[1][0]
    note = _preamble_note(records, width, line, path)
    if note is not None:
        first = len(records[0][1])
        raise DataError(f"expected {first} field{'s' if first != 1 else ''}, got {width}",
                        path=path, line=line, note=note)


def _preamble_note(records: list[tuple[int, list[str]]], width: int, line: int,
                   path: str) -> str | None:
    """When the first record is narrower or wider than all the next ones (scikit-learn's
    ``wine_data.csv`` starts ``178,13,class_0,class_1,class_2`` above rows of 14
    fields), that it may be no header at all: neither header setting reads the file."""
    (first_line, first), *rest = records
    if not rest or line != rest[0][0] or any(len(row) != width for _, row in rest[:50]):
        return None
    how = ("" if split_suffix(path)[1] is not None  # tail would cut a compressed file
           else f", e.g. tail -n +{first_line + 1} FILE > NEW")
    return (f"line {first_line} has {len(first)} field{'s' if len(first) != 1 else ''} and "
            f"the lines below it {width}: if line {first_line} is not the table's header (a "
            f"title, counts), delete it{how}")


def _rows_with_lines(text: str, delimiter: str | None, path: str):
    """Yield ``(first line number, fields)`` for every non-blank record."""
    if delimiter is None:
        for number, line in enumerate(text.split("\n"), start=1):
            fields = _whitespace_fields(line)
            if fields:
                yield number, fields
        return
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    previous = 0  # a quoted field may span lines: a record starts after the last one
    last_line = text.count("\n") + (not text.endswith("\n"))
    try:
        for row in reader:
            start, previous = previous + 1, reader.line_num
            if not any(field.strip() for field in row):
                continue  # blank, or empty fields only (``,,,,``): as the fast reader has it
            if previous == last_line and '"' in text and _quote_left_open(text, delimiter):
                # A quoted field running to the end of the file without its closing
                # quote would otherwise swallow every line after its start.
                raise DataError(
                    f'a quoted field runs from line {start} to the end of the file; is a '
                    'closing quote (") missing?', path=path, line=start,
                )
            yield start, row
    except csv.Error as exc:
        raise DataError(f"malformed CSV: {exc}", path=path, line=reader.line_num) from None


def _quote_left_open(text: str, delimiter: str) -> bool:
    """Whether ``text`` ends inside a quoted field (the strict reader's "unexpected end
    of data"); a closed field that holds a line break is fine."""
    try:
        for _ in csv.reader(io.StringIO(text), delimiter=delimiter, strict=True):
            pass
    except csv.Error as exc:
        return "unexpected end of data" in str(exc)
    return False


#: Numbers as spreadsheets write them: thousands separators ("478,937", "1 250 000",
#: with a decimal point after them or not), or a decimal comma ("13,90", "0,376").
_THOUSANDS = re.compile(r"[-+]?[1-9][0-9]{0,2}([,' _][0-9]{3})+([.][0-9]+)?")
#: Thousands separated by points (or spaces, apostrophes) before a decimal comma, as most
#: of Europe writes numbers: ``1.225,8``.
_GROUPED_DECIMAL_COMMA = re.compile(r"[-+]?[1-9][0-9]{0,2}([.' ][0-9]{3})+,[0-9]+")
_DECIMAL_COMMA = re.compile(r"[-+]?[0-9]+,[0-9]+")
#: Currency signs written before or after an amount ("$16.00", "16,00 €").
_CURRENCY = "$€£¥"
_DIGITS = re.compile(r"([0-9]+[.]?[0-9]*|[.][0-9]+)([eE][-+]?[0-9]+)?")


def decorated_number(text: str) -> tuple[str, list[str]] | None:
    """``(how it is written, plain readings)`` for a number written with a currency
    sign, a percent sign or accounting parentheses, as spreadsheets show them:
    ``("a currency sign", ["-1200.50"])`` for ``"($1,200.50)"``, ``("a percent sign",
    ["45", "0.45"])`` for ``"45%"`` (the second as a fraction).  None for anything
    else, plain numbers included.  With a currency sign, thousands separators are taken
    out and a decimal comma ("€13,90") is read as a point; without one a comma is no
    such number ("(0,1)" is a pair, "(1,234)" may be one)."""
    from decimal import Decimal

    s = text.strip()
    marks = []
    negative = len(s) > 2 and s[0] == "(" and s[-1] == ")"
    if negative:
        s = s[1:-1].strip()
        marks.append("accounting parentheses")
    sign = ""
    if s[:1] in ("-", "+"):
        sign, s = s[0], s[1:].lstrip()
    currency = bool(s) and (s[0] in _CURRENCY or s[-1] in _CURRENCY)
    if currency:
        s = (s[1:] if s[0] in _CURRENCY else s[:-1]).strip()
        marks.append("a currency sign")
        if not sign and s[:1] in ("-", "+"):  # "$-5"
            sign, s = s[0], s[1:].lstrip()
    percent = s.endswith("%")
    if percent:
        s = s[:-1].rstrip()
        marks.append("a percent sign")
    if not marks:
        return None
    if currency and (plain := separator_readings(s)):
        s = plain[0]  # thousands separators out, else a decimal comma read as a point
    if not _DIGITS.fullmatch(s):
        return None
    # (-0 is 0: "(0)" and "-0%" are no negative numbers.)
    minus = "-" if negative != (sign == "-") and Decimal(s) != 0 else ""
    readings = [minus + s]
    if percent:
        readings.append(minus + format(Decimal(s) / 100, "f"))
    return " and ".join(marks), readings


def separator_readings(text: str) -> list[str]:
    """The plain numbers that a number written with separators may be: ``"52,765"``
    gives ``["52765", "52.765"]`` (thousands, or a decimal comma), ``"1 250 000"``
    ``["1250000"]``, ``"0,376"`` ``["0.376"]``, ``"1.225,8"`` ``["1225.8"]``; ``[]`` for
    anything else."""
    readings = []
    if _THOUSANDS.fullmatch(text):
        readings.append(re.sub(r"[,' _]", "", text))
    if _DECIMAL_COMMA.fullmatch(text):
        readings.append(text.replace(",", "."))
    if _GROUPED_DECIMAL_COMMA.fullmatch(text):
        readings.append(re.sub(r"[.' ]", "", text).replace(",", "."))
    return readings


def decorated_numbers(cells: Sequence[str]) -> dict[str, tuple[str, list[str]]]:
    """The cells of one column that are decorated numbers (:func:`decorated_number`),
    each with what it returns.  Cells in parentheses only ("(1)", "(2)", labels of a
    list) count as accounting negatives when the column also holds plain numbers."""
    found = {cell: number for cell in cells if (number := decorated_number(cell)) is not None}
    parenthesized = all(marks == "accounting parentheses" for marks, _ in found.values())
    if found and parenthesized and not any(_is_number(cell.strip()) for cell in cells):
        return {}
    return found


def decorated_hint(text: str) -> str | None:
    """``"a percent sign? write 45 (or 0.45 as a fraction)"`` for a decorated number
    (see :func:`decorated_number`), None for anything else."""
    found = decorated_number(text)
    if found is None:
        return None
    marks, readings = found
    plain = readings[0] + (f" (or {readings[1]} as a fraction)" if len(readings) > 1 else "")
    return f"{marks}? write {plain}"


def _cell_error(cell: str, path: str, line: int, column: str) -> DataError:
    """The DataError describing why ``cell`` is not a usable finite number."""
    text = cell.strip()
    if text.lower() in MISSING_TOKENS:
        got = "" if not text else f" (got {cell!r})"
        return DataError(f"missing value{got}", path=path, line=line, column=column)
    if _is_number(text):
        return DataError(
            f"expected a finite number, got {cell!r}", path=path, line=line, column=column
        )
    hint = ""
    readings = [] if "_" in text else separator_readings(text)
    if len(readings) == 2:
        hint = f" (a thousands separator or a decimal comma? write {' or '.join(readings)})"
    elif readings and _THOUSANDS.fullmatch(text):
        hint = f" (thousands separators? write {readings[0]})"
    elif readings and _GROUPED_DECIMAL_COMMA.fullmatch(text):
        hint = f" (thousands separators and a decimal comma? write {readings[0]})"
    elif readings:
        hint = f" (a decimal comma? write {readings[0]})"
    elif _is_number(text.replace("_", "")):
        hint = f" (digit grouping? write {text.replace('_', '')})"
    elif (decorated := decorated_hint(text)) is not None:
        hint = f" (a number written with {decorated})"
    elif re.search(r"[A-Za-z]", text):
        hint = f" ({TEXT_IN_NUMBERS_HINT})"
    return DataError(f"expected a number, got {cell!r}{hint}", path=path, line=line,
                     column=column)


def _features_from_cells(
    cells: list[list[str]], line_numbers: list[int], path: str, names: list[str],
    coding: _Coding = _Coding(),
) -> tuple[np.ndarray, dict[str, list[str]]]:
    """The feature matrix (m, len(names)) of ``cells`` and the text columns' categories."""
    if not names:
        return np.empty((len(cells), 0)), {}
    # A model's category columns stay text ("True" may be one of its categories).
    given = coding.categories if isinstance(coding.categories, dict) else {}
    cells = _booleans_as_numbers(cells, skip={k for k, name in enumerate(names)
                                              if name in given or name in coding.text_columns})
    if coding.categories is None and not coding.missing_is_nan:
        return _numbers_from_cells(cells, line_numbers, path, names), {}
    return _coded_features(cells, line_numbers, path, names, coding)


def _booleans_as_numbers(cells: list[list[str]], skip: set[int]) -> list[list[str]]:
    """``cells`` with each column of True/False (any case; missing cells allowed) as
    1/0: the numbers a Parquet file's booleans are, so both formats read alike.  The
    columns in ``skip`` are left as they are."""
    words = {"true": "1", "false": "0"}
    allowed = words.keys() | MISSING_TOKENS
    # The first row rules out most columns at once; the others are looked at whole.
    columns = [k for k in range(len(cells[0]) if cells else 0)
               if k not in skip and cells[0][k].strip().lower() in allowed
               and all(row[k].strip().lower() in allowed for row in cells)
               and any(row[k].strip().lower() in words for row in cells)]
    if not columns:
        return cells
    converted = [list(row) for row in cells]
    for row in converted:
        for k in columns:
            row[k] = words.get(row[k].strip().lower(), row[k])
    return converted


def _coded_features(
    cells: list[list[str]], line_numbers: list[int], path: str, names: list[str],
    coding: _Coding,
) -> tuple[np.ndarray, dict[str, list[str]]]:
    """Column by column: text columns as category codes, missing numbers as NaN when
    ``coding`` says so (else an error naming the cell)."""
    X = np.empty((len(cells), len(names)))
    categories = {}
    first_bad: DataError | None = None  # the file's first bad cell, not the first column's
    for k, name in enumerate(names):
        column = [row[k] for row in cells]
        numbers = None if coding.given else _as_numbers(column)
        if numbers is not None:  # the common case, without a look at each cell
            X[:, k] = numbers
            continue
        if coding.is_text(column, name):
            X[:, k], categories[name] = coding.codes(column, name)
            continue
        missing = [i for i, cell in enumerate(column)
                   if cell.strip().lower() in MISSING_TOKENS] if coding.missing_is_nan else []
        for i in missing:
            column[i] = "0"  # a number for now, NaN below
        numbers = _as_numbers(column)
        if numbers is None:  # finds the bad cell
            try:
                numbers = _numbers_from_cells([[cell] for cell in column], line_numbers,
                                              path, [name])[:, 0]
            except DataError as error:
                if first_bad is None or error.line < first_bad.line:
                    first_bad = error
                continue
        X[:, k] = numbers
        X[missing, k] = np.nan
    if first_bad is not None:
        raise first_bad
    return X, categories


def _numbers_from_cells(
    cells: list[list[str]], line_numbers: list[int], path: str, names: list[str]
) -> np.ndarray:
    try:
        if any("_" in cell for row in cells for cell in row):
            raise ValueError("digit grouping")  # which NumPy's parser would read
        X = np.array(cells, dtype=np.float64)
    except ValueError:
        for i, row in enumerate(cells):
            for k, cell in enumerate(row):
                if not _is_number(cell):
                    raise _cell_error(cell, path, line_numbers[i], names[k]) from None
        # NumPy's parser refused something Python's float() accepts; use float().
        X = np.array([[float(cell) for cell in row] for row in cells], dtype=np.float64)
    if not _all_finite(X):
        i, k = np.argwhere(~np.isfinite(X))[0]
        raise _cell_error(cells[i][k], path, line_numbers[i], names[k])
    return X


def _target_from_cells(
    cells: list[str], line_numbers: list[int], path: str, name: str
) -> np.ndarray:
    """float64 if every cell is a number, else an array of str labels."""
    stripped = [cell.strip() for cell in cells]
    for i, cell in enumerate(stripped):
        if cell.lower() in MISSING_TOKENS:
            raise _cell_error(cells[i], path, line_numbers[i], name)
    try:
        if any("_" in cell for cell in stripped):
            raise ValueError("digit grouping")  # labels such as "1_000" stay text
        y = np.array(stripped, dtype=np.float64)
    except ValueError:
        return np.array(stripped, dtype=str)
    if not _all_finite(y):
        i = int(np.flatnonzero(~np.isfinite(y))[0])
        raise _cell_error(cells[i], path, line_numbers[i], name)
    return y


# ------------------------------------------------------------------- binary files


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


# ----------------------------------------------------------------------- writing


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


# -------------------------------------------------------------------- validation

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
