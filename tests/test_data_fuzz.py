"""Property-based tests of the delimited-text reader against pandas.

Random numeric tables are written as spreadsheets and scripts write them: any of the
delimiters ``, ; TAB |``, Windows or Unix line ends, blank lines, a delimiter ending
every line (an empty last column), quoted cells, and compressed or not.  Whatever the
layout, :func:`lucidnet.data.read_table` must read the numbers pandas reads (pandas
keeps the empty last column as an all-NaN ``Unnamed`` one, which lucidnet leaves
out), and :func:`column_names` and :func:`row_line` must agree with it.
"""

from __future__ import annotations

import gzip
import io
import re
import tempfile
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lucidnet.data import column_names, read_table, row_line
from lucidnet.errors import DataError

pd = pytest.importorskip("pandas")

FUZZ = settings(max_examples=60, deadline=None,
                suppress_health_check=[HealthCheck.too_slow])

NUMBERS = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False, allow_infinity=False,
                    width=32)


@st.composite
def tables(draw):
    n_rows = draw(st.integers(1, 12))
    n_cols = draw(st.integers(2, 6))
    values = np.array(draw(st.lists(NUMBERS, min_size=n_rows * n_cols,
                                    max_size=n_rows * n_cols))).reshape(n_rows, n_cols)
    return {
        "values": values,
        "delimiter": draw(st.sampled_from([",", ";", "\t", "|"])),
        "newline": draw(st.sampled_from(["\n", "\r\n"])),
        "trailing": draw(st.booleans()),
        "quoted": draw(st.booleans()),
        "blank_after": draw(st.sets(st.integers(0, n_rows), max_size=2)),
        "compressed": draw(st.booleans()),
    }


def _text(table) -> str:
    delimiter, values = table["delimiter"], table["values"]
    names = [f"c{j}" for j in range(values.shape[1])]
    lines = [names] + [[repr(float(v)) for v in row] for row in values]
    if table["quoted"]:
        lines = [[f'"{cell}"' for cell in line] for line in lines]
    out = []
    for k, line in enumerate(lines):
        out.append(delimiter.join(line) + (delimiter if table["trailing"] else ""))
        if k in table["blank_after"]:
            out.append("")
    return table["newline"].join(out) + table["newline"]


@FUZZ
@given(table=tables())
def test_numeric_tables_read_as_pandas_reads_them(table):
    text = _text(table)
    with tempfile.TemporaryDirectory() as directory:
        suffix = ".csv.gz" if table["compressed"] else ".csv"
        path = Path(directory) / f"t{suffix}"
        raw = text.encode()
        path.write_bytes(gzip.compress(raw) if table["compressed"] else raw)
        frame = pd.read_csv(io.StringIO(text), sep=table["delimiter"], skip_blank_lines=True)
        if table["trailing"]:
            frame = frame.iloc[:, :-1]  # pandas' all-NaN 'Unnamed' column
        ours = read_table(path, header=True)
        np.testing.assert_array_equal(ours.features, frame.to_numpy(np.float64))
        assert ours.feature_names == list(frame.columns) == column_names(path)
        # Data row k sits below the header, past any blank lines before it.
        lines = text.split(table["newline"])
        data_lines = [i + 1 for i, line in enumerate(lines) if line.strip()][1:]
        for k in (0, len(data_lines) - 1):
            assert row_line(path, k) == data_lines[k]


@FUZZ
@given(table=tables())
def test_decimal_comma_tables_read_as_pandas_reads_them_with_decimal_comma(table):
    """The same tables written with decimal commas (Europe's spreadsheets) wherever the
    delimiter is not a comma, read as pandas' ``decimal=","`` reads them; a table
    whose every decimal comma could be a thousands separator (``123,456``) is refused."""
    if table["delimiter"] == ",":
        table = {**table, "delimiter": ";"}
    text = _text(table).replace(".", ",")  # no other point: the names are c0, c1, ...
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "t.csv"
        path.write_bytes(text.encode())
        frame = pd.read_csv(io.StringIO(text), sep=table["delimiter"], decimal=",")
        if table["trailing"]:
            frame = frame.iloc[:, :-1]
        cells = [cell.strip('"') for line in text.split(table["newline"])[1:]
                 for cell in line.split(table["delimiter"]) if "," in cell]
        if cells and all(re.fullmatch(r"-?[1-9][0-9]{0,2},[0-9]{3}", cell) for cell in cells):
            with pytest.raises(DataError, match="a thousands separator or a decimal comma"):
                read_table(path, header=True)
            return
        ours = read_table(path, header=True)
        np.testing.assert_array_equal(ours.features, frame.to_numpy(np.float64))
        assert ours.feature_names == list(frame.columns) == column_names(path)
