"""Numbers as text files write them, and the texts that stand for no number.

A cell is a number when ``float`` reads it and it uses no ``_`` digit grouping (what a
CSV writer writes: :func:`_is_number`); :data:`MISSING_TOKENS` are the texts of a
missing value, pandas' defaults.  Spreadsheets also write numbers as no reader takes
them: with thousands separators (``478,937``, ``1 250 000``), a decimal comma
(``0,376``, ``1.225,8``), a currency or percent sign or accounting parentheses
(``($1,200.50)``, ``45%``).  Those stay errors; what is here finds their plain
readings, so that the error naming such a cell (:func:`_cell_error`) and the command
line's advice can say what to write instead.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence

from .errors import DataError

#: What a word in a column of numbers is told (a caller that encodes text columns
#: may say otherwise).
TEXT_IN_NUMBERS_HINT = "features must be numbers: encode text categories first, e.g. as 0/1 columns"

#: Cell texts (lower-cased, stripped) that mean "no value here".
MISSING_TOKENS = frozenset({"", "na", "n/a", "nan", "-nan", "+nan", "null", "none", "?",
                            # pandas' other defaults (Excel's #N/A among them)
                            "#n/a", "#n/a n/a", "#na", "<na>", "1.#ind", "-1.#ind",
                            "1.#qnan", "-1.#qnan"})


def _is_number(text: str) -> bool:
    """Whether ``text`` is a number as a CSV writes one: what ``float`` reads, but no
    digit grouping with "_" (Python's and NumPy's parsers take "1_000"; NumPy's
    ``loadtxt`` and other readers do not)."""
    if "_" in text:
        return False
    try:
        float(text)
    except ValueError:
        return False
    return True


def finite_number(text: str) -> float:
    """``text`` as a float when it is a finite number as a CSV writes one (see
    :func:`_is_number`), else NaN."""
    if not _is_number(text):
        return math.nan
    value = float(text)
    return value if math.isfinite(value) else math.nan


#: Numbers as spreadsheets write them: thousands separators ("478,937", "1 250 000",
#: with a decimal point after them or not), or a decimal comma ("13,90", "0,376").
_THOUSANDS = re.compile(r"[-+]?[1-9][0-9]{0,2}([,' _][0-9]{3})+([.][0-9]+)?")
#: Thousands separated by points (or spaces, apostrophes) before a decimal comma, as most
#: of Europe writes numbers: ``1.225,8``.
_GROUPED_DECIMAL_COMMA = re.compile(r"[-+]?[1-9][0-9]{0,2}([.' ][0-9]{3})+,[0-9]+")
_DECIMAL_COMMA = re.compile(r"[-+]?[0-9]+,[0-9]+")
#: Currency signs written before or after an amount ("$16.00", "16,00 €").
_CURRENCY = "$€£¥"
_DIGITS = re.compile(r"([0-9]+[.]?[0-9]*|[.][0-9]+)([eE][-+]?[0-9]+)?")


def decorated_number(text: str) -> tuple[str, list[str]] | None:
    """``(how it is written, plain readings)`` for a number written with a currency
    sign, a percent sign or accounting parentheses, as spreadsheets show them:
    ``("a currency sign", ["-1200.50"])`` for ``"($1,200.50)"``, ``("a percent sign",
    ["45", "0.45"])`` for ``"45%"`` (the second as a fraction).  None for anything
    else, plain numbers included.  With a currency sign, thousands separators are taken
    out and a decimal comma ("€13,90") is read as a point; without one a comma is no
    such number ("(0,1)" is a pair, "(1,234)" may be one)."""
    from decimal import Decimal

    s = text.strip()
    marks = []
    negative = len(s) > 2 and s[0] == "(" and s[-1] == ")"
    if negative:
        s = s[1:-1].strip()
        marks.append("accounting parentheses")
    sign = ""
    if s[:1] in ("-", "+"):
        sign, s = s[0], s[1:].lstrip()
    currency = bool(s) and (s[0] in _CURRENCY or s[-1] in _CURRENCY)
    if currency:
        s = (s[1:] if s[0] in _CURRENCY else s[:-1]).strip()
        marks.append("a currency sign")
        if not sign and s[:1] in ("-", "+"):  # "$-5"
            sign, s = s[0], s[1:].lstrip()
    percent = s.endswith("%")
    if percent:
        s = s[:-1].rstrip()
        marks.append("a percent sign")
    if not marks:
        return None
    if currency and (plain := separator_readings(s)):
        s = plain[0]  # thousands separators out, else a decimal comma read as a point
    if not _DIGITS.fullmatch(s):
        return None
    # (-0 is 0: "(0)" and "-0%" are no negative numbers.)
    minus = "-" if negative != (sign == "-") and Decimal(s) != 0 else ""
    readings = [minus + s]
    if percent:
        readings.append(minus + format(Decimal(s) / 100, "f"))
    return " and ".join(marks), readings


def separator_readings(text: str) -> list[str]:
    """The plain numbers that a number written with separators may be: ``"52,765"``
    gives ``["52765", "52.765"]`` (thousands, or a decimal comma), ``"1 250 000"``
    ``["1250000"]``, ``"0,376"`` ``["0.376"]``, ``"1.225,8"`` ``["1225.8"]``; ``[]`` for
    anything else."""
    readings = []
    if _THOUSANDS.fullmatch(text):
        readings.append(re.sub(r"[,' _]", "", text))
    if _DECIMAL_COMMA.fullmatch(text):
        readings.append(text.replace(",", "."))
    if _GROUPED_DECIMAL_COMMA.fullmatch(text):
        readings.append(re.sub(r"[.' ]", "", text).replace(",", "."))
    return readings


def decorated_numbers(cells: Sequence[str]) -> dict[str, tuple[str, list[str]]]:
    """The cells of one column that are decorated numbers (:func:`decorated_number`),
    each with what it returns.  Cells in parentheses only ("(1)", "(2)", labels of a
    list) count as accounting negatives when the column also holds plain numbers."""
    found = {cell: number for cell in cells if (number := decorated_number(cell)) is not None}
    parenthesized = all(marks == "accounting parentheses" for marks, _ in found.values())
    if found and parenthesized and not any(_is_number(cell.strip()) for cell in cells):
        return {}
    return found


def decorated_hint(text: str) -> str | None:
    """``"a percent sign? write 45 (or 0.45 as a fraction)"`` for a decorated number
    (see :func:`decorated_number`), None for anything else."""
    found = decorated_number(text)
    if found is None:
        return None
    marks, readings = found
    plain = readings[0] + (f" (or {readings[1]} as a fraction)" if len(readings) > 1 else "")
    return f"{marks}? write {plain}"


def _cell_error(cell: str, path: str, line: int, column: str) -> DataError:
    """The DataError describing why ``cell`` is not a usable finite number."""
    text = cell.strip()
    if text.lower() in MISSING_TOKENS:
        got = "" if not text else f" (got {cell!r})"
        return DataError(f"missing value{got}", path=path, line=line, column=column)
    if _is_number(text):
        return DataError(
            f"expected a finite number, got {cell!r}", path=path, line=line, column=column
        )
    hint = ""
    readings = [] if "_" in text else separator_readings(text)
    if len(readings) == 2:
        hint = f" (a thousands separator or a decimal comma? write {' or '.join(readings)})"
    elif readings and _THOUSANDS.fullmatch(text):
        hint = f" (thousands separators? write {readings[0]})"
    elif readings and _GROUPED_DECIMAL_COMMA.fullmatch(text):
        hint = f" (thousands separators and a decimal comma? write {readings[0]})"
    elif readings:
        hint = f" (a decimal comma? write {readings[0]})"
    elif _is_number(text.replace("_", "")):
        hint = f" (digit grouping? write {text.replace('_', '')})"
    elif (decorated := decorated_hint(text)) is not None:
        hint = f" (a number written with {decorated})"
    elif re.search(r"[A-Za-z]", text):
        hint = f" ({TEXT_IN_NUMBERS_HINT})"
    return DataError(f"expected a number, got {cell!r}{hint}", path=path, line=line,
                     column=column)
