"""The command line's model files: what a CLI model file holds beside its network
(:class:`Bundle`), and how ``predict`` and ``evaluate`` find the model's features in
a new file (by name, by the training layout, or by position) and read them the way
training read its own.
"""

from __future__ import annotations

import math
import shlex
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from . import _class_outputs
from ._cli_columns import columns_named
from ._cli_data import (
    amended,
    as_labels,
    check_label_matrix,
    check_range,
    column_name,
    note_name_that_is_an_index,
    print_header_note,
    row_place,
    several_targets,
    split_off_targets,
    target_argument,
)
from .errors import DataError, ModelFileError

if TYPE_CHECKING:
    from ._encoding import Encoding


#: What evaluate says of labels that are the model's classes but for their spelling.
SPELLED_OTHERWISE = ("they differ from the model's classes only in case, spaces or a final "
                     "period (as UCI's adult.test writes '>50K.')")
#: Rows per block of :meth:`Bundle.outputs`.
_OUTPUT_BLOCK = 65536


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
    task : {"binary", "multiclass", "multilabel", "regression"}
        "multilabel": a sigmoid output per 0/1 label column (``train --target a,b``).
    classes : ndarray of shape (n_classes,) or None
        (For a multilabel model, the outputs' indices 0, 1, ..., as scikit-learn's.)
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
    # (X, outputs) of the last outputs() call on a read-only X: the rows are checked,
    # then predicted.  A writeable X may have changed in place since (a shuffled column).
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
        dtype for a network file (as its own); kept for the next call with the same X
        object when X is read-only (as :func:`read_features` leaves the rows it read)."""
        if self._last_outputs is not None and self._last_outputs[0] is X:
            return self._last_outputs[1]
        dtype = self.network.dtype if self.kind == "network" else np.float64
        A = np.empty((len(X), self.network.layer_sizes[-1]), dtype=dtype)
        # A block of rows at a time: the encoded, scaled inputs of a large file (one
        # float64 per category) are never all in memory at once.
        for start in range(0, len(X), _OUTPUT_BLOCK):
            rows = slice(start, start + _OUTPUT_BLOCK)
            with np.errstate(all="ignore"):  # non-finite outputs: see check_outputs
                A[rows] = self.network.output(self.transform(X[rows]).astype(
                    self.network.dtype))
        self._last_outputs = None if X.flags.writeable else (X, A)
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
            line, where = row_place(source, int(np.flatnonzero(bad)[0]), header)
            raise DataError(
                f"{where}the model's output overflows (the features are far beyond what it "
                f"was trained on); {int(bad.sum())} such row(s)", path=source, line=line)

    def predict(self, X: np.ndarray) -> np.ndarray:
        """Labels (classification) or values (regression) of shape (m,) for raw features
        (a regression model of several outputs: (m, n_outputs); a multilabel model:
        the 0/1 matrix (m, n_labels), 1 where a label's probability is over 0.5)."""
        A = self.outputs(X)
        if self.task == "regression":
            return A[:, 0] if A.shape[1] == 1 else A
        if self.task == "multilabel":
            return _class_outputs.labels(A, "multilabel-indicator", np.arange(A.shape[1]))
        classes = self.classes if self.classes is not None else np.array(self.class_labels())
        return _class_outputs.labels(A, self.task, classes)

    def predict_proba(self, X: np.ndarray) -> np.ndarray:
        """Class probabilities of shape (m, n_classes), columns in the order of ``classes``
        (a multilabel model: each label's probability, (m, n_labels))."""
        if self.task == "regression":
            raise ValueError(
                f"--proba needs a classifier; {self.path} holds a regression model"
            )
        A = self.outputs(X)
        if self.kind == "network" and self.task == "multiclass":
            return A  # the network's softmax, as Network.predict_proba gives it
        if self.task == "multilabel":
            return _class_outputs.probabilities(A, "multilabel-indicator")
        return _class_outputs.probabilities(A, self.task)

    def predict_columns(self, X: np.ndarray, *, proba: bool) -> tuple[list[str], np.ndarray]:
        """Header and values of the prediction CSV."""
        if proba:
            labels = self.class_labels()
            if self.task == "multilabel":  # proba_tech beside tech, proba_3 beside prediction_3
                labels = [name.removeprefix("prediction_") for name in self.output_names()]
            return [f"proba_{label}" for label in labels], self.predict_proba(X)
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
        if predicted.ndim == 2:  # a model of several outputs
            return self.output_names(), predicted
        return [str(name)], predicted

    @property
    def targets(self) -> list[str] | None:
        """The target columns of a model trained on several (``train --target a,b``)."""
        return _names(self.metadata.get("target_names"))

    def name_outputs(self, targets: Sequence[str]) -> None:
        """Call the outputs of a model whose file names none of them (one saved from
        Python) after the columns ``targets`` that hold their true values, for this
        command's prediction columns and metrics; the file is left as it is."""
        if not self.targets:
            self.metadata["target_names"] = [str(name) for name in targets]

    @property
    def target_column(self) -> str | None:
        """The column the model was trained to predict (None if unknown, or several)."""
        return None if self.targets else self.metadata.get("target_name")

    def output_names(self) -> list[str]:
        """A name per output of a model of several (regression or multilabel), for its
        prediction columns and metrics: its target columns' (``train --target a,b``), or for a
        file without a header, whose names are column numbers, ``prediction_3`` for
        column 3; for a model saved from Python, ``<target>_0``, ``<target>_1``, ..."""
        from .data import is_column_index

        n_out = self.network.layer_sizes[-1]
        names = self.targets
        if names and len(names) == n_out:
            if all(is_column_index(name) for name in names) and not _named_features(self):
                return [f"prediction_{name}" for name in names]  # of column 3: prediction_3
            return names
        name = self.metadata.get("target_name") or "prediction"
        return [f"{name}_{j}" for j in range(n_out)]

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
        from ._cli_report import (
            classification_metrics,
            multilabel_metrics,
            regression_metrics,
        )

        predicted = self.predict(X)
        if self.task == "multilabel":
            if y.ndim != 2:
                raise _one_target_error(self, source)
            check_label_matrix(y, self.output_names(), source, header,
                               "a multilabel model's targets are")
            return multilabel_metrics(y.astype(np.int64), predicted, self.output_names())
        if self.task == "regression":
            if y.dtype.kind not in "biuf":
                from .data import finite_number

                row = next((i for i, cell in enumerate(y.tolist())
                            if math.isnan(finite_number(cell))), 0)
                line, where = row_place(source, row, header)
                raise DataError(
                    f"{where}the target column must hold numbers for a regression model; "
                    f"got {str(y[row])!r}", path=source, line=line)
            if predicted.ndim != y.ndim:
                raise _one_target_error(self, source)
            metrics = regression_metrics(y, predicted)
            if predicted.ndim == 2:
                # Over all the outputs above (R^2: their mean, as scikit-learn's
                # r2_score), and each one's here.
                metrics["by_target"] = {
                    name: regression_metrics(y[:, j], predicted[:, j])
                    for j, name in enumerate(self.output_names())}
            return metrics
        y = _match_label_type(as_labels(y, source), self.class_labels(), source)
        present = np.unique(y).tolist()
        if not set(present) & set(self.class_labels()):
            shown = ", ".join(map(str, present[:5])) + (", ..." if len(present) > 5 else "")
            raise DataError(
                f"none of the target column's values ({shown}) is one of the model's "
                f"classes ({', '.join(map(str, self.class_labels()))}); " + (
                    f"{SPELLED_OTHERWISE}: write them as the training file does"
                    if self._spelled_otherwise(present) else
                    "is --target the labels' column?"), path=source,
            )
        labels = list(dict.fromkeys([*self.class_labels(), *present]))
        metrics = classification_metrics(y, predicted, labels)
        unseen = labels[len(self.class_labels()):]
        if unseen:
            # Rows of a class the model never saw are always wrong; say why.
            metrics["unseen_labels"] = list(unseen)  # as in "labels": 7, not "7"
            metrics["unseen_spelled_otherwise"] = self._spelled_otherwise(unseen)
        present = set(np.unique(y).tolist())
        absent = [label for label in self.class_labels() if label not in present]
        if absent:
            # Left out of the macro averages unless predicted (then their precision
            # and recall count 0): said, as the averages are then over fewer classes.
            metrics["absent_labels"] = absent
        return metrics

    def _spelled_otherwise(self, labels: Sequence[Any]) -> bool:
        """Whether every one of ``labels`` is one of the model's classes but for case,
        surrounding spaces or a final period."""
        def key(label: Any) -> str:
            return str(label).strip().removesuffix(".").casefold()

        classes = {key(label) for label in self.class_labels()}
        return all(key(label) in classes for label in labels)

    def describe(self) -> dict[str, Any]:
        """Everything ``lucidnet info`` shows, as plain data."""
        from ._solver_settings import unused_settings

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
            # (A multilabel model's "classes" are its outputs' indices: its targets say.)
            "classes": (None if self.classes is None or self.task == "multilabel"
                        else self.classes.tolist()),
            "features": self.feature_names,
            "input_scaling": "standardized" if self.input_scaling is not None else "none",
            **({} if self.encoding is None else self.encoding.describe()),
            "target": self.metadata.get("target_name"),
            **({} if self.targets is None else {"targets": self.targets}),
            "format_version": self.format_version,
            "library_version": self.library_version,
            "training": self.training,
            "unused_settings": unused_settings(self.training or {}),
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
        from ._number_text import _is_number

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
        natural = "multilabel"  # a sigmoid unit per label
    else:
        natural = ({"sigmoid": "binary", "softmax": "multiclass"}.get(output, "regression")
                   if network.classifies else "regression")
    stated = metadata.get("task") if kind == "network" else None
    if stated not in ("binary", "multiclass", "multilabel", "regression"):
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
    from ._table import _list_names

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
    trained_on = bundle.target_column
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


def _numbered(columns: Sequence[str]) -> bool:
    """Whether ``columns`` are the numbers "0", "1", ... a file without a header (or an
    array file) gives its columns: positions, not names."""
    return list(columns) == [str(j) for j in range(len(columns))]


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
                      columns: list[str] | None, targets: Sequence[str] = ()
                      ) -> list[str] | None:
    """The model's feature names when DATA's header holds every one of them but not as
    its only columns in the training order (other columns such as an id, or another
    order): they are then read by name, and a note on stderr says what was left out.
    None (read by position) when the columns are just those, when DATA has no header,
    and for a model whose feature names are numbers (trained without a header: "1"
    there may be any column).  A header that lacks some of the names is an error
    naming them.  ``columns``: DATA's column names (None when they could not be read:
    read_table words that error); ``targets``: a model's several target columns among
    them, left out like ``target``."""
    from ._table import _resolve_target, is_column_index

    names = bundle.feature_names
    if columns is None or not _named_features(bundle):
        return None
    if _numbered(columns):
        return None  # no header: by position
    _resolve_target(target, columns, path)  # an unknown --target: that error, no note first
    if target is not None and target not in columns and is_column_index(target):
        index = int(target)
        target = columns[index] if -len(columns) <= index < len(columns) else None
    others = [name for name in columns if name != target and name not in targets]
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
    if not trained or not _numbered(trained):
        return None
    try:
        columns = column_names(path, header)
    except DataError:
        return None  # read_table words the error
    if not _numbered(columns):
        return None  # DATA names its columns
    names = list(bundle.feature_names or ())
    trained_on = bundle.target_column
    # The target columns among the numbered ones (an .npz file's target is its array
    # y, not one of them); several are in DATA's full layout (read_features found them).
    targets = [name for name in (bundle.targets or [trained_on]) if name in trained]
    if len(columns) == len(trained):
        return names, trained_on if target is None and trained_on in trained else target
    if target is None and targets and len(columns) == len(trained) - len(targets):
        # Without the target columns: those after one move one to the left.
        places = [int(name) for name in targets]
        return [str(int(name) - sum(t < int(name) for t in places)) for name in names], None
    dropped = len(trained) - len(names) - len(targets)
    target_part = (f"the target{'s' * (len(targets) > 1)} {', '.join(map(repr, targets))}, "
                   if targets else "")
    raise DataError(
        f"the model was trained on {len(trained)} numbered columns ({target_part}"
        f"{len(names)} features and {dropped} left out by --drop); the file has "
        f"{len(columns)}: give rows in that layout"
        + (f", with or without the target column{'s' * (len(targets) > 1)}"
           if target_part else ""),
        path=path,
    )


def _several_targets(bundle: Bundle, path: str, target: str | None,
                     header: bool | None) -> list[str] | None:
    """DATA's target columns when there are several: those ``--target a,b`` names, or
    without --target those of a model trained on several when DATA holds them all
    (rows to predict may come without them).  None otherwise."""
    from .data import column_names

    if target is not None:
        return several_targets(path, target, header)
    trained = bundle.targets
    if not trained:
        return None
    try:
        columns = column_names(path, header)
    except DataError:
        return None  # read_table words the error
    if _numbered(columns):
        # No header: columns "0", "1", ... are positions, and a file of the features
        # alone has them too; the training layout has the features and the targets
        # (and the columns --drop left out).
        width = len(columns) == _training_width(bundle)
        return trained if width and set(trained) <= set(columns) else None
    return trained if set(trained) <= set(columns) else None


def _training_width(bundle: Bundle) -> int:
    """The column count of the training file of a model of several targets: features
    and targets, or every column when --drop left some out (only that layout places
    numbered columns: a file without the dropped ones moves those after them)."""
    layout = _names(bundle.metadata.get("columns"))
    return len(layout) if layout else bundle.n_features + len(bundle.targets or ())


def _several_features(bundle: Bundle, path: str, targets: list[str],
                      header: bool | None) -> list[str]:
    """DATA's feature columns beside several ``targets``: the model's by name, or in
    a file without a header in the training layout the model's by position (the
    columns --drop left out included), else every column but the targets."""
    from .data import column_names

    columns = column_names(path, header)
    others = [name for name in columns if name not in targets]
    in_layout = len(columns) == _training_width(bundle)
    if _numbered(columns) and not _named_features(bundle) and in_layout:
        return list(bundle.feature_names or others)
    return _features_by_name(bundle, path, None, columns, targets) or others


def _one_target_error(bundle: Bundle, path: str) -> DataError:
    """One target column given to score a model of several outputs."""
    names = bundle.output_names()
    what = "labels" if bundle.task == "multilabel" else "values"
    return DataError(f"the model predicts {len(names)} {what} per row ({', '.join(names)}); "
                     f"name as many target columns: --target {shlex.quote(','.join(names))}",
                     path=path)


def _in_output_order(bundle: Bundle, targets: list[str], path: str) -> list[str]:
    """``targets`` in the order of the model's outputs when they are its target
    columns' names in another order (else as given: each column scores the output in
    its place); DataError for a model that does not predict as many numbers."""
    n_out = bundle.network.layer_sizes[-1]
    if _named_features(bundle):
        clash = next((name for name in targets if name in bundle.feature_names), None)
        if clash is not None:
            raise DataError(f"--target {clash!r} is one of the model's feature columns",
                            path=path)
    several = bundle.task in ("regression", "multilabel")
    if not several or len(targets) != n_out:
        what = f"a {bundle.task} model of" if several else f"a {bundle.task} model"
        count = f" {n_out} output{'s' * (n_out > 1)}" if several else ""
        raise DataError(f"--target names {len(targets)} columns "
                        f"({', '.join(map(repr, targets))}); the model is {what}{count}",
                        path=path)
    trained = bundle.targets
    if not trained:
        return targets
    if sorted(trained) == sorted(targets):
        return trained
    misplaced = [(j, name) for j, name in enumerate(targets)
                 if name in trained and trained.index(name) != j]
    if misplaced:
        # Scored by position, a column named as one of the model's targets would be
        # compared with another target's output.
        j, name = misplaced[0]
        raise DataError(f"--target: column {name!r} is given as target {j + 1} of "
                        f"{len(targets)}, but it is the model's target "
                        f"{trained.index(name) + 1} ({', '.join(trained)}): name the "
                        "columns in that order", path=path)
    return targets


def _note_unknown_categories(path: str, unknown: dict[str, int]) -> None:
    """Say on stderr which rows hold texts the model never saw (they get no category)."""
    if unknown:
        shown = ", ".join(f"{count} in {column!r}" for column, count in unknown.items())
        print(f"note: {path}: rows with a category the model was not trained on (encoded "
              f"as none of its categories): {shown}", file=sys.stderr)


def _positional_features(bundle: Bundle, path: str, target: str | None,
                         header: bool | None, scoring: bool) -> list[str]:
    """DATA's feature columns by position (every column but ``target``), for an encoded
    model: it must read the model's text columns as text, so it names them; a count
    that is not the model's is an error (before any cell is read as a number)."""
    from ._table import _resolve_target
    from .data import column_names

    columns = column_names(path, header)
    t = _resolve_target(target_argument(target), columns, path)
    names = [name for j, name in enumerate(columns) if j != t]
    if len(names) != bundle.n_features:
        raise _feature_count_error(bundle, len(names), target, path, scoring)
    return names


def _feature_count_error(bundle: Bundle, n_features: int, target: str | None,
                         path: str, scoring: bool) -> DataError:
    """DATA has ``n_features`` feature columns where the model reads another count
    (``scoring``: for evaluate, whose --target names the true values' column)."""
    # Only a column too many can be the labels (--target leaves one out).
    hint = ("; pass --target COL if DATA also holds the labels"
            + (" (or an id the model was not trained on: --target leaves that column out)"
               if n_features == bundle.n_features + 1 and not scoring
               and not _headerless_target(bundle) else "")
            if target is None and n_features > bundle.n_features else "")
    if hint and (bundle.targets or bundle.task in ("regression", "multilabel")
                 and bundle.network.layer_sizes[-1] > 1):
        hint = "; pass --target COL,COL,... if DATA also holds the targets"
    elif hint and _headerless_target(bundle):
        hint += (f" (the model's target was column {bundle.target_column} of its training "
                 f"file: --target {bundle.target_column} if DATA has that layout)")
    trained = _names(bundle.metadata.get("columns"))
    if trained and _numbered(trained):
        # Trained with --drop on a file without a header: only that layout, without a
        # header, puts the features back in place (a header's columns are not placed
        # by position: an id before the features makes a file of the same width).
        kept = set(bundle.feature_names or ()) | {bundle.target_column}
        dropped = [name for name in trained if name not in kept]
        hint += (f" (the model was trained on a file without a header of {len(trained)} "
                 f"columns, leaving out column{'s' if len(dropped) > 1 else ''} "
                 f"{','.join(dropped)} by --drop: give rows in that layout without a header "
                 "line, or just the model's feature columns)")
    return DataError(f"the model expects {bundle.n_features} feature column"
                     f"{'s' if bundle.n_features != 1 else ''}; the file has "
                     f"{n_features}{hint}", path=path)


def _headerless_target(bundle: Bundle) -> bool:
    """Whether the model's one target column is a position ("13") in a training file
    without a header (a file with names then has no column "13")."""
    from .data import is_column_index

    trained_on = bundle.target_column
    return bool(trained_on) and is_column_index(str(trained_on)) and not _named_features(bundle)


def kept_column_names(path: str, keep: Sequence[str], header: bool | None, *,
                      note: bool = True) -> list[str]:
    """The columns ``predict --keep`` names, once each, in the order given; DataError
    naming the file's columns for an unknown one."""
    from .data import column_names

    columns = column_names(path, header)
    return list(dict.fromkeys(columns_named(keep, columns, "--keep", path, note=note)))


def read_kept_columns(path: str, keep: Sequence[str], header: bool | None,
                      n_rows: int) -> tuple[list[str], np.ndarray]:
    """``predict --keep``: the names and cells of DATA's ``keep`` columns (names or
    0-based indices), as the file writes them (an id ``0001`` or ``NA`` stays so), in
    the order given: object ndarray of shape (n_rows, n_kept).

    ``header`` is the setting the features were read with, so that the rows are the
    same ``n_rows`` ones (checked)."""
    from .data import read_cells

    names = kept_column_names(path, keep, header)
    cells = read_cells(path, names, header)
    if len(cells) != n_rows:  # both readers skip the same blank lines
        raise AssertionError(f"--keep read {len(cells)} rows, the features {n_rows}")
    return names, np.array(cells, dtype=object).reshape(n_rows, len(names))


def _features_and_target(bundle: Bundle, path: str, target: str | None, header: bool | None
                         ) -> tuple[list[str] | None, str | None, Any]:
    """For :func:`read_features` with one target column (or none): DATA's feature
    columns to read (None: every column but the target), the target column (the
    model's own when DATA holds it and --target is not given), and the training layout
    of a model trained with --drop on numbered columns (see :func:`_numbered_layout`)."""
    from .data import column_names

    trained_on = bundle.target_column
    # A model trained with --drop on numbered columns: DATA in the training layout
    # (its own rule for the target column).
    layout = _numbered_layout(bundle, path, target, header)
    note_name_that_is_an_index(path, target_argument(target), header)
    if layout is not None:
        return layout[0], layout[1], layout
    columns = None  # DATA's column names, read once when needed
    if target is None and trained_on:
        names = columns = column_names(path, header)
        # DATA still holds the column the model was trained to predict: leave it
        # out.  In a file without a header (columns "0", "1", ...) a column "0" may
        # be a feature, so there only when that leaves the model's feature count.
        if trained_on in names and (not _numbered(names) or len(names) == bundle.n_features + 1):
            target = trained_on
    if columns is None and _named_features(bundle):
        try:
            columns = column_names(path, header)
        except DataError:
            pass  # read_table words the error
    return _features_by_name(bundle, path, target, columns), target, None


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
    trained_on = bundle.target_column
    # Several target columns: the features are the model's by name, or every other
    # column by position; the targets are read after them (to score) or not at all.
    targets = _several_targets(bundle, path, target, header)
    if require_target and targets is None and target is not None and bundle.targets:
        raise _one_target_error(bundle, path)
    if targets is not None:
        targets = _in_output_order(bundle, targets, path)
        bundle.name_outputs(targets)
        features = _several_features(bundle, path, targets, header)
        target, layout = None, None
    else:
        features, target, layout = _features_and_target(bundle, path, target, header)
    encoding = bundle.encoding
    categories = None
    if encoding is not None:
        # The model's text columns, under the names DATA gives them (picked by name,
        # by the training layout, or by position).
        features = features or _positional_features(bundle, path, target, header,
                                                        require_target)
        categories = {features[k]: encoding.categories[column]
                      for k, column in enumerate(encoding.columns)
                      if column in encoding.categories}
    try:
        # Rows to predict may leave their label column blank: its cells are not read.
        if targets is not None and require_target:
            features = [*features, *targets]  # split off again by split_off_targets
        table = read_table(path, target_argument(target), header=header,
                           read_target=require_target, features=features,
                           categories=categories,
                           missing="nan" if encoding is not None and encoding.fill else "error")
    except DataError as exc:
        if exc.message.startswith("missing value"):
            if exc.column is not None and (exc.column == column_name(path, target, header)
                                           or exc.column in (targets or ())):
                remedy = "scoring needs every row's label: remove the rows without one"
            else:
                remedy = ("the model was trained without --impute, so every feature of a "
                          "row to predict must be given")
            exc = amended(exc, f"{exc.message}; {remedy}")
        elif TEXT_IN_NUMBERS_HINT in exc.message:
            # No encoding advice for rows to predict: the model fixed what each column is
            # (when the column is one of its own: not in a file of another width).
            width = (_column_count(path, header) or 0) - (target is not None)
            own = features is not None or width == bundle.n_features
            hint = f" ({TRAINED_ON_NUMBERS})" if own else ""
            if exc.column in (targets or ()):
                hint = (" (a target column of a regression model holds numbers)"
                        if bundle.task == "regression" else
                        " (a multilabel model's target columns hold 0/1 labels)")
            exc = amended(exc, exc.message.replace(f" ({TEXT_IN_NUMBERS_HINT})", hint))
        if features is not None:  # the columns were picked by name: no column too many
            raise exc from None
        raise _with_label_column_hint(exc, bundle, path, target, header) from None
    if targets is not None and require_target:
        table = split_off_targets(table, targets, "scoring needs every row's target values: "
                                  "remove the rows without them")
    print_header_note(table)
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
        table.features.flags.writeable = False  # its outputs, computed here, are kept
        bundle.check_outputs(table.features, path, table.header)
    if require_target and table.target is None:
        several = bundle.targets
        if several:
            present = set(column_names(path, header))
            absent = [name for name in several if name not in present]
            missing = (f"no column{'s' * (len(absent) > 1)} {', '.join(map(repr, absent))} "
                       f"(of the model's targets {', '.join(map(repr, several))}); pass "
                       "--target COL,COL,... to name the targets' columns")
            raise DataError(missing, path=path)
        missing = f"no column {trained_on!r} (the model's target); " if trained_on else ""
        if trained_on and _headerless_target(bundle):
            # "13" named a position in a file without a header: DATA's names differ.
            raise DataError(f"the model's target was column {trained_on} of a file without a "
                            f"header, and DATA names its columns: pass --target {trained_on} "
                            "if it is there too, or --target NAME", path=path)
        n_out = bundle.network.layer_sizes[-1]
        if bundle.task in ("regression", "multilabel") and n_out > 1:  # saved from Python
            raise DataError(f"pass --target COL,COL,... to name the columns of the {n_out} "
                            f"{'labels' if bundle.task == 'multilabel' else 'targets'} the "
                            "model predicts", path=path)
        raise DataError(f"{missing}pass --target COL to name the labels' column", path=path)
    if table.n_features != bundle.n_features:
        raise _feature_count_error(bundle, table.n_features, target, path, require_target)
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
