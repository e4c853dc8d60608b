"""The command line's training: options in, a fitted estimator and a model file out.

:mod:`lucidnet.cli` parses options and prints; :func:`run` turns them into calls of the
public API -- the scikit-learn estimators, :func:`lucidnet.io.save` -- and returns a
plain dict for the CLI to print.  The CLI's own decisions about training live here:
that numeric features are standardized (mean 0, standard deviation 1, stored in the
model file as its input scaling; one-hot categories stay 0/1), which rows are held
out, and the metadata a CLI model file carries.  Reading the data is
:mod:`lucidnet._cli_data`'s, model files :mod:`lucidnet._cli_model`'s, outputs
:mod:`lucidnet._cli_output`'s.  Private: import the public modules instead.
"""

from __future__ import annotations

import math
import os
import shlex
import sys
import time
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

import numpy as np

from ._cli_checkpoint import (
    check_checkpoint_inputs,
    check_checkpoint_network,
    checkpoint_params,
    checkpoint_stamp,
    finished_checkpoint_note,
    keep_checkpoint_inputs,
    refuse_to_overwrite_checkpoint,
    resumed_epochs,
    rows_digest,
)
from ._cli_data import (
    MAX_INFERRED_CLASSES,
    Labelled,
    as_labels,
    check_label_matrix,
    check_numbers_target,
    check_range,
    check_target_precision,
    infer_task,
    is_label_matrix,
    load_dataset,
    note_float32_resolution,
    note_labels_apart_by_case,
    note_whole_number_task,
    read_labelled,
    row_place,
    several_targets,
    split,
    standardization,
    standardized,
)
from ._cli_model import Bundle
from ._cli_output import (
    PLOT_FILES,
    check_output,
    check_output_directory,
    interrupts_held,
    same_file,
    stopped_after_saving,
)
from ._cli_report import constant_columns
from ._cli_spool import shown
from ._encoding import fit_on_rows
from .errors import DataError, DivergenceError, LucidnetError


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
        check_output_directory(options["plot_dir"], "--plot", PLOT_FILES[0])
        if options["out"] is not None and any(
            same_file(options["out"], os.path.join(options["plot_dir"], name))
            for name in PLOT_FILES
        ):
            raise DataError(f"--out {options['out']!r} is where --plot writes one of its "
                            f"pictures ({', '.join(PLOT_FILES)}); write the model elsewhere")
    checkpoints = options.get("resume_dir") or options.get("checkpoint_dir")
    if checkpoints is not None:
        from .checkpoints import CHECKPOINT_NAME

        option = "--checkpoint-dir" if options.get("resume_dir") is None else "--resume"
        check_output_directory(checkpoints, option, CHECKPOINT_NAME)
        if options.get("resume_dir") is None:
            refuse_to_overwrite_checkpoint(checkpoints)
    if options["out"] is not None and checkpoints is not None:
        from ._cli_checkpoint import CHECKPOINT_INPUTS, CHECKPOINT_SPLIT
        from .checkpoints import checkpoint_path

        kept = [os.fspath(checkpoint_path(checkpoints)),
                *(os.path.join(checkpoints, name) for name in (CHECKPOINT_INPUTS,
                                                               CHECKPOINT_SPLIT))]
        if any(same_file(options["out"], path) for path in kept):
            raise DataError(f"--out {options['out']!r} is a file of the checkpoint in "
                            f"{checkpoints!r}, which training rewrites every epoch; write "
                            "the model elsewhere")
    if options["dataset"] is not None:
        data = load_dataset(options["dataset"], options["seed"])
    else:
        if options["output"] in ("binary", "multiclass"):  # before any note on reading
            _refuse_labels_of_several(options["output"],
                                      several_targets(options["data"], options["target"],
                                                      options.get("header"), note=False),
                                      options["data"])
        data = read_labelled(options["data"], options["target"], options.get("header"),
                             options.get("drop") or (),
                             one_hot=options.get("one_hot", False),
                             impute=options.get("impute"),
                             categorical=options.get("categorical") or ())
    if data.targets is not None:
        # (Checked before reading too, for --target a,b; here for an .npz file's 2-D y.)
        _refuse_labels_of_several(options["output"], data.targets, data.source)
        task = _task_of_several(data, options["output"])
        if options["output"] == "auto" and task == "regression":  # several numbers
            _note_labels_but_a_few_cells(data)
            _note_class_like_targets(data)
    elif options["output"] == "multilabel":
        if data.source.startswith("dataset:"):
            how = "the data set has one label column"
        elif data.source.lower().endswith(".npz"):  # (its y: no --target)
            how = "an .npz file's y holds them as one array of shape (n_samples, n_labels)"
        else:
            how = "name them as --target A,B,C (one label column: --output binary)"
        raise DataError(f"--output multilabel predicts several 0/1 label columns together; "
                        f"{how}", path=data.source)
    else:
        check_numbers_target(data, options["output"])
        task = infer_task(data.y, options["output"], data.source)
        if options["output"] == "auto":
            note_whole_number_task(data, task)
    if task in ("binary", "multiclass"):
        note_labels_apart_by_case(data)
    elif task == "multilabel":
        _note_constant_labels(data)
    else:
        _note_constant_targets(data)
        if options["dtype"] == "float32":
            note_float32_resolution(data)
    y = data.y
    if task == "multilabel":
        y = y.astype(np.int64)  # a 0/1 indicator matrix, as scikit-learn's MLP takes it
    elif task != "regression":
        y = as_labels(y, data.source)
        if data.class_names is not None:  # built-in sets: show class names, not indices
            y = np.asarray(data.class_names)[y]
    if not options["test_size"]:
        data.raw = None  # only a test split learns the encoding again: free the table read
    return _train(data, y, task, options, start)


def _refuse_labels_of_several(requested: str, targets: Sequence[str] | None,
                              source: str) -> None:
    """Refuse ``--output binary`` or ``multiclass`` with several ``targets`` (columns,
    an .npz file's 2-D y, a built-in set's): they are 0/1 labels or numbers predicted
    together."""
    if targets is not None and requested in ("binary", "multiclass"):
        raise DataError(f"--output {requested} predicts one label column; the several "
                        f"targets {', '.join(map(repr, targets))} are predicted together, "
                        "as 0/1 labels (--output multilabel, when every one holds only 0 "
                        "and 1) or as numbers (--output regression): for classes, train a "
                        "classifier per label column",
                        path=source)


def _task_of_several(data: Labelled, requested: str) -> str:
    """The task of several target columns: ``"multilabel"`` (one 0/1 label per column,
    each predicted by its own sigmoid output) when every column holds 0 and 1 only
    (as one 0/1 column is binary), else ``"regression"``; ``--output`` may say which,
    and ``--output multilabel`` on a value other than 0 and 1 is a DataError naming it."""
    if requested == "regression":
        return "regression"
    if requested == "auto":
        return "multilabel" if is_label_matrix(data.y) else "regression"
    check_label_matrix(data.y, data.target_column_names, data.source, data.header,
                       "--output multilabel takes")
    return "multilabel"


#: Several target columns of 0/1 but for at most this share of their cells (one cell
#: at least) look like labels with a slip (a 2 typed for a 1): the note names the cell.
FEW_CELLS_SHARE = 0.01


def _note_labels_but_a_few_cells(data: Labelled) -> None:
    """Say on stderr, naming the first such cell's line and column, when several target
    columns hold 0/1 labels in all but a few cells: one stray value made the task
    regression, which may be meant (counts that are mostly 0 or 1) or a slip."""
    not_label = (data.y != 0) & (data.y != 1)
    count = int(not_label.sum())
    if not 0 < count <= max(1, FEW_CELLS_SHARE * data.y.size):
        return
    row, j = (int(k) for k in np.argwhere(not_label)[0])
    line, where = row_place(data.source, row, data.header)
    place = f"line {line}" if line is not None else where.rstrip(": ")
    cells = "1 cell" if count == 1 else f"{count} cells"
    print(f"note: {data.source}: the targets hold 0/1 labels but for {cells}, the first "
          f"{data.y[row, j]:g} at {place}, column {data.target_column_names[j]!r}, so they "
          "are predicted as numbers (regression); if they are labels, correct that and "
          "train again (--output multilabel names each such cell)", file=sys.stderr)


def _note_class_like_targets(data: Labelled) -> None:
    """Say on stderr which of several target columns look like class codes (a few
    distinct whole numbers, as one target would be classified): they are predicted as
    numbers all the same.  Built-in sets say what they are."""
    from .data import names_columns

    if data.source.startswith("dataset:"):
        return
    for name, values in zip(data.target_column_names, data.y.T, strict=True):
        distinct = np.unique(values)
        # Ten rows a value at least: a measurement in whole units (a waist in inches)
        # takes many values over few rows.
        if (1 < len(distinct) <= MAX_INFERRED_CLASSES and len(distinct) <= len(values) / 10
                and np.array_equal(distinct, np.round(distinct))):
            shown = ", ".join(f"{v:g}" for v in distinct[:4]) + (", ..." * (len(distinct) > 4))
            how = (f" (--target {shlex.quote(name)})" if names_columns(data.source)
                   else "")  # an .npz file's y is one array
            print(f"note: {data.source}: the target {name!r} holds {len(distinct)} distinct "
                  f"whole numbers ({shown}); several targets are predicted as numbers "
                  "(regression) unless every one holds 0/1 labels only (multilabel): to "
                  f"classify, train a model per label column{how}", file=sys.stderr)


def _note_test_only_categories(source: str, read: Any, fitted: Any) -> None:
    """Say on stderr which categories of the encoding ``read`` (from every row) only the
    --test-size rows hold, so that ``fitted`` (from the others) has no input for them
    (the reading's note counted them)."""
    gone = {column: [value for value in values if value not in fitted.categories[column]]
            for column, values in read.categories.items()}
    shown = "; ".join(f"{column!r}: {', '.join(map(repr, values[:3]))}"
                      f"{', ...' if len(values) > 3 else ''}"
                      for column, values in gone.items() if values)
    if shown:
        print(f"note: {source}: categories only the --test-size rows hold get no input "
              f"(as unseen ones in new rows): {shown}", file=sys.stderr)


def _note_constant_labels(data: Labelled) -> None:
    """Say on stderr which multilabel columns hold one value in every row: the model
    can only learn to predict that value."""
    for j in np.flatnonzero(constant_columns(data.y)):
        print(f"note: {data.source}: the label {data.target_column_names[j]!r} is "
              f"{data.y[0, j]:g} in every row: the model can only learn to predict that",
              file=sys.stderr)


def _note_constant_targets(data: Labelled) -> None:
    """Say on stderr which regression target columns hold one number in every row."""
    y, constant = data.y.reshape(len(data.y), -1), constant_columns(data.y)
    for j, name in enumerate(data.target_column_names):
        if constant[j]:
            what = "the target" if data.targets is None else f"the target {name!r}"
            print(f"note: {data.source}: {what} is {y[0, j]!s} in every row: there is "
                  "nothing to learn but that number", file=sys.stderr)


def _label_text(label: Any) -> str:
    """``label`` as a message shows it: as it is, or quoted with escapes when it holds
    a character that does not show (a byte-order mark or a tab inside a label would
    make it look like another one)."""
    text = str(label)
    return text if text.isprintable() else repr(text)


def _check_classes(data: Labelled, y: np.ndarray, options: dict[str, Any],
                   split: str = "test_size") -> None:
    """Refuse class counts that cannot be trained or split by class, naming the column.

    ``split``: the option whose split of ``y`` comes next, "test_size" (checked on all
    the rows; the validation split is then checked too) or "validation" (on the rows
    left after the test split)."""
    classes, counts = np.unique(y, return_counts=True)
    where = {"path": data.source, "column": data.target_column}
    if len(classes) < 2:
        raise DataError(
            f"the target has one class only ({_label_text(classes[0])}); a classifier needs "
            "two or more",
            **where,
        )
    # One split at a time: the validation split is checked on the rows the test split
    # leaves (this is called again with them).
    if split == "test_size" and options["test_size"]:
        fractions = [("--test-size", options["test_size"])]
    else:
        fractions = [("--validation", options["validation"])] if options["validation"] > 0 else []
    rarest = int(counts.argmin())
    rare = _label_text(classes[rarest])
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
        if data.source.startswith("dataset:"):
            # A built-in set's rows can be neither added nor removed (and demo always
            # splits): only another reading of its target helps.
            message = (f"class {rare} has {counts[rarest]} of the {len(y)} "
                       f"rows{left}, too few for {flag} to split them by class (two of each "
                       "at least)")
            numbers = np.asarray(y).dtype.kind in "iuf"  # the advice below, or none
        elif counts[rarest] < 2 and split == "validation":
            message = (f"class {rare} has {counts[rarest]} of the {len(y)} rows "
                       f"the test split leaves, and {flag} splits them by class, two of each "
                       f"at least; add rows of that class, lower --test-size, or {remedy}")
        elif counts[rarest] < 2:
            message = (f"class {rare} has {counts[rarest]} row of {len(y)}, and "
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
            path=data.source, column=data.target_column,
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
    # Binary and multiclass rows are split by class; multilabel rows, as scikit-learn's
    # MLP splits them, are not (a row holds several labels).
    by_class = task in ("binary", "multiclass")
    if not options["standardize"]:  # standardized values are small whatever the data
        check_range(data.X, options["dtype"], data.source, data.feature_names,
                    "pass --dtype float64, or leave out --no-standardize", header=data.header)
    if not classify:  # the model predicts in the target's own units, in its dtype
        check_range(np.asarray(y, dtype=np.float64).reshape(len(y), -1), options["dtype"],
                    data.source, data.target_column_names, "pass --dtype float64",
                    header=data.header)
        check_target_precision(np.asarray(y, dtype=np.float64), options["dtype"], data.source,
                               data.target_column_names)
    if by_class:
        _check_classes(data, y, options)
    else:
        _check_rows_left(data, len(y), options["test_size"], "--test-size")
        # The validation rows come out of those the test split leaves.
        n_left = len(y) - math.ceil(options["test_size"] * len(y))
        _check_rows_left(data, n_left, options["validation"], "--validation")
    X = data.X
    held_out: dict[str, tuple[np.ndarray, np.ndarray]] = {}
    if options["test_size"]:
        # The rows' split first (train_test_split splits row numbers as it would the
        # rows), so that the encoding is learnt from the training rows alone.
        fit_rows, test_rows, y, y_test = split(np.arange(len(y)), y, options["test_size"],
                                               options["seed"], by_class)
        if data.encoding is not None and data.raw is not None:
            encoding, raw = fit_on_rows(data.encoding, data.raw, fit_rows, data.source)
            _note_test_only_categories(data.source, data.encoding, encoding)
            data = replace(data, X=encoding.expand(raw), feature_names=encoding.input_names,
                           encoding=encoding, raw=raw)
        X, X_test = data.X[fit_rows], data.X[test_rows]
        held_out["test"] = (X_test, y_test)
        if by_class:
            lost = sorted(set(np.unique(y_test).tolist()) - set(np.unique(y).tolist()), key=str)
            if lost:
                raise DataError(
                    f"--test-size {options['test_size']:g} holds out every row of class "
                    f"{', '.join(map(str, lost))}, which leaves none to train on; lower "
                    "--test-size or add rows of that class",
                    path=data.source, column=data.target_column)
            _check_classes(data, y, options, split="validation")
    # With early stopping the estimator holds out (and reports) its own validation
    # rows; without it the CLI holds them out, only to report on them.
    if options["validation"] > 0 and not early_stopping(options):
        X, X_val, y, y_val = split(X, y, options["validation"], options["seed"], by_class)
        held_out = {"validation": (X_val, y_val), **held_out}
    mean, scale = standardization(X) if options["standardize"] else (None, None)
    if mean is not None and data.encoding is not None:
        # A category's 0/1 input stays 0/1, as scikit-learn's ColumnTransformer recipe
        # leaves one-hot columns unscaled: standardizing a category seen in 1 row of
        # 1,000 would make its input about 30, a weight the L2 penalty and the
        # learning rate then treat unlike every other (a house-price data set lost
        # 0.2 of R^2 so).
        one_hot = data.encoding.one_hot_inputs()
        mean[one_hot], scale[one_hot] = 0.0, 1.0
    estimator = _estimator(task, options, n_train=len(X))
    if mean is not None:  # finite unless |x| is near float64's limit (then (X - mean) is not)
        # On every row in file order (X is the shuffled training split): the message
        # names the row's line, and held-out rows must standardize as well.  Each
        # column's extremes tell; the whole table is standardized only to name the cell.
        with np.errstate(over="ignore", invalid="ignore"):
            extremes = (np.stack([data.X.max(axis=0), data.X.min(axis=0)]) - mean) / scale
            if not np.isfinite(extremes).all():
                check_range((data.X - mean) / scale, np.float64, data.source,
                            data.feature_names,
                            "values this close to float64's limit cannot be standardized",
                            raw=data.X, header=data.header)
    X_fit = X if mean is None else standardized(X, mean, scale, options["dtype"])
    # The CLI's own validation rows (without early stopping) are scored every epoch,
    # for the report and the validation curves of --plot; they never steer training.
    X_val, y_val = held_out.get("validation", (None, None))
    if X_val is not None and mean is not None:
        X_val = standardized(X_val, mean, scale, options["dtype"])
    if classify or not options["standardize"]:
        converged, train_seconds, finished = _fit(estimator, X_fit, y, options,
                                                  (X_val, y_val), data.feature_names,
                                                  data.target_column_names)
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
            data.target_column_names,
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
        # As the saved file will say (its output names depend on named_columns).
        metadata={"target_name": data.target_name,
                  **({} if data.targets is None else {"target_names": data.targets}),
                  **_named_columns(data)},
    )
    # The estimator's own validation rows are among X, so the name says so.
    fitted = "train+validation" if estimator.early_stopping else "train"
    metrics = {fitted: _headline(bundle.evaluate(X, y, source=data.source))}
    if (estimator.early_stopping and estimator.best_validation_score_ is not None
            and (classify or not constant_columns(y).any())):
        # (The estimator's R^2, scikit-learn's, counts a constant target as 0; the CLI's
        # leave it out, and a note has said that there is nothing to learn in it.)
        # (scikit-learn's score of a multilabel classifier: every label of a row right.)
        name = {"multilabel": "subset accuracy"}.get(task, "accuracy" if classify else "r2")
        if options.get("class_weight") is not None:
            name += ", class-weighted"  # the estimator weighs validation rows as training ones
        metrics["validation"] = {f"{name} (best epoch)": estimator.best_validation_score_}
    for name, (X_part, y_part) in held_out.items():
        metrics[name] = bundle.evaluate(X_part, y_part, source=data.source)
    n_epochs = int(estimator.n_iter_)
    summary = {
        "data": shown(data.source),  # stdin's, not its spooled copy's path
        "target": data.target_name,
        **({} if data.targets is None else {"targets": data.targets}),
        "task": task,
        "classes": (None if bundle.classes is None or task == "multilabel"
                    else bundle.classes.tolist()),
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
    with stopped_after_saving(summary):
        # The model first: a plot that fails must not cost the trained model.
        if options["out"] is not None:
            with interrupts_held(options["out"]):  # the old file or the new one, known which
                _save(bundle, estimator, data, options, summary)
                summary["model"] = options["out"]
        _plot_after_saving(bundle, estimator, data, X, y, held_out, options, summary)
        summary["seconds"] = time.perf_counter() - start
    return summary


def _plot_after_saving(bundle: Bundle, estimator: Any, data: Labelled, X: np.ndarray,
                       y: np.ndarray, held_out: dict, options: dict[str, Any],
                       summary: dict[str, Any]) -> None:
    """``--plot``'s pictures into ``summary["plots"]``; a failure says that the model
    (when ``--out`` was given) was saved all the same."""
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
        "momentum": 0.0 if optimizer in ("sgd", "gd") else (
            0.9 if options["momentum"] is None else options["momentum"]),
        "learning_rate_init": options["learning_rate"],
        "learning_rate": options["lr_schedule"],
        # Halving the rate on a plateau must come before early stopping gives up.
        **({"schedule_params": {"patience": max(1, options["patience"] // 2)}}
           if options["lr_schedule"] == "plateau" else {}),
        "dropout": options["dropout"],
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
    if task == "multilabel" and options["class_weight"] is not None:
        raise DataError("--class-weight weighs each row by its class; a multilabel row "
                        "has any number of labels, so no one class to weigh it by")
    return NeuralNetClassifier(class_weight=options["class_weight"], **params)


def _fit(
    estimator: Any, X: np.ndarray, y: np.ndarray, options: dict[str, Any],
    validation: tuple[np.ndarray | None, np.ndarray | None] = (None, None),
    input_names: Sequence[str] = (),
    targets: Sequence[str | None] = (),
) -> tuple[bool, float, bool]:
    """Fit (``validation``: rows to score every epoch, or ``(None, None)``); return
    whether training converged before --epochs, the fit's seconds, and whether a
    resumed checkpoint left nothing to train.  ``input_names`` and ``targets``: the
    network's inputs and its target columns' names, kept beside a checkpoint (a
    resume on others is refused)."""
    import warnings

    from sklearn.base import is_classifier
    from sklearn.exceptions import ConvergenceWarning

    from .estimators import INTERRUPTED_MESSAGE

    fit_params = checkpoint_params(options)
    done = resumed_epochs(fit_params)
    split = {"seed": options["seed"], "validation": options["validation"],
             "test_size": options.get("test_size") or 0.0, "targets": list(targets)}
    if fit_params.get("checkpoint_dir") is not None:
        split["rows"] = {"count": len(X), "digest": rows_digest(X, y)}
    # A checkpoint of another network, or of other inputs, is an error before any
    # note about resuming it.
    check_checkpoint_network(fit_params, X, y, options, classify=is_classifier(estimator))
    check_checkpoint_inputs(fit_params, input_names, split)
    finished = finished_checkpoint_note(done, options["epochs"])
    if done is not None and finished is None:  # (that note comes after the fit)
        print(f"note: resuming after epoch {done} of the checkpoint in "
              f"{fit_params['checkpoint_dir']}", file=sys.stderr)
    if validation[0] is not None:
        fit_params["validation_data"] = validation
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        start, earlier = time.perf_counter(), checkpoint_stamp(fit_params)
        try:
            estimator.fit(X, y, **fit_params)
        except DivergenceError as exc:
            if not options.get("standardize", True):
                # Unscaled features far from 1 make every step huge, whatever the rate.
                exc.advice = "leave out --no-standardize"
            raise
        finally:  # also when stopped: its checkpoints were written
            keep_checkpoint_inputs(fit_params, input_names, split, earlier)
        seconds = time.perf_counter() - start
    converged = True
    for warning in caught:
        if issubclass(warning.category, ConvergenceWarning):
            converged = False
        elif str(warning.message) == INTERRUPTED_MESSAGE:
            # The estimator keeps what it has (as scikit-learn's); a command stopped by
            # Ctrl-C must not write a half-trained model over --out, nor exit 0.
            # Only a checkpoint of this run (or the one it resumed) goes on from here.
            stamp = checkpoint_stamp(fit_params)
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


def _save(bundle: Bundle, estimator: Any, data: Labelled, options: dict[str, Any],
          summary: dict[str, Any]) -> None:
    from . import io

    metadata = {
        "task": bundle.task,
        "target_name": data.target_name,
        # Several target columns (--target a,b): the prediction file's column names.
        **({} if data.targets is None else {"target_names": data.targets}),
        # Every file's column names, numbered ones too (io's feature_names are those
        # scikit-learn checks: only a file's own names).
        "feature_names": data.feature_names,
        "source": shown(data.source),  # stdin's, not the temporary file's path
        # With --drop: the file's whole layout, to find numbered features in new rows.
        **({} if data.columns is None else {"columns": data.columns}),
        # Every file's layout, for the advice when new rows' target cannot be found.
        **({} if data.layout is None else {"file_columns": data.layout}),
        **_named_columns(data),
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


def _named_columns(data: Labelled) -> dict[str, bool]:
    """The model file's ``named_columns`` entry: whether the file named its columns (a
    header, Parquet), so that a header's "0", "1" are names to match in new rows and a
    headerless file's are positions.  Nothing for built-in sets (their names are names)."""
    if data.source.startswith("dataset:"):
        return {}
    return {"named_columns": data.layout is not None and data.header is not False}


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
    if bundle.task in ("binary", "multiclass"):
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
