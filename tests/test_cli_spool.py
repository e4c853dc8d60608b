"""DATA ``-`` (the table piped into stdin) and ``--encoding`` in ``train``, ``predict``
and ``evaluate``.

The truth is the same command on the same table given as a UTF-8 file: the model, the
predictions and the scores must be the same, every message must name the data as the
user did (``stdin``, or the file's own path; never the temporary file the bytes were
spooled to), and that file must be gone afterwards.
"""

from __future__ import annotations

import gzip
import json
import os
from pathlib import Path

import numpy as np
import pytest
from sklearn.datasets import load_wine
from test_cli import assert_usage_error, run


def _wine_csv(path: Path) -> np.ndarray:
    """scikit-learn's wine data as a CSV with a header, the class last; returns X."""
    data = load_wine()
    names = [name.replace("/", "_") for name in data.feature_names]
    lines = [",".join([*names, "class"])]
    lines += [",".join([*map(repr, x), f"c{y}"]) for x, y in
              zip(data.data.tolist(), data.target.tolist(), strict=True)]
    path.write_text("\n".join(lines) + "\n")
    return data.data


@pytest.fixture
def spool(tmp_path: Path) -> dict[str, str]:
    """TMPDIR for the command: where stdin is spooled, checked empty afterwards."""
    directory = tmp_path / "spool"
    directory.mkdir()
    return {"TMPDIR": str(directory)}


def _from(path: Path, *args: str, spool: dict[str, str], expect: int | None = 0):
    with open(path, "rb") as stream:
        done = run(*args, stdin=stream, environment=spool, expect=expect)
    assert os.listdir(spool["TMPDIR"]) == []  # the spooled copy is removed
    assert spool["TMPDIR"] not in done.stdout + done.stderr
    assert "lucidnet-" not in done.stdout + done.stderr
    return done


def test_a_pipe_trains_predicts_and_scores_as_the_file_does(tmp_path: Path,
                                                             spool: dict[str, str]) -> None:
    data = tmp_path / "wine.csv"
    _wine_csv(data)
    settings = ("--target", "class", "--hidden", "8", "--epochs", "5", "--seed", "2",
                "--dtype", "float64", "--json")
    from_file = json.loads(run("train", str(data), *settings,
                               "--out", str(tmp_path / "file.npz")).stdout)
    # An ASCII stdout, which click writes to through its own stream, names it too.
    piped = json.loads(_from(data, "train", "-", *settings, "--out", str(tmp_path / "pipe.npz"),
                             spool={**spool, "PYTHONIOENCODING": "ascii"}).stdout)
    assert piped["data"] == "stdin" and from_file["data"] == str(data)
    for key in ("metrics", "network", "classes", "epochs"):
        assert piped[key] == from_file[key], key

    from lucidnet.io import load_file

    loaded = load_file(tmp_path / "pipe.npz", estimator=False)
    assert loaded.metadata["source"] == "stdin"
    np.testing.assert_array_equal(loaded.model.params,
                                  load_file(tmp_path / "file.npz", estimator=False).model.params)

    model = str(tmp_path / "file.npz")
    expected = run("predict", model, str(data), "--proba", "--keep", "class").stdout
    assert _from(data, "predict", model, "-", "--proba", "--keep", "class",
                 spool=spool).stdout == expected
    expected = json.loads(run("evaluate", model, str(data), "--json").stdout)
    scored = json.loads(_from(data, "evaluate", model, "-", "--json", spool=spool).stdout)
    assert scored.pop("data") == "stdin" and expected.pop("data") == str(data)
    assert scored == expected


def test_compressed_array_and_parquet_bytes_are_told_apart(tmp_path: Path,
                                                           spool: dict[str, str]) -> None:
    data = tmp_path / "wine.csv"
    X = _wine_csv(data)
    model = str(tmp_path / "m.npz")
    run("train", str(data), "--target", "class", "--hidden", "4", "--epochs", "2",
        "--out", model, "-q")
    expected = run("predict", model, str(data), "--proba").stdout
    kinds = {"wine.csv.gz": lambda path: path.write_bytes(gzip.compress(data.read_bytes())),
             "wine.npy": lambda path: np.save(path, X),
             "wine.npz": lambda path: np.savez(path, X=X)}
    try:
        import pandas as pd
        import pyarrow  # noqa: F401  (pandas' Parquet writer)
    except ImportError:
        pass
    else:
        kinds["wine.parquet"] = lambda path: pd.read_csv(data).to_parquet(path)
    for name, write in kinds.items():
        write(tmp_path / name)
        # The same bytes read as a file under their own suffix are the truth.
        assert run("predict", model, str(tmp_path / name), "--proba").stdout == expected, name
        assert _from(tmp_path / name, "predict", model, "-", "--proba",
                     spool=spool).stdout == expected, name


def test_errors_name_stdin_and_its_line(tmp_path: Path, spool: dict[str, str]) -> None:
    data = tmp_path / "wine.csv"
    _wine_csv(data)
    model = str(tmp_path / "m.npz")
    run("train", str(data), "--target", "class", "--hidden", "4", "--epochs", "2",
        "--out", model, "-q")
    lines = data.read_text().splitlines()
    lines[3] = "oops," + lines[3].split(",", 1)[1]
    bad = tmp_path / "bad.csv"
    bad.write_text("\n".join(lines) + "\n")
    done = _from(bad, "predict", model, "-", spool=spool, expect=None)
    assert_usage_error(done, "stdin, line 4, column 'alcohol'", "'oops'")

    done = _from(bad, "train", "-", "--target", "nope", "--out", str(tmp_path / "x.npz"),
                 spool=spool, expect=None)
    assert_usage_error(done, "stdin", "'nope'")
    assert not (tmp_path / "x.npz").exists()

    # Old Mac line ends: the bad byte's line as the reader counts lines.
    mac = tmp_path / "mac.csv"
    mac.write_bytes(b"a,y\r1,0\r2,1\r\x93,0\r")
    done = _from(mac, "train", "-", "--target", "y", "--encoding", "utf-8", spool=spool,
                 expect=None)
    assert_usage_error(done, "stdin, line 4: not utf-8 text: byte 0x93")

    empty = tmp_path / "empty.csv"
    empty.write_text("\n")
    assert_usage_error(_from(empty, "evaluate", model, "-", spool=spool, expect=None),
                       "DATA '-'", "stdin is empty")

    done = _from(tmp_path / "m.npz", "predict", model, "-", "--header", spool=spool,
                 expect=None)  # an .npz model file piped in: array data, no header
    assert_usage_error(done, "--header is for text files", "stdin is not one")


def test_a_terminal_on_stdin_is_refused_instead_of_waited_on(tmp_path: Path) -> None:
    model = tmp_path / "m.npz"
    run("train", "--dataset", "iris", "--epochs", "1", "--out", str(model), "-q")
    controller, terminal = os.openpty()
    try:
        done = run("predict", str(model), "-", stdin=terminal, expect=None)
    finally:
        os.close(controller)
        os.close(terminal)
    assert_usage_error(done, "DATA '-' reads the table from stdin", "terminal")


def _cyrillic_rows() -> list[str]:
    """A table in Russian: a text feature, a number, a label; 90 rows."""
    cities = ["Москва", "Тверь", "Омск"]
    rows = ["город,площадь,класс"]
    for i in range(90):
        rows.append(f"{cities[i % 3]},{(i * 7) % 11 + 0.5},{'да' if i % 3 == 1 else 'нет'}")
    return rows


def test_encoding_reads_text_as_its_utf8_copy(tmp_path: Path, spool: dict[str, str]) -> None:
    encoding = "koi8-r"
    text = "\n".join(_cyrillic_rows()) + "\n"
    utf8, other = tmp_path / "ru.csv", tmp_path / "ru_other.csv.gz"
    utf8.write_text(text, encoding="utf-8")
    other.write_bytes(gzip.compress(text.encode(encoding)))
    settings = ("--target", "класс", "--hidden", "4", "--epochs", "3", "--json")
    expected = json.loads(run("train", str(utf8), *settings,
                              "--out", str(tmp_path / "a.npz")).stdout)
    trained = json.loads(run("train", str(other), "--encoding", encoding, *settings,
                             "--out", str(tmp_path / "b.npz"), environment=spool).stdout)
    assert os.listdir(spool["TMPDIR"]) == []
    assert trained.pop("data") == str(other) and expected.pop("data") == str(utf8)
    for key in ("model", "seconds", "train_seconds"):
        trained.pop(key), expected.pop(key)
    assert trained == expected and trained["classes"] == ["да", "нет"]
    model = str(tmp_path / "a.npz")
    assert (run("predict", model, str(other), "--encoding", encoding, environment=spool).stdout
            == run("predict", model, str(utf8)).stdout)
    with open(other, "rb") as stream:  # piped, compressed and in the encoding
        piped = run("evaluate", model, "-", "--encoding", encoding, "--json", stdin=stream,
                    environment=spool).stdout
    assert json.loads(piped)["accuracy"] == json.loads(
        run("evaluate", model, str(utf8), "--json").stdout)["accuracy"]

    # Without --encoding the names are misread, and the error says how to read them.
    done = run("train", str(other), *settings, expect=None)
    assert_usage_error(done, f"{other}: no target column 'класс'", "--encoding")


def test_encoding_errors(tmp_path: Path, spool: dict[str, str]) -> None:
    rows = _cyrillic_rows()
    data = tmp_path / "ru.csv"
    data.write_bytes(("\n".join(rows) + "\n").encode("cp1251"))
    model = str(tmp_path / "m.npz")
    run("train", str(data), "--target", "класс", "--encoding", "cp1251", "--epochs", "1",
        "--out", model, "-q")
    # cp1251 bytes are no UTF-8: the first one, on line 1, named.
    assert_usage_error(run("predict", model, str(data), "--encoding", "utf-8", expect=None),
                       f"{data}, line 1: not utf-8 text: byte 0xe3")
    for value, words in (("nope", "no text encoding Python knows"),
                         ("base64", "not a text encoding")):
        assert_usage_error(run("predict", model, str(data), "--encoding", value, expect=None),
                           "--encoding", repr(value), words)
    before = data.read_bytes()
    for command in (("predict", model, str(data)), ("train", str(data), "--target", "класс")):
        done = run(*command, "--encoding", "cp1251", "--out", str(data), expect=None)
        assert_usage_error(done, f"--out: '{data}' is the input file")
    assert data.read_bytes() == before
    # UTF-16 without its byte order mark: named, with the option that reads it.
    utf16 = tmp_path / "ru16.csv"
    utf16.write_bytes(("\n".join(rows) + "\n").encode("utf-16-le"))
    assert_usage_error(run("predict", model, str(utf16), expect=None),
                       "UTF-16-LE text without a byte order mark", "--encoding utf-16-le")
    assert (run("predict", model, str(utf16), "--encoding", "utf-16-le").stdout
            == run("predict", model, str(data), "--encoding", "cp1251").stdout)
    np.save(tmp_path / "x.npy", np.zeros((3, 2)))
    assert_usage_error(run("predict", model, str(tmp_path / "x.npy"), "--encoding", "cp1251",
                           expect=None), "--encoding is for text files")
    assert_usage_error(run("train", "--dataset", "iris", "--encoding", "cp1251", expect=None),
                       "--encoding is about a DATA file")


def test_sigterm_removes_the_spooled_copy(tmp_path: Path, spool: dict[str, str]) -> None:
    """``kill`` mid-training ends the command as an error would: the copy of stdin goes."""
    import signal
    import subprocess
    import sys
    import time

    from test_cli import SRC

    data = tmp_path / "big.csv"
    rng = np.random.default_rng(0)
    X = rng.normal(size=(5000, 10))
    np.savetxt(data, np.c_[X, X[:, 0] > 0], delimiter=",", comments="",
               header=",".join([*(f"f{j}" for j in range(10)), "y"]))
    env = {**os.environ, **spool, "PYTHONPATH": SRC}
    with open(data, "rb") as stream:
        process = subprocess.Popen(
            [sys.executable, "-m", "lucidnet", "train", "-", "--target", "y", "--epochs",
             "100000", "--no-early-stopping", "-q", "--out", str(tmp_path / "m.npz")],
            stdin=stream, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
        try:
            deadline = time.monotonic() + 60
            while not any(os.listdir(spool["TMPDIR"])) and time.monotonic() < deadline:
                time.sleep(0.05)  # until the copy exists (training starts after it)
            time.sleep(0.5)
            process.send_signal(signal.SIGTERM)
            _, stderr = process.communicate(timeout=60)
        finally:
            process.kill()
    assert process.returncode == 128 + signal.SIGTERM, stderr
    assert os.listdir(spool["TMPDIR"]) == []
    assert not (tmp_path / "m.npz").exists()


def test_sigterm_turned_into_another_error_still_ends_the_command() -> None:
    """SIGTERM during the import of an extension module surfaced as "ImportError:
    initialization failed" (the module's initialization swallowed the handler's exit),
    with a traceback and status 1.  The exit behind it ends the command as SIGTERM
    does.  Here that wrapping is done by hand, as the import machinery does it."""
    import signal
    import time

    from lucidnet._cli_spool import _removed_on_sigterm

    with pytest.raises(SystemExit) as stopped, _removed_on_sigterm():
        try:
            os.kill(os.getpid(), signal.SIGTERM)
            time.sleep(5)  # the handler raises before this ends
        except SystemExit:
            raise ImportError("initialization failed")  # noqa: B904 (chained implicitly)
    assert stopped.value.code == 128 + signal.SIGTERM
