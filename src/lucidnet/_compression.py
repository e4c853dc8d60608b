"""Compressed text files: ``data.csv.gz`` is read, and written, as ``data.csv`` is.

As in pandas, the last suffix names the compression (``.gz``, ``.bz2``, ``.xz``, or
``.zip`` holding one file) and the one before it the format, so ``train.csv.zip`` (a
common download) is a CSV file.  Only delimited text is taken compressed: NumPy's
``.npz`` and Parquet compress their contents themselves.

Every decompression error (a truncated or corrupt archive) becomes a
:class:`~lucidnet.errors.DataError` naming the file; errors opening it (no such file,
no permission) are left to the caller, as for any other file.
"""

from __future__ import annotations

import io
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import PurePath
from typing import IO

from .errors import DataError

__all__ = ["COMPRESSIONS", "compress", "read_bytes", "split_suffix"]

#: Compression suffixes, with the name used in messages.
COMPRESSIONS = {".gz": "gzip", ".bz2": "bzip2", ".xz": "xz", ".zip": "zip"}


def split_suffix(path: str | os.PathLike[str]) -> tuple[str, str | None]:
    """``(format suffix, compression suffix or None)``, lower-case.

    ``"Data.CSV.gz"`` gives ``(".csv", ".gz")``, ``"data.csv"`` ``(".csv", None)``; a
    compression suffix with no format before it (``"data.gz"``) is the format
    ``".gz"``, which no reader takes.
    """
    name = PurePath(os.fspath(path)).name.lower()
    last = PurePath(name).suffix
    if last in COMPRESSIONS:
        inner = PurePath(name[: -len(last)]).suffix
        if inner:
            return inner, last
    return last, None


def read_bytes(path: str, compression: str | None, size: int = -1) -> bytes:
    """The file's (decompressed) bytes: all of them, or the first ``size``.

    Raises
    ------
    DataError
        The archive is not one of its kind, or is corrupt; a zip archive that does not
        hold exactly one file.
    """
    with open(path, "rb") as raw:
        if compression is None:
            return raw.read(size)
        import lzma
        import zipfile
        import zlib

        try:
            with _decompressed(raw, path, compression) as stream:
                return stream.read(size)
        except DataError:
            raise
        except (OSError, EOFError, lzma.LZMAError, zlib.error, zipfile.BadZipFile) as exc:
            # gzip, bz2 and lzma find bad data on the first read, not on opening.
            raise _corrupt(path, compression, exc) from None


@contextmanager
def _decompressed(raw: IO[bytes], path: str, compression: str) -> Iterator[IO[bytes]]:
    import zipfile

    if compression != ".zip":
        import bz2
        import gzip
        import lzma

        stream: IO[bytes]
        if compression == ".gz":
            stream = gzip.GzipFile(fileobj=raw, mode="rb")
        else:
            stream = (bz2.BZ2File if compression == ".bz2" else lzma.LZMAFile)(raw, "rb")
        with stream:
            yield stream
        return
    try:
        archive = zipfile.ZipFile(raw)
    except (zipfile.BadZipFile, OSError, EOFError) as exc:
        raise _corrupt(path, compression, exc) from None
    with archive:
        # A Mac's archiver adds __MACOSX/ copies of each file's metadata: not data.
        members = [info for info in archive.infolist()
                   if not info.is_dir() and not info.filename.startswith("__MACOSX/")]
        if len(members) != 1:
            listed = ", ".join(repr(info.filename) for info in members[:5])
            raise DataError(
                f"the zip archive holds {len(members)} files{': ' + listed if listed else ''}"
                f"{', ...' if len(members) > 5 else ''}; it must hold exactly one "
                "(the table)",
                path=path,
            )
        try:
            stream = archive.open(members[0])
        except (zipfile.BadZipFile, NotImplementedError, RuntimeError, OSError) as exc:
            # NotImplementedError: a compression method Python lacks; RuntimeError: a
            # password-protected member.
            raise _corrupt(path, compression, exc) from None
        with stream:
            yield stream


def _corrupt(path: str, compression: str, exc: BaseException) -> DataError:
    return DataError(
        f"cannot decompress it as {COMPRESSIONS[compression]} ({exc or type(exc).__name__})",
        path=path,
    )


def compress(data: bytes, compression: str, member: str) -> bytes:
    """``data`` compressed as ``compression`` (a key of :data:`COMPRESSIONS`); a zip
    archive holds it as one file named ``member``.  Deterministic: the same data gives
    the same bytes (no time stamp from the clock)."""
    if compression == ".gz":
        import gzip

        return gzip.compress(data, mtime=0)
    if compression == ".bz2":
        import bz2

        return bz2.compress(data)
    if compression == ".xz":
        import lzma

        return lzma.compress(data)
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(zipfile.ZipInfo(member, date_time=(1980, 1, 1, 0, 0, 0)), data,
                         compress_type=zipfile.ZIP_DEFLATED)
    return buffer.getvalue()
