"""The command line's work behind the options: data in, model files, predictions out.

:mod:`lucidnet.cli` parses options and prints; this module turns them into calls of
the public API -- :func:`lucidnet.data.read_table`, :func:`lucidnet.datasets.load`,
the scikit-learn estimators, :func:`lucidnet.io.save` / :func:`lucidnet.io.load_file`,
:func:`lucidnet.gradcheck` -- and returns plain dicts for the CLI to print.

The CLI's own decisions live here and nowhere else: how the task is inferred from a
target column, that features are standardized (mean 0, standard deviation 1, stored
in the model file as its input scaling), which rows are held out, and the metadata
a CLI model file carries.  It is private: import the public modules instead.
"""

from __future__ import annotations

import csv
import math
import os
import re
import shlex
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from . import _class_outputs
from .errors import DataError, DivergenceError, LucidnetError, ModelFileError

if TYPE_CHECKING:
    from ._encoding import Encoding

#: Exit status when stdout's reader stops early (| head), as a shell reports a writer
#: killed by SIGPIPE.
BROKEN_PIPE_STATUS = 141
#: Suffixes of formats other than delimited text, refused for the CSV a command writes
#: (a .json path holding CSV would mislead whatever reads it next).
OTHER_FORMAT_SUFFIXES = (".json", ".jsonl", ".ndjson", ".xlsx", ".xls", ".ods", ".feather",
                         ".arrow", ".h5", ".hdf5", ".pkl", ".pickle", ".xml", ".html")
#: Integer-valued numeric targets with at most this many distinct values (and fewer
#: than half as many as there are rows) are taken to be class labels.
MAX_INFERRED_CLASSES = 20
#: The pictures ``--plot DIR`` writes into DIR: the cost curves, and for
#: classification the confusion matrix (and, for two features, the decision boundary).
PLOT_FILES = ("loss.png", "confusion_matrix.png", "decision_boundary.png")


# ==================================================================== the data
@dataclass
class Labelled:
    """Features and targets read for training or scoring.

    Attributes
    ----------
    X : ndarray of shape (n_samples, n_features), float64
    y : ndarray of shape (n_samples,)
        Class labels (int64 or str) or regression values (float64).
    feature_names : list of str
    source : str
        The file or ``dataset:<name>`` the rows came from.
    target_name : str or None
    header : bool or None
        Whether a text file's first line was read as the column names (None for other
        sources), to find a row's line again for a message.
    columns : list of str or None
        Every column of the file, in file order, when some were left out (``--drop``):
        a model trained on numbered columns finds its features in new rows by them.
    layout : list of str or None
        Every column of a text or Parquet file, in file order: an error about new rows
        without a header can say at which index the target was.
    encoding : lucidnet._encoding.Encoding or None
        How the file's feature columns became ``X`` (one-hot text columns, filled-in
        missing numbers); ``feature_names`` are then the inputs' names.
    """

    X: np.ndarray
    y: np.ndarray
    feature_names: list[str]
    source: str
    target_name: str | None = None
    class_names: list[str] | None = None
    header: bool | None = None
    columns: list[str] | None = None
    layout: list[str] | None = None
    encoding: Encoding | None = None


def read_labelled(path: str, target: str | None, header: bool | None = None,
                  drop: Sequence[str] = (), *, one_hot: bool = False,
                  impute: str | None = None, categorical: Sequence[str] = ()) -> Labelled:
    """The rows of a data file with their target column (DataError when there is none).

    ``header``: whether a text file's first line names the columns (None: guess).
    ``drop``: columns left out of the features (``--drop``), by name or 0-based index.
    ``one_hot``: text feature columns become one-hot inputs, and so do the
    ``categorical`` ones (``--categorical``: numeric codes), by name or index;
    ``impute`` ("mean", "median"): missing numbers are filled in (see
    :mod:`lucidnet._encoding`)."""
    from ._encoding import fit_encoding
    from .data import read_table

    if target is None and not str(path).lower().endswith(".npz"):
        # Only an .npz file can carry its target (array 'y'); say which option is missing.
        raise DataError("--target COL is required: the target column's name or 0-based index",
                        path=path)
    _note_name_that_is_an_index(path, _target_argument(target), header)
    columns = features = None
    if drop:
        columns, features = _kept_columns(path, target, header, drop)
    text_columns = _categorical_columns(path, target, header, categorical, features)
    try:
        table = read_table(path, _target_argument(target), require_target=True, header=header,
                           features=features, categories="auto" if one_hot else None,
                           missing="error" if impute is None else "nan",
                           text_columns=text_columns)
    except DataError as exc:
        label = exc.column is not None and exc.column == _column_name(path, target, header)
        raise _with_remedy(exc, one_hot=one_hot, label=label, header=header) from None
    _print_header_note(table)
    _note_id_columns(path, table)
    layout = _layout(path, table)
    encoding = fit_encoding(table.features, table.feature_names, table.categories, impute,
                            path, codes=text_columns)
    if encoding is None:
        return Labelled(table.features, table.target, table.feature_names, path,
                        table.target_name, header=table.header, columns=columns, layout=layout)
    _note_encoding(path, table.features, encoding)
    return Labelled(encoding.expand(table.features), table.target, encoding.input_names, path,
                    table.target_name, header=table.header, columns=columns, layout=layout,
                    encoding=encoding)


def _layout(path: str, table: Any) -> list[str] | None:
    """Every column of a text or Parquet file, in file order, target included: kept in
    the model file, so that an error about new rows can say where the target was.  None
    for array files (an .npz target is an array of its own)."""
    from .data import column_names, names_columns

    if not names_columns(path):
        return None
    try:
        return column_names(path, table.header)
    except DataError:
        return None


#: A numeric column named so, holding a different whole number in every row, is
#: probably a row id: "id", "user_id", "PassengerId", or the row labels pandas writes
#: ("Unnamed: 0", "index").
_ID_NAME = re.compile(r"(.*[^A-Za-z])?(?i:id)([^A-Za-z].*)?|.*[a-z](Id|ID)|Unnamed: \d+|index")


def _note_id_columns(path: str, table: Any) -> None:
    """Say on stderr which numeric feature columns look like row ids: a different
    whole number in every row under an id's name.  An id would be learnt as if it
    meant something.  (Distinct whole numbers alone say nothing: a day count is one.)"""
    X = table.features
    if X.shape[0] < 20:
        return
    found = []
    for k, name in enumerate(table.feature_names):
        if name in table.categories or not _ID_NAME.fullmatch(name):
            continue  # the name first: a look at the values costs a sort
        values = X[:, k]
        if not np.all(np.isfinite(values)) or not np.array_equal(values, np.round(values)):
            continue
        if np.unique(values).size == values.size:
            found.append(name)
    if found:
        print(f"note: {path}: {', '.join(map(repr, found))} hold{'s' * (len(found) == 1)} a "
              "different whole number in every row (an id?); if so, leave "
              f"{'it' if len(found) == 1 else 'them'} out with --drop "
              f"{shlex.quote(','.join(found))}", file=sys.stderr)


def _column_name(path: str, column: str | None, header: bool | None) -> str | None:
    """The name of DATA's ``column`` given by name or 0-based index (None if unknown)."""
    from .data import _resolve_target, column_names

    if column is None:
        return None
    try:
        names = column_names(path, header)
        return names[_resolve_target(_target_argument(column), names, path)]
    except (DataError, IndexError):
        return None


def _with_remedy(exc: DataError, *, one_hot: bool, label: bool = False,
                 header: bool | None = None) -> DataError:
    """``exc`` with the training option that would take the cell it names, if any
    (``label``: the cell is in the target column; ``header`` as the file was read)."""
    from .data import TEXT_IN_NUMBERS_HINT

    remedy = None
    if exc.message.startswith("missing value") and label:
        remedy = ("every row needs its label to train on: remove the rows without one "
                  "(--impute fills in features only)")
    elif exc.message.startswith("missing value") and _all_missing(exc, header):
        remedy = (f"every cell of the column is missing: leave it out with --drop "
                  f"{shlex.quote(str(exc.column))}")
    elif exc.message.startswith("missing value"):
        remedy = "pass --impute mean (or median) to fill in missing numbers"
    elif TEXT_IN_NUMBERS_HINT in exc.message and one_hot:
        # One-hot takes text columns: this word is among numbers (a typo, a note).
        message = exc.message.replace(
            TEXT_IN_NUMBERS_HINT, "the column is mostly numbers, so it is read as numbers; "
            "a column of text categories would be one-hot encoded"
            + ("" if exc.column is None else
               f"; --drop {shlex.quote(exc.column)} leaves it out"))
        return _amended(exc, message)
    elif exc.message.startswith("expected a numeric column") and exc.column is not None:
        # A Parquet column of dates or nulls: no number, no category.
        remedy = f"leave it out with --drop {shlex.quote(exc.column)}"
    return exc if remedy is None else _amended(exc, f"{exc.message}; {remedy}")


def _all_missing(exc: DataError, header: bool | None) -> bool:
    """Whether every cell of the column ``exc`` names (in the file it names) is missing
    (read again, on the way to an error)."""
    from .data import read_table

    if exc.column is None or exc.path is None:
        return False
    try:
        column = read_table(exc.path, header=header, features=[exc.column], missing="nan")
    except DataError:
        return False
    return bool(np.isnan(column.features).all())


def _amended(exc: DataError, message: str) -> DataError:
    """``exc`` with another message, at the same file, line and column."""
    return DataError(message, path=exc.path, line=exc.line, column=exc.column, note=exc.note)


def _note_encoding(path: str, X: np.ndarray, encoding: Encoding) -> None:
    """Say on stderr which columns were one-hot encoded and how many cells of ``X``
    (m, len(encoding.columns)) as read were filled in."""
    if encoding.categories:
        shown = ", ".join(f"{column!r} ({len(values)} categor{'y' if len(values) == 1 else 'ies'})"
                          for column, values in encoding.categories.items())
        print(f"note: {path}: one-hot encoded columns: {shown}", file=sys.stderr)
        constant = [column for k, column in enumerate(encoding.columns)
                    if len(encoding.categories.get(column, ())) == 1 and np.all(X[:, k] == 0)]
        if constant:
            import shlex

            one = len(constant) == 1
            print(f"note: {path}: {', '.join(map(repr, constant))} hold{'s' if one else ''} "
                  "the same text in every row: an input that teaches nothing; leave "
                  f"{'it' if one else 'them'} out with --drop "
                  f"{shlex.quote(','.join(constant))}", file=sys.stderr)
    filled = {column: int(np.isnan(X[:, k]).sum()) for k, column in enumerate(encoding.columns)
              if column in encoding.fill and np.isnan(X[:, k]).any()}
    if filled:
        shown = ", ".join(f"{count} in {column!r}" for column, count in filled.items())
        print(f"note: {path}: missing numbers filled in with the column {encoding.imputer}: "
              f"{shown}", file=sys.stderr)


def _column_named(item: str, columns: Sequence[str], option: str, path: str) -> str:
    """The column ``item`` names: a name or, when no column has that name, a 0-based
    index (as ``--target``); an unknown one is an error naming ``option`` and the
    file's columns."""
    import difflib

    from .data import is_column_index

    n = len(columns)
    if item in columns:
        return item
    if is_column_index(item) and -n <= int(item) < n:
        return columns[int(item)]
    close = difflib.get_close_matches(item, columns, n=1)
    hint = f"did you mean {close[0]!r}? " if close else ""
    shown = ", ".join(repr(name) for name in columns[:10]) + (", ..." if n > 10 else "")
    raise DataError(f"{option}: no column {item!r}; {hint}the file's columns are {shown}",
                    path=path)


def _categorical_columns(path: str, target: str | None, header: bool | None,
                         categorical: Sequence[str], features: Sequence[str] | None
                         ) -> list[str]:
    """The feature columns ``--categorical`` names (DataError for the target, a column
    --drop leaves out, or an array file, which holds numbers only)."""
    from .data import _resolve_target, column_names, names_columns

    if not categorical:
        return []
    if not names_columns(path):
        raise DataError("--categorical reads columns as text categories, which only text "
                        "and Parquet files hold; encode an array file's codes yourself",
                        path=path)
    columns = column_names(path, header)
    if not columns:
        return []  # an empty file: read_table says so
    names = [_column_named(item, columns, "--categorical", path) for item in categorical]
    t = _resolve_target(_target_argument(target), columns, path)
    for name in names:
        if t is not None and name == columns[t]:
            raise DataError(f"--categorical: column {name!r} is the target (--target); a "
                            "classifier's labels are categories already (--output multiclass)",
                            path=path)
        if features is not None and name not in features:
            raise DataError(f"--categorical: column {name!r} is left out by --drop",
                            path=path)
    return names


def _kept_columns(path: str, target: str | None, header: bool | None,
                  drop: Sequence[str]) -> tuple[list[str], list[str]]:
    """(every column, the feature columns) of DATA with the ``--drop`` columns left out.

    Each dropped column is a name or, when no column has that name, a 0-based index
    (as ``--target``); an unknown one is an error naming the file's columns."""
    from .data import _resolve_target, column_names

    columns = column_names(path, header)
    dropped = [_column_named(item, columns, "--drop", path) for item in drop]
    t = _resolve_target(_target_argument(target), columns, path)
    target_name = None if t is None else columns[t]
    if target_name in dropped:
        raise DataError(f"--drop: column {target_name!r} is the target (--target); it is "
                        "never a feature anyway", path=path)
    features = [name for name in columns if name != target_name and name not in dropped]
    if not features:
        raise DataError("--drop leaves no feature column", path=path)
    return columns, features


def _print_header_note(table: Any) -> None:
    """Say on stderr how an unclear first line was read (the row count depends on it)."""
    if table.header_note:
        from ._cli_report import command_line_words

        print(f"note: {table.source}: {command_line_words(table.header_note)}", file=sys.stderr)


def load_dataset(name: str, seed: int) -> Labelled:
    """A built-in data set, its labels as class indices with their names kept aside."""
    from .datasets import load

    data = load(name, random_state=seed)
    return Labelled(data.X, data.y, list(data.feature_names), f"dataset:{name}", "target",
                    data.target_names)


def _note_name_that_is_an_index(path: str, target: str | None, header: bool | None) -> None:
    """Say on stderr when ``--target`` names a column that is not the column at that
    index (a header of numbers: ``--target 3`` is the column named "3", wherever it is)."""
    from .data import column_names, is_column_index, names_columns

    # Array files name their columns "0", "1", ...: a name there is its own index.
    named = names_columns(path)
    if target is None or not named or not is_column_index(target):
        return
    try:
        names = column_names(path, header)
    except DataError:
        return  # reading the file will say what is wrong
    index = int(target)
    if target not in names or not -len(names) <= index < len(names) or names[index] == target:
        return
    print(f"note: {path}: --target {target} is the column named {target!r} (index "
          f"{names.index(target)}); for the column at index {index}, pass its name: "
          f"--target {shlex.quote(names[index])}", file=sys.stderr)


def _target_argument(target: str | None) -> str | None:
    # read_table resolves names first, then digit strings as 0-based indices.
    return None if target is None else str(target)


def check_numbers_target(data: Labelled, requested: str) -> None:
    """Name the first text cell of a target column of numbers with a few text cells.

    A typo or a note ("high", "n/a ") among a regression target's numbers makes the
    whole column text, which would be read as hundreds of classes (or refused by
    ``--output regression`` with a message quoting a number).  Raised when
    ``--output regression`` was asked for, or when the cells that are numbers, at
    least nine in ten, would make a regression target by themselves.
    """
    y = data.y
    if y.dtype.kind in "biuf" or requested in ("binary", "multiclass"):
        return
    # Per distinct cell: text labels are few, however many rows hold them.
    cells, rows_of = np.unique(y, return_inverse=True)
    from .data import finite_number

    numbers = np.array([finite_number(cell) for cell in cells.tolist()])
    _check_separated_numbers(data, cells, numbers, requested)
    if np.isnan(numbers).all():
        return  # text labels
    values = numbers[rows_of.reshape(-1)]
    text = np.flatnonzero(np.isnan(values))
    if text.size == 0:
        return  # numbers stored as text (a Parquet string column): read as labels
    if requested == "auto" and (
        len(text) > len(y) / 10
        or infer_task(values[~np.isnan(values)], "auto", data.source) != "regression"
    ):
        return
    row = int(text[0])
    line, where = _row_place(data.source, row, data.header)
    others = f" and {len(text) - 1} other cell(s)" if len(text) > 1 else ""
    raise DataError(
        f"{where}the target column holds numbers but {str(y[row])!r}{others}; fix or "
        "remove such rows, or pass --output multiclass if the values are class labels",
        path=data.source, line=line, column=data.target_name)


def _check_separated_numbers(data: Labelled, cells: np.ndarray, numbers: np.ndarray,
                             requested: str) -> None:
    """Refuse a target of numbers written with separators, a decimal comma, a currency
    or percent sign or accounting parentheses, maybe among plain ones (``numbers``:
    each distinct cell's value, NaN for text): read as text they would be hundreds of
    classes, or refused by --output regression."""
    from .data import decorated_numbers, separator_readings

    decorated = decorated_numbers([cell.strip() for cell in cells.tolist()])

    def written(cell: str) -> bool:
        return bool(separator_readings(cell)) or cell in decorated

    count = sum(written(cell.strip()) for cell in cells.tolist())
    numeric = count + int(np.count_nonzero(~np.isnan(numbers)))
    many = len(cells) > MAX_INFERRED_CLASSES or requested == "regression"
    if not count or not many or numeric < 0.9 * len(cells):
        return
    row = next(i for i, cell in enumerate(data.y.tolist()) if written(cell.strip()))
    line, where = _row_place(data.source, row, data.header)
    cell = str(data.y[row]).strip()
    if cell in decorated:
        how, readings = decorated[cell]
        plain = readings[0] + (f", or {readings[1]} as a fraction" if len(readings) > 1 else "")
    else:
        how, readings = "separators or a decimal comma", separator_readings(cell)
        if len(readings) == 2:  # "52,765" may be either; "0,376" and "13,90" not
            readings[1] += " if the comma is a decimal point"
        plain = ", or ".join(readings)
    raise DataError(f"{where}the target column holds numbers written with {how}, such as "
                    f"{cell!r}: write them as plain numbers ({plain}), or pass --output "
                    "multiclass if they are class labels", path=data.source, line=line,
                    column=data.target_name)


def _note_labels_apart_by_case(data: Labelled) -> None:
    """Say on stderr which text labels differ only in case ("Yes", "yes"): they are
    different classes, as the file spells them, which is seldom what was meant."""
    if data.y.dtype.kind not in "OUS":
        return
    spellings: dict[str, list[str]] = {}
    for label in np.unique(data.y).tolist():
        spellings.setdefault(str(label).casefold(), []).append(str(label))
    alike = [names for names in spellings.values() if len(names) > 1]
    if alike:
        shown = "; ".join(" and ".join(map(repr, names)) for names in alike[:3])
        print(f"note: {data.source}: labels that differ only in case are different classes: "
              f"{shown}{'; ...' if len(alike) > 3 else ''}", file=sys.stderr)


def infer_task(y: np.ndarray, requested: str, source: str) -> str:
    """``"binary"``, ``"multiclass"`` or ``"regression"`` for the target ``y`` (n_samples,).

    Text labels, or integers with few distinct values, mean classification (binary
    with two classes); other numbers mean regression.  ``requested`` (the
    ``--output`` option) wins unless it contradicts the data.
    """
    n_classes = len(np.unique(y))
    numeric = y.dtype.kind in "biuf"
    if requested == "auto":
        few = n_classes <= MAX_INFERRED_CLASSES and n_classes < max(len(y) / 2, 3)
        if not numeric and not few and n_classes > len(y) / 2:
            from .data import finite_number

            stored = all(not math.isnan(finite_number(str(label))) for label in y[:100])
            what = ("numbers stored as text? store them as numbers for regression"
                    if stored else "a column of ids, names or free text?")
            raise DataError(
                f"the target of {source} holds {n_classes} distinct labels in {len(y)} rows, "
                f"more than one for every two rows: no classes to learn ({what}); pass "
                "--output multiclass to train on them anyway"
            )
        if not numeric or (few and np.array_equal(y, np.round(y))):
            return "binary" if n_classes == 2 else "multiclass"
        return "regression"
    if requested == "regression" and not numeric:
        raise DataError(
            f"--output regression needs a numeric target; the target of {source} holds "
            f"text labels such as {str(y[0])!r}"
        )
    if requested in ("binary", "multiclass") and n_classes < 2:
        raise DataError(
            f"--output {requested} needs at least 2 classes in the target of {source}; "
            f"got {n_classes}"
        )
    if requested == "binary" and n_classes != 2:
        other = ("multiclass" if not numeric or np.array_equal(y, np.round(y))
                 else "regression")
        raise DataError(
            f"--output binary needs exactly 2 classes in the target of {source}; "
            f"got {n_classes} (use --output {other})"
        )
    return requested


def _note_float32_resolution(data: Labelled) -> None:
    """Say on stderr when float32 predictions would step coarsely next to the target's
    spread: values near 1e6 are float32 numbers 0.0625 apart, 6% of a spread of 1."""
    y = np.asarray(data.y, dtype=np.float64)
    step = float(np.spacing(np.float32(np.max(np.abs(y)))))
    spread = float(np.std(y))
    # Coarser steps than FLOAT32_TARGET_STEP are refused (check_target_precision).
    if spread > 0 and 1e-3 * spread < step <= FLOAT32_TARGET_STEP * spread:
        print(f"note: {data.source}: the target's values are float32 numbers {step:g} apart "
              f"near {np.max(np.abs(y)):g}, {100 * step / spread:.2g}% of its spread "
              f"({spread:.3g}): predictions come in such steps; --dtype float64 computes "
              "finer (or subtract the offset from the target)", file=sys.stderr)


def _note_whole_number_task(data: Labelled, task: str) -> None:
    """Say on stderr how a file's target of whole numbers was read when it could be
    either (class codes, or counts and ratings): three or more distinct values.
    Built-in sets and text labels say what they are."""
    y = data.y
    if data.source.startswith("dataset:") or y.dtype.kind not in "biuf":
        return
    values = np.unique(y)
    if len(values) < 3 or not np.array_equal(values, np.round(values)):
        return
    shown = ", ".join(f"{v:g}" for v in values[:4]) + (", ..." if len(values) > 4 else "")
    what = f"the target {data.target_name!r}" if data.target_name else "the target"
    if task == "regression":
        if len(values) > MAX_INFERRED_CLASSES:
            return  # many values: a quantity
        read = ("too few rows per value for classes, so read as a number (regression); "
                "pass --output multiclass to classify")
    else:
        read = (f"read as {len(values)} classes; pass --output regression to predict it "
                "as a number (counts, ratings)")
    print(f"note: {data.source}: {what} holds {len(values)} distinct whole numbers "
          f"({shown}) in {len(y)} rows: {read}", file=sys.stderr)


def as_labels(y: np.ndarray) -> np.ndarray:
    """Class labels as the user wrote them: whole-number floats become int64, other
    numbers (classes by ``--output binary``/``multiclass``, such as 0.0507 and -0.0446)
    their shortest text, which new rows' numbers match by value."""
    if y.dtype.kind == "f":
        if np.array_equal(y, np.round(y)):
            return y.astype(np.int64)
        return np.array([repr(value) for value in y.tolist()])
    return y


def standardization(X: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per-feature mean and scale of ``X`` (n_samples, n_features); constant columns get 1.

    Taken on each column divided by its largest magnitude and scaled back: squaring
    values above about 1e154 overflows float64, and their plain standard deviation
    would be infinite."""
    largest = np.abs(X).max(axis=0)
    largest[largest == 0] = 1.0
    unit = X / largest
    mean = unit.mean(axis=0) * largest
    scale = unit.std(axis=0) * largest
    # A constant feature carries no information; dividing by 1 keeps it at 0.
    scale[scale == 0] = 1.0
    return mean, scale


def check_range(X: np.ndarray, dtype: Any, source: str, names: Sequence[str], remedy: str,
                *, raw: np.ndarray | None = None, header: bool | None = None) -> None:
    """Refuse a value of ``X`` (float64, the file's rows in order) that ``dtype`` cannot
    hold, naming its line (or row) and column, instead of letting it become infinity
    (and a vague error) later.

    ``raw``: the values as read, when ``X`` is them standardized (the message shows both).
    ``header``: whether ``source``'s first line was read as the header (:attr:`Table.header`),
    to find the row's line.
    """
    largest = float(np.finfo(dtype).max)
    too_large = ~(np.abs(X) <= largest)
    if too_large.any():
        i, j = (int(k) for k in np.argwhere(too_large)[0])
        value = (f"{X[i, j]:g}" if raw is None else
                 f"{raw[i, j]:g}, standardized {X[i, j]:g},")
        line, where = _row_place(source, i, header)
        raise DataError(
            f"{where}{value} is beyond the largest {np.dtype(dtype)} ({largest:.4g}); {remedy}",
            path=source, line=line, column=names[j] if j < len(names) else str(j),
        )


#: A float32 model refuses a target whose float32 steps at its largest size exceed this
#: share of its spread (standard deviation).  The R^2 the steps cost is about
#: (step / spread)^2 / 15 (targets of 1.7e9, float32 steps of 128, spreads of 10 to
#: 3000): under 1e-3 here, while a spread of 10 loses all of it.
FLOAT32_TARGET_STEP = 0.1


def check_target_precision(y: np.ndarray, dtype: Any, source: str, name: str | None) -> None:
    """Refuse a regression target (float64, shape (m,) or (m, k)) that ``dtype`` cannot
    resolve: the model predicts in the target's units in its dtype, so a float32 model
    of values like 1.7e9 +- 10 (float32 steps of 128 there) predicts one constant."""
    if np.dtype(dtype) != np.float32:
        return
    columns = y.reshape(len(y), -1)
    largest = np.abs(columns).max(axis=0)
    spread = columns.std(axis=0)
    step = np.spacing(largest.astype(np.float32)).astype(np.float64)
    coarse = np.flatnonzero((step > FLOAT32_TARGET_STEP * spread) & (spread > 0))
    if coarse.size:
        j = int(coarse[0])
        raise DataError(
            f"the target's values reach {largest[j]:.7g} but spread only {spread[j]:.3g} "
            f"(standard deviation): float32 tells values that size apart only in steps "
            f"of {step[j]:.3g}; pass --dtype float64", path=source, column=name)


def _row_place(source: str, row: int, header: bool | None) -> tuple[int | None, str]:
    """``(line, "")`` for data row ``row`` (0-based) of a text file, else ``(None, "data
    row N: ")``: where a message about the row should point."""
    from .data import row_line

    line = row_line(source, row, header)  # None for array files and built-in data sets
    return line, "" if line is not None else f"data row {row + 1}: "


def split(
    X: np.ndarray, y: np.ndarray, fraction: float, seed: int, stratify: bool
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Hold out ``fraction`` of the rows (stratified by class for classification)."""
    from sklearn.model_selection import train_test_split

    try:
        return train_test_split(
            X, y, test_size=fraction, random_state=seed, stratify=y if stratify else None
        )
    except ValueError:
        if not stratify:
            raise
        # Too few examples of some class to stratify: an unstratified split still works.
        return train_test_split(X, y, test_size=fraction, random_state=seed)


# ================================================================ the model file
@dataclass
class Bundle:
    """A model (file) with what the CLI needs to use it on raw rows.

    The network's outputs are read as labels or values here, as the estimators read
    them (:mod:`lucidnet._class_outputs`), so predicting needs no scikit-learn.

    Attributes
    ----------
    network : Network
        The network (of the estimator, for an estimator file).
    kind : {"network", "classifier", "regressor"}
    task : {"binary", "multiclass", "regression"}
    classes : ndarray of shape (n_classes,) or None
    input_scaling : lucidnet.io.InputScaling or None
    feature_names : list of str or None
    """

    path: str
    network: Any
    kind: str
    task: str
    classes: np.ndarray | None
    input_scaling: Any
    feature_names: list[str] | None
    metadata: dict[str, Any] = field(default_factory=dict)
    training: dict[str, Any] = field(default_factory=dict)
    library_version: str = ""
    format_version: int | None = None
    #: How the file's columns become the network's inputs (lucidnet._encoding), if
    #: training encoded them; ``feature_names`` are then the file's columns.
    encoding: Encoding | None = None
    # (X, outputs) of the last outputs() call: the rows are checked, then predicted.
    _last_outputs: tuple[Any, np.ndarray] | None = field(default=None, init=False,
                                                         repr=False, compare=False)

    @property
    def n_features(self) -> int:
        """The feature columns the model reads from a file (before any encoding)."""
        if self.encoding is not None:
            return len(self.encoding.columns)
        return self.network.layer_sizes[0]

    def outputs(self, X: np.ndarray) -> np.ndarray:
        """The network's outputs, shape (m, n_outputs), for raw features X (m,
        n_features): float64 for an estimator (as its predictions are), the network's
        dtype for a network file (as its own); kept for the same X object's next call."""
        if self._last_outputs is not None and self._last_outputs[0] is X:
            return self._last_outputs[1]
        with np.errstate(all="ignore"):  # non-finite outputs: see check_outputs
            A = self.network.output(self.transform(X).astype(self.network.dtype))
        if self.kind != "network":
            A = A.astype(np.float64, copy=False)
        self._last_outputs = (X, A)
        return A

    def transform(self, X: np.ndarray) -> np.ndarray:
        """The network's inputs for raw features (m, n_features): encoded (one-hot
        columns, filled-in numbers) and scaled, as in training."""
        if self.encoding is not None:
            X = self.encoding.expand(X)
        return X if self.input_scaling is None else self.input_scaling.transform(X)

    def check_outputs(self, X: np.ndarray, source: str, header: bool | None = None) -> None:
        """Refuse rows whose network output is not finite (inputs far beyond the training
        data overflow inside the network): their label or value would be garbage."""
        bad = ~np.isfinite(self.outputs(X)).all(axis=1)
        if bad.any():
            line, where = _row_place(source, int(np.flatnonzero(bad)[0]), header)
            raise DataError(
                f"{where}the model's output overflows (the features are far beyond what it "
                f"was trained on); {int(bad.sum())} such row(s)", path=source, line=line)

    def predict(self, X: np.ndarray) -> np.ndarray:
        """Labels (classification) or values (regression) of shape (m,) for raw features
        (a regression model of several outputs: (m, n_outputs))."""
        A = self.outputs(X)
        if self.task == "regression":
            return A[:, 0] if A.shape[1] == 1 else A
        classes = self.classes if self.classes is not None else np.array(self.class_labels())
        return _class_outputs.labels(A, self.task, classes)

    def predict_proba(self, X: np.ndarray) -> np.ndarray:
        """Class probabilities of shape (m, n_classes), columns in the order of ``classes``."""
        if self.task == "regression":
            raise ValueError(
                f"--proba needs a classifier; {self.path} holds a regression model"
            )
        A = self.outputs(X)
        if self.kind == "network" and self.task == "multiclass":
            return A  # the network's softmax, as Network.predict_proba gives it
        return _class_outputs.probabilities(A, self.task)

    def predict_columns(self, X: np.ndarray, *, proba: bool) -> tuple[list[str], np.ndarray]:
        """Header and values of the prediction CSV."""
        if proba:
            return [f"proba_{label}" for label in self.class_labels()], self.predict_proba(X)
        from .data import is_column_index

        name = self.metadata.get("target_name") or "prediction"
        if is_column_index(str(name)) and not _named_features(self):
            name = "prediction"  # the target's column number in a file without a header
        predicted = self.predict(X)
        if self.task == "regression" and self.network.dtype == np.float32:
            # Computed in float32 and widened exactly: written with float32's shortest
            # digits (197.7222, not 197.72219848632812).  Probabilities keep float64's:
            # a binary model's 1 - p is not always a float32 value.
            predicted = predicted.astype(np.float32)
        if predicted.ndim == 2:  # a model of several outputs (saved from Python)
            return [f"{name}_{j}" for j in range(predicted.shape[1])], predicted
        return [str(name)], predicted

    def class_labels(self) -> list:
        if self.classes is not None:
            return list(self.classes.tolist())
        n_out = self.network.layer_sizes[-1]
        return [0, 1] if n_out == 1 else list(range(n_out))

    def evaluate(self, X: np.ndarray, y: np.ndarray, *, source: str,
                 header: bool | None = None) -> dict[str, Any]:
        """Metrics of the predictions for raw features ``X`` against targets ``y`` (m,).

        ``source`` (the file ``y`` came from) and ``header`` (whether its first line
        was read as column names) place a bad target cell on its line."""
        from ._cli_report import classification_metrics, regression_metrics

        predicted = self.predict(X)
        if self.task == "regression":
            if y.dtype.kind not in "biuf":
                from .data import finite_number

                row = next((i for i, cell in enumerate(y.tolist())
                            if math.isnan(finite_number(cell))), 0)
                line, where = _row_place(source, row, header)
                raise DataError(
                    f"{where}the target column must hold numbers for a regression model; "
                    f"got {str(y[row])!r}", path=source, line=line)
            return regression_metrics(y, predicted)
        y = _match_label_type(as_labels(y), self.class_labels(), source)
        present = np.unique(y).tolist()
        if not set(present) & set(self.class_labels()):
            shown = ", ".join(map(str, present[:5])) + (", ..." if len(present) > 5 else "")
            raise DataError(
                f"none of the target column's values ({shown}) is one of the model's "
                f"classes ({', '.join(map(str, self.class_labels()))}); is --target the "
                "labels' column?", path=source,
            )
        labels = list(dict.fromkeys([*self.class_labels(), *present]))
        metrics = classification_metrics(y, predicted, labels)
        unseen = labels[len(self.class_labels()):]
        if unseen:
            # Rows of a class the model never saw are always wrong; say why.
            metrics["unseen_labels"] = list(unseen)  # as in "labels": 7, not "7"
        present = set(np.unique(y).tolist())
        absent = [label for label in self.class_labels() if label not in present]
        if absent:
            # Their recall is 0/0, counted as 0 (scikit-learn's zero_division=0): the
            # macro averages fall although no row of theirs was misclassified.
            metrics["absent_labels"] = absent
        return metrics

    def describe(self) -> dict[str, Any]:
        """Everything ``lucidnet info`` shows, as plain data."""
        network = self.network
        return {
            "file": self.path,
            "kind": self.kind,
            "task": self.task,
            "layer_sizes": network.layer_sizes,
            "activations": [layer.activation.name for layer in network.layers],
            "loss": network.loss.name,
            "parameters": int(network.n_params),
            "dtype": network.dtype.name,
            "classes": None if self.classes is None else self.classes.tolist(),
            "features": self.feature_names,
            "input_scaling": "standardized" if self.input_scaling is not None else "none",
            **({} if self.encoding is None else self.encoding.describe()),
            "target": self.metadata.get("target_name"),
            "format_version": self.format_version,
            "library_version": self.library_version,
            "training": self.training,
            "summary": network.summary(),
        }


def _match_label_type(y: np.ndarray, classes: list, source: str) -> np.ndarray:
    """Compare text labels with a model's numeric classes (and back) by their text."""
    if not classes:
        return y
    text_model = isinstance(classes[0], str)
    if text_model:
        # The model's classes are text (its training column held words too); the file's
        # labels may read as numbers, or as text written differently ("1" for "1.0"):
        # match numbers by value.
        by_value: dict[float, str] = {}
        for label in classes:
            try:
                by_value.setdefault(float(label), label)
            except ValueError:
                pass
        known = set(classes)

        def match(value: Any) -> str:
            if isinstance(value, str) and value in known:
                return value
            try:
                return by_value.get(float(value), str(value))
            except ValueError:
                return str(value)

        return np.array([match(v) for v in y.tolist()])
    if y.dtype.kind == "U" and set(np.unique(y).tolist()) <= {"False", "True"} and (
            set(classes) <= {0, 1}):
        # Booleans read as text; a model trained before they were (Parquet: 0 and 1).
        return (y == "True").astype(np.float64)
    if y.dtype.kind == "U":
        from .data import _is_number

        text = next((v for v in y.tolist() if not _is_number(v)), y[0])
        raise DataError(
            f"the target column holds text labels such as {str(text)!r}, but the model's "
            f"classes are numbers {classes[:5]}", path=source,
        )
    return y


def _task_of(kind: str, network: Any, metadata: dict, path: str) -> str:
    """How the command line reads the model's outputs: from its output layer (which
    a classifier file's classes were checked against when it was read).  A network
    file's metadata may say "regression" (a sigmoid output read as values); a task
    its output layer cannot give is an error, not a guess."""
    output, n_out = network.layers[-1].activation.name, network.layer_sizes[-1]
    if kind == "regressor":
        return "regression"
    if output == "sigmoid" and n_out > 1 and network.classifies:
        raise DataError("multilabel models (several sigmoid outputs) are not supported by the "
                        "command line; use the model from Python")
    natural = ({"sigmoid": "binary", "softmax": "multiclass"}.get(output, "regression")
               if network.classifies else "regression")
    stated = metadata.get("task") if kind == "network" else None
    if stated not in ("binary", "multiclass", "regression"):
        return natural  # none, or the caller's own words (metadata is free)
    if stated in (natural, "regression"):
        return stated
    raise ModelFileError(f"{path}: its metadata says task {stated!r}, which its output layer "
                         f"({n_out} {output} unit{'s' if n_out > 1 else ''}) does not give")


def _names(value: Any) -> list[str] | None:
    """Feature names from a file's metadata, when they are a list of str."""
    if isinstance(value, list) and all(isinstance(name, str) for name in value):
        return value
    return None


def load_bundle(path: str, *, with_data: bool = True) -> Bundle:
    """Read a model file (any the library writes) for the CLI; ModelFileError if bad.

    ``with_data``: the command also takes a DATA argument (a data file given as the
    model then gets a hint about the order)."""
    from .data import names_columns
    from .io import load_file

    try:
        loaded = load_file(path, estimator=False)
    except ModelFileError as exc:
        if names_columns(path):
            order = "MODEL comes first, then DATA" if with_data else "give a model file"
            raise ModelFileError(f"{exc} (a data file? {order})") from None
        raise
    classes = None if loaded.classes is None else np.asarray(loaded.classes)
    encoding = None
    if loaded.metadata.get("encoding") is not None:
        from ._encoding import Encoding

        try:
            encoding = Encoding.from_json(loaded.metadata["encoding"],
                                          loaded.model.layer_sizes[0])
        except ValueError as exc:
            raise ModelFileError(f"{path}: metadata encoding: {exc}") from None
    return Bundle(
        path=path,
        network=loaded.model,
        kind=loaded.kind,
        task=_task_of(loaded.kind, loaded.model, loaded.metadata, path),
        classes=classes,
        input_scaling=loaded.input_scaling,
        feature_names=(list(encoding.columns) if encoding is not None else
                       loaded.feature_names or _names(loaded.metadata.get("feature_names"))),
        metadata=loaded.metadata,
        training=loaded.training,
        library_version=loaded.library_version,
        format_version=loaded.header.get("format_version"),
        encoding=encoding,
    )


#: Said of a word in a column the model reads as numbers.
TRAINED_ON_NUMBERS = "the model was trained on numbers in this column"


def _with_label_column_hint(exc: DataError, bundle: Bundle, path: str, target: str | None,
                            header: bool | None) -> DataError:
    """``exc``, and when DATA has more columns than the model takes and no --target was
    given, the likely cause: one holds the labels (text in a feature), with the index
    the target had in the training file when the widths agree."""
    from .data import _list_names

    if target is not None or exc.line is None:
        return exc
    n_columns = _column_count(path, header)
    if n_columns is None or n_columns <= bundle.n_features:
        return exc
    # Without the note on the first line: the extra column, not the header, is the cause.
    advice = (": if one holds the labels, pass --target COL to leave it out"
              if n_columns == bundle.n_features + 1 else
              ": give the model's columns only (--target COL leaves out the labels' one)")
    layout = _names(bundle.metadata.get("file_columns"))
    trained_on = bundle.metadata.get("target_name")
    if layout and trained_on in layout and len(layout) == n_columns:
        # Said, not guessed: an id column before the features makes the same width.
        advice += (f" (in the training file's layout, {_list_names(layout, 6)}, the target "
                   f"{trained_on!r} was column {layout.index(trained_on)}: --target "
                   f"{layout.index(trained_on)})")
    return DataError(
        f"{exc.message}; DATA has {n_columns} columns and the model takes "
        f"{bundle.n_features}{advice}", path=exc.path, line=exc.line, column=exc.column)


def _column_count(path: str, header: bool | None) -> int | None:
    """How many columns DATA has (None when they cannot be read: the reader says why)."""
    from .data import column_names

    try:
        return len(column_names(path, header))
    except DataError:
        return None


def _note_columns_by_position(bundle: Bundle, table: Any, path: str) -> None:
    """Say on stderr that DATA's column names go unused: the model was trained on
    numbered columns (a file without a header, an array file), so a header's names
    cannot be matched and its columns are taken in the training order."""
    from .data import PARQUET_SUFFIXES, file_format

    named = table.header is True or file_format(path) in PARQUET_SUFFIXES
    if not (named and bundle.feature_names and not _named_features(bundle)):
        return
    shown = ", ".join(repr(name) for name in table.feature_names[:5])
    shown += ", ..." if table.n_features > 5 else ""
    print(f"note: {path}: the model was trained on columns without names, so these are "
          f"taken by position, in the training order: {shown}", file=sys.stderr)


def _named_features(bundle: Bundle) -> bool:
    """Whether the model's features have names to find in DATA: not none, and not the
    column numbers a file without a header (or an array file) gives, "0", "1", ... in
    order with at most the target's number left out ("1" there may be any column).
    A model file says which (``named_columns``); for older files, and built-in data
    sets, it is guessed: numbers such as years ("2019", "2020") are names."""
    from .data import is_column_index

    names = bundle.feature_names
    if not names:
        return False
    named = bundle.metadata.get("named_columns")
    if isinstance(named, bool):
        return named  # as the model file says; older files: the guess below
    if not all(is_column_index(name) for name in names):
        return True
    numbers = [int(name) for name in names]
    positions = all(a < b for a, b in zip(numbers, numbers[1:], strict=False)) and (
        0 <= numbers[0] and numbers[-1] <= len(numbers))
    return not positions


def _features_by_name(bundle: Bundle, path: str, target: str | None,
                      columns: list[str] | None) -> list[str] | None:
    """The model's feature names when DATA's header holds every one of them but not as
    its only columns in the training order (other columns such as an id, or another
    order): they are then read by name, and a note on stderr says what was left out.
    None (read by position) when the columns are just those, when DATA has no header,
    and for a model whose feature names are numbers (trained without a header: "1"
    there may be any column).  A header that lacks some of the names is an error
    naming them.  ``columns``: DATA's column names (None when they could not be read:
    read_table words that error)."""
    from .data import _resolve_target, is_column_index

    names = bundle.feature_names
    if columns is None or not _named_features(bundle):
        return None
    if columns == [str(j) for j in range(len(columns))]:
        return None  # no header: by position
    _resolve_target(target, columns, path)  # an unknown --target: that error, no note first
    if target is not None and target not in columns and is_column_index(target):
        index = int(target)
        target = columns[index] if -len(columns) <= index < len(columns) else None
    others = [name for name in columns if name != target]
    if others == names:
        return None
    present, wanted = set(others), set(names)
    missing = [name for name in names if name not in present]
    if target in missing:
        raise DataError(f"--target {target!r} is one of the model's feature columns",
                        path=path)
    if missing:
        import difflib

        by_case = {name.lower(): name for name in others}
        close = ([by_case[missing[0].lower()]] if missing[0].lower() in by_case
                 else difflib.get_close_matches(missing[0], others, n=1))
        hint = f" (did you mean {close[0]!r} for {missing[0]!r}?)" if close else ""
        shown = ", ".join(repr(name) for name in missing[:5])
        more = f" and {len(missing) - 5} more" if len(missing) > 5 else ""
        listed = ", ".join(repr(name) for name in columns[:10])
        listed += ", ..." if len(columns) > 10 else ""
        raise DataError(
            f"the file lacks the model's feature column{'s' if len(missing) > 1 else ''} "
            f"{shown}{more}{hint}; columns are matched by name, and the file's are {listed}",
            path=path,
        )
    parts = []
    if [name for name in others if name in wanted] != names:
        parts.append("put back in the training order")
    left_out = [repr(name) for name in others if name not in wanted]
    if left_out:
        parts.append(f"left out: {', '.join(left_out)}")
    print(f"note: {path}: the model's feature columns were read by name "
          f"({'; '.join(parts)})", file=sys.stderr)
    return list(names)


def _numbered_layout(bundle: Bundle, path: str, target: str | None,
                     header: bool | None) -> tuple[list[str], str | None] | None:
    """(DATA's columns holding the model's features, the target column or None) for a
    model trained with ``--drop`` on numbered columns (text without a header, or an
    array file), when DATA's columns are numbered too: DATA must then come in the
    training layout, with or without the target column (the columns after it then
    move one to the left).  None for any other model or DATA (matched as usual: a
    header's columns are not placed by a guess, since an id column before the features
    makes a file of the same width)."""
    from .data import column_names

    trained = _names(bundle.metadata.get("columns"))
    if not trained or trained != [str(j) for j in range(len(trained))]:
        return None
    try:
        columns = column_names(path, header)
    except DataError:
        return None  # read_table words the error
    if columns != [str(j) for j in range(len(columns))]:
        return None  # DATA names its columns
    names = list(bundle.feature_names or ())
    trained_on = bundle.metadata.get("target_name")
    if len(columns) == len(trained):
        # An .npz file's target is its array y, not one of these columns.
        return names, trained_on if target is None and trained_on in trained else target
    if target is None and trained_on in trained and len(columns) == len(trained) - 1:
        t = int(trained_on)
        return [str(int(name) - (int(name) > t)) for name in names], None
    dropped = len(trained) - len(names) - (trained_on in trained)
    target_part = f"the target {trained_on!r}, " if trained_on in trained else ""
    raise DataError(
        f"the model was trained on {len(trained)} numbered columns ({target_part}"
        f"{len(names)} features and {dropped} left out by --drop); the file has "
        f"{len(columns)}: give rows in that layout"
        + (", with or without the target column" if target_part else ""),
        path=path,
    )


def _note_unknown_categories(path: str, unknown: dict[str, int]) -> None:
    """Say on stderr which rows hold texts the model never saw (they get no category)."""
    if unknown:
        shown = ", ".join(f"{count} in {column!r}" for column, count in unknown.items())
        print(f"note: {path}: rows with a category the model was not trained on (encoded "
              f"as none of its categories): {shown}", file=sys.stderr)


def _positional_features(bundle: Bundle, path: str, target: str | None,
                         header: bool | None) -> list[str]:
    """DATA's feature columns by position (every column but ``target``), for an encoded
    model: it must read the model's text columns as text, so it names them; a count
    that is not the model's is an error (before any cell is read as a number)."""
    from .data import _resolve_target, column_names

    columns = column_names(path, header)
    t = _resolve_target(_target_argument(target), columns, path)
    names = [name for j, name in enumerate(columns) if j != t]
    if len(names) != bundle.n_features:
        raise _feature_count_error(bundle, len(names), target, path)
    return names


def _feature_count_error(bundle: Bundle, n_features: int, target: str | None,
                         path: str) -> DataError:
    """DATA has ``n_features`` feature columns where the model reads another count."""
    # Only a column too many can be the labels (--target leaves one out).
    hint = ("; pass --target COL if DATA also holds the labels"
            if target is None and n_features > bundle.n_features else "")
    trained = _names(bundle.metadata.get("columns"))
    if trained and trained == [str(j) for j in range(len(trained))]:
        # Trained with --drop on a file without a header: only that layout, without a
        # header, puts the features back in place (a header's columns are not placed
        # by position: an id before the features makes a file of the same width).
        kept = set(bundle.feature_names or ()) | {bundle.metadata.get("target_name")}
        dropped = [name for name in trained if name not in kept]
        hint += (f" (the model was trained on a file without a header of {len(trained)} "
                 f"columns, leaving out column{'s' if len(dropped) > 1 else ''} "
                 f"{','.join(dropped)} by --drop: give rows in that layout without a header "
                 "line, or just the model's feature columns)")
    return DataError(f"the model expects {bundle.n_features} feature column"
                     f"{'s' if bundle.n_features != 1 else ''}; the file has "
                     f"{n_features}{hint}", path=path)


def read_features(bundle: Bundle, path: str, target: str | None, *,
                  require_target: bool = False, header: bool | None = None) -> Any:
    """Read DATA for ``bundle``, checking it has the model's feature columns."""
    from .data import TEXT_IN_NUMBERS_HINT, column_names, read_table

    if header is None and bundle.feature_names:
        # A first line holding the model's feature names is its header, whatever the
        # guess would say (names such as 2019 look like data).
        try:
            header = True if set(bundle.feature_names) <= set(column_names(path, True)) else None
        except DataError:
            pass
    trained_on = bundle.metadata.get("target_name")
    # A model trained with --drop on numbered columns: DATA in the training layout
    # (its own rule for the target column).
    layout = _numbered_layout(bundle, path, target, header)
    _note_name_that_is_an_index(path, _target_argument(target), header)
    if layout is not None:
        features, target = layout
    else:
        columns = None  # DATA's column names, read once when needed
        if target is None and trained_on:
            names = columns = column_names(path, header)
            # DATA still holds the column the model was trained to predict: leave it
            # out.  In a file without a header (columns "0", "1", ...) a column "0" may
            # be a feature, so there only when that leaves the model's feature count.
            generated = names == [str(j) for j in range(len(names))]
            if trained_on in names and (not generated or len(names) == bundle.n_features + 1):
                target = trained_on
        if columns is None and _named_features(bundle):
            try:
                columns = column_names(path, header)
            except DataError:
                pass  # read_table words the error
        features = _features_by_name(bundle, path, target, columns)
    encoding = bundle.encoding
    categories = None
    if encoding is not None:
        # The model's text columns, under the names DATA gives them (picked by name,
        # by the training layout, or by position).
        features = features or _positional_features(bundle, path, target, header)
        categories = {features[k]: encoding.categories[column]
                      for k, column in enumerate(encoding.columns)
                      if column in encoding.categories}
    try:
        # Rows to predict may leave their label column blank: its cells are not read.
        table = read_table(path, _target_argument(target), header=header,
                           read_target=require_target, features=features,
                           categories=categories,
                           missing="nan" if encoding is not None and encoding.fill else "error")
    except DataError as exc:
        if exc.message.startswith("missing value"):
            if exc.column is not None and exc.column == _column_name(path, target, header):
                remedy = "scoring needs every row's label: remove the rows without one"
            else:
                remedy = ("the model was trained without --impute, so every feature of a "
                          "row to predict must be given")
            exc = _amended(exc, f"{exc.message}; {remedy}")
        elif TEXT_IN_NUMBERS_HINT in exc.message:
            # No encoding advice for rows to predict: the model fixed what each column is
            # (when the column is one of its own: not in a file of another width).
            width = (_column_count(path, header) or 0) - (target is not None)
            own = features is not None or width == bundle.n_features
            exc = _amended(exc, exc.message.replace(
                f" ({TEXT_IN_NUMBERS_HINT})", f" ({TRAINED_ON_NUMBERS})" if own else ""))
        if features is not None:  # the columns were picked by name: no column too many
            raise exc from None
        raise _with_label_column_hint(exc, bundle, path, target, header) from None
    _print_header_note(table)
    if table.n_features == bundle.n_features:
        if encoding is not None:
            _note_unknown_categories(path, encoding.unknown(table.features))
        # What the model would compute with must fit its dtype (else inf, then NaN).
        check_range(bundle.transform(table.features), bundle.network.dtype, path,
                    table.feature_names if encoding is None else encoding.input_names,
                    f"the model computes in {bundle.network.dtype}",
                    raw=None if bundle.input_scaling is None or encoding is not None
                    else table.features,
                    header=table.header)
        bundle.check_outputs(table.features, path, table.header)
    if require_target and table.target is None:
        missing = f"no column {trained_on!r} (the model's target); " if trained_on else ""
        raise DataError(f"{missing}pass --target COL to name the labels' column", path=path)
    if table.n_features != bundle.n_features:
        raise _feature_count_error(bundle, table.n_features, target, path)
    _note_columns_by_position(bundle, table, path)
    # Names to compare: not for a headerless DATA, nor for a model trained without a
    # header (its "names" are column numbers: DATA is read by position or layout).
    names = bundle.feature_names if _named_features(bundle) and layout is None else None
    default = [str(j) for j in range(table.n_features + (table.target_name is not None))]
    if names and not set(table.feature_names) <= set(default) and table.feature_names != names:
        k = next(k for k, (a, b) in enumerate(zip(table.feature_names, names, strict=True))
                 if a != b)
        raise DataError(
            f"feature column {k + 1} is {table.feature_names[k]!r}; the model was trained "
            f"with {names[k]!r} there (columns must come in the training order)",
            path=path,
        )
    return table


def write_csv(path: str | None, values: Any, header: Sequence[str]) -> None:
    """A CSV with ``header``: atomically to ``path``, or to stdout when ``path`` is None."""
    from .data import prediction_rows, write_predictions

    values = np.asarray(values, dtype=object) if not isinstance(values, np.ndarray) else values
    if path is not None:
        write_predictions(path, values, header=list(header))
        return
    try:
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(list(header))
        writer.writerows(prediction_rows(values)[0])
        sys.stdout.flush()  # a full disk shows here, not at exit without a word of where
    except BrokenPipeError:
        # The reader stopped early (| head): no error to report.  Quiet, with the
        # status of a writer killed by SIGPIPE (128 + 13), and no second failure when
        # Python flushes stdout at exit.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(BROKEN_PIPE_STATUS)
    except OSError as exc:
        raise DataError(f"cannot write the CSV to stdout ({exc.strerror or exc})") from None


def dataset_rows(name: str, seed: int) -> tuple[list[str], np.ndarray]:
    """Header and rows (features, then the label's name or value) of a built-in set."""
    from .datasets import load

    data = load(name, random_state=seed)
    if data.target_names is not None:
        target = np.asarray(data.target_names, dtype=object)[data.y]
    else:
        target = data.y.astype(object)
    rows = np.empty((len(data.X), data.X.shape[1] + 1), dtype=object)
    rows[:, :-1] = data.X
    rows[:, -1] = target
    return [*data.feature_names, "target"], rows


# ================================================================= gradient check
def gradcheck_report(options: dict[str, Any]) -> dict[str, Any]:
    """Build the small random network and data the options describe, and check it."""
    from .gradcheck import gradcheck
    from .network import Network

    rng = np.random.default_rng(options["seed"])
    sizes = [options["inputs"], *options["hidden"], options["outputs"]]
    network = Network(
        sizes,
        activation=options["activation"],
        output_activation=options["output_activation"],
        loss=options["loss"],
        use_bias=not options["no_bias"],
        dtype=options["dtype"],
        random_state=rng,
    )
    m = options["examples"]
    X = rng.standard_normal((m, sizes[0]))
    Y = _random_targets(rng, network.loss.name, m, sizes[-1])
    result = gradcheck(network, X, Y, epsilon=options["epsilon"], l2=options["l2"])
    shapes = {name: shape for name, _, shape in network.parameter_slices()}
    return {
        "network": "-".join(map(str, sizes)),
        "activations": [layer.activation.name for layer in network.layers],
        "loss": network.loss.name,
        "examples": m,
        "epsilon": options["epsilon"],
        "threshold": options["threshold"],
        "relative_difference": result.relative_difference,
        "passed": result.passed(options["threshold"]),
        "parameters": [
            {"name": name, "shape": list(shapes[name]), "relative_difference": value}
            for name, value in result.per_parameter.items()
        ],
        "worst": [
            {"parameter": e.parameter, "index": list(e.index), "backprop": e.analytic,
             "numeric": e.numeric}
            for e in result.worst
        ],
    }


def _random_targets(rng: np.random.Generator, loss: str, m: int, n_out: int) -> np.ndarray:
    """Targets of shape (m, n_out) of the kind ``loss`` expects."""
    if loss == "categorical_cross_entropy":
        return np.eye(n_out)[rng.integers(0, n_out, m)]
    if loss == "binary_cross_entropy":
        return rng.integers(0, 2, (m, n_out)).astype(np.float64)
    if loss == "poisson":  # counts
        return rng.poisson(1.5, (m, n_out)).astype(np.float64)
    return rng.standard_normal((m, n_out))


# ======================================================================= training
def run(options: dict[str, Any]) -> dict[str, Any]:
    """Train as ``lucidnet train`` / ``lucidnet demo`` describe; return the summary.

    Everything that can be checked is checked before training starts (the data,
    the task, the output path, matplotlib for ``--plot``), and the model file is
    written only after training succeeded.
    """
    start = time.perf_counter()
    check_output(options["out"], "--out", inputs=[options["data"]])
    if options["plot_dir"] is not None:
        from .plots import require_matplotlib

        try:
            require_matplotlib()
        except ImportError as exc:
            raise LucidnetError(f"--plot: {exc}") from None
        _check_plot_directory(options["plot_dir"])
        if options["out"] is not None and any(
            _same_file(options["out"], os.path.join(options["plot_dir"], name))
            for name in PLOT_FILES
        ):
            raise DataError(f"--out {options['out']!r} is where --plot writes one of its "
                            f"pictures ({', '.join(PLOT_FILES)}); write the model elsewhere")
    checkpoints = options.get("resume_dir") or options.get("checkpoint_dir")
    if options["out"] is not None and checkpoints is not None:
        from .checkpoints import checkpoint_path

        if _same_file(options["out"], os.fspath(checkpoint_path(checkpoints))):
            raise DataError(f"--out {options['out']!r} is the checkpoint file of "
                            f"{checkpoints!r}, which training rewrites every epoch; write "
                            "the model elsewhere")
    if options["dataset"] is not None:
        data = load_dataset(options["dataset"], options["seed"])
    else:
        data = read_labelled(options["data"], options["target"], options.get("header"),
                             [name for names in options.get("drop") or () for name in names],
                             one_hot=options.get("one_hot", False),
                             impute=options.get("impute"),
                             categorical=[name for names in options.get("categorical") or ()
                                          for name in names])
    check_numbers_target(data, options["output"])
    task = infer_task(data.y, options["output"], data.source)
    if options["output"] == "auto":
        _note_whole_number_task(data, task)
    if task != "regression":
        _note_labels_apart_by_case(data)
    elif len(data.y) and np.all(data.y == data.y[0]):
        print(f"note: {data.source}: the target is {data.y[0]!s} in every row: there is "
              "nothing to learn but that number", file=sys.stderr)
    elif options["dtype"] == "float32":
        _note_float32_resolution(data)
    y = data.y
    if task != "regression":
        y = as_labels(y)
        if data.class_names is not None:  # built-in sets: show class names, not indices
            y = np.asarray(data.class_names)[y]
    return _train(data, y, task, options, start)


def _check_classes(data: Labelled, y: np.ndarray, options: dict[str, Any],
                   split: str = "test_size") -> None:
    """Refuse class counts that cannot be trained or split by class, naming the column.

    ``split``: the option whose split of ``y`` comes next, "test_size" (checked on all
    the rows; the validation split is then checked too) or "validation" (on the rows
    left after the test split)."""
    classes, counts = np.unique(y, return_counts=True)
    where = {"path": data.source, "column": data.target_name}
    if len(classes) < 2:
        raise DataError(
            f"the target has one class only ({classes[0]!s}); a classifier needs two or more",
            **where,
        )
    # One split at a time: the validation split is checked on the rows the test split
    # leaves (this is called again with them).
    if split == "test_size" and options["test_size"]:
        fractions = [("--test-size", options["test_size"])]
    else:
        fractions = [("--validation", options["validation"])] if options["validation"] > 0 else []
    rarest = int(counts.argmin())
    for flag, fraction in fractions:
        # scikit-learn's stratified train_test_split: ceil(fraction * n) rows held out,
        # at least one per class on each side, and two rows of every class.
        held_out = math.ceil(fraction * len(y))
        too_few = min(held_out, len(y) - held_out) < len(classes)
        if counts[rarest] >= 2 and not too_few:
            continue
        # Whole numbers taken as classes may be a quantity (a count, a rating).
        numbers = (options["output"] == "auto" and np.asarray(y).dtype.kind in "iuf"
                   and len(classes) > 2)
        left = " (those the test split leaves)" if split == "validation" else ""
        remedy = _split_remedy(flag)
        if counts[rarest] < 2 and split == "validation":
            message = (f"class {classes[rarest]!s} has {counts[rarest]} of the {len(y)} rows "
                       f"the test split leaves, and {flag} splits them by class, two of each "
                       f"at least; add rows of that class, lower --test-size, or {remedy}")
        elif counts[rarest] < 2:
            message = (f"class {classes[rarest]!s} has {counts[rarest]} row of {len(y)}, and "
                       f"{flag} splits them by class, two of each at least; add rows of that "
                       f"class, remove its row, or {remedy}")
        else:
            message = (f"{len(y)} rows{left} in {len(classes)} classes are too few to split "
                       f"by class (holding out {fraction:g} of them leaves {held_out} held "
                       f"out and {len(y) - held_out} to train on, and each needs a row of "
                       f"every class); add rows or {remedy}")
        raise DataError(
            message + ("; if the target is a quantity, not a class, pass --output regression"
                       if numbers else ""),
            **where,
        )


def _split_remedy(flag: str) -> str:
    """How to do without the split that ``flag`` ("--validation", "--test-size") asks for."""
    return "pass --validation 0" if flag == "--validation" else "leave out --test-size"


def _check_rows_left(data: Labelled, n: int, fraction: float, flag: str) -> None:
    """Refuse a split of ``n`` regression rows that leaves none to train on, or fewer
    than two to score (the estimator's rule for its validation rows: a score of one
    row says nothing)."""
    # scikit-learn's split holds out ceil(fraction * n) rows.
    held_out = math.ceil(fraction * n)
    if fraction > 0 and (held_out >= n or held_out < 2):
        remedy = _split_remedy(flag)
        scored = f" ({held_out} row; scoring needs two)" if held_out < 2 else ""
        raise DataError(
            f"{n} row{'s are' if n > 1 else ' is'} too few to hold out {flag} {fraction:g} of "
            f"them{scored} and still train; add rows or {remedy}",
            path=data.source, column=data.target_name,
        )


def unscale_output_layer(network: Any, mean: np.ndarray, scale: np.ndarray) -> None:
    """Make a linear output layer predict ``A * scale + mean`` instead of ``A``.

    With ``A = A_prev W^T + b``: ``A * scale + mean = A_prev (W * scale)^T + (b * scale +
    mean)``, an exact change of the last layer's ``W`` (n_out, n_prev) and ``b``.
    ``mean`` and ``scale`` have shape (n_out,).
    """
    last = network.layers[-1]
    if last.activation.name != "identity" or last.b is None:
        raise ValueError("only an identity output layer with biases can absorb a target scaling")
    last.W *= scale.astype(network.dtype)[:, None]
    last.b *= scale.astype(network.dtype)
    last.b += mean.astype(network.dtype)


def _train(data: Labelled, y: np.ndarray, task: str, options: dict[str, Any],
           start: float) -> dict[str, Any]:
    """Split, standardize, fit, score, save and plot; return the summary dict."""
    classify = task != "regression"
    if not options["standardize"]:  # standardized values are small whatever the data
        check_range(data.X, options["dtype"], data.source, data.feature_names,
                    "pass --dtype float64, or leave out --no-standardize", header=data.header)
    if not classify:  # the model predicts in the target's own units, in its dtype
        check_range(np.asarray(y, dtype=np.float64).reshape(len(y), -1), options["dtype"],
                    data.source, [data.target_name], "pass --dtype float64", header=data.header)
        check_target_precision(np.asarray(y, dtype=np.float64), options["dtype"], data.source,
                               data.target_name)
    if classify:
        _check_classes(data, y, options)
    else:
        _check_rows_left(data, len(y), options["test_size"], "--test-size")
        # The validation rows come out of those the test split leaves.
        n_left = len(y) - math.ceil(options["test_size"] * len(y))
        _check_rows_left(data, n_left, options["validation"], "--validation")
    X = data.X
    held_out: dict[str, tuple[np.ndarray, np.ndarray]] = {}
    if options["test_size"]:
        X, X_test, y, y_test = split(X, y, options["test_size"], options["seed"], classify)
        held_out["test"] = (X_test, y_test)
        if classify:
            lost = sorted(set(np.unique(y_test).tolist()) - set(np.unique(y).tolist()), key=str)
            if lost:
                raise DataError(
                    f"--test-size {options['test_size']:g} holds out every row of class "
                    f"{', '.join(map(str, lost))}, which leaves none to train on; lower "
                    "--test-size or add rows of that class",
                    path=data.source, column=data.target_name)
            _check_classes(data, y, options, split="validation")
    # With early stopping the estimator holds out (and reports) its own validation
    # rows; without it the CLI holds them out, only to report on them.
    if options["validation"] > 0 and not early_stopping(options):
        X, X_val, y, y_val = split(X, y, options["validation"], options["seed"], classify)
        held_out = {"validation": (X_val, y_val), **held_out}
    mean, scale = standardization(X) if options["standardize"] else (None, None)
    estimator = _estimator(task, options, n_train=len(X))
    if mean is not None:  # finite unless |x| is near float64's limit (then (X - mean) is not)
        # On every row in file order (X is the shuffled training split): the message
        # names the row's line, and held-out rows must standardize as well.
        with np.errstate(over="ignore", invalid="ignore"):
            check_range((data.X - mean) / scale, np.float64, data.source, data.feature_names,
                        "values this close to float64's limit cannot be standardized",
                        raw=data.X, header=data.header)
    X_fit = X if mean is None else (X - mean) / scale
    # The CLI's own validation rows (without early stopping) are scored every epoch,
    # for the report and the validation curves of --plot; they never steer training.
    X_val, y_val = held_out.get("validation", (None, None))
    if X_val is not None and mean is not None:
        X_val = (X_val - mean) / scale
    if classify or not options["standardize"]:
        converged, train_seconds, finished = _fit(estimator, X_fit, y, options,
                                                  (X_val, y_val), data.feature_names)
    else:
        # Train on a standardized target (a price of 1e5 would need a huge output bias
        # and learning rate otherwise), then fold the inverse scaling into the output
        # layer, so the saved model predicts in the target's own units.
        y_mean, y_scale = standardization(np.asarray(y, dtype=np.float64).reshape(len(y), -1))

        def scaled(target):
            return ((target.reshape(len(target), -1) - y_mean) / y_scale).reshape(target.shape)

        converged, train_seconds, finished = _fit(
            estimator, X_fit, scaled(y), options,
            (X_val, None if y_val is None else scaled(y_val)), data.feature_names,
        )
        unscale_output_layer(estimator.network_, y_mean, y_scale)

    from .io import InputScaling

    bundle = Bundle(
        path=options["out"] or "",
        network=estimator.network_,
        kind="classifier" if classify else "regressor",
        task=task,
        classes=getattr(estimator, "classes_", None),
        input_scaling=None if mean is None else InputScaling(mean, scale,
                                                             _column_names(data)),
        feature_names=data.feature_names,
        metadata={"target_name": data.target_name},
    )
    # The estimator's own validation rows are among X, so the name says so.
    fitted = "train+validation" if estimator.early_stopping else "train"
    metrics = {fitted: _headline(bundle.evaluate(X, y, source=data.source))}
    if estimator.early_stopping and estimator.best_validation_score_ is not None:
        name = "accuracy" if classify else "r2"
        if options.get("class_weight") is not None:
            name += ", class-weighted"  # the estimator weighs validation rows as training ones
        metrics["validation"] = {f"{name} (best epoch)": estimator.best_validation_score_}
    for name, (X_part, y_part) in held_out.items():
        metrics[name] = bundle.evaluate(X_part, y_part, source=data.source)
    n_epochs = int(estimator.n_iter_)
    summary = {
        "data": data.source,
        "target": data.target_name,
        "task": task,
        "classes": None if bundle.classes is None else bundle.classes.tolist(),
        "network": "-".join(map(str, estimator.network_.layer_sizes)) + " ("
        + ", ".join(layer.activation.name for layer in estimator.network_.layers) + ")",
        "examples": _example_counts(len(X), held_out, estimator),
        "epochs": n_epochs,
        # (L-BFGS stops on its own tolerance: that is convergence.)
        "stopped_early": n_epochs < options["epochs"] and options["optimizer"] != "lbfgs",
        "converged": converged,
        # A resumed checkpoint that already held --epochs epochs: nothing was trained.
        "nothing_left": finished,
        "metrics": metrics,
        "seconds": 0.0,
        "train_seconds": train_seconds,
        "model": None,
        "plots": {},
    }
    summary["seconds"] = time.perf_counter() - start
    # The model first: a plot that fails must not cost the trained model.
    if options["out"] is not None:
        _save(bundle, estimator, data, options, summary)
        summary["model"] = options["out"]
    if options["plot_dir"] is not None:
        try:
            summary["plots"] = _plots(bundle, estimator, data, X, y, held_out,
                                      options["plot_dir"])
        except (OSError, LucidnetError) as exc:
            if options["out"] is None:
                raise
            if isinstance(exc, OSError):
                where = f"{exc.filename}: " if exc.filename else ""
                exc = f"--plot: {where}{exc.strerror or exc}"
            raise DataError(f"{exc} (the model was saved to {options['out']!r})") from None
        summary["seconds"] = time.perf_counter() - start
    return summary


def _example_counts(n_fit: int, held_out: dict, estimator: Any) -> dict[str, int]:
    """Rows used for training, validation (the estimator's own split too) and test."""
    counts = {"train": n_fit, **{name: len(part[1]) for name, part in held_out.items()}}
    if estimator.early_stopping:
        # scikit-learn's train_test_split rounds the held-out share up.
        n_val = math.ceil(estimator.validation_fraction * n_fit)
        counts = {"train": n_fit - n_val, "validation": n_val,
                  **{k: v for k, v in counts.items() if k != "train"}}
    return counts


def _headline(metrics: dict[str, Any]) -> dict[str, Any]:
    """The training rows' metrics without the confusion matrix (shown for held-out rows)."""
    return {k: v for k, v in metrics.items() if k not in ("confusion_matrix", "labels")}


def early_stopping(options: dict[str, Any]) -> bool:
    """Whether the fit holds out --validation rows and stops when their loss stops
    improving.  Not with L-BFGS, which, as scikit-learn's, stops on its own tolerance
    and would ignore the held-out rows: the CLI then holds them out to report on."""
    return bool(options["early_stopping"] and options["validation"] > 0
                and options["optimizer"] != "lbfgs")


def _estimator(task: str, options: dict[str, Any], n_train: int) -> Any:
    """A NeuralNetClassifier or NeuralNetRegressor configured from the CLI options."""
    from .estimators import NeuralNetClassifier, NeuralNetRegressor

    optimizer = options["optimizer"]
    stopping = early_stopping(options)
    # The rows the estimator fits on: it holds out ceil(fraction * n) for early
    # stopping (scikit-learn's train_test_split), and warns of a batch larger than that.
    n_fit = n_train - math.ceil(options["validation"] * n_train) if stopping else n_train
    params: dict[str, Any] = {
        "hidden_layer_sizes": tuple(options["hidden"]),
        "activation": options["activation"],
        # scikit-learn's "sgd" means momentum; the CLI's names are the registry's.
        "solver": "sgd" if optimizer in ("sgd", "gd") else optimizer,
        "momentum": 0.0 if optimizer in ("sgd", "gd") else 0.9,
        "learning_rate_init": options["learning_rate"],
        "max_iter": options["epochs"],
        "batch_size": min(options["batch_size"], max(n_fit, 1)),
        "alpha": options["alpha"],
        "early_stopping": stopping,
        # The validation loss, not accuracy: on a small validation set accuracy moves
        # in coarse steps and peaks within a few epochs, stopping far too soon.
        "early_stopping_monitor": "loss",
        "validation_fraction": options["validation"] or 0.1,
        # Without early stopping every epoch runs (scikit-learn's default would still
        # stop on a training-loss plateau).
        "n_iter_no_change": options["patience"] if options["early_stopping"]
        else options["epochs"],
        "random_state": options["seed"],
        "dtype": options["dtype"],
        "verbose": False if options["quiet"] or options["as_json"] else "progress",
    }
    if task == "regression":
        if options["class_weight"] is not None:
            raise DataError("--class-weight weighs the rows of each class; the task is "
                            "regression (a target of numbers; --output sets the task)")
        return NeuralNetRegressor(**params)
    return NeuralNetClassifier(class_weight=options["class_weight"], **params)


def _fit(
    estimator: Any, X: np.ndarray, y: np.ndarray, options: dict[str, Any],
    validation: tuple[np.ndarray | None, np.ndarray | None] = (None, None),
    input_names: Sequence[str] = (),
) -> tuple[bool, float, bool]:
    """Fit (``validation``: rows to score every epoch, or ``(None, None)``); return
    whether training converged before --epochs, the fit's seconds, and whether a
    resumed checkpoint left nothing to train.  ``input_names``: the network's inputs,
    kept beside a checkpoint (a resume on other inputs is refused)."""
    import warnings

    from sklearn.base import is_classifier
    from sklearn.exceptions import ConvergenceWarning

    from .estimators import INTERRUPTED_MESSAGE

    fit_params = _checkpoint_params(options)
    done = _resumed_epochs(fit_params)
    split = {"seed": options["seed"], "validation": options["validation"],
             "test_size": options.get("test_size") or 0.0}
    # A checkpoint of another network, or of other inputs, is an error before any
    # note about resuming it.
    _check_checkpoint_network(fit_params, X, y, options, classify=is_classifier(estimator))
    _check_checkpoint_inputs(fit_params, input_names, split)
    finished = _finished_checkpoint_note(done, options["epochs"])
    if done is not None and finished is None:  # (that note comes after the fit)
        print(f"note: resuming after epoch {done} of the checkpoint in "
              f"{fit_params['checkpoint_dir']}", file=sys.stderr)
    if validation[0] is not None:
        fit_params["validation_data"] = validation
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        start, earlier = time.perf_counter(), _checkpoint_stamp(fit_params)
        try:
            estimator.fit(X, y, **fit_params)
        except DivergenceError as exc:
            if not options.get("standardize", True):
                # Unscaled features far from 1 make every step huge, whatever the rate.
                exc.advice = "leave out --no-standardize"
            raise
        finally:  # also when stopped: its checkpoints were written
            _keep_checkpoint_inputs(fit_params, input_names, split, earlier)
        seconds = time.perf_counter() - start
    converged = True
    for warning in caught:
        if issubclass(warning.category, ConvergenceWarning):
            converged = False
        elif str(warning.message) == INTERRUPTED_MESSAGE:
            # The estimator keeps what it has (as scikit-learn's); a command stopped by
            # Ctrl-C must not write a half-trained model over --out, nor exit 0.
            # Only a checkpoint of this run (or the one it resumed) goes on from here.
            stamp = _checkpoint_stamp(fit_params)
            resumable = stamp is not None and (stamp != earlier or fit_params.get("resume"))
            resume = (f"; --resume {fit_params['checkpoint_dir']} continues from its last "
                      "checkpoint" if resumable else "")
            print(f"note: stopped by Ctrl-C after {estimator.n_iter_} epoch(s); no model was "
                  f"written{resume}", file=sys.stderr)
            from .errors import StoppedByUser

            raise StoppedByUser
        else:
            print(f"warning: {warning.message}", file=sys.stderr)
    if finished is not None:
        print(finished, file=sys.stderr)
    return converged, seconds, finished is not None


def _checkpoint_params(options: dict[str, Any]) -> dict[str, Any]:
    """``checkpoint_dir`` / ``resume`` for the estimator's fit, when asked for."""
    directory = options.get("resume_dir") or options.get("checkpoint_dir")
    if directory is None:
        return {}
    os.makedirs(directory, exist_ok=True)
    resume = options.get("resume_dir") is not None
    if resume:
        from .checkpoints import checkpoint_path

        path = checkpoint_path(directory)
        if not path.is_file():
            # A fresh start, so that one command both starts a run and restarts it.
            print(f"note: {directory} holds no checkpoint yet; training from the start "
                  "(and checkpointing there)", file=sys.stderr)
    return {"checkpoint_dir": directory, "resume": resume}


#: Beside a checkpoint: the names of the inputs it was trained on (a JSON list) ...
CHECKPOINT_INPUTS = "inputs.json"
#: ... and how its rows were split, ``{"seed": ..., "validation": ..., "test_size": ...}``.
CHECKPOINT_SPLIT = "split.json"


def _check_checkpoint_network(fit_params: dict[str, Any], X: np.ndarray, y: np.ndarray,
                              options: dict[str, Any], *, classify: bool) -> None:
    """Refuse, naming the options, to resume a checkpoint whose layer sizes are not the
    network this run makes: inputs (X's columns), --hidden, outputs (one for a binary
    or regression target, one per class otherwise).  Silent when there is nothing to
    resume or the checkpoint cannot be read (the fit says why)."""
    from .checkpoints import checkpoint_path, load_checkpoint

    if not fit_params.get("resume"):
        return
    directory = fit_params["checkpoint_dir"]
    try:
        layers = load_checkpoint(checkpoint_path(directory))[0]["network"]["layers"]
        sizes = [int(layers[0]["n_in"]), *(int(layer["n_out"]) for layer in layers)]
    except (ModelFileError, OSError, KeyError, IndexError, TypeError, ValueError):
        return
    if classify:
        n_classes = len(np.unique(y))
        outputs = [1 if n_classes == 2 else n_classes]
    else:
        outputs = [1 if y.ndim == 1 else y.shape[1]]
    expected = [X.shape[1], *options["hidden"], *outputs]
    if sizes != expected:
        shown = lambda s: "-".join(map(str, s))  # noqa: E731
        raise DataError(
            f"--resume {directory!r}: its checkpoint is of a {shown(sizes)} network; this "
            f"run makes a {shown(expected)} network (inputs from the data's columns, "
            "--hidden, outputs from its classes): resume with the options and data it was "
            "trained with, or pass another --resume directory")


def _check_checkpoint_inputs(fit_params: dict[str, Any], names: Sequence[str],
                             split: dict[str, Any]) -> None:
    """Refuse to resume a checkpoint trained on other inputs (one-hot columns whose
    categories changed, other columns of the same count): it would go on training
    weights that meant something else.  Warn when its rows were split otherwise
    (another --seed, --validation or --test-size): the rows held out then may now be
    trained on.  The names and the split are those kept beside it."""
    import json

    from .checkpoints import checkpoint_path

    if not fit_params.get("resume"):
        return
    directory = fit_params["checkpoint_dir"]
    path = os.path.join(directory, CHECKPOINT_INPUTS)
    if not (os.path.isfile(path) and checkpoint_path(directory).is_file()):
        return  # nothing to resume, or a checkpoint written before names were kept
    try:
        with open(path, encoding="utf-8") as stream:
            before = [str(name) for name in json.load(stream)]
    except (OSError, ValueError, TypeError):
        return  # unreadable: the checkpoint itself is checked on loading
    try:
        with open(os.path.join(directory, CHECKPOINT_SPLIT), encoding="utf-8") as stream:
            then = json.load(stream)
    except (OSError, ValueError):
        then = {}  # kept by an earlier version, or unreadable: nothing to compare
    then = then if isinstance(then, dict) else {}
    changed = [f"--{key.replace('_', '-')} {then[key]!r} -> {value!r}"
               for key, value in split.items() if key in then and then[key] != value]
    if changed:
        print(f"warning: --resume {directory}: the checkpoint's rows were split with other "
              f"settings ({', '.join(changed)}): rows it held out may now be trained on, "
              "and its validation or test scores are then no longer held-out ones",
              file=sys.stderr)
    if before != list(names):
        k = next((k for k, (a, b) in enumerate(zip(before, names, strict=False)) if a != b),
                 min(len(before), len(names)))
        was = repr(before[k]) if k < len(before) else "nothing"
        now = repr(names[k]) if k < len(names) else "nothing"
        raise DataError(f"--resume {directory}: the checkpoint was trained on other inputs "
                        f"({len(before)} then, {len(names)} now; input {k + 1} was {was}, "
                        f"is {now}); train with a new --checkpoint-dir")


def _checkpoint_stamp(fit_params: dict[str, Any]) -> tuple[int, int] | None:
    """The checkpoint file's (inode, modification time), None without one: a fit that
    writes a checkpoint changes it (the file is replaced)."""
    from .checkpoints import checkpoint_path

    directory = fit_params.get("checkpoint_dir")
    if directory is None or not checkpoint_path(directory).is_file():
        return None
    stat = checkpoint_path(directory).stat()
    return stat.st_ino, stat.st_mtime_ns


def _keep_checkpoint_inputs(fit_params: dict[str, Any], names: Sequence[str],
                            split: dict[str, Any], earlier: tuple[int, int] | None) -> None:
    """Write the input names and the rows' split beside the checkpoint when this fit
    wrote one (its stamp is not ``earlier``'s), so they always describe the checkpoint
    there, not a run that wrote none."""
    import json

    from ._atomic import atomic_file

    stamp = _checkpoint_stamp(fit_params)
    if stamp is not None and stamp != earlier:
        directory = fit_params["checkpoint_dir"]
        for name, kept in ((CHECKPOINT_INPUTS, list(names)), (CHECKPOINT_SPLIT, split)):
            with atomic_file(os.path.join(directory, name), "w", encoding="utf-8") as stream:
                json.dump(kept, stream)


def _resumed_epochs(fit_params: dict[str, Any]) -> int | None:
    """The epochs the checkpoint to resume holds; None when not resuming, or when there
    is none yet (said already) or it is damaged (the fit says so)."""
    from .checkpoints import checkpoint_path, load_checkpoint

    if not fit_params.get("resume"):
        return None
    try:
        return int(load_checkpoint(checkpoint_path(fit_params["checkpoint_dir"]))[0]["epoch"])
    except (ModelFileError, OSError, KeyError, TypeError, ValueError):
        return None


def _finished_checkpoint_note(done: int | None, epochs: int) -> str | None:
    """The note for a resumed checkpoint that already holds ``epochs`` epochs or more:
    ``--epochs`` counts every epoch, those before the checkpoint too, so nothing is
    left to train.  ``done``: the epochs the resumed checkpoint holds (None: no resume,
    or a checkpoint the fit reports as missing or damaged)."""
    if done is None or done < epochs:
        return None
    return (f"note: the checkpoint holds {done} epochs, and --epochs {epochs} counts every "
            "epoch, those before the checkpoint too: nothing is left to train (pass "
            f"--epochs above {done} to go on)")


def _save(bundle: Bundle, estimator: Any, data: Labelled, options: dict[str, Any],
          summary: dict[str, Any]) -> None:
    from . import io

    metadata = {
        "task": bundle.task,
        "target_name": data.target_name,
        # Every file's column names, numbered ones too (io's feature_names are those
        # scikit-learn checks: only a file's own names).
        "feature_names": data.feature_names,
        "source": data.source,
        # With --drop: the file's whole layout, to find numbered features in new rows.
        **({} if data.columns is None else {"columns": data.columns}),
        # Every file's layout, for the advice when new rows' target cannot be found.
        **({} if data.layout is None else {"file_columns": data.layout}),
        # Whether the file named its columns (a header, Parquet): a header's "0", "1"
        # are names to match in new rows, a headerless file's are positions.
        **({} if data.source.startswith("dataset:") else
           {"named_columns": data.layout is not None and data.header is not False}),
        # One-hot text columns, filled-in numbers: how new rows become the inputs.
        **({} if data.encoding is None else {"encoding": data.encoding.to_json()}),
        "written_by": "lucidnet train",
    }
    training = {
        "standardize": bool(options["standardize"]),
        "validation": options["validation"],
        **({"test_size": options["test_size"]} if options["test_size"] else {}),
        "epochs_run": summary["epochs"],
        "stopped_early": summary["stopped_early"],
        "seconds": round(summary["seconds"], 3),
        "train_seconds": round(summary["train_seconds"], 3),
    }
    # The command's progress bar is no setting of the model: refitted in Python it is
    # quiet, as an estimator made there is by default.
    estimator.set_params(verbose=False)
    names = _column_names(data)
    if bundle.input_scaling is None and names is not None:
        # Loaded in Python, the estimator then checks a DataFrame's columns as one
        # fitted on it would (the scaler does so for a standardized model).
        estimator.feature_names_in_ = np.asarray(names, dtype=object)
    try:
        io.save(estimator, options["out"], metadata=metadata,
                input_scaling=bundle.input_scaling, training=training)
    finally:
        if names is not None and bundle.input_scaling is None:
            del estimator.feature_names_in_


def _column_names(data: Labelled) -> list[str] | None:
    """The feature columns' names when the file named its columns (a text file's
    header, Parquet): a model file then records them for scikit-learn, which checks a
    DataFrame's columns against them.  None for numbered columns and built-in sets
    (those are used as arrays)."""
    from .data import PARQUET_SUFFIXES, file_format

    named = data.header is True or file_format(data.source) in PARQUET_SUFFIXES
    # One-hot inputs ("island=Biscoe") are no DataFrame's columns: an encoded model
    # takes the encoded array in Python.
    return list(data.feature_names) if named and data.encoding is None else None


def _plots(bundle: Bundle, estimator: Any, data: Labelled, X: np.ndarray, y: np.ndarray,
           held_out: dict, directory: str) -> dict[str, str]:
    """loss.png, and for classification confusion_matrix.png (+ decision_boundary.png)."""
    from . import plots

    try:
        os.makedirs(directory, exist_ok=True)
    except OSError as exc:
        raise DataError(f"--plot: cannot make the directory {directory!r} "
                        f"({exc.strerror or exc})") from None
    loss_plot, confusion_plot, boundary_plot = PLOT_FILES
    written = {"loss": os.path.join(directory, loss_plot)}
    # The fit's own history has the validation cost too (the estimator keeps only the
    # validation scores, as scikit-learn's do).
    trainer = getattr(estimator, "_trainer", None)
    plots.plot_history(estimator if trainer is None else trainer.history, written["loss"])
    if bundle.task != "regression":
        # The confusion matrix of the most honest rows available: test, else validation.
        rows = next((name for name in ("test", "validation") if name in held_out), None)
        X_cm, y_cm = held_out[rows] if rows else (X, y)
        counted = f"{rows} rows" if rows else (
            "training and validation rows" if estimator.early_stopping else "training rows")
        written["confusion_matrix"] = os.path.join(directory, confusion_plot)
        plots.plot_confusion_matrix(y_cm, bundle.predict(X_cm), bundle.class_labels(),
                                    written["confusion_matrix"],
                                    title=f"confusion matrix ({counted})")
        if X.shape[1] == 2:
            written["decision_boundary"] = os.path.join(directory, boundary_plot)
            plots.plot_decision_boundary(estimator, X, y, written["decision_boundary"],
                                         transform=bundle.transform,
                                         feature_names=data.feature_names)
    return written


#: Suffixes of files that are never CSV text: model files and binary data.
BINARY_SUFFIXES = (".npz", ".npy", ".parquet", ".pq")


def check_output(path: str | None, what: str, *, inputs: Sequence[str | None] = (),
                 text: bool = False) -> None:
    """Fail before any work, not after it, when ``path`` cannot be written or is one of
    the command's ``inputs`` (writing there would destroy what was read).  ``text``:
    the command writes CSV text, which a binary suffix (a model file's) must not get;
    otherwise it writes a model, which a data file's suffix (.csv) must not get."""
    from .data import PARQUET_SUFFIXES, TEXT_SUFFIXES, file_format

    if path is None:
        return
    directory = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(directory):
        raise DataError(f"{what}: the directory {directory!r} does not exist")
    if os.path.isdir(path) or not os.path.basename(path):
        raise DataError(f"{what}: {path!r} is a directory; give a file name")
    for source in inputs:
        if source is not None and _same_file(path, source):
            raise DataError(f"{what}: {path!r} is the input file {source!r}; writing there "
                            "would destroy it (give another file name)")
    suffix = file_format(path)
    if text and suffix in BINARY_SUFFIXES:
        raise DataError(f"{what}: {path!r} has the suffix of a model or binary data file, "
                        "but the output is CSV text; give a .csv path (or .csv.gz, ...)")
    if not text and suffix in (*TEXT_SUFFIXES, *PARQUET_SUFFIXES, ".npy"):
        raise DataError(f"{what}: {path!r} has the suffix of a data file, but a model file "
                        "is an .npz archive; give a .npz path (or any other suffix)")
    if text and suffix in OTHER_FORMAT_SUFFIXES:
        # Any other suffix (none, .out, .dat) gets CSV, as pandas' to_csv writes it.
        raise DataError(f"{what}: {path!r} has the suffix {suffix!r}, but the "
                        "output is delimited text; give a .csv or .tsv path (or .csv.gz, ...)")
    from ._atomic import check_writable

    try:
        check_writable(path)
    except OSError as exc:
        raise DataError(f"{what}: cannot write {path!r} ({exc.strerror or exc})") from None


def _same_file(a: str, b: str) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:  # one of them does not exist (yet)
        return os.path.realpath(a) == os.path.realpath(b)


def _check_plot_directory(directory: str) -> None:
    """Check before training that ``--plot``'s directory exists and takes files, or
    that its nearest existing parent does (the directory is made after training)."""
    existing = missing = os.path.abspath(directory)
    while not os.path.exists(existing):
        existing, missing = os.path.dirname(existing), existing
    if not os.path.isdir(existing):
        raise DataError(f"--plot: {existing!r} is a file, not a directory")
    if existing == os.path.abspath(directory):
        check_output(os.path.join(existing, PLOT_FILES[0]), "--plot")
        return
    from ._atomic import check_writable

    try:
        check_writable(missing)  # the first directory to make, not there yet
    except OSError as exc:
        raise DataError(f"--plot: cannot create {directory!r} in {existing!r} "
                        f"({exc.strerror or exc})") from None
