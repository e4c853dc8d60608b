"""From the cells of a delimited file, as text, to arrays.

Feature columns become float64 (n_samples, n_features): numbers, ``True``/``False`` as
1/0 (as a Parquet file's booleans are), and, where :class:`_Coding` says so
(:func:`~lucidnet.data.read_table`'s ``categories`` and ``missing``), text columns as
category codes and missing cells as NaN.  The target column becomes float64 when every
cell is a number, else ``str`` labels.  Any other cell is a DataError naming its line
and column (the file's first such cell, not the first column's).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ._array_checks import _all_finite
from ._number_text import MISSING_TOKENS, _cell_error, _is_number
from .errors import DataError

#: A cell of digits with separators: a decimal comma, thousands separators, grouping.
_NUMBER_WITH_SEPARATORS = re.compile(r"[-+]?[0-9][0-9,._' ]*")


@dataclass(frozen=True)
class _Coding:
    """How feature cells other than numbers are read: ``categories`` and ``missing``
    of :func:`~lucidnet.data.read_table` (``missing_is_nan`` for ``missing="nan"``)."""

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


def _numeric_categories(categories: Sequence[str]) -> bool:
    """Whether every category is a number (codes matched by value: the careful reader's)."""
    return bool(categories) and all(_is_number(category) for category in categories)


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
