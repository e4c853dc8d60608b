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

Everything the command prints names the data as the user did (``stdin``, or the
original path), not by its temporary path: :func:`shown` renames it where the command
writes the name itself (its summary, an error printed after the file is gone, what a
model file keeps as its ``source``), and stdout and stderr are wrapped for the
command's duration for the notes and warnings printed on the way.
"""

from __future__ import annotations

import codecs
import os
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, TextIO

from .errors import DataError

__all__ = ["STDIN", "check_encoding", "original_file", "readable", "shown"]

#: The DATA argument that means stdin, as for most command-line tools.
STDIN = "-"
#: How messages name the table read from stdin.
STDIN_NAME = "stdin"
#: The first bytes of stdin, read before the rest is copied in blocks: how they start
#: says what stdin holds, and blank ones alone say it is empty.
SNIFF_BYTES = 1 << 20

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
        name = codecs.lookup(encoding).name
    except LookupError:
        raise ValueError(f"{encoding!r} is no text encoding Python knows (e.g. utf-8, "
                         "cp1252, latin-1, cp1251, shift_jis, gb18030)") from None
    try:
        b"\n".decode(name)  # bytes.decode refuses codecs of bytes to bytes (zlib, base64)
    except LookupError:
        raise ValueError(f"{encoding!r} is not a text encoding (it turns bytes into "
                         "bytes)") from None
    except UnicodeDecodeError:
        pass  # one byte is no UTF-16 text, but the codec is a text one
    return name


@contextmanager
def readable(data: str | None, encoding: str | None = None) -> Iterator[str | None]:
    """``data`` itself when the readers take it as it is; for ``-`` or an
    ``encoding`` (a codec name :func:`check_encoding` returned), the path of a
    temporary file they take, removed on leaving (on an error, Ctrl-C or SIGTERM too),
    with stdout and stderr naming it as ``data`` meanwhile.

    Raises
    ------
    DataError
        stdin is closed, a terminal (nothing was piped in: reading would wait for
        typing), or empty; an ``encoding`` for a file that is not text, or bytes it
        cannot decode.
    """
    if data is None or (data != STDIN and encoding is None):
        yield data
        return
    # Entries of earlier commands run in this process (their files are gone).
    _spooled[:] = [entry for entry in _spooled if os.path.exists(entry[0])]
    name = STDIN_NAME if data == STDIN else data
    if data == STDIN:
        _check_stdin()
    with _removed_on_sigterm(), tempfile.TemporaryDirectory(prefix="lucidnet-") as directory:
        source = _spooled_stdin(directory) if data == STDIN else data
        if encoding is not None:
            source = _transcoded(source, encoding, name, directory)
        _spooled.append((source, name, None if data == STDIN else data))
        saved = sys.stdout, sys.stderr
        sys.stdout, sys.stderr = _Renaming(sys.stdout), _Renaming(sys.stderr)
        try:
            yield source
        finally:
            sys.stdout, sys.stderr = saved


class _Terminated(SystemExit):
    """SIGTERM, raised by :func:`_removed_on_sigterm`'s handler."""


@contextmanager
def _removed_on_sigterm() -> Iterator[None]:
    """Meanwhile, SIGTERM (``kill``) ends the command as an exception does, so that
    the temporary file is removed; by default Python dies at once, leaving it.

    The handler's exception may arrive inside code that turns it into another (an
    extension module being imported fails with "ImportError: initialization failed"):
    the exit it stands for is found behind that one and ends the command all the same.
    """
    import signal

    def stop(signum: int, frame: Any) -> None:
        raise _Terminated(128 + signum)  # the status of a process the signal killed

    try:
        before = signal.signal(signal.SIGTERM, stop)
    except ValueError:  # not the main thread: signals are not this thread's to take
        yield
        return
    try:
        yield
    except Exception as exc:
        terminated = _terminated_behind(exc)
        if terminated is None:
            raise
        raise terminated from None
    finally:
        signal.signal(signal.SIGTERM, before)


def _terminated_behind(exc: BaseException) -> _Terminated | None:
    """The :class:`_Terminated` among the exceptions that led to ``exc``, if any."""
    seen: set[int] = set()
    while exc is not None and id(exc) not in seen:
        if isinstance(exc, _Terminated):
            return exc
        seen.add(id(exc))
        exc = exc.__cause__ or exc.__context__
    return None


def _check_stdin() -> None:
    stream = sys.stdin
    if stream is None:
        raise DataError("DATA '-' reads the table from stdin, but stdin is closed")
    if stream.isatty():
        raise DataError("DATA '-' reads the table from stdin, but nothing is piped into it "
                        "(it is the terminal); pipe or redirect a file: ... < data.csv")


def _spooled_stdin(directory: str) -> str:
    """Copy stdin into a file in ``directory``, in blocks (a table need not fit in
    memory twice), named with the suffix its first bytes choose; return its path."""
    import shutil

    stream = sys.stdin.buffer
    head = stream.read(SNIFF_BYTES)
    if not head or (len(head) < SNIFF_BYTES and head.isspace()):
        raise DataError("DATA '-' reads the table from stdin, and stdin is empty")
    path = os.path.join(directory, "stdin" + _suffix_of(head))
    with open(path, "wb") as spool:
        spool.write(head)
        shutil.copyfileobj(stream, spool)
    return path


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


def _as_utf8(raw: bytes, encoding: str, name: str) -> bytes:
    """``raw`` decoded as ``encoding``, encoded as UTF-8; DataError placing a byte the
    encoding has no character for on its line."""
    try:
        return raw.decode(encoding).encode("utf-8")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start].decode(encoding, errors="replace")
        # Counted as the reader counts lines: "\r\n", "\n" or an old Mac's "\r".
        line = before.replace("\r\n", "\n").replace("\r", "\n").count("\n") + 1
        raise DataError(f"not {encoding} text: byte {raw[exc.start]:#04x} is no character "
                        "of it", path=name, line=line) from None


def _suffix_of(head: bytes) -> str:
    """The file suffix under which the readers take a file starting with ``head`` for
    what it is."""
    if head.startswith(b"\x1f\x8b"):
        return ".txt.gz"
    if head.startswith(b"BZh") and head[4:10] == b"1AY&SY":
        return ".txt.bz2"
    if head.startswith(b"\xfd7zXZ\x00"):
        return ".txt.xz"
    if head.startswith(b"\x93NUMPY"):
        return ".npy"
    if head.startswith(b"PAR1") and b"\x00" in head[:64]:
        return ".parquet"
    if head.startswith(b"PK\x03\x04"):
        return ".npz" if _first_zip_member(head).endswith(".npy") else ".txt.zip"
    return ".txt"


def _first_zip_member(head: bytes) -> str:
    """The name of the first file in a zip archive, from its local header at the
    start (the archive's list of members is at its end, not yet read): NumPy's
    ``.npz`` archives hold ``.npy`` arrays only."""
    import struct

    if len(head) < 30:
        return ""
    name_length = struct.unpack_from("<H", head, 26)[0]
    return head[30:30 + name_length].decode("utf-8", errors="replace")


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

    def writelines(self, lines: Any) -> None:
        for line in lines:
            self.write(line)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)
