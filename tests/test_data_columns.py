"""The column-wise reader of large delimited files against the careful reader.

A large unquoted file with text columns or missing cells is read column by column
with pyarrow (``_delimited._read_delimited_columns``), which hands anything unusual to the
careful row-by-row reader.  Whatever the table, the two must give the same result:
the same features (NaN where missing), targets, names and categories, or the same
error.  Random tables mix numeric columns with missing tokens, text categories with
stray spaces and case, True/False columns, words among numbers, number-like labels,
blank and delimiter-only lines (above the table too); each is read with or without a
header, a target or features named, as for training (categories "auto") and as for
prediction (a model's categories given).
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lucidnet import _delimited
from lucidnet.data import read_table
from lucidnet.errors import DataError

pytest.importorskip("pyarrow.compute")

FUZZ = settings(max_examples=150, deadline=None,
                suppress_health_check=[HealthCheck.too_slow,
                                       HealthCheck.function_scoped_fixture])

WORDS = ["red", "Red", " blue", "green "]
ODD_WORDS = ["True", "false", "1st", "inf", "NA", "", "?"]
MISSING = ["", "NA", "nan", "?"]
ODD_NUMBERS = ["abc", "1_000", "inf", " 4 ", "3e2"]


@st.composite
def tables(draw):
    """A table, clean (what the column reader takes) or, one time in three, messy."""
    messy = draw(st.integers(0, 2)) == 0
    n_rows = draw(st.integers(2, 9))
    kinds = draw(st.lists(st.sampled_from(["number", "word", "bool", "label"]),
                          min_size=2, max_size=5))
    columns = []
    for kind in kinds:
        if kind == "number":
            cells = [repr(draw(st.floats(-100, 100, allow_nan=False))) for _ in range(n_rows)]
            for i in draw(st.sets(st.integers(0, n_rows - 1), max_size=2)):
                cells[i] = draw(st.sampled_from(MISSING + (ODD_NUMBERS if messy else [])))
        elif kind == "word":
            cells = [draw(st.sampled_from(WORDS + (ODD_WORDS if messy else [])))
                     for _ in range(n_rows)]
        elif kind == "bool":
            cells = [draw(st.sampled_from(["True", "False", "true", "FALSE"] + MISSING[:1]))
                     for _ in range(n_rows)]
        else:
            cells = [draw(st.sampled_from(["yes", "no", "0", "1", "2"])) for _ in range(n_rows)]
        columns.append(cells)
    rows = [[column[i] for column in columns] for i in range(n_rows)]
    named = draw(st.booleans())
    lines = [",".join(f"k{j}" for j in range(len(kinds)))] if named else []
    if messy and draw(st.booleans()):  # a blank line above the table
        lines.insert(0, draw(st.sampled_from(["", "," * (len(kinds) - 1)])))
    for row in rows:
        lines.append(",".join(row))
        extra = draw(st.sampled_from(["", "", "blank", "commas"])) if messy else ""
        if extra == "blank":
            lines.append("")
        elif extra == "commas":
            lines.append("," * (len(kinds) - 1))
    return {
        "text": "\n".join(lines) + "\n",
        "target": draw(st.sampled_from([None, -1, 0, "k1", "nope"])),
        "missing": draw(st.sampled_from(["error", "nan"])),
        "one_hot": draw(st.booleans()),
        "header": draw(st.sampled_from([None, True, False])),
        # A model's feature columns, by name, in another order.
        "features": (draw(st.sampled_from([None, [f"k{j}" for j in range(len(kinds))][::-1]]))
                     if named else None),
    }


def _read(path: Path, table: dict, categories, columns: bool):
    """read_table's result (or error text) with the column-wise reader on or off."""
    saved = _delimited.COLUMNS_MIN_CHARS, sys.modules.get("pyarrow.compute")
    try:
        if columns:
            _delimited.COLUMNS_MIN_CHARS = 1
        else:
            sys.modules["pyarrow.compute"] = None  # import fails: the careful reader
        try:
            return read_table(path, table["target"], categories=categories,
                              missing=table["missing"], header=table["header"],
                              features=table["features"])
        except DataError as exc:
            return str(exc)
    finally:
        _delimited.COLUMNS_MIN_CHARS = saved[0]
        if saved[1] is not None:
            sys.modules["pyarrow.compute"] = saved[1]
        else:
            sys.modules.pop("pyarrow.compute", None)


def _same(a, b) -> None:
    if isinstance(a, str) or isinstance(b, str):
        assert a == b
        return
    np.testing.assert_array_equal(a.features, b.features)
    assert (a.target is None) == (b.target is None)
    if a.target is not None:
        assert a.target.dtype.kind == b.target.dtype.kind
        np.testing.assert_array_equal(a.target, b.target)
    assert (a.feature_names, a.target_name, a.header, a.header_note, a.categories) == (
        b.feature_names, b.target_name, b.header, b.header_note, b.categories)


@FUZZ
@given(table=tables())
def test_the_column_reader_reads_what_the_careful_reader_reads(table):
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "table.csv"
        path.write_text(table["text"])
        categories = "auto" if table["one_hot"] else None
        careful = _read(path, table, categories, columns=False)
        _same(_read(path, table, categories, columns=True), careful)
        if not isinstance(careful, str) and careful.categories:
            # A model's categories, as prediction reads new rows with them.
            given_categories = dict(careful.categories)
            _same(_read(path, table, given_categories, columns=True),
                  _read(path, table, given_categories, columns=False))


def test_a_large_file_with_text_columns_takes_the_column_reader(tmp_path, monkeypatch):
    """Not only equal: taken (a spy sees it return a table), on a file of the size
    that needs it, with a blank cell filled and a category column."""
    rng = np.random.default_rng(0)
    n = 3000
    lines = ["a,color,b,label"] + [
        f"{rng.normal():.4f},{rng.choice(['red', 'blue'])},{'' if i % 97 == 0 else i},"
        f"{rng.choice(['yes', 'no'])}" for i in range(n)]
    path = tmp_path / "big.csv"
    path.write_text("\n".join(lines) + "\n")
    monkeypatch.setattr(_delimited, "COLUMNS_MIN_CHARS", 10_000)
    returned = []
    original = _delimited._read_delimited_columns

    def spy(*args, **kwargs):
        returned.append(original(*args, **kwargs))
        return returned[-1]

    monkeypatch.setattr(_delimited, "_read_delimited_columns", spy)
    table = read_table(path, "label", categories="auto", missing="nan")
    assert returned and returned[0] is table
    assert table.categories == {"color": ["blue", "red"]}
    assert np.isnan(table.features[::97, 2]).all() and table.features.shape == (n, 3)
    monkeypatch.setitem(sys.modules, "pyarrow.compute", None)
    careful = read_table(path, "label", categories="auto", missing="nan")
    _same(table, careful)


def test_a_csv_whose_first_name_is_a_binary_magic_string_is_text(tmp_path):
    """"PAR1" starts a Parquet file and may start a CSV header: only a NUL byte, which
    no text holds, makes it Parquet."""
    path = tmp_path / "par.csv"
    path.write_text("PAR1,PAR2,y\n1,2,0\n3,4,1\n")
    assert read_table(path, "y").feature_names == ["PAR1", "PAR2"]
    path.write_bytes(b"PAR1\x15\x04\x00\x00" + b"\x00" * 20)
    with pytest.raises(DataError, match="not text but a Parquet file: name it .parquet"):
        read_table(path, "y")
