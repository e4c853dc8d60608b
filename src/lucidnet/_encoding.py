"""How the command line turns a file's feature columns into the network's inputs.

A file's text columns (categories such as ``island = Biscoe``) become one 0/1 input
per category (one-hot), and missing numbers may be filled in with the training
column's mean or median.  :func:`lucidnet.data.read_table` reads such columns as
category codes and missing cells as NaN; :class:`Encoding` expands them, with what it
learnt from the training file, and is stored in the model file so that ``predict``
and ``evaluate`` encode new rows the same way.

A text cell outside the training categories, or a missing one, gets no 1 at all
(every input of its column 0), as scikit-learn's ``OneHotEncoder`` with
``handle_unknown="ignore"``.
"""

from __future__ import annotations

import math
import shlex
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from ._cli_columns import list_option
from .errors import DataError

#: A text column with more categories than this is refused (an id, a name, free
#: text): its one-hot inputs would outnumber what the rows can teach.
MAX_CATEGORIES = 100
#: ... as is one whose categories are mostly single rows: more than this share of the
#: rows, when there are more than FEW_CATEGORIES (a small table may hold few rows of
#: each of a few categories).
MAX_DISTINCT_SHARE = 0.5
FEW_CATEGORIES = 10

#: How missing numbers may be filled in, by ``--impute``.
IMPUTERS = ("mean", "median")


@dataclass(frozen=True)
class Encoding:
    """The inputs made from a file's feature columns.

    Attributes
    ----------
    columns : list of str
        The file's feature columns, in the order read (the raw table's columns).
    categories : dict of str to list of str
        Each text column's categories, in input order (one input each).
    fill : dict of str to float
        Each numeric column's value for a missing cell (empty: missing is an error).
    imputer : str or None
        How ``fill`` was computed ("mean", "median"), or None.
    """

    columns: list[str]
    categories: dict[str, list[str]]
    fill: dict[str, float]
    imputer: str | None = None

    @property
    def input_names(self) -> list[str]:
        """The network's input names: a numeric column's name, ``column=category``
        for each category of a text column."""
        names = []
        for column in self.columns:
            if column in self.categories:
                names.extend(f"{column}={category}" for category in self.categories[column])
            else:
                names.append(column)
        return names

    @property
    def n_inputs(self) -> int:
        """The network's input count: one per numeric column, one per category."""
        return len(self.columns) - len(self.categories) + sum(
            len(values) for values in self.categories.values())

    def one_hot_inputs(self) -> np.ndarray:
        """bool ndarray of shape (n_inputs,): True for the 0/1 inputs of categories."""
        return np.concatenate([
            np.full(len(self.categories[column]) if column in self.categories else 1,
                    column in self.categories)
            for column in self.columns
        ]) if self.columns else np.zeros(0, dtype=bool)

    def expand(self, X: np.ndarray) -> np.ndarray:
        """The network's inputs, float64 of shape (m, n_inputs), for ``X`` (m,
        len(columns)) as read: category codes in text columns, NaN where missing."""
        X = np.asarray(X, dtype=np.float64)
        out = np.zeros((X.shape[0], self.n_inputs))
        j = 0
        for k, column in enumerate(self.columns):
            values = X[:, k]
            if column in self.categories:
                width = len(self.categories[column])
                with np.errstate(invalid="ignore"):
                    known = (values >= 0) & (values < width)  # NaN and -1: no category
                rows = np.flatnonzero(known)
                out[rows, j + values[rows].astype(np.intp)] = 1.0
                j += width
            else:
                out[:, j] = values
                if column in self.fill:
                    out[np.isnan(values), j] = self.fill[column]
                j += 1
        return out

    def transformer(self) -> Any:
        """A fitted scikit-learn ``ColumnTransformer`` that does on raw rows what
        :meth:`expand` does on rows as read; its outputs are :attr:`input_names`, in
        order.  Per column, a ``FunctionTransformer`` reads the cells as the command
        line does (:func:`category_texts`, :func:`numeric_codes`,
        :func:`numeric_cells`: stray spaces, "NA" and "?" as missing, True/False as
        1/0), then a ``OneHotEncoder`` with this encoding's categories
        (``handle_unknown="ignore"``: an unseen or missing text gets no 1) or a
        constant ``SimpleImputer`` takes over.

        It takes a pandas DataFrame (columns found by name, others such as the label
        left out), or an array of the file's feature columns in order
        (:class:`~lucidnet._file_columns.FileColumns`).  Fitted on one made-up row,
        which with fixed categories and fill values teaches it nothing."""
        from sklearn.impute import SimpleImputer
        from sklearn.pipeline import make_pipeline
        from sklearn.preprocessing import FunctionTransformer, OneHotEncoder

        from ._cells import _numeric_categories
        from ._file_columns import FileColumns

        try:
            import pandas as pd
        except ImportError:
            pd = None

        def one_hot(categories: list[Any]) -> Any:
            return OneHotEncoder(categories=[categories], handle_unknown="ignore",
                                 sparse_output=False, dtype=np.float64)

        steps: list[tuple[str, Any, list[Any]]] = []
        for k, column in enumerate(self.columns):
            categories = self.categories.get(column)
            if categories is not None and _numeric_categories(categories):
                # Codes (--categorical) match by value, as lucidnet predict reads them:
                # pandas gives 2 or 2.0 where the training file held "2".
                step: Any = make_pipeline(FunctionTransformer(numeric_codes),
                                          one_hot([float(c) for c in categories]))
            elif categories is not None:
                step = make_pipeline(FunctionTransformer(category_texts), one_hot(categories))
            elif column in self.fill:
                step = make_pipeline(FunctionTransformer(numeric_cells),
                                     SimpleImputer(strategy="constant",
                                                   fill_value=self.fill[column]))
            else:
                step = FunctionTransformer(numeric_cells)
            # Step names by position: a column's own name may hold "__" or be one of
            # ColumnTransformer's parameters ("remainder").
            steps.append((f"column_{k}", step, [column if pd is not None else k]))
        row = [self.categories[column][0] if column in self.categories else 0.0
               for column in self.columns]
        example = (np.array([row], dtype=object) if pd is None
                   else pd.DataFrame([row], columns=self.columns))
        return FileColumns(steps, remainder="drop").fit(example)

    @classmethod
    def from_transformer(cls, transformer: Any) -> Encoding:
        """The encoding a ``ColumnTransformer`` made by :meth:`transformer` does (how a
        loaded model is saved again); TypeError for any other transformer.  How the
        fill values were computed is not in it: ``imputer`` is None."""
        from sklearn.impute import SimpleImputer
        from sklearn.preprocessing import FunctionTransformer, OneHotEncoder

        def refuse(why: str) -> TypeError:
            return TypeError(f"a Pipeline's first step can be saved when it is the encoding "
                             f"lucidnet.load gives a model of lucidnet train; {why}")

        if not is_column_transformer(transformer):
            raise refuse(f"got {type(transformer).__name__}")
        if not hasattr(transformer, "transformers_") or transformer.remainder != "drop":
            raise refuse("this one is not fitted, or keeps the remaining columns")
        columns: list[str] = []
        categories: dict[str, list[str]] = {}
        fill: dict[str, float] = {}
        for _, step, selected in transformer.transformers_:
            if isinstance(step, str) and step == "drop":
                continue  # the columns left out (the label, an id)
            if len(selected) != 1 or not isinstance(selected[0], str):
                raise refuse(f"each step must take one column by name; got {selected!r}")
            column = selected[0]
            columns.append(column)
            parts = [part for _, part in getattr(step, "steps", [("", step)])]
            reader = parts[0].func if isinstance(parts[0], FunctionTransformer) else None
            last = parts[-1]
            if (reader in (category_texts, numeric_codes) and len(parts) == 2
                    and isinstance(last, OneHotEncoder) and last.handle_unknown == "ignore"):
                categories[column] = [str(value) if reader is category_texts
                                      else _code_text(float(value))
                                      for value in last.categories_[0]]
            elif (reader is numeric_cells and len(parts) == 2
                  and isinstance(last, SimpleImputer) and last.strategy == "constant"):
                fill[column] = float(last.statistics_[0])
            elif not (reader is numeric_cells and len(parts) == 1):
                raise refuse(f"column {column!r} goes through "
                             f"{', '.join(type(part).__name__ for part in parts)}")
        return cls(columns, categories, fill)

    def unknown(self, X: np.ndarray) -> dict[str, int]:
        """Per text column, how many rows of ``X`` (m, len(columns)) as read hold a text
        outside its categories (only the columns with some)."""
        return {column: int(np.count_nonzero(X[:, k] == -1))
                for k, column in enumerate(self.columns)
                if column in self.categories and np.any(X[:, k] == -1)}

    def describe(self) -> dict[str, Any]:
        """For ``lucidnet info``: the one-hot columns and the imputation."""
        return {
            "one_hot": {column: list(values) for column, values in self.categories.items()},
            "impute": self.imputer or "none",
            "fill": dict(self.fill),
        }

    def to_json(self) -> dict[str, Any]:
        """The JSON object a model file's metadata keeps (read by :meth:`from_json`)."""
        return {"columns": list(self.columns), "categories": dict(self.categories),
                "fill": dict(self.fill), "imputer": self.imputer}

    @classmethod
    def from_json(cls, value: Any, n_inputs: int) -> Encoding:
        """The encoding a model file's metadata holds; ValueError when it is malformed
        or does not make the network's ``n_inputs`` inputs."""
        if not isinstance(value, Mapping):
            raise ValueError("encoding must be a JSON object")
        columns, categories = value.get("columns"), value.get("categories")
        fill, imputer = value.get("fill"), value.get("imputer")
        if not (isinstance(columns, list) and all(isinstance(c, str) for c in columns)
                and len(set(columns)) == len(columns)):
            raise ValueError("encoding columns must be a list of distinct names")
        if not (isinstance(categories, Mapping) and set(categories) <= set(columns) and all(
                isinstance(v, list) and v and all(isinstance(c, str) for c in v)
                and len(set(v)) == len(v) for v in categories.values())):
            raise ValueError("encoding categories must map some of its columns to lists "
                             "of distinct texts")
        if not (isinstance(fill, Mapping) and set(fill) <= set(columns) - set(categories)
                and all(isinstance(v, (int, float)) and not isinstance(v, bool)
                        and math.isfinite(v) for v in fill.values())):
            raise ValueError("encoding fill must map numeric columns to finite numbers")
        if imputer not in (None, *IMPUTERS):
            raise ValueError(f"encoding imputer must be one of {IMPUTERS} or null")
        encoding = cls(list(columns), {k: list(v) for k, v in categories.items()},
                       {k: float(v) for k, v in fill.items()}, imputer)
        if encoding.n_inputs != n_inputs:
            raise ValueError(f"the encoding makes {encoding.n_inputs} inputs; the network "
                             f"takes {n_inputs}")
        return encoding


def is_column_transformer(step: Any) -> bool:
    """Whether ``step`` is a scikit-learn ``ColumnTransformer`` (told by its classes'
    names: scikit-learn need not be imported to ask)."""
    return any(cls.__name__ == "ColumnTransformer" for cls in type(step).__mro__)


def _code_text(value: float) -> str:
    """A numeric code's category text: 2 for 2.0, as a CSV file writes a code."""
    return str(int(value)) if value.is_integer() else repr(value)


#: What a category cell that is missing becomes for the one-hot encoder: a text no
#: category is, so that it gets no 1 (as NaN would, without mixing types).
_MISSING_TEXT = "\x00missing"


def _is_missing(cell: Any) -> bool:
    from .data import MISSING_TOKENS

    if cell is None or (isinstance(cell, float) and math.isnan(cell)):
        return True
    return isinstance(cell, str) and cell.strip().lower() in MISSING_TOKENS


def category_texts(X: Any) -> np.ndarray:
    """The cells of ``X`` as the texts the command line compares with a text column's
    categories: stripped of spaces; a whole number as written (2, not 2.0); a missing
    cell (None, NaN, "", "NA", "?") as a text no category is.  The first step of a
    text column in :meth:`Encoding.transformer`."""
    cells = np.asarray(X, dtype=object)
    out = np.empty(cells.shape, dtype=object)
    for index, cell in np.ndenumerate(cells):
        if _is_missing(cell):
            out[index] = _MISSING_TEXT
        elif isinstance(cell, (float, np.floating)) and float(cell).is_integer():
            out[index] = str(int(cell))
        else:
            out[index] = str(cell).strip()
    return out


def _floats(X: Any, strict: bool) -> np.ndarray:
    """The cells of ``X`` as float64; a missing cell (None, NaN, "", "NA", "?") is NaN,
    and any other text a ValueError naming it (``strict``) or NaN."""
    try:
        return np.asarray(X, dtype=np.float64)
    except (TypeError, ValueError):
        cells = np.asarray(X, dtype=object)
        out = np.full(cells.shape, np.nan)
        for index, cell in np.ndenumerate(cells):
            if _is_missing(cell):
                continue
            try:
                out[index] = float(cell.strip() if isinstance(cell, str) else cell)
            except (TypeError, ValueError):
                if strict:
                    raise ValueError(f"expected a number in a numeric column, got {cell!r}"
                                     ) from None
        return out


def numeric_cells(X: Any) -> np.ndarray:
    """The cells of ``X`` as float64 numbers, as the command line reads a numeric
    column: True/False as 1/0, a missing cell (None, "", "NA", "?") as NaN (for the
    imputer after it), and any other text a ValueError naming it.  The first step of
    a numeric column in :meth:`Encoding.transformer`."""
    return _floats(X, strict=True)


def numeric_codes(X: Any) -> np.ndarray:
    """The cells of ``X`` as float64 codes; a cell that is no number (missing, or a
    text) is NaN, which is no category.  The first step of a numeric-code column in
    :meth:`Encoding.transformer`."""
    return _floats(X, strict=False)


def fit_encoding(X: np.ndarray, columns: Sequence[str], categories: Mapping[str, list[str]],
                 imputer: str | None, source: str, codes: Sequence[str] = ()) -> Encoding | None:
    """The encoding learnt from training rows ``X`` (m, len(columns)) as read, or None
    when the columns go to the network as they are (no text, no imputation).

    Refuses (DataError naming the column) a text column with too many categories
    for one-hot inputs, and a column with no number to impute from.  ``codes``: the
    columns ``--categorical`` named (numbers read as categories)."""
    if not categories and imputer is None:
        return None
    m = X.shape[0]
    for column, values in categories.items():
        if not values:
            raise DataError("every cell of the text column is missing: no category to "
                            f"encode; leave it out with --drop {shlex.quote(column)}",
                            path=source, column=column)
    _refuse_decorated_numbers(categories, source)
    # Every such column at once: a table of names, tickets and cabins is one fix.
    free = [column for column, values in categories.items()
            if len(values) > MAX_CATEGORIES
            or (len(values) > FEW_CATEGORIES and len(values) > MAX_DISTINCT_SHARE * m)]
    coded = [column for column in free if column in codes]
    if coded:
        raise DataError(
            f"--categorical: the column holds {len(categories[coded[0]])} distinct numbers in "
            f"{m} rows: measurements rather than codes of a few categories; leave it out of "
            f"--categorical (one-hot takes at most {MAX_CATEGORIES} categories)",
            path=source, column=coded[0])
    if free:
        values = categories[free[0]]
        shown = ", ".join(repr(value) for value in values[:3])
        others = ", ".join(f"{column!r} ({len(categories[column])})" for column in free[1:])
        raise DataError(
            f"the column holds {len(values)} distinct texts in {m} rows ({shown}, ...): "
            "an id, a name or free text rather than categories"
            + (f", as do {others}" if others else "")
            + f"; leave {'them' if others else 'it'} out with "
            f"{list_option('--drop', free)}, or encode {'them' if others else 'it'} yourself "
            f"(one-hot takes at most {MAX_CATEGORIES} categories)",
            path=source, column=free[0])
    fill = {}
    if imputer is not None:
        for k, column in enumerate(columns):
            if column in categories:
                continue
            values = X[:, k][~np.isnan(X[:, k])]
            if values.size == 0:
                raise DataError("every cell of the column is missing: nothing to impute "
                                f"from; leave it out with --drop {shlex.quote(column)}",
                                path=source, column=column)
            if imputer == "median":
                fill[column] = float(np.median(values))
            else:  # scaled first: a sum of values near float64's limit would overflow
                largest = float(np.max(np.abs(values))) or 1.0
                fill[column] = float(np.mean(values / largest) * largest)
    return Encoding(list(columns), {k: list(v) for k, v in categories.items()}, fill, imputer)


def fit_on_rows(encoding: Encoding, X: np.ndarray, rows: np.ndarray,
                source: str) -> tuple[Encoding, np.ndarray]:
    """``encoding`` learnt again from the rows ``rows`` of ``X`` (m, len(columns)) as
    read, and ``X`` with its category codes renumbered for it (a copy).

    The categories are those the rows hold, in the order of ``encoding``; a category
    only the other rows hold becomes no category (no 1), as one never seen is in new
    rows; missing numbers are filled with the rows' mean or median.  So held-out rows
    (``train --test-size``) shape nothing of what the model is trained on."""
    X = np.array(X, dtype=np.float64)
    categories = {}
    for k, column in enumerate(encoding.columns):
        if column not in encoding.categories:
            continue
        known = encoding.categories[column]
        cells = X[:, k]
        with np.errstate(invalid="ignore"):
            coded = (cells >= 0) & (cells < len(known))  # NaN and -1: no category
        seen = np.unique(cells[rows][coded[rows]]).astype(np.intp)
        renumbered = np.full(len(known), np.nan)
        renumbered[seen] = np.arange(len(seen))
        cells[~coded] = np.nan
        cells[coded] = renumbered[cells[coded].astype(np.intp)]
        categories[column] = [known[code] for code in seen]
    refit = fit_encoding(X[rows], encoding.columns, categories, encoding.imputer, source)
    return refit or Encoding(list(encoding.columns), {}, {}, encoding.imputer), X


def _refuse_decorated_numbers(categories: Mapping[str, list[str]], source: str) -> None:
    """Refuse text columns of numbers written with a currency or percent sign or
    accounting parentheses ("$16.00", "45%", "(3)"), all such columns in one message:
    as categories they would lose their order, and a value not seen in training would
    be no category at all."""
    from .data import decorated_hint, decorated_numbers, finite_number

    found = {}
    for column, values in categories.items():
        decorated = decorated_numbers(values)
        plain = sum(not math.isnan(finite_number(value)) for value in values)
        if decorated and len(decorated) + plain >= 0.9 * len(values):
            found[column] = next(iter(decorated))
    if not found:
        return
    column, example = next(iter(found.items()))
    others = [name for name in found if name != column]
    raise DataError(
        f"the column holds numbers written as text, such as {example!r} (a number written "
        f"with {decorated_hint(example)})"
        + (f", as do {', '.join(map(repr, others))}" if others else "")
        + f"; write them as plain numbers, or leave {'them' if others else 'it'} out with "
        f"{list_option('--drop', found)}",
        path=source, column=column)
