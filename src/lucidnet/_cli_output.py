"""Where the command line writes: checks made before any work (that an output path
can be written, is not an input, and has a suffix that fits what is written), the
CSV that ``predict`` and ``dataset`` write, to a file atomically or to stdout, and
what Ctrl-C means once a model file is written.
"""

from __future__ import annotations

import csv
import os
import signal
import sys
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import numpy as np

from .errors import DataError, StoppedByUser

#: Exit status when stdout's reader stops early (| head), as a shell reports a writer
#: killed by SIGPIPE.
BROKEN_PIPE_STATUS = 141
#: Suffixes of formats other than delimited text, refused for the CSV a command writes
#: (a .json path holding CSV would mislead whatever reads it next).
OTHER_FORMAT_SUFFIXES = (".json", ".jsonl", ".ndjson", ".xlsx", ".xls", ".ods", ".feather",
                         ".arrow", ".h5", ".hdf5", ".pkl", ".pickle", ".xml", ".html")
#: The pictures ``--plot DIR`` writes into DIR: the cost curves, and for
#: classification the confusion matrix (and, for two features, the decision boundary).
PLOT_FILES = ("loss.png", "confusion_matrix.png", "decision_boundary.png")


def with_leading_columns(names: Sequence[str], cells: np.ndarray, columns: Sequence[str],
                         values: np.ndarray) -> tuple[list[str], np.ndarray]:
    """The header and rows of ``values`` (n_samples,) or (n_samples, k) after the
    columns ``cells`` (n_samples, len(names)) copied from DATA (``predict --keep``):
    an object ndarray, the predictions already written in their dtype's digits.  When
    a prediction column is named as a kept one (``--keep price`` beside the prediction
    of ``price``), every prediction column is called ``predicted_...``, so that several
    stay named alike: a header of one name twice is read back as ``price`` and
    ``price.1`` by pandas."""
    from .data import prediction_rows

    rows, width = prediction_rows(values)
    out = np.empty((len(cells), cells.shape[1] + width), dtype=object)
    out[:, :cells.shape[1]] = cells
    out[:, cells.shape[1]:] = np.array(rows, dtype=object).reshape(len(cells), width)
    header = list(names)
    prefix = "predicted_" if set(columns) & set(names) else ""
    for name in columns:
        name = prefix + name
        while name in header:
            name = f"predicted_{name}"
        header.append(name)
    return header, out


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
        parent = directory
        while not os.path.exists(parent):
            parent = os.path.dirname(parent)
        if not os.path.isdir(parent):  # --out notes.txt/model.npz
            raise DataError(f"{what}: {parent!r} is a file, not a directory to write into")
        raise DataError(f"{what}: the directory {directory!r} does not exist")
    if os.path.isdir(path) or not os.path.basename(path):
        raise DataError(f"{what}: {path!r} is a directory; give a file name")
    from ._cli_spool import original_file

    for source in inputs:
        source = None if source is None else original_file(source)  # not its spooled copy
        if source is not None and same_file(path, source):
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


def same_file(a: str, b: str) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:  # one of them does not exist (yet)
        return os.path.realpath(a) == os.path.realpath(b)


def check_output_directory(directory: str, option: str, first_file: str) -> None:
    """Check before training that ``option``'s directory (``--plot``,
    ``--checkpoint-dir``) exists and takes ``first_file``, or that its nearest existing
    parent takes a new directory (it is made when first written to)."""
    existing = missing = os.path.abspath(directory)
    while not os.path.exists(existing):
        existing, missing = os.path.dirname(existing), existing
    if not os.path.isdir(existing):
        raise DataError(f"{option}: {existing!r} is a file, not a directory")
    if existing == os.path.abspath(directory):
        check_output(os.path.join(existing, first_file), option)
        return
    from ._atomic import check_writable

    try:
        check_writable(missing)  # the first directory to make, not there yet
    except OSError as exc:
        raise DataError(f"{option}: cannot create {directory!r} in {existing!r} "
                        f"({exc.strerror or exc})") from None


@contextmanager
def interrupts_held(path: str) -> Iterator[None]:
    """Hold back one Ctrl-C until the block, writing the model to ``path``, ends; then
    raise :class:`KeyboardInterrupt`.

    Stopped inside, the command would not know whether the rename over ``--out`` had
    happened.  Held, the file is the new one whenever the interrupt is raised, and
    :func:`stopped_after_saving` can say so.  A second Ctrl-C stops at once (a write
    that hangs: a full network mount), and nothing is held where Ctrl-C is not
    Python's to hold: outside the main thread, with SIGINT ignored or handled by
    other code, or for a pipe or device, written in place with no rename to protect
    (and an open that waits for a reader must stay stoppable).
    """
    from ._atomic import is_special

    if (threading.current_thread() is not threading.main_thread()
            or signal.getsignal(signal.SIGINT) is not signal.default_int_handler
            or is_special(path)):
        yield
        return
    pressed: list[int] = []

    def hold(signum: int, frame: Any) -> None:
        if pressed:  # the second: stop now
            signal.signal(signal.SIGINT, signal.default_int_handler)
            raise KeyboardInterrupt
        pressed.append(signum)

    signal.signal(signal.SIGINT, hold)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, signal.default_int_handler)
    if pressed:
        raise KeyboardInterrupt


@contextmanager
def stopped_after_saving(summary: dict[str, Any]) -> Iterator[None]:
    """Ctrl-C in the block once the model is written (``summary["model"]``, its path,
    is set): say that the model is there (the command stops with status 130 all the
    same).  Before that, nothing was written: the plain interruption."""
    try:
        yield
    except KeyboardInterrupt:
        path = summary.get("model")
        if path is None:
            raise
        print(f"note: stopped by Ctrl-C after the model was written to {path!r}",
              file=sys.stderr)
        raise StoppedByUser from None
