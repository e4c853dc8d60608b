"""How the command line names a file's columns: option values to columns, and back.

The list options (``--drop``, ``--keep``, ``--categorical``) take comma-separated names
or 0-based indices, ``--drop id,3``.  A column whose own name holds a comma
(``Income (USD, 2020)``, common in a spreadsheet's export) is named by giving its
whole name as one value, as ``--target`` takes it: a value that is exactly a column's
name is that column, before it is split at commas.  The remedies the command line
prints give each column an option of its own, so that they can be pasted as they are.
"""

from __future__ import annotations

import shlex
from collections.abc import Sequence

from .errors import DataError

__all__ = ["column_named", "columns_named", "list_option"]


def column_named(item: str, columns: Sequence[str], option: str, path: str) -> str:
    """The column ``item`` names: a name or, when no column has that name, a 0-based
    index (as ``--target``); an unknown one is an error naming ``option`` and the
    file's columns."""
    import difflib

    from .data import is_column_index

    n = len(columns)
    if item in columns:
        return item
    if is_column_index(item) and -n <= int(item) < n:
        return columns[int(item)]
    close = ([name for name in columns if name.lower() == item.lower()]
             or difflib.get_close_matches(item, columns, n=1))
    hint = f"did you mean {close[0]!r}? " if close else ""
    shown = ", ".join(repr(name) for name in columns[:10]) + (", ..." if n > 10 else "")
    raise DataError(f"{option}: no column {item!r}; {hint}the file's columns are {shown}",
                    path=path)


def columns_named(values: Sequence[str], columns: Sequence[str], option: str,
                  path: str, *, note: bool = True) -> list[str]:
    """The columns that the values of a list option name, in order.

    Each value is one column's whole name when a column is named so (as given, or
    without the spaces around it), otherwise comma-separated names and indices (see
    the module text).  A whole name whose pieces name columns too gets a note on
    stderr saying how to name those instead (unless ``note`` is False: a second
    reading of the same option).
    """
    named: list[str] = []
    for value in values:
        whole = next((text for text in (value, value.strip()) if text in columns), None)
        if whole is not None:
            if note and "," in whole:
                _note_pieces_that_are_columns(whole, columns, option, path)
            if note:
                _note_name_that_is_an_index(whole, columns, option, path)
            named.append(whole)
            continue
        for part in value.split(","):
            try:
                named.append(column_named(part.strip(), columns, option, path))
            except DataError:
                _refuse_part_of_a_name(part.strip(), columns, option, path)
                raise
            if note:
                _note_name_that_is_an_index(part.strip(), columns, option, path)
    return named


def _note_name_that_is_an_index(item: str, columns: Sequence[str], option: str,
                                path: str) -> None:
    """Say so on stderr when ``item``, a number, named a column (a header of numbers)
    that is not the column at that index, as ``--target`` says it."""
    import sys

    from .data import is_column_index

    if not (item in columns and is_column_index(item)):
        return
    index = int(item)
    if not -len(columns) <= index < len(columns) or columns[index] == item:
        return
    print(f"note: {path}: {option} {item} is the column named {item!r} (index "
          f"{columns.index(item)}); for the column at index {index}, pass its name: "
          f"{list_option(option, [columns[index]])}", file=sys.stderr)


def _note_pieces_that_are_columns(name: str, columns: Sequence[str], option: str,
                                  path: str) -> None:
    """Say so on stderr when every comma-separated piece of the column ``name`` names a
    column as well: the whole name was taken, as ``--target`` takes it."""
    import sys

    pieces = [piece.strip() for piece in name.split(",")]
    if all(piece in columns for piece in pieces):
        print(f"note: {path}: {option} {name!r} is the column named so; for the columns "
              f"{' and '.join(map(repr, pieces))}, give them one by one: "
              f"{list_option(option, pieces)}", file=sys.stderr)


def _refuse_part_of_a_name(part: str, columns: Sequence[str], option: str, path: str) -> None:
    """When ``part``, which names no column, is a comma-separated piece of a column's
    name, a DataError saying how to give that name whole."""
    for name in columns:
        if "," in name and part in (piece.strip() for piece in name.split(",")):
            raise DataError(f"{option}: no column {part!r}; the column {name!r} holds a "
                            "comma: give its whole name as a value of its own, "
                            f"{option} {shlex.quote(name)}", path=path)


def list_option(option: str, names: Sequence[str]) -> str:
    """The words of ``option`` naming the columns ``names``, ready for a shell: one
    option per name (``--drop id --drop 'Income (USD, 2020)'``).  Joined as one list,
    ``id,date`` would name the column ``id,date`` instead, if the file had one."""
    return " ".join(f"{option} {shlex.quote(name)}" for name in names)
