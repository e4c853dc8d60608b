"""``train --checkpoint-dir`` / ``--resume``: the estimator's checkpoint options,
and the files kept beside a checkpoint (the input names and how the rows were split),
so that a resume on other columns is refused and one on another split is warned of.
"""

from __future__ import annotations

import os
import shlex
import sys
from collections.abc import Sequence
from typing import Any

import numpy as np

from .errors import DataError, ModelFileError


def checkpoint_params(options: dict[str, Any]) -> dict[str, Any]:
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


def refuse_to_overwrite_checkpoint(directory: str) -> None:
    """Refuse ``--checkpoint-dir DIR`` (without ``--resume``) when DIR already holds a
    checkpoint: this run's first epoch would replace it, and the epochs it holds would
    be lost without a word."""
    from .checkpoints import checkpoint_path, load_checkpoint

    path = checkpoint_path(directory)
    if not path.is_file():
        return
    try:
        held = f" (after epoch {int(load_checkpoint(path)[0]['epoch'])})"
    except (ModelFileError, OSError, KeyError, TypeError, ValueError):
        held = ""
    raise DataError(f"--checkpoint-dir: {directory!r} already holds a checkpoint{held}, which "
                    f"this run would replace; --resume {shlex.quote(directory)} continues it, "
                    "or give another directory (or remove that one) to start over")


#: Beside a checkpoint: the names of the inputs it was trained on (a JSON list) ...
CHECKPOINT_INPUTS = "inputs.json"
#: ... and how its rows were split, ``{"seed": ..., "validation": ..., "test_size": ...}``.
CHECKPOINT_SPLIT = "split.json"


def check_checkpoint_network(fit_params: dict[str, Any], X: np.ndarray, y: np.ndarray,
                              options: dict[str, Any], *, classify: bool) -> None:
    """Refuse, naming the options, to resume a checkpoint whose layer sizes are not the
    network this run makes: inputs (X's columns), --hidden, outputs (one for a binary
    or regression target, one per class or target column otherwise); or one trained
    for another task (--output) or with another --optimizer, --lr-schedule or
    --dropout.  Silent when there is nothing to resume or the checkpoint cannot be read
    (the fit says why)."""
    from .checkpoints import checkpoint_path, load_checkpoint

    if not fit_params.get("resume"):
        return
    directory = fit_params["checkpoint_dir"]
    try:
        header = load_checkpoint(checkpoint_path(directory))[0]
        layers = header["network"]["layers"]
        sizes = [int(layers[0]["n_in"]), *(int(layer["n_out"]) for layer in layers)]
        then = {"--optimizer": str(header["optimizer"]["name"]),
                "--lr-schedule": str(header["schedule"]["name"]),
                "--dropout": float(layers[0]["dropout"]) if len(layers) > 1 else 0.0,
                "--output": _task_of_output(str(layers[-1]["activation"]["name"]), sizes[-1])}
    except (ModelFileError, OSError, KeyError, IndexError, TypeError, ValueError):
        return
    if classify and y.ndim == 1:  # (a multilabel y has a column, an output, per label)
        n_classes = len(np.unique(y))
        outputs = [1 if n_classes == 2 else n_classes]
        task = "binary" if n_classes == 2 else "multiclass"
    else:
        outputs = [1 if y.ndim == 1 else y.shape[1]]
        task = "multilabel" if classify else "regression"
    expected = [X.shape[1], *options["hidden"], *outputs]
    if sizes != expected:
        shown = lambda s: "-".join(map(str, s))  # noqa: E731
        raise DataError(
            f"--resume {directory!r}: its checkpoint is of a {shown(sizes)} network; this "
            f"run makes a {shown(expected)} network (inputs from the data's columns, "
            "--hidden, outputs from its classes): resume with the options and data it was "
            "trained with, or pass another --resume directory")
    # The engine's names: --optimizer gd and sgd both take plain gradient steps.
    now = {"--optimizer": "sgd" if options["optimizer"] == "gd" else options["optimizer"],
           "--lr-schedule": options["lr_schedule"], "--dropout": float(options["dropout"]),
           "--output": task}
    changed = [f"{flag} {then[flag]:g}" if flag == "--dropout" else f"{flag} {then[flag]}"
               for flag in now if then[flag] != now[flag]]
    if changed:
        raise DataError(f"--resume {directory!r}: its checkpoint was trained with "
                        f"{', '.join(changed)}; resume with the options it was trained with, "
                        "or pass another --resume directory")


def _task_of_output(activation: str, n_out: int) -> str:
    """The task an output layer of ``n_out`` ``activation`` units was trained for."""
    if activation == "sigmoid":
        return "binary" if n_out == 1 else "multilabel"
    return "multiclass" if activation == "softmax" else "regression"


def check_checkpoint_inputs(fit_params: dict[str, Any], names: Sequence[str],
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
            kept = json.load(stream)
        if not isinstance(kept, list):
            raise ValueError(f"a JSON list of names expected, got {type(kept).__name__}")
        before = [str(name) for name in kept]
    except (OSError, ValueError) as exc:
        # Without it the new inputs cannot be compared with the checkpoint's, and weights
        # trained on other columns would go on silently.
        raise DataError(f"--resume {directory}: {CHECKPOINT_INPUTS}, which records the "
                        f"inputs the checkpoint was trained on, cannot be read ({exc}); "
                        "restore it, or train with a new --checkpoint-dir") from None
    split_path = os.path.join(directory, CHECKPOINT_SPLIT)
    then: Any = {}  # none kept (an earlier version): nothing to compare
    if os.path.exists(split_path):
        try:
            with open(split_path, encoding="utf-8") as stream:
                then = json.load(stream)
            if not isinstance(then, dict):
                raise ValueError(f"a JSON object expected, got {type(then).__name__}")
        except (OSError, ValueError) as exc:
            print(f"warning: --resume {directory}: {CHECKPOINT_SPLIT} cannot be read "
                  f"({exc}), so this run's split of the rows is not compared with the "
                  "checkpoint's", file=sys.stderr)
            then = {}
    if "targets" in then and then["targets"] != split.get("targets"):
        # Outputs trained on other targets (--target a,b in another order) would go on
        # learning what they did not mean.
        raise DataError(f"--resume {directory}: the checkpoint was trained to predict "
                        f"{_listed(then['targets'])}, not {_listed(split.get('targets'))}; "
                        "train with a new --checkpoint-dir")
    changed = [f"--{key.replace('_', '-')} {then[key]!r} -> {value!r}"
               for key, value in split.items()
               if key not in ("targets", "rows") and key in then and then[key] != value]
    rows_then, rows_now = then.get("rows"), split.get("rows")
    if (not changed and isinstance(rows_then, dict) and rows_now is not None
            and rows_then != rows_now):
        # More rows (or corrected ones) may be meant; but the run is then no longer the
        # checkpoint's run continued, and nothing else would say so.  (Split otherwise,
        # other rows are trained on anyway: said above.)
        count = rows_then.get("count")
        counts = (f"{count} then, {rows_now['count']} now" if count != rows_now["count"]
                  else f"{count} rows, other values")
        print(f"warning: --resume {directory}: the checkpoint was trained on other rows "
              f"({counts}: other data, or the same data prepared otherwise, such as "
              "another --no-standardize, --impute or --drop); training goes on from its "
              "weights, on this run's rows", file=sys.stderr)
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


def rows_digest(X: Any, y: np.ndarray) -> str:
    """A CRC-32 of the rows to train on, ``X`` (n_samples, n_features; dense or
    sparse) and ``y`` (n_samples, ...), as hex: kept beside a checkpoint to tell a
    resume on other data.  Taken a block of rows at a time (``X`` may be a view of a
    wider table): never a copy of the whole."""
    import zlib

    from ._sparse import is_sparse

    digest = 0
    if is_sparse(X):
        parts = [X.data, X.indices, X.indptr]
    else:
        parts = [X[start:start + 4096] for start in range(0, len(X), 4096)]
    labels = np.asarray(y)
    if labels.dtype == object:  # text labels: their characters
        labels = labels.astype(str)
    for part in [*parts, labels]:
        digest = zlib.crc32(np.ascontiguousarray(part).tobytes(), digest)
    return f"{digest:08x}"


def _listed(targets: Any) -> str:
    """Target column names as a message shows them."""
    if not isinstance(targets, list):
        return repr(targets)
    return ", ".join(map(repr, targets))


def checkpoint_stamp(fit_params: dict[str, Any]) -> tuple[int, int] | None:
    """The checkpoint file's (inode, modification time), None without one: a fit that
    writes a checkpoint changes it (the file is replaced)."""
    from .checkpoints import checkpoint_path

    directory = fit_params.get("checkpoint_dir")
    if directory is None or not checkpoint_path(directory).is_file():
        return None
    stat = checkpoint_path(directory).stat()
    return stat.st_ino, stat.st_mtime_ns


def keep_checkpoint_inputs(fit_params: dict[str, Any], names: Sequence[str],
                            split: dict[str, Any], earlier: tuple[int, int] | None) -> None:
    """Write the input names and the rows' split beside the checkpoint when this fit
    wrote one (its stamp is not ``earlier``'s), so they always describe the checkpoint
    there, not a run that wrote none."""
    import json

    from ._atomic import atomic_file

    stamp = checkpoint_stamp(fit_params)
    if stamp is not None and stamp != earlier:
        directory = fit_params["checkpoint_dir"]
        for name, kept in ((CHECKPOINT_INPUTS, list(names)), (CHECKPOINT_SPLIT, split)):
            with atomic_file(os.path.join(directory, name), "w", encoding="utf-8") as stream:
                json.dump(kept, stream)


def resumed_epochs(fit_params: dict[str, Any]) -> int | None:
    """The epochs the checkpoint to resume holds; None when not resuming, or when there
    is none yet (said already) or it is damaged (the fit says so)."""
    from .checkpoints import checkpoint_path, load_checkpoint

    if not fit_params.get("resume"):
        return None
    try:
        return int(load_checkpoint(checkpoint_path(fit_params["checkpoint_dir"]))[0]["epoch"])
    except (ModelFileError, OSError, KeyError, TypeError, ValueError):
        return None


def finished_checkpoint_note(done: int | None, epochs: int) -> str | None:
    """The note for a resumed checkpoint that already holds ``epochs`` epochs or more:
    ``--epochs`` counts every epoch, those before the checkpoint too, so nothing is
    left to train.  ``done``: the epochs the resumed checkpoint holds (None: no resume,
    or a checkpoint the fit reports as missing or damaged)."""
    if done is None or done < epochs:
        return None
    return (f"note: the checkpoint holds {done} epochs, and --epochs {epochs} counts every "
            "epoch, those before the checkpoint too: nothing is left to train (pass "
            f"--epochs above {done} to go on)")
