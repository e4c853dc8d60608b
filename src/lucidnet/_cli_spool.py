"""DATA that the readers cannot take as it is, spooled to a temporary file they can:
``-``, the table piped into stdin (``... | lucidnet predict m.npz -``), and a text file
in an encoding given with ``--encoding`` (``cp1251``, ``shift_jis``).

The readers take a path, and read it more than once (a text file's first lines for its
column names, then the whole table, then a line again for a message), so the bytes
are written once into a temporary file:

* stdin's as they are, under a suffix their first bytes choose, as the text reader's
  own refusals name binary files: a gzip, bzip2, xz or zip archive of text, a NumPy
  ``.npy`` or ``.npz`` file, Parquet, and otherwise delimited text, read as a
  ``.txt`` file is (its delimiter guessed: comma, tab, semicolon, bar or whitespace);
* text in a given encoding decoded (after decompression) and written as UTF-8, under
  the file's own format suffix; its lines stay the lines of the original, so messages
  place cells on the same line numbers.

Everything the command prints while the file exists names it as the user did
(``stdin``, or the original path), not by its temporary path: stdout and stderr are
wrapped for the command's duration, and :func:`shown` renames it in the text of an
error printed after the file is gone and in what a model file keeps (its ``source``).
"""

from __future__ import annotations

import codecs
import io
import os
import sys
import tempfile
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, TextIO

from .errors import DataError

__all__ = ["STDIN", "check_encoding", "original_file", "readable", "shown"]

#: The DATA argument that means stdin, as for most command-line tools.
STDIN = "-"
#: How messages name the table read from stdin.
STDIN_NAME = "stdin"

#: (temporary path, the name to show, the user's file or None for stdin) of every
#: spooled DATA.  Kept after the file is removed: the error that ended the command
#: names it still.
_spooled: list[tuple[str, str, str | None]] = []


def shown(text: str) -> str:
    """``text`` with each spooled file's temporary path written as the user named it."""
    for path, name, _ in _spooled:
        text = text.replace(path, name)
    return text


def original_file(path: str) -> str | None:
    """The user's file that ``path`` is a spooled copy of (``path`` itself when it is
    none; None for stdin's), for the check that an output does not overwrite it."""
    for spooled, _, original in _spooled:
        if path == spooled:
            return original
    return path


def check_encoding(encoding: str | None) -> str | None:
    """The codec's canonical name for ``--encoding``; ValueError naming an unknown one,
    or one that is no text encoding (``base64``)."""
    if encoding is None:
        return None
    try:
        info = codecs.lookup(encoding)
    except LookupError:
        raise ValueError(f"{encoding!r} is no text encoding Python knows (e.g. utf-8, "
                         "cp1252, latin-1, cp1251, shift_jis, gb18030)") from None
    if not _is_text_codec(info):
        raise ValueError(f"{encoding!r} is not a text encoding (it turns bytes into bytes)")
    return info.name


@contextmanager
def readable(data: str | None, encoding: str | None = None) -> Iterator[str | None]:
    """``data`` itself when the readers take it as it is; for ``-`` or an
    ``encoding``, the path of a temporary file they take, removed on leaving, with
    stdout and stderr naming it as ``data`` meanwhile.

    Raises
    ------
    DataError
        stdin is a terminal (nothing was piped in: reading would wait for typing), or
        empty; an ``encoding`` for a file that is not text, or bytes it cannot decode.
    """
    encoding = check_encoding(encoding)
    if data is None or (data != STDIN and encoding is None):
        yield data
        return
    name = STDIN_NAME if data == STDIN else data
    with tempfile.TemporaryDirectory(prefix="lucidnet-") as directory:
        source = data
        if data == STDIN:
            raw = _stdin_bytes()
            source = os.path.join(directory, "stdin" + _suffix_of(raw))
            with open(source, "wb") as spool:
                spool.write(raw)
            del raw  # the file holds it now: a large table need not stay twice in memory
        if encoding is not None:
            source = _transcoded(source, encoding, name, directory)
        _spooled.append((source, name, None if data == STDIN else data))
        saved = sys.stdout, sys.stderr
        sys.stdout, sys.stderr = _Renaming(sys.stdout), _Renaming(sys.stderr)
        try:
            yield source
        finally:
            sys.stdout, sys.stderr = saved


def _transcoded(source: str, encoding: str, name: str, directory: str) -> str:
    """The path of a UTF-8 copy, in ``directory``, of the text file ``source`` (which may
    be compressed) written in ``encoding``; ``name`` is how messages call it."""
    from ._compression import read_bytes, split_suffix
    from .data import TEXT_SUFFIXES

    suffix, compression = split_suffix(source)
    if suffix not in TEXT_SUFFIXES:
        raise DataError(f"--encoding is for text files ({', '.join(TEXT_SUFFIXES)}), not "
                        f"{suffix or 'a file without a suffix'}", path=name)
    if not os.path.isfile(source):
        raise DataError("no such file", path=name)
    path = os.path.join(directory, "data" + suffix)
    with open(path, "wb") as copy:
        copy.write(_as_utf8(read_bytes(source, compression), encoding, name))
    return path


def _stdin_bytes() -> bytes:
    stream = sys.stdin
    if stream is None or stream.isatty():
        raise DataError("DATA '-' reads the table from stdin, but nothing is piped into it "
                        "(it is the terminal); pipe or redirect a file: ... < data.csv")
    raw = stream.buffer.read()
    if not raw or raw.isspace():
        raise DataError("DATA '-' reads the table from stdin, and stdin is empty")
    return raw


def _as_utf8(raw: bytes, encoding: str, name: str) -> bytes:
    """``raw`` decoded as ``encoding``, encoded as UTF-8; DataError placing a byte the
    encoding has no character for on its line."""
    try:
        return raw.decode(encoding).encode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].decode(encoding, errors="replace").count("\n") + 1
        raise DataError(f"not {encoding} text: byte {raw[exc.start]:#04x} at offset "
                        f"{exc.start} is no character of it", path=name, line=line) from None


def _is_text_codec(info: codecs.CodecInfo) -> bool:
    """Whether a codec decodes bytes to text (not base64, zlib, rot13, ...)."""
    return getattr(info, "_is_text_encoding", True)


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
