"""Training checkpoints: atomic ``.npz`` files with a JSON header, never pickle.

A checkpoint holds what is needed to continue a run exactly where it stopped: the
parameters, the optimizer's state arrays and scalars, the schedule's state, the
random generator's state, the number of epochs done and the history.  Layout::

    header        uint8 array: UTF-8 JSON {"format", "version", "epoch", "n_params",
                  "dtype", "network", "optimizer", "schedule", "rng", "history", ...}
    params        ndarray of shape (n_params,), the network's dtype
    <group>.<k>   further arrays, e.g. "optimizer.m", "optimizer.v"

Writing is atomic: the file is written to a temporary name in the same directory,
flushed and fsync'ed, then renamed over the old one with :func:`os.replace`, so a
process killed at any moment leaves either the previous checkpoint or the new one.
Loading uses ``allow_pickle=False`` and validates the header and the arrays'
shapes and dtype against the network before anything is used, raising
:class:`~lucidnet.errors.ModelFileError` otherwise.

This module knows files, not training: :class:`lucidnet.training.Trainer` decides
what goes into the header and arrays.  Model files for prediction live elsewhere.
"""

from __future__ import annotations

import json
import os
import zipfile
from pathlib import Path
from typing import Any

import numpy as np

from ._atomic import atomic_file
from .errors import ModelFileError

__all__ = [
    "FORMAT",
    "VERSION",
    "CHECKPOINT_NAME",
    "save_checkpoint",
    "load_checkpoint",
    "checkpoint_path",
]

FORMAT = "lucidnet-checkpoint"
VERSION = 1
#: The file name of the latest checkpoint inside a checkpoint directory.
CHECKPOINT_NAME = "checkpoint.npz"
_REQUIRED_KEYS = (
    "format",
    "version",
    "epoch",
    "n_params",
    "dtype",
    "optimizer",
    "schedule",
    "rng",
    "history",
)


def checkpoint_path(directory: str | os.PathLike) -> Path:
    """Where the latest checkpoint of ``directory`` lives."""
    return Path(directory) / CHECKPOINT_NAME


#: The checkpoints this process has written (resolved paths).
_WRITTEN: set[str] = set()


def written_here(path: str | os.PathLike) -> bool:
    """Whether this process wrote the checkpoint at ``path`` (a fit that replaces it then
    goes on from a model this session holds: a warm start, a second try)."""
    return os.path.realpath(path) in _WRITTEN


def save_checkpoint(
    path: str | os.PathLike, header: dict[str, Any], arrays: dict[str, np.ndarray]
) -> Path:
    """Write ``header`` (JSON-able dict) and ``arrays`` to ``path`` atomically.

    Parameters
    ----------
    path : path-like
        The ``.npz`` file; its directory is created when missing.
    header : dict
        Must be JSON-serializable; ``format`` and ``version`` are added.
    arrays : dict of str to ndarray
        Must include ``"params"`` of shape (n_params,).

    Returns
    -------
    Path
        ``path``.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    header = {"format": FORMAT, "version": VERSION, **header}
    encoded = np.frombuffer(json.dumps(header, allow_nan=True).encode("utf-8"), dtype=np.uint8)
    with atomic_file(path) as handle:
        np.savez(handle, header=encoded, **arrays)
    _WRITTEN.add(os.path.realpath(path))
    return path


def load_checkpoint(
    path: str | os.PathLike,
    *,
    n_params: int | None = None,
    dtype: Any = None,
) -> tuple[dict[str, Any], dict[str, np.ndarray]]:
    """Read and validate a checkpoint written by :func:`save_checkpoint`.

    Parameters
    ----------
    path : path-like
    n_params : int, optional
        The network's parameter count; ``params`` and every ``optimizer.*`` array
        must have shape (n_params,).
    dtype : dtype, optional
        The network's dtype; ``params`` must have it.

    Returns
    -------
    header : dict
    arrays : dict of str to ndarray
        Every array but the header.

    Raises
    ------
    ModelFileError
        Missing or unreadable file, not a lucidnet checkpoint, missing header keys,
        or arrays whose shape or dtype does not match the network.
    """
    path = Path(path)
    if not path.is_file():
        raise ModelFileError(f"checkpoint {str(path)!r} does not exist")
    with open(path, "rb") as fh:
        # Checked first: for any other file NumPy's own error is advice about pickles.
        if fh.read(4) != b"PK\x03\x04":
            raise ModelFileError(f"checkpoint {str(path)!r} is not a readable .npz file "
                                 "(it is not a zip archive)")
    try:
        with np.load(path, allow_pickle=False) as data:
            arrays = {key: data[key] for key in data.files}
    except (OSError, ValueError, zipfile.BadZipFile, EOFError) as exc:
        raise ModelFileError(
            f"checkpoint {str(path)!r} is not a readable .npz file: {exc}"
        ) from None
    header = _read_header(path, arrays.pop("header", None))
    _check_arrays(path, header, arrays, n_params, dtype)
    return header, arrays


def _read_header(path: Path, raw: np.ndarray | None) -> dict[str, Any]:
    if raw is None or raw.dtype != np.uint8 or raw.ndim != 1:
        raise ModelFileError(
            f"checkpoint {str(path)!r} has no header (a 1-D uint8 array named 'header')"
        )
    try:
        header = json.loads(raw.tobytes().decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ModelFileError(f"checkpoint {str(path)!r} has a damaged JSON header: {exc}") from None
    if not isinstance(header, dict) or header.get("format") != FORMAT:
        raise ModelFileError(
            f"{str(path)!r} is not a lucidnet checkpoint (header format is "
            f"{header.get('format') if isinstance(header, dict) else None!r}, expected {FORMAT!r})"
        )
    if header.get("version") != VERSION:
        raise ModelFileError(
            f"checkpoint {str(path)!r} has version {header.get('version')!r}; "
            f"this lucidnet reads version {VERSION}"
        )
    missing = [key for key in _REQUIRED_KEYS if key not in header]
    if missing:
        raise ModelFileError(f"checkpoint {str(path)!r} header lacks the keys {', '.join(missing)}")
    _check_counts(path, header)
    return header


def _check_counts(path: Path, header: dict[str, Any]) -> None:
    """The header's counters (epochs, steps, the optimizer's step count) are whole
    numbers, 0 or more: a hand-edited ``Infinity`` or ``null`` is a damaged file, not a
    failure deep inside the resumed run."""
    optimizer = header.get("optimizer")
    counts = {key: header[key] for key in ("epoch", "iterations", "run_start") if key in header}
    if isinstance(optimizer, dict) and "t" in optimizer:
        counts["optimizer t"] = optimizer["t"]
    for key, value in counts.items():
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise ModelFileError(f"checkpoint {str(path)!r} header: {key} must be a whole "
                                 f"number, 0 or more; got {value!r}")


def _check_arrays(
    path: Path,
    header: dict[str, Any],
    arrays: dict[str, np.ndarray],
    n_params: int | None,
    dtype: Any,
) -> None:
    where = f"checkpoint {str(path)!r}"
    params = arrays.get("params")
    if params is None:
        raise ModelFileError(f"{where} has no 'params' array")
    expected = header["n_params"] if n_params is None else n_params
    if params.shape != (expected,):
        raise ModelFileError(
            f"{where} holds {params.size} parameters (shape {params.shape}); "
            f"the network has {expected}: it was written for another network (other "
            "layer sizes, or inputs)"
        )
    if header["n_params"] != expected:
        raise ModelFileError(
            f"{where} header says {header['n_params']} parameters; the network has {expected}"
        )
    if dtype is not None and params.dtype != np.dtype(dtype):
        raise ModelFileError(
            f"{where} has parameters of dtype {params.dtype}; the network's dtype is "
            f"{np.dtype(dtype)}"
        )
    for key, value in arrays.items():
        if key.startswith("optimizer.") and value.shape != (expected,):
            raise ModelFileError(
                f"{where} array {key!r} has shape {value.shape}; expected ({expected},)"
            )
    if not np.isfinite(params).all():
        raise ModelFileError(f"{where} has non-finite parameters")
