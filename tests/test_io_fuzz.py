"""Property-based tests: whatever bytes the loader is given, it raises ModelFileError.

Random bytes, byte flips, truncations and edits of the JSON header of valid files
are thrown at :func:`lucidnet.io.load`.  The only acceptable outcomes are a loaded
model (some bytes of a zip archive, like timestamps, do not matter) or
:class:`~lucidnet.errors.ModelFileError`; any other exception fails the test.  While
the loader runs, every way into :mod:`pickle` is replaced by a trap, so a file that
reached an unpickler would fail the test too: no code execution.
"""

from __future__ import annotations

import contextlib
import json
import pickle
import tempfile
from pathlib import Path
from unittest import mock

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lucidnet import Network
from lucidnet import io as model_io
from lucidnet.errors import ModelFileError

FUZZ = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


class PickleReached(Exception):
    """Raised by the trap: the loader tried to unpickle something."""


#: Every call of the trap is recorded here, in case a caller swallows the exception.
TRAPPED: list[tuple] = []


def _trap(*args, **kwargs):
    TRAPPED.append(args)
    raise PickleReached("the loader reached pickle")


@contextlib.contextmanager
def _no_pickle():
    TRAPPED.clear()
    with (
        mock.patch.object(pickle, "load", _trap),
        mock.patch.object(pickle, "loads", _trap),
        mock.patch.object(pickle, "Unpickler", _trap),
    ):
        yield
    assert not TRAPPED, "the loader reached pickle"


def _valid_file(directory: Path) -> bytes:
    net = Network([3, 4, 2], activation="tanh", output_activation="softmax", random_state=0)
    path = directory / "valid.model"
    model_io.save(
        net,
        path,
        metadata={"task": "multiclass"},
        feature_names=["a", "b", "c"],
        input_scaling=(np.zeros(3), np.ones(3)),
        arrays={"extra": np.arange(4)},
    )
    return path.read_bytes()


@pytest.fixture(scope="module")
def workdir():
    with tempfile.TemporaryDirectory() as name:
        yield Path(name)


@pytest.fixture(scope="module")
def valid(workdir) -> bytes:
    return _valid_file(workdir)


@pytest.fixture(scope="module")
def valid_estimator(workdir) -> bytes:
    """A fitted classifier with string labels, saved."""
    import warnings

    from lucidnet.estimators import NeuralNetClassifier

    rng = np.random.default_rng(0)
    X = rng.standard_normal((30, 3))
    y = np.array(["ham", "spam", "eggs"])[rng.integers(0, 3, 30)]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        clf = NeuralNetClassifier((4,), max_iter=2, random_state=0).fit(X, y)
    path = workdir / "estimator.model"
    model_io.save(clf, path)
    return path.read_bytes()


def _load_bytes(workdir: Path, data: bytes) -> None:
    """Load ``data`` from a file; only success or ModelFileError may come out."""
    path = workdir / "fuzzed.model"
    path.write_bytes(data)
    model = None
    with _no_pickle():
        try:
            model = model_io.load(path)
        except ModelFileError as exc:
            assert str(exc).startswith(str(path))
    if model is None:
        return
    # Whatever survived a mutation must still be a usable, finite model.
    network = model if isinstance(model, Network) else model.network_
    assert isinstance(network, Network)
    assert np.isfinite(network.params).all()


def test_the_unmutated_files_load(workdir, valid, valid_estimator):
    """The fuzzers' starting points must load; otherwise the fuzzing proves little."""
    for data, kind in ((valid, Network), (valid_estimator, object)):
        path = workdir / "valid.model"
        path.write_bytes(data)
        with _no_pickle():
            model = model_io.load(path)
        assert isinstance(model, kind) and not isinstance(model, ModelFileError)
    assert not isinstance(model, Network)  # the second one is the estimator


def test_the_trap_catches_a_pickle(workdir):
    # The guard of every test below: reaching pickle.load fails, even when swallowed.
    with pytest.raises(AssertionError, match="reached pickle"), _no_pickle():
        with contextlib.suppress(Exception):
            np.load(_write(workdir, pickle.dumps([1])), allow_pickle=True)


def _write(workdir: Path, data: bytes) -> Path:
    path = workdir / "raw.bin"
    path.write_bytes(data)
    return path


@FUZZ
@given(data=st.binary(max_size=2048))
def test_random_bytes(workdir, data):
    _load_bytes(workdir, data)


@FUZZ
@given(
    prefix=st.sampled_from([b"PK\x03\x04", b"\x93NUMPY", b"\x80\x04", b"PK\x05\x06"]),
    data=st.binary(max_size=512),
)
def test_random_bytes_behind_real_magic_numbers(workdir, prefix, data):
    _load_bytes(workdir, prefix + data)


@FUZZ
@given(
    estimator=st.booleans(),
    flips=st.lists(
        st.tuples(st.integers(min_value=0), st.integers(1, 255)), min_size=1, max_size=8
    ),
)
def test_byte_flips(workdir, valid, valid_estimator, estimator, flips):
    data = bytearray(valid_estimator if estimator else valid)
    for position, mask in flips:
        data[position % len(data)] ^= mask
    _load_bytes(workdir, bytes(data))


@FUZZ
@given(cut=st.integers(min_value=0), keep_tail=st.booleans())
def test_truncations(workdir, valid, cut, keep_tail):
    cut %= len(valid)
    _load_bytes(workdir, valid[cut:] if keep_tail else valid[:cut])


JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(10**6), 10**6)
    | st.floats(allow_nan=False)
    | st.text(max_size=12),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=12,
)


def _paths(value, prefix=()):
    """Every path to a value inside nested dicts and lists."""
    yield prefix
    if isinstance(value, dict):
        for key, child in value.items():
            yield from _paths(child, (*prefix, key))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            yield from _paths(child, (*prefix, index))


def _edit(header, path, action, new):
    if not path:
        return new
    parent = header
    for step in path[:-1]:
        parent = parent[step]
    if action == "delete":
        del parent[path[-1]]
    else:
        parent[path[-1]] = new
    return header


@FUZZ
@given(
    estimator=st.booleans(),
    choice=st.integers(min_value=0),
    action=st.sampled_from(["replace", "delete"]),
    new=JSON,
)
def test_header_json_edits(workdir, valid, valid_estimator, estimator, choice, action, new):
    archive = workdir / "edit-source.model"
    archive.write_bytes(valid_estimator if estimator else valid)
    with np.load(archive, allow_pickle=False) as loaded:
        members = {name: loaded[name] for name in loaded.files}
    header = json.loads(members["header"].tobytes())
    paths = list(_paths(header))
    path = paths[choice % len(paths)]
    header = _edit(header, path, action, new)
    members["header"] = np.frombuffer(json.dumps(header).encode(), dtype=np.uint8)
    target = workdir / "edited.model"
    with open(target, "wb") as stream:
        np.savez(stream, **members)
    _load_bytes(workdir, target.read_bytes())


@FUZZ
@given(
    name=st.sampled_from(["params", "input_mean", "input_scale", "extra.extra"]),
    shape=st.lists(st.integers(0, 5), max_size=3),
    dtype=st.sampled_from(["float32", "float64", "int64", "uint8", "bool", "complex128", "U3"]),
)
def test_member_replacements(workdir, valid, name, shape, dtype):
    archive = workdir / "member-source.model"
    archive.write_bytes(valid)
    with np.load(archive, allow_pickle=False) as loaded:
        members = {key: loaded[key] for key in loaded.files}
    members[name] = np.zeros(shape, dtype=dtype)
    target = workdir / "member.model"
    with open(target, "wb") as stream:
        np.savez(stream, **members)
    _load_bytes(workdir, target.read_bytes())
