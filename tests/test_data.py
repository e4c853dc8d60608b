"""Tests for lucidnet.data: file readers, atomic writing and array validation."""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

import numpy as np
import pytest

from lucidnet import _delimited, data
from lucidnet.data import (
    Table,
    check_array,
    check_targets,
    column_names,
    read_table,
    write_predictions,
)
from lucidnet.errors import DataError


def write(tmp_path, name: str, text: str, encoding: str = "utf-8") -> str:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return str(path)


def raises(match: str):
    return pytest.raises(DataError, match=re.escape(match))


# ------------------------------------------------------------------ CSV happy paths

CSV = "a,b,label\n1,2,0\n3,4.5,1\n-1e3,0,1\n"


def test_csv_target_by_name(tmp_path):
    table = read_table(write(tmp_path, "t.csv", CSV), "label")
    assert isinstance(table, Table)
    np.testing.assert_array_equal(table.features, [[1, 2], [3, 4.5], [-1000, 0]])
    assert table.features.dtype == np.float64
    assert table.features.flags.c_contiguous
    np.testing.assert_array_equal(table.target, [0.0, 1.0, 1.0])
    assert table.target.dtype == np.float64
    assert table.feature_names == ["a", "b"]
    assert table.target_name == "label"
    assert table.source.endswith("t.csv")
    assert "t.csv" in repr(table)


@pytest.mark.parametrize("target", [2, -1, "2", "-1"])
def test_csv_target_by_index(tmp_path, target):
    table = read_table(write(tmp_path, "t.csv", CSV), target)
    assert table.target_name == "label"
    assert table.feature_names == ["a", "b"]


def test_csv_target_in_the_middle(tmp_path):
    table = read_table(write(tmp_path, "t.csv", CSV), "a")
    np.testing.assert_array_equal(table.features, [[2, 0], [4.5, 1], [0, 1]])
    np.testing.assert_array_equal(table.target, [1, 3, -1000])


def test_csv_without_target(tmp_path):
    table = read_table(write(tmp_path, "t.csv", CSV))
    assert table.target is None and table.target_name is None
    assert table.features.shape == (3, 3)


def test_require_target(tmp_path):
    path = write(tmp_path, "t.csv", CSV)
    with raises("t.csv: a target column is required"):
        read_table(path, require_target=True)


def test_string_labels(tmp_path):
    path = write(tmp_path, "t.csv", "x,species\n1,setosa\n2, virginica \n3,setosa\n")
    table = read_table(path, "species")
    assert table.target.dtype.kind == "U"
    assert table.target.tolist() == ["setosa", "virginica", "setosa"]


def test_digit_labels_are_numbers(tmp_path):
    table = read_table(write(tmp_path, "t.csv", "x,y\n1,0\n2,1\n"), "y")
    assert table.target.dtype == np.float64


def test_quoted_fields_and_labels(tmp_path):
    text = 'x,"the, label"\n1.5,"a, b"\n"2",c\n'
    table = read_table(write(tmp_path, "t.csv", text), "the, label")
    np.testing.assert_array_equal(table.features, [[1.5], [2.0]])
    assert table.target.tolist() == ["a, b", "c"]


def test_bom_and_crlf(tmp_path):
    path = write(tmp_path, "t.csv", "\ufeffa,b\r\n1,2\r\n3,4\r\n")
    table = read_table(path, "b")
    assert table.feature_names == ["a"]
    np.testing.assert_array_equal(table.target, [2, 4])


def test_headerless_numeric_file(tmp_path):
    path = write(tmp_path, "t.csv", "1,2,3\n4,5,6\n")
    table = read_table(path, 0)
    assert table.feature_names == ["1", "2"]
    assert table.target_name == "0"
    np.testing.assert_array_equal(table.features, [[2, 3], [5, 6]])
    np.testing.assert_array_equal(table.target, [1, 4])


def test_headerless_error_names_first_line(tmp_path):
    path = write(tmp_path, "t.csv", "1,2,3\n4,x,6\n")
    with raises("t.csv, line 2, column '1': expected a number, got 'x'"):
        read_table(path)


def test_blank_lines_skipped_but_counted(tmp_path):
    path = write(tmp_path, "t.csv", "\na,b\n\n1,2\n   \n3,oops\n")
    with raises("t.csv, line 6, column 'b': expected a number, got 'oops'"):
        read_table(path)
    table = read_table(write(tmp_path, "u.csv", "\na,b\n\n1,2\n\n3,4\n\n"))
    np.testing.assert_array_equal(table.features, [[1, 2], [3, 4]])


def test_tsv_and_semicolon_and_whitespace_txt(tmp_path):
    for name, text in [
        ("t.tsv", "a\tb\n1\t2\n"),
        ("t.csv", "a;b\n1;2\n"),
        ("t.txt", "a|b\n1|2\n"),
        ("w.txt", "1.0 2.0\n  3.0   4.0\n"),
    ]:
        table = read_table(write(tmp_path, name, text))
        assert table.features.shape[1] == 2, name
    table = read_table(str(tmp_path / "w.txt"))
    np.testing.assert_array_equal(table.features, [[1, 2], [3, 4]])


@pytest.mark.parametrize("name, text, line, got", [
    ("w.txt", "1 2 3\n4 5 6\n7 8\n9 10 11\n", 3, 2),
    ("s.csv", "a;b;c\n1;2;3\n4;5;6;7\n", 3, 4),
    ("t.tsv", "a\tb\n1\t2\n3\t4\t5\n6\t7\n", 3, 3),
])
def test_one_ragged_line_is_named_under_the_files_own_delimiter(tmp_path, name, text, line,
                                                                 got):
    """Not read as one column under the wrong delimiter (then a baffling error)."""
    with pytest.raises(DataError, match=rf"line {line}: expected \d fields, got {got}"):
        read_table(write(tmp_path, name, text))


@pytest.mark.parametrize("name, text, shape", [
    # One column whose header holds a space or a semicolon: still one column.
    ("one.txt", "sepal length\n0.5\n-1.2\n", (2, 1)),
    ("one.csv", "price; EUR\n5.1\n4.9\n", (2, 1)),
    # Quoted text with semicolons over two lines, more records than the guess samples:
    # the sample's last record is cut short, which must not make ';' look better.
    ("quoted.csv", "x,label,z\n" + "".join(f'0.{i},"red; dark\nshade; {i % 2}",{i}\n'
                                            for i in range(12)), (12, 3)),
])
def test_the_ragged_line_rule_leaves_valid_files_alone(tmp_path, name, text, shape):
    table = read_table(write(tmp_path, name, text),
                       "label" if name == "quoted.csv" else None)
    assert (table.n_samples, table.n_features + (table.target is not None)) == shape


def test_a_line_of_only_tabs_is_blank_for_both_readers(tmp_path):
    """The fast reader skips it as blank; the careful one (quotes) and row_line must too."""
    from lucidnet.data import row_line

    plain = "a\tb\ty\n1\t2\t0\n\t\t\n3\t4\t1\n5\t9\t0\n"
    quoted = plain.replace("5\t9", '5\t"9"')
    for name, text in [("plain.tsv", plain), ("quoted.tsv", quoted)]:
        path = write(tmp_path, name, text)
        table = read_table(path, "y")
        np.testing.assert_array_equal(table.features, [[1, 2], [3, 4], [5, 9]])
        assert [row_line(path, i) for i in range(3)] == [2, 4, 5]


def test_savetxt_round_trip(tmp_path):
    X = np.random.default_rng(0).standard_normal((7, 3))
    path = tmp_path / "x.txt"
    np.savetxt(path, X)
    np.testing.assert_array_equal(read_table(path).features, X)


# ----------------------------------------------------------------- CSV error cases


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("a,b,y\n1,2,3\n4,abc,6\n", "line 3, column 'b': expected a number, got 'abc'"),
        ("a,b,y\n1,,3\n", "line 2, column 'b': missing value"),
        ("a,b,y\n1,NA,3\n", "line 2, column 'b': missing value (got 'NA')"),
        ("a,b,y\n1,nan,3\n", "line 2, column 'b': missing value (got 'nan')"),
        ("a,b,y\n1,2,3\ninf,2,3\n", "line 3, column 'a': expected a finite number, got 'inf'"),
        (
            "a,b,y\n1,2,3\n1,-Infinity,3\n",
            "line 3, column 'b': expected a finite number, got '-Infinity'",
        ),
        ("a,b,y\n1,2,3\n1,2\n", "line 3: expected 3 fields, got 2"),
        ("a,b,y\n1,2,3\n1,2,3,4\n", "line 3: expected 3 fields, got 4"),
        ("a,b,y\n1,2,\n", "line 2, column 'y': missing value"),
        ("a,b,y\n1,2,3\n1,2,inf\n", "line 3, column 'y': expected a finite number, got 'inf'"),
        ("a,b,y\n1,2,cat\n1,2,?\n", "line 3, column 'y': missing value (got '?')"),
        ('a,b,y\n1,2,"x\ny"\n1,q,3\n', "line 4, column 'b': expected a number, got 'q'"),
        ("a,b,a\n1,2,3\n", "line 1: duplicate column name 'a' (columns 0 and 2, 0-based)"),
    ],
)
def test_csv_errors_name_file_line_and_column(tmp_path, text, message):
    path = write(tmp_path, "bad.csv", text)
    with raises(f"bad.csv, {message}"):
        read_table(path, "y" if "y" in text.split("\n")[0] else None)


@pytest.mark.parametrize(("categories", "text"), [
    (None, "a,b,y\n1,2,0\n3,,1\n,5,0\n6,x,1\n"),
    ("auto", "a,b,c,y\n1,2,u,0\n3,,v,1\n,5,u,0\n6,x,v,1\n"),
])
def test_the_first_bad_cell_of_the_file_is_named(tmp_path, categories, text):
    # Read with categories, columns are read one by one; the error must still name the
    # first bad cell line by line, not the first column's.
    path = write(tmp_path, "bad.csv", text)
    with raises("bad.csv, line 3, column 'b': missing value"):
        read_table(path, "y", categories=categories)


def test_a_long_column_list_keeps_its_last_columns(tmp_path):
    # The target is often the last column: the one a misspelt --target was looking for.
    names = [f"f{j}" for j in range(35)] + ["target"]
    path = write(tmp_path, "wide.csv", ",".join(names) + "\n" + ",".join(["1"] * 36) + "\n")
    with pytest.raises(DataError, match=r"no target column 'label'; available columns: "
                                        r"'f0', .*'f26', \.\.\., 'f33', 'f34', 'target' "
                                        r"\(36 in all\)"):
        read_table(path, "label")


def test_error_attributes(tmp_path):
    path = write(tmp_path, "bad.csv", "a,b\n1,2\n3,x\n")
    with pytest.raises(DataError) as info:
        read_table(path)
    assert (info.value.path, info.value.line, info.value.column) == (path, 3, "b")
    assert isinstance(info.value, ValueError)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "the file is empty"),
        ("\n\n  \n", "the file is empty"),
        ("a,b,c\n", "the file has a header but no data rows"),
        ("a,b,c\n\n\n", "the file has a header but no data rows"),
    ],
)
def test_empty_and_header_only(tmp_path, text, message):
    with raises(f"e.csv: {message}"):
        read_table(write(tmp_path, "e.csv", text))


def test_unknown_target_lists_columns(tmp_path):
    path = write(tmp_path, "t.csv", CSV)
    with raises("t.csv: no target column 'lable'; did you mean 'label'? "
                "available columns: 'a', 'b', 'label'"):
        read_table(path, "lable")
    with raises("target column index 3 is out of range for 3 columns (valid: -3 to 2)"):
        read_table(path, 3)
    with raises("target column index -4 is out of range for 3 columns"):
        read_table(path, " -4 ")
    for not_an_index in ("--3", "-", "\u00b3", "1.0"):  # names, not indices, and absent
        with raises(f"no target column {not_an_index!r}"):
            read_table(path, not_an_index)
    with pytest.raises(TypeError, match="target must be"):
        read_table(path, 1.5)  # type: ignore[arg-type]


def test_only_target_column(tmp_path):
    with raises("no feature columns"):
        read_table(write(tmp_path, "t.csv", "y\n1\n2\n"), "y")


def test_missing_cells_are_those_pandas_reads_as_missing(tmp_path):
    """Excel's #N/A and pandas' other default missing markers are missing; Excel's
    other error values (#DIV/0!) are not (pandas keeps them as text too)."""
    import pandas as pd

    markers = ["", "NA", "n/a", "NaN", "null", "None", "?", "#N/A", "#N/A N/A", "#NA",
               "<NA>", "1.#IND", "-1.#QNAN"]
    path = Path(write(tmp_path, "t.csv", "a,y\n" + "".join(f"{m},{i % 2}\n"
                                                           for i, m in enumerate(markers))
                      + "1.5,1\n"))
    table = read_table(path, "y", missing="nan")
    assert np.isnan(table.features[:-1, 0]).all() and table.features[-1, 0] == 1.5
    # pandas agrees, apart from our "?" (UCI's marker), which it keeps as text.
    frame = pd.read_csv(path, keep_default_na=True, na_values=["?"])
    assert frame["a"].isna().sum() == len(markers)
    path.write_text("a,y\n#DIV/0!,1\n2,0\n")
    with raises("line 2, column 'a': expected a number, got '#DIV/0!'"):
        read_table(path, "y", missing="nan")


def test_text_that_is_not_utf8_reads_as_windows_1252_as_pandas_reads_it(tmp_path):
    """A spreadsheet's export on Windows (Caf\xe9, S\xe3o Paulo, Z\xfcrich) reads as
    pandas.read_csv(encoding="cp1252") reads it, names included, with a note; bytes
    Windows-1252 leaves undefined read as Latin-1."""
    import pandas as pd

    text = ("Ville,\xc9tiquette,prix\nS\xe3o Paulo,caf\xe9,12\nBogot\xe1,th\xe9,3\n"
            "Z\u00fcrich,caf\xe9,4\n")
    path = Path(write(tmp_path, "t.csv", text, encoding="cp1252"))
    table = read_table(path, "\xc9tiquette", categories="auto")
    expected = pd.read_csv(path, encoding="cp1252")
    assert column_names(path) == list(expected.columns)
    assert table.feature_names == ["Ville", "prix"]
    assert table.target.tolist() == expected["\xc9tiquette"].tolist()
    assert table.categories["Ville"] == sorted(expected["Ville"])
    assert table.header_note.startswith("not UTF-8 (byte 0xc9 on line 1), so read as "
                                        "Windows-1252")
    path.write_bytes(b"a,label\n1,x\x81\n2,y\x80\n")  # 0x81: no Windows-1252 character
    table = read_table(path, "label")
    assert table.target.tolist() == ["x\x81", "y\x80"]
    assert "(byte 0x81 on line 2), so read as Latin-1" in table.header_note
    # UTF-8 accents above a stray byte: UTF-8 with a stray byte, not every accent misread.
    path.write_bytes("a,label\n1,Caf\xe9\n2,Bar\n".encode() + b"3,Bar\x85\n")
    with raises("t.csv, line 4: the file is not UTF-8 text (byte 0x85 at offset 27, below "
                "UTF-8 text)"):
        read_table(path, "label")
    with raises("t.csv, line 4: the file is not UTF-8 text"):
        column_names(path)
    path.write_bytes(np.arange(6, dtype=np.float32).tobytes())  # an array's tofile()
    with raises("t.csv, line 1: not text: it holds NUL bytes"):
        read_table(path, 0)
    path.write_text("a,b\n1,2\n3,\xe9\n", encoding="latin-1")
    with raises("t.csv, line 3, column 'b': expected a number, got '\xe9'"):
        read_table(path)
    path.write_bytes("a,b\n1,2\n".encode("utf-16") + b"\x00\xd8")  # a lone surrogate
    with raises("t.csv, line 3: the file is not UTF-16 text"):
        read_table(path)


def test_missing_and_unsupported_files(tmp_path):
    with raises("nope.csv: no such file"):
        read_table(tmp_path / "nope.csv")
    with raises("unsupported file type '.xlsx'"):
        read_table(write(tmp_path, "t.xlsx", "x"))


def test_fast_and_careful_paths_agree(tmp_path):
    rng = np.random.default_rng(1)
    X = rng.standard_normal((50, 4))
    labels = rng.choice(["cat", "dog"], size=50)
    lines = ["a,b,c,d,y"] + [
        ",".join(repr(v) for v in row) + f",{lab}"
        for row, lab in zip(X.tolist(), labels.tolist(), strict=True)
    ]
    plain = read_table(write(tmp_path, "p.csv", "\n".join(lines)), "y")
    # A quote anywhere sends the file down the csv-module path.
    quoted = read_table(write(tmp_path, "q.csv", "\n".join(lines).replace("a,", '"a",', 1)), "y")
    for table in (plain, quoted):
        np.testing.assert_array_equal(table.features, X)
        assert table.target.tolist() == labels.tolist()


def test_large_file(tmp_path):
    rng = np.random.default_rng(2)
    m, n = 20_000, 50
    X = rng.standard_normal((m, n))
    y = rng.integers(0, 3, size=m)
    path = tmp_path / "big.csv"
    header = ",".join(f"f{j}" for j in range(n)) + ",target"
    body = np.column_stack([X, y])
    np.savetxt(path, body, delimiter=",", header=header, comments="", fmt="%.17g")
    table = read_table(path, "target")
    np.testing.assert_array_equal(table.features, X)
    np.testing.assert_array_equal(table.target, y)

    # A bad cell near the end is still located exactly (header is line 1).
    lines = path.read_text().split("\n")
    fields = lines[15_001].split(",")
    fields[7] = "oops"
    lines[15_001] = ",".join(fields)
    path.write_text("\n".join(lines))
    with raises("big.csv, line 15002, column 'f7': expected a number, got 'oops'"):
        read_table(path, "target")


# ------------------------------------------------------------------ binary formats


def test_npy_round_trip(tmp_path):
    A = np.arange(12, dtype=np.int32).reshape(4, 3)
    np.save(tmp_path / "a.npy", A)
    table = read_table(tmp_path / "a.npy", -1)
    np.testing.assert_array_equal(table.features, A[:, :2])
    np.testing.assert_array_equal(table.target, A[:, 2])
    assert table.features.dtype == np.float64
    assert table.feature_names == ["0", "1"] and table.target_name == "2"
    assert read_table(tmp_path / "a.npy", "0").target_name == "0"


def test_npy_errors(tmp_path):
    np.save(tmp_path / "v.npy", np.arange(3.0))
    with raises("v.npy: expected a 2-D array of shape (n_samples, n_columns); got shape (3,)"):
        read_table(tmp_path / "v.npy")
    np.save(tmp_path / "n.npy", np.array([[1.0, 2.0], [3.0, np.nan]]))
    with raises("n.npy, column '1': missing value (NaN) in row 1 (0-based)"):
        read_table(tmp_path / "n.npy")
    np.save(tmp_path / "o.npy", np.array([[1, "a"]], dtype=object), allow_pickle=True)
    with raises("o.npy: cannot read as a NumPy .npy file"):
        read_table(tmp_path / "o.npy")
    np.save(tmp_path / "s.npy", np.array([["1", "a"]]))
    with raises("s.npy: the array must hold real numbers; got dtype <U1"):
        read_table(tmp_path / "s.npy")
    np.save(tmp_path / "ok.npy", np.ones((2, 2)))
    with raises("ok.npy: a target column is required"):
        read_table(tmp_path / "ok.npy", require_target=True)
    (tmp_path / "junk.npy").write_bytes(b"not numpy")
    with raises("junk.npy: not a NumPy .npy file"):
        read_table(tmp_path / "junk.npy")


def test_npz_round_trip(tmp_path):
    X = np.random.default_rng(3).standard_normal((5, 3))
    y = np.array([0, 1, 1, 0, 1])
    np.savez(tmp_path / "d.npz", X=X, y=y.reshape(-1, 1), extra=np.zeros(2))
    table = read_table(tmp_path / "d.npz", require_target=True)
    np.testing.assert_array_equal(table.features, X)
    np.testing.assert_array_equal(table.target, y)
    assert table.target_name == "y"

    np.savez(tmp_path / "labels.npz", X=X, y=np.array(list("abcab")))
    assert read_table(tmp_path / "labels.npz").target.tolist() == list("abcab")

    np.savez(tmp_path / "single.npz", data=np.column_stack([X, y]))
    table = read_table(tmp_path / "single.npz", 3)
    np.testing.assert_array_equal(table.target, y)


def test_npz_errors(tmp_path):
    X = np.ones((4, 2))
    np.savez(tmp_path / "d.npz", X=X, y=np.ones(4))
    with raises("d.npz: the file holds its target as array 'y'; do not also name a target "
                "column (0)"):
        read_table(tmp_path / "d.npz", 0)
    np.savez(tmp_path / "short.npz", X=X, y=np.ones(3))
    with raises("array 'y' must have shape (4,) to match 'X' of shape (4, 2) (or (4, k) for "
                "k numeric targets); got shape (3,)"):
        read_table(tmp_path / "short.npz")
    np.savez(tmp_path / "wide.npz", X=X, y=np.arange(12.0).reshape(4, 3))
    np.testing.assert_array_equal(read_table(tmp_path / "wide.npz").target,
                                  np.arange(12.0).reshape(4, 3))
    np.savez(tmp_path / "deep.npz", X=X, y=np.ones((4, 2, 2)))
    with raises("got shape (4, 2, 2)"):
        read_table(tmp_path / "deep.npz")
    np.savez(tmp_path / "two.npz", A=X, B=X)
    with raises("expected arrays 'X' and optionally 'y', or a single 2-D array; found"):
        read_table(tmp_path / "two.npz")
    np.savez(tmp_path / "inf.npz", X=X, y=np.array([1, 2, np.inf, 3]))
    with raises("array 'y' must be finite; element [2] is inf"):
        read_table(tmp_path / "inf.npz")


def test_damaged_numpy_files_are_named(tmp_path):
    """Files that are not what their suffix says: one DataError naming the file, not
    zipfile's or NumPy's own exception."""
    import zipfile

    np.savez(tmp_path / "whole.npz", X=np.ones((4, 2)), y=np.ones(4))
    cases = {
        "zip-magic.npz": b"PK\x03\x04" + b"garbage" * 10,
        "truncated.npz": (tmp_path / "whole.npz").read_bytes()[:300],
        "text.npy": b"a,b\n1,2\n",
        "text.npz": b"a,b\n1,2\n",
    }
    for name, content in cases.items():
        (tmp_path / name).write_bytes(content)
    with zipfile.ZipFile(tmp_path / "member.npz", "w") as archive:
        archive.writestr("X.npy", b"not an array")
    expected = {
        "zip-magic.npz": "cannot read as a NumPy .npz file",
        "truncated.npz": "cannot read as a NumPy .npz file",
        "text.npy": "not a NumPy .npy file",
        "text.npz": "not a NumPy .npz file (it is not a zip archive)",
        "member.npz": "array 'X' of the archive is not a NumPy .npy array",
    }
    for name, message in expected.items():
        with raises(f"{name}: {message}"):
            read_table(tmp_path / name)


def test_parquet_round_trip(tmp_path):
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    frame = pa.table(
        {"a": [1.0, 2.0, 3.0], "b": [1, 2, 3], "c": [True, False, True], "y": ["x", "y", "x"]}
    )
    pq.write_table(frame, tmp_path / "t.parquet")
    table = read_table(tmp_path / "t.parquet", "y")
    np.testing.assert_array_equal(table.features, [[1, 1, 1], [2, 2, 0], [3, 3, 1]])
    assert table.target.tolist() == ["x", "y", "x"]
    assert table.feature_names == ["a", "b", "c"]
    with raises("t.parquet, column 'y': expected a numeric column, got type string"):
        read_table(tmp_path / "t.parquet", 1)
    pq.write_table(frame.drop_columns(["y"]), tmp_path / "num.parquet")
    table = read_table(tmp_path / "num.parquet", 1)
    assert table.target.dtype == np.float64 and table.target_name == "b"

    pq.write_table(pa.table({"a": [1.0, None], "y": [1, 2]}), tmp_path / "null.parquet")
    with raises("null.parquet, column 'a': missing value in row 1 (0-based)"):
        read_table(tmp_path / "null.parquet", "y")
    pq.write_table(pa.table({"a": ["p", "q"], "y": [1, 2]}), tmp_path / "str.parquet")
    with raises("str.parquet, column 'a': expected a numeric column, got type string"):
        read_table(tmp_path / "str.parquet", "y")
    with raises("no target column 'z'; available columns: 'a', 'y'"):
        read_table(tmp_path / "str.parquet", "z")
    pq.write_table(pa.table({"a": [1.0, 2.0], "y": [None, None]}), tmp_path / "new.parquet")
    with raises("new.parquet, column 'y': missing value in row 0 (0-based)"):
        read_table(tmp_path / "new.parquet", "y")
    table = read_table(tmp_path / "new.parquet", "y", read_target=False)
    assert table.target is None and table.features.tolist() == [[1.0], [2.0]]


def test_parquet_from_pandas_leaves_out_the_stored_index(tmp_path):
    """A DataFrame shuffled or split keeps its row labels; to_parquet stores them as a
    column that pandas reads back as the index.  As a feature it would leak row order
    (often the label), and a CSV of the same frame would lack it."""
    pd = pytest.importorskip("pandas")
    pytest.importorskip("pyarrow")
    frame = pd.DataFrame({"a": [1.0, 2.0, 3.0], "b": [4.0, 5.0, 6.0], "y": ["p", "q", "p"]},
                         index=[6, 3, 9])
    frame.to_parquet(tmp_path / "split.parquet")
    frame.reset_index(drop=True).to_parquet(tmp_path / "range.parquet")
    for name in ("split", "range"):
        path = tmp_path / f"{name}.parquet"
        assert column_names(path) == ["a", "b", "y"]
        table = read_table(path, "y")
        assert table.feature_names == ["a", "b"]
        assert table.features.tolist() == frame[["a", "b"]].to_numpy().tolist()
        assert table.target.tolist() == ["p", "q", "p"]
    # A named index was a column of the user's (set_index("id")): it stays one.
    frame.rename_axis("row_id").to_parquet(tmp_path / "named.parquet")
    assert column_names(tmp_path / "named.parquet") == ["a", "b", "y", "row_id"]
    table = read_table(tmp_path / "named.parquet", "y", features=["a", "row_id"])
    assert table.features.tolist() == [[1.0, 6.0], [2.0, 3.0], [3.0, 9.0]]
    frame.assign(y=frame["y"] == "q").to_parquet(tmp_path / "bool.parquet")
    write(tmp_path, "bool.csv", "a,b,y\n1,4,False\n2,5,True\n3,6,False\n")
    for path in (tmp_path / "bool.parquet", tmp_path / "bool.csv"):
        assert read_table(path, "y").target.tolist() == ["False", "True", "False"]
    assert "__index_level_0__" in pytest.importorskip("pyarrow.parquet").read_schema(
        tmp_path / "split.parquet").names  # what is left out is really there


def _read_both_ways(path, target, monkeypatch):
    """read_table(path, target) with pyarrow's number parser forced on (even for a small
    file) and with it unavailable: (table or error message, with pyarrow; the same,
    without; what the pyarrow parser itself returned)."""
    returned = []
    original = _delimited._parse_numbers_with_arrow

    def spy(*args):
        returned.append(original(*args))
        return returned[-1]

    def read():
        try:
            return read_table(path, target)
        except DataError as exc:
            return str(exc)

    monkeypatch.setattr(_delimited, "ARROW_MIN_CELLS", 1)
    monkeypatch.setattr(_delimited, "ARROW_BLOCK_CELLS", 7 * 9)  # several blocks, a short last
    monkeypatch.setattr(_delimited, "_parse_numbers_with_arrow", spy)
    with_arrow = read()
    monkeypatch.setitem(sys.modules, "pyarrow.csv", None)  # import fails: NumPy's parser
    without = read()
    return with_arrow, without, returned


def test_numbers_parsed_by_pyarrow_are_numpys_to_the_bit(tmp_path, monkeypatch):
    """Large delimited files are parsed by pyarrow when it is installed; every number
    must come out exactly as np.loadtxt makes it (both round correctly)."""
    pytest.importorskip("pyarrow.csv")
    rng = np.random.default_rng(0)
    values = rng.standard_normal((300, 6)) * 10.0 ** rng.integers(-300, 300, (300, 6))
    cells = [[repr(float(v)) for v in row] for row in values]
    cells[0][:6] = ["-0.0", "1e5", "+3", ".5", "5.", "1E-3"]
    cells[1][:4] = ["12345678901234567890", "0.1", "2.2250738585072014e-308", "4.9e-324"]
    cells[2][:3] = ["-7", "1.7976931348623157e308", "0.30000000000000004"]
    labels = rng.choice(["cat", "dog"], 300)
    rows = zip(cells, labels, strict=True)
    lines = ["a,b,c,d,e,f,y", *(",".join([*row, label]) for row, label in rows)]
    path = write(tmp_path, "t.csv", "\n".join(lines) + "\n")
    with_arrow, without, returned = _read_both_ways(path, "y", monkeypatch)
    assert returned[0] is not None  # pyarrow did parse them
    assert with_arrow.features.tobytes() == without.features.tobytes()  # -0.0 included
    assert with_arrow.features.flags.c_contiguous and with_arrow.features.shape == (300, 6)
    assert with_arrow.target.tolist() == without.target.tolist() == labels.tolist()


@pytest.mark.parametrize("cell", ["", "NA", "nan", "inf", " 1.5", "1_000", "true", "0x10",
                                  "\ufeff1.5"])
def test_odd_cells_read_the_same_with_and_without_pyarrow(tmp_path, monkeypatch, cell):
    """Whether pyarrow takes the cell (" 1.5") or leaves it to NumPy ("1_000"), the
    result, or the error, is NumPy's; a byte-order mark starting a block included."""
    pytest.importorskip("pyarrow.csv")
    rows = "".join(f"{j},{j + 1},p\n" for j in range(19))  # the cell starts block 2
    path = write(tmp_path, "t.csv", f"a,b,y\n1,2,p\n3,4,q\n{rows}{cell},4,q\n5,6,p\n")
    with_arrow, without, _ = _read_both_ways(path, "y", monkeypatch)
    if isinstance(without, str):
        assert with_arrow == without
    else:
        assert with_arrow.features.tobytes() == without.features.tobytes()


def test_read_target_false_still_requires_the_column(tmp_path):
    path = write(tmp_path, "t.csv", "a,y\n1,\n2,\n")
    table = read_table(path, "y", require_target=True, read_target=False)
    assert table.target is None and table.target_name == "y"
    with raises("a target column is required"):
        read_table(write(tmp_path, "n.csv", "a,y\n1,2\n2,3\n"), require_target=True,
                   read_target=False)


def test_a_first_line_with_digit_grouping_is_data_not_a_header(tmp_path):
    path = write(tmp_path, "g.csv", "1_000,2,3\n4,5,6\n")
    with raises("g.csv, line 1, column '0': expected a number, got '1_000' (digit grouping?"):
        read_table(path)


def test_a_comment_line_is_pointed_out(tmp_path):
    path = write(tmp_path, "c.csv", "# measured in May\na,b,y\n1,2,3\n4,5,6\n")
    for header in (None, True):
        with raises("c.csv, line 2: expected 1 field, got 3 (line 1 starts with '#': "
                    "comment lines are not skipped; remove them)"):
            read_table(path, "y", header=header)


def test_a_target_left_unread_may_hold_anything(tmp_path):
    """read_target=False leaves the target column out without reading its cells."""
    labelled = read_table(write(tmp_path, "l.csv", "a,b,y\n1,2,x\n3,4,z\n"), "y")
    for text in ("a,b,y\n1,2,\n3,4,\n", "a,b,y\n1,2,NA\n3,4,?\n", 'a,b,y\n1,2,""\n3,4,x\n'):
        path = write(tmp_path, "u.csv", text)
        with raises("u.csv, line 2, column 'y': missing value"):
            read_table(path, "y")
        table = read_table(path, "y", read_target=False)
        assert table.target is None and table.target_name == "y"
        np.testing.assert_array_equal(table.features, labelled.features)
    array = np.array([[1.0, np.nan, 2.0], [3.0, np.inf, 4.0]])
    npy = tmp_path / "u.npy"
    np.save(npy, array)
    table = read_table(npy, 1, read_target=False)
    assert table.target is None and table.feature_names == ["0", "2"]
    np.testing.assert_array_equal(table.features, array[:, [0, 2]])
    with raises("column '1': missing value (NaN) in row 0 (0-based)"):
        read_table(npy, 1)
    with raises("the array must be finite; element [0, 2] is inf"):  # features still checked
        np.save(npy, array[:, [1, 0, 2]] * [1, 1, np.inf])
        read_table(npy, 0, read_target=False)
    npz = tmp_path / "u.npz"
    np.savez(npz, X=array[:, [0, 2]], y=array[:, 1])
    table = read_table(npz, read_target=False)
    assert table.target is None and table.target_name == "y"
    assert data.column_names(npz) == ["0", "1"]  # names only: y is not read
    with raises("array 'y' has a missing value (NaN) at element [0]"):
        read_table(npz)


def test_an_array_files_nan_is_missing_and_read_as_such_in_features_only(tmp_path):
    """missing="nan" reads an array file's NaN features as NaN (as a CSV file's blank
    cells), never its target's; an infinity stays an error; unread columns are not
    looked at."""
    array = np.array([[1.0, np.nan, 5.0, 0.0], [2.0, 3.0, np.nan, 1.0],
                      [np.inf, 4.0, 6.0, 1.0]])
    npy = tmp_path / "a.npy"
    np.save(npy, array[:2])
    table = read_table(npy, -1, missing="nan")
    np.testing.assert_array_equal(table.features, array[:2, :3])  # NaN where NaN was
    np.testing.assert_array_equal(table.target, [0.0, 1.0])
    with raises("a.npy, column '1': missing value (NaN) in row 0 (0-based)"):
        read_table(npy, -1)
    with raises("a.npy, column '1': missing value (NaN) in row 0 (0-based)"):
        read_table(npy, 1, missing="nan")  # the target
    np.testing.assert_array_equal(read_table(npy, -1, features=["0"]).features, [[1.0], [2.0]])
    np.save(npy, array)
    with raises("a.npy: the array must be finite; element [2, 0] is inf"):
        read_table(npy, -1, missing="nan")
    assert data.column_names(npy) == ["0", "1", "2", "3"]  # from the shape: values unread
    np.testing.assert_array_equal(read_table(npy, -1, features=["1"], missing="nan").features,
                                  array[:, [1]])  # column 0's inf is not read
    npz = tmp_path / "a.npz"
    np.savez(npz, X=array[:2, :3], y=[np.nan, 1.0])
    table = read_table(npz, missing="nan", read_target=False)
    np.testing.assert_array_equal(table.features, array[:2, :3])
    with raises("a.npz: array 'y' has a missing value (NaN) at element [0]"):
        read_table(npz, missing="nan")
    np.savez(npz, X=array[:2, :3], y=[[0.0, 1.0], [1.0, np.nan]])
    with raises("a.npz: array 'y' has a missing value (NaN) at element [1, 1]"):
        read_table(npz, missing="nan")


def test_parquet_without_pyarrow(tmp_path, monkeypatch):
    path = write(tmp_path, "t.parquet", "not really parquet")
    monkeypatch.setitem(sys.modules, "pyarrow", None)
    monkeypatch.setitem(sys.modules, "pyarrow.parquet", None)
    with raises('t.parquet: reading Parquet files needs pyarrow; install it with: '
                'pip install "lucidnet[parquet]"'):
        read_table(path)


# ------------------------------------------------------------------------ writing


def test_write_predictions_round_trip(tmp_path):
    path = tmp_path / "pred.csv"
    values = np.array([0.1, 1 / 3, -2.5e-300])
    write_predictions(path, values, header="score")
    text = path.read_text()
    assert text.splitlines()[0] == "score"
    np.testing.assert_array_equal(read_table(path).features[:, 0], values)  # exact

    write_predictions(path, np.array(["cat", "dog, big"]), header=["label"])
    assert path.read_text() == 'label\ncat\n"dog, big"\n'

    write_predictions(path, np.eye(2), header=["p0", "p1"])
    assert path.read_text() == "p0,p1\n1.0,0.0\n0.0,1.0\n"
    assert [p.name for p in tmp_path.iterdir()] == ["pred.csv"]


def test_float32_predictions_are_written_with_float32_digits(tmp_path):
    proba = np.array([[0.99999994, 2.9802322e-08], [0.5, 0.5], [1 / 3, 2 / 3]], np.float32)
    write_predictions(tmp_path / "p.csv", proba, header=["a", "b"])
    lines = (tmp_path / "p.csv").read_text().splitlines()
    assert lines[1] == "0.99999994,2.9802322e-08"
    read_back = np.array([[float(cell) for cell in line.split(",")] for line in lines[1:]])
    np.testing.assert_array_equal(read_back.astype(np.float32), proba)


def test_write_predictions_checks_header(tmp_path):
    with raises("header must name each of the 2 prediction column(s); got 1 name(s)"):
        write_predictions(tmp_path / "p.csv", np.ones((3, 2)), header="p")
    with raises("predictions must be a 1-D array"):
        write_predictions(tmp_path / "p.csv", np.ones((3, 2, 1)), header="p")
    assert list(tmp_path.iterdir()) == []


def test_write_predictions_is_atomic(tmp_path, monkeypatch):
    path = tmp_path / "pred.csv"
    path.write_text("old,contents\n")

    class Explodes:
        """A value whose str() fails, halfway through the rows."""

        def __str__(self) -> str:
            raise RuntimeError("disk on fire")

    values = np.array([1.0] * 500 + [Explodes()] + [2.0] * 10, dtype=object)
    with pytest.raises(RuntimeError, match="disk on fire"):
        write_predictions(path, values, header="p")
    assert path.read_text() == "old,contents\n"
    assert [p.name for p in tmp_path.iterdir()] == ["pred.csv"]

    def failing_replace(src, dst):
        raise OSError("replace failed")

    monkeypatch.setattr(data.os, "replace", failing_replace)
    with pytest.raises(OSError, match="replace failed"):
        write_predictions(path, np.ones(3), header="p")
    assert path.read_text() == "old,contents\n"
    assert [p.name for p in tmp_path.iterdir()] == ["pred.csv"]


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_write_predictions_respects_umask(tmp_path):
    old = os.umask(0o022)
    try:
        write_predictions(tmp_path / "p.csv", np.ones(2), header="p")
    finally:
        os.umask(old)
    assert (tmp_path / "p.csv").stat().st_mode & 0o777 == 0o644


# --------------------------------------------------------------------- validation


def test_check_array_no_copy_when_fine():
    X = np.ones((3, 2))
    assert check_array(X) is X
    X32 = np.ones((3, 2), dtype=np.float32)
    assert check_array(X32) is X32
    assert check_array(X32, dtype=np.float64).dtype == np.float64


def test_check_array_converts():
    out = check_array([[1, 2], [3, 4]])
    assert out.dtype == np.float64 and out.flags.c_contiguous
    F = np.asfortranarray(np.ones((3, 2)))
    assert check_array(F).flags.c_contiguous
    assert check_array(np.array([[True, False]])).dtype == np.float64
    assert check_array(np.zeros((0, 3)), min_samples=0).shape == (0, 3)


@pytest.mark.parametrize(
    ("X", "kwargs", "message"),
    [
        (np.ones(5), {}, "X must be a 2-D array of shape (n_samples, n_features); "
                         "got an array of shape (5,)"),
        (3.0, {}, "X must be a 2-D array of shape (n_samples, n_features); got a scalar"),
        (np.ones((2, 2, 2)), {"name": "A"}, "A must be a 2-D array"),
        (np.array([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0], [0.0, np.nan]]), {},
         "X must not contain NaN or infinity; X[3, 1] is nan"),
        (np.array([[1.0, -np.inf]]), {}, "X[0, 1] is -inf"),
        (np.array([["a", "b"]]), {}, "X must hold real numbers; got dtype <U1 "
                                     "(encode class labels as numbers first)"),
        (np.ones((2, 2), dtype=complex), {}, "X must hold real numbers; got dtype complex128"),
        (np.array([[1, "a"]], dtype=object), {}, "X must hold real numbers; got an object"),
        ([[1, 2], [3]], {}, "X could not be converted to an array"),
        (np.zeros((0, 3)), {}, "X must have at least 1 sample(s) (rows); "
                               "got an array of shape (0, 3)"),
        (np.array([[1e300]]), {"dtype": np.float32}, "X[0, 0] is inf"),
    ],
)
def test_check_array_messages(X, kwargs, message):
    with raises(message):
        check_array(X, **kwargs)


def test_check_array_huge_finite_values_pass():
    # The sum overflows to inf, but every element is finite.
    X = np.full((4, 1), 1e308)
    assert check_array(X) is X


def test_check_array_dtype_must_be_floating():
    with pytest.raises(TypeError, match="dtype must be a floating dtype or None; got int64"):
        check_array(np.ones((2, 2)), dtype=np.int64)


def test_check_targets():
    y = np.array([0.0, 1.0, 1.0])
    assert check_targets(y, n_samples=3) is y
    assert check_targets([[1], [0]], n_samples=2).shape == (2, 1)
    with raises("y must have one row per example (4, as in X); got an array of shape (3,)"):
        check_targets(y, n_samples=4)
    with raises("y must be a 1-D array of shape (n_samples,) or a 2-D array of shape "
                "(n_samples, n_outputs); got an array of shape (1, 1, 3)"):
        check_targets(y.reshape(1, 1, 3))
    with raises("Y must not contain NaN or infinity; Y[1] is nan"):
        check_targets([1.0, np.nan], name="Y")
    with raises("y must hold real numbers; got dtype <U3"):
        check_targets(np.array(["cat", "dog"]))


def test_column_names_reads_the_header_only(tmp_path):
    from lucidnet.data import column_names

    path = tmp_path / "t.csv"
    path.write_text("a,b,label\n1,2,x\n3,oops,y\n")  # a bad cell past the header is not read
    assert column_names(path) == ["a", "b", "label"]
    numeric = tmp_path / "n.csv"
    numeric.write_text("1,2\n3,4\n")
    assert column_names(numeric) == ["0", "1"]


@pytest.mark.parametrize(
    ("text", "rows", "names", "noted"),
    [
        # Names only: a header, no doubt.
        ("x1,x2,label\n1,2,a\n3,4,b\n", 2, ["x1", "x2"], False),
        # Numbers only: data, no doubt.
        ("1,2,3\n4,5,6\n", 2, ["0", "1"], False),
        # Numbers and text where the next line has them: data (UCI-style, no header);
        # no doubt with a number that is not whole, said when all are (years as names).
        ("5.1,3.5,setosa\n4.9,3.0,setosa\n", 2, ["0", "1"], False),
        ("2019,2020,label\n5,3,a\n4,2,b\n", 3, ["0", "1"], True),
        # pandas' labels of an unnamed array, with a named target: a header.
        ("0,1,2,label\n0.5,1.5,2.5,a\n1.5,2.5,0.5,b\n", 2, ["0", "1", "2"], True),
        # A first value 0, or 0,1,2 over whole numbers, is data as often as labels: data.
        ("0,1\n7,0\n3,1\n", 3, ["0"], False),
        ("0,1,2\n3,4,5\n", 2, ["0", "1"], True),
        # Whole numbers over numbers written as floats: names (pandas writes 5.0).
        ("0,1,2\n0.0,5.0,1.0\n3.0,2.0,0.0\n", 2, ["0", "1"], True),
        ("2019,2020,2021\n1.5,2.5,3\n0.5,1.5,2\n", 2, ["2019", "2020"], True),
        ("0,1\n0.5,-1.2\n1.5,2\n", 2, ["0"], True),
        # Names over numbers in a column: a header.
        ("id,2019,label\n7,1.5,a\n8,2.5,b\n", 2, ["id", "2019"], True),
    ],
)
def test_the_header_guess_and_its_note(tmp_path, text, rows, names, noted):
    path = tmp_path / "t.csv"
    path.write_text(text)
    table = read_table(path, -1)
    assert table.n_samples == rows and table.feature_names == names
    assert (table.header_note is not None) == noted


def test_pandas_default_column_labels_are_a_header(tmp_path):
    """``pd.DataFrame(array).to_csv(index=False)`` writes 0,1,...,n-1 as the header."""
    path = tmp_path / "frame.csv"
    path.write_text("0,1,2,3\n0.5,1.5,2.5,0\n1.5,2.5,0.5,1\n")
    table = read_table(path, 3)
    assert table.n_samples == 2 and table.target.tolist() == [0.0, 1.0]
    assert "line 1 (0,1,2,3) was read as column names" in table.header_note


@pytest.mark.parametrize("quoted", [False, True])  # the fast and the careful reader
def test_header_true_or_false_overrides_the_guess(tmp_path, quoted):
    path = tmp_path / "t.csv"
    label = '"a"' if quoted else "a"
    path.write_text(f"5.1,3.5,{label}\n4.9,3.0,b\n6.0,2.0,a\n")
    as_data = read_table(path, 2, header=False)
    assert as_data.n_samples == 3 and as_data.header_note is None
    as_names = read_table(path, 2, header=True)
    assert as_names.n_samples == 2 and as_names.feature_names == ["5.1", "3.5"]
    assert as_names.target_name == "a" and as_names.header_note is None
    assert data.column_names(path, header=True) == ["5.1", "3.5", "a"]
    assert data.column_names(path, header=False) == ["0", "1", "2"]
    with pytest.raises(TypeError, match="header must be True, False or None"):
        read_table(path, 2, header="yes")


def test_an_unterminated_quote_is_named_not_swallowed(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text('x1,x2,label\n1,2,"a\n3,4,b\n5,6,a\n')
    with pytest.raises(DataError, match=r't\.csv, line 2: a quoted field runs from line 2 to '
                                        r'the end of the file; is a closing quote \(\"\) '
                                        r'missing\?'):
        read_table(path, "label")
    # A closed quoted field holding a line break, in the last row, is fine.
    path.write_text('a,b\n1,"x\ny"\n')
    assert read_table(path, "b").target.tolist() == ["x\ny"]


def test_an_error_after_an_unclear_first_line_says_how_it_was_read(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("1,2,3,label\n0.5,1.5,2.5,a\n1.5,2.5,0.5,b\n")
    with pytest.raises(DataError, match=r"no target column 'labl'.*\(line 1 \(1,2,3,label\) "
                                        r"was read as data.*--header \(header=True\)\)"):
        read_table(path, "labl")
    assert read_table(path, "label", header=True).n_samples == 2
    assert read_table(path, "label").n_samples == 2  # only a header names 'label'


@pytest.mark.parametrize(
    ("cell", "hint"),
    [("0,5", "(a decimal comma? write 0.5)"),
     ("1,250", "(a thousands separator or a decimal comma? write 1250 or 1.250)"),
     ("1,250,000", "(thousands separators? write 1250000)"),
     ("1_250", "(digit grouping? write 1250)")],  # float() and NumPy read it; a CSV does not
)
def test_comma_in_a_number_hints(tmp_path, cell, hint):
    path = tmp_path / "t.csv"
    path.write_text(f'a,b\n"{cell}",3\n')
    with pytest.raises(DataError, match=re.escape(f"got {cell!r} {hint}")):
        read_table(path, "b")


def test_digit_grouping_is_refused_on_both_paths_and_labels_stay_text(tmp_path):
    fast = write(tmp_path, "f.csv", "a,b\n1_000,3\n2,4\n")
    careful = write(tmp_path, "c.csv", 'a,b\n"1_000",3\n2,4\n')  # quotes: careful reader
    for path in (fast, careful):
        with raises("line 2, column 'a': expected a number, got '1_000'"):
            read_table(path, "b")
    labels = read_table(write(tmp_path, "l.csv", "a,y\n1,1_000\n2,2_000\n"), "y")
    assert labels.target.tolist() == ["1_000", "2_000"]


def test_a_quote_left_open_on_the_last_line_is_named(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text('"feat a","feat, b"\n1.0,2.0\n3.0,"4.0\n')
    with pytest.raises(DataError, match=r"line 3: a quoted field runs from line 3 to the end"):
        read_table(path)


def test_a_lone_whole_first_value_over_decimals_is_data(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("0\n7.5\n3.2\n")
    assert read_table(path).n_samples == 3


def test_a_savetxt_header_line_names_the_columns(tmp_path):
    """np.savetxt(..., header=...) writes '# a b y' before the rows of a .txt file."""
    X = np.column_stack([np.arange(6.0) / 3, np.arange(6.0) * 1.5, np.arange(6) % 2])
    path = tmp_path / "saved.txt"
    np.savetxt(path, X, header="a b y")
    table = read_table(path, "y")
    assert table.feature_names == ["a", "b"] and table.n_samples == 6
    np.testing.assert_array_equal(table.features, X[:, :2])
    assert data.column_names(path) == ["a", "b", "y"]


def test_row_line_counts_the_header_blank_lines_and_multiline_quotes(tmp_path) -> None:
    from lucidnet.data import row_line

    text = 'a,b\n1,"2\n"\n\n3,4\n5,6\n'
    path = tmp_path / "q.csv"
    path.write_text(text)
    table = read_table(path)
    assert table.n_samples == 3
    # Rows start on lines 2, 5 and 6 (line 4 is blank; row 0 spans lines 2-3).
    assert [row_line(path, i) for i in range(3)] == [2, 5, 6]
    assert row_line(path, 3) is None
    saved = tmp_path / "s.txt"
    np.savetxt(saved, np.arange(6.0).reshape(3, 2), header="p q")
    assert [row_line(saved, i) for i in range(3)] == [2, 3, 4]
    headless = tmp_path / "h.csv"
    headless.write_text("1,2\n3,4\n")
    assert [row_line(headless, i, header=False) for i in range(2)] == [1, 2]
    np.save(tmp_path / "a.npy", np.ones((2, 2)))
    assert row_line(tmp_path / "a.npy", 0) is None


def test_a_target_named_only_by_the_first_line_makes_it_the_header(tmp_path):
    """'2019,2020,2021,label' looks like data to the guess, but --target label can only
    mean a column that line names."""
    body = "".join(f"0.{i},1.{i},2.{i},{'cat' if i % 2 else 'dog'}\n" for i in range(6))
    path = write(tmp_path, "years.csv", "2019,2020,2021,label\n" + body)
    table = read_table(path, "label")
    assert table.header is True and table.feature_names == ["2019", "2020", "2021"]
    assert table.n_samples == 6 and table.target[0] == "dog"
    # Said, in case the name was a value of a headerless file.
    assert "because it holds the target 'label'; if it is data" in table.header_note
    # An index, or a name the line lacks, leaves the guess (data) as it was.
    by_index = read_table(path, 3)
    assert by_index.header is False and by_index.n_samples == 7 and by_index.header_note
    with pytest.raises(DataError, match="no target column 'labels'.*was read as data"):
        read_table(path, "labels")


@pytest.mark.parametrize("quoted", [False, True])  # NumPy's parser, then the csv module's
def test_features_are_read_by_name_in_the_order_asked(tmp_path, quoted):
    q = '"' if quoted else ""
    path = tmp_path / "t.csv"
    path.write_text(f"id,c,label,a,b\n{q}x 1{q},3,cat,1,2\n{q}x 2{q},6,dog,4,5\n")
    table = read_table(path, "label", features=["a", "b", "c"])
    np.testing.assert_array_equal(table.features, [[1, 2, 3], [4, 5, 6]])
    assert table.feature_names == ["a", "b", "c"] and table.target.tolist() == ["cat", "dog"]
    with pytest.raises(DataError, match=r"no feature column 'e'; available columns: 'id', "):
        read_table(path, "label", features=["a", "e"])
    with pytest.raises(DataError, match="column 'label' is the target; it cannot be a feature too"):
        read_table(path, "label", features=["a", "label"])


def test_features_by_name_in_parquet_and_by_index_in_npy(tmp_path):
    pa = pytest.importorskip("pyarrow")
    import pyarrow.parquet as pq

    path = tmp_path / "t.parquet"
    pq.write_table(pa.table({"id": ["x", "y"], "b": [2.0, 5.0], "a": [1, 4]}), path)
    table = read_table(path, features=["a", "b"])
    np.testing.assert_array_equal(table.features, [[1, 2], [4, 5]])
    array = tmp_path / "t.npy"
    np.save(array, np.array([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]))
    np.testing.assert_array_equal(read_table(array, features=["2", "0"]).features,
                                  [[3, 1], [6, 4]])


@pytest.mark.parametrize("quoted", [False, True])  # NumPy's parser, then the csv module's
def test_rows_of_empty_fields_are_skipped_like_blank_lines(tmp_path, quoted):
    """Spreadsheets write ``,,,`` rows below (or inside) a table: nothing to read there."""
    q = '"' if quoted else ""
    path = tmp_path / "t.csv"
    path.write_text(f"a,b,label\n,,\n1,2,{q}x{q}\n, ,\n3,4,y\n,,\n\n")
    table = read_table(path, "label")
    np.testing.assert_array_equal(table.features, [[1, 2], [3, 4]])
    assert table.target.tolist() == ["x", "y"]
    # A row with some fields empty is still a missing value, on its own line.
    path.write_text(f"a,b,label\n,,\n1,2,{q}x{q}\n,,\n3,,y\n")
    with pytest.raises(DataError, match=r"line 5, column 'b': missing value"):
        read_table(path, "label")


def test_header_guess_and_reader_agree_on_rows_of_quoted_empty_fields(tmp_path):
    path = tmp_path / "q.csv"
    path.write_text('1,2,3\n"","",""\n0.5,1.5,2.5\n')
    assert data.column_names(path) == read_table(path).feature_names


# ------------------------------------------------------------ categories, missing
def test_text_columns_read_as_category_codes(tmp_path):
    text = "a,colour,b,y\n1,red,0.5,0\n2,blue,,1\n3,NA,1.5,0\n4,red,2.5,1\n"
    path = write(tmp_path, "c.csv", text)
    table = read_table(path, "y", categories="auto", missing="nan")
    assert table.categories == {"colour": ["blue", "red"]}  # sorted, missing left out
    np.testing.assert_array_equal(table.features[:, 0], [1, 2, 3, 4])
    np.testing.assert_array_equal(table.features[:, 1], [1, 0, np.nan, 1])
    np.testing.assert_array_equal(table.features[:, 2], [0.5, np.nan, 1.5, 2.5])
    # A model's categories: in their order, a text outside them -1 ("1" is a text here).
    given = read_table(path, "y", categories={"colour": ["red", "green"], "a": ["1", "4"]},
                       missing="nan")
    np.testing.assert_array_equal(given.features[:, 0], [0, -1, -1, 1])
    np.testing.assert_array_equal(given.features[:, 1], [0, -1, np.nan, 0])
    with raises("c.csv, line 3, column 'b': missing value"):
        read_table(path, "y", categories="auto")
    with raises("c.csv, line 2, column 'colour': expected a number, got 'red'"):
        read_table(path, "y", missing="nan")


@pytest.mark.parametrize(("column", "message"), [
    ("1,234;12,500;3", "got '1,234' (a thousands separator or a decimal comma? write 1234 or "
                    "1.234)"),
    ("1;2;oops", "got 'oops'"),
])
def test_numbers_written_otherwise_are_no_categories(tmp_path, column, message):
    """Thousands separators, or a stray word among numbers: errors, as without
    categories."""
    cells = column.split(";")
    text = "a;y\n" + "".join(f"{cell};{i % 2}\n" for i, cell in enumerate(cells))
    with raises(message):
        read_table(write(tmp_path, "n.csv", text), "y", categories="auto")


def test_parquet_text_and_null_cells_read_as_in_csv(tmp_path):
    pd = pytest.importorskip("pandas")
    pytest.importorskip("pyarrow")
    frame = pd.DataFrame({"a": [1.0, None, 3.0], "colour": ["red", None, "blue"],
                          "flag": [True, False, True], "y": [0, 1, 0]})
    frame.to_parquet(tmp_path / "p.parquet")
    frame.to_csv(tmp_path / "p.csv", index=False)  # booleans as True/False
    tables = [read_table(tmp_path / name, "y", categories="auto", missing="nan")
              for name in ("p.parquet", "p.csv")]
    assert tables[0].categories == tables[1].categories == {"colour": ["blue", "red"]}
    np.testing.assert_array_equal(tables[0].features, tables[1].features)
    np.testing.assert_array_equal(tables[0].features[:, 2], [1, 0, 1])  # booleans: 1/0
    # Without categories or missing cells too (the plain reader).
    frame.drop(columns=["a", "colour"]).to_csv(tmp_path / "b.csv", index=False)
    np.testing.assert_array_equal(read_table(tmp_path / "b.csv", "y").features[:, 0], [1, 0, 1])


def test_parquet_category_columns_of_numbers_are_categories(tmp_path):
    pd = pytest.importorskip("pandas")
    pytest.importorskip("pyarrow")
    frame = pd.DataFrame({"kind": pd.Categorical([3, 1, 2, 1]), "a": [0.5, 1.5, 2.5, 3.5],
                          "y": [0, 1, 0, 1]})
    frame.to_parquet(tmp_path / "k.parquet")
    table = read_table(tmp_path / "k.parquet", "y", categories="auto")
    assert table.categories == {"kind": ["1", "2", "3"]}
    np.testing.assert_array_equal(table.features[:, 0], [2, 0, 1, 0])
    # Without categories asked for, they are the numbers they hold.
    np.testing.assert_array_equal(read_table(tmp_path / "k.parquet", "y").features[:, 0],
                                  [3, 1, 2, 1])


def test_parquet_true_and_false_as_text_read_as_in_csv(tmp_path):
    pd = pytest.importorskip("pandas")
    pytest.importorskip("pyarrow")
    frame = pd.DataFrame({"flag": ["True", "False", None, "true"], "y": [0, 1, 0, 1]})
    frame.to_parquet(tmp_path / "s.parquet")
    frame.to_csv(tmp_path / "s.csv", index=False)
    for name in ("s.parquet", "s.csv"):
        table = read_table(tmp_path / name, "y", categories="auto", missing="nan")
        assert table.categories == {}
        np.testing.assert_array_equal(table.features[:, 0], [1, 0, np.nan, 1])
    # A model's categories keep them text.
    given = read_table(tmp_path / "s.parquet", "y", categories={"flag": ["True", "False"]},
                       missing="nan")
    np.testing.assert_array_equal(given.features[:, 0], [0, 1, np.nan, -1])
