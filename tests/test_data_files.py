"""Text files as they come: compressed (data.csv.gz, train.csv.zip), separated by
spaces under a .csv name, or with a line above the header.

The truth here is what the standard library's own codecs write and read, and
scikit-learn's bundled raw files with the arrays its loaders make of them.
"""

from __future__ import annotations

import bz2
import gzip
import io
import lzma
import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import numpy as np
import pytest

from lucidnet.data import (
    column_names,
    file_format,
    read_cells,
    read_table,
    row_line,
    write_predictions,
)
from lucidnet.errors import DataError

SRC = str(Path(__file__).resolve().parents[1] / "src")

# Quoted text labels (the careful reader) and plain numbers (the fast one).
QUOTED = 'x1,x2,label\n1.5,2,"setosa"\n3,4.25,"versicolor, big"\n-1e3,0,setosa\n'
NUMBERS = "a,b,y\n1,2,0.5\n3,4,1.5\n5,6e-3,-2\n"


def _zip(data: bytes, member: str = "table.csv", extra: dict[str, bytes] | None = None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(member, data)
        for name, content in (extra or {}).items():
            archive.writestr(name, content)
    return buffer.getvalue()


CODECS = {".gz": gzip.compress, ".bz2": bz2.compress, ".xz": lzma.compress, ".zip": _zip}
DECODERS = {
    ".gz": gzip.decompress,
    ".bz2": bz2.decompress,
    ".xz": lzma.decompress,
    ".zip": lambda data: _unzip(data),
}


def _unzip(data: bytes) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        (member,) = archive.namelist()
        return archive.read(member)


def assert_same_table(got, expected) -> None:
    np.testing.assert_array_equal(got.features, expected.features)
    np.testing.assert_array_equal(got.target, expected.target)
    assert got.feature_names == expected.feature_names
    assert got.target_name == expected.target_name
    assert got.header == expected.header


@pytest.mark.parametrize("compression", sorted(CODECS))
@pytest.mark.parametrize("text", [QUOTED, NUMBERS], ids=["quoted-labels", "numbers"])
def test_compressed_text_reads_as_the_plain_file(tmp_path, compression, text):
    plain = tmp_path / "t.csv"
    plain.write_text(text)
    packed = tmp_path / f"t.csv{compression.upper() if compression == '.gz' else compression}"
    packed.write_bytes(CODECS[compression](text.encode()))
    target = "label" if "label" in text else "y"
    if target == "label":
        expected = read_table(plain, target, categories="auto")
        got = read_table(packed, target, categories="auto")
        assert got.categories == expected.categories
    else:
        expected, got = read_table(plain, target), read_table(packed, target)
    assert_same_table(got, expected)
    assert column_names(packed) == column_names(plain)
    assert file_format(packed) == ".csv"
    assert row_line(packed, 2) == row_line(plain, 2) == 4


def test_compressed_tsv_and_txt_keep_their_formats(tmp_path):
    tsv = tmp_path / "t.tsv.gz"
    tsv.write_bytes(gzip.compress(b"a\tb\tc\n1\t2\t3\n4\t5\t6\n"))
    np.testing.assert_array_equal(read_table(tsv, "c").features, [[1, 2], [4, 5]])
    # np.savetxt's "# " before the header line is a .txt file's, compressed or not.
    txt = tmp_path / "t.txt.bz2"
    txt.write_bytes(bz2.compress(b"# a b c\n1 2 3\n4 5 6\n"))
    assert column_names(txt) == ["a", "b", "c"]


def test_a_bad_archive_is_a_data_error_naming_the_file(tmp_path):
    truncated = tmp_path / "t.csv.gz"
    truncated.write_bytes(gzip.compress(NUMBERS.encode() * 50)[:40])
    with pytest.raises(DataError, match="t.csv.gz: cannot decompress it as gzip"):
        read_table(truncated, "y")
    not_xz = tmp_path / "u.csv.xz"
    not_xz.write_bytes(NUMBERS.encode())
    with pytest.raises(DataError, match="u.csv.xz: cannot decompress it as xz"):
        read_table(not_xz, "y")
    not_zip = tmp_path / "v.csv.zip"
    not_zip.write_bytes(NUMBERS.encode())
    with pytest.raises(DataError, match="cannot decompress it as zip"):
        column_names(not_zip)


def test_a_zip_must_hold_one_table(tmp_path):
    two = tmp_path / "two.csv.zip"
    two.write_bytes(_zip(NUMBERS.encode(), "a.csv", {"b.csv": NUMBERS.encode()}))
    with pytest.raises(DataError, match=r"holds 2 files: 'a.csv', 'b.csv'; it must hold exactly"):
        read_table(two, "y")
    # A Mac's archiver adds metadata copies under __MACOSX/: not a second table.
    mac = tmp_path / "mac.csv.zip"
    mac.write_bytes(_zip(NUMBERS.encode(), "t.csv", {"__MACOSX/._t.csv": b"\x00\x05"}))
    np.testing.assert_array_equal(read_table(mac, "y").target, [0.5, 1.5, -2])


@pytest.mark.parametrize("name", ["t.npz.gz", "t.gz", "t.parquet.zip"])
def test_only_text_is_taken_compressed(tmp_path, name):
    path = tmp_path / name
    path.write_bytes(gzip.compress(NUMBERS.encode()))
    with pytest.raises(DataError, match=r"unsupported file type .*text ones may be compressed: "
                                        r"\.csv\.gz, \.csv\.bz2, \.csv\.xz, \.csv\.zip"):
        read_table(path, "y")


@pytest.mark.parametrize("compression", sorted(CODECS))
def test_predictions_are_written_compressed_as_the_suffix_says(tmp_path, compression):
    values = np.array([["setosa", 0.25], ["virginica", 1e-9]], dtype=object)
    plain = tmp_path / "p.csv"
    write_predictions(plain, values, header=["label", "p"])
    packed = tmp_path / f"p.csv{compression}"
    write_predictions(packed, values, header=["label", "p"])
    assert DECODERS[compression](packed.read_bytes()) == plain.read_bytes()
    # Written again, the same bytes (no time stamp inside).
    first = packed.read_bytes()
    write_predictions(packed, values, header=["label", "p"])
    assert packed.read_bytes() == first


# ------------------------------------------------ scikit-learn's own raw files

def _sklearn_data(name: str) -> Path:
    import sklearn.datasets

    path = Path(sklearn.datasets.__file__).parent / "data" / name
    if not path.is_file():
        pytest.skip(f"this scikit-learn ships no {name}")
    return path


def test_a_csv_separated_by_spaces_reads_by_its_columns():
    # scikit-learn's linnerud_exercise.csv: "Chins Situps Jumps" over rows of spaces.
    from sklearn.datasets import load_linnerud

    table = read_table(_sklearn_data("linnerud_exercise.csv"), "Jumps")
    reference = load_linnerud()
    assert table.feature_names == ["Chins", "Situps"]
    np.testing.assert_array_equal(table.features, reference.data[:, :2])
    np.testing.assert_array_equal(table.target, reference.data[:, 2])


def test_spaces_are_not_taken_where_another_delimiter_splits_a_line(tmp_path):
    # Words with spaces in a comma-separated file: commas split some lines, so the
    # spaces are text (the ragged line is reported, not read as more columns).
    path = tmp_path / "t.csv"
    path.write_text("name x y\nNew York,1,2\nBoston 3 4\n")
    assert column_names(path) == ["name x y"]
    with pytest.raises(DataError, match="line 2: expected 1 field, got 3"):
        read_table(path, header=True)


def test_a_compressed_sklearn_file_reads_as_its_loader_gives_it():
    from sklearn.datasets import load_diabetes

    table = read_table(_sklearn_data("diabetes_data_raw.csv.gz"), header=False)
    np.testing.assert_allclose(table.features, load_diabetes(scaled=False).data, rtol=0,
                               atol=0)


def test_a_line_of_counts_above_the_rows_is_named_with_a_way_out():
    # scikit-learn's wine_data.csv starts "178,13,class_0,class_1,class_2".
    path = _sklearn_data("wine_data.csv")
    for header in (None, True, False):
        with pytest.raises(DataError) as caught:
            read_table(path, -1, header=header)
        assert "line 2: expected 5 fields, got 14" in str(caught.value)
        assert "line 1 has 5 fields and the lines below it 14" in str(caught.value)
        assert "tail -n +2" in str(caught.value)
    with pytest.raises(DataError, match="line 1 has 5 fields and the lines below it 14"):
        column_names(path)  # as the command line's predict and evaluate read names first


def test_a_title_as_wide_as_the_rows_is_not_taken_for_column_names(tmp_path):
    """scikit-learn's iris.csv starts '150,4,setosa,versicolor,virginica', as wide as its
    rows: read as names, --target 4 picked the column named '4' (the sepal width).  It
    is refused with the way out, and --header / --no-header still decide."""
    from sklearn.datasets import load_iris

    path = _sklearn_data("iris.csv")
    for read in (lambda p: read_table(p, 4), column_names):
        with pytest.raises(DataError, match=r"line 1 \(150,4,setosa,versicolor,virginica\) "
                                            r"looks like a title.*tail -n \+2.*--no-header"):
            read(path)
    named = read_table(path, "virginica", header=True)  # what the user may insist on
    assert named.feature_names == ["150", "4", "setosa", "versicolor"]
    body = tmp_path / "iris.csv"
    body.write_text("".join(path.read_text().splitlines(keepends=True)[1:]))
    table = read_table(body, 4, header=False)  # the advice
    np.testing.assert_array_equal(table.features, load_iris().data)
    np.testing.assert_array_equal(table.target.astype(int), load_iris().target)
    # What it is not: a first data row with missing cells, or a header naming one column
    # of text, over rows of numbers.
    gaps = tmp_path / "gaps.csv"
    gaps.write_text("5,3,NA,NA\n1,2,3,4\n2,3,4,5\n3,4,5,6\n")
    assert read_table(gaps, 0, missing="nan").features.shape == (4, 3)  # guessed: data
    one_name = tmp_path / "named.csv"
    one_name.write_text("1,2,target\n0.5,1.5,1\n0.25,2.5,0\n")
    assert read_table(one_name, "target").feature_names == ["1", "2"]


def test_a_title_line_above_the_rows_is_named_by_every_reader(tmp_path):
    """UCI's adult.test starts '|1x3 Cross validator' above rows of 15 fields: predict
    and evaluate, which read the columns' names first, said 'out of range for 1
    columns'."""
    path = tmp_path / "adult.test.csv"
    path.write_text("|1x3 Cross validator\n" + "25, Private, 11th, <=50K.\n" * 3)
    for read in (column_names, lambda p: read_table(p, 3)):
        with pytest.raises(DataError, match=r"line 2: expected 1 field, got 4 \(line 1 has 1 "
                                            r"field and the lines below it 4: .*tail -n \+2"):
            read(path)


@pytest.mark.parametrize("delimiter", [";", "\t", "|"])
def test_decimal_commas_read_as_pandas_reads_them_with_decimal_comma(tmp_path, delimiter):
    """A spreadsheet's export in most of Europe: 1,5;2,25 (quoted or not), where the
    delimiter is not a comma; text cells with commas stay text."""
    import pandas as pd

    rng = np.random.default_rng(5)
    n = 30
    frame = pd.DataFrame({"x": rng.normal(0, 100, n).round(3), "z": rng.integers(-5, 5, n),
                          "town": rng.choice(["Lyon, Rh\u00f4ne", "Gent"], n),
                          "y": rng.normal(size=n).round(2)})
    path = tmp_path / "eu.csv"
    frame.to_csv(path, sep=delimiter, decimal=",", index=False)
    lines = path.read_text().splitlines()
    lines[3] = lines[3].replace(lines[3].split(delimiter)[0], f'"{lines[3].split(delimiter)[0]}"')
    path.write_text("\n".join(lines) + "\n")
    expected = pd.read_csv(path, sep=delimiter, decimal=",")
    table = read_table(path, "y", categories="auto")
    np.testing.assert_array_equal(table.features[:, :2], expected[["x", "z"]].to_numpy())
    np.testing.assert_array_equal(table.target, expected["y"].to_numpy())
    assert table.categories["town"] == sorted(set(expected["town"]))
    cell, line, number = re.fullmatch(r"decimal commas read as points \('(.*)' on line "
                                      r"(\d+) is (.*)\)", table.header_note).groups()
    assert cell in lines[int(line) - 1].split(delimiter) and number == cell.replace(",", ".")
    # "1,234" may be a thousand and more (a US spreadsheet copied as tab-separated
    # text): without an unambiguous decimal comma in the file, it stays an error.
    us = tmp_path / "us.csv"
    us.write_text(f"pop{delimiter}y\n1,234{delimiter}1\n999{delimiter}0\n-12,500{delimiter}1\n")
    with pytest.raises(DataError, match=r"got '1,234' \(a thousands separator or a decimal "
                                        r"comma\? write 1234 or 1\.234\)"):
        read_table(us, "y")
    # Points between thousands before a decimal comma, as pandas' thousands=".", spaces
    # around a cell or not; a whole number so written may be either: an error.
    european = tmp_path / "de.csv"
    european.write_text(f"n{delimiter}p{delimiter}y\n 1.225,8{delimiter}0,5{delimiter}0\n"
                        f"950{delimiter}\"-12.345,5\"{delimiter}1\n")
    table = read_table(european, "y")
    assert table.features.tolist() == [[1225.8, 0.5], [950.0, -12345.5]]
    assert "points between thousands taken out ('1.225,8' on line 2 is 1225.8)" in (
        table.header_note)
    for cell in ("85.052", " 85.052", '"1.000.000"'):
        european.write_text(f"n{delimiter}p{delimiter}y\n0,5{delimiter}1{delimiter}0\n"
                            f"{cell}{delimiter}2{delimiter}1\n")
        message = (r"de\.csv, line 3: '[0-9.]+' in a file of decimal commas: is its point a "
                   r"thousands separator \([0-9]+\) or a decimal point\?")
        for read in (lambda: read_table(european, "y"), lambda: column_names(european)):
            with pytest.raises(DataError, match=message):
                read()
    if delimiter == ";":  # without a header, commas split the lines alike too
        headerless = tmp_path / "nh.csv"
        headerless.write_text("1,5;2,25;0\n3,5;1,25;1\n0,5;4,0;0\n")
        table = read_table(headerless, -1)
        assert table.features.tolist() == [[1.5, 2.25], [3.5, 1.25], [0.5, 4.0]]
        assert column_names(headerless) == ["0", "1", "2"]
    comma_separated = tmp_path / "c.csv"
    comma_separated.write_text('a,y\n"1,5",1\n"2,5",0\n')
    with pytest.raises(DataError, match=r"got '1,5' \(a decimal comma\? write 1\.5\)"):
        read_table(comma_separated, "y")  # a comma-separated file says it, reads none


def test_columns_aligned_by_spaces_with_a_tab_before_a_quoted_name(tmp_path):
    """UCI's auto-mpg.data: numbers aligned by runs of spaces, then a tab and a quoted
    car name holding spaces, '?' for a missing number; read as pandas' sep=r"\\s+"
    reads it (tabs alone would make two columns)."""
    import pandas as pd

    lines = ['18.0   8   307.0      130.0      3504.      12.0   70  1\t"chevrolet malibu"',
             '15.0   8   350.0      ?          3693.      11.5   70  1\t"buick skylark 320"',
             '25.0   4   104.0      95.00      2375.      17.5   70  2\t"saab 99e"']
    path = tmp_path / "auto-mpg.data"
    path.write_text("\n".join(lines) + "\n")
    expected = pd.read_csv(path, sep=r"\s+", header=None, na_values="?")
    table = read_table(path, 0, header=False, categories="auto", missing="nan")
    np.testing.assert_array_equal(table.target, expected[0].to_numpy())
    np.testing.assert_array_equal(table.features[:, :7], expected.loc[:, 1:7].to_numpy())
    assert table.categories["8"] == sorted(expected[8])
    assert column_names(path, header=False) == [str(j) for j in range(9)]
    tabbed = tmp_path / "names.data"  # tabs between names holding spaces, two in a row
    tabbed.write_text("name\tx\nAnn  Lee\t1\nBo  Diaz\t2\n")
    assert column_names(tabbed) == ["name", "x"]


def test_uci_data_files_and_excel_sep_lines_are_read(tmp_path):
    """UCI's .data suffix (commas, or whitespace as housing.data), and Excel's first
    line 'sep=;' naming the delimiter (its line still counted in messages)."""
    iris = tmp_path / "iris.data"
    iris.write_text("5.1,3.5,Iris-setosa\n4.9,3.0,Iris-setosa\n6.3,3.3,Iris-virginica\n\n")
    table = read_table(iris, -1)
    np.testing.assert_array_equal(table.features, [[5.1, 3.5], [4.9, 3.0], [6.3, 3.3]])
    assert table.target.tolist() == ["Iris-setosa", "Iris-setosa", "Iris-virginica"]
    adult = tmp_path / "adult.test"  # UCI's test split of adult, its title line removed
    adult.write_text("25, Private, 7, <=50K.\n38, Private, 9, >50K.\n")
    table = read_table(adult, -1, categories="auto")
    assert table.target.tolist() == ["<=50K.", ">50K."]
    assert table.categories["1"] == ["Private"]
    housing = tmp_path / "housing.data"
    housing.write_text(" 0.00632  18.00   2.310  24.00\n 0.02731   0.00   7.070  21.60\n")
    assert read_table(housing, -1, header=False).target.tolist() == [24.0, 21.6]
    excel = tmp_path / "excel.csv"
    excel.write_text("sep=;\na;b;label\n1;2;x\n3;four;y\n")
    assert column_names(excel) == ["a", "b", "label"]
    with pytest.raises(DataError, match=r"line 4, column 'b': expected a number, got 'four'"):
        read_table(excel, "label")
    excel.write_text("sep=\t\na\tb\tlabel\n1\t2\tx\n3\t4\ty\n")
    assert read_table(excel, "label").features.tolist() == [[1.0, 2.0], [3.0, 4.0]]


def test_the_command_line_trains_and_predicts_through_compressed_files(tmp_path):
    rng = np.random.default_rng(0)
    X = rng.normal(size=(60, 3))
    y = np.where(X[:, 0] + X[:, 1] > 0, "yes", "no")
    rows = [f"{a},{b},{c},{label}" for (a, b, c), label in zip(X, y, strict=True)]
    lines = ["a,b,c,label", *rows]
    data = tmp_path / "train.csv.zip"
    data.write_bytes(_zip("\n".join(lines).encode(), "train.csv"))
    env = {**os.environ, "PYTHONPATH": SRC}
    model = tmp_path / "m.npz"

    def lucidnet(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "lucidnet", *args], capture_output=True,
                              text=True, env=env, timeout=120, check=False)

    done = lucidnet("train", str(data), "--target", "label", "--epochs", "3", "-q",
                    "--out", str(model))
    assert done.returncode == 0, done.stderr
    plain = tmp_path / "p.csv"
    packed = tmp_path / "p.csv.gz"
    for out in (plain, packed):
        done = lucidnet("predict", str(model), str(data), "--proba", "--out", str(out))
        assert done.returncode == 0, done.stderr
    assert gzip.decompress(packed.read_bytes()) == plain.read_bytes()
    refused = lucidnet("predict", str(model), str(data), "--out", str(tmp_path / "p.npz.gz"))
    assert refused.returncode != 0
    assert "suffix of a model or binary data file" in refused.stderr


# ------------------------------------------------ numbers as spreadsheets show them

@pytest.mark.parametrize(("text", "expected"), [
    ("$1,200.50", ("a currency sign", ["1200.50"])),
    ("($1,200.50)", ("accounting parentheses and a currency sign", ["-1200.50"])),
    ("16,00 €", ("a currency sign", ["16.00"])),
    ("-£5", ("a currency sign", ["-5"])),
    ("$-5", ("a currency sign", ["-5"])),
    ("45%", ("a percent sign", ["45", "0.45"])),
    ("12.5 %", ("a percent sign", ["12.5", "0.125"])),
    ("(3)", ("accounting parentheses", ["-3"])),
    ("(0)", ("accounting parentheses", ["0"])), ("-0%", ("a percent sign", ["0", "0"])),
    ("€13,90", ("a currency sign", ["13.90"])),
    ("12", None), ("-3.5e2", None), ("abc", None), ("(a)", None), ("%", None),
    ("$", None), ("inf%", None), ("1,250", None),
    # A comma without a currency sign: a pair, or a number that may be either.
    ("(0,1)", None), ("(1,234)", None), ("1,200%", None),
])
def test_decorated_numbers_and_their_plain_readings(text, expected):
    from lucidnet.data import decorated_number

    assert decorated_number(text) == expected


def test_a_decorated_number_in_a_column_of_numbers_is_named_with_its_plain_form(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("a,b,y\n1,2,0\n3,$4.50,1\n5,6,0\n")
    with pytest.raises(DataError, match=re.escape(
            "t.csv, line 3, column 'b': expected a number, got '$4.50' (a number written "
            "with a currency sign? write 4.50)")):
        read_table(path, "y")


# ------------------------------------------------ spreadsheet and pandas exports

@pytest.mark.parametrize("text", [
    ",f0,f1,y\n0,1.5,2,0\n1,2.5,3,1\n2,3,4,0\n",  # DataFrame.to_csv's row labels
    "a,,y\n1,2,3\n4,5,6\n",
])
def test_an_empty_column_name_is_named_as_pandas_names_it(tmp_path, text):
    import pandas as pd

    path = tmp_path / "t.csv"
    path.write_text(text)
    frame = pd.read_csv(path)
    assert column_names(path) == list(frame.columns)
    table = read_table(path, "y")
    np.testing.assert_array_equal(table.features, frame.drop(columns="y").to_numpy(float))


@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_a_delimiter_ending_every_line_is_an_empty_column_left_out(tmp_path, delimiter):
    rows = [["a", "b", "y"], ["1", "2", "0"], ["3", "4.5", "1"], ["5", "6", "0"]]
    plain = tmp_path / "plain.csv"
    plain.write_text("\n".join(delimiter.join(row) for row in rows) + "\n")
    trailing = tmp_path / "trailing.csv"
    # As a spreadsheet exports an empty last column, with Windows line ends and a
    # blank line below the table.
    trailing.write_bytes(("\r\n".join(delimiter.join(row) + delimiter for row in rows)
                          + "\r\n\r\n").encode())
    assert column_names(trailing) == column_names(plain) == ["a", "b", "y"]
    assert_same_table(read_table(trailing, "y"), read_table(plain, "y"))
    assert row_line(trailing, 2) == 4
    # Two or three empty last columns, quoted cells or not (the careful reader's path).
    for ending, quote in ((delimiter * 2, ""), (delimiter * 3, '"')):
        wide = tmp_path / "wide.csv"
        wide.write_text("\n".join(delimiter.join(f"{quote}{cell}{quote}" for cell in row)
                                  + ending for row in rows) + "\n")
        assert column_names(wide) == ["a", "b", "y"]
        assert_same_table(read_table(wide, "y"), read_table(plain, "y"))
    # A delimiter ending only some lines is a column like any other.
    ragged = tmp_path / "ragged.csv"
    ragged.write_text(f"a{delimiter}b{delimiter}\n1{delimiter}2{delimiter}\n3{delimiter}4\n")
    with pytest.raises(DataError, match="line 3: expected 3 fields, got 2"):
        read_table(ragged)


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
def test_utf16_with_a_byte_order_mark_reads_as_utf8(tmp_path, encoding):
    # Excel's "Unicode text" export: UTF-16 with a byte order mark, tabs, CRLF.
    text = "größe\tb\tlabel\r\n1\t2\tnein\r\n3\t4.5\tja\r\n5\t6\tnein\r\n"
    utf8 = tmp_path / "t8.txt"
    utf8.write_bytes(text.encode("utf-8"))
    utf16 = tmp_path / "t16.txt"
    mark = "" if encoding == "utf-16" else "\ufeff"  # "utf-16" writes its own
    utf16.write_bytes((mark + text).encode(encoding))
    expected = read_table(utf8, "label", categories="auto")
    got = read_table(utf16, "label", categories="auto")
    assert_same_table(got, expected)
    assert column_names(utf16) == ["größe", "b", "label"]


def test_parentheses_alone_are_labels_unless_plain_numbers_are_beside_them():
    from lucidnet.data import decorated_numbers

    assert decorated_numbers(["(1)", "(2)", "(3)"]) == {}
    assert decorated_numbers(["(1)", "2", "(3)"]) == {
        "(1)": ("accounting parentheses", ["-1"]), "(3)": ("accounting parentheses", ["-3"])}
    assert list(decorated_numbers(["(1)", "45%"])) == ["(1)", "45%"]


def test_an_empty_last_field_in_quoted_records_is_dropped_per_record(tmp_path):
    """A quoted field may span lines, and a line inside it may end with the delimiter:
    the empty last column is found per record, the field's text kept whole (pandas'
    reading, less its all-empty 'Unnamed' column)."""
    import pandas as pd

    for inner in ("x,\ny", "x\ny"):
        path = tmp_path / "q.csv"
        path.write_text(f'c,a,y,\n"{inner}",1,0,\n"z",2,1,\n"w",3,0,\n')
        frame = pd.read_csv(path).drop(columns="Unnamed: 3")
        table = read_table(path, "y", categories="auto")
        assert column_names(path) == list(frame.columns) == ["c", "a", "y"]
        assert sorted(table.categories["c"]) == sorted(frame["c"])
        np.testing.assert_array_equal(table.target, frame["y"])
        assert row_line(path, 1) == 4


@pytest.mark.parametrize("text", [
    ",Unnamed: 0,y\n1,2,3\n4,5,6\n",  # an empty name beside the name it would get
    None,  # DataFrame.to_csv() of numbered columns: ",0,1,2" over the row labels
])
def test_generated_names_are_pandas_own(tmp_path, text):
    import pandas as pd

    path = tmp_path / "t.csv"
    if text is None:
        pd.DataFrame(np.arange(15.0).reshape(5, 3) / 7).to_csv(path)
    else:
        path.write_text(text)
    assert column_names(path) == list(pd.read_csv(path).columns)
    np.testing.assert_array_equal(read_table(path).features, pd.read_csv(path).to_numpy(float))


def test_a_row_of_numbers_with_a_blank_cell_is_data_not_a_header(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("0.512,,1\n0.3,0.7,0\n0.1,0.2,1\n")
    table = read_table(path, 2, missing="nan")
    assert table.header is False and table.feature_names == ["0", "1"]
    np.testing.assert_array_equal(table.features, [[0.512, np.nan], [0.3, 0.7], [0.1, 0.2]])


def test_column_names_of_a_header_longer_than_the_first_read(tmp_path):
    path = tmp_path / "wide.csv"
    names = [f"column_{j}" for j in range(12_000)]  # a header line of about 140 KB
    path.write_text(",".join(names) + "\n" + ",".join("1" * 12_000) + "\n"
                    + ",".join("2" * 12_000) + "\n")
    assert column_names(path) == names == read_table(path).feature_names


def test_a_line_above_the_header_of_a_compressed_file_gets_no_tail_command(tmp_path):
    path = tmp_path / "t.csv.gz"
    path.write_bytes(gzip.compress(b"3,2,x\n1.5,2,3,0\n2.5,3,4,1\n3.5,4,5,0\n"))
    with pytest.raises(DataError) as caught:
        read_table(path, -1)
    assert "line 1 has 3 fields and the lines below it 4" in str(caught.value)
    assert "delete it)" in str(caught.value) and "tail" not in str(caught.value)


@pytest.mark.parametrize("name", ["p.gz", "p.zip"])
def test_a_compression_suffix_alone_writes_compressed_csv(tmp_path, name):
    path = tmp_path / name
    write_predictions(path, np.array([1.5, 2.5]), header="y")
    assert DECODERS[Path(name).suffix](path.read_bytes()) == b"y\n1.5\n2.5\n"


def test_float32_predictions_are_written_as_python_writes_floats():
    """Shortest float32 digits, positional from 1e-4 to 1e16 as Python's repr is (a
    price of 1e8 is no '1.0033264e+08'); every value reads back as the same float32."""
    from lucidnet.data import prediction_rows

    values = np.array([100332640.0, 197.7222, 1e-5, 3e20, 0.5, -2.5e9, 1e-4, 9.9e15],
                      dtype=np.float32)
    texts = [row[0] for row in prediction_rows(values)[0]]
    assert texts[:6] == ["100332640.0", "197.7222", "1e-05", "3e+20", "0.5", "-2500000000.0"]
    assert all("e" not in text for text in (texts[0], texts[5], texts[6], texts[7]))
    np.testing.assert_array_equal(np.array(texts, dtype=np.float32), values)
    assert [str(float(v)) for v in values[[0, 4, 5]]] == [texts[0], texts[4], texts[5]]


def test_a_space_separated_export_with_quoted_names_reads_by_its_columns(tmp_path):
    # DataFrame.to_csv(sep=" ") quotes the names that hold spaces.
    from sklearn.datasets import load_iris

    frame = load_iris(as_frame=True).frame
    path = tmp_path / "space.csv"
    frame.to_csv(path, sep=" ", index=False)
    table = read_table(path, "target")
    assert table.feature_names == list(frame.columns[:-1])
    np.testing.assert_array_equal(table.features, frame.iloc[:, :-1].to_numpy())
    assert column_names(path) == list(frame.columns)


def test_a_space_separated_export_with_a_missing_value_reads_by_its_columns(tmp_path):
    # A missing value leaves two spaces side by side: one space between fields.
    import pandas as pd

    frame = pd.DataFrame({"a": [1.5, np.nan, 3.0], "b": [1, 2, 3], "label": [0, 1, 0]})
    path = tmp_path / "space.csv"
    frame.to_csv(path, sep=" ", index=False)
    table = read_table(path, "label", missing="nan")
    np.testing.assert_array_equal(table.features, frame[["a", "b"]].to_numpy(float))
    assert column_names(path) == ["a", "b", "label"]


def test_read_cells_gives_the_rows_of_read_table_as_written(tmp_path):
    """Blank lines, a quoted cell over two lines, NA and spaces: one list per row of
    read_table's, cells as the file writes them; an unknown column is named."""
    path = tmp_path / "ids.csv"
    path.write_text('id,x,y\n 007 ,1,a\n\nNA,2,b\n"multi\nline",3,a\n,4,b\n')
    table = read_table(path, "y", categories="auto", text_columns=["id"], missing="nan")
    cells = read_cells(path, ["id", "x"])
    assert len(cells) == table.n_samples == 4
    assert cells == [[" 007 ", "1"], ["NA", "2"], ["multi\nline", "3"], ["", "4"]]
    assert read_cells(path, ["x"], header=True) == [["1"], ["2"], ["3"], ["4"]]
    with pytest.raises(DataError, match="no column 'ID'; available columns: 'id', 'x', 'y'"):
        read_cells(path, ["ID"])


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_without_a_byte_order_mark_is_named(tmp_path, codec):
    """Not 'binary data, written with tofile?': the NUL bytes sit between letters."""
    path = tmp_path / "u.csv"
    path.write_bytes("a,y\n1,0\n2,1\n".encode(codec))
    with pytest.raises(DataError, match=f"is {codec.upper()} text without a byte order mark"):
        read_table(path, "y")


def test_features_and_categories_of_the_wrong_kind_name_themselves(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("a,b,y\n1,x,0\n2,z,1\n")
    with pytest.raises(TypeError, match=r"features must be a list of column names; got the "
                                        r"string 'a' \(write \['a'\]\)"):
        read_table(path, "y", features="a")
    with pytest.raises(TypeError, match=r"categories\['b'\] must be a list"):
        read_table(path, "y", categories={"b": 5})


def test_an_empty_npz_and_a_parquet_file_with_a_name_twice_are_named(tmp_path):
    empty = tmp_path / "empty.npz"
    np.savez(empty)
    with pytest.raises(DataError, match="the .npz archive holds no arrays"):
        read_table(empty)
    pa = pytest.importorskip("pyarrow")
    import pyarrow.parquet as pq

    twice = tmp_path / "twice.parquet"
    pq.write_table(pa.table([pa.array([1, 2]), pa.array([3, 4]), pa.array([0, 1])],
                            names=["a", "a", "y"]), twice)
    with pytest.raises(DataError, match="2 columns are named 'a'; name each column once"):
        read_table(twice, "y")
