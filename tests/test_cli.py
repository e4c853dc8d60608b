"""The ``lucidnet`` command line, run as a real process on real files.

Every test starts ``python -m lucidnet`` in a subprocess (with the repository's
``src`` on PYTHONPATH, so it works installed or not), writes its input files to
``tmp_path`` and checks the exit status, stdout/stderr and the files produced.
The truth comes from elsewhere: scikit-learn's bundled data and metrics, shapes
worked out by hand from the layer sizes, and the Python API on the same files.
"""

from __future__ import annotations

import csv
import io
import json
import math
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest

SRC = str(Path(__file__).resolve().parents[1] / "src")


def run(*args: str, cwd: Path | None = None, python_prefix: list[str] | None = None,
        expect: int | None = 0, stdin: Any = None, environment: dict[str, str] | None = None
        ) -> subprocess.CompletedProcess:
    """Run ``python -m lucidnet ARGS``; check the exit status unless ``expect`` is None.

    ``stdin``: a file object or descriptor to read from (default: this process's own);
    ``environment``: variables to set besides ``PYTHONPATH``."""
    env = dict(os.environ)
    env["PYTHONPATH"] = SRC + os.pathsep + env.get("PYTHONPATH", "")
    env.pop("COLUMNS", None)
    env.update(environment or {})
    command = [sys.executable, *(python_prefix or ["-m", "lucidnet"]), *args]
    done = subprocess.run(command, capture_output=True, text=True, env=env, cwd=cwd,
                          timeout=120, check=False, stdin=stdin)
    if expect is not None:
        assert done.returncode == expect, (
            f"exit {done.returncode}, expected {expect}\nstdout:\n{done.stdout}\n"
            f"stderr:\n{done.stderr}"
        )
    return done


def assert_usage_error(done: subprocess.CompletedProcess, *fragments: str) -> None:
    """Status 2, one line 'error: ...' naming every fragment, no traceback."""
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith("error: ")
    for fragment in fragments:
        assert fragment in lines[0], f"{fragment!r} not in {lines[0]!r}"


def read_csv(text_or_path: str | Path) -> tuple[list[str], list[list[str]]]:
    text = Path(text_or_path).read_text() if isinstance(text_or_path, Path) else text_or_path
    rows = list(csv.reader(io.StringIO(text)))
    return rows[0], rows[1:]


# ------------------------------------------------------------------- help
def test_help_lists_every_command_with_examples() -> None:
    from click.testing import CliRunner

    from lucidnet.cli import cli

    out = run("--help").stdout
    for command in ("train", "demo", "predict", "evaluate", "info", "gradcheck", "explain",
                    "dataset"):
        assert command in out
        # In-process (the same click app) to keep the file fast; `--help` above ran it for real.
        sub = CliRunner().invoke(cli, [command, "--help"]).output
        assert "Examples:" in sub and f"lucidnet {command}" in sub


def test_choices_come_from_the_registries() -> None:
    from lucidnet import activations, optimizers

    out = run("train", "--help").stdout.replace("\n", " ")
    hidden = [name for name in activations.names() if activations.get(name).elementwise]
    for name in (*hidden, *optimizers.names()):
        assert name in out
    assert "softmax" not in out  # couples a layer's units: not offered for hidden layers


def test_help_does_not_import_heavy_libraries() -> None:
    code = (
        "import sys; from lucidnet.cli import main\n"
        "try:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
        "heavy = [m for m in ('sklearn', 'matplotlib', 'scipy', 'tqdm', 'lucidnet.estimators')"
        " if m in sys.modules]\n"
        "print('HEAVY', heavy)\n"
    )
    out = run(python_prefix=["-c", code]).stdout
    assert "HEAVY []" in out


def test_an_option_without_its_value_is_named(tmp_path) -> None:
    """click would take the next option as the value and then complain about a stray
    argument; the option that lacks its value is named, with the way to pass such a
    value on purpose."""
    data = tmp_path / "iris.csv"
    run("dataset", "iris", "--out", str(data))
    done = run("train", str(data), "--target", "target", "--resume", "--out", "m.npz",
               cwd=tmp_path, expect=2)
    assert_usage_error(done, "--resume needs a value, but the next word is the option --out "
                       "(to give '--out' as the value, write --resume=--out)",
                       "lucidnet train --help")
    done = run("predict", "--out", "--proba", "m.npz", str(data), cwd=tmp_path, expect=2)
    assert_usage_error(done, "--out needs a value, but the next word is the option --proba")
    # A short name's advice names the long one: -t=--epochs would give -t "=--epochs".
    done = run("train", str(data), "-t", "--epochs", "1", cwd=tmp_path, expect=2)
    assert_usage_error(done, "-t needs a value, but the next word is the option --epochs (to "
                       "give '--epochs' as the value, write --target=--epochs)")
    assert not (tmp_path / "m.npz").exists()
    # Sizes given as separate words: the second is not a stray argument of its own.
    done = run("train", str(data), "--target", "target", "--hidden", "32", "16",
               cwd=tmp_path, expect=2)
    assert_usage_error(done, "Got unexpected extra argument (16): --hidden takes its values "
                       "in one word, comma-separated (--hidden 32,16)")
    # A value given as OPTION=VALUE, or after a flag, is taken as before.
    done = run("train", str(data), "--target=target", "-q", "--epochs=1",
               f"--out={tmp_path / 'm.npz'}")
    assert (tmp_path / "m.npz").exists()


def test_info_quotes_names_that_its_comma_separated_lists_would_blur(tmp_path) -> None:
    data = tmp_path / "iris.csv"
    run("dataset", "iris", "--out", str(data))
    data.write_text(data.read_text().replace("setosa", '"setosa, wild"'))
    model = tmp_path / "m.npz"
    run("train", str(data), "--target", "target", "--epochs", "1", "-q", "--out", str(model))
    rows = dict(line.split(None, 1) for line in run("info", str(model)).stdout.splitlines()
                if line.startswith(("classes", "features")))
    assert rows["classes"] == "'setosa, wild', 'versicolor', 'virginica'"
    assert rows["features"].startswith("sepal length (cm), sepal width (cm)")  # as they are


# ---------------------------------------------------------------- explain
def test_explain_shapes_match_the_layer_sizes() -> None:
    rows = json.loads(run("explain", "--layers", "2,3,1", "--examples", "3", "--json").stdout)
    shapes = {row["code"]: tuple(row["shape"]) for row in rows["rows"]}
    # rows convention: X (m, n0), W[l] (n[l], n[l-1]), b[l] (n[l],), Z/A (m, n[l])
    assert shapes["X"] == (3, 2)
    assert shapes["W1"] == (3, 2) and shapes["b1"] == (3,)
    assert shapes["Z1"] == (3, 3) and shapes["A2"] == (3, 1)
    assert shapes["dW1"] == shapes["W1"] and shapes["dA1"] == (3, 3)
    assert shapes["cost"] == ()


def test_explain_columns_convention_and_text() -> None:
    rows = json.loads(
        run("explain", "--layers", "2,3,1", "--examples", "3", "--columns", "--json").stdout
    )
    shapes = {row["code"]: tuple(row["shape"]) for row in rows["rows"]}
    assert shapes["X"] == (2, 3) and shapes["b1"] == (3, 1) and shapes["Z2"] == (1, 3)
    text = run("explain", "--layers", "4,5,3", "--activation", "tanh").stdout
    assert "network 4-5-3" in text and "tanh" in text


def test_explain_names_the_output_activation_and_loss() -> None:
    """The README's 2-3-1 sigmoid network with J = 0.5 sum (y - yhat)^2, from the shell."""
    rows = json.loads(run("explain", "--activation", "sigmoid", "--output-activation",
                          "sigmoid", "--loss", "sum_squared_error", "--json").stdout)["rows"]
    meaning = {row["code"]: row["meaning"] for row in rows}
    assert "sigmoid(Z[2])" in meaning["A2"] and "sum_squared_error" in meaning["cost"]
    assert "sigmoid'(Z[L])" in meaning["dZ2"]  # not the fused A - Y of cross-entropy
    assert_usage_error(run("explain", "--output-activation", "sigmoid", expect=None),
                       "--output-activation needs --activation")


def test_explain_rejects_a_single_size() -> None:
    assert_usage_error(run("explain", "--layers", "3", expect=None), "--layers")


# -------------------------------------------------------------- gradcheck
def test_gradcheck_passes_and_reports_every_array() -> None:
    report = json.loads(run("gradcheck", "--hidden", "5,3", "--json").stdout)
    assert report["passed"] and report["relative_difference"] < 1e-7
    names = [p["name"] for p in report["parameters"]]
    assert names == ["W1", "b1", "W2", "b2", "W3", "b3"]
    assert [p["shape"] for p in report["parameters"]][::2] == [[5, 4], [3, 5], [3, 3]]


def test_gradcheck_without_bias_and_with_a_named_loss() -> None:
    text = run("gradcheck", "--hidden", "3", "--inputs", "2", "--outputs", "1",
               "--activation", "sigmoid", "--loss", "sum_squared_error",
               "--output-activation", "sigmoid", "--no-bias").stdout
    assert "W1" in text and "b1" not in text and "passed" in text


def test_gradcheck_exits_1_when_the_threshold_is_not_met() -> None:
    done = run("gradcheck", "--hidden", "4", "--threshold", "1e-30", expect=1)
    assert "FAILED" in done.stdout


def test_gradcheck_bad_hidden_is_a_one_line_error() -> None:
    assert_usage_error(run("gradcheck", "--hidden", "64,x", expect=None), "--hidden", "64,x")
    assert_usage_error(run("gradcheck", "--hidden", "99999999999999999999", expect=None),
                       "--hidden", "more than 2147483647 units")


# ---------------------------------------------------------------- dataset
def test_dataset_writes_the_real_iris_table(tmp_path: Path) -> None:
    from sklearn.datasets import load_iris

    out = tmp_path / "iris.csv"
    run("dataset", "iris", "--out", str(out))
    header, rows = read_csv(out)
    iris = load_iris()
    assert header == [*iris.feature_names, "target"]
    np.testing.assert_array_equal(np.array([r[:-1] for r in rows], dtype=float), iris.data)
    assert [r[-1] for r in rows] == [str(iris.target_names[k]) for k in iris.target]


# ------------------------------------------------------------ data errors
@pytest.fixture
def bad_files(tmp_path: Path) -> dict[str, Path]:
    files = {
        "non_numeric": "a,b,label\n1,2,x\n3,oops,y\n",
        "missing": "a,b,label\n1,2,x\n3,,y\n",
        "ragged": "a,b,label\n1,2,x\n3,4,5,y\n",
    }
    paths = {}
    for name, text in files.items():
        path = tmp_path / f"{name}.csv"
        path.write_text(text)
        paths[name] = path
    return paths


@pytest.mark.parametrize(
    ("name", "fragments"),
    [
        ("non_numeric", ["non_numeric.csv", "line 3", "column 'b'", "oops"]),
        ("missing", ["missing.csv", "line 3", "column 'b'", "missing value"]),
        ("ragged", ["ragged.csv", "line 3", "expected 3 fields"]),
    ],
)
def test_bad_cells_name_file_line_and_column(bad_files: dict[str, Path], tmp_path: Path,
                                             name: str, fragments: list[str]) -> None:
    out = tmp_path / "model.npz"
    done = run("train", str(bad_files[name]), "--target", "label", "--out", str(out),
               expect=None)
    assert_usage_error(done, *fragments)
    assert not out.exists()
    assert list(tmp_path.glob(".*tmp")) == []


def test_unknown_target_column(tmp_path: Path) -> None:
    data = tmp_path / "d.csv"
    data.write_text("a,b,label\n1,2,x\n3,4,y\n")
    done = run("train", str(data), "--target", "nope", expect=None)
    assert_usage_error(done, "d.csv", "no target column 'nope'", "'label'")


def test_a_repeated_target_is_refused_not_one_taken_as_a_feature(tmp_path: Path) -> None:
    """Repeated, click would keep the last --target and train on the other as an input:
    the error shows the comma-separated list that trains on both.  A column named with a
    comma stays one target; names and indices mix in a list."""
    data = tmp_path / "d.csv"
    data.write_text('x,Y1,Y2,"a,b"\n' + "".join(f"{i},{i},{2 * i},{i % 2}\n" for i in range(8)))
    done = run("train", str(data), "--target", "Y1", "--target", "Y2", expect=None)
    assert_usage_error(done, "--target", "given 2 times ('Y1', 'Y2')", "--target Y1,Y2")
    done = run("train", str(data), "--target", "Y1, 2", "--epochs", "1", "--json")
    assert json.loads(done.stdout)["network"].startswith("2-64-32-2 ")
    model = tmp_path / "m.npz"
    done = run("train", str(data), "--target", "a,b", "--epochs", "1", "--json",
               "--out", str(model))
    assert json.loads(done.stdout)["target"] == "a,b"
    done = run("predict", str(model), str(data), "-t", "Y1", "-t", "Y2", expect=None)
    assert_usage_error(done, "given 2 times ('Y1', 'Y2'); give one, or several")


def test_missing_target_option(tmp_path: Path) -> None:
    data = tmp_path / "d.csv"
    data.write_text("a,b,label\n1,2,x\n3,4,y\n")
    assert_usage_error(run("train", str(data), expect=None), "d.csv", "--target COL is required")


def test_missing_data_file(tmp_path: Path) -> None:
    done = run("train", str(tmp_path / "absent.csv"), "--target", "y", expect=None)
    assert_usage_error(done, "absent.csv", "no such file")


def test_bad_option_values(tmp_path: Path) -> None:
    assert_usage_error(run("train", "--dataset", "iris", "--hidden", "64,x", expect=None),
                       "--hidden", "64,x")
    # "²" is a digit to str.isdigit, not to int.
    assert_usage_error(run("train", "--dataset", "iris", "--hidden", "8,\u00b2", expect=None),
                       "--hidden", "8,\u00b2")
    assert_usage_error(run("train", "--dataset", "iris", "--lr", "-1", expect=None), "--lr")
    assert_usage_error(run("train", "--dataset", "iris", "--optimizer", "nope", expect=None),
                       "--optimizer", "adam")
    assert_usage_error(run("train", expect=None), "--dataset")
    # nan and inf pass an open lower bound and compare false with every bound.
    for option, value in [("--lr", "nan"), ("--lr", "inf"), ("--alpha", "nan"),
                          ("--validation", "nan"), ("--test-size", "nan")]:
        assert_usage_error(run("train", "--dataset", "iris", option, value, expect=None),
                           option, value)
    assert_usage_error(run("train", "--dataset", "iris", "--seed", "-1", expect=None),
                       "--seed", "-1")


def test_learning_rate_has_its_long_name_too() -> None:
    losses = {}
    for spelling in ("--lr", "--learning-rate"):
        for rate in ("0.01", "0.3"):
            done = run("train", "--dataset", "iris", spelling, rate, "--epochs", "3", "--json")
            losses[spelling, rate] = json.loads(done.stdout)["metrics"]
    assert losses["--lr", "0.01"] == losses["--learning-rate", "0.01"]
    assert losses["--lr", "0.3"] == losses["--learning-rate", "0.3"]
    assert losses["--lr", "0.01"] != losses["--lr", "0.3"]


def test_failed_run_keeps_the_existing_model(bad_files: dict[str, Path], tmp_path: Path) -> None:
    out = tmp_path / "model.npz"
    out.write_bytes(b"previous model")
    done = run("train", str(bad_files["missing"]), "--target", "label", "--out", str(out),
               expect=None)
    assert_usage_error(done, "missing value")
    assert out.read_bytes() == b"previous model"


def test_ctrl_c_during_training_exits_130_and_keeps_the_existing_model(tmp_path: Path) -> None:
    """The estimator keeps a model stopped by Ctrl-C (as scikit-learn's); the command
    must not write it over --out nor report success.  Ctrl-C is simulated in the third
    epoch's end-of-epoch hook."""
    out = tmp_path / "model.npz"
    out.write_bytes(b"previous model")
    code = (
        "import sys\n"
        "from lucidnet import training\n"
        "from lucidnet.cli import main\n"
        "original = training.History.on_epoch_end\n"
        "def interrupt(self, epoch, logs):\n"
        "    original(self, epoch, logs)\n"
        "    if epoch == 2:\n"
        "        raise KeyboardInterrupt\n"
        "training.History.on_epoch_end = interrupt\n"
        f"main(['train', '--dataset', 'iris', '--epochs', '20', '-q', '--checkpoint-dir', "
        f"{str(tmp_path / 'ck')!r}, '--out', {str(out)!r}])\n"
    )
    done = run(python_prefix=["-c", code], expect=130)
    assert "Traceback" not in done.stderr
    assert (f"note: stopped by Ctrl-C after 3 epoch(s); no model was written; --resume "
            f"{tmp_path / 'ck'} continues from its last checkpoint") in done.stderr
    # The note is the whole story: no "error: interrupted" after it.
    assert done.stderr.rstrip().endswith("continues from its last checkpoint")
    assert "error" not in done.stderr
    assert out.read_bytes() == b"previous model"


def _train_with_sigint_in_save(out: Path, *, send: str, handler: str,
                               expect: int) -> subprocess.CompletedProcess:
    """``train --dataset iris --out OUT`` in a child whose ``lucidnet.io.save`` runs
    ``send`` (a statement that sends SIGINT) before writing, with the SIGINT
    ``handler`` installed first: ``signal.default_int_handler`` is a terminal's command
    (a child started in the background of a script, a CI job say, inherits SIGINT
    ignored, and Python then installs none), ``signal.SIG_IGN`` such a job's."""
    code = (
        "import os, signal, threading\n"
        f"signal.signal(signal.SIGINT, {handler})\n"
        "from lucidnet import io\n"
        "from lucidnet.cli import main\n"
        "original = io.save\n"
        "def save(*args, **kwargs):\n"
        f"    {send}\n"
        "    return original(*args, **kwargs)\n"
        "io.save = save\n"
        f"main(['train', '--dataset', 'iris', '--epochs', '2', '-q', '--out', {str(out)!r}])\n"
    )
    return run(python_prefix=["-c", code], expect=expect)


#: Statements for ``send``: SIGINT at once, or a second later (from another thread).
SIGINT_NOW = "os.kill(os.getpid(), signal.SIGINT)"
SIGINT_SOON = "threading.Timer(1.0, os.kill, (os.getpid(), signal.SIGINT)).start()"


def test_ctrl_c_while_the_model_is_written_finishes_it_and_says_so(tmp_path: Path) -> None:
    """A real SIGINT arrives in the middle of writing --out: the write completes (held
    back, the file is never left half-replaced or replaced unannounced), and the
    command stops with 130 saying the model was written, with no summary."""
    out = tmp_path / "model.npz"
    out.write_bytes(b"previous model")
    done = _train_with_sigint_in_save(out, send=SIGINT_NOW,
                                      handler="signal.default_int_handler", expect=130)
    assert "Traceback" not in done.stderr
    assert done.stderr.strip() == f"note: stopped by Ctrl-C after the model was written to " \
                                  f"{str(out)!r}"
    assert done.stdout == ""  # no summary
    import lucidnet

    assert lucidnet.load(out).predict(np.zeros((1, 4))).shape == (1,)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_ctrl_c_still_stops_a_write_to_a_pipe_nobody_reads(tmp_path: Path) -> None:
    """--out a named pipe without a reader waits in open(): held there, Ctrl-C would
    never stop it.  Nothing is held for a pipe (there is no rename to protect)."""
    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)
    done = _train_with_sigint_in_save(pipe, send=SIGINT_SOON,
                                      handler="signal.default_int_handler", expect=130)
    assert "Traceback" not in done.stderr


def test_an_ignored_sigint_stays_ignored_while_the_model_is_written(tmp_path: Path) -> None:
    """A job started with SIGINT ignored (a background job of a script) must not be
    stopped by the hold around the write, which installs a handler of its own."""
    out = tmp_path / "model.npz"
    done = _train_with_sigint_in_save(out, send=SIGINT_NOW, handler="signal.SIG_IGN",
                                      expect=0)
    assert "model" in done.stdout and out.read_bytes()[:2] == b"PK"


def test_ctrl_c_after_the_model_was_written_says_it_is_there(tmp_path: Path) -> None:
    """Ctrl-C while --plot draws (after --out was written): status 130 and a note that
    the model is the new one, not "interrupted", which reads as if nothing was kept."""
    out = tmp_path / "model.npz"
    out.write_bytes(b"previous model")
    code = (
        "from lucidnet import _cli_train\n"
        "from lucidnet.cli import main\n"
        "def plots(*args, **kwargs):\n"
        "    raise KeyboardInterrupt\n"
        "_cli_train._plots = plots\n"
        f"main(['train', '--dataset', 'iris', '--epochs', '3', '-q', '--out', {str(out)!r}, "
        f"'--plot', {str(tmp_path / 'plots')!r}])\n"
    )
    done = run(python_prefix=["-c", code], expect=130)
    assert done.stderr.strip() == f"note: stopped by Ctrl-C after the model was written to " \
                                  f"{str(out)!r}"
    assert out.read_bytes()[:2] == b"PK"  # the new model (a zip archive)


def test_a_constant_decimal_target_is_no_precision_question(tmp_path: Path) -> None:
    """3.7 in every row: its std rounds to about 9e-16, not 0, which the float32
    precision check took for a spread too fine to resolve.  A constant target trains
    (with a note), as a constant 5 always did."""
    rng = np.random.default_rng(0)
    x = rng.standard_normal((150, 2))
    for value in ("3.7", "0.1"):
        data = tmp_path / f"constant_{value}.csv"
        data.write_text("a,b,y\n" + "".join(f"{a},{b},{value}\n" for a, b in x.tolist()))
        assert np.std(np.full(150, float(value))) > 0  # what misled the check
        done = run("train", str(data), "--target", "y", "--output", "regression", "-q",
                   "--epochs", "3")
        assert f"the target is {value} in every row" in done.stderr
        assert "float32" not in done.stderr


def test_a_checkpoint_directory_that_cannot_be_made_names_its_option(tmp_path: Path) -> None:
    """Under a file, --checkpoint-dir and --resume are named before any training (the
    error was 'x.csv/ck: Not a directory', from the first checkpoint)."""
    blocker = tmp_path / "x.csv"
    blocker.write_text("a\n1\n")
    for option in ("--checkpoint-dir", "--resume"):
        done = run("train", "--dataset", "iris", "--epochs", "2", "-q", option,
                   str(blocker / "ck"), expect=None)
        assert_usage_error(done, f"{option}: {str(blocker)!r} is a file, not a directory")


def test_damaged_files_beside_a_checkpoint_are_not_skipped_in_silence(tmp_path: Path) -> None:
    """inputs.json guards a resume against other columns: unreadable, the resume is
    refused (it went on unchecked); an unreadable split.json is warned of."""
    checkpoints = tmp_path / "ck"
    common = ["--dataset", "iris", "-q", "--no-early-stopping"]
    run("train", *common, "--epochs", "2", "--checkpoint-dir", str(checkpoints))
    inputs, split = checkpoints / "inputs.json", checkpoints / "split.json"
    kept = inputs.read_text()
    for damaged in ("{bad", '{"a": 1}'):
        inputs.write_text(damaged)
        done = run("train", *common, "--epochs", "3", "--resume", str(checkpoints), expect=None)
        assert_usage_error(done, f"--resume {checkpoints}: inputs.json, which records the "
                                 "inputs the checkpoint was trained on, cannot be read")
    inputs.write_text(kept)
    split.write_text("{bad")
    done = run("train", *common, "--epochs", "3", "--resume", str(checkpoints))
    assert f"warning: --resume {checkpoints}: split.json cannot be read" in done.stderr


def test_a_built_in_set_too_thin_to_split_by_class_gets_advice_it_can_take() -> None:
    """demo always splits and a built-in set's rows are fixed: "add rows ... or leave
    out --test-size" could not be followed; --output regression can."""
    done = run("demo", "--dataset", "diabetes", "--output", "multiclass", expect=None)
    assert_usage_error(done, "too few for --test-size to split them by class",
                       "pass --output regression")
    assert "add rows" not in done.stderr and "leave out" not in done.stderr


def test_a_label_with_a_character_that_does_not_show_is_escaped(tmp_path: Path) -> None:
    """'versico\\ufefflor' printed raw looks like 'versicolor', and the message then
    makes no sense; it is shown quoted, with the character escaped."""
    data = tmp_path / "bom.csv"
    rows = [f"{k},{'a' if k % 2 else 'b'}" for k in range(10)] + ["10,versico\ufefflor"]
    data.write_text("x,y\n" + "\n".join(rows) + "\n", encoding="utf-8")
    done = run("train", str(data), "--target", "y", expect=None)
    assert_usage_error(done, "class 'versico\\ufefflor' has 1 row of 11")


def test_checkpoint_dir_holding_a_checkpoint_is_not_overwritten(tmp_path):
    """A second run given the same --checkpoint-dir (without --resume) would replace
    the first run's checkpoint at its first epoch: refused before any training, the
    file untouched, with --resume and another directory as the ways on."""
    checkpoints = tmp_path / "my ck"
    run("train", "--dataset", "iris", "--epochs", "4", "-q", "--no-early-stopping",
        "--checkpoint-dir", str(checkpoints))
    held = {path.name: path.read_bytes() for path in checkpoints.iterdir()}
    done = run("train", "--dataset", "wine", "--epochs", "2", "-q", "--checkpoint-dir",
               str(checkpoints), expect=None)
    assert_usage_error(done, f"--checkpoint-dir: {str(checkpoints)!r} already holds a "
                             "checkpoint (after epoch 4)",
                       f"--resume '{checkpoints}' continues it")
    assert {path.name: path.read_bytes() for path in checkpoints.iterdir()} == held
    # The advice works: the same run goes on from epoch 4.
    done = run("train", "--dataset", "iris", "--epochs", "6", "--no-early-stopping", "--json",
               "--resume", str(checkpoints))
    assert json.loads(done.stdout)["epochs"] == 6


@pytest.mark.parametrize("stopper", [["--no-early-stopping"], ["--optimizer", "lbfgs"]])
def test_validation_rows_nothing_stops_on_are_named_with_how_to_train_on_them(stopper):
    """Without early stopping the default --validation rows are only scored: a note
    says so and how to train on them; the advice works, and an explicit --validation
    gets no note."""
    common = ["train", "--dataset", "iris", "--epochs", "2", "--json", *stopper]
    done = run(*common)
    assert json.loads(done.stdout)["examples"] == {"train": 96, "validation": 24, "test": 30}
    assert ("the default --validation 0.2 still held out that fraction of the training "
            "rows, scored every epoch but never trained on; pass --validation 0 to train on "
            "them all" in done.stderr), done.stderr
    done = run(*common, "--validation", "0")
    assert json.loads(done.stdout)["examples"] == {"train": 120, "test": 30}
    assert "never trained on" not in done.stderr
    assert "never trained on" not in run(*common, "--validation", "0.2").stderr


def test_a_target_float32_cannot_resolve_asks_for_float64(tmp_path: Path) -> None:
    """Values of 1.7e9 that differ by tens: float32 steps there are 128 apart, so a
    float32 model would predict one constant (R^2 about 0) in the target's units."""
    rng = np.random.default_rng(0)
    x = rng.standard_normal((200, 2))
    y = 1.7e9 + 10 * (x[:, 0] + 0.5 * x[:, 1])
    assert np.unique(y.astype(np.float32)).size < 10  # what float32 makes of it
    data = tmp_path / "offset.csv"
    rows = zip(x.tolist(), y.tolist(), strict=True)
    data.write_text("a,b,y\n" + "".join(f"{a},{b},{t}\n" for (a, b), t in rows))
    out = tmp_path / "m.npz"
    done = run("train", str(data), "--target", "y", "--output", "regression", "--out", str(out),
               expect=None)
    assert_usage_error(done, "offset.csv, column 'y': the target's values reach 1.7e+09",
                       "in steps of 128; pass --dtype float64")
    assert not out.exists()
    summary = json.loads(run("train", str(data), "--target", "y", "--output", "regression",
                             "--dtype", "float64", "--out", str(out), "--json").stdout)
    assert summary["metrics"]["train+validation"]["r2"] > 0.9
    # A spread of thousands is resolved well enough by float32's steps of 128.
    wide = tmp_path / "wide.csv"
    rows = zip(x.tolist(), (1.7e9 + 3000 * (x[:, 0] + 0.5 * x[:, 1])).tolist(), strict=True)
    wide.write_text("a,b,y\n" + "".join(f"{a},{b},{t}\n" for (a, b), t in rows))
    summary = json.loads(run("train", str(wide), "--target", "y", "--output", "regression",
                             "--json").stdout)
    assert summary["metrics"]["train+validation"]["r2"] > 0.9


def test_divergence_exits_1_and_keeps_the_existing_model(tmp_path: Path) -> None:
    data = tmp_path / "big.csv"
    data.write_text("a,y\n" + "".join(f"{i * 1000},{i * 1e6}\n" for i in range(20)))
    out = tmp_path / "model.npz"
    out.write_bytes(b"previous model")
    done = run("train", str(data), "--target", "y", "--output", "regression", "--no-standardize",
               "--optimizer", "sgd", "--lr", "10", "--out", str(out), expect=1)
    assert "Traceback" not in done.stderr
    assert done.stderr.startswith("error: ") and "no model was written" in done.stderr
    # The advice names the command line's option, not the Python argument.
    assert "(--lr 10); try a smaller --lr, or leave out --no-standardize;" in done.stderr
    assert "learning_rate" not in done.stderr and "clip_norm" not in done.stderr
    assert out.read_bytes() == b"previous model"
    # Standardized, only the rate is to blame.
    done = run("train", str(data), "--target", "y", "--output", "regression",
               "--optimizer", "sgd", "--lr", "1e30", expect=1)
    assert "(--lr 1e+30); try a smaller --lr; no model was written" in done.stderr
    # L-BFGS sets its own steps: only the scaling is to blame.
    data.write_text("a,y\n" + "".join(f"{i}e35,{i}\n" for i in range(20)))
    done = run("train", str(data), "--target", "y", "--output", "regression", "--no-standardize",
               "--optimizer", "lbfgs", "--dtype", "float32", "--out", str(out), expect=1)
    assert done.stderr.startswith("error: training diverged: L-BFGS reached a non-finite loss")
    assert "; try to leave out --no-standardize; no model was written" in done.stderr
    assert "learning_rate" not in done.stderr and out.read_bytes() == b"previous model"


def test_out_directory_must_exist(tmp_path: Path) -> None:
    done = run("demo", "--out", str(tmp_path / "no" / "such" / "m.npz"), expect=None)
    assert_usage_error(done, "--out", "does not exist")


def test_bad_model_files(tmp_path: Path) -> None:
    data = tmp_path / "d.csv"
    data.write_text("a,b\n1,2\n")
    garbage = tmp_path / "garbage.npz"
    garbage.write_bytes(b"this is not a model")
    for command in (["predict", str(garbage), str(data)], ["info", str(garbage)],
                    ["evaluate", str(garbage), str(data), "--target", "b"]):
        assert_usage_error(run(*command, expect=None), "garbage.npz")
    assert_usage_error(run("info", str(tmp_path / "absent.npz"), expect=None), "absent.npz")


# ------------------------------------------------------- train / predict / evaluate
@pytest.fixture(scope="module")
def cancer_csv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """scikit-learn's breast-cancer table as a CSV with text labels (written by numpy)."""
    from sklearn.datasets import load_breast_cancer

    data = load_breast_cancer()
    path = tmp_path_factory.mktemp("cancer") / "cancer.csv"
    labels = np.asarray(data.target_names)[data.target]
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow([*data.feature_names, "diagnosis"])
        writer.writerows([*map(repr, row.tolist()), label] for row, label in zip(data.data, labels,
                                                                                 strict=True))
    return path


@pytest.fixture(scope="module")
def cancer_model(cancer_csv: Path) -> tuple[Path, dict]:
    """A model trained by the CLI (every row used: no validation split, fixed epochs)."""
    out = cancer_csv.parent / "cancer.model"  # any suffix: written to exactly this path
    done = run("train", str(cancer_csv), "--target", "diagnosis", "--hidden", "16",
               "--epochs", "15", "--validation", "0", "--no-early-stopping",
               "--out", str(out), "--json")
    return out, json.loads(done.stdout)


def header_of(path: Path) -> list[str]:
    return read_csv(path)[0]


def load_cancer_features(path: Path) -> tuple[np.ndarray, np.ndarray]:
    header, rows = read_csv(path)
    return np.array([r[:-1] for r in rows], dtype=float), np.array([r[-1] for r in rows])


def test_cli_model_predicts_in_python_exactly_as_the_cli(cancer_csv: Path,
                                                         cancer_model: tuple[Path, dict]) -> None:
    from lucidnet import io

    model_path, summary = cancer_model
    assert summary["task"] == "binary" and summary["classes"] == ["benign", "malignant"]
    assert summary["model"] == str(model_path) and summary["epochs"] == 15
    # The fit is part of the command's time, not all of it (loading, evaluating).
    assert 0 < summary["train_seconds"] < summary["seconds"]
    X, y = load_cancer_features(cancer_csv)
    loaded = io.load_file(model_path)
    # The stored scaling is the plain standardization of the training columns.
    np.testing.assert_allclose(loaded.input_scaling.mean, X.mean(axis=0), rtol=1e-12)
    np.testing.assert_allclose(loaded.input_scaling.scale, X.std(axis=0), rtol=1e-12)
    expected = loaded.model.predict(loaded.input_scaling.transform(X))
    proba = loaded.model.predict_proba(loaded.input_scaling.transform(X))

    header, rows = read_csv(run("predict", str(model_path), str(cancer_csv),
                                "--target", "diagnosis").stdout)
    assert header == ["diagnosis"]
    np.testing.assert_array_equal([r[0] for r in rows], expected)
    out = cancer_csv.parent / "proba.csv"
    run("predict", str(model_path), str(cancer_csv), "--target", "diagnosis", "--proba",
        "--out", str(out))
    header, rows = read_csv(out)
    assert header == ["proba_benign", "proba_malignant"]
    np.testing.assert_array_equal(np.array(rows, dtype=float), proba)  # exact round trip
    # lucidnet.load gives a Pipeline that standardizes raw features itself, and knows
    # the file's column names as one fitted on a DataFrame does.
    import pandas as pd

    pipeline = io.load(model_path)
    frame = pd.DataFrame(X, columns=header_of(cancer_csv)[:-1])
    np.testing.assert_array_equal(pipeline.predict_proba(frame), proba)
    with pytest.raises(ValueError, match="feature names should match"):
        pipeline.predict(frame[frame.columns[::-1]])
    with pytest.warns(UserWarning, match="does not have valid feature names"):
        np.testing.assert_array_equal(pipeline.predict_proba(X), proba)
    # Training on all rows for 15 epochs fits this easy table well.
    assert np.mean(expected == y) > 0.9


@pytest.mark.parametrize("command", [["predict", "--proba"], ["predict"], ["info"]])
def test_predict_and_info_do_not_import_scikit_learn(cancer_csv: Path,
                                                     cancer_model: tuple[Path, dict],
                                                     command: list[str]) -> None:
    """Its import takes about a second; predicting and describing need only NumPy."""
    model_path, _ = cancer_model
    name, *options = command
    args = [name, str(model_path), *([str(cancer_csv), "--target", "diagnosis"]
                                     if name == "predict" else []), *options]
    code = (
        "import sys; from lucidnet.cli import main\n"
        f"try:\n    main({args!r})\nexcept SystemExit as exc:\n    assert not exc.code\n"
        "print('SKLEARN', 'sklearn' in sys.modules)\n"
    )
    assert "SKLEARN False" in run(python_prefix=["-c", code]).stdout


def test_predict_reads_outputs_by_the_output_layer_not_by_free_metadata(tmp_path: Path) -> None:
    """A saved estimator predicts on the command line as in Python whatever its file's
    metadata says; a network file's metadata task must be one its output layer gives;
    a float32 network's probabilities are written in float32's digits."""
    import warnings

    from lucidnet import Network, save
    from lucidnet.estimators import NeuralNetClassifier

    rng = np.random.default_rng(0)
    X = rng.standard_normal((30, 3))
    y = np.array(["a", "b", "c"])[np.argmax(X, axis=1)]
    data = tmp_path / "X.csv"
    data.write_text("p,q,r\n" + "".join(",".join(map(repr, row)) + "\n" for row in X.tolist()))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        clf = NeuralNetClassifier((4,), max_iter=30, random_state=0).fit(X, y)
    save(clf, tmp_path / "clf.npz", metadata={"task": "binary"})
    _, rows = read_csv(run("predict", str(tmp_path / "clf.npz"), str(data)).stdout)
    assert [row[0] for row in rows] == clf.predict(X).tolist()

    softmax = Network([3, 4, 3], output_activation="softmax", dtype="float32", random_state=0)
    save(softmax, tmp_path / "net.npz", metadata={"task": "binary"})
    done = run("predict", str(tmp_path / "net.npz"), str(data), expect=2)
    assert "its metadata says task 'binary', which its output layer (3 softmax units)" in (
        done.stderr)
    save(softmax, tmp_path / "net.npz", metadata={"task": "image classification"})  # free text
    header, rows = read_csv(run("predict", str(tmp_path / "net.npz"), str(data),
                                "--proba").stdout)
    assert header == ["proba_0", "proba_1", "proba_2"]
    proba = softmax.predict_proba(X.astype(np.float32))
    assert [[float(np.float32(cell)) for cell in row] for row in rows] == proba.tolist()
    assert rows[0] == [str(v) for v in proba[0]]  # float32's shortest digits


def test_evaluate_and_info_on_a_cli_model(cancer_csv: Path,
                                          cancer_model: tuple[Path, dict]) -> None:
    from sklearn.metrics import accuracy_score, confusion_matrix, f1_score

    from lucidnet import io

    model_path, _ = cancer_model
    X, y = load_cancer_features(cancer_csv)
    loaded = io.load_file(model_path)  # predicts as `lucidnet predict` (tested above)
    predicted = loaded.model.predict(loaded.input_scaling.transform(X))
    report = json.loads(run("evaluate", str(model_path), str(cancer_csv), "--target",
                            "diagnosis", "--json").stdout)
    assert report["accuracy"] == pytest.approx(accuracy_score(y, predicted))
    assert report["f1"] == pytest.approx(f1_score(y, predicted, average="macro"))
    assert report["confusion_matrix"] == confusion_matrix(
        y, predicted, labels=["benign", "malignant"]).tolist()

    info = json.loads(run("info", str(model_path), "--json").stdout)
    assert info["layer_sizes"] == [30, 16, 1] and info["classes"] == ["benign", "malignant"]
    assert info["features"][0] == "mean radius" and info["input_scaling"] == "standardized"
    assert info["format_version"] == 1 and info["training"]["max_iter"] == 15
    assert info["unused_settings"] == ["max_fun", "momentum", "nesterovs_momentum",
                                       "power_t", "weight_decay"]  # the default adam's
    text = run("info", str(model_path)).stdout
    assert "Dense 2" in text and "\nbeta_1 " in text and "\nweight_decay " not in text
    assert ("not used by solver adam: max_fun, momentum, nesterovs_momentum, power_t, "
            "weight_decay") in text


def test_evaluate_names_the_models_target_when_the_file_lacks_it(
        cancer_csv: Path, cancer_model: tuple[Path, dict], tmp_path: Path) -> None:
    header, rows = read_csv(cancer_csv)
    keep = [j for j, name in enumerate(header) if name != "diagnosis"]
    unlabelled = tmp_path / "unlabelled.csv"
    unlabelled.write_text("\n".join(",".join(row[j] for j in keep)
                                    for row in [header, *rows]) + "\n")
    done = run("evaluate", str(cancer_model[0]), str(unlabelled), expect=None)
    assert_usage_error(done, "unlabelled.csv", "no column 'diagnosis' (the model's target)",
                       "--target")


def test_python_models_are_usable_by_the_cli(tmp_path: Path) -> None:
    import warnings

    from sklearn.datasets import load_iris
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.metrics import accuracy_score

    from lucidnet import Network, io
    from lucidnet.estimators import NeuralNetClassifier

    iris = load_iris()
    X, y = iris.data, np.asarray(iris.target_names)[iris.target]
    data = tmp_path / "iris.npz"
    np.savez(data, X=X, y=y)
    classifier = NeuralNetClassifier((8,), max_iter=20, random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        classifier.fit(X, y)
    io.save(classifier, tmp_path / "clf.npz")
    _, rows = read_csv(run("predict", str(tmp_path / "clf.npz"), str(data)).stdout)
    np.testing.assert_array_equal([r[0] for r in rows], classifier.predict(X))
    report = json.loads(run("evaluate", str(tmp_path / "clf.npz"), str(data), "--json").stdout)
    assert report["accuracy"] == pytest.approx(accuracy_score(y, classifier.predict(X)))
    assert report["labels"] == ["setosa", "versicolor", "virginica"]

    network = Network([4, 5, 3], output_activation="softmax", random_state=0)
    io.save(network, tmp_path / "net.npz")
    _, rows = read_csv(run("predict", str(tmp_path / "net.npz"), str(data)).stdout)
    np.testing.assert_array_equal(np.array(rows, dtype=int)[:, 0], network.predict(X))
    regression = Network([4, 2], output_activation="identity", random_state=0)
    io.save(regression, tmp_path / "reg.npz")
    assert_usage_error(run("predict", str(tmp_path / "reg.npz"), str(data), "--proba",
                           expect=None), "--proba needs a classifier", "reg.npz")
    small = tmp_path / "small.csv"
    small.write_text("a,b\n1,2\n")
    assert_usage_error(run("predict", str(tmp_path / "net.npz"), str(small), expect=None),
                       "small.csv", "expects 4 feature columns")
    text = run("evaluate", str(tmp_path / "clf.npz"), str(data)).stdout
    assert "accuracy" in text and "true virginica" in text


def test_regression_is_inferred_from_float_targets(tmp_path: Path) -> None:
    from sklearn.datasets import load_diabetes
    from sklearn.metrics import r2_score

    X, y = load_diabetes(return_X_y=True)
    data = tmp_path / "diabetes.csv"
    np.savetxt(data, np.column_stack([X, y]), delimiter=",", comments="",
               header=",".join([f"x{i}" for i in range(10)] + ["progression"]))
    model = tmp_path / "reg.npz"
    summary = json.loads(run("train", str(data), "--target", "progression", "--epochs", "5",
                             "--out", str(model), "--json").stdout)
    assert summary["task"] == "regression" and summary["classes"] is None
    from lucidnet import io

    loaded = io.load_file(model)
    predicted = loaded.model.predict(loaded.input_scaling.transform(X))
    report = json.loads(run("evaluate", str(model), str(data), "--target", "-1",
                            "--json").stdout)
    assert report["r2"] == pytest.approx(r2_score(y, predicted))
    assert report["rmse"] == pytest.approx(np.sqrt(np.mean((y - predicted) ** 2)))
    assert report["mae"] == pytest.approx(np.mean(np.abs(y - predicted)))


def test_task_inference_and_output_override(tmp_path: Path) -> None:
    data = tmp_path / "labels.csv"
    data.write_text("a,b,label\n" + "".join(f"{i},{i % 3},{i % 3}\n" for i in range(30)))
    summary = json.loads(run("train", str(data), "--target", "label", "--epochs", "2",
                             "--json").stdout)
    assert summary["task"] == "multiclass" and summary["classes"] == [0, 1, 2]
    assert summary["model"] is None  # nothing is written without --out
    assert_usage_error(run("train", str(data), "--target", "label", "--output", "binary",
                           expect=None), "--output binary", "3")
    text = tmp_path / "text.csv"
    text.write_text("a,label\n1,x\n2,y\n3,x\n4,y\n")
    assert_usage_error(run("train", str(text), "--target", "1", "--output", "regression",
                           expect=None), "--output regression", "text labels")


def test_demo_reports_test_accuracy_and_writes_nothing(tmp_path: Path) -> None:
    summary = json.loads(run("demo", "--epochs", "40", "--json", cwd=tmp_path).stdout)
    assert summary["data"] == "dataset:breast_cancer"
    assert set(summary["examples"]) == {"train", "validation", "test"}
    # 37% of the test rows are malignant: always guessing "benign" would score 0.63.
    assert summary["metrics"]["test"]["accuracy"] > 0.85
    assert list(tmp_path.iterdir()) == []


def test_train_dataset_with_plots(tmp_path: Path) -> None:
    plots = tmp_path / "plots"
    text = run("train", "--dataset", "moons", "--hidden", "8", "--epochs", "5",
               "--plot", str(plots), "--quiet").stdout
    assert "test accuracy" in text and "not saved" in text
    for name in ("loss", "confusion_matrix", "decision_boundary"):
        path = plots / f"{name}.png"
        assert f"plot {name}" in text and str(path) in text
        assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_plot_without_matplotlib_is_a_clear_error(tmp_path: Path) -> None:
    code = ("import sys; sys.modules['matplotlib'] = None\n"
            "from lucidnet.cli import main; main(sys.argv[1:])")
    out = tmp_path / "m.npz"
    done = run("train", "--dataset", "moons", "--plot", str(tmp_path / "p"), "--out", str(out),
               python_prefix=["-c", code], expect=None)
    assert_usage_error(done, "--plot", "pip install 'matplotlib>=3.7'")
    assert not out.exists()


def test_checkpoint_and_resume(tmp_path: Path) -> None:
    import inspect

    from lucidnet.estimators import NeuralNetClassifier

    if "checkpoint_dir" not in inspect.signature(NeuralNetClassifier.fit).parameters:
        pytest.skip("the estimators' fit does not take checkpoint_dir yet (see the CLI report)")
    checkpoints = tmp_path / "ck"
    first = json.loads(run("train", "--dataset", "iris", "--epochs", "3", "--no-early-stopping",
                           "--checkpoint-dir", str(checkpoints), "--json").stdout)
    assert first["epochs"] == 3 and any(checkpoints.iterdir())
    resumed = json.loads(run("train", "--dataset", "iris", "--epochs", "6", "--no-early-stopping",
                             "--resume", str(checkpoints), "--json").stdout)
    assert resumed["epochs"] == 6
    # --epochs counts every epoch: at or below the checkpoint's, nothing is trained.
    done = run("train", "--dataset", "iris", "--epochs", "4", "--no-early-stopping",
               "--resume", str(checkpoints), "--json")
    assert json.loads(done.stdout)["epochs"] == 6
    assert ("the checkpoint holds 6 epochs, and --epochs 4 counts every epoch" in done.stderr
            and "pass --epochs above 6" in done.stderr)
    # --resume on a directory without a checkpoint starts afresh, and says so.
    fresh = run("train", "--dataset", "iris", "--epochs", "2", "--no-early-stopping",
                "--resume", str(tmp_path), "--json")
    assert "holds no checkpoint yet; training from the start" in fresh.stderr
    assert json.loads(fresh.stdout)["epochs"] == 2
    # ... and one not made yet too: the same command then starts and resumes a run.
    new = tmp_path / "new" / "checkpoints"
    for epochs in (2, 3):
        done = run("train", "--dataset", "iris", "--epochs", str(epochs), "--no-early-stopping",
                   "--resume", str(new), "--json")
        assert json.loads(done.stdout)["epochs"] == epochs
        assert ("holds no checkpoint yet" in done.stderr) == (epochs == 2)


def test_predict_leaves_out_the_trained_target_column_by_itself(tmp_path):
    """A file that still holds the label column predicts without --target."""
    data = tmp_path / "iris.csv"
    model = tmp_path / "iris.npz"
    assert run("dataset", "iris", "--out", str(data)).returncode == 0
    assert run("train", str(data), "--target", "target", "--epochs", "5", "--quiet",
                   "--out", str(model)).returncode == 0
    explicit = run("predict", str(model), str(data), "--target", "target")
    implicit = run("predict", str(model), str(data))
    assert implicit.returncode == 0, implicit.stderr
    assert implicit.stdout == explicit.stdout and len(implicit.stdout.splitlines()) == 151


def test_predict_keeps_id_columns_as_written_beside_the_predictions(tmp_path):
    """A Kaggle submission (Id,SalePrice): the --keep columns come first, cell for cell
    as the file writes them (0001 stays 0001, a comma in quotes stays, a blank id
    stays blank), in CSV, Parquet and headerless files alike."""
    import pandas as pd

    rng = np.random.default_rng(3)
    n = 40
    frame = pd.DataFrame({"Id": [f"{i:04d}" for i in range(1, n + 1)],
                          "name": [f"Doe, J{i}" for i in range(n)],
                          "x": rng.normal(size=n).round(3), "z": rng.normal(size=n).round(3)})
    frame["label"] = np.where(frame.x + frame.z > 0, "yes", "no")
    frame.loc[5, "Id"] = ""
    frame.loc[6, "Id"] = "NA"  # Namibia's code, as written: not a missing value here
    frame.loc[7, "Id"] = " 0008 "
    data = tmp_path / "train.csv"
    frame.to_csv(data, index=False)
    model = tmp_path / "m.npz"
    run("train", str(data), "--target", "label", "--drop", "Id,name", "--epochs", "3",
        "--out", str(model))
    plain = read_csv(run("predict", str(model), str(data)).stdout)
    header, rows = read_csv(run("predict", str(model), str(data), "--keep", "name",
                                "--keep", "Id,name").stdout)
    assert header == ["name", "Id", "label"]  # in the order given, once each
    expected_ids = frame.Id.tolist()
    assert [row[1] for row in rows] == expected_ids and expected_ids[:2] == ["0001", "0002"]
    assert [row[0] for row in rows] == frame.name.tolist()
    assert [row[2:] for row in rows] == plain[1]
    proba = read_csv(run("predict", str(model), str(data), "--proba", "--keep", "0").stdout)
    assert proba[0] == ["Id", "proba_no", "proba_yes"]
    assert [row[0] for row in proba[1]] == expected_ids
    # Parquet holds the ids as numbers here: written as numbers, one per row.
    parquet = tmp_path / "new.parquet"
    frame.assign(Id=np.arange(100, 100 + n)).to_parquet(parquet)
    header, rows = read_csv(run("predict", str(model), str(parquet), "--keep", "Id").stdout)
    assert [row[0] for row in rows] == [str(i) for i in range(100, 100 + n)]
    done = run("predict", str(model), str(data), "--keep", "ID", expect=None)
    assert_usage_error(done, "--keep: no column 'ID'; did you mean 'Id'?")


def test_predict_ignores_a_blank_label_column(tmp_path):
    """New rows to predict often keep an empty label column: left out (by --target or
    as the model's own target), its cells are not read; evaluate still needs them."""
    data = tmp_path / "iris.csv"
    model = tmp_path / "iris.npz"
    assert run("dataset", "iris", "--out", str(data)).returncode == 0
    assert run("train", str(data), "--target", "target", "--epochs", "5", "--quiet",
               "--out", str(model)).returncode == 0
    expected = run("predict", str(model), str(data)).stdout
    lines = data.read_text().splitlines()
    for blank in ("", "NA", "?"):
        unlabelled = tmp_path / "new.csv"
        unlabelled.write_text("\n".join([lines[0], *(line.rsplit(",", 1)[0] + "," + blank
                                                     for line in lines[1:])]) + "\n")
        for args in ([], ["--target", "target"]):
            done = run("predict", str(model), str(unlabelled), *args)
            assert done.stdout == expected, (blank, args, done.stderr)
    done = run("evaluate", str(model), str(unlabelled), expect=2)
    assert "new.csv, line 2, column 'target': missing value" in done.stderr


def test_no_command_prints_the_help() -> None:
    done = run()
    assert done.returncode == 0 and "Commands:" in done.stdout and "\n" in done.stdout
    assert not done.stderr


def test_a_missing_output_directory_is_named(tmp_path: Path) -> None:
    target = tmp_path / "nodir" / "iris.csv"
    done = run("dataset", "iris", "--out", str(target), expect=2)
    # Worded as train's and predict's --out errors are.
    assert f"--out: the directory '{target.parent}' does not exist" in done.stderr
    assert ".tmp" not in done.stderr
    assert "Traceback" not in done.stderr and not target.parent.exists()


def test_regression_target_far_from_zero_is_learned_in_its_own_units(tmp_path: Path) -> None:
    """The CLI standardizes the target and folds the scaling back into the output layer."""
    from lucidnet import io

    rng = np.random.default_rng(3)
    X = rng.standard_normal((400, 3))
    y = 1000.0 + 50.0 * X[:, 0] - 30.0 * np.tanh(X[:, 1]) + rng.normal(0, 1.0, 400)
    data = tmp_path / "prices.csv"
    np.savetxt(data, np.column_stack([X, y]), delimiter=",", header="a,b,c,price", comments="")
    model = tmp_path / "prices.npz"
    done = run("train", str(data), "--target", "price", "--out", str(model), "--json",
               "--epochs", "100")
    summary = json.loads(done.stdout)
    assert summary["task"] == "regression"
    assert summary["metrics"]["train+validation"]["r2"] > 0.95
    header, rows = read_csv(run("predict", str(model), str(data)).stdout)
    cli_predictions = np.array([float(r[0]) for r in rows])
    assert abs(cli_predictions.mean() - 1000.0) < 5.0  # in the target's own units
    import pandas as pd

    python_predictions = io.load(model).predict(pd.DataFrame(X, columns=["a", "b", "c"]))
    np.testing.assert_allclose(python_predictions, cli_predictions, rtol=1e-6)
    # A float32 model's values, each written in float32's shortest digits: read back as
    # float32 they are exactly Python's predictions.
    exact = python_predictions.astype(np.float32)
    assert np.array_equal(exact, python_predictions)  # float32 values, widened exactly
    assert [r[0] for r in rows] == [str(v) for v in exact]
    np.testing.assert_array_equal(np.array([r[0] for r in rows], dtype=np.float32), exact)


@pytest.mark.parametrize(
    "rows,message",
    [
        ("1,2,x\n3,4,x\n5,6,x\n", r"column 'label': the target has one class only \(x\)"),
        ("1,2,x\n3,4,y\n5,6,x\n", r"class y has 1 row of 3, and --validation splits "
                                  r"them by class, two of each at least; add rows of that "
                                  r"class, remove its row, or pass --validation 0"),
        ("1,2,x\n2,3,x\n3,4,y\n4,5,y\n5,6,z\n6,7,z\n",
         r"6 rows in 3 classes are too few to split by class \(holding out 0.2 of them "
         r"leaves 2 held out and 4 to train on"),
        # Whole numbers, one of them once: maybe a count, so the regression hint too.
        ("".join(f"{i},{i + 1},{i % 3}\n" for i in range(39)) + "39,40,7\n",
         r"class 7 has 1 row of 40, and --validation splits them by class, two of "
         r"each at least; add rows of that class, remove its row, or pass --validation 0; "
         r"if the target is a quantity, not a class, pass --output regression"),
    ],
)
def test_too_few_examples_per_class_is_a_data_error(tmp_path: Path, rows: str, message: str):
    data = tmp_path / "tiny.csv"
    data.write_text("a,b,label\n" + rows)
    done = run("train", str(data), "--target", "label", expect=2)
    assert re.search(message, done.stderr) and "tiny.csv" in done.stderr
    assert "Traceback" not in done.stderr


def test_six_rows_in_two_classes_can_be_split_by_class(tmp_path: Path) -> None:
    """ceil(0.2 * 6) = 2 rows held out, one per class: scikit-learn's stratified split
    takes it, so the command line must not refuse it."""
    data = tmp_path / "six.csv"
    data.write_text("a,b,label\n1,2,x\n2,3,x\n3,4,x\n4,5,y\n5,6,y\n6,7,y\n")
    run("train", str(data), "--target", "label", "--epochs", "3", "-q")


def test_evaluate_names_labels_the_model_never_saw(tmp_path: Path) -> None:
    data = tmp_path / "iris.csv"
    model = tmp_path / "iris.npz"
    run("dataset", "iris", "--out", str(data))
    run("train", str(data), "--target", "target", "--epochs", "3", "--quiet", "--out", str(model))
    renamed = tmp_path / "renamed.csv"
    renamed.write_text(data.read_text().replace(",setosa\n", ",lion\n"))
    out = run("evaluate", str(model), str(renamed), "--target", "target").stdout
    assert "labels the model was not trained on (every such row counts as an error): lion" in out
    as_json = json.loads(run("evaluate", str(model), str(renamed), "--target", "target",
                             "--json").stdout)
    assert as_json["unseen_labels"] == ["lion"]
    # Whole-number classes: the unseen one is listed as "labels" lists it.
    numbered = tmp_path / "numbered.csv"
    rows = [line.rsplit(",", 1) for line in data.read_text().splitlines()[1:]]
    codes = {"setosa": "1", "versicolor": "2", "virginica": "3"}
    numbered.write_text("a,b,c,d,label\n" + "".join(f"{x},{codes[y]}\n" for x, y in rows))
    run("train", str(numbered), "--target", "label", "--epochs", "3", "-q", "--out", str(model))
    numbered.write_text(numbered.read_text().replace(",1\n", ",7\n", 1))
    report = json.loads(run("evaluate", str(model), str(numbered), "--json").stdout)
    assert report["labels"] == [1, 2, 3, 7] and report["unseen_labels"] == [7]


def test_evaluate_names_classes_without_rows_and_their_zero_recall(
        tmp_path: Path, cancer_csv: Path, cancer_model: tuple[Path, dict]) -> None:
    """Only benign rows: malignant counts in the macro averages only when some row is
    predicted malignant, with a recall of 0 (of 0) then: the macro recall is half of
    benign's recall, or benign's alone (worked out by hand, as scikit-learn's default
    averages)."""
    from lucidnet import io

    model_path, _ = cancer_model
    lines = cancer_csv.read_text().splitlines()
    benign = tmp_path / "benign.csv"
    benign.write_text("\n".join([lines[0], *[ln for ln in lines[1:] if ln.endswith(",benign")]])
                      + "\n")
    X, y = load_cancer_features(benign)
    loaded = io.load_file(model_path)
    benign_recall = np.mean(loaded.model.predict(loaded.input_scaling.transform(X)) == "benign")
    report = json.loads(run("evaluate", str(model_path), str(benign), "--target", "diagnosis",
                            "--json").stdout)
    assert report["absent_labels"] == ["malignant"]
    assert report["accuracy"] == pytest.approx(benign_recall)
    assert report["recall"] == pytest.approx(benign_recall / 2 if benign_recall < 1 else 1.0)
    single_class = tmp_path / "one.csv"  # every row right: scores of 1, not 1/2
    single_class.write_text("a,label\n" + "".join(f"{i},{'x' if i < 20 else 'y'}\n"
                                                 for i in range(40)))
    model = tmp_path / "one.npz"
    run("train", str(single_class), "--target", "label", "--validation", "0", "--epochs", "300",
        "--lr", "0.05", "--no-early-stopping", "--out", str(model), "-q")
    x_rows = tmp_path / "x.csv"
    x_rows.write_text("a,label\n0,x\n1,x\n2,x\n")
    scores = json.loads(run("evaluate", str(model), str(x_rows), "--json").stdout)
    assert scores["accuracy"] == 1.0 and scores["precision"] == scores["f1"] == 1.0
    out = run("evaluate", str(model_path), str(benign), "--target", "diagnosis").stdout
    assert "benign.csv has no rows of class malignant" in out
    # With both classes present there is nothing to say.
    both = run("evaluate", str(model_path), str(cancer_csv), "--target", "diagnosis").stdout
    assert "note:" not in both


def test_out_that_is_an_input_file_is_refused_and_the_input_kept(
        tmp_path: Path, cancer_csv: Path, cancer_model: tuple[Path, dict]) -> None:
    data = tmp_path / "victim.csv"
    data.write_bytes(cancer_csv.read_bytes())
    done = run("train", str(data), "--target", "diagnosis", "--epochs", "2", "--out", str(data),
               expect=2)
    assert "is the input file" in done.stderr and "Traceback" not in done.stderr
    assert data.read_bytes() == cancer_csv.read_bytes()
    model_path, _ = cancer_model
    before = model_path.read_bytes()
    for out in (model_path, cancer_csv):
        done = run("predict", str(model_path), str(cancer_csv), "--target", "diagnosis",
                   "--out", str(out), expect=2)
        assert "is the input file" in done.stderr
    assert model_path.read_bytes() == before


def test_an_unwritable_out_fails_before_training_and_names_the_path(tmp_path, monkeypatch):
    """The check creates a temporary file as the real write would (os.access is not
    enough: it says yes to root on a read-only file system)."""
    import errno
    import os

    from lucidnet import _atomic, _cli_output
    from lucidnet.errors import DataError

    def refuse(path, *args, **kwargs):
        raise PermissionError(errno.EACCES, "Permission denied", path)

    monkeypatch.setattr(_atomic.os, "open", refuse)
    message = r"--out: cannot write '.*model\.npz' \(Permission denied\)"
    with pytest.raises(DataError, match=message):
        _cli_output.check_output(str(tmp_path / "model.npz"), "--out")
    monkeypatch.undo()
    _cli_output.check_output(str(tmp_path / "model.npz"), "--out")
    assert os.listdir(tmp_path) == []  # the probe leaves nothing behind


def test_a_failing_plot_does_not_cost_the_saved_model(tmp_path, monkeypatch):
    from lucidnet import _cli_train, cli

    def broken_plots(*args, **kwargs):
        raise OSError(28, "No space left on device", str(tmp_path / "plots" / "loss.png"))

    monkeypatch.setattr(_cli_train, "_plots", broken_plots)
    from click.testing import CliRunner

    out = tmp_path / "iris.npz"
    result = CliRunner().invoke(cli.cli, ["train", "--dataset", "iris", "--epochs", "2",
                                          "--out", str(out), "--plot", str(tmp_path / "plots")])
    assert result.exit_code != 0 and out.exists()
    from lucidnet import io

    assert io.load_file(out).model.network_.layer_sizes[0] == 4


def test_threads_limits_every_blas_pool_while_the_command_runs(tmp_path, monkeypatch):
    """--threads N: while training runs, every BLAS library loaded (NumPy's and the
    fused step's SciPy one) reports N threads (threadpoolctl's own reading); after
    the command, as they were."""
    from click.testing import CliRunner
    from threadpoolctl import threadpool_info

    from lucidnet import _cli_train, cli

    def blas_threads() -> dict[str, int]:
        return {pool["filepath"]: pool["num_threads"] for pool in threadpool_info()
                if pool["user_api"] == "blas"}

    seen = []
    real_run = _cli_train.run

    def recording_run(options):
        seen.append(blas_threads())
        return real_run(options)

    monkeypatch.setattr(_cli_train, "run", recording_run)
    import scipy.linalg.blas  # noqa: F401  (both pools loaded before the first reading)
    from threadpoolctl import threadpool_limits

    # Two threads to start from (a test worker runs on one: see conftest.py).
    with threadpool_limits(2, user_api="blas"):
        before = blas_threads()
        if min(before.values()) < 2:
            pytest.skip("BLAS runs on one thread here: --threads 1 would change nothing")
        result = CliRunner().invoke(cli.cli, ["train", "--dataset", "iris", "--epochs", "2",
                                              "-q", "--threads", "1"])
        assert result.exit_code == 0, result.output
        assert seen and seen[0] and set(seen[0].values()) == {1}
        assert blas_threads() == before
    result = CliRunner().invoke(cli.cli, ["train", "--dataset", "iris", "--epochs", "2",
                                          "-q", "--threads", "0"])
    assert result.exit_code == 2 and "--threads" in result.output


def test_header_options_and_the_note_on_an_unclear_first_line(tmp_path: Path) -> None:
    """A headerless iris file in millimetres (whole numbers, as names such as years
    are): its first line is data, said on stderr; with --header it would be names and
    one row fewer.  In centimetres (5.1) it is data, no doubt."""
    labelled = tmp_path / "iris.csv"
    run("dataset", "iris", "--out", str(labelled))
    lines = labelled.read_text().splitlines()[1:]
    in_cm = tmp_path / "iris_cm.csv"
    in_cm.write_text("\n".join(lines) + "\n")
    done = run("train", str(in_cm), "--target", "4", "--epochs", "1", "--json")
    assert "note:" not in done.stderr and json.loads(done.stdout)["examples"]["train"] == 120
    headerless = tmp_path / "iris_no_header.csv"
    headerless.write_text("".join(
        ",".join([*(str(round(float(cell) * 10)) for cell in line.split(",")[:4]),
                  line.split(",")[4]]) + "\n" for line in lines))
    model = tmp_path / "m.npz"
    done = run("train", str(headerless), "--target", "4", "--epochs", "2", "--validation", "0",
               "--no-early-stopping", "--out", str(model), "--json")
    assert "line 1 (51,35,14,2,setosa) was read as data" in done.stderr
    assert json.loads(done.stdout)["examples"]["train"] == 150
    quiet = run("train", str(headerless), "--target", "4", "--no-header", "--epochs", "2",
                "--validation", "0", "--no-early-stopping", "--json")
    assert "note:" not in quiet.stderr
    as_names = run("train", str(headerless), "--target", "setosa", "--header", "--epochs", "2",
                   "--validation", "0", "--no-early-stopping", "--json")
    assert json.loads(as_names.stdout)["examples"]["train"] == 149
    header, rows = read_csv(run("predict", str(model), str(headerless), "--no-header").stdout)
    assert len(rows) == 150


def test_predict_keeps_a_feature_named_like_the_models_target(tmp_path: Path) -> None:
    """Trained on a headerless file with --target 0, the model's target is named "0";
    a headerless file of features alone also has a column "0", and it is a feature."""
    rows = [(i % 2, 1.0 + i % 2 + 0.1 * i, 2.0 - i % 2) for i in range(12)]
    labelled = tmp_path / "labelled.csv"
    labelled.write_text("".join(f"{y},{a},{b}\n" for y, a, b in rows))
    features = tmp_path / "features.csv"
    features.write_text("".join(f"{a},{b}\n" for _, a, b in rows))
    model = tmp_path / "m.npz"
    run("train", str(labelled), "--target", "0", "--epochs", "2", "--validation", "0",
        "--no-early-stopping", "--out", str(model), "-q")
    from_features = read_csv(run("predict", str(model), str(features)).stdout)
    from_labelled = read_csv(run("predict", str(model), str(labelled)).stdout)
    assert len(from_features[1]) == 12 and from_features == from_labelled


def test_json_has_null_for_an_undefined_metric_and_tiny_regressions_are_clear(
        tmp_path: Path) -> None:
    one = tmp_path / "one.csv"
    one.write_text("x,y\n1,2.5\n")
    done = run("train", str(one), "--target", "y", "--output", "regression", "--epochs", "2",
               expect=2)
    assert "1 row is too few to hold out --validation 0.2" in done.stderr
    done = run("train", str(one), "--target", "y", "--output", "regression", "--epochs", "2",
               "--validation", "0", "--json")
    summary = json.loads(done.stdout)  # strict JSON: no NaN
    assert summary["metrics"]["train"]["r2"] is None  # R^2 of one row is undefined
    assert "Warning" not in done.stderr
    text = run("train", str(one), "--target", "y", "--output", "regression", "--epochs", "2",
               "--validation", "0").stdout
    assert re.search(r"train r2\s+undefined", text)
    # A constant target in a file scored later: no variance to explain, no score (not
    # scikit-learn's conventional 0, which reads as one).
    model = tmp_path / "m.npz"
    many = tmp_path / "many.csv"
    many.write_text("x,y\n" + "".join(f"{i},{i / 2}\n" for i in range(10)))
    run("train", str(many), "--target", "y", "--epochs", "2", "--out", str(model), "-q")
    constant = tmp_path / "constant.csv"
    constant.write_text("x,y\n1,3.0\n2,3.0\n5,3.0\n")
    scores = json.loads(run("evaluate", str(model), str(constant), "--json").stdout)
    assert scores["r2"] is None and scores["mae"] > 0


def test_values_beyond_float32_are_named_or_standardized_safely(tmp_path: Path) -> None:
    rows = [(1, 2, "a"), (3, 4, "b"), (1e300, 2, "a"), (2, 3, "b"), (1, 1, "a"), (4, 4, "b"),
            (2, 2, "a"), (3, 3, "b"), (1, 2, "a"), (2, 1, "b")]
    data = tmp_path / "huge.csv"
    data.write_text("x1,x2,label\n" + "".join(f"{a},{b},{c}\n" for a, b, c in rows))
    done = run("train", str(data), "--target", "label", "--no-standardize", "--epochs", "2",
               expect=2)
    # Row 3 of the data is line 4 of the file (the header is line 1).
    assert ("huge.csv, line 4, column 'x1': 1e+300 is beyond the largest float32"
            in done.stderr)
    assert "Warning" not in done.stderr and "Traceback" not in done.stderr
    # Standardized, the same data trains: the scale is taken without squaring 1e300.
    model = tmp_path / "huge.npz"
    done = run("train", str(data), "--target", "label", "--epochs", "2", "--out", str(model),
               "-q")
    assert "Warning" not in done.stderr
    from lucidnet import io

    scaling = io.load_file(model).input_scaling
    # By hand: mean 1e299 (the others are negligible), deviations 9e299 once and
    # -1e299 nine times, so the variance is (81 + 9) e598 / 10 and the scale 3e299.
    assert scaling.mean[0] == pytest.approx(1e299, rel=1e-12)
    assert scaling.scale[0] == pytest.approx(3e299, rel=1e-12)


def test_evaluate_says_when_labels_differ_only_by_a_final_period(tmp_path: Path) -> None:
    """UCI's adult.test writes '>50K.' where adult.data writes '>50K'."""
    train = tmp_path / "adult.csv"
    train.write_text("age,income\n" + "".join(f"{a},{'>50K' if a > 40 else '<=50K'}\n"
                                              for a in range(20, 60)))
    model = tmp_path / "m.npz"
    run("train", str(train), "--target", "income", "--epochs", "1", "--out", str(model), "-q")
    test = tmp_path / "adult_test.csv"
    test.write_text("age,income\n30,<=50K.\n50,>50K.\n")
    done = run("evaluate", str(model), str(test), expect=None)
    assert_usage_error(done, "none of the target column's values (<=50K., >50K.)",
                       "differ from the model's classes only in case, spaces or a final period")
    test.write_text("age,income\n30,<=50K\n50,>50K.\n")  # one written as in training
    out = run("evaluate", str(model), str(test)).stdout
    assert ("labels the model was not trained on (every such row counts as an error): >50K.; "
            "they differ from the model's classes only in case") in out


def test_evaluate_matches_numeric_labels_to_text_classes_by_value(tmp_path: Path) -> None:
    """Trained on a column of "1.0", "2.0" and "x" (text classes); a file holding only
    1.0 and 2.0 reads them as numbers, which are still those classes."""
    rows = [(1.0 + 0.1 * k, "1.0") for k in range(5)] + [(2.0 + 0.1 * k, "2.0") for k in range(5)]
    rows += [(3.0 + 0.1 * k, "x") for k in range(5)]
    train = tmp_path / "mixed.csv"
    train.write_text("a,grade\n" + "".join(f"{a},{g}\n" for a, g in rows))
    model = tmp_path / "mixed.npz"
    run("train", str(train), "--target", "grade", "--epochs", "2", "--validation", "0",
        "--no-early-stopping", "--out", str(model), "-q")
    numeric = tmp_path / "numeric.csv"
    numeric.write_text("a,grade\n" + "".join(f"{a},{g}\n" for a, g in rows if g != "x"))
    report = json.loads(run("evaluate", str(model), str(numeric), "--target", "grade",
                            "--json").stdout)
    assert "unseen_labels" not in report and report["absent_labels"] == ["x"]
    header, predicted = read_csv(run("predict", str(model), str(numeric),
                                     "--target", "grade").stdout)
    truth = [g for _, g in rows if g != "x"]
    assert report["accuracy"] == pytest.approx(np.mean([p[0] == t for p, t in
                                                        zip(predicted, truth, strict=True)]))
    # "1" and "2" beside "x" read as text, written otherwise than "1.0": still those classes.
    renamed = tmp_path / "renamed.csv"
    renamed.write_text("a,grade\n" + "".join(f"{a},{g.replace('.0', '')}\n" for a, g in rows))
    report = json.loads(run("evaluate", str(model), str(renamed), "--target", "grade",
                            "--json").stdout)
    assert "unseen_labels" not in report


def test_evaluate_refuses_a_column_with_none_of_the_models_classes(
        tmp_path: Path, cancer_model: tuple[Path, dict], cancer_csv: Path) -> None:
    model_path, _ = cancer_model
    lines = cancer_csv.read_text().splitlines()
    priced = tmp_path / "priced.csv"
    priced.write_text("\n".join([lines[0]] + [ln.rsplit(",", 1)[0] + f",{10.5 + i}"
                                              for i, ln in enumerate(lines[1:])]) + "\n")
    done = run("evaluate", str(model_path), str(priced), "--target", "diagnosis", expect=2)
    assert re.search(r"none of the target column's values \((\d+\.5, ){5}\.\.\.\) is one of "
                     r"the model's classes \(benign, malignant\); is --target the labels' "
                     r"column\?", done.stderr)


def test_predict_on_parquet_leaves_out_the_text_label_column_as_on_csv(tmp_path: Path) -> None:
    pa = pytest.importorskip("pyarrow")
    import pyarrow.parquet as pq

    rng = np.random.default_rng(0)
    X = rng.standard_normal((40, 3))
    labels = np.where(X[:, 0] > 0, "yes", "no")
    data = tmp_path / "base.parquet"
    pq.write_table(pa.table({"a": X[:, 0], "b": X[:, 1], "c": X[:, 2], "label": labels}), data)
    as_csv = tmp_path / "base.csv"
    as_csv.write_text("a,b,c,label\n" + "".join(f"{a!r},{b!r},{c!r},{t}\n"
                                                 for (a, b, c), t in zip(X.tolist(), labels,
                                                                         strict=True)))
    model = tmp_path / "m.npz"
    run("train", str(data), "--target", "label", "--epochs", "2", "--out", str(model), "-q")
    assert run("predict", str(model), str(data)).stdout == \
        run("predict", str(model), str(as_csv)).stdout
    # A boolean target reads as False/True; a model with classes 0/1 (trained on 0/1
    # labels, or on such a column before it read as text) still scores it.
    flags = tmp_path / "flags.parquet"
    pq.write_table(pa.table({"a": X[:, 0], "b": X[:, 1], "c": X[:, 2], "y": X[:, 0] > 0}), flags)
    numbers = tmp_path / "numbers.csv"
    numbers.write_text("a,b,c,y\n" + "".join(f"{a!r},{b!r},{c!r},{int(a > 0)}\n"
                                              for a, b, c in X.tolist()))
    run("train", str(numbers), "--target", "y", "--epochs", "20", "--out", str(model), "-q")
    scores = [json.loads(run("evaluate", str(model), str(path), "--target", "y",
                             "--json").stdout)["accuracy"] for path in (flags, numbers)]
    assert scores[0] == scores[1]


@pytest.mark.parametrize(
    ("text", "args", "message"),
    [
        ('a,b,y\n"0,5",1,2\n"1,5",2,3\n', [], "got '0,5' (a decimal comma? write 0.5)"),
        ('a,b,y\n"0.5",1,2\n"1.250,5",2,3\n', [],
         "got '1.250,5' (thousands separators and a decimal comma? write 1250.5)"),
        ("a,b,y\n1,red,2\n2,blue,3\n", ["--no-one-hot"],
         "got 'red' (features must be numbers: encode text categories first"),
        # One-hot takes text columns, not a word among numbers (a typo).
        ("a,b,y\n1,2,2\n2,3,3\n3,4,4\n4,oops,5\n", [],
         "got 'oops' (the column is mostly numbers, so it is read as numbers; a column of "
         "text categories would be one-hot encoded; --drop b leaves it out)"),
        ("a,y\n1,0.5\n2,1.5\n3,2.5\n4,3.25\n5,4.5\n", ["--output", "binary"],
         "got 5 (use --output regression)"),
    ],
)
def test_data_errors_suggest_the_likely_fix(tmp_path: Path, text: str, args: list[str],
                                            message: str) -> None:
    data = tmp_path / "d.csv"
    data.write_text(text)
    done = run("train", str(data), "--target", "y", *args, expect=2)
    assert message in done.stderr


def test_swapped_model_and_data_arguments_are_pointed_out(cancer_csv: Path,
                                                          cancer_model: tuple[Path, dict]) -> None:
    model_path, _ = cancer_model
    done = run("predict", str(cancer_csv), str(model_path), expect=2)
    assert "not a lucidnet model file" in done.stderr
    assert "MODEL comes first, then DATA" in done.stderr
    # info takes one argument: no order to point out.
    done = run("info", str(cancer_csv), expect=2)
    assert "(a data file? give a model file)" in done.stderr


def test_the_loss_plot_gets_the_validation_cost(tmp_path, monkeypatch):
    pytest.importorskip("matplotlib")
    from click.testing import CliRunner

    from lucidnet import cli, plots

    seen = {}

    def record(history, path):
        seen["curves"] = plots._curves(history)

    monkeypatch.setattr(plots, "plot_history", record)
    # Early stopping (the default) trains with the validation rows, so the fit has
    # their cost per epoch.
    result = CliRunner().invoke(cli.cli, ["train", "--dataset", "iris", "--epochs", "4", "-q",
                                          "--plot", str(tmp_path / "plots")])
    assert result.exit_code == 0, result.output
    curves = seen["curves"]
    assert len(curves["loss"]) == len(curves["val_loss"]) == 4
    # Without early stopping the CLI's own validation rows are scored every epoch: the
    # last epoch's accuracy is the report's, computed by the evaluation (another path).
    result = CliRunner().invoke(cli.cli, ["train", "--dataset", "iris", "--epochs", "5", "-q",
                                          "--no-early-stopping", "--json",
                                          "--plot", str(tmp_path / "plots")])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    curves = seen["curves"]
    assert len(curves["loss"]) == len(curves["val_loss"]) == 5
    assert curves["val_accuracy"][-1] == pytest.approx(report["metrics"]["validation"]["accuracy"])


def test_test_size_holds_out_rows_of_a_data_file(tmp_path: Path, cancer_csv: Path) -> None:
    """--test-size on a file: scikit-learn's stratified split of its rows (seed as
    --seed) is never trained on, and the report's test scores are what `evaluate` gives
    on exactly those rows, written to a file of their own."""
    from sklearn.datasets import load_breast_cancer
    from sklearn.model_selection import train_test_split

    model = tmp_path / "m.npz"
    done = run("train", str(cancer_csv), "--target", "diagnosis", "--test-size", "0.3",
               "--epochs", "5", "--seed", "3", "--json", "--out", str(model))
    report = json.loads(done.stdout)
    data = load_breast_cancer()
    labels = np.asarray(data.target_names)[data.target]
    rows = np.arange(len(labels))
    _, test_rows = train_test_split(rows, test_size=0.3, random_state=3, stratify=labels)
    assert report["examples"]["test"] == len(test_rows) == 171
    assert sum(report["examples"].values()) == len(labels)
    names, lines = read_csv(cancer_csv)
    held_out = tmp_path / "held_out.csv"
    with held_out.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(names)
        writer.writerows(lines[i] for i in test_rows)
    scored = json.loads(run("evaluate", str(model), str(held_out), "--target", "diagnosis",
                            "--json").stdout)
    test = report["metrics"]["test"]
    for metric in ("accuracy", "precision", "recall", "f1"):
        assert scored[metric] == pytest.approx(test[metric], abs=1e-12), metric
    assert scored["confusion_matrix"] == test["confusion_matrix"]
    assert scored["labels"] == test["labels"]


def test_class_weight_balanced_lifts_a_rare_class(tmp_path: Path) -> None:
    """5% of rows in one class: weighted as scikit-learn's compute_sample_weight
    ("balanced") does, the held-out rows of the rare class are found more often, and
    the model file says how it was trained."""
    rng = np.random.default_rng(0)
    X = rng.normal(size=(3000, 4))
    score = X[:, 0] + 0.5 * X[:, 1] + rng.normal(scale=0.5, size=len(X))
    labels = np.where(score > 2.0, "rare", "common")
    path = tmp_path / "imbalanced.csv"
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["a", "b", "c", "d", "y"])
        writer.writerows([*map(repr, row.tolist()), label]
                         for row, label in zip(X, labels, strict=True))
    found = {}
    for weight in ("none", "balanced"):
        model = tmp_path / f"{weight}.npz"
        extra = ["--class-weight", weight] if weight != "none" else []
        report = json.loads(run("train", str(path), "--target", "y", "--epochs", "30",
                                "--test-size", "0.3", "--json", "--out", str(model),
                                *extra).stdout)
        test = report["metrics"]["test"]
        validation_names = list(report["metrics"]["validation"])
        assert validation_names == [("accuracy, class-weighted (best epoch)" if extra
                                     else "accuracy (best epoch)")]
        rare = test["labels"].index("rare")
        found[weight] = test["confusion_matrix"][rare][rare] / sum(test["confusion_matrix"][rare])
        info = json.loads(run("info", str(model), "--json").stdout)
        assert info["training"]["class_weight"] == (None if weight == "none" else "balanced")
    assert found["balanced"] > found["none"] + 0.2, found


def test_class_weight_on_a_regression_target_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "r.csv"
    path.write_text("a,y\n" + "".join(f"{i},{i * 0.37}\n" for i in range(20)))
    done = run("train", str(path), "--target", "y", "--class-weight", "balanced", expect=2)
    assert "--class-weight weighs the rows of each class; the task is regression" in done.stderr


def test_test_size_too_large_for_the_rows_names_the_option(tmp_path: Path) -> None:
    path = tmp_path / "r.csv"
    path.write_text("a,y\n1,1.5\n2,2.5\n3,3.5\n")
    done = run("train", str(path), "--target", "y", "--test-size", "0.9", expect=2)
    assert ("3 rows are too few to hold out --test-size 0.9 of them and still train; add "
            "rows or leave out --test-size") in done.stderr


def test_evaluate_with_a_wrong_feature_count_says_so(tmp_path: Path, cancer_csv: Path,
                                                     cancer_model: tuple[Path, dict]) -> None:
    """One column too many and a feature renamed: with a header the missing name is the
    problem; without one, the count (and maybe the labels' column)."""
    model_path, _ = cancer_model
    lines = cancer_csv.read_text().splitlines()
    assert lines[0].startswith("mean radius,")
    extra = tmp_path / "extra.csv"
    header = "extra," + lines[0].replace("mean radius,", "radius,", 1)
    extra.write_text("\n".join([header] + ["1," + ln for ln in lines[1:]]) + "\n")
    done = run("evaluate", str(model_path), str(extra), expect=2)
    assert ("the file lacks the model's feature column 'mean radius' (did you mean "
            "'radius' for 'mean radius'?)") in done.stderr
    headerless = tmp_path / "headerless.csv"
    headerless.write_text("\n".join("1," + ln.rsplit(",", 1)[0] for ln in lines[1:]) + "\n")
    done = run("predict", str(model_path), str(headerless), expect=2)
    assert ("the model expects 30 feature columns; the file has 31; pass --target COL if "
            "DATA also holds the labels (or an id the model was not trained on: --target "
            "leaves that column out)") in done.stderr
    # As it says: the extra first column left out, the rows are predicted.
    done = run("predict", str(model_path), str(headerless), "--target", "0")
    assert len(done.stdout.splitlines()) == len(lines)  # a header and a row per row


def test_a_whole_name_whose_pieces_are_columns_too_is_taken_with_a_note(tmp_path):
    """Columns a, b and 'a,b': --drop a,b and --keep a,b take the column 'a,b' (as
    --target does), with one note each saying how to name a and b; that works."""
    rng = np.random.default_rng(9)
    n = 40
    values = rng.normal(size=(n, 3)).round(3)
    rows = [f"{p},{q},{r},{int(p > 0)}" for p, q, r in values]
    data = tmp_path / "abc.csv"
    data.write_text('a,b,"a,b",y\n' + "\n".join(rows) + "\n")
    model = tmp_path / "m.npz"
    done = run("train", str(data), "--target", "y", "--drop", "a,b", "--epochs", "1",
               "--out", str(model))
    note = ("--drop 'a,b' is the column named so; for the columns 'a' and 'b', give them "
            "one by one: --drop a --drop b")
    assert done.stderr.count(note) == 1, done.stderr
    assert json.loads(run("info", str(model), "--json").stdout)["features"] == ["a", "b"]
    run("train", str(data), "--target", "y", "--drop", "a", "--drop", "b", "--epochs", "1",
        "--out", str(model))
    assert json.loads(run("info", str(model), "--json").stdout)["features"] == ["a,b"]
    done = run("predict", str(model), str(data), "--keep", "a,b")
    assert done.stderr.count("--keep 'a,b' is the column named so") == 1, done.stderr
    assert read_csv(done.stdout)[0] == ["a,b", "y"]


def test_evaluate_says_target_names_the_labels_not_an_id(tmp_path: Path) -> None:
    """evaluate's --target names the true values: for a headerless file of one column
    too many, it is not told that --target leaves out an id (that scored the id)."""
    rng = np.random.default_rng(8)
    n = 60
    islands = rng.choice(["Biscoe", "Dream"], n)
    x = rng.normal(size=n).round(3)
    labels = np.where(x > 0, "yes", "no")
    rows = [f"{i},{v},{c}" for i, v, c in zip(islands, x, labels, strict=True)]
    data, headerless = tmp_path / "pen.csv", tmp_path / "pen_nohdr.csv"
    data.write_text("island,x,label\n" + "\n".join(rows) + "\n")
    headerless.write_text("\n".join(rows) + "\n")
    model = tmp_path / "pen.npz"
    run("train", str(data), "--target", "label", "--epochs", "2", "--validation", "0",
        "--out", str(model))
    done = run("evaluate", str(model), str(headerless), expect=2)
    assert "pass --target COL if DATA also holds the labels" in done.stderr
    assert "or an id" not in done.stderr
    assert "accuracy" in run("evaluate", str(model), str(headerless), "--target", "2").stdout


def test_out_naming_a_directory_path_fails_before_training(tmp_path: Path) -> None:
    done = run("train", "--dataset", "iris", "--epochs", "2",
               "--out", str(tmp_path / "newdir") + "/", expect=2)
    assert "is a directory; give a file name" in done.stderr


def test_the_range_error_shows_the_value_as_read(tmp_path: Path, cancer_csv: Path,
                                                 cancer_model: tuple[Path, dict]) -> None:
    model_path, _ = cancer_model
    lines = cancer_csv.read_text().splitlines()
    fields = lines[1].split(",")
    fields[0] = "1e40"
    huge = tmp_path / "huge.csv"
    huge.write_text("\n".join([lines[0], ",".join(fields)]) + "\n")
    done = run("predict", str(model_path), str(huge), expect=2)
    assert re.search(r"huge.csv, line 2, column '[^']+': 1e\+40, standardized [0-9.e+]+, is "
                     r"beyond the largest float32", done.stderr)


def test_plot_directory_is_made_only_after_training(tmp_path: Path) -> None:
    pytest.importorskip("matplotlib")
    bad = tmp_path / "bad.csv"
    bad.write_text("a,y\n1,x\n")
    plots = tmp_path / "plots" / "deeper"
    run("train", str(bad), "--target", "y", "--plot", str(plots), expect=2)
    assert not (tmp_path / "plots").exists()


def test_a_plot_failing_after_the_save_says_the_model_was_saved(tmp_path, monkeypatch, capsys):
    from lucidnet import _cli_train, cli

    def broken_plots(*args, **kwargs):
        raise OSError(28, "No space left on device", "plots/loss.png")

    monkeypatch.setattr(_cli_train, "_plots", broken_plots)
    out = tmp_path / "iris.npz"
    with pytest.raises(SystemExit) as exited:
        cli.main(["train", "--dataset", "iris", "--epochs", "2", "-q", "--out", str(out),
                  "--plot", str(tmp_path / "p")])
    assert exited.value.code == 2 and out.exists()
    assert ("plots/loss.png: No space left on device (the model was saved to"
            in capsys.readouterr().err)


def test_a_stray_text_cell_in_a_numeric_target_is_named(tmp_path: Path) -> None:
    """One note among a regression target's numbers would make the column text, read as
    hundreds of classes; the cell is named instead (line, column), for train and
    evaluate.  Class labels that are numbers but one stay classification."""
    from sklearn.datasets import load_diabetes

    X, y = load_diabetes(return_X_y=True)
    rows = [",".join(map(repr, x)) + f",{t!r}" for x, t in zip(X.tolist(), y.tolist(),
                                                               strict=True)]
    header = ",".join(f"x{j}" for j in range(X.shape[1])) + ",target"
    clean = tmp_path / "clean.csv"
    clean.write_text("\n".join([header, *rows]) + "\n")
    rows[5] = rows[5].rsplit(",", 1)[0] + ",high"
    stray = tmp_path / "stray.csv"
    stray.write_text("\n".join([header, *rows]) + "\n")
    message = "stray.csv, line 7, column 'target': the target column holds numbers but 'high'"
    for output in ("auto", "regression"):
        done = run("train", str(stray), "--target", "target", "--output", output, expect=2)
        assert message in done.stderr, output
    model = tmp_path / "m.npz"
    run("train", str(clean), "--target", "target", "--epochs", "2", "-q", "--out", str(model))
    done = run("evaluate", str(model), str(stray), "--target", "target", expect=2)
    assert "stray.csv, line 7: the target column must hold numbers for a regression model; " \
           "got 'high'" in done.stderr
    labels = tmp_path / "labels.csv"
    labels.write_text("a,b,y\n" + "".join(f"{i},{i % 7},{i % 3 if i != 4 else 'other'}\n"
                                           for i in range(60)))
    done = run("train", str(labels), "--target", "y", "--epochs", "2", "-q", "--validation", "0")
    assert "multiclass (4 classes)" in done.stdout


def test_numbers_stored_as_text_in_the_target(tmp_path: Path) -> None:
    """No text cell to name: digit grouping is named, with the plain number; a target of
    numbers all stored as text (a Parquet string column) is read as labels, as before."""
    rows = "".join(f"{i},{i % 5},{i * 1.5}\n" for i in range(60))
    grouped = tmp_path / "g.csv"
    grouped.write_text("a,b,y\n" + rows.replace("\n6,1,9.0\n", "\n6,1,1_000\n"))
    done = run("train", str(grouped), "--target", "y", expect=2)
    assert ("line 8, column 'y': the target column holds numbers written with separators "
            "or a decimal comma, such as '1_000': write them as plain numbers (1000)"
            ) in done.stderr
    model = tmp_path / "m.npz"
    clean = tmp_path / "c.csv"
    clean.write_text("a,b,y\n" + rows)
    run("train", str(clean), "--target", "y", "--epochs", "2", "-q", "--out", str(model))
    done = run("evaluate", str(model), str(grouped), "--target", "y", expect=2)
    assert "line 8: the target column must hold numbers for a regression model; got " \
           "'1_000'" in done.stderr
    strings = tmp_path / "s.npz"
    np.savez(strings, X=np.arange(60.0).reshape(30, 2), y=np.array([f"{i}.5" for i in range(30)]))
    done = run("train", str(strings), expect=2)
    # Labels, as before (no traceback), one per row: no classes to learn.
    assert ("holds 30 distinct labels in 30 rows, more than one for every two rows: no "
            "classes to learn (numbers stored as text? store them as numbers for "
            "regression)") in done.stderr
    done = run("evaluate", str(model), str(strings), expect=2)
    assert "row 0 (0-based): the target column must hold numbers" in done.stderr


def test_running_out_of_memory_is_one_line(monkeypatch, capsys):
    """A network too big for the machine: NumPy's message (how much, what shape) on one
    line and status 1, not a traceback."""
    from lucidnet import Network, cli, estimators

    def too_big(*args, **kwargs):
        raise MemoryError("Unable to allocate 37.3 GiB for an array with shape "
                          "(10000900003,) and data type float32")

    # Whichever allocates first: the initial draws or the network's parameters.  (The
    # draws are patched where the estimators look them up, not in _sklearn_rules.)
    monkeypatch.setattr(estimators, "_sklearn_initial_parameters", too_big)
    monkeypatch.setattr(Network, "_build", too_big)
    with pytest.raises(SystemExit) as exited:
        cli.main(["train", "--dataset", "iris", "--hidden", "100000,100000", "-q"])
    assert exited.value.code == 1
    err = capsys.readouterr().err
    assert err == ("error: out of memory: Unable to allocate 37.3 GiB for an array with "
                   "shape (10000900003,) and data type float32\n")


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
def test_a_full_disk_is_named() -> None:
    for args in (["train", "--dataset", "iris", "--epochs", "2", "-q", "--out", "/dev/full"],
                 ["dataset", "iris", "--out", "/dev/full"]):
        done = run(*args, expect=2)
        assert "error: /dev/full: No space left on device" in done.stderr, args


def test_out_onto_a_plot_is_refused(tmp_path: Path) -> None:
    """--out may share the --plot directory, not a picture's name."""
    pytest.importorskip("matplotlib")
    plots = tmp_path / "plots"
    plots.mkdir()
    done = run("train", "--dataset", "iris", "--epochs", "2", "--out", str(plots / "loss.png"),
               "--plot", str(plots), expect=2)
    assert "is where --plot writes one of its pictures" in done.stderr
    assert not (plots / "loss.png").exists()
    run("train", "--dataset", "iris", "--epochs", "2", "-q", "--out", str(plots / "m.npz"),
        "--plot", str(plots))
    assert sorted(p.name for p in plots.iterdir()) == ["confusion_matrix.png", "loss.png",
                                                       "m.npz"]


def test_a_plot_directory_that_cannot_be_made_is_named(tmp_path, monkeypatch):
    """The directory to create is named, not a picture inside it that nobody asked for."""
    from lucidnet import _atomic, _cli_output
    from lucidnet.errors import DataError

    def denied(path):
        raise PermissionError(13, "Permission denied", path)

    monkeypatch.setattr(_atomic, "check_writable", denied)
    target = tmp_path / "ro" / "plots"
    target.parent.mkdir()
    with pytest.raises(DataError, match=r"--plot: cannot create '.*ro/plots' in '.*ro' "
                                        r"\(Permission denied\)"):
        _cli_output.check_output_directory(str(target), "--plot", "loss.png")


def test_out_onto_the_checkpoint_is_refused(tmp_path: Path) -> None:
    """The checkpoint file is rewritten every epoch: a model there would be lost, and a
    resumed run would find a model instead of a checkpoint."""
    ck = tmp_path / "ck"
    ck.mkdir()
    for name, option in (("checkpoint.npz", "--checkpoint-dir"), ("checkpoint.npz", "--resume"),
                         ("inputs.json", "--resume"), ("split.json", "--checkpoint-dir")):
        model = ck / name
        done = run("train", "--dataset", "iris", "--epochs", "2", "--out", str(model),
                   option, str(ck), expect=2)
        assert "is a file of the checkpoint in" in done.stderr, option
        assert not model.exists()
    # A file where a directory of --out's path should be.
    (tmp_path / "notes.txt").write_text("kept\n")
    done = run("train", "--dataset", "iris", "--out", str(tmp_path / "notes.txt" / "m.npz"),
               expect=2)
    assert "notes.txt' is a file, not a directory" in done.stderr


def test_outputs_that_overflow_are_refused_not_written(tmp_path: Path) -> None:
    """Inputs that fit float32 can still overflow inside the network: no NaN rows."""
    rng = np.random.default_rng(6)
    a = rng.normal(size=200)
    data = tmp_path / "reg.csv"
    data.write_text("a,y\n" + "".join(f"{v!r},{v * 1e30!r}\n" for v in a.tolist()))
    model = tmp_path / "reg.npz"
    run("train", str(data), "--target", "y", "--epochs", "20", "-q", "--out", str(model))
    queries = tmp_path / "q.csv"
    queries.write_text("a\n0.5\n1e30\n")
    done = run("predict", str(model), str(queries), expect=2)
    assert "q.csv, line 3: the model's output overflows" in done.stderr
    assert "Warning" not in done.stderr


def test_a_regression_target_beyond_float32_is_refused_before_training(tmp_path: Path) -> None:
    data = tmp_path / "big.csv"
    data.write_text("a,y\n" + "".join(f"{i},{i}e39\n" for i in range(1, 30)))
    done = run("train", str(data), "--target", "y", expect=2)
    assert "big.csv, line 2, column 'y': 1e+39 is beyond the largest float32" in done.stderr


@pytest.mark.parametrize("header", [True, False])
def test_a_range_error_names_the_rows_line_past_blank_lines(tmp_path: Path, header) -> None:
    """The line an editor shows: the header and blank lines counted, rows not."""
    rows = [f"{i},{i % 2}" for i in range(12)]
    rows[7] = "1e300,1"
    lines = (["x,y"] if header else []) + rows[:3] + ["", "  "] + rows[3:]
    data = tmp_path / "gaps.csv"
    data.write_text("\n".join(lines) + "\n")
    flag = "--header" if header else "--no-header"
    done = run("train", str(data), "--target", "y" if header else "1", flag,
               "--no-standardize", "--epochs", "2", expect=2)
    expected = lines.index("1e300,1") + 1
    assert f"gaps.csv, line {expected}, column '{'x' if header else '0'}': 1e+300" in done.stderr
    # An array file has no lines: the row is named.
    array = np.array([[float(v) for v in row.split(",")] for row in rows])
    np.save(tmp_path / "gaps.npy", array)
    done = run("train", str(tmp_path / "gaps.npy"), "--target", "1", "--no-standardize",
               "--epochs", "2", expect=2)
    assert "column '0': row 7 (0-based): 1e+300 is beyond the largest float32" in done.stderr


def test_predict_reads_a_first_line_of_the_models_feature_names_as_header(tmp_path: Path):
    rows = [(0.5 + i, 1.5 * i, 2.0 - i, i % 2) for i in range(20)]
    data = tmp_path / "years.csv"
    data.write_text("2019,2020,2021,label\n" + "".join(f"{a},{b},{c},{y}\n" for a, b, c, y in rows))
    model = tmp_path / "years.npz"
    run("train", str(data), "--header", "--target", "label", "--epochs", "2", "-q",
        "--out", str(model))
    features = tmp_path / "years_x.csv"
    features.write_text("2019,2020,2021\n" + "".join(f"{a},{b},{c}\n" for a, b, c, _ in rows))
    header, predicted = read_csv(run("predict", str(model), str(features)).stdout)
    assert len(predicted) == 20


def test_header_options_are_refused_where_there_is_no_first_line(tmp_path: Path) -> None:
    array = tmp_path / "rows.npy"
    np.save(array, np.random.default_rng(0).normal(size=(20, 3)))
    done = run("train", str(array), "--target", "2", "--no-header", "--epochs", "2", expect=2)
    assert "--no-header is for text files (.csv, .tsv, .txt, .data, .dat, .test); " in done.stderr
    assert "rows.npy is not one" in done.stderr
    done = run("train", "--dataset", "iris", "--header", expect=2)
    assert "--dataset has none" in done.stderr
    model = tmp_path / "m.npz"
    run("train", str(array), "--target", "2", "--epochs", "2", "-q", "--out", str(model))
    for command in ("predict", "evaluate"):
        done = run(command, str(model), str(array), "--target", "2", "--header", expect=2)
        assert "--header is for text files" in done.stderr


@pytest.mark.parametrize(("option", "fragment"), [
    (["--target", "species"], "--target names a DATA file's label column"),
    (["--impute", "mean"], "--impute fills in a DATA file's missing numbers"),
    (["--drop", "0"], "--drop leaves out columns of a DATA file"),
    (["--categorical", "0"], "--categorical encodes columns of a DATA file"),
])
def test_file_options_are_refused_with_a_built_in_data_set(option, fragment) -> None:
    assert_usage_error(run("train", "--dataset", "iris", *option, expect=None), fragment)


def test_a_target_that_names_a_numbered_column_elsewhere_is_pointed_out(tmp_path: Path) -> None:
    """'--target 3' is the column named "3" (read_table's rule); when the header holds
    numbers that is not the column at index 3, and the user is told how to get that."""
    rng = np.random.default_rng(0)
    X = rng.normal(size=(40, 3))
    data = tmp_path / "numbers.csv"
    data.write_text("1,2,3,4\n" + "".join(f"{a},{b},{c},{int(a > 0)}\n" for a, b, c in X))
    done = run("train", str(data), "--target", "3", "--epochs", "2")
    assert ("--target 3 is the column named '3' (index 2); for the column at index 3, pass "
            "its name: --target 4") in done.stderr
    assert "task                        regression" in done.stdout  # column '3' is a float
    done = run("train", str(data), "--target", "4", "--epochs", "2")
    assert "is the column named" not in done.stderr and "binary" in done.stdout


def test_a_headerless_file_with_the_labels_still_in_it_gets_the_right_advice(
        tmp_path: Path, cancer_csv: Path, cancer_model: tuple[Path, dict]) -> None:
    """Without a header the labels' column cannot be told by name (and a file with an
    id column first has the same width): refused, with the index the target had in
    the training file; --target then reads it."""
    model_path, _ = cancer_model
    headerless = tmp_path / "rows.csv"
    headerless.write_text("\n".join(cancer_csv.read_text().splitlines()[1:]) + "\n")
    done = run("predict", str(model_path), str(headerless), expect=2)
    assert ("rows.csv, line 1, column '30': expected a number, got 'malignant'"
            in done.stderr)
    assert ("DATA has 31 columns and the model takes 30: if one holds the labels, pass "
            "--target COL to leave it out (in the training file's layout, 'mean radius', "
            "'mean texture', 'mean perimeter', ..., 'worst symmetry', 'worst fractal "
            "dimension', 'diagnosis' (31 in all), the target 'diagnosis' was column 30: "
            "--target 30)") in done.stderr
    assert "--header" not in done.stderr  # the first line is not what went wrong
    assert "trained on numbers" not in done.stderr  # the model never read that column
    done = run("predict", str(model_path), str(headerless), "--target", "30")
    assert done.stdout.splitlines()[1:] == run(
        "predict", str(model_path), str(cancer_csv)).stdout.splitlines()[1:]
    done = run("predict", str(model_path), str(headerless), "--target", "30")
    assert len(done.stdout.splitlines()) == 1 + len(cancer_csv.read_text().splitlines()) - 1


def test_predict_reads_the_models_columns_by_name(tmp_path: Path, cancer_csv: Path,
                                                   cancer_model: tuple[Path, dict]) -> None:
    """A file with the features in another order, an id column of text and the labels
    first predicts what the training-ordered file does."""
    model_path, _ = cancer_model
    header, rows = read_csv(cancer_csv)
    order = [len(header) - 1, *range(len(header) - 2, -1, -1)]  # labels, then reversed
    shuffled = tmp_path / "shuffled.csv"
    with shuffled.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["patient id", *(header[j] for j in order)])
        writer.writerows([f"p{i}, ward 3", *(row[j] for j in order)] for i, row in enumerate(rows))
    expected = run("predict", str(model_path), str(cancer_csv), "--target", "diagnosis").stdout
    done = run("predict", str(model_path), str(shuffled))
    assert done.stdout == expected
    assert ("the model's feature columns were read by name (put back in the training order; "
            "left out: 'patient id')") in done.stderr
    evaluated = run("evaluate", str(model_path), str(shuffled), "--json")
    assert json.loads(evaluated.stdout)["accuracy"] == pytest.approx(
        json.loads(run("evaluate", str(model_path), str(cancer_csv), "--json").stdout)["accuracy"])


def test_a_header_of_numbers_is_matched_by_name(tmp_path: Path) -> None:
    """pandas writes a DataFrame's numbered columns as the header 0,1,2,...: trained on
    such a file, the model finds its features by those names in new rows (reordered,
    or behind the row labels of to_csv()), not by position."""
    rng = np.random.default_rng(1)
    X = rng.standard_normal((60, 4))
    y = X @ [3.0, 1.0, -1.0, -3.0]

    def write(name: str, header: list[str], columns: list[int], labels: bool) -> Path:
        path = tmp_path / name
        lines = [",".join(header)]
        lines += [",".join([*([str(i)] if labels else []), *(repr(float(row[j]))
                                                            for j in columns)])
                  for i, row in enumerate(np.column_stack([X, y]))]
        path.write_text("\n".join(lines) + "\n")
        return path

    train = write("train.csv", ["0", "1", "2", "3", "y"], [0, 1, 2, 3, 4], labels=False)
    model = tmp_path / "m.npz"
    run("train", str(train), "--target", "y", "--epochs", "3", "--out", str(model), "-q")
    rows = write("rows.csv", ["0", "1", "2", "3"], [0, 1, 2, 3], labels=False)
    reordered = write("reordered.csv", ["3", "2", "1", "0"], [3, 2, 1, 0], labels=False)
    indexed = write("indexed.csv", ["", "0", "1", "2", "3"], [0, 1, 2, 3], labels=True)
    expected = run("predict", str(model), str(rows)).stdout
    done = run("predict", str(model), str(reordered))
    assert done.stdout == expected
    assert "read by name (put back in the training order)" in done.stderr
    done = run("predict", str(model), str(indexed))
    assert done.stdout == expected
    assert "left out: 'Unnamed: 0'" in done.stderr


def test_columns_by_name_errors_and_headerless_models_stay_by_position(tmp_path: Path) -> None:
    rng = np.random.default_rng(0)
    X = rng.standard_normal((40, 3))
    y = X @ [1.0, -2.0, 0.5]

    def write(name: str, header: list[str] | None, columns: list[np.ndarray]) -> Path:
        path = tmp_path / name
        lines = [] if header is None else [",".join(header)]
        lines += [",".join(repr(float(v)) for v in row) for row in np.column_stack(columns)]
        path.write_text("\n".join(lines) + "\n")
        return path

    named = write("named.csv", ["a", "b", "c", "y"], [*X.T, y])
    model = tmp_path / "named.npz"
    run("train", str(named), "--target", "y", "--epochs", "2", "--out", str(model), "-q")
    typo = write("typo.csv", ["id", "a", "b", "C", "y"], [np.arange(40), *X.T, y])
    done = run("predict", str(model), str(typo), expect=2)
    assert ("the file lacks the model's feature column 'c' (did you mean 'C' for 'c'?); "
            "columns are matched by name, and the file's are 'id', 'a', 'b', 'C', 'y'"
            in done.stderr)
    done = run("evaluate", str(model), str(named), "--target", "a", expect=2)
    assert "--target 'a' is one of the model's feature columns" in done.stderr

    # Trained without a header and the target first: its features are named "1", "2",
    # "3", which in another headerless file are just positions, never names.
    plain = write("plain.csv", None, [y, *X.T])
    plain_model = tmp_path / "plain.npz"
    run("train", str(plain), "--target", "0", "--epochs", "2", "--out", str(plain_model), "-q")
    wider = write("wider.csv", None, [np.arange(40), y, *X.T])
    done = run("predict", str(plain_model), str(wider), expect=2)
    assert "the model expects 3 feature columns; the file has 5" in done.stderr
    # A file with a header: still by position (the model knows no names to match).
    titled = write("titled.csv", ["p", "q", "r", "target"], [*X.T, y])
    by_position = run("predict", str(plain_model), str(titled), "--target", "target").stdout
    untitled = write("untitled.csv", None, [*X.T])
    assert by_position == run("predict", str(plain_model), str(untitled)).stdout
    report = json.loads(run("evaluate", str(plain_model), str(titled), "--target", "target",
                            "--json").stdout)
    assert report["n_samples"] == 40
    # Numbers that are names (years in a header) are matched by name, not position.
    years = write("years.csv", ["2019", "2020", "2021", "y"], [*X.T, y])
    years_model = tmp_path / "years.npz"
    run("train", str(years), "--target", "y", "--epochs", "2", "--out", str(years_model), "-q")
    backwards = write("backwards.csv", ["2021", "2020", "2019", "y"], [*X.T[::-1], y])
    done = run("predict", str(years_model), str(backwards), "--target", "y")
    assert "read by name" in done.stderr
    assert done.stdout == run("predict", str(years_model), str(years), "--target", "y").stdout


# ------------------------------------------------------------------ --drop
def _iris_files(tmp_path: Path, header: bool) -> dict[str, Path]:
    """Iris with an id column first and string labels last, and the same rows without
    the id (the truth: a model trained on it must predict the same)."""
    from sklearn.datasets import load_iris

    iris = load_iris()
    ids = np.arange(len(iris.target)) * 7 + 1000
    labels = np.asarray(iris.target_names)[iris.target]
    names = ["id", "sl", "sw", "pl", "pw", "species"]
    files = {}
    for key, columns in {"with_id": slice(0, 6), "without_id": slice(1, 6),
                         "new": slice(0, 5)}.items():
        rows = [[str(i), *map(repr, x), label]
                for i, x, label in zip(ids, iris.data.tolist(), labels, strict=True)]
        lines = [",".join(row[columns]) for row in rows]
        if header:
            lines.insert(0, ",".join(names[columns]))
        files[key] = tmp_path / f"{key}.csv"
        files[key].write_text("\n".join(lines) + "\n")
    return files


def test_drop_leaves_a_named_column_out_as_if_the_file_lacked_it(tmp_path):
    files = _iris_files(tmp_path, header=True)
    common = ["--target", "species", "--hidden", "8", "--epochs", "20", "-q"]
    run("train", str(files["with_id"]), "--drop", "id", *common, "--out", str(tmp_path / "a.npz"))
    run("train", str(files["without_id"]), *common, "--out", str(tmp_path / "b.npz"))
    # New rows keep their id: the model's columns are found by name.
    dropped = run("predict", str(tmp_path / "a.npz"), str(files["new"]), "--proba")
    plain = run("predict", str(tmp_path / "b.npz"), str(files["without_id"]), "--proba")
    assert dropped.stdout == plain.stdout
    assert "left out: 'id'" in dropped.stderr
    info = json.loads(run("info", str(tmp_path / "a.npz"), "--json").stdout)
    assert info["features"] == ["sl", "sw", "pl", "pw"]


def test_a_number_that_names_another_columns_index_is_pointed_out(tmp_path: Path) -> None:
    """A header of numbers: --drop 2 is the column named '2' (index 1), as --target 2
    is; --target said so, --drop and --keep chose in silence."""
    rng = np.random.default_rng(0)
    x = rng.standard_normal((60, 3))
    data = tmp_path / "numbered.csv"
    data.write_text("1,2,3,4\n" + "".join(f"{a:.3f},{b:.3f},{c:.3f},{int(a > 0)}\n"
                                          for a, b, c in x.tolist()))
    model = tmp_path / "m.npz"
    done = run("train", str(data), "--target", "4", "--drop", "2", "--epochs", "2", "-q",
               "--json", "--out", str(model))
    assert ("--drop 2 is the column named '2' (index 1); for the column at index 2, pass "
            "its name: --drop 3") in done.stderr
    assert json.loads(done.stdout)["network"].startswith("2-")
    done = run("predict", str(model), str(data), "--keep", "1,3")
    assert "--keep 1 is the column named '1' (index 0)" in done.stderr
    assert "--keep 3 is the column named '3' (index 2)" in done.stderr
    assert done.stderr.count("--keep 1 is") == 1  # once, though --keep is read twice


def test_a_column_whose_name_holds_a_comma_is_named_whole(tmp_path: Path) -> None:
    """A spreadsheet's export names columns such as 'Income (USD, 2020)': given whole,
    --drop, --categorical and --keep take it as that one column (as --target does),
    beside comma-separated lists; the remedy a note prints runs as it is written."""
    import pandas as pd

    rng = np.random.default_rng(5)
    n = 60
    frame = pd.DataFrame({
        "Row id, original": np.arange(1000, 1000 + n),  # an id: a note suggests --drop
        "Income (USD, 2020)": rng.normal(50, 10, n).round(1),
        "Code (1, 2)": rng.integers(1, 3, n),
        "x": rng.normal(size=n).round(3),
    })
    frame["label"] = np.where(frame.x > 0, "yes", "no")
    data = tmp_path / "train.csv"
    frame.to_csv(data, index=False)
    model = tmp_path / "m.npz"
    first = run("train", str(data), "--target", "label", "--epochs", "2", "--out", str(model))
    suggested = re.search(r"out with (--drop '[^']*')", first.stderr)
    assert suggested and suggested.group(1) == "--drop 'Row id, original'", first.stderr
    run("train", str(data), "--target", "label", "--drop", "Row id, original",
        "--categorical", "Code (1, 2)", "--epochs", "2", "--out", str(model))
    info = json.loads(run("info", str(model), "--json").stdout)
    assert info["features"] == ["Income (USD, 2020)", "Code (1, 2)", "x"]
    assert info["layer_sizes"][0] == 4  # the codes 1 and 2 one-hot: two inputs
    # A list still splits, and a whole name may stand beside it in a second option.
    run("train", str(data), "--target", "label", "--drop", "x,2", "--drop",
        "Row id, original", "--epochs", "2", "--out", str(tmp_path / "n.npz"))
    n_info = json.loads(run("info", str(tmp_path / "n.npz"), "--json").stdout)
    assert n_info["features"] == ["Income (USD, 2020)"]
    header, rows = read_csv(run("predict", str(model), str(data), "--keep",
                                "Row id, original").stdout)
    assert header == ["Row id, original", "label"]
    assert [row[0] for row in rows] == [str(i) for i in range(1000, 1000 + n)]
    done = run("predict", str(model), str(data), "--keep", "Row id,original", expect=None)
    assert_usage_error(done, "--keep: no column 'Row id'")
    done = run("train", str(data), "--target", "label", "--drop", "x,Row id", expect=None)
    assert_usage_error(done, "--drop: no column 'Row id'; the column 'Row id, original' holds "
                       "a comma: give its whole name as a value of its own, --drop "
                       "'Row id, original'")


def test_a_remedy_naming_several_columns_pastes_as_it_is_written(tmp_path: Path) -> None:
    """Two id columns, and a third column named like the two joined: the note's
    --drop leaves out the ids (a joined 'a_id,b_id' would take the third instead), and
    a value with the spaces of a Parquet column's name names that column."""
    import pandas as pd

    rng = np.random.default_rng(6)
    n = 60
    frame = pd.DataFrame({"a_id": np.arange(n), "b_id": np.arange(n) + 500,
                          "a_id,b_id": rng.normal(size=n).round(3),
                          "user ": rng.normal(size=n).round(3)})
    frame["y"] = (frame["a_id,b_id"] > 0).astype(int)
    data = tmp_path / "ids.parquet"
    frame.to_parquet(data)
    model = tmp_path / "m.npz"
    first = run("train", str(data), "--target", "y", "--epochs", "1", "--out", str(model))
    assert "leave them out with --drop a_id --drop b_id" in first.stderr, first.stderr
    run("train", str(data), "--target", "y", "--epochs", "1", "--drop", "a_id", "--drop",
        "b_id", "--drop", "user ", "--out", str(model))
    info = json.loads(run("info", str(model), "--json").stdout)
    assert info["features"] == ["a_id,b_id"]


def test_drop_by_index_in_a_file_without_header_keeps_the_training_layout(tmp_path):
    files = _iris_files(tmp_path, header=False)
    common = ["--no-header", "--hidden", "8", "--epochs", "20", "-q"]
    run("train", str(files["with_id"]), "--target", "5", "--drop", "0", *common,
        "--out", str(tmp_path / "a.npz"))
    run("train", str(files["without_id"]), "--target", "4", *common,
        "--out", str(tmp_path / "b.npz"))
    truth = run("predict", str(tmp_path / "b.npz"), str(files["without_id"]), "--proba",
                "--no-header").stdout.splitlines()[1:]
    # The training layout, with its label column or without it (the id still first).
    for rows in (files["with_id"], files["new"]):
        done = run("predict", str(tmp_path / "a.npz"), str(rows), "--proba", "--no-header")
        assert done.stdout.splitlines()[1:] == truth
    evaluated = run("evaluate", str(tmp_path / "a.npz"), str(files["with_id"]), "--no-header",
                    "--json")
    assert json.loads(evaluated.stdout)["n_samples"] == 150
    short = tmp_path / "short.csv"
    short.write_text("\n".join(",".join(line.split(",")[:3])
                               for line in files["new"].read_text().splitlines()) + "\n")
    done = run("predict", str(tmp_path / "a.npz"), str(short), "--no-header", expect=2)
    assert_usage_error(done, str(short), "trained on 6 numbered columns",
                       "1 left out by --drop", "the file has 3")


@pytest.mark.parametrize(("drop", "fragments"), [
    ("idd", ["--drop: no column 'idd'", "did you mean 'id'?"]),
    ("species", ["column 'species' is the target"]),
    ("id,sl,sw,pl,pw", ["--drop leaves no feature column"]),
    ("9", ["--drop: no column '9'"]),
    ("id,,sl", ["expected comma-separated column names"]),
])
def test_drop_refuses_what_it_cannot_leave_out(tmp_path, drop, fragments):
    files = _iris_files(tmp_path, header=True)
    done = run("train", str(files["with_id"]), "--target", "species", "--drop", drop,
               "--out", str(tmp_path / "m.npz"), expect=2)
    assert "Traceback" not in done.stderr
    for fragment in fragments:
        assert fragment in done.stderr
    assert not (tmp_path / "m.npz").exists()


def test_drop_is_for_data_files(tmp_path):
    done = run("train", "--dataset", "iris", "--drop", "0", expect=2)
    assert "--drop leaves out columns of a DATA file" in done.stderr


@pytest.mark.parametrize("header", [True, False])
def test_unscaled_cli_model_knows_named_columns_in_python(tmp_path, header):
    """Without standardization the estimator itself carries the file's column names
    (only names the file gave: numbered columns stay an array's)."""
    import pandas as pd

    from lucidnet import io

    files = _iris_files(tmp_path, header=header)
    run("train", str(files["without_id"]), "--target", "species" if header else "4",
        "--no-standardize", "--epochs", "5", "-q", "--out", str(tmp_path / "m.npz"),
        *([] if header else ["--no-header"]))
    model = io.load(tmp_path / "m.npz")
    if header:
        assert model.feature_names_in_.tolist() == ["sl", "sw", "pl", "pw"]
        frame = pd.read_csv(files["without_id"]).drop(columns="species")
        with pytest.raises(ValueError, match="feature names should match"):
            model.predict(frame[frame.columns[::-1]])
    else:
        assert not hasattr(model, "feature_names_in_")


def test_numbers_named_classes_by_output_are_labels_matched_by_value(tmp_path):
    """--output binary on a column of two non-whole numbers (diabetes' scaled 'sex'):
    the numbers are the classes, and new rows' numbers match them by value."""
    from sklearn.datasets import load_diabetes

    frame = load_diabetes(as_frame=True).frame
    data = tmp_path / "diabetes.csv"
    frame.to_csv(data, index=False)
    model = tmp_path / "m.npz"
    summary = json.loads(run("train", str(data), "--target", "sex", "--output", "binary",
                             "--epochs", "5", "--json", "--out", str(model)).stdout)
    assert sorted(map(float, summary["classes"])) == sorted(frame["sex"].unique())
    header, rows = read_csv(run("predict", str(model), str(data)).stdout)
    predicted = np.array([float(row[0]) for row in rows])
    accuracy = json.loads(run("evaluate", str(model), str(data), "--json").stdout)["accuracy"]
    assert accuracy == pytest.approx(np.mean(predicted == frame["sex"].to_numpy()))


# ------------------------------------------------------ one-hot and imputation
def _penguin_like(tmp_path: Path) -> tuple[Path, Path, Any, Any]:
    """A table with two text columns and missing cells in both kinds of column, and new
    rows (another column order, an extra column, an unseen category, a missing number)."""
    import pandas as pd

    rng = np.random.default_rng(7)
    n = 240
    frame = pd.DataFrame({
        "island": rng.choice(["Biscoe", "Dream", "Torgersen"], n),
        "bill": rng.normal(44, 5, n).round(1),
        "mass": rng.normal(4000, 500, n).round(0),
        "sex": rng.choice(["female", "male"], n),
    })
    frame["species"] = np.where((frame.island == "Biscoe") & (frame.mass > 4000), "Gentoo",
                                np.where(frame.bill > 45, "Chinstrap", "Adelie"))
    frame.loc[[3, 10, 50], "mass"] = np.nan
    frame.loc[[5, 60], "sex"] = np.nan
    data = tmp_path / "penguins.csv"
    frame.to_csv(data, index=False)
    new = frame.drop(columns="species").iloc[:6].copy()
    new.loc[0, "island"] = "Atlantis"
    new.loc[1, "bill"] = np.nan
    new = new[["sex", "mass", "island", "bill"]].assign(note="x")
    rows = tmp_path / "new.csv"
    new.to_csv(rows, index=False)
    return data, rows, frame, new


def _sklearn_inputs(train: Any, rows: Any) -> np.ndarray:
    """The inputs scikit-learn's encoders make of ``rows``, column by column in the
    training order: OneHotEncoder (unknown and missing: all 0) and SimpleImputer(mean)."""
    import pandas as pd
    from sklearn.impute import SimpleImputer
    from sklearn.preprocessing import OneHotEncoder

    blocks = []
    for column in ["island", "bill", "mass", "sex"]:
        if not pd.api.types.is_numeric_dtype(train[column]):
            known = train[[column]].dropna()
            encoder = OneHotEncoder(handle_unknown="ignore", sparse_output=False).fit(known)
            blocks.append(encoder.transform(rows[[column]].fillna("?missing")))
        else:
            blocks.append(SimpleImputer(strategy="mean").fit(train[[column]])
                          .transform(rows[[column]]))
    return np.hstack(blocks)


def test_one_hot_inputs_stay_0_or_1_while_numbers_are_standardized(tmp_path):
    """scikit-learn's recipe, ColumnTransformer([StandardScaler on the numbers,
    OneHotEncoder on the text]): a rare category's input is 1, not ~sqrt(n)."""
    from sklearn.preprocessing import StandardScaler

    from lucidnet import io

    data, _, frame, _ = _penguin_like(tmp_path)
    model = tmp_path / "m.npz"
    run("train", str(data), "--target", "species", "--impute", "mean", "--epochs", "2",
        "--validation", "0", "--dtype", "float64", "--out", str(model))  # every row trains
    features = frame.drop(columns="species")
    inputs = _sklearn_inputs(features, features)  # island (3), bill, mass, sex (2)
    numbers = [3, 4]
    expected = inputs.copy()
    expected[:, numbers] = StandardScaler().fit_transform(inputs[:, numbers])
    standardize = io.load(model)["standardize"]
    np.testing.assert_allclose(standardize.transform(inputs), expected, rtol=1e-12, atol=1e-12)


@pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")  # the refits
def test_text_columns_are_one_hot_and_missing_numbers_imputed_as_scikit_learn_does(tmp_path):
    import pandas as pd

    from lucidnet import io

    data, rows, frame, new = _penguin_like(tmp_path)
    model = tmp_path / "m.npz"
    done = run("train", str(data), "--target", "species", "--impute", "mean", "--epochs", "30",
               "--dtype", "float64", "--out", str(model), "--json")
    assert ("one-hot encoded columns: 'island' (3 categories), 'sex' (2 categories)"
            in done.stderr)
    assert "missing numbers filled in with the column mean: 3 in 'mass'" in done.stderr
    assert json.loads(done.stdout)["network"].startswith("7-")
    predicted = run("predict", str(model), str(rows), "--proba")
    assert "1 in 'island'" in predicted.stderr  # the unseen category, said
    header, values = read_csv(predicted.stdout)
    # The saved model's scaling and estimator on scikit-learn's encoding of the rows.
    pipeline = io.load(model)
    assert [name for name, _ in pipeline.steps] == ["encode", "standardize", "model"]
    expected = pipeline[1:].predict_proba(_sklearn_inputs(frame.drop(columns="species"), new))
    np.testing.assert_allclose(np.array(values, dtype=float), expected, rtol=1e-12)
    # The whole loaded pipeline takes the file's own rows, as lucidnet predict does.
    loaded = pipeline.predict_proba(pd.read_csv(rows))  # with 'Atlantis' and blanks
    np.testing.assert_allclose(loaded, expected, rtol=1e-12)
    # ... and an array of the training columns, in their order.
    columns = pd.read_csv(rows)[["island", "bill", "mass", "sex"]].to_numpy()
    np.testing.assert_array_equal(pipeline.predict_proba(columns), loaded)
    with pytest.raises(ValueError, match=r"columns \['island', 'bill', 'mass', 'sex'\] .* "
                       r"or an array of those 4 columns in that order; got an array of shape "
                       r"\(\d+, 3\)"):
        pipeline.predict(columns[:, :3])
    # A clone refits on the columns by name or by position alike.
    from sklearn.base import clone

    train = pd.read_csv(data)
    labels = train.pop("species")
    by_name = clone(pipeline).fit(train, labels).predict_proba(pd.read_csv(rows))
    by_position = clone(pipeline).fit(train[["island", "bill", "mass", "sex"]].to_numpy(),
                                      labels).predict_proba(columns)
    np.testing.assert_array_equal(by_position, by_name)
    # ... and is saved again with its encoding (no pickle), a foreign first step not.
    io.save(pipeline, tmp_path / "again.npz")
    again = io.load(tmp_path / "again.npz")
    np.testing.assert_array_equal(again.predict_proba(pd.read_csv(rows)), loaded)
    from sklearn.compose import ColumnTransformer
    from sklearn.preprocessing import StandardScaler

    foreign = ColumnTransformer([("bill", StandardScaler(), ["bill"])]).fit(frame)
    pipeline.steps[0] = ("encode", foreign)
    with pytest.raises(TypeError, match="column 'bill' goes through StandardScaler"):
        io.save(pipeline, tmp_path / "foreign.npz")
    # The same rows from Parquet (text and null cells typed) predict the same.
    parquet = tmp_path / "new.parquet"
    pd.read_csv(rows).to_parquet(parquet)
    assert run("predict", str(model), str(parquet), "--proba").stdout == predicted.stdout
    info = json.loads(run("info", str(model), "--json").stdout)
    assert info["features"] == ["island", "bill", "mass", "sex"]
    assert info["one_hot"] == {"island": ["Biscoe", "Dream", "Torgersen"],
                               "sex": ["female", "male"]}
    assert info["impute"] == "mean"



def _coded_table(tmp_path: Path, n: int = 400) -> Path:
    """A label that depends on region codes 1, 2, 10, 11 in no order a number has (2
    and 11 flip it): learnable only with the codes as categories."""
    rng = np.random.default_rng(3)
    age = rng.uniform(20, 70, n).round(1)
    sex = rng.integers(1, 3, n)
    region = rng.choice([1, 2, 10, 11], n)
    y = ((age > 45) ^ np.isin(region, [2, 11])).astype(int)
    path = tmp_path / "codes.csv"
    path.write_text("age,sex,region,y\n" + "".join(
        f"{a},{s},{r},{t}\n" for a, s, r, t in zip(age, sex, region, y, strict=True)))
    return path


def test_categorical_one_hot_encodes_numeric_codes(tmp_path):
    import pandas as pd

    from lucidnet import io

    data = _coded_table(tmp_path)
    model = tmp_path / "m.npz"
    common = ["train", str(data), "--target", "y", "--epochs", "60", "--seed", "1", "--json"]
    plain = json.loads(run(*common).stdout)
    done = run(*common, "--categorical", "sex", "--categorical", "2", "--out", str(model))
    coded = json.loads(done.stdout)
    assert coded["network"].startswith("7-")  # age, sex 1/2, region 1/2/10/11
    # As numbers the regions teach nothing about the flip; as categories they do.
    assert plain["metrics"]["validation"]["accuracy (best epoch)"] < 0.75
    assert coded["metrics"]["validation"]["accuracy (best epoch)"] > 0.95
    info = json.loads(run("info", str(model), "--json").stdout)
    assert info["one_hot"] == {"sex": ["1", "2"], "region": ["1", "2", "10", "11"]}
    expected = run("predict", str(model), str(data)).stdout
    # Codes match by value ("2.0" is the category 2), and an unseen code is said.
    rows = pd.read_csv(data)
    floats = tmp_path / "floats.csv"
    rows.astype({"region": float}).to_csv(floats, index=False)
    assert run("predict", str(model), str(floats)).stdout == expected
    parquet = tmp_path / "codes.parquet"
    rows.to_parquet(parquet)
    assert run("predict", str(model), str(parquet)).stdout == expected
    unseen = tmp_path / "unseen.csv"
    rows.assign(region=5).head(3).to_csv(unseen, index=False)
    assert "3 in 'region'" in run("predict", str(model), str(unseen)).stderr
    # In Python the loaded model takes the file's own rows, ints or floats.
    labels = [int(line) for line in expected.splitlines()[1:]]
    pipeline = io.load(model)
    assert pipeline.predict(rows).tolist() == labels
    assert pipeline.predict(rows.astype({"sex": float})).tolist() == labels
    io.save(pipeline, tmp_path / "again.npz")
    assert io.load(tmp_path / "again.npz").predict(rows).tolist() == labels



def test_the_loaded_pipeline_reads_cells_as_the_command_line_does(tmp_path):
    """Stray spaces around a category, "?" for a missing number, True/False, a batch
    in which a text column holds only a number, codes given as floats: the loaded
    pipeline on pandas' reading of a file predicts what `lucidnet predict` does on it."""
    import pandas as pd

    from lucidnet import io

    rng = np.random.default_rng(5)
    n = 120
    frame = pd.DataFrame({
        "size": rng.choice(["S", "M", "L", "3"], n),
        "weight": rng.normal(5, 1, n).round(2).astype(object),
        "fresh": rng.choice(["True", "False"], n),
        "code": rng.choice([1, 2, 7], n),
    })
    frame["y"] = np.where((frame["size"] == "L") ^ (frame["code"] == 7), "a", "b")
    frame.loc[[4, 9], "weight"] = "?"
    train = tmp_path / "train.csv"
    frame.to_csv(train, index=False)
    model = tmp_path / "m.npz"
    run("train", str(train), "--target", "y", "--impute", "mean", "--categorical", "code",
        "--epochs", "5", "-q", "--out", str(model))
    pipeline = io.load(model)
    batches = {
        "spaces": frame.head(8).assign(size=lambda f: " " + f["size"] + " "),
        "numbers only": frame[frame["size"] == "3"].head(5),
        "no blanks": frame.drop(index=[4, 9]).head(6),
        "float codes": frame.head(6).assign(code=lambda f: f["code"].astype(float)),
    }
    for name, batch in batches.items():
        path = tmp_path / f"{name.replace(' ', '_')}.csv"
        batch.to_csv(path, index=False)
        expected = np.array(read_csv(run("predict", str(model), str(path), "--proba").stdout)[1],
                            dtype=float)
        got = pipeline.predict_proba(pd.read_csv(path))
        np.testing.assert_allclose(got, expected, rtol=1e-6, err_msg=name)
    with pytest.raises(ValueError, match="expected a number in a numeric column, got 'heavy'"):
        pipeline.predict(frame.head(3).assign(weight="heavy"))

@pytest.mark.parametrize(("args", "fragment"), [
    (["--categorical", "y"], "--categorical: column 'y' is the target"),
    (["--categorical", "regio"], "--categorical: no column 'regio'; did you mean 'region'?"),
    (["--categorical", "sex", "--drop", "sex"], "--categorical: column 'sex' is left out by"),
    (["--categorical", "sex", "--no-one-hot"], "it cannot go with --no-one-hot"),
    (["--categorical", "age"], "--categorical: the column holds 20 distinct numbers in 20 "
                               "rows: measurements rather than codes"),
])
def test_categorical_refuses_what_it_cannot_encode(tmp_path, args, fragment):
    data = _coded_table(tmp_path, n=20)
    assert_usage_error(run("train", str(data), "--target", "y", *args, expect=None), fragment)


def test_categorical_refuses_an_array_file(tmp_path):
    array = tmp_path / "codes.npy"
    np.save(array, np.loadtxt(_coded_table(tmp_path, n=20), delimiter=",", skiprows=1))
    done = run("train", str(array), "--target", "3", "--categorical", "1", expect=None)
    assert_usage_error(done, "--categorical reads columns as text categories, which only text")

def test_one_hot_and_imputation_refuse_what_they_cannot_encode(tmp_path):
    data, rows, frame, _ = _penguin_like(tmp_path)
    # Missing numbers without --impute: the error names the cell and the option.
    done = run("train", str(data), "--target", "species", expect=2)
    assert "line 5, column 'mass': missing value; pass --impute mean" in done.stderr
    # A text column of ids is no set of categories.
    ids = tmp_path / "ids.csv"
    frame.assign(name=[f"P{i}" for i in range(len(frame))]).to_csv(ids, index=False)
    done = run("train", str(ids), "--target", "species", "--impute", "median", expect=2)
    assert_usage_error(done, "column 'name'", "240 distinct texts in 240 rows",
                       "--drop name")
    # A model trained without --impute cannot predict a row with a missing number.
    model = tmp_path / "m.npz"
    complete = tmp_path / "complete.csv"
    frame.dropna().to_csv(complete, index=False)
    run("train", str(complete), "--target", "species", "--epochs", "3", "-q",
        "--out", str(model))
    done = run("predict", str(model), str(rows), expect=2)
    assert "the model was trained without --impute" in done.stderr
    assert "Traceback" not in done.stderr


def test_an_array_files_nan_is_a_missing_number_as_a_blank_cell_is(tmp_path):
    """In an .npy or .npz file a missing number is NaN: --impute fills it in with
    scikit-learn's SimpleImputer's value, and without it the error offers the same
    remedies as for a blank cell of a CSV file; a dropped column is not read."""
    from sklearn.datasets import load_wine
    from sklearn.impute import SimpleImputer

    from lucidnet import io

    X, y = load_wine(return_X_y=True)
    X[[5, 9], 2] = np.nan
    X[:, 3] = np.nan
    npy, npz = tmp_path / "wine.npy", tmp_path / "wine.npz"
    np.save(npy, np.column_stack([X, y]))
    np.savez(npz, X=X, y=y)
    common = ["--epochs", "3", "--dtype", "float64", "-q"]
    done = run("train", str(npy), "--target", "-1", *common, expect=2)
    assert_usage_error(done, "wine.npy, column '3': missing value (NaN) in row 0 (0-based); "
                       "every cell of the column is missing: leave it out with --drop 3")
    done = run("train", str(npz), "--drop", "3", *common, expect=2)
    assert_usage_error(done, "wine.npz, column '2': missing value (NaN) in row 5 (0-based); "
                       "pass --impute mean (or median) to fill in missing numbers")
    models = [tmp_path / "npy.npz", tmp_path / "npz.npz"]
    for source, model, target in zip([npy, npz], models, [["--target", "-1"], []], strict=True):
        done = run("train", str(source), *target, "--drop", "3", "--impute", "mean", *common,
                   "--out", str(model))
        assert "missing numbers filled in with the column mean: 2 in '2'" in done.stderr
    rows = tmp_path / "rows.npy"
    np.save(rows, X)
    predicted = [run("predict", str(model), str(rows), "--proba").stdout for model in models]
    assert predicted[0] == predicted[1]
    # Nor is an infinity in a column left out an error.
    X[:, 3] = np.inf
    np.save(rows, X)
    assert run("predict", str(models[0]), str(rows), "--proba").stdout == predicted[0]
    X[:, 3] = np.nan
    kept = np.delete(X, 3, axis=1)
    filled = SimpleImputer(strategy="mean").fit_transform(kept)
    expected = io.load(models[0])[1:].predict_proba(filled)
    np.testing.assert_allclose(np.array(read_csv(predicted[0])[1], dtype=float), expected,
                               rtol=1e-12)
    # A label is never filled in.
    np.save(npy, np.column_stack([kept, np.where(np.arange(len(y)) == 7, np.nan, y)]))
    done = run("train", str(npy), "--target", "-1", "--impute", "mean", *common, expect=2)
    assert_usage_error(done, "column '12': missing value (NaN) in row 7 (0-based); every row "
                       "needs its label")
    np.savez(npz, X=filled, y=np.where(np.arange(len(y)) == 7, np.nan, y))
    done = run("train", str(npz), "--impute", "mean", *common, expect=2)
    assert_usage_error(done, "wine.npz: array 'y' has a missing value (NaN) at element [7]")


@pytest.mark.parametrize("command", [["dataset", "iris"], ["predict", "MODEL", "DATA"]])
def test_csv_output_never_goes_to_a_model_file_path(cancer_csv, cancer_model, tmp_path,
                                                    command):
    """A model (or other binary) path given to a command that writes CSV is refused,
    and the file there is kept."""
    model_path, _ = cancer_model
    other = tmp_path / "other.npz"
    other.write_bytes(model_path.read_bytes())
    args = [{"MODEL": str(model_path), "DATA": str(cancer_csv)}.get(a, a) for a in command]
    done = run(*args, "--out", str(other), expect=2)
    assert_usage_error(done, "has the suffix of a model or binary data file", "give a .csv path")
    assert other.read_bytes() == model_path.read_bytes()



def test_prediction_output_follows_its_suffix(cancer_csv, cancer_model, tmp_path):
    """.tsv gets tabs (read back by the csv module as such); a suffix of another format
    (.json) is refused before any work, no suffix is CSV."""
    model_path, _ = cancer_model
    expected = read_csv(run("predict", str(model_path), str(cancer_csv), "--proba").stdout)
    tsv = tmp_path / "p.tsv"
    run("predict", str(model_path), str(cancer_csv), "--proba", "--out", str(tsv))
    rows = list(csv.reader(io.StringIO(tsv.read_text()), delimiter="\t"))
    assert (rows[0], rows[1:]) == expected
    plain = tmp_path / "predictions"
    run("predict", str(model_path), str(cancer_csv), "--proba", "--out", str(plain))
    assert read_csv(plain) == expected
    done = run("predict", str(model_path), str(cancer_csv), "--out", str(tmp_path / "p.json"),
               expect=2)
    assert_usage_error(done, "has the suffix '.json'", "give a .csv or .tsv path")
    assert not (tmp_path / "p.json").exists()


@pytest.mark.parametrize(("command", "first"), [
    (["dataset", "digits"], b"pixel_0_0,"),  # CSV rows, written by lucidnet
    (["explain"], None),  # a table echoed by click: the reader goes before it comes
])
def test_a_reader_that_stops_early_ends_the_command_quietly(command, first):
    """`lucidnet dataset digits | head -1`: status 141 (a writer killed by SIGPIPE), no
    error line and no traceback, whichever writes the output."""
    env = dict(os.environ)
    env["PYTHONPATH"] = SRC + os.pathsep + env.get("PYTHONPATH", "")
    with subprocess.Popen([sys.executable, "-m", "lucidnet", *command],
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env) as writer:
        assert writer.stdout is not None and writer.stderr is not None
        if first is not None:
            assert writer.stdout.readline().startswith(first)
        writer.stdout.close()  # the reader goes away with the output unread
        assert writer.wait(timeout=120) == 141
        assert writer.stderr.read() == b""


def test_files_of_the_wrong_kind_are_named_for_what_they_are(tmp_path, cancer_csv, cancer_model):
    """A gzip file named .csv, a model named .csv, a model given as DATA, and a model
    written to a .csv path: each said for what it is, not as text in another encoding."""
    import gzip

    model_path, _ = cancer_model
    packed = tmp_path / "packed.csv"
    packed.write_bytes(gzip.compress(cancer_csv.read_bytes()))
    done = run("train", str(packed), "--target", "diagnosis", expect=2)
    assert_usage_error(done, "not text but a gzip-compressed file: name it .csv.gz")
    renamed = tmp_path / "model.csv"
    renamed.write_bytes(model_path.read_bytes())
    assert_usage_error(run("predict", str(model_path), str(renamed), expect=2),
                       "not text but a zip archive (a .npz model or data file")
    as_npz = tmp_path / "model.npz"
    as_npz.write_bytes(model_path.read_bytes())
    assert_usage_error(run("predict", str(model_path), str(as_npz), expect=2),
                       "a lucidnet model file, not data")
    done = run("train", "--dataset", "iris", "--out", str(tmp_path / "m.csv"), expect=2)
    assert_usage_error(done, "has the suffix of a data file, but a model file is an .npz")


def test_notes_on_a_constant_text_column_and_a_coarse_float32_target(tmp_path):
    rng = np.random.default_rng(2)
    X = rng.normal(size=(60, 2))
    y = 1e6 + X[:, 0]  # float32 steps of 0.0625 next to a spread of 1
    data = tmp_path / "offset.csv"
    data.write_text("a,b,city,y\n" + "".join(f"{a},{b},Paris,{t}\n"
                                             for (a, b), t in zip(X.tolist(), y.tolist(),
                                                                  strict=True)))
    done = run("train", str(data), "--target", "y", "--epochs", "2", "-q")
    assert "'city' (1 category)" in done.stderr
    assert ("'city' holds the same text in every row: an input that teaches nothing; leave "
            "it out with --drop city") in done.stderr
    assert "float32 numbers 0.0625 apart near 1e+06" in done.stderr
    done = run("train", str(data), "--target", "y", "--epochs", "2", "-q", "--dtype", "float64")
    assert "float32 numbers" not in done.stderr


def test_notes_on_constant_numeric_columns(tmp_path):
    rng = np.random.default_rng(3)
    X = rng.normal(size=(30, 2))
    data = tmp_path / "c.csv"
    data.write_text("a,k,b,y\n" + "".join(f"{a},7.5,{b},{int(a > b)}\n" for a, b in X))
    done = run("train", str(data), "--target", "y", "--epochs", "2", "-q")
    assert ("c.csv: 'k' holds the same number in every row: an input that teaches "
            "nothing; leave it out with --drop k") in done.stderr
    # Many (an image's borders): counted, without a --drop per column.
    wide = tmp_path / "w.csv"
    names = [f"p{j}" for j in range(8)]
    wide.write_text(",".join([*names, "a", "y"]) + "\n" + "".join(
        "0," * 8 + f"{a},{int(a > 0)}\n" for a in X[:, 0]))
    done = run("train", str(wide), "--target", "y", "--epochs", "2", "-q")
    assert ("'p0', 'p1', 'p2', 'p3', 'p4' and 3 more hold the same number in every row: "
            "inputs that teach nothing\n") in done.stderr
    assert "'a' holds" not in done.stderr


def test_explain_without_biases_and_info_without_classes(tmp_path):
    done = run("explain", "--activation", "sigmoid", "--output-activation", "sigmoid",
               "--loss", "sum_squared_error", "--no-bias")
    assert "db" not in done.stdout and "dW1" in done.stdout
    assert_usage_error(run("explain", "--no-bias", expect=None), "--no-bias needs --activation")
    model = tmp_path / "r.npz"
    run("train", "--dataset", "diabetes", "--epochs", "2", "-q", "--out", str(model))
    assert re.search(r"^classes\s+-$", run("info", str(model)).stdout, re.MULTILINE)

def test_resuming_a_finished_checkpoint_says_so_only_when_it_fits(tmp_path):
    checkpoints = str(tmp_path / "ck")
    common = ["train", "--dataset", "iris", "--epochs", "3", "-q", "--no-early-stopping"]
    first = run(*common, "--checkpoint-dir", checkpoints)
    # Without early stopping every epoch runs: not a hint to raise --epochs.
    assert "3 (the limit: every epoch runs without --early-stopping)" in first.stdout
    done = run(*common, "--resume", checkpoints)
    assert "the checkpoint holds 3 epochs" in done.stderr and "nothing is left" in done.stderr
    assert "3 (the checkpoint's; nothing was left to train)" in done.stdout
    # Another network: the error alone, not a note about epochs before it.
    done = run(*common, "--resume", checkpoints, "--hidden", "8", expect=2)
    assert "its checkpoint is of a 4-64-32-3 network; this run makes a 4-8-3" in done.stderr
    assert "nothing is left" not in done.stderr


def test_drop_and_one_hot_in_a_headerless_file_with_the_target_inside(tmp_path):
    """Columns id, y, island, x1, x2, extra without a header: trained with --target 1
    --drop 0,5, new rows in that layout, with or without y, predict as a model trained
    on the file holding only island, x1, x2, y."""
    rng = np.random.default_rng(3)
    n = 90
    island = rng.choice(["Biscoe", "Dream", "Torgersen"], n)
    x = rng.normal(size=(n, 2))
    y = ((island == "Dream") ^ (x[:, 0] > 0)).astype(int)
    rows = [[str(i), str(y[i]), island[i], repr(float(x[i, 0])), repr(float(x[i, 1])),
             str(i % 7)] for i in range(n)]

    def write(name, columns):
        path = tmp_path / name
        path.write_text("".join(",".join(row[j] for j in columns) + "\n" for row in rows))
        return str(path)
    full, new, plain = write("full.csv", range(6)), write("new.csv", [0, 2, 3, 4, 5]), \
        write("plain.csv", [2, 3, 4, 1])
    common = ["--no-header", "--epochs", "10", "-q", "--hidden", "8"]
    run("train", full, "--target", "1", "--drop", "0,5", *common,
        "--out", str(tmp_path / "a.npz"))
    run("train", plain, "--target", "3", *common, "--out", str(tmp_path / "b.npz"))
    truth = run("predict", str(tmp_path / "b.npz"), plain, "--proba", "--no-header").stdout
    for data in (full, new):
        done = run("predict", str(tmp_path / "a.npz"), data, "--proba", "--no-header")
        assert done.stdout.splitlines()[1:] == truth.splitlines()[1:]
    # A file of another width: the count, before any cell is read as a number.
    short = write("short.csv", [2, 3])
    done = run("predict", str(tmp_path / "b.npz"), short, "--no-header", expect=2)
    assert_usage_error(done, "the model expects 3 feature columns; the file has 2")
    assert "--target" not in done.stderr  # leaving out a column cannot mend too few
    # The training layout with a header: its columns are not placed by position.
    headed = tmp_path / "headed.csv"
    headed.write_text("id,y,a,b,c,z\n" + Path(full).read_text())
    done = run("predict", str(tmp_path / "a.npz"), str(headed), "--target", "y", expect=2)
    assert_usage_error(done, "the model expects 3 feature columns; the file has 5 (the model "
                       "was trained on a file without a header of 6 columns, leaving out "
                       "columns 0,5 by --drop: give rows in that layout without a header line")


def test_a_column_of_dates_is_refused_with_the_drop_that_leaves_it(tmp_path):
    pd = pytest.importorskip("pandas")
    frame = pd.DataFrame({"a": np.arange(20.0), "y": np.arange(20) % 2,
                          "when": pd.date_range("2020-01-01", periods=20)})
    frame.to_parquet(tmp_path / "d.parquet")
    done = run("train", str(tmp_path / "d.parquet"), "--target", "y", expect=2)
    assert_usage_error(done, "column 'when': expected a numeric column, got type timestamp",
                       "leave it out with --drop when")


def test_a_text_column_with_no_text_is_refused_with_the_drop_that_leaves_it(tmp_path):
    pd = pytest.importorskip("pandas")
    frame = pd.DataFrame({"a": np.arange(20.0), "note": pd.Series([None] * 20, dtype="str"),
                          "y": np.arange(20) % 2})
    frame.to_parquet(tmp_path / "n.parquet")
    done = run("train", str(tmp_path / "n.parquet"), "--target", "y", expect=2)
    assert_usage_error(done, "column 'note'", "every cell of the text column is missing",
                       "--drop note")


def test_resuming_on_other_one_hot_inputs_is_refused(tmp_path):
    """Categories renamed between runs: the same number of inputs, other meanings."""
    data, _, frame, _ = _penguin_like(tmp_path)
    renamed = tmp_path / "renamed.csv"
    frame.replace({"island": {"Dream": "Dreamy"}}).to_csv(renamed, index=False)
    checkpoints = str(tmp_path / "ck")
    common = ["--target", "species", "--impute", "mean", "-q", "--no-early-stopping"]
    run("train", str(data), *common, "--epochs", "2", "--checkpoint-dir", checkpoints)
    done = run("train", str(renamed), *common, "--epochs", "4", "--resume", checkpoints,
               expect=2)
    assert done.stderr.splitlines()[-1].startswith("error: --resume ")
    assert ("the checkpoint was trained on other inputs (7 then, 7 now; input 2 was "
            "'island=Dream', is 'island=Dreamy')") in done.stderr
    run("train", str(data), *common, "--epochs", "4", "--resume", checkpoints)


def test_an_unknown_target_is_the_only_thing_said(tmp_path):
    """No note about columns read by name before the error about --target."""
    files = _iris_files(tmp_path, header=True)
    model = tmp_path / "m.npz"
    run("train", str(files["without_id"]), "--target", "species", "--epochs", "3", "-q",
        "--out", str(model))
    done = run("evaluate", str(model), str(files["with_id"]), "--target", "specie", expect=2)
    assert_usage_error(done, "no target column 'specie'", "did you mean 'species'?")


def test_a_missing_label_is_told_apart_from_a_missing_feature(tmp_path):
    data, _, frame, _ = _penguin_like(tmp_path)
    unlabelled = tmp_path / "unlabelled.csv"
    frame.assign(species=frame.species.mask(frame.index == 7)).to_csv(unlabelled, index=False)
    # --impute is for features: a row without its label says so, by name or index.
    for target in ("species", "4"):
        done = run("train", str(unlabelled), "--target", target, "--impute", "mean", expect=2)
        assert_usage_error(done, "line 9, column 'species': missing value",
                           "every row needs its label to train on")
    model = tmp_path / "m.npz"
    run("train", str(data), "--target", "species", "--impute", "mean", "--epochs", "3", "-q",
        "--out", str(model))
    done = run("evaluate", str(model), str(unlabelled), expect=2)
    assert_usage_error(done, "line 9, column 'species': missing value",
                       "scoring needs every row's label")
    assert run("predict", str(model), str(unlabelled)).stdout.count("\n") == len(frame) + 1


@pytest.mark.parametrize(("cell", "reading"), [
    ("0,{:03d}", "(0.376)"),  # a first group of 0: a decimal comma only
    ("{},90", "(376.90)"),  # two decimals: no thousands group
])
def test_a_target_with_a_decimal_comma_asks_for_a_decimal_point(tmp_path, cell, reading):
    data = tmp_path / "d.csv"
    values = [376 + 7 * i for i in range(60)]
    data.write_text("a,y\n" + "".join(f'{i},"{cell.format(v)}"\n' for i, v in enumerate(values)))
    done = run("train", str(data), "--target", "y", expect=2)
    assert_usage_error(done, "line 2, column 'y'", "or a decimal comma",
                       f"such as '{cell.format(376)}': write them as plain numbers {reading},")


def test_a_target_of_numbers_with_separators_asks_for_plain_numbers(tmp_path):
    """Thousands separators, among plain numbers too (values under 1000)."""
    rng = np.random.default_rng(0)
    data = tmp_path / "prices.csv"
    values = rng.integers(100_000, 900_000, 60)
    values[5] = 999  # written plainly
    data.write_text("a,price\n" + "".join(f'{i},"{v:,}"\n' for i, v in enumerate(values)))
    first = f"{values[0]:,}"
    for extra in ([], ["--output", "regression"]):
        done = run("train", str(data), "--target", "price", *extra, expect=2)
        assert_usage_error(done, "line 2, column 'price'",
                           "numbers written with separators or a decimal comma",
                           f"such as '{first}'", f"as plain numbers ({values[0]}, or "
                           f"{first.replace(',', '.')} if the comma is a decimal point)",
                           "or pass --output multiclass if they are class labels")


def test_every_column_of_free_text_is_named_at_once(tmp_path):
    rng = np.random.default_rng(1)
    n = 60
    rows = [f"Person {i},C{i},{rng.choice(['m', 'f'])},{i % 2}" for i in range(n)]
    data = tmp_path / "people.csv"
    data.write_text("Name,Cabin,Sex,y\n" + "\n".join(rows) + "\n")
    done = run("train", str(data), "--target", "y", expect=2)
    assert_usage_error(done, "column 'Name': the column holds 60 distinct texts in 60 rows",
                       "as do 'Cabin' (60)", "--drop Name --drop Cabin")
    run("train", str(data), "--target", "y", "--drop", "Name,Cabin", "--epochs", "2", "-q")


def test_a_numeric_id_column_is_pointed_out(tmp_path):
    """Distinct whole numbers in every row under an id's name (or pandas' row labels):
    a note with the --drop; other columns, distinct whole numbers too, are not named."""
    rng = np.random.default_rng(2)
    n = 40
    day = rng.permutation(n) + 1  # distinct whole numbers, but a measurement
    rows = [f"{1000 + 7 * i},{i},{day[i]},{rng.normal():.3f},{i % 2}" for i in range(n)]
    data = tmp_path / "ids.csv"
    data.write_text("PassengerId,Unnamed: 0,day,x,y\n" + "\n".join(rows) + "\n")
    done = run("train", str(data), "--target", "y", "--epochs", "2", "-q")
    assert ("'PassengerId', 'Unnamed: 0' hold a different whole number in every row (an "
            "id?); if so, leave them out with --drop PassengerId --drop 'Unnamed: 0'"
            ) in done.stderr
    done = run("train", str(data), "--target", "y", "--epochs", "2", "-q",
               "--drop", "PassengerId,Unnamed: 0")
    assert "an id?" not in done.stderr


def test_true_and_false_stay_categories_of_a_model_that_has_them(tmp_path):
    """A column of True/False/Unknown was one-hot encoded: rows holding only True and
    False are still those categories, not the numbers 1 and 0."""
    rng = np.random.default_rng(4)
    flags = rng.choice(["True", "False", "Unknown"], 90)
    x = rng.normal(size=90)
    rows = [f"{flag},{value:.4f},{int(flag == 'True')}" for flag, value in zip(flags, x,
                                                                            strict=True)]
    data, known = tmp_path / "flags.csv", tmp_path / "known.csv"
    data.write_text("flag,x,y\n" + "\n".join(rows) + "\n")
    known.write_text("flag,x,y\n" + "\n".join(r for r in rows if "Unknown" not in r) + "\n")
    model = tmp_path / "m.npz"
    run("train", str(data), "--target", "y", "--epochs", "3", "-q", "--out", str(model))
    whole = run("predict", str(model), str(data), "--proba").stdout
    part = run("predict", str(model), str(known), "--proba")
    assert "not trained on" not in part.stderr
    # Equal up to float32 rounding: BLAS may sum a row's products in another order
    # when the matrix has another number of rows.
    np.testing.assert_allclose(
        np.array(read_csv(part.stdout)[1], dtype=float),
        np.array([line for line, row in zip(read_csv(whole)[1], rows, strict=True)
                  if "Unknown" not in row], dtype=float), rtol=1e-5)


def test_checkpoint_inputs_describe_the_checkpoint_there(tmp_path):
    """The names beside a checkpoint change only with it: a run refused there leaves
    them, and a directory without a checkpoint starts afresh."""
    rng = np.random.default_rng(5)
    X = rng.normal(size=(60, 3))
    for name, header in (("a.csv", "a,b,c,y"), ("b.csv", "a,b,d,y")):
        (tmp_path / name).write_text(header + "\n" + "".join(
            f"{p:.4f},{q:.4f},{r:.4f},{int(p > 0)}\n" for p, q, r in X))
    ck = str(tmp_path / "ck")
    common = ["--target", "y", "--epochs", "2", "-q", "--no-early-stopping"]
    run("train", str(tmp_path / "a.csv"), *common, "--checkpoint-dir", ck)
    inputs = (tmp_path / "ck" / "inputs.json").read_text()
    done = run("train", str(tmp_path / "b.csv"), *common, "--checkpoint-dir", ck, expect=2)
    assert "already holds a checkpoint" in done.stderr
    assert (tmp_path / "ck" / "inputs.json").read_text() == inputs
    done = run("train", str(tmp_path / "b.csv"), *common, "--resume", ck, expect=2)
    assert "input 3 was 'c', is 'd'" in done.stderr
    run("train", str(tmp_path / "a.csv"), *common, "--epochs", "3", "--resume", ck)
    empty = tmp_path / "empty"
    empty.mkdir()
    (empty / "inputs.json").write_text('["a", "b", "c"]')
    run("train", str(tmp_path / "b.csv"), *common, "--resume", str(empty))


def test_lbfgs_at_its_limit_is_still_improving_without_early_stopping(tmp_path):
    done = run("train", "--dataset", "iris", "--optimizer", "lbfgs", "--epochs", "3",
               "--no-early-stopping", "-q")
    assert "3 (the limit; still improving: raise --epochs)" in done.stdout


def test_lbfgs_reports_the_rows_it_trained_on(tmp_path, cancer_csv):
    """L-BFGS ignores early stopping (as scikit-learn's): with or without it, the CLI
    holds out --validation rows only to report on them, the summary counts the rows
    the fit really used, and a stop on the solver's tolerance is convergence."""
    from sklearn.datasets import load_breast_cancer

    n = len(load_breast_cancer().target)
    weights = []
    for stopping in ("--early-stopping", "--no-early-stopping"):
        model = tmp_path / f"{stopping}.npz"
        report = json.loads(run("train", str(cancer_csv), "--target", "diagnosis",
                                "--optimizer", "lbfgs", "--epochs", "400", stopping,
                                "--json", "--out", str(model)).stdout)
        assert report["examples"] == {"train": n - math.ceil(0.2 * n),
                                      "validation": math.ceil(0.2 * n)}
        assert set(report["metrics"]) == {"train", "validation"}
        assert "accuracy" in report["metrics"]["validation"]
        assert not report["stopped_early"]
        with np.load(model) as archive:
            weights.append(archive["params"])
    np.testing.assert_array_equal(weights[0], weights[1])
    done = run("train", str(cancer_csv), "--target", "diagnosis", "--optimizer", "lbfgs",
               "--epochs", "5000", "--validation", "0")
    assert re.search(r"epochs +\d+ \(converged\)", done.stdout), done.stdout


@pytest.mark.parametrize(("cell", "said"), [
    ("${:,.2f}", "numbers written with a currency sign, such as '$1,{:03d}.50': write them "
                 "as plain numbers (1{:03d}.50)"),
    ("{:.0f}%", "numbers written with a percent sign"),
])
def test_a_target_of_formatted_numbers_asks_for_plain_ones(tmp_path, cell, said):
    """Read as text, "$1,234.50" or "45%" would be a class per value."""
    values = [1000.5 + 7 * i for i in range(60)]
    cells = [cell.format(v if "$" in cell else v / 20) for v in values]
    path = tmp_path / "t.csv"
    path.write_text("a,y\n" + "".join(f"{i},\"{c}\"\n" for i, c in enumerate(cells)))
    for output in ("auto", "regression"):
        done = run("train", str(path), "--target", "y", "--output", output, expect=2)
        assert "line 2, column 'y': the target column holds " in done.stderr
        assert said.format(0, 0) in done.stderr


def test_a_feature_of_formatted_numbers_is_not_one_hot_encoded(tmp_path):
    path = tmp_path / "t.csv"
    # Accounting negatives among plain numbers, percentages; labels of a list "(1)",
    # "(2)" alone are categories like any other.
    rows = "".join(f"{i % 30 + 1}%,{f'({i % 7})' if i % 4 else i % 5},({i % 3}),{i * 0.5}\n"
                   for i in range(90))
    path.write_text("rate,loss,item,y\n" + rows)
    done = run("train", str(path), "--target", "y", expect=2)
    assert ("column 'rate': the column holds numbers written as text, such as '1%' (a number "
            "written with a percent sign? write 1 (or 0.01 as a fraction)), as do 'loss'; "
            "write them as plain numbers, or leave them out with --drop rate --drop loss"
            ) in done.stderr
    done = run("train", str(path), "--target", "y", "--drop", "rate,loss", "--epochs", "1",
               "-q")
    assert "one-hot encoded columns: 'item' (3 categories)" in done.stderr


def test_a_text_target_with_a_label_per_row_is_refused(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("a,name\n" + "".join(f"{i * 0.3},person{i % 70}\n" for i in range(100)))
    done = run("train", str(path), "--target", "name", "--validation", "0", expect=2)
    assert ("holds 70 distinct labels in 100 rows, more than one for every two rows: no "
            "classes to learn (a column of ids, names or free text?); pass --output "
            "multiclass to train on them anyway") in done.stderr
    run("train", str(path), "--target", "name", "--validation", "0", "--output", "multiclass",
        "--epochs", "1", "-q")


def test_a_header_is_said_to_go_unused_by_a_model_of_numbered_columns(tmp_path):
    """Trained without a header, a model takes a headered file's columns by position
    (their names cannot be matched): said on stderr, with the names in the order
    used; the prediction column is "prediction", not the target's column number."""
    rng = np.random.default_rng(2)
    X = rng.normal(size=(200, 3)).round(4)
    labels = (X[:, 0] > 0).astype(int)
    plain = tmp_path / "plain.csv"
    plain.write_text("".join(f"{a},{b},{c},{y}\n" for (a, b, c), y in zip(X, labels,
                                                                         strict=True)))
    named = tmp_path / "named.csv"
    named.write_text("z,y,x\n" + "".join(f"{c},{b},{a}\n" for a, b, c in X))
    model = tmp_path / "m.npz"
    run("train", str(plain), "--target", "3", "--epochs", "2", "-q", "--out", str(model))
    done = run("predict", str(model), str(named))
    assert ("named.csv: the model was trained on columns without names, so these are taken "
            "by position, in the training order: 'z', 'y', 'x'") in done.stderr
    done = run("predict", str(model), str(plain))
    assert done.stdout.splitlines()[0] == "prediction"
    assert "without names" not in done.stderr


def test_small_splits_and_empty_columns_name_the_fix(tmp_path):
    """Two regression rows cannot give two validation rows to score; a column with no
    value at all is for --drop, not --impute; with a test split, a class left with one
    row is counted among the rows the test split leaves."""
    two = tmp_path / "two.csv"
    two.write_text("a,y\n1,1.5\n2,2.5\n")
    done = run("train", str(two), "--target", "y", expect=2)
    assert ("two.csv, column 'y': 2 rows are too few to hold out --validation 0.2 of them "
            "(1 row; scoring needs two) and still train; add rows or pass --validation 0"
            ) in done.stderr
    empty = tmp_path / "empty.csv"
    empty.write_text("a,notes,y\n1,,0\n3,,1\n5,,0\n7,,1\n")
    done = run("train", str(empty), "--target", "y", expect=2)
    assert ("line 2, column 'notes': missing value; every cell of the column is missing: "
            "leave it out with --drop notes") in done.stderr
    sparse = tmp_path / "sparse.csv"
    sparse.write_text("a,notes,y\n1,,0\n3,4,1\n5,,0\n7,,1\n")
    done = run("train", str(sparse), "--target", "y", expect=2)
    assert "pass --impute mean (or median) to fill in missing numbers" in done.stderr


def test_text_in_a_column_the_model_took_as_numbers_says_so(tmp_path):
    """Trained on TRUE/FALSE (read as 1/0), a file of yes/no is told what the model
    takes, not to encode text itself."""
    rows = "".join(f"{i},{'TRUE' if i % 3 else 'FALSE'},{i % 2}\n" for i in range(40))
    trained = tmp_path / "tf.csv"
    trained.write_text("a,flag,y\n" + rows)
    other = tmp_path / "yn.csv"
    other.write_text("a,flag,y\n" + rows.replace("TRUE", "yes").replace("FALSE", "no"))
    model = tmp_path / "m.npz"
    run("train", str(trained), "--target", "y", "--epochs", "2", "-q", "--out", str(model))
    done = run("predict", str(model), str(other), expect=2)
    assert ("yn.csv, line 2, column 'flag': expected a number, got 'no' (the model was "
            "trained on numbers in this column)") in done.stderr


def test_labels_apart_only_by_case_are_pointed_out(tmp_path):
    path = tmp_path / "yes.csv"
    path.write_text("a,y\n" + "".join(f"{i},{['Yes', 'yes', 'No', 'no'][i % 4]}\n"
                                      for i in range(80)))
    done = run("train", str(path), "--target", "y", "--epochs", "2", "-q")
    assert "multiclass (4 classes)" in done.stdout
    assert ("yes.csv: labels that differ only in case are different classes: 'No' and 'no'; "
            "'Yes' and 'yes'") in done.stderr
    path.write_text("a,y\n" + "".join(f"{i},{['Yes', 'No'][i % 2]}\n" for i in range(80)))
    assert "differ only in case" not in run("train", str(path), "--target", "y", "--epochs",
                                            "2", "-q").stderr
    # Dates as categories: every new date would be unknown.
    path.write_text("day,x,y\n" + "".join(f"{['31/12/2020', '01/01/2021', '02/01/2021'][i % 3]},"
                                          f"{i},{i % 2}\n" for i in range(60)))
    done = run("train", str(path), "--target", "y", "--epochs", "1", "-q")
    assert "'day' holds dates, one-hot encoded as categories" in done.stderr
    # The same in a feature column: one input per spelling.
    path.write_text("region,y\n" + "".join(f"{['south', 'SOUTH', 'north'][i % 3]},{i % 2}\n"
                                           for i in range(60)))
    done = run("train", str(path), "--target", "y", "--epochs", "1", "-q")
    assert ("categories that differ only in case are different inputs: 'region': 'SOUTH' "
            "and 'south'") in done.stderr


def test_gradient_descent_steps_on_all_the_training_rows(tmp_path, cancer_csv):
    """--optimizer gd: one step per epoch on every training row (the estimator's own
    validation rows left out), unless --batch-size says otherwise."""
    from sklearn.datasets import load_breast_cancer

    n = len(load_breast_cancer().target)
    n_fit = n - math.ceil(0.2 * n) - math.ceil(0.2 * (n - math.ceil(0.2 * n)))
    for extra, expected in (([], n_fit), (["--batch-size", "16"], 16)):
        model = tmp_path / "m.npz"
        run("train", str(cancer_csv), "--target", "diagnosis", "--optimizer", "gd",
            "--test-size", "0.2", "--epochs", "2", "-q", "--out", str(model), *extra)
        info = json.loads(run("info", str(model), "--json").stdout)
        assert info["training"]["batch_size"] == expected
        assert info["training"]["solver"] == "sgd" and info["training"]["momentum"] == 0
        assert info["training"]["verbose"] is False  # the command's bar is not the model's


def test_a_resume_that_splits_the_rows_otherwise_is_warned(tmp_path):
    """Another --seed (or --validation, --test-size) holds out other rows than the
    checkpoint's run did: said, as other settings are; the same ones are not, and a
    checkpoint kept by an earlier version (a list of names) still resumes."""
    rng = np.random.default_rng(6)
    X = rng.normal(size=(80, 2))
    data = tmp_path / "d.csv"
    data.write_text("a,b,y\n" + "".join(f"{p:.4f},{q:.4f},{int(p > q)}\n" for p, q in X))
    ck = tmp_path / "ck"
    common = ["--target", "y", "-q"]
    run("train", str(data), *common, "--epochs", "2", "--checkpoint-dir", str(ck))
    assert json.loads((ck / "inputs.json").read_text()) == ["a", "b"]
    split = json.loads((ck / "split.json").read_text())
    assert split.pop("rows")["count"] == 80
    assert split == {"seed": 0, "validation": 0.2, "test_size": 0.0, "targets": ["y"]}
    same = run("train", str(data), *common, "--epochs", "3", "--resume", str(ck))
    assert same.returncode == 0
    assert "split with other settings" not in same.stderr
    assert "other rows" not in same.stderr
    other = run("train", str(data), *common, "--epochs", "4", "--resume", str(ck),
                "--seed", "5", "--test-size", "0.25")
    assert ("the checkpoint's rows were split with other settings (--seed 0 -> 5, "
            "--test-size 0.0 -> 0.25): rows it held out may now be trained on") in other.stderr
    (ck / "split.json").unlink()  # a checkpoint kept by an earlier version
    old = run("train", str(data), *common, "--epochs", "5", "--resume", str(ck), "--seed", "7")
    assert "split with other settings" not in old.stderr
    # Other data of the same columns: may be meant, but is no longer the same run.
    c2 = str(tmp_path / "c2")
    run("train", str(data), *common, "--epochs", "2", "--checkpoint-dir", c2)
    fewer = tmp_path / "fewer.csv"
    fewer.write_text("\n".join(data.read_text().splitlines()[:61]) + "\n")
    done = run("train", str(fewer), *common, "--epochs", "3", "--resume", c2)
    assert (f"--resume {c2}: the checkpoint was trained on other rows (80 then, 60 now: "
            "other data, or the same data prepared otherwise") in done.stderr
    run("train", str(data), *common, "--epochs", "4", "--resume", c2)
    changed = tmp_path / "changed.csv"
    changed.write_text(data.read_text().replace("1\n", "0\n", 1))
    done = run("train", str(changed), *common, "--epochs", "5", "--resume", c2)
    assert "trained on other rows (80 rows, other values: other data" in done.stderr


def test_a_constant_regression_target_is_pointed_out(tmp_path):
    path = tmp_path / "c.csv"
    path.write_text("a,y\n" + "".join(f"{i * 0.37},3.5\n" for i in range(40)))
    done = run("train", str(path), "--target", "y", "--epochs", "2", "--json")
    assert "c.csv: the target is 3.5 in every row: there is nothing to learn" in done.stderr
    metrics = json.loads(done.stdout)["metrics"]
    # R^2 undefined, and no best-epoch R^2 (scikit-learn's convention would say 0).
    assert metrics["train+validation"]["r2"] is None and "validation" not in metrics


def test_a_headered_file_is_not_placed_by_guess_for_a_numbered_model_with_drop(tmp_path):
    """Trained with --drop on a file without a header, a model takes new rows without a
    header in the training layout; a headered file's columns are not placed by a guess
    (an id column and the features, or the features and the labels, have one width)."""
    rng = np.random.default_rng(1)
    X = rng.normal(size=(100, 3)).round(3)
    labels = (X[:, 0] > 0).astype(int)
    rows = [f"{i},{a},{b},{c}" for i, (a, b, c) in enumerate(X)]
    plain = tmp_path / "plain.csv"
    plain.write_text("".join(f"{row},{y}\n" for row, y in zip(rows, labels, strict=True)))
    named = tmp_path / "named.csv"
    named.write_text("id,p,q,r\n" + "".join(f"{row}\n" for row in rows))
    model = tmp_path / "m.npz"
    run("train", str(plain), "--target", "4", "--drop", "0", "--epochs", "2", "-q", "--out",
        str(model))
    unlabelled = tmp_path / "unlabelled.csv"
    unlabelled.write_text("".join(f"{row}\n" for row in rows))
    expected = run("predict", str(model), str(plain), "--proba").stdout
    assert run("predict", str(model), str(unlabelled), "--proba").stdout == expected
    done = run("predict", str(model), str(named), expect=2)
    assert "the model expects 3 feature columns; the file has 4" in done.stderr


def test_a_test_split_that_takes_every_row_of_a_class_is_refused(tmp_path):
    path = tmp_path / "c.csv"
    path.write_text("a,y\n" + "".join(f"{i},a\n{i + 0.5},b\n" for i in range(10))
                    + "50,c\n51,c\n")
    done = run("train", str(path), "--target", "y", "--test-size", "0.7", "--validation", "0",
               expect=2)
    assert ("c.csv, column 'y': --test-size 0.7 holds out every row of class c, which leaves "
            "none to train on; lower --test-size or add rows of that class") in done.stderr


def test_plot_directory_to_make_beside_a_folder_named_plots(tmp_path):
    """A new --plot directory is checked by its own name (a 'plots' folder beside it
    once made the check fail)."""
    pytest.importorskip("matplotlib")
    (tmp_path / "plots").mkdir()
    run("train", "--dataset", "planar", "--hidden", "4", "--epochs", "2", "-q", "--plot",
        "results/", cwd=tmp_path)
    assert (tmp_path / "results" / "loss.png").is_file()


def test_gradcheck_never_calls_a_passing_array_a_failure():
    """Per array the ratio is a pointer (small gradients weigh rounding more); the
    verdict is the overall ratio's, and the table does not contradict it."""
    seen_high = False
    for activation in ("softmax", "sigmoid", "tanh"):
        done = run("gradcheck", "--activation", activation)
        assert re.search(r"overall \S+: passed", done.stdout), done.stdout
        assert "FAIL" not in done.stdout
        if re.search(r"\bhigh\b", done.stdout):
            seen_high = True
            assert "note: an array marked high is above the threshold on its own" in done.stdout
    assert seen_high  # the softmax hidden layer's b1 (2e-7) is one


def test_a_sigmoid_network_with_squared_error_predicts_values_everywhere(tmp_path):
    """Network.predict, the Trainer's default metric and the command line read a sigmoid
    output trained with squared error alike: a regression onto (0, 1)."""
    import lucidnet
    from lucidnet.training import Trainer

    X = np.array([[3, 5], [5, 1], [10, 2]], dtype=float) / [10, 5]
    y = np.array([[0.75], [0.82], [0.93]])
    net = lucidnet.Network([2, 3, 1], "sigmoid", "sigmoid", "sum_squared_error",
                           use_bias=False, random_state=0)
    net.fit(X, y, learning_rate=1.0, num_iterations=2000)
    assert net.classifies is False
    assert Trainer(net.copy()).metric == "r2"
    model, data = tmp_path / "m.npz", tmp_path / "x.csv"
    lucidnet.save(net, model)
    data.write_text("a,b\n" + "".join(f"{a},{b}\n" for a, b in X.tolist()))
    rows = run("predict", str(model), str(data)).stdout.splitlines()[1:]
    np.testing.assert_allclose([float(r) for r in rows], net.predict(X)[:, 0], rtol=1e-6)
    assert not np.isin(net.predict(X), (0, 1)).all()


def test_a_header_on_one_side_only_is_refused_with_the_targets_index(tmp_path):
    """Trained without a header and given a headered file, or the reverse, a model
    cannot find its target by name and does not guess it by position: the error gives
    the index it had in the training file, and --target with it predicts as the
    training layout does."""
    from sklearn.datasets import load_iris

    data = load_iris()
    labels = np.asarray(data.target_names)[data.target]
    body = "".join(",".join(map(str, row)) + f",{label}\n"
                   for row, label in zip(data.data.tolist(), labels, strict=True))
    plain, named = tmp_path / "plain.csv", tmp_path / "named.csv"
    plain.write_text(body)
    named.write_text("sl,sw,pl,pw,label\n" + body)
    by_number, by_name = tmp_path / "n.npz", tmp_path / "h.npz"
    run("train", str(plain), "--target", "4", "--epochs", "5", "-q", "--out", str(by_number))
    run("train", str(named), "--target", "label", "--epochs", "5", "-q", "--out", str(by_name))
    for model, own, other in ((by_number, plain, named), (by_name, named, plain)):
        done = run("predict", str(model), str(other), expect=2)
        assert "was column 4: --target 4)" in done.stderr
        expected = run("predict", str(model), str(own)).stdout.splitlines()[1:]
        done = run("predict", str(model), str(other), "--target", "4")
        assert done.stdout.splitlines()[1:] == expected


def test_plain_gradient_steps_at_their_limit_point_at_the_rate_too():
    done = run("train", "--dataset", "iris", "--optimizer", "sgd", "--epochs", "2", "-q")
    assert "2 (the limit; still improving: raise --epochs or --lr)" in done.stdout


def test_a_resume_says_where_it_goes_on_from(tmp_path):
    ck = tmp_path / "ck"
    run("train", "--dataset", "iris", "--epochs", "3", "-q", "--checkpoint-dir", str(ck))
    done = run("train", "--dataset", "iris", "--epochs", "5", "-q", "--resume", str(ck))
    assert f"note: resuming after epoch 3 of the checkpoint in {ck}" in done.stderr
    done = run("train", "--dataset", "iris", "--epochs", "8", "-q", "--resume", str(ck),
               "--hidden", "5", expect=2)
    assert_usage_error(done, f"--resume {str(ck)!r}: its checkpoint is of a 4-64-32-3 network; "
                       "this run makes a 4-5-3 network", "--hidden")


def test_output_multiclass_on_two_classes_makes_a_binary_model(tmp_path: Path) -> None:
    """Two classes give one sigmoid output (scikit-learn's MLPClassifier does so too);
    the summary scores it as such, as scikit-learn's accuracy on its predictions."""
    from sklearn.metrics import accuracy_score

    data, model = tmp_path / "bc.csv", tmp_path / "m.npz"
    run("dataset", "breast_cancer", "--out", str(data))
    summary = json.loads(run("train", str(data), "--target", "target", "--output",
                             "multiclass", "--validation", "0", "--epochs", "30",
                             "--out", str(model), "--json").stdout)
    assert summary["task"] == "binary" and summary["network"].endswith("sigmoid)")
    truth = [row[-1] for row in read_csv(data)[1]]
    predicted = [row[0] for row in read_csv(run("predict", str(model), str(data)).stdout)[1]]
    assert summary["metrics"]["train"]["accuracy"] == pytest.approx(
        accuracy_score(truth, predicted))
    assert summary["metrics"]["train"]["accuracy"] > 0.9


def test_test_rows_shape_neither_fill_values_nor_categories(tmp_path: Path) -> None:
    """--impute's fill value and the one-hot categories come from the rows left after
    --test-size (scikit-learn's train_test_split on the row numbers says which); the
    test rows are then scored as predict scores them (a category only they hold is no
    category)."""
    from sklearn.metrics import accuracy_score
    from sklearn.model_selection import train_test_split

    rng = np.random.default_rng(0)
    lines = ["x,region,size,label"]
    for i in range(80):
        x = "" if i % 7 == 0 else repr(round(float(rng.normal(10, 3)), 3))
        region = ["east", "north", "south"][i % 3] if i % 11 else "west"
        lines.append(f"{x},{region},{rng.integers(1, 5)},{'yes' if rng.random() > 0.5 else 'no'}")
    data, model = tmp_path / "leak.csv", tmp_path / "m.npz"
    data.write_text("\n".join(lines) + "\n")
    rows = read_csv(data)[1]
    labels = np.array([row[3] for row in rows])
    fit, test = train_test_split(np.arange(len(rows)), test_size=0.5, random_state=0,
                                 stratify=labels)
    summary_run = run("train", str(data), "--target", "label", "--impute", "mean",
                      "--test-size", "0.5", "--seed", "0", "--out", str(model), "--json")
    summary = json.loads(summary_run.stdout)
    info = json.loads(run("info", str(model), "--json").stdout)
    seen = {rows[i][1] for i in fit}
    assert "west" not in seen  # only test rows hold it
    assert "categories only the --test-size rows hold get no input" in summary_run.stderr
    assert set(info["one_hot"]["region"]) == seen
    assert info["fill"]["x"] == pytest.approx(
        np.mean([float(rows[i][0]) for i in fit if rows[i][0]]), rel=1e-12)
    predicted = read_csv(run("predict", str(model), str(data)).stdout)[1]
    assert summary["metrics"]["test"]["accuracy"] == pytest.approx(
        accuracy_score(labels[test], [predicted[i][0] for i in test]))


def test_a_headerless_model_given_named_columns_is_told_its_target_index(tmp_path: Path) -> None:
    """Trained with --target -1 on a file without a header, the model's target is
    "13"; a file with names has no such column, and the errors give the index."""
    from sklearn.datasets import load_wine

    X, y = load_wine(return_X_y=True)
    named, plain, model = tmp_path / "wine.csv", tmp_path / "plain.csv", tmp_path / "m.npz"
    rows = [[*map(repr, x.tolist()), str(label)] for x, label in zip(X, y, strict=True)]
    plain.write_text("".join(",".join(row) + "\n" for row in rows))
    named.write_text(",".join([*(f"f{j}" for j in range(13)), "kind"]) + "\n"
                     + plain.read_text())
    run("train", str(plain), "--target", "-1", "--epochs", "3", "--out", str(model), "-q")
    assert_usage_error(run("evaluate", str(model), str(named), expect=None),
                       "target was column 13 of a file without a header", "--target 13")
    assert_usage_error(run("predict", str(model), str(named), expect=None),
                       "13 feature columns; the file has 14", "--target 13")
    scored = json.loads(run("evaluate", str(model), str(named), "--target", "13",
                            "--json").stdout)
    assert scored["n_samples"] == len(y)


def test_whole_number_labels_beyond_2_to_53_are_refused_not_merged(tmp_path: Path) -> None:
    """Read as float64, 10^16 + 1 is 10^16: two classes would silently become one."""
    data = tmp_path / "ids.csv"
    labels = [10**16, 10**16 + 1, 10**16 + 2] * 20
    data.write_text("a,y\n" + "\n".join(f"{i % 7},{label}" for i, label in enumerate(labels)))
    assert float(10**16 + 1) == float(10**16)  # what the refusal is about
    assert_usage_error(run("train", str(data), "--target", "y", expect=None),
                       "beyond 2^53", "write such labels as text")


@pytest.mark.parametrize("size", [1e300, 1e-300])
def test_regression_metrics_of_values_near_the_float64_limits(size, recwarn) -> None:
    """Squares of 1e300 overflow, and of 1e-300 underflow to 0 (R^2 = 1, RMSE = 0): the
    metrics are taken in units of the largest value, and equal scikit-learn's on the
    same values scaled to about 1, scaled back."""
    from sklearn import metrics

    from lucidnet._cli_report import regression_metrics

    rng = np.random.default_rng(0)
    y, predicted = rng.normal(size=40), rng.normal(size=40)
    scaled = regression_metrics(y * size, predicted * size)
    assert scaled["r2"] == pytest.approx(metrics.r2_score(y, predicted), rel=1e-12)
    assert scaled["rmse"] == pytest.approx(
        size * metrics.mean_squared_error(y, predicted) ** 0.5, rel=1e-12)
    assert scaled["mae"] == pytest.approx(size * metrics.mean_absolute_error(y, predicted),
                                          rel=1e-12)
    assert not [w for w in recwarn if issubclass(w.category, RuntimeWarning)]
