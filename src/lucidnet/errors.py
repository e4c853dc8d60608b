"""The exceptions a user of lucidnet can cause.

Every error subclasses :class:`LucidnetError` and also the built-in type a caller
would naturally catch (``ValueError``), so ``except ValueError`` keeps working.
Messages name the argument (or file, line and column), what was expected and what
was received; the command line prints them as one line and exits with status 2.
"""

from __future__ import annotations


class LucidnetError(Exception):
    """Base class of every error lucidnet raises on purpose."""


class DataError(LucidnetError, ValueError):
    """Input data that cannot be used: a bad cell, a ragged row, a missing column.

    Attributes
    ----------
    path : str or None
        The file the data came from, when it came from a file.
    line : int or None
        1-based line number in that file (the header is line 1).
    column : str or None
        The column's name (for a file without a header or an array, its 0-based
        index as text).
    note : str or None
        How a text file's first line was read, when that was a guess that may be the
        cause (shown after the message, in parentheses).
    """

    def __init__(
        self,
        message: str,
        *,
        path: str | None = None,
        line: int | None = None,
        column: str | None = None,
        note: str | None = None,
    ) -> None:
        self.message = message
        self.path = path
        self.line = line
        self.column = column
        self.note = note
        if note is not None:
            message = f"{message} ({note})"
        where = []
        if path is not None:
            where.append(str(path))
        if line is not None:
            where.append(f"line {line}")
        if column is not None:
            where.append(f"column {column!r}")
        super().__init__(f"{', '.join(where)}: {message}" if where else message)


class ModelFileError(LucidnetError, ValueError):
    """A model or checkpoint file that is missing, damaged, or not a lucidnet file."""


class DivergenceError(LucidnetError, FloatingPointError, ValueError):
    """Training produced a non-finite cost; the network keeps its last finite parameters.

    Also a ``ValueError``, as scikit-learn's MLP raises for weights that became
    non-finite, so code that guards a ``fit`` with ``except ValueError`` still catches it.

    Attributes
    ----------
    where : str
        What diverged and when, without advice ("training diverged: the loss became inf
        at epoch 3, batch 2"); the whole message when the raiser gave no more.
    learning_rate : float or None
        The learning rate in use, when one sets the step; the command line names it by
        its option.
    advice : str or None
        More to try besides a smaller learning rate, in the caller's terms (the command
        line sets it: "leave out --no-standardize").
    """

    def __init__(self, message: str, *, where: str | None = None,
                 learning_rate: float | None = None) -> None:
        super().__init__(message)
        self.where = message if where is None else where
        self.learning_rate = learning_rate
        self.advice: str | None = None


class StoppedByUser(Exception):  # noqa: N818 (a stop asked for, not an error)
    """A command stopped by Ctrl-C that has said so itself: the command line exits with
    status 130 and prints nothing more."""
