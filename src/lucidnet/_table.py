"""The table a file is read into, and which of its columns are the target and the
features.

Every reader ends in a :class:`Table`: features of shape (n_samples, n_features), a
target of shape (n_samples,) or None.  A target given by name or by 0-based index, and
features given by name, are resolved here against the file's column names; a name
that matches none is answered with the columns there are (and a close name, when one
is), so a message never leaves the user guessing.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from .errors import DataError


@dataclass(repr=False)
class Table:
    """A table of examples read from a file.

    Attributes
    ----------
    features : ndarray of shape (n_samples, n_features), float64
        The feature columns, in file order, without the target column.
    target : ndarray of shape (n_samples,) or None
        The target column: float64 when every cell is a number, otherwise an array
        of ``str`` class labels. ``None`` when no target was asked for.
    feature_names : list of str
        Names of the feature columns, ``len(feature_names) == n_features``.
    target_name : str or None
        Name of the target column.
    source : str
        The path the table was read from.
    header_note : str or None
        For delimited text, how it was read where that was a guess: the encoding of a
        file that is not UTF-8, and a first line taken to be (or not to be) a header
        although it held numbers (what was decided and how to say otherwise).
    header : bool or None
        Delimited text only: whether the first line was read as the column names.
    categories : dict of str to list of str
        The feature columns read as text (``read_table(categories=...)``), each with
        its categories: in :attr:`features` such a column holds the index of each
        cell's category, -1 for a text that is not one of them, NaN for a missing cell.
    """

    features: np.ndarray
    target: np.ndarray | None
    feature_names: list[str]
    target_name: str | None
    source: str
    header_note: str | None = None
    header: bool | None = None
    categories: dict[str, list[str]] = field(default_factory=dict)

    @property
    def n_samples(self) -> int:
        """Number of examples (rows)."""
        return int(self.features.shape[0])

    @property
    def n_features(self) -> int:
        """Number of feature columns."""
        return int(self.features.shape[1])

    def __repr__(self) -> str:
        target = (
            "None"
            if self.target is None
            else f"{self.target_name!r} ({self.target.dtype}, shape {self.target.shape})"
        )
        return (
            f"Table(source={self.source!r}, features=shape {self.features.shape}, "
            f"target={target})"
        )


def is_column_index(text: str) -> bool:
    """Whether ``text`` spells a column index ("3", "-1"; ASCII digits only: "³" is a
    digit to ``str.isdigit`` but not to ``int``)."""
    return re.fullmatch(r"\s*-?[0-9]+\s*", text) is not None


def _resolve_target(target: str | int | None, names: Sequence[str], path: str) -> int | None:
    """Turn a target name or index into a 0-based column index (or None)."""
    if target is None:
        return None
    if isinstance(target, str):
        if target in names:
            return list(names).index(target)
        text = target.strip()
        if not is_column_index(text):
            close = ([str(name) for name in names if str(name).lower() == target.lower()]
                     or difflib.get_close_matches(target, [str(name) for name in names], n=1))
            hint = f"did you mean {close[0]!r}? " if close else ""
            raise DataError(
                f"no target column {target!r}; {hint}available columns: {_list_names(names)}",
                path=path,
            )
        target = int(text)
    n = len(names)
    if not -n <= target < n:
        raise DataError(
            f"target column index {target} is out of range for {n} columns "
            f"(valid: {-n} to {n - 1}); available columns: {_list_names(names)}",
            path=path,
        )
    return target % n


def _feature_columns(names: Sequence[str], t: int | None, features: Sequence[str] | None,
                     path: str) -> list[int]:
    """Indices of the feature columns: ``features`` by name (in that order), else every
    column but the target ``t``."""
    if features is None:
        return [j for j in range(len(names)) if j != t]
    index = {name: j for j, name in enumerate(names)}
    if t is not None and names[t] in features:
        raise DataError(f"column {names[t]!r} is the target; it cannot be a feature too",
                        path=path)
    missing = [name for name in features if name not in index]
    if missing:
        raise DataError(
            f"no feature column {missing[0]!r}; available columns: {_list_names(names)}",
            path=path,
        )
    return [index[name] for name in features]


def _list_names(names: Sequence[str], limit: int = 30) -> str:
    """Column names for a message: all of them, or past ``limit`` the first ones and
    the last three (a target is often last: the column the reader is looking for)."""
    if len(names) <= limit:
        return ", ".join(repr(name) for name in names)
    head, tail = names[: limit - 3], names[-3:]
    return (", ".join(repr(name) for name in head) + ", ..., "
            + ", ".join(repr(name) for name in tail) + f" ({len(names)} in all)")
