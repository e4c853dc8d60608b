"""Reading delimited text (``.csv``, ``.tsv``, ``.txt``, ...) into a
:class:`~lucidnet._table.Table`.

Three readers give one result.  The fast one hands whole columns of numbers to
NumPy's parser (pyarrow's for a large file, when it is installed); the column-wise one
reads a large unquoted file with text columns or missing cells through pyarrow's
columns, not one Python string per cell; each returns None at anything unusual, and
the careful one then reads row by row, with the csv module's quoting rules, to name
the first bad line or cell.  The careful reader's result is the definition: the
others give the same table, or none.  pandas is never used, since its errors cannot
name the exact line.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ._array_checks import _all_finite
from ._cells import _Coding, _features_from_cells, _numeric_categories, _target_from_cells
from ._delimited_layout import (
    _delimited_text,
    _first_lines,
    _is_blank,
    _preamble_note,
    _rows_with_lines,
    _split_fields,
    _without_empty_last_field,
)
from ._header_guess import _first_line_names, _first_line_note, _header
from ._number_text import MISSING_TOKENS, _is_number
from ._table import Table, _feature_columns, _resolve_target
from ._text_decoding import _read_text
from .errors import DataError


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
