"""Whether the first line of delimited text names the columns, and the names.

The rules are those :mod:`lucidnet.data`'s module text gives users: names over numbers
are a header, a line of numbers is data (unless whole numbers over measurements, as
pandas' ``0,1,2,...`` labels or years), a line mixing numbers and text is a header
when a column holds a number in one row and text in the other.  A guess that was not
clear-cut comes with a note saying what was decided and how to say otherwise
(``header=True`` / ``False``); scikit-learn's raw title line (counts and class names)
is refused, since it would pass for column names.
"""

from __future__ import annotations

import csv
import re

from ._compression import split_suffix
from ._delimited_layout import _first_lines, _split_fields
from ._number_text import MISSING_TOKENS, _is_number
from ._table import is_column_index
from .errors import DataError


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
