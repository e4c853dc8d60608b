"""Writing a file so that it is either complete or not there at all.

Model files, checkpoints and prediction files are all written the same way: into a
temporary file beside the destination, flushed and fsync'ed, then renamed over the
destination with :func:`os.replace` (atomic on POSIX and Windows), and the directory
fsync'ed so the rename itself survives a crash.  If anything fails on the way, the
temporary file is removed and whatever was at the destination is left untouched.

A destination that is a symbolic link is written through: the file it points to is
replaced and the link stays, as a plain ``open(path, "w")`` would have it.  A
destination that exists and is neither a regular file nor a directory (``/dev/null``,
``/dev/stdout``, a named pipe) has nothing to replace: it is opened and written, so a
device is never swapped for a regular file.  Binary content (a zip archive, which
seeks back to write its directory, and a device cannot seek) is built in memory and
written there once the block has succeeded.
"""

from __future__ import annotations

import errno
import io
import os
import secrets
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from typing import IO, Any

__all__ = ["atomic_file", "check_writable", "is_special"]


@contextmanager
def atomic_file(path: str | os.PathLike, mode: str = "wb", **open_kwargs: Any) -> Iterator[IO]:
    """Open a stream whose content replaces ``path`` only when the block succeeds.

    Parameters
    ----------
    path : str or path-like
        The destination, written exactly as given (no suffix added); a symbolic link
        is followed.
    mode : {"wb", "w"}
        Binary or text; ``open_kwargs`` (``encoding``, ``newline``) go to the stream.

    Raises
    ------
    FileNotFoundError
        The destination's directory does not exist (named in the error, rather
        than the temporary file's name).
    OSError
        Writing failed (a full disk, say); the error names ``path``.
    """
    try:
        with _replacing_stream(path, mode, **open_kwargs) as stream:
            yield stream
    except OSError as exc:
        # A failed write names no file ("No space left on device"): name the one the
        # caller asked for, not the temporary one.
        if exc.filename is None and exc.errno is not None:
            raise _naming(exc, os.fspath(path)) from None
        raise


@contextmanager
def _replacing_stream(path: str | os.PathLike, mode: str, **open_kwargs: Any) -> Iterator[IO]:
    """:func:`atomic_file` without the naming of write errors."""
    if is_special(os.fspath(path)):
        if "b" in mode:
            buffer = io.BytesIO()
            yield buffer
            with open(path, mode, **open_kwargs) as stream:
                stream.write(buffer.getbuffer())
            return
        with open(path, mode, **open_kwargs) as stream:
            yield stream
        return
    destination = _followed(os.fspath(path))
    temporary, descriptor = _open_temporary(destination, os.fspath(path))
    try:
        with os.fdopen(descriptor, mode, **open_kwargs) as stream:
            yield stream
            stream.flush()
            os.fsync(stream.fileno())
        try:
            os.replace(temporary, destination)
        except OSError as exc:  # name the destination, not the temporary file
            raise _naming(exc, os.fspath(path)) from None
    except BaseException:
        try:
            os.unlink(temporary)
        except OSError:
            pass
        raise
    _fsync_directory(os.path.dirname(temporary))


def check_writable(path: str | os.PathLike) -> None:
    """Raise the ``OSError`` that :func:`atomic_file` would meet writing ``path``, now.

    Creates and removes the same kind of temporary file beside ``path``: asking
    ``os.access`` is not enough (it answers yes to root on a read-only file system).
    """
    shown = os.fspath(path)
    if is_special(shown):
        # Opening a named pipe would wait for a reader: ask instead.
        if not os.access(shown, os.W_OK):
            raise PermissionError(errno.EACCES, "Permission denied", shown)
        return
    temporary, descriptor = _open_temporary(_followed(shown), shown)
    os.close(descriptor)
    os.unlink(temporary)


def is_special(path: str) -> bool:
    """Whether ``path`` (links followed) exists and is neither a regular file nor a
    directory: a device or a pipe, written in place."""
    try:
        mode = os.stat(path).st_mode
    except (OSError, ValueError):
        return False
    return not (stat.S_ISREG(mode) or stat.S_ISDIR(mode))


def _followed(path: str) -> str:
    """``path``, or the file it leads to when it is a symbolic link (replacing the link
    itself would leave its target stale and the link gone)."""
    return os.path.realpath(path) if os.path.islink(path) else path


def _open_temporary(destination: str, shown: str) -> tuple[str, int]:
    """A new temporary file beside ``destination``: its path and an open descriptor.

    An error names ``shown``, the path the caller gave, not the temporary one.
    """
    directory = os.path.dirname(os.path.abspath(destination))
    if not os.path.isdir(directory):
        raise FileNotFoundError(
            errno.ENOENT, "no such directory to write into",
            os.path.dirname(shown) if destination == shown else directory,  # a link's target's
        )
    if os.path.isdir(destination) or not os.path.basename(destination):
        raise IsADirectoryError(errno.EISDIR, "is a directory; give a file name", shown)
    temporary = os.path.join(
        directory, f".{os.path.basename(destination)}.{secrets.token_hex(6)}.tmp"
    )
    try:
        existing = os.stat(destination).st_mode
    except OSError:
        existing = None
    if existing is not None and not os.access(destination, os.W_OK):
        # A plain open() would refuse a read-only file; renaming over it would not.
        raise PermissionError(errno.EACCES, "Permission denied (the file is read-only)", shown)
    try:
        # os.open with 0o666 lets the umask decide a new file's permissions, as a plain
        # open() would (tempfile's 0o600 would silently make the output private).
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    except OSError as exc:
        raise _naming(exc, shown) from None
    if existing is not None:
        # A file written over keeps its permissions, as open(path, "w") keeps them: a
        # private model must not become readable by everyone.
        try:
            os.fchmod(descriptor, stat.S_IMODE(existing))
        except (OSError, AttributeError):  # no fchmod (Windows): the umask's mode
            pass
    return temporary, descriptor


def _naming(exc: OSError, destination: str) -> OSError:
    """``exc`` again, with ``destination`` as its file name (the path the caller knows)."""
    return type(exc)(exc.errno, exc.strerror or str(exc), destination)


def _fsync_directory(directory: str) -> None:
    """Make the rename durable (POSIX); a no-op where directories cannot be opened."""
    try:
        descriptor = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(descriptor)
    except OSError:
        pass
    finally:
        os.close(descriptor)
