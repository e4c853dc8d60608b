"""DATA given as ``-``: the table piped into stdin (``... | lucidnet predict m.npz -``).

The readers take a path, and read it more than once (a text file's first lines for its
column names, then the whole table, then a line again for a message), so stdin's bytes
are spooled once into a temporary file.  Its suffix says what the bytes hold, found
from their first bytes as the text reader's own refusals find binary files: a gzip,
bzip2, xz or zip archive of text, a NumPy ``.npy`` or ``.npz`` file, Parquet, and
otherwise delimited text, read as a ``.txt`` file is (its delimiter guessed: comma,
tab, semicolon, bar or whitespace).

Everything the command prints while the file exists names it ``stdin``, not by its
temporary path: stdout and stderr are wrapped for the command's duration, and
:func:`shown` renames it in the text of an error printed after the file is gone and
in what a model file keeps (its ``source``).
"""

from __future__ import annotations

import io
import os
import sys
import tempfile
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, TextIO

from .errors import DataError

__all__ = ["STDIN", "from_stdin", "shown"]

#: The DATA argument that means stdin, as for most command-line tools.
STDIN = "-"
#: How messages name the table read from stdin.
SHOWN_NAME = "stdin"

#: Temporary paths of spooled stdin, each renamed to ``SHOWN_NAME`` by :func:`shown`.
#: Kept after the file is removed: the error that ended the command names it still.
_spooled: list[str] = []


def shown(text: str) -> str:
    """``text`` with each spooled stdin's temporary path written as ``stdin``."""
    for path in _spooled:
        text = text.replace(path, SHOWN_NAME)
    return text


@contextmanager
def from_stdin(data: str | None) -> Iterator[str | None]:
    """``data`` itself, or for ``-`` the path of a temporary file holding stdin's bytes,
    removed on leaving; stdout and stderr name it ``stdin`` meanwhile.

    Raises
    ------
    DataError
        stdin is a terminal (nothing was piped in: reading would wait for typing), or
        empty.
    """
    if data != STDIN:
        yield data
        return
    stream = sys.stdin
    if stream is None or stream.isatty():
        raise DataError("DATA '-' reads the table from stdin, but nothing is piped into it "
                        "(it is the terminal); pipe or redirect a file: ... < data.csv")
    raw = stream.buffer.read()
    if not raw or raw.isspace():
        raise DataError("DATA '-' reads the table from stdin, and stdin is empty")
    with tempfile.TemporaryDirectory(prefix="lucidnet-") as directory:
        path = os.path.join(directory, SHOWN_NAME + _suffix_of(raw))
        with open(path, "wb") as spool:
            spool.write(raw)
        del raw  # the file holds it now; a large table need not stay twice in memory
        _spooled.append(path)
        saved = sys.stdout, sys.stderr
        sys.stdout, sys.stderr = _Renaming(sys.stdout), _Renaming(sys.stderr)
        try:
            yield path
        finally:
            sys.stdout, sys.stderr = saved


def _suffix_of(raw: bytes) -> str:
    """The file suffix under which the readers take ``raw`` for what it is."""
    if raw.startswith(b"\x1f\x8b"):
        return ".txt.gz"
    if raw.startswith(b"BZh") and raw[4:10] == b"1AY&SY":
        return ".txt.bz2"
    if raw.startswith(b"\xfd7zXZ\x00"):
        return ".txt.xz"
    if raw.startswith(b"\x93NUMPY"):
        return ".npy"
    if raw.startswith(b"PAR1") and b"\x00" in raw[:64]:
        return ".parquet"
    if raw.startswith(b"PK\x03\x04"):
        return ".npz" if _is_npz(raw) else ".txt.zip"
    return ".txt"


def _is_npz(raw: bytes) -> bool:
    """Whether the zip archive ``raw`` is NumPy's: every member a ``.npy`` array."""
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            names = archive.namelist()
    except (zipfile.BadZipFile, OSError, EOFError):
        return False  # the zip reader then says what is wrong with it
    return bool(names) and all(name.endswith(".npy") for name in names)


class _Renaming:
    """A text stream that writes through to ``stream`` with :func:`shown` applied.

    Everything else (``flush``, ``isatty``, ``fileno``, ``encoding``, ...) is the
    wrapped stream's, so that click, tqdm and ``warnings`` treat it as the stream."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        # A str method: bytes raise TypeError, which click's probe for a binary stream
        # takes to mean a text stream, as the wrapped one is.
        self._stream.write(shown(text))
        return len(text)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)
