"""The command line's reading of labelled data: the target column, the task it means,
and what is worth a note on stderr before training.

:func:`read_labelled` reads a DATA file (through :func:`lucidnet.data.read_table`, with
the one-hot encoding and imputation the options ask for) or a built-in set;
:func:`infer_task` decides classification or regression from the target column; the
``note_*`` functions point out what may surprise (ids taken as features, labels apart
only by case, a target coarser in float32 than its spread).  No training here.
"""

from __future__ import annotations

import math
import re
import shlex
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from ._cli_columns import column_named, columns_named, list_option
from .errors import DataError

if TYPE_CHECKING:
    from ._encoding import Encoding


#: Integer-valued numeric targets with at most this many distinct values (and fewer
#: than half as many as there are rows) are taken to be class labels.
MAX_INFERRED_CLASSES = 20


@dataclass
class Labelled:
    """Features and targets read for training or scoring.

    Attributes
    ----------
    X : ndarray of shape (n_samples, n_features), float64
    y : ndarray of shape (n_samples,), or (n_samples, len(targets))
        Class labels (int64 or str) or regression values (float64).
    feature_names : list of str
    source : str
        The file or ``dataset:<name>`` the rows came from.
    target_name : str or None
        With several target columns, their names joined by commas (as ``--target``
        takes them).
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
    targets : list of str or None
        The target columns when there are several (``--target a,b``, a regression of
        several outputs): ``y`` then has shape (n_samples, len(targets)).  None for one.
    raw : ndarray of shape (n_samples, len(encoding.columns)) or None
        With an ``encoding``: the feature columns as read (category codes, NaN where
        missing), from which it can be learnt again on fewer rows.
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
    targets: list[str] | None = None
    raw: np.ndarray | None = None

    @property
    def target_column_names(self) -> list[str | None]:
        """The name of each target column (one, or ``targets``)."""
        return list(self.targets) if self.targets else [self.target_name]

    @property
    def target_column(self) -> str | None:
        """The target column a message about it names (None for several)."""
        return None if self.targets else self.target_name


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
    several = several_targets(path, target, header)
    if several is not None:
        return _read_several_targets(path, several, header, drop, one_hot=one_hot,
                                     impute=impute, categorical=categorical)
    note_name_that_is_an_index(path, target_argument(target), header)
    columns = features = None
    if drop:
        columns, features = _kept_columns(path, target, header, drop)
    text_columns = _categorical_columns(path, target, header, categorical, features)
    try:
        table = read_table(path, target_argument(target), require_target=True, header=header,
                           features=features, categories="auto" if one_hot else None,
                           missing="error" if impute is None else "nan",
                           text_columns=text_columns)
    except DataError as exc:
        label = exc.column is not None and exc.column == column_name(path, target, header)
        raise _with_remedy(exc, one_hot=one_hot, label=label, header=header) from None
    print_header_note(table)
    _note_id_columns(path, table)
    _note_constant_numbers(path, table)
    layout = _layout(path, table)
    if table.target.ndim == 2:  # an .npz file's y of several targets
        return Labelled(table.features, table.target, table.feature_names, path,
                        table.target_name, header=table.header, columns=columns,
                        layout=layout, targets=[f"y_{j}" for j in range(table.target.shape[1])])
    encoding = fit_encoding(table.features, table.feature_names, table.categories, impute,
                            path, codes=text_columns)
    if encoding is None:
        return Labelled(table.features, table.target, table.feature_names, path,
                        table.target_name, header=table.header, columns=columns, layout=layout)
    _note_encoding(path, table.features, encoding)
    return Labelled(encoding.expand(table.features), table.target, encoding.input_names, path,
                    table.target_name, header=table.header, columns=columns, layout=layout,
                    encoding=encoding, raw=table.features)


def several_targets(path: str, target: str | None, header: bool | None, *,
                    note: bool = True) -> list[str] | None:
    """The columns ``--target a,b`` names when it names several (names or 0-based
    indices, each once), in the order given; None when it names one (a column may be
    named "a,b": that one wins, with a note on stderr unless ``note`` is False), and
    for an .npz file holding its target as array y (read_table refuses a --target)."""
    if target is None or "," not in target or _npz_with_y(path):
        return None
    from .data import column_names, is_column_index

    try:
        names = column_names(path, header)
    except DataError:
        return None  # read_table words what is wrong with the file
    if not names:
        return None  # an empty file: read_table says so
    parts = [part.strip() for part in target.split(",")]
    known = [part in names or (is_column_index(part) and -len(names) <= int(part) < len(names))
             for part in parts]
    if target in names:
        if all(known) and note:
            print(f"note: {path}: --target {target!r} is the column named so; for the "
                  f"columns {' and '.join(map(repr, parts))}, pass their indices: --target "
                  f"{','.join(str(_index_of(part, names)) for part in parts)}", file=sys.stderr)
        return None
    unknown = [part for part, found in zip(parts, known, strict=True) if not found]
    if len(unknown) > 1:
        shown = ", ".join(repr(name) for name in names[:10]) + (", ..." * (len(names) > 10))
        raise DataError(f"--target: no columns {', '.join(map(repr, unknown))}; the file's "
                        f"columns are {shown}", path=path)
    columns = [column_named(part, names, "--target", path) for part in parts]
    repeated = next((name for k, name in enumerate(columns) if name in columns[:k]), None)
    if repeated is not None:
        raise DataError(f"--target names column {repeated!r} twice", path=path)
    if note:
        _note_names_that_are_indices(path, parts, names)
    return columns


def _note_names_that_are_indices(path: str, parts: list[str], names: Sequence[str]) -> None:
    """As :func:`note_name_that_is_an_index`, for the values of ``--target a,b``: one
    note naming every number that named a column other than the one at that index."""
    from .data import is_column_index

    shifted = [part for part in parts
               if part in names and is_column_index(part)
               and -len(names) <= int(part) < len(names) and names[int(part)] != part]
    if not shifted:
        return
    said = "; ".join(f"{part} is the column named {part!r} (index {names.index(part)}), "
                     f"not the one at index {part} ({names[int(part)]!r})" for part in shifted)
    at_index = [names[int(part)] if part in shifted else part for part in parts]
    # (No remedy when the columns at those indices would name one column twice.)
    how = (f"; for the columns at those indices, pass their names: --target "
           f"{shlex.quote(','.join(at_index))}" if len(set(at_index)) == len(at_index) else "")
    print(f"note: {path}: --target {','.join(parts)}: {said}{how}", file=sys.stderr)


def _npz_with_y(path: str) -> bool:
    """Whether ``path`` is an .npz archive holding an array ``y`` (the reader words
    any other trouble with it)."""
    import zipfile

    from .data import file_format

    if file_format(path) != ".npz":
        return False
    try:
        with zipfile.ZipFile(path) as archive:
            return "y.npy" in archive.namelist()
    except (OSError, zipfile.BadZipFile):
        return False


def split_off_targets(table: Any, targets: Sequence[str], remedy: str) -> Any:
    """``table`` read with the ``targets`` columns after its features (as features),
    with them as its ``target`` of shape (n_samples, len(targets)) instead; a missing
    target value is a DataError naming its line and column, ending with ``remedy``.
    The features become a view of the table read, without its last columns."""
    from dataclasses import replace

    k = len(targets)
    y = np.ascontiguousarray(table.features[:, -k:])
    missing = np.argwhere(np.isnan(y))
    if missing.size:
        row, j = (int(v) for v in missing[0])
        line, where = row_place(table.source, row, table.header)
        raise DataError(f"{where}missing value; {remedy}", path=table.source, line=line,
                        column=targets[j])
    return replace(table, features=table.features[:, :-k],
                   feature_names=table.feature_names[:-k], target=y,
                   target_name=",".join(targets))


def _index_of(part: str, names: Sequence[str]) -> int:
    """The 0-based index of the column ``part`` names (a name, or an index)."""
    return names.index(part) if part in names else int(part) % len(names)


def _read_several_targets(path: str, targets: list[str], header: bool | None,
                          drop: Sequence[str], *, one_hot: bool, impute: str | None,
                          categorical: Sequence[str]) -> Labelled:
    """:func:`read_labelled` for several target columns: numbers to predict together
    (a regression of several outputs, or 0/1 labels of a multilabel classifier),
    every other column not dropped a feature.
    Read in one pass, the targets as the last "features", then split off."""
    from ._encoding import fit_encoding
    from .data import column_names, read_table

    columns = column_names(path, header)
    dropped = columns_named(drop, columns, "--drop", path)
    for name in targets:
        if name in dropped:
            raise DataError(f"--drop: column {name!r} is a target (--target); it is never a "
                            "feature anyway", path=path)
    features = [name for name in columns if name not in targets and name not in dropped]
    if not features:
        raise DataError("no feature column is left besides the target columns"
                        + (" and those --drop leaves out" if dropped else ""), path=path)
    # (No note here: _categorical_columns below reads the option again, and notes.)
    for name in columns_named(categorical, columns, "--categorical", path, note=False):
        if name in targets:
            raise DataError(f"--categorical: column {name!r} is a target (--target); several "
                            "targets are numbers or 0/1 labels to predict, never features",
                            path=path)
    text_columns = _categorical_columns(path, None, header, categorical, features)
    try:
        table = read_table(path, None, header=header, features=[*features, *targets],
                           categories="auto" if one_hot else None,
                           missing="error" if impute is None else "nan",
                           text_columns=text_columns)
    except DataError as exc:
        from .data import TEXT_IN_NUMBERS_HINT

        if exc.column in targets and TEXT_IN_NUMBERS_HINT in exc.message:
            raise amended(exc, exc.message.replace(
                TEXT_IN_NUMBERS_HINT, "several target columns hold numbers or 0/1 labels: "
                "fix or remove the row")) from None
        raise _with_remedy(exc, one_hot=one_hot, label=exc.column in targets,
                           header=header) from None
    print_header_note(table)
    for name in targets:
        if name in table.categories:
            shown = ", ".join(map(repr, table.categories[name][:3]))
            raise DataError(f"the target column holds text ({shown}, ...); several target "
                            "columns are predicted together as numbers (regression) or as 0/1 "
                            "labels (multilabel: write them 0/1 or True/False); for classes "
                            "of text, train a classifier per label column", path=path,
                            column=name)
    table = split_off_targets(table, targets, "every row needs its target values to train "
                              "on: remove the rows without them (--impute fills in features "
                              "only)")
    y = table.target
    _note_id_columns(path, table)
    _note_constant_numbers(path, table)
    layout = _layout(path, table)
    encoding = fit_encoding(table.features, table.feature_names, table.categories, impute,
                            path, codes=text_columns)
    # X: a view of the table read, without the target columns (it keeps that table
    # alive; the training rows are copied anyway, standardized or into the network's
    # dtype, so a contiguous copy here would be one more).
    X, names = table.features, table.feature_names
    if encoding is not None:
        _note_encoding(path, X, encoding)
        X, names = encoding.expand(X), encoding.input_names
    return Labelled(X, y, names, path, ",".join(targets),
                    header=table.header, columns=columns if dropped else None, layout=layout,
                    encoding=encoding, targets=list(targets),
                    raw=None if encoding is None else table.features)


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
              f"{'it' if len(found) == 1 else 'them'} out with "
              f"{list_option('--drop', found)}", file=sys.stderr)


#: At most this many constant columns are named in the note about them.
SHOWN_CONSTANT_COLUMNS = 5


def _note_constant_numbers(path: str, table: Any) -> None:
    """Say on stderr which numeric feature columns hold one number in every row (as
    :func:`_note_encoding` says of a text column): standardized, such an input is 0
    for every row and teaches nothing.  (Image data has many, its borders: past a few,
    the note counts them rather than spelling out the --drop options.)"""
    X = table.features
    if X.shape[0] < 2 or X.shape[1] == 0:
        return
    # min == max: two passes and no m x n temporary (NaN makes a column unequal).
    constant = np.flatnonzero(X.min(axis=0) == X.max(axis=0))
    found = [name for name in (table.feature_names[k] for k in constant)
             if name not in table.categories]
    if not found:
        return
    one = len(found) == 1
    shown = ", ".join(map(repr, found[:SHOWN_CONSTANT_COLUMNS]))
    if len(found) > SHOWN_CONSTANT_COLUMNS:
        shown += f" and {len(found) - SHOWN_CONSTANT_COLUMNS} more"
    remedy = (f"; leave {'it' if one else 'them'} out with {list_option('--drop', found)}"
              if len(found) <= SHOWN_CONSTANT_COLUMNS else "")
    print(f"note: {path}: {shown} hold{'s' * one} the same number in every row: "
          f"{'an input' if one else 'inputs'} that teach{'es' * one} nothing{remedy}",
          file=sys.stderr)


def column_name(path: str, column: str | None, header: bool | None) -> str | None:
    """The name of DATA's ``column`` given by name or 0-based index (None if unknown)."""
    from ._table import _resolve_target
    from .data import column_names

    if column is None:
        return None
    try:
        names = column_names(path, header)
        return names[_resolve_target(target_argument(column), names, path)]
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
        return amended(exc, message)
    elif exc.message.startswith("expected a numeric column") and exc.column is not None:
        # A Parquet column of dates or nulls: no number, no category.
        remedy = f"leave it out with --drop {shlex.quote(exc.column)}"
    return exc if remedy is None else amended(exc, f"{exc.message}; {remedy}")


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


def amended(exc: DataError, message: str) -> DataError:
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
            one = len(constant) == 1
            print(f"note: {path}: {', '.join(map(repr, constant))} hold{'s' if one else ''} "
                  "the same text in every row: an input that teaches nothing; leave "
                  f"{'it' if one else 'them'} out with "
                  f"{list_option('--drop', constant)}", file=sys.stderr)
        dates = [column for column, values in encoding.categories.items()
                 if len(values) > 2 and sum(map(_looks_like_date, values)) > len(values) / 2]
        if dates:
            verb = "holds" if len(dates) == 1 else "hold"
            print(f"note: {path}: {', '.join(map(repr, dates))} {verb} dates, one-hot "
                  "encoded as categories: a date not in the training rows "
                  "gets none of them; --drop such a column, or write it as numbers (year, "
                  "month, day) before training", file=sys.stderr)
        alike = {column: groups for column, values in encoding.categories.items()
                 if (groups := _apart_by_case(values))}
        if alike:
            shown = "; ".join(f"{column!r}: {' and '.join(map(repr, names[0]))}"
                              for column, names in list(alike.items())[:3])
            print(f"note: {path}: categories that differ only in case are different inputs: "
                  f"{shown}{'; ...' if len(alike) > 3 else ''}", file=sys.stderr)
    filled = {column: int(np.isnan(X[:, k]).sum()) for k, column in enumerate(encoding.columns)
              if column in encoding.fill and np.isnan(X[:, k]).any()}
    if filled:
        shown = ", ".join(f"{count} in {column!r}" for column, count in filled.items())
        print(f"note: {path}: missing numbers filled in with the column {encoding.imputer}: "
              f"{shown}", file=sys.stderr)


def _categorical_columns(path: str, target: str | None, header: bool | None,
                         categorical: Sequence[str], features: Sequence[str] | None
                         ) -> list[str]:
    """The feature columns ``--categorical`` names (DataError for the target, a column
    --drop leaves out, or an array file, which holds numbers only)."""
    from ._table import _resolve_target
    from .data import column_names, names_columns

    if not categorical:
        return []
    if not names_columns(path):
        raise DataError("--categorical reads columns as text categories, which only text "
                        "and Parquet files hold; encode an array file's codes yourself",
                        path=path)
    columns = column_names(path, header)
    if not columns:
        return []  # an empty file: read_table says so
    names = columns_named(categorical, columns, "--categorical", path)
    t = _resolve_target(target_argument(target), columns, path)
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
    from ._table import _resolve_target
    from .data import column_names

    columns = column_names(path, header)
    dropped = columns_named(drop, columns, "--drop", path)
    t = _resolve_target(target_argument(target), columns, path)
    target_name = None if t is None else columns[t]
    if target_name in dropped:
        raise DataError(f"--drop: column {target_name!r} is the target (--target); it is "
                        "never a feature anyway", path=path)
    features = [name for name in columns if name != target_name and name not in dropped]
    if not features:
        raise DataError("--drop leaves no feature column", path=path)
    return columns, features


def print_header_note(table: Any) -> None:
    """Say on stderr how an unclear first line was read (the row count depends on it)."""
    if table.header_note:
        from ._cli_report import command_line_words

        print(f"note: {table.source}: {command_line_words(table.header_note)}", file=sys.stderr)


def load_dataset(name: str, seed: int) -> Labelled:
    """A built-in data set, its labels as class indices with their names kept aside."""
    from .datasets import load

    data = load(name, random_state=seed)
    several = data.target_columns
    return Labelled(data.X, data.y, list(data.feature_names), f"dataset:{name}",
                    "target" if several is None else ",".join(several), data.target_names,
                    targets=several)


def note_name_that_is_an_index(path: str, target: str | None, header: bool | None) -> None:
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


def target_argument(target: str | None) -> str | None:
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
    line, where = row_place(data.source, row, data.header)
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
    line, where = row_place(data.source, row, data.header)
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


def note_labels_apart_by_case(data: Labelled) -> None:
    """Say on stderr which text labels differ only in case ("Yes", "yes"): they are
    different classes, as the file spells them, which is seldom what was meant."""
    if data.y.dtype.kind not in "OUS":
        return
    alike = _apart_by_case(np.unique(data.y).tolist())
    if alike:
        shown = "; ".join(" and ".join(map(repr, names)) for names in alike[:3])
        print(f"note: {data.source}: labels that differ only in case are different classes: "
              f"{shown}{'; ...' if len(alike) > 3 else ''}", file=sys.stderr)


#: A date as spreadsheets and databases write one: 2020-12-31 (a time may follow),
#: 31/12/2020, 12/31/20, 31.12.2020, 2020/12/31.
_DATE = re.compile(r"\d{4}-\d{1,2}-\d{1,2}([ T].*)?|\d{1,2}[/.]\d{1,2}[/.]\d{2}(\d{2})?"
                   r"|\d{4}/\d{1,2}/\d{1,2}")


def _looks_like_date(text: str) -> bool:
    return _DATE.fullmatch(text.strip()) is not None


def _apart_by_case(texts: Sequence[Any]) -> list[list[str]]:
    """The groups of ``texts`` that differ only in case ("Yes", "yes", "YES")."""
    spellings: dict[str, list[str]] = {}
    for text in texts:
        spellings.setdefault(str(text).casefold(), []).append(str(text))
    return [names for names in spellings.values() if len(names) > 1]


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
    if requested == "multiclass" and n_classes == 2:
        # Two classes make one sigmoid output, as in scikit-learn's MLPClassifier:
        # a binary model, whatever the option said.
        return "binary"
    return requested


def note_float32_resolution(data: Labelled) -> None:
    """Say on stderr when float32 predictions would step coarsely next to the target's
    spread: values near 1e6 are float32 numbers 0.0625 apart, 6% of a spread of 1
    (for each target column)."""
    columns = np.asarray(data.y, dtype=np.float64).reshape(len(data.y), -1)
    for name, y in zip(data.target_column_names, columns.T, strict=True):
        if not np.max(np.abs(y)) <= np.finfo(np.float32).max:
            continue  # beyond float32: check_range refuses it
        step = float(np.spacing(np.float32(np.max(np.abs(y)))))
        spread = float(np.std(y))
        what = "the target's" if data.targets is None else f"the target {name!r}'s"
        # Coarser steps than FLOAT32_TARGET_STEP are refused (check_target_precision).
        if spread > 0 and 1e-3 * spread < step <= FLOAT32_TARGET_STEP * spread:
            print(f"note: {data.source}: {what} values are float32 numbers {step:g} apart "
                  f"near {np.max(np.abs(y)):g}, {100 * step / spread:.2g}% of its spread "
                  f"({spread:.3g}): predictions come in such steps; --dtype float64 "
                  "computes finer (or subtract the offset from the target)", file=sys.stderr)


def note_whole_number_task(data: Labelled, task: str) -> None:
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


#: Whole numbers up to this size are told apart as float64, which the reader reads
#: numbers as (2^53): above it, 10000000000000001 reads as 10000000000000000.
EXACT_WHOLE_NUMBERS = 2**53


def as_labels(y: np.ndarray, source: str) -> np.ndarray:
    """Class labels as the user wrote them: whole-number floats become int64, other
    numbers (classes by ``--output binary``/``multiclass``, such as 0.0507 and -0.0446)
    their shortest text, which new rows' numbers match by value.

    Raises DataError for whole numbers beyond :data:`EXACT_WHOLE_NUMBERS` in size:
    read as numbers, two such labels may have become one (and int64 holds none past
    about 9.2e18)."""
    if y.dtype.kind == "f":
        if np.array_equal(y, np.round(y)):
            largest = float(np.abs(y).max()) if len(y) else 0.0
            if largest > EXACT_WHOLE_NUMBERS:
                raise DataError(
                    f"the target holds whole numbers as large as {largest:.17g}, beyond "
                    f"2^53 = {EXACT_WHOLE_NUMBERS}, where numbers read as such cannot tell "
                    "every label apart (10000000000000001 reads as 10000000000000000); "
                    "write such labels as text (id_10000000000000001) or as small codes",
                    path=source)
            return y.astype(np.int64)
        return np.array([repr(value) for value in y.tolist()])
    return y


def standardization(X: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per-feature mean and scale of ``X`` (n_samples, n_features); constant columns get 1.

    Taken on each column divided by its largest magnitude and scaled back: squaring
    values above about 1e154 overflows float64, and their plain standard deviation
    would be infinite.  In blocks of rows, two passes (the mean, then the squared
    deviations from it): no temporary array the size of ``X``, whose allocation
    costs more than the arithmetic on a large one-hot table."""
    largest = np.maximum(X.max(axis=0), -X.min(axis=0))
    largest[largest == 0] = 1.0
    blocks = range(0, len(X), _STANDARDIZATION_BLOCK)
    total = np.zeros(X.shape[1])
    for start in blocks:
        total += (X[start:start + _STANDARDIZATION_BLOCK] / largest).sum(axis=0)
    unit_mean = total / len(X)
    squares = np.zeros(X.shape[1])
    for start in blocks:
        deviation = X[start:start + _STANDARDIZATION_BLOCK] / largest - unit_mean
        squares += np.einsum("ij,ij->j", deviation, deviation)
    mean = unit_mean * largest
    scale = np.sqrt(squares / len(X)) * largest
    # A constant feature carries no information; dividing by 1 keeps it at 0.
    scale[scale == 0] = 1.0
    return mean, scale


def standardized(X: np.ndarray, mean: np.ndarray, scale: np.ndarray, dtype: Any
                 ) -> np.ndarray:
    """``(X - mean) / scale`` (n_samples, n_features) in float64, stored as ``dtype``
    (the network's, which the estimator would otherwise copy it into), a block of
    rows at a time: one new array, not three."""
    out = np.empty(X.shape, dtype=dtype)
    for start in range(0, len(X), _STANDARDIZATION_BLOCK):
        rows = slice(start, start + _STANDARDIZATION_BLOCK)
        out[rows] = (X[rows] - mean) / scale
    return out


#: Rows per block of :func:`standardization` and :func:`standardized` (4 MB of a
#: 64-column float64 table).
_STANDARDIZATION_BLOCK = 8192


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
        line, where = row_place(source, i, header)
        raise DataError(
            f"{where}{value} is beyond the largest {np.dtype(dtype)} ({largest:.4g}); {remedy}",
            path=source, line=line, column=names[j] if j < len(names) else str(j),
        )


#: A float32 model refuses a target whose float32 steps at its largest size exceed this
#: share of its spread (standard deviation).  The R^2 the steps cost is about
#: (step / spread)^2 / 15 (targets of 1.7e9, float32 steps of 128, spreads of 10 to
#: 3000): under 1e-3 here, while a spread of 10 loses all of it.
FLOAT32_TARGET_STEP = 0.1


def check_target_precision(y: np.ndarray, dtype: Any, source: str,
                           names: Sequence[str | None]) -> None:
    """Refuse a regression target (float64, shape (m,) or (m, k)) that ``dtype`` cannot
    resolve: the model predicts in the target's units in its dtype, so a float32 model
    of values like 1.7e9 +- 10 (float32 steps of 128 there) predicts one constant.
    ``names``: the name of each target column (k of them)."""
    if np.dtype(dtype) != np.float32:
        return
    columns = y.reshape(len(y), -1)
    largest = np.abs(columns).max(axis=0)
    spread = columns.std(axis=0)
    step = np.spacing(largest.astype(np.float32)).astype(np.float64)
    # A constant column is no question of precision (it is noted elsewhere); its std
    # may still round above 0 (3.7 in every row: 8.9e-16), so compare the values.
    varies = columns.max(axis=0) > columns.min(axis=0)
    coarse = np.flatnonzero((step > FLOAT32_TARGET_STEP * spread) & varies)
    if coarse.size:
        j = int(coarse[0])
        raise DataError(
            f"the target's values reach {largest[j]:.7g} but spread only {spread[j]:.3g} "
            f"(standard deviation): float32 tells values that size apart only in steps "
            f"of {step[j]:.3g}; pass --dtype float64", path=source, column=names[j])


def is_label_matrix(Y: np.ndarray) -> bool:
    """Whether every cell of ``Y`` is a 0/1 label (True/False read as numbers are)."""
    return bool(((Y == 0) | (Y == 1)).all())


def check_label_matrix(Y: np.ndarray, names: Sequence[str], source: str,
                       header: bool | None, what: str) -> None:
    """DataError naming the first cell of ``Y`` (n_samples, n_labels) that is not a 0/1
    label (True/False read as numbers are), its line and its column of ``names``;
    ``what`` opens the message ("--output multilabel takes")."""
    if is_label_matrix(Y):
        return
    not_label = (Y != 0) & (Y != 1)
    row, j = (int(k) for k in np.argwhere(not_label)[0])
    line, where = row_place(source, row, header)
    raise DataError(f"{where}{what} 0/1 labels (1: the row has the label); got {Y[row, j]:g}",
                    path=source, line=line, column=names[j])


def row_place(source: str, row: int, header: bool | None) -> tuple[int | None, str]:
    """``(line, "")`` for data row ``row`` (0-based) of a text file, else ``(None, "row N
    (0-based): ")``, as the readers name an array's or a Parquet file's rows: where a
    message about the row should point."""
    from .data import row_line

    line = row_line(source, row, header)  # None for array files and built-in data sets
    return line, "" if line is not None else f"row {row} (0-based): "


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


def dataset_rows(name: str, seed: int) -> tuple[list[str], np.ndarray]:
    """Header and rows (features, then the label's name or value, or the several
    targets' values under their names) of a built-in set."""
    from .datasets import load

    data = load(name, random_state=seed)
    if data.target_names is not None:
        target = np.asarray(data.target_names, dtype=object)[data.y]
    else:
        target = data.y.astype(object)
    target = target.reshape(len(target), -1)
    n_features = data.X.shape[1]
    rows = np.empty((len(data.X), n_features + target.shape[1]), dtype=object)
    rows[:, :n_features] = data.X
    rows[:, n_features:] = target
    return [*data.feature_names, *(data.target_columns or ["target"])], rows
