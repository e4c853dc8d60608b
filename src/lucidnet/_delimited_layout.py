"""How delimited text is laid out: its delimiter, records and fields, before any cell
is read as a number.

The delimiter is Excel's ``sep=;`` line's, or the first of the suffix's candidates
that splits the first lines alike (runs of whitespace, or single spaces, when none
does); cells with a decimal comma, in a file not separated by commas, become numbers
with a point; delimiters that end every line (a spreadsheet's empty last columns) are
left out.  Records are split into fields with the line each starts on: blank lines
are skipped but counted, so that a message's line number is the editor's, and a
quoted field may span lines.  A first line narrower or wider than all the lines below
it (a title, counts) is named as such, since neither header setting would read it.
"""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from collections.abc import Sequence

from ._compression import split_suffix
from ._formats import _DELIMITERS, file_format
from ._number_text import _DECIMAL_COMMA
from .errors import DataError

#: A cell that is a number with a decimal comma (``-1,5``, ``0,376``, ``,5``, ``1,5e-05``,
#: quoted or not, spaces around it) between two delimiters (``;``, tab or ``|``, in the pattern's
#: place) or line ends.
_DECIMAL_COMMA_CELL = r'(?:^|(?<={d})) *("?)([-+]?\d*),(\d+(?:[eE][-+]?\d+)?)\1 *(?=$|{d})'
#: The same with points between groups of three digits: ``1.225,8``, ``-12.345.678,5``.
_GROUPED_DECIMAL_CELL = (r'(?:^|(?<={d})) *("?)([-+]?[1-9]\d{{0,2}}(?:\.\d{{3}})+),(\d+)\1 *'
                         r'(?=$|{d})')
#: A whole number with points between groups of three digits, ``85.052``: in a file of
#: decimal commas a thousands point, unless the point is a decimal one.
_GROUPED_WHOLE_CELL = r'(?:^|(?<={d})) *"?[-+]?[1-9]\d{{0,2}}(?:\.\d{{3}})+"? *(?=$|{d})'
#: A number that a thousands separator may have written as well as a decimal comma.
_THOUSAND_OR_DECIMAL = re.compile(r"[-+]?[1-9][0-9]{0,2},[0-9]{3}")


def _decimal_commas_as_points(text: str, delimiter: str | None,
                              path: str) -> tuple[str, str | None]:
    """``text`` with each cell like ``1,5`` written ``1.5`` when the delimiter is not a
    comma (a spreadsheet's export in most of Europe: ``1,5;2,25``), as pandas reads it
    with ``decimal=","``, and a note saying so; ``text`` and None otherwise.

    Only when one such cell cannot be a number with a thousands separator instead
    (``1,234`` may be either; ``1,5`` or ``0,376`` cannot), and then cell by cell, so
    a column of such numbers is numbers whatever else it holds (a word among them is
    still named); a quoted one (``"918,7"``) loses its quotes.  Points between groups
    of three digits before a decimal comma separate thousands (``1.225,8`` is
    1225.8, as pandas' ``thousands="."``); a whole number written so (``85.052``) is a
    DataError naming its line, since the point may be a thousands point (85052) or a
    decimal one, and reading it either way, cell by cell, would mix scales in a column
    or read the same cell otherwise in a file without decimal commas."""
    if delimiter not in (";", "\t", "|"):
        return text, None
    d = re.escape(delimiter)
    pattern = re.compile(_DECIMAL_COMMA_CELL.format(d=d), re.MULTILINE)
    # "1,234" may be a thousand and more (a US spreadsheet's tab-separated copy): only
    # a file that also writes an unambiguous decimal comma ("1,5", "0,376") uses them.
    first = next((match for match in pattern.finditer(text)
                  if not _THOUSAND_OR_DECIMAL.fullmatch(f"{match.group(2)},{match.group(3)}")),
                 None)
    if first is None:
        return text, None
    whole = re.compile(_GROUPED_WHOLE_CELL.format(d=d), re.MULTILINE).search(text)
    if whole is not None:
        cell = whole.group(0).strip().strip('"')
        raise DataError(
            f"{cell!r} in a file of decimal commas: is its point a thousands separator "
            f"({cell.replace('.', '')}) or a decimal point? write it without the point, "
            "or with a decimal comma", path=path, line=text.count("\n", 0, whole.start()) + 1)
    line = text.count("\n", 0, first.start()) + 1
    note = (f"decimal commas read as points ({first.group(0).strip()!r} on line {line} is "
            f"{first.group(2)}.{first.group(3)})")
    grouped = re.compile(_GROUPED_DECIMAL_CELL.format(d=d), re.MULTILINE)
    thousands = grouped.search(text)
    if thousands is not None:
        line = text.count("\n", 0, thousands.start()) + 1
        note += (f", and points between thousands taken out ({thousands.group(0).strip()!r} "
                 f"on line {line} is {thousands.group(2).replace('.', '')}."
                 f"{thousands.group(3)})")
        text = grouped.sub(lambda match: f"{match.group(2).replace('.', '')}.{match.group(3)}",
                           text)
    return pattern.sub(r"\2.\3", text), note


def _is_blank(line: str, delimiter: str | None) -> bool:
    """Whether ``line`` holds no field: whitespace, or empty (maybe quoted) fields
    between delimiters, as spreadsheets write below a table.  Both readers skip it."""
    stripped = line.strip()
    if not stripped or delimiter is None or stripped[0] not in (delimiter, '"'):
        return not stripped  # a field's text comes first: not blank (the common case)
    return not stripped.replace('"', "").replace(delimiter, "").strip()


def _first_lines(text: str, n: int, delimiter: str | None) -> list[str]:
    """The first ``n`` non-blank lines of ``text``, found without splitting all of it
    (the whole file's text, on every read)."""
    lines: list[str] = []
    start = 0
    while len(lines) < n and start <= len(text):
        end = text.find("\n", start)
        end = len(text) if end < 0 else end
        if not _is_blank(text[start:end], delimiter):
            lines.append(text[start:end])
        start = end + 1
    return lines


def _savetxt_header(text: str, path: str) -> str:
    """``text`` without the ``# `` that ``np.savetxt(..., header=...)`` puts before a
    ``.txt`` file's header line (the line is then read as any first line)."""
    if file_format(path) != ".txt":
        return text
    start = len(text) - len(text.lstrip())
    if text.startswith("# ", start):
        return text[:start] + text[start + 2:]
    return text


def _split_fields(lines: Sequence[str], delimiter: str | None) -> list[list[str]]:
    if delimiter is None:
        return [_whitespace_fields(line) for line in lines]
    return list(csv.reader(lines, delimiter=delimiter))


#: A field of a line separated by whitespace: double-quoted (spaces inside, "" for a
#: quote) or a run of other characters.
_WHITESPACE_FIELD = re.compile(r'"((?:[^"]|"")*)"(?=\s|$)|(\S+)')


def _whitespace_fields(line: str) -> list[str]:
    """The fields of a line separated by runs of whitespace; a double-quoted field may
    hold spaces (UCI's auto-mpg.data: ``18.0   8   307.0\t"chevrolet chevelle malibu"``)."""
    if '"' not in line:
        return line.split()
    return [plain or quoted.replace('""', '"')
            for quoted, plain in _WHITESPACE_FIELD.findall(line)]


def _delimited_text(text: str, path: str) -> tuple[str, str | None, str | None]:
    """The text of the file ``path`` as the readers split it, its delimiter, and a note
    on how its numbers were read: without np.savetxt's "# " before a ``.txt`` header,
    without Excel's ``sep=;`` line (its delimiter taken, the line left blank so line
    numbers stay), without the delimiters that end every line (a spreadsheet's empty
    last columns: ``a,b,y,,`` over ``1,2,0,,``), and with decimal commas as points
    (:func:`_decimal_commas_as_points`)."""
    text, delimiter = _delimited_layout(text, path)
    text, note = _decimal_commas_as_points(text, delimiter, path)
    return text, delimiter, note


def _delimited_layout(text: str, path: str) -> tuple[str, str | None]:
    """:func:`_delimited_text` without the decimal commas: the cells as written."""
    text = _savetxt_header(text, path)
    stated = _EXCEL_SEPARATOR.match(text)
    if stated:
        delimiter = stated.group(1)
        text = text[stated.end() - 1:]  # from the line end: the first line is blank
    else:
        delimiter = _delimiter_of(text, path)
    return _without_trailing_delimiter(text, delimiter), delimiter


#: Excel's first line naming the delimiter of a CSV it writes or reads: ``sep=;``.
_EXCEL_SEPARATOR = re.compile(r"sep=([^\s\w\"]|\t)[ \t]*\n")


def _without_trailing_delimiter(text: str, delimiter: str | None) -> str:
    """``text`` without the delimiters that end each of its non-blank lines, as many as
    every one ends with (two lines at least: a spreadsheet's empty last columns); else
    ``text`` itself.  Line numbers stay.  Quoted text is left as it is: a line may end
    inside a quoted field, so the careful reader drops empty last fields per record
    (:func:`_without_empty_last_field`)."""
    if delimiter is None or '"' in text:
        return text
    spaces = " \t".replace(delimiter, "")
    first = _first_lines(text, 2, delimiter)
    if len(first) < 2 or not all(line.rstrip(spaces).endswith(delimiter) for line in first):
        return text  # the common case, found without splitting the whole text
    lines = text.split("\n")
    while True:
        kept = [line for line in lines if not _is_blank(line, delimiter)]
        if len(kept) < 2 or not all(line.rstrip(spaces).endswith(delimiter) for line in kept):
            return "\n".join(lines)
        lines = [line if _is_blank(line, delimiter) else line.rstrip(spaces)[:-1]
                 for line in lines]


def _without_empty_last_field(
    records: list[tuple[int, list[str]]],
) -> list[tuple[int, list[str]]]:
    """``records`` (line, fields) without their last fields while they are empty in
    every one, header included (two records of two fields at least): the empty last
    columns of delimiters ending every record."""
    while len(records) >= 2 and all(len(fields) > 1 and not fields[-1].strip()
                                    for _, fields in records):
        records = [(line, fields[:-1]) for line, fields in records]
    return records


def _delimiter_of(text: str, path: str) -> str | None:
    """The delimiter of ``text``, read from the file ``path`` (its suffix says which
    delimiters to try first)."""
    return _choose_delimiter(text, _DELIMITERS[file_format(path)])


def _choose_delimiter(text: str, candidates: tuple[str | None, ...]) -> str | None:
    """The first candidate that splits the first records into equal, >1 field counts.

    When none does, the first whose most common count above 1 is shared by more than
    half of them (one ragged line among them): the reader then names the odd line,
    instead of reading the file as one column under the wrong delimiter.  When no
    candidate splits any line and whitespace splits every one into the same count
    above 1, whitespace (None), whatever the suffix (a ``.csv`` written with spaces);
    failing that, when single spaces do (quoted fields, empty ones), ``" "``.
    Otherwise the first candidate (a one-column file, or no clear majority).
    """
    lines = text[:65536].split("\n")
    cut = len(text) > 65536
    if cut:
        lines = lines[:-1]  # the last line of a cut sample is incomplete
    lines = [line for line in lines if line.strip()]
    cut = cut or len(lines) > 20
    sample = lines[:20]
    best, best_count = candidates[0], 0
    split_any = False
    for delimiter in candidates:
        try:
            rows = _split_fields(sample, delimiter)
        except csv.Error:
            split_any = True  # a quote gone wrong: no sign of a file of spaces
            continue
        if cut and len(rows) > 1:
            rows = rows[:-1]  # a quoted field may run past the sample's last line
        counts = Counter(len(row) for row in rows)
        if len(counts) == 1 and next(iter(counts)) > 1:
            if delimiter == "\t" and None in candidates and _aligned_by_spaces(sample, rows):
                return None
            if delimiter == "," and ";" in candidates and _decimal_commas_in(sample, ";"):
                return ";"
            return delimiter
        split_any = split_any or any(width > 1 for width in counts)
        shared = max((n for width, n in counts.items() if width > 1), default=0)
        if 2 * shared > len(rows) and shared > best_count:
            best, best_count = delimiter, shared
    if None not in candidates and not split_any and sample:
        widths = {len(line.split()) for line in sample}
        if len(widths) == 1 and min(widths) > 1:
            return None
        # Quoted fields with spaces inside, or empty fields: one space between fields
        # (pandas' to_csv(sep=" ")).
        try:
            widths = {len(row) for row in _split_fields(sample, " ")}
        except csv.Error:
            widths = set()
        if len(widths) == 1 and min(widths) > 1:
            return " "
    return best


def _decimal_commas_in(sample: list[str], delimiter: str) -> bool:
    """Whether ``delimiter`` splits the lines alike into fields whose every comma is a
    decimal comma, one on each line at least: ``1,5;2,25;0`` without a header, which
    commas would split alike as well."""
    rows = [line.split(delimiter) for line in sample]
    if len({len(row) for row in rows}) != 1 or len(rows[0]) < 2:
        return False
    return all(any("," in field for field in row)
               and all(_DECIMAL_COMMA.fullmatch(field.strip()) for field in row if "," in field)
               for row in rows)


def _aligned_by_spaces(sample: list[str], tab_rows: list[list[str]]) -> bool:
    """Whether lines that tabs split alike are rather columns aligned by runs of spaces
    with a tab among them (UCI's auto-mpg.data): every line holds two spaces in a row,
    and whitespace (quotes kept together) splits each into the same, larger count."""
    if not all("  " in line for line in sample):
        return False
    widths = {len(_whitespace_fields(line)) for line in sample}
    return len(widths) == 1 and min(widths) > len(tab_rows[0])


def _refuse_preamble(text: str, delimiter: str | None, path: str) -> None:
    """The error :func:`~lucidnet.data.read_table` gives a file whose first line is a
    title or counts above rows all of another width, from ``text``, the complete first
    lines of the file (the columns of such a file are not its first line's)."""
    from itertools import islice

    try:
        records = list(islice(_rows_with_lines(text, delimiter, path), 21))
    except DataError:
        return  # a quoted field open at the end of the first lines: read_table will tell
    if '"' in text:
        records = _without_empty_last_field(records)
    widths = {len(fields) for _, fields in records[1:]}
    if len(widths) != 1 or len(records[0][1]) in widths:  # (also: fewer than two records)
        return
    (width,), line = widths, records[1][0]
    note = _preamble_note(records, width, line, path)
    if note is not None:
        first = len(records[0][1])
        raise DataError(f"expected {first} field{'s' if first != 1 else ''}, got {width}",
                        path=path, line=line, note=note)


def _preamble_note(records: list[tuple[int, list[str]]], width: int, line: int,
                   path: str) -> str | None:
    """When the first record is narrower or wider than all the next ones (scikit-learn's
    ``wine_data.csv`` starts ``178,13,class_0,class_1,class_2`` above rows of 14
    fields), that it may be no header at all: neither header setting reads the file."""
    (first_line, first), *rest = records
    if not rest or line != rest[0][0] or any(len(row) != width for _, row in rest[:50]):
        return None
    how = ("" if split_suffix(path)[1] is not None  # tail would cut a compressed file
           else f", e.g. tail -n +{first_line + 1} FILE > NEW")
    return (f"line {first_line} has {len(first)} field{'s' if len(first) != 1 else ''} and "
            f"the lines below it {width}: if line {first_line} is not the table's header (a "
            f"title, counts), delete it{how}")


def _rows_with_lines(text: str, delimiter: str | None, path: str):
    """Yield ``(first line number, fields)`` for every non-blank record."""
    if delimiter is None:
        for number, line in enumerate(text.split("\n"), start=1):
            fields = _whitespace_fields(line)
            if fields:
                yield number, fields
        return
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    previous = 0  # a quoted field may span lines: a record starts after the last one
    last_line = text.count("\n") + (not text.endswith("\n"))
    try:
        for row in reader:
            start, previous = previous + 1, reader.line_num
            if not any(field.strip() for field in row):
                continue  # blank, or empty fields only (``,,,,``): as the fast reader has it
            if previous == last_line and '"' in text and _quote_left_open(text, delimiter):
                # A quoted field running to the end of the file without its closing
                # quote would otherwise swallow every line after its start.
                raise DataError(
                    f'a quoted field runs from line {start} to the end of the file; is a '
                    'closing quote (") missing?', path=path, line=start,
                )
            yield start, row
    except csv.Error as exc:
        raise DataError(f"malformed CSV: {exc}", path=path, line=reader.line_num) from None


def _quote_left_open(text: str, delimiter: str) -> bool:
    """Whether ``text`` ends inside a quoted field (the strict reader's "unexpected end
    of data"); a closed field that holds a line break is fine."""
    try:
        for _ in csv.reader(io.StringIO(text), delimiter=delimiter, strict=True):
            pass
    except csv.Error as exc:
        return "unexpected end of data" in str(exc)
    return False
