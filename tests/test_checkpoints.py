"""Checkpoint files: atomic writes, validation on load, and exact resumption."""

from __future__ import annotations

import json
import math
import os
import shutil
import signal
import subprocess
import sys
import warnings
from pathlib import Path

import numpy as np
import pytest

from lucidnet import Network
from lucidnet.callbacks import Callback
from lucidnet.checkpoints import checkpoint_path, load_checkpoint, save_checkpoint
from lucidnet.errors import ModelFileError
from lucidnet.training import Trainer

WORKER = Path(__file__).with_name("_train_worker.py")


def problem():
    data = np.random.default_rng(0)
    X = data.standard_normal((50, 4))
    Y = np.eye(3)[(X[:, 0] > 0).astype(int) + (X[:, 1] > 0.5).astype(int)]
    return X, Y


def make_trainer(**kwargs):
    net = Network([4, 8, 3], "tanh", "softmax", dropout=0.1, random_state=1)
    options = {"optimizer": "adam", "learning_rate": 0.01, "batch_size": 8, "random_state": 5,
               "schedule": "step", "schedule_params": {"step_size": 2, "gamma": 0.5}}
    return Trainer(net, **{**options, **kwargs})


class Interrupt(Exception):
    pass


class InterruptAt(Callback):
    def __init__(self, epoch, batch):
        self.epoch, self.batch = epoch, batch

    def on_batch_end(self, batch, logs):
        if self.trainer.history.epochs == self.epoch and batch == self.batch:
            raise Interrupt


def test_resume_in_process_is_identical(tmp_path):
    X, Y = problem()
    straight = make_trainer()
    straight.fit(X, Y, epochs=7, validation_fraction=0.2)

    interrupted = make_trainer(callbacks=[InterruptAt(epoch=5, batch=1)])
    with pytest.raises(Interrupt):
        interrupted.fit(X, Y, epochs=7, validation_fraction=0.2, checkpoint_dir=tmp_path,
                        checkpoint_every=2)
    header, _ = load_checkpoint(checkpoint_path(tmp_path))
    assert header["epoch"] == 4

    resumed = make_trainer()
    history = resumed.fit(X, Y, epochs=7, validation_fraction=0.2, checkpoint_dir=tmp_path,
                          resume=True)
    np.testing.assert_array_equal(resumed.network.params, straight.network.params)
    assert history.history == straight.history.history
    assert resumed.optimizer.t == straight.optimizer.t
    assert [p.name for p in tmp_path.iterdir()] == ["checkpoint.npz"]  # no temp files left


@pytest.mark.parametrize("same_trainer", [True, False])
def test_resume_counts_epochs_from_the_start_of_the_interrupted_fit(tmp_path, same_trainer):
    """The trainer that was interrupted (a notebook's Ctrl-C), or a new one, resumes to
    where the uninterrupted fit ends, also when that fit followed earlier ones."""
    X, Y = problem()
    straight = make_trainer()
    straight.fit(X, Y, epochs=2)
    straight.fit(X, Y, epochs=5)

    stopper = InterruptAt(epoch=5, batch=1)
    interrupted = make_trainer(callbacks=[stopper])
    interrupted.fit(X, Y, epochs=2)
    with pytest.raises(Interrupt):
        interrupted.fit(X, Y, epochs=5, checkpoint_dir=tmp_path, checkpoint_every=2)
    assert load_checkpoint(checkpoint_path(tmp_path))[0]["epoch"] == 4
    stopper.epoch = None  # disarmed
    resumed = interrupted if same_trainer else make_trainer()
    history = resumed.fit(X, Y, epochs=5, checkpoint_dir=tmp_path, resume=True)
    assert history.epochs == 7
    np.testing.assert_array_equal(resumed.network.params, straight.network.params)


def test_an_unseeded_run_resumes_with_its_own_validation_split(tmp_path, monkeypatch):
    """Without a random_state the split comes from fresh entropy: the resumed run
    must validate on the rows the interrupted one did, not draw new ones."""
    from lucidnet import training

    splits = []
    original = training._split_rows

    def spy(*args):
        rows = original(*args)
        splits.append(rows[1])
        return rows

    monkeypatch.setattr(training, "_split_rows", spy)
    X, Y = problem()
    with pytest.raises(Interrupt):
        make_trainer(random_state=None, callbacks=[InterruptAt(epoch=3, batch=0)]).fit(
            X, Y, epochs=6, validation_fraction=0.3, checkpoint_dir=tmp_path)
    history = make_trainer(random_state=None).fit(
        X, Y, epochs=6, validation_fraction=0.3, checkpoint_dir=tmp_path, resume=True)
    assert history.epochs == 6 and len(splits) == 2
    np.testing.assert_array_equal(splits[1], splits[0])


def test_resuming_a_cosine_run_for_more_epochs_anneals_to_the_new_end(tmp_path):
    """The checkpoint holds the interrupted fit's horizon; a resumed fit told to run
    longer anneals to its own end instead of training at min_lr (0) past the old one."""
    import numpy as np

    X, Y = problem()
    options = {"schedule": "cosine", "schedule_params": {"min_lr": 0.0}, "batch_size": np.int64(8)}
    with pytest.raises(Interrupt):
        make_trainer(callbacks=[InterruptAt(epoch=3, batch=0)], **options).fit(
            X, Y, epochs=6, checkpoint_dir=tmp_path)
    shutil.copytree(tmp_path, tmp_path / "copy")
    # The rate jumps where the run goes on, and says so with the closed-form rates:
    # 0.01 (1 + cos(pi e / t_max)) / 2 at e = 3 for t_max 10, and for the old t_max 6.
    new, old = (0.01 * (1 + math.cos(math.pi * 3 / t_max)) / 2 for t_max in (10, 6))
    with pytest.warns(UserWarning, match=f"ends at epoch 10.* goes on at {new:.4g} where "
                                         f"that fit's curve gave {old:.4g}"):
        history = make_trainer(**options).fit(X, Y, epochs=10, checkpoint_dir=tmp_path,
                                              resume=True)
    straight = make_trainer(**options).fit(X, Y, epochs=10)
    assert history.history["lr"][3:] == straight.history["lr"][3:]
    assert min(history.history["lr"]) > 0
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # the interrupted fit's own end: no new curve
        make_trainer(**options).fit(X, Y, epochs=6, checkpoint_dir=tmp_path / "copy",
                                    resume=True)


def test_settings_given_as_numpy_scalars_are_checkpointed(tmp_path):
    import numpy as np

    X, Y = problem()
    trainer = make_trainer(batch_size=np.int64(8), schedule_params={
        "step_size": np.int64(2), "gamma": np.float32(0.5)})
    trainer.fit(X, Y, epochs=2, checkpoint_dir=tmp_path)
    header, _ = load_checkpoint(checkpoint_path(tmp_path))
    assert header["schedule"]["params"]["gamma"] == 0.5 and header["trainer"]["batch_size"] == 8


def test_resuming_with_other_settings_says_so(tmp_path):
    X, Y = problem()
    with pytest.raises(Interrupt):
        make_trainer(callbacks=[InterruptAt(epoch=3, batch=0)]).fit(
            X, Y, epochs=6, checkpoint_dir=tmp_path)
    with pytest.warns(UserWarning, match=r"other settings \(batch_size 8 -> 16, l2 0.0 -> 0.5\)"):
        history = make_trainer(batch_size=16, l2=0.5).fit(X, Y, epochs=6,
                                                          checkpoint_dir=tmp_path, resume=True)
    assert history.epochs == 6


def test_resuming_with_other_optimizer_settings_goes_on_with_them(tmp_path):
    """Adam's beta_1 given to the resuming trainer is the one its steps take (the
    checkpoint's was restored over it before), and the warning says so."""
    X, Y = problem()
    with pytest.raises(Interrupt):
        make_trainer(callbacks=[InterruptAt(epoch=3, batch=0)]).fit(
            X, Y, epochs=6, checkpoint_dir=tmp_path)
    saved = tmp_path / "saved"
    shutil.copytree(tmp_path, saved, ignore=shutil.ignore_patterns("saved"))
    with pytest.warns(UserWarning, match=r"other settings \(beta_1 0.9 -> 0.5\)"):
        other = make_trainer(optimizer_params={"beta_1": 0.5})
        other.fit(X, Y, epochs=6, checkpoint_dir=tmp_path, resume=True)
    assert other.optimizer.hyperparameters["beta_1"] == 0.5
    same = make_trainer()
    same.fit(X, Y, epochs=6, checkpoint_dir=saved, resume=True)
    straight = make_trainer()
    straight.fit(X, Y, epochs=6)
    np.testing.assert_array_equal(same.network.params, straight.network.params)
    assert np.abs(other.network.params - straight.network.params).max() > 1e-4


@pytest.mark.parametrize("schedule", ["constant", "step", "plateau"])
def test_resuming_with_another_learning_rate_goes_on_with_it(tmp_path, schedule):
    """Every rate after the checkpoint is the straight run's times new / old (a plateau's
    lowered rate keeps its ratio), and the warning says so."""
    X, Y = problem()
    params = {"step": {"step_size": 2, "gamma": 0.5},
              "plateau": {"patience": 1, "factor": 0.5, "min_delta": 10.0}}.get(schedule, {})
    options = dict(schedule=schedule, schedule_params=params)
    with pytest.raises(Interrupt):
        make_trainer(learning_rate=0.1, callbacks=[InterruptAt(epoch=3, batch=0)],
                     **options).fit(X, Y, epochs=6, checkpoint_dir=tmp_path)
    with pytest.warns(UserWarning, match=r"other settings \(learning_rate 0.1 -> 0.02\)"):
        resumed = make_trainer(learning_rate=0.02, **options).fit(
            X, Y, epochs=6, checkpoint_dir=tmp_path, resume=True)
    straight = make_trainer(learning_rate=0.1, **options).fit(X, Y, epochs=6)
    np.testing.assert_allclose(resumed.history["lr"][3:],
                               np.array(straight.history["lr"][3:]) * 0.2, rtol=1e-12)
    if schedule == "plateau":
        assert min(straight.history["lr"]) < 0.1  # a lowered rate was carried over


def test_a_resumed_plateau_rate_stays_at_or_above_its_floor(tmp_path):
    X, Y = problem()
    options = dict(schedule="plateau", schedule_params={
        "patience": 1, "factor": 0.1, "min_delta": 10.0, "min_lr": 0.01})
    with pytest.raises(Interrupt):
        make_trainer(learning_rate=0.1, callbacks=[InterruptAt(epoch=4, batch=0)],
                     **options).fit(X, Y, epochs=6, checkpoint_dir=tmp_path)
    with pytest.warns(UserWarning, match="learning_rate 0.1 -> 0.02"):
        resumed = make_trainer(learning_rate=0.02, **options).fit(
            X, Y, epochs=6, checkpoint_dir=tmp_path, resume=True)
    assert min(resumed.history["lr"]) == pytest.approx(0.01)  # not 0.002


def test_a_checkpoint_without_a_positive_rate_is_refused(tmp_path):
    X, Y = problem()
    make_trainer().fit(X, Y, epochs=2, checkpoint_dir=tmp_path)
    path = checkpoint_path(tmp_path)
    header, arrays = load_checkpoint(path)
    header["schedule"]["learning_rate"] = 0.0
    save_checkpoint(path, header, arrays)
    with pytest.raises(ModelFileError, match="learning_rate must be a positive number; got 0.0"):
        make_trainer().fit(X, Y, epochs=4, checkpoint_dir=tmp_path, resume=True)


def test_kill_with_sigkill_mid_epoch_and_resume(tmp_path):
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).parents[1] / "src"),
           "OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}

    def run(mode):
        out = tmp_path / f"{mode}.npy"
        done = subprocess.run([sys.executable, str(WORKER), mode, str(tmp_path / "ckpt"),
                               str(out)], env=env, capture_output=True, text=True, timeout=120)
        return done, out

    killed, _ = run("kill")
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    header, _ = load_checkpoint(checkpoint_path(tmp_path / "ckpt"))
    assert header["epoch"] == 4  # checkpoints every 2 epochs; killed during epoch 5

    resumed, resumed_out = run("resume")
    assert resumed.returncode == 0, resumed.stderr
    full, full_out = run("full")
    assert full.returncode == 0, full.stderr
    np.testing.assert_array_equal(np.load(resumed_out), np.load(full_out))


def test_resume_without_a_checkpoint_starts_fresh(tmp_path):
    X, Y = problem()
    fresh, resumed = make_trainer(), make_trainer()
    fresh.fit(X, Y, epochs=2)
    resumed.fit(X, Y, epochs=2, checkpoint_dir=tmp_path / "new", resume=True)
    np.testing.assert_array_equal(fresh.network.params, resumed.network.params)
    with pytest.raises(ValueError, match="resume=True needs checkpoint_dir"):
        make_trainer().fit(X, Y, epochs=1, resume=True)


@pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")  # max_iter=2
def test_a_fit_that_replaces_another_runs_checkpoint_says_so(tmp_path, monkeypatch):
    """The epochs a checkpoint of another run holds are replaced at the next fit's first
    save: not without a word, pointed at the caller's line (through an estimator too).
    A checkpoint this process wrote (a warm start, a second try) is replaced silently,
    and a resumed fit continues one."""
    from lucidnet import MLPClassifier
    from lucidnet import checkpoints as module

    X, Y = problem()
    make_trainer().fit(X, Y, epochs=2, checkpoint_dir=tmp_path)
    make_trainer().fit(X, Y, epochs=1, checkpoint_dir=tmp_path)  # written here: no warning
    monkeypatch.setattr(module, "_WRITTEN", set())  # as if another process had written it
    with pytest.warns(UserWarning, match=r"already holds a checkpoint of another run, which "
                      r"this fit replaces at its first save; resume=True continues it") as got:
        make_trainer().fit(X, Y, epochs=3, checkpoint_dir=tmp_path)
    assert [w.filename for w in got] == [__file__]
    assert load_checkpoint(checkpoint_path(tmp_path))[0]["epoch"] == 3  # replaced
    make_trainer().fit(X, Y, epochs=4, checkpoint_dir=tmp_path, resume=True)
    monkeypatch.setattr(module, "_WRITTEN", set())
    estimator = MLPClassifier(hidden_layer_sizes=(4,), max_iter=2)
    with pytest.warns(UserWarning, match="already holds a checkpoint of another run") as got:
        estimator.fit(X, Y.argmax(axis=1), checkpoint_dir=tmp_path)
    assert [w.filename for w in got if "checkpoint" in str(w.message)] == [__file__]
    estimator.set_params(warm_start=True)
    with warnings.catch_warnings(record=True) as again:
        warnings.simplefilter("always")
        estimator.fit(X, Y.argmax(axis=1), checkpoint_dir=tmp_path)
    assert again and not [w for w in again if "checkpoint" in str(w.message)]


def test_file_layout_is_json_header_and_plain_arrays(tmp_path):
    X, Y = problem()
    trainer = make_trainer()
    trainer.fit(X, Y, epochs=1, checkpoint_dir=tmp_path)
    with np.load(checkpoint_path(tmp_path), allow_pickle=False) as data:
        header = json.loads(data["header"].tobytes().decode("utf-8"))
        assert data["header"].dtype == np.uint8
        np.testing.assert_array_equal(data["params"], trainer.network.params)
        assert {"optimizer.m", "optimizer.v"} <= set(data.files)
    assert header["format"] == "lucidnet-checkpoint" and header["epoch"] == 1
    assert header["rng"] == json.loads(json.dumps(trainer.rng.bit_generator.state))


def write(path, header=None, **arrays):
    base = {"epoch": 1, "n_params": 3, "dtype": "float64", "optimizer": {}, "schedule": {},
            "rng": {}, "history": {}}
    arrays.setdefault("params", np.zeros(3))
    return save_checkpoint(path, {**base, **(header or {})}, arrays)


def test_load_validates(tmp_path):
    path = write(tmp_path / "c.npz")
    load_checkpoint(path, n_params=3, dtype=np.float64)
    with pytest.raises(ModelFileError, match="holds 3 parameters .* the network has 4"):
        load_checkpoint(path, n_params=4)
    with pytest.raises(ModelFileError, match="dtype float64; the network's dtype is float32"):
        load_checkpoint(path, dtype=np.float32)
    with pytest.raises(ModelFileError, match="does not exist"):
        load_checkpoint(tmp_path / "missing.npz")
    bad_state = write(tmp_path / "o.npz", **{"optimizer.m": np.zeros(5)})
    with pytest.raises(ModelFileError, match=r"'optimizer.m' has shape \(5,\); expected \(3,\)"):
        load_checkpoint(bad_state)


def test_load_refuses_damaged_and_foreign_files(tmp_path):
    garbage = tmp_path / "g.npz"
    garbage.write_bytes(b"not a zip file")
    with pytest.raises(ModelFileError, match="not a readable .npz file") as raised:
        load_checkpoint(garbage)
    assert "(it is not a zip archive)" in str(raised.value)
    assert "pickle" not in str(raised.value)  # not NumPy's advice to load it unsafely
    no_header = tmp_path / "n.npz"
    np.savez(no_header, params=np.zeros(3))
    with pytest.raises(ModelFileError, match="has no header"):
        load_checkpoint(no_header)
    pickled = tmp_path / "p.npz"
    np.savez(pickled, header=np.array([{"a": 1}], dtype=object), params=np.zeros(3))
    with pytest.raises(ModelFileError, match="not a readable .npz file"):
        load_checkpoint(pickled)
    foreign = tmp_path / "f.npz"
    np.savez(foreign, header=np.frombuffer(b'{"format": "other"}', np.uint8), params=np.zeros(3))
    with pytest.raises(ModelFileError, match="is not a lucidnet checkpoint"):
        load_checkpoint(foreign)
    with np.load(write(tmp_path / "k.npz")) as data:
        header = json.loads(data["header"].tobytes())
    del header["rng"]
    partial = tmp_path / "k2.npz"
    np.savez(partial, header=np.frombuffer(json.dumps(header).encode(), np.uint8),
             params=np.zeros(3))
    with pytest.raises(ModelFileError, match="header lacks the keys rng"):
        load_checkpoint(partial)


@pytest.mark.parametrize(("key", "value"), [("epoch", float("inf")), ("iterations", None),
                                          ("run_start", -1), ("t", True)])
def test_counters_edited_by_hand_are_a_damaged_file(tmp_path, key, value):
    """Not an OverflowError, TypeError or ZeroDivisionError once resuming is under way."""
    X, Y = problem()
    make_trainer().fit(X, Y, epochs=1, checkpoint_dir=tmp_path)
    path = checkpoint_path(tmp_path)
    with np.load(path) as data:
        members = dict(data)
    header = json.loads(members["header"].tobytes())
    (header["optimizer"] if key == "t" else header)[key] = value
    members["header"] = np.frombuffer(json.dumps(header).encode(), np.uint8)
    np.savez(path, **members)
    where = "optimizer t" if key == "t" else key
    with pytest.raises(ModelFileError, match=f"header: {where} must be a whole number"):
        make_trainer().fit(X, Y, epochs=2, checkpoint_dir=tmp_path, resume=True)


def test_trainer_refuses_a_checkpoint_of_another_setup(tmp_path):
    X, Y = problem()
    make_trainer().fit(X, Y, epochs=1, checkpoint_dir=tmp_path)
    other_net = Trainer(Network([4, 9, 3], "tanh", "softmax", random_state=1))
    with pytest.raises(ModelFileError, match="holds 67 parameters .* the network has 75"):
        other_net.fit(X, Y, epochs=2, checkpoint_dir=tmp_path, resume=True)
    same_size = Trainer(Network([4, 8, 3], "relu", "softmax", random_state=1))
    with pytest.raises(ModelFileError, match="different network architecture"):
        same_size.fit(X, Y, epochs=2, checkpoint_dir=tmp_path, resume=True)
    other_opt = make_trainer(optimizer="sgd")
    with pytest.raises(ModelFileError, match="used optimizer 'adam'; this trainer uses 'sgd'"):
        other_opt.fit(X, Y, epochs=2, checkpoint_dir=tmp_path, resume=True)


def test_failed_write_keeps_the_previous_checkpoint(tmp_path):
    path = write(tmp_path / "c.npz", header={"epoch": 1})
    with pytest.raises(TypeError):
        write(path, header={"epoch": object()})  # not JSON-able: fails before the rename
    header, _ = load_checkpoint(path)
    assert header["epoch"] == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == ["c.npz"]


def test_resuming_with_early_stopping_a_checkpoint_written_without_it(tmp_path):
    """The checkpoint's stopping state watched the training loss; the resumed fit
    watches validation, and starts its count afresh instead of comparing the two."""
    from sklearn.datasets import load_iris

    from lucidnet import NeuralNetClassifier

    X, y = load_iris(return_X_y=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # ConvergenceWarning, the changed-settings note
        NeuralNetClassifier(max_iter=3, random_state=0).fit(X, y, checkpoint_dir=tmp_path)
        shutil.copytree(tmp_path, tmp_path / "copy")
        done = NeuralNetClassifier(max_iter=3, early_stopping=True, random_state=0)
        done.fit(X, y, checkpoint_dir=tmp_path, resume=True)  # nothing left to train
        more = NeuralNetClassifier(max_iter=6, early_stopping=True, random_state=0)
        more.fit(X, y, checkpoint_dir=tmp_path / "copy", resume=True)
    assert done.n_iter_ == 3 and done.best_validation_score_ is None
    scores = more.validation_scores_
    assert len(scores) == 6 and all(np.isnan(scores[:3])) and not any(np.isnan(scores[3:]))
    assert more.best_validation_score_ == max(scores[3:])
