"""Which reader a file's name selects: its format suffix, compression aside.

:func:`file_format` reads ``data.csv`` and ``data.csv.gz`` alike as ``".csv"`` (the
compression suffixes are :mod:`lucidnet._compression`'s).  The suffixes read as
delimited text each come with the delimiters tried first in such a file; Parquet's
are listed too (``.npy`` and ``.npz`` are NumPy's own).
"""

from __future__ import annotations

import os

from ._compression import split_suffix

PathLike = str | os.PathLike[str]

# Candidate delimiters per suffix, most likely first. ``None`` means runs of
# whitespace, which only a ``.txt`` file may use (np.savetxt's default).
_DELIMITERS: dict[str, tuple[str | None, ...]] = {
    ".csv": (",", ";", "\t", "|"),
    ".tsv": ("\t", ",", ";", "|"),
    ".txt": (",", "\t", ";", "|", None),
    # The UCI repository's conventions: comma-separated (iris.data, adult.data) or
    # whitespace-separated (housing.data).
    ".data": (",", "\t", ";", "|", None),
    ".dat": (",", "\t", ";", "|", None),
    ".test": (",", "\t", ";", "|", None),  # adult.test
}
#: Suffixes read as delimited text (the files with a first line that may be a header).
TEXT_SUFFIXES = tuple(_DELIMITERS)
#: Suffixes read as Parquet (column names in the schema).
PARQUET_SUFFIXES = (".parquet", ".pq")


def file_format(path: PathLike) -> str:
    """The suffix that says how :func:`~lucidnet.data.read_table` reads ``path``, lower-case:
    ``".csv"`` for ``data.csv`` and ``data.csv.gz`` alike."""
    return split_suffix(path)[0]
