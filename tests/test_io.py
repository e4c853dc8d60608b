"""Model files: exact round trips, atomic saves, and clear refusals of bad files.

The truth here is the object that was saved: parameters compared with
``np.array_equal``, predictions compared exactly, configs compared as dicts.  Damaged
files are built by hand (rewriting the archive's members with ``np.savez``), so each
refusal test says exactly what is wrong with the file it loads.
"""

from __future__ import annotations

import io as _bytes_io
import json
import os
import pickle
import subprocess
import sys
import zipfile
from pathlib import Path

import numpy as np
import pytest

import lucidnet
from lucidnet import Network, activations
from lucidnet import io as model_io
from lucidnet.errors import ModelFileError

HIDDEN_ACTIVATIONS = [
    "sigmoid",
    "relu",
    "tanh",
    {"name": "leaky_relu", "slope": 0.2},
    "identity",
    "softmax",
]
OUTPUTS = [
    ("sigmoid", "binary_cross_entropy"),
    ("softmax", "categorical_cross_entropy"),
    ("identity", "squared_error"),
    ("sigmoid", "sum_squared_error"),
]


def _network(dtype="float64", use_bias=True, activation="relu", output=OUTPUTS[0], seed=0):
    return Network(
        [4, 5, 3, 2],
        activation=activation,
        output_activation=output[0],
        loss=output[1],
        use_bias=use_bias,
        dtype=dtype,
        random_state=seed,
    )


def _members(path) -> dict[str, np.ndarray]:
    with np.load(path, allow_pickle=False) as archive:
        return {name: archive[name] for name in archive.files}


def _rewrite(path, header=None, **members) -> None:
    """Rewrite the archive at ``path``: a new JSON ``header`` and/or members replaced
    (a member given as None is deleted; ``header_member`` replaces the raw member)."""
    current = _members(path)
    if header is not None:
        current["header"] = np.frombuffer(json.dumps(header).encode(), dtype=np.uint8)
    if "header_member" in members:
        members["header"] = members.pop("header_member")
    for name, value in members.items():
        if value is None:
            current.pop(name, None)
        else:
            current[name] = value
    with open(path, "wb") as stream:
        np.savez(stream, **current)


def _header(path) -> dict:
    return json.loads(_members(path)["header"].tobytes().decode())


@pytest.fixture
def saved(tmp_path):
    path = tmp_path / "net.lucid"
    model_io.save(_network(), path)
    return path


# ============================================================== round trips
@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("use_bias", [True, False])
@pytest.mark.parametrize("activation", HIDDEN_ACTIVATIONS, ids=str)
def test_network_round_trip_is_exact(tmp_path, rng, dtype, use_bias, activation):
    net = _network(dtype, use_bias, activation)
    path = tmp_path / "model.npz"
    model_io.save(net, path)
    back = model_io.load(path)
    assert isinstance(back, Network)
    assert back.params.dtype == np.dtype(dtype)
    assert np.array_equal(back.params, net.params)
    assert back.get_config() == net.get_config()
    X = rng.standard_normal((7, 4))
    assert np.array_equal(back.forward(X)[0], net.forward(X)[0])
    # The views still point into the flat buffer after loading.
    back.params[0] += 1.0
    assert back.layers[0].W.flat[0] == back.params[0]


@pytest.mark.parametrize("output", OUTPUTS, ids=lambda o: f"{o[0]}+{o[1]}")
def test_each_output_and_loss_round_trips(tmp_path, output):
    net = _network(output=output)
    model_io.save(net, tmp_path / "m")
    back = model_io.load(tmp_path / "m")
    assert back.loss.name == output[1]
    assert back.layers[-1].activation.name == output[0]
    assert np.array_equal(back.params, net.params)


def test_dropout_and_initializer_settings_survive(tmp_path):
    net = Network([3, 4, 4, 1], dropout=[0.25, 0.5], initializer="lecun_normal", random_state=1)
    model_io.save(net, tmp_path / "m")
    assert model_io.load(tmp_path / "m").get_config() == net.get_config()


@pytest.mark.parametrize("name", ["model", "model.lucidnet", "model.npz", "model.bin.gz"])
def test_writes_exactly_the_path_given(tmp_path, name):
    model_io.save(_network(), tmp_path / name)
    assert sorted(os.listdir(tmp_path)) == [name]
    assert zipfile.is_zipfile(tmp_path / name)


def test_str_and_pathlike_paths(tmp_path):
    model_io.save(_network(), str(tmp_path / "a"))
    assert np.array_equal(model_io.load(str(tmp_path / "a")).params, _network().params)


def test_header_records_the_documented_fields(saved):
    header = _header(saved)
    assert header["format"] == "lucidnet-model"
    assert header["format_version"] == 1
    assert header["library_version"] == lucidnet.__version__
    assert header["kind"] == "network"
    assert header["dtype"] == "float64"
    assert header["network"] == _network().get_config()
    assert header["n_params"] == _network().n_params
    assert header["classes"] is None and header["input_scaling"] is None


def test_metadata_scaling_names_and_arrays_round_trip(tmp_path):
    mean, scale = np.array([1.5, -2.0, 0.1, 3.0]), np.array([2.0, 0.5, 1.0, 4.0])
    extra = {"confusion": np.arange(6, dtype=np.int64).reshape(2, 3), "w": np.ones(3, np.float32)}
    metadata = {"task": "binary", "target": "label", "nested": {"a": [1, 2.5, None]}}
    model_io.save(
        _network(),
        tmp_path / "m",
        metadata=metadata,
        input_scaling=(mean, scale),
        feature_names=["a", "b", "c", "d"],
        training={"epochs": 12},
        arrays=extra,
    )
    loaded = model_io.load_file(tmp_path / "m")
    assert loaded.kind == "network"
    assert loaded.metadata == metadata
    assert loaded.training == {"epochs": 12}
    assert loaded.feature_names == ["a", "b", "c", "d"]
    assert np.array_equal(loaded.input_scaling.mean, mean)
    assert np.array_equal(loaded.input_scaling.scale, scale)
    X = np.array([[2.0, 0.0, 0.0, 7.0]])
    assert np.array_equal(loaded.input_scaling.transform(X), [[0.25, 4.0, -0.1, 1.0]])
    assert set(loaded.arrays) == set(extra)
    for name, array in extra.items():
        assert loaded.arrays[name].dtype == array.dtype
        assert np.array_equal(loaded.arrays[name], array)
    assert loaded.library_version == lucidnet.__version__


# ================================================================== saving
def test_save_refuses_what_is_not_a_model(tmp_path):
    with pytest.raises(TypeError, match="model must be a lucidnet Network.*got dict"):
        model_io.save({"W": 1}, tmp_path / "m")
    assert not os.listdir(tmp_path)


def test_save_refuses_metadata_that_is_not_json(tmp_path):
    with pytest.raises(TypeError, match="metadata must hold only JSON values"):
        model_io.save(_network(), tmp_path / "m", metadata={"f": object()})
    with pytest.raises(TypeError, match="metadata must hold only JSON values"):
        model_io.save(_network(), tmp_path / "m", metadata={"x": float("nan")})
    with pytest.raises(TypeError, match="metadata must be a dict or None; got list"):
        model_io.save(_network(), tmp_path / "m", metadata=[1])


def test_save_checks_scaling_and_arrays(tmp_path):
    with pytest.raises(
        ValueError, match=r"input_scaling mean must be a finite array of shape \(4,\)"
    ):
        model_io.save(_network(), tmp_path / "m", input_scaling=(np.zeros(3), np.ones(4)))
    with pytest.raises(ValueError, match="input_scaling scale must be non-zero"):
        model_io.save(_network(), tmp_path / "m", input_scaling=(np.zeros(4), np.zeros(4)))
    with pytest.raises(ValueError, match=r"arrays\['o'\] must hold numbers .*got dtype object"):
        model_io.save(_network(), tmp_path / "m", arrays={"o": np.array([{}], dtype=object)})
    with pytest.raises(ValueError, match="arrays names must be non-empty"):
        model_io.save(_network(), tmp_path / "m", arrays={"../x": np.ones(2)})
    assert not os.listdir(tmp_path)


def test_failed_write_keeps_the_old_file_and_leaves_no_temporary(tmp_path, monkeypatch):
    path = tmp_path / "model.npz"
    model_io.save(_network(seed=1), path)
    before = path.read_bytes()

    def half_then_fail(stream, **arrays):
        stream.write(b"PK\x03\x04 half a zip")
        raise OSError("disk full")

    monkeypatch.setattr(model_io.np, "savez", half_then_fail)
    with pytest.raises(OSError, match="disk full"):
        model_io.save(_network(seed=2), path)
    assert path.read_bytes() == before
    assert os.listdir(tmp_path) == ["model.npz"]


def test_interrupted_rename_leaves_no_temporary(tmp_path, monkeypatch):
    path = tmp_path / "model"

    def no_rename(src, dst):
        raise KeyboardInterrupt

    monkeypatch.setattr(model_io.os, "replace", no_rename)
    with pytest.raises(KeyboardInterrupt):
        model_io.save(_network(), path)
    assert os.listdir(tmp_path) == []


def test_save_over_an_existing_file_replaces_it(tmp_path):
    path = tmp_path / "m"
    model_io.save(_network(seed=1), path)
    model_io.save(_network(seed=2), path)
    assert np.array_equal(model_io.load(path).params, _network(seed=2).params)
    assert os.listdir(tmp_path) == ["m"]


# ================================================================= refusals
class _Payload:
    """Unpickling this would create a file: evidence of code execution."""

    def __init__(self, marker):
        self.marker = str(marker)

    def __reduce__(self):
        return (open, (self.marker, "w"))


def test_a_pickle_file_is_refused_without_running_it(tmp_path):
    marker = tmp_path / "executed"
    path = tmp_path / "evil.model"
    path.write_bytes(pickle.dumps(_Payload(marker)))
    with pytest.raises(ModelFileError, match=r"evil\.model: holds a pickled object"):
        model_io.load(path)
    assert not marker.exists()


def test_an_archive_member_holding_a_pickle_is_refused(tmp_path, saved):
    marker = tmp_path / "executed"
    payload = np.empty(1, dtype=object)
    payload[0] = _Payload(marker)
    members = _members(saved)
    members["params"] = payload
    with open(saved, "wb") as stream:
        np.savez(stream, **members)
    with pytest.raises(ModelFileError, match="member 'params' holds a pickled object"):
        model_io.load(saved)
    assert not marker.exists()


@pytest.mark.parametrize("keep", [0, 2, 3, 10, 100, 0.5, 0.9, -1])
def test_a_truncated_file_is_refused(saved, keep):
    data = saved.read_bytes()
    size = (
        keep
        if isinstance(keep, int) and keep >= 0
        else int(len(data) * keep)
        if keep > 0
        else len(data) - 1
    )
    saved.write_bytes(data[:size])
    with pytest.raises(ModelFileError, match=str(saved)) as caught:
        model_io.load(saved)
    if size >= 2:  # it starts as a zip archive: said to be cut short, not foreign
        assert "damaged or truncated" in str(caught.value)


def test_params_of_the_wrong_length_are_refused(saved):
    params = _members(saved)["params"]
    _rewrite(saved, params=params[:-1])
    with pytest.raises(
        ModelFileError, match=r"params must be a 1-D array of 51 values .*\[4, 5, 3, 2\].*\(50,\)"
    ):
        model_io.load(saved)


def test_params_of_the_wrong_shape_are_refused(saved):
    params = _members(saved)["params"]
    _rewrite(saved, params=np.stack([params, params]))
    with pytest.raises(ModelFileError, match=r"params must be a 1-D array .*\(2, 51\)"):
        model_io.load(saved)


def test_layers_that_do_not_chain_are_refused(saved):
    header = _header(saved)
    header["network"]["layers"][1]["n_in"] = 6
    _rewrite(saved, header=header)
    with pytest.raises(ModelFileError, match="layer 1 has n_in=6 but the layer before has n_out=5"):
        model_io.load(saved)


def test_an_unknown_activation_is_refused(saved):
    header = _header(saved)
    header["network"]["layers"][0]["activation"] = {"name": "swish"}
    _rewrite(saved, header=header)
    with pytest.raises(ModelFileError, match=r"layer 0 activation: unknown activation 'swish'"):
        model_io.load(saved)


def test_bad_activation_parameters_are_refused(saved):
    header = _header(saved)
    header["network"]["layers"][0]["activation"] = {"name": "leaky_relu", "slope": 7}
    _rewrite(saved, header=header)
    with pytest.raises(ModelFileError, match="slope must be in"):
        model_io.load(saved)


def test_an_unknown_loss_is_refused(saved):
    header = _header(saved)
    header["network"]["loss"] = {"name": "hinge"}
    _rewrite(saved, header=header)
    with pytest.raises(ModelFileError, match="network loss: unknown loss 'hinge'"):
        model_io.load(saved)


def test_a_newer_format_is_refused_with_advice(saved):
    header = _header(saved)
    header["format_version"] = 2
    _rewrite(saved, header=header)
    with pytest.raises(ModelFileError, match="format version 2 .* upgrade lucidnet"):
        model_io.load(saved)


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda h: h.update(format="keras"), "not a lucidnet model file .format 'keras'"),
        (lambda h: h.pop("kind"), "header has no 'kind'"),
        (lambda h: h.update(kind="pickle"), "kind must be one of network, classifier, regressor"),
        (lambda h: h.update(dtype="float16"), "dtype must be float32 or float64"),
        (lambda h: h.update(n_params=True), "'n_params' must be int; got bool"),
        (lambda h: h.update(n_params=50), "n_params is 50 but the layers need 51"),
        (lambda h: h.update(metadata=[]), "'metadata' must be dict; got list"),
        (lambda h: h["network"]["layers"][0].update(n_out=0), "sizes must be positive"),
        (lambda h: h["network"]["layers"][0].update(evil="x"), "unknown key.s. evil"),
        (
            lambda h: h["network"]["layers"][0].update(dropout=1.5),
            r"dropout must be a number in \[0, 1\)",
        ),
        (
            lambda h: h["network"]["layers"][0].update(initializer="os.system"),
            "unknown initializer",
        ),
        (lambda h: h["network"].update(layers=[]), "network has no layers"),
        (lambda h: h.update(arrays=["x"]), r"missing array\(s\) extra.x"),
        (lambda h: h.update(classes=[0, 1]), r"missing array\(s\) classes"),
    ],
)
def test_inconsistent_headers_are_refused(saved, edit, message):
    header = _header(saved)
    edit(header)
    _rewrite(saved, header=header)
    with pytest.raises(ModelFileError, match=message):
        model_io.load(saved)


def test_header_that_is_not_json_is_refused(saved):
    _rewrite(saved, header_member=np.frombuffer(b"{not json", dtype=np.uint8))
    with pytest.raises(ModelFileError, match="header is not valid UTF-8 JSON"):
        model_io.load(saved)


def test_header_of_the_wrong_dtype_is_refused(saved):
    _rewrite(saved, header_member=np.arange(3.0))
    with pytest.raises(ModelFileError, match="header must be a 1-D uint8 array; got dtype float64"):
        model_io.load(saved)


def test_nonfinite_or_mistyped_params_are_refused(saved):
    params = _members(saved)["params"]
    _rewrite(saved, params=params.astype(np.float32))
    with pytest.raises(ModelFileError, match="params must be float64; got float32"):
        model_io.load(saved)
    bad = params.copy()
    bad[3] = np.nan
    _rewrite(saved, params=bad)
    with pytest.raises(ModelFileError, match="params hold NaN or infinite values"):
        model_io.load(saved)


def test_unexpected_or_missing_members_are_refused(saved):
    _rewrite(saved, surprise=np.ones(2))
    with pytest.raises(ModelFileError, match=r"unexpected array\(s\) surprise"):
        model_io.load(saved)
    _rewrite(saved, surprise=None, params=None)
    with pytest.raises(ModelFileError, match=r"missing array\(s\) params"):
        model_io.load(saved)
    _rewrite(saved, header_member=None)
    with pytest.raises(ModelFileError, match="no 'header' member"):
        model_io.load(saved)


def test_other_files_are_refused_clearly(tmp_path):
    with pytest.raises(ModelFileError, match=r"missing\.model: no such file"):
        model_io.load(tmp_path / "missing.model")
    with pytest.raises(ModelFileError, match="is a directory"):
        model_io.load(tmp_path)
    np.save(tmp_path / "plain.npy", np.ones(3))
    with pytest.raises(ModelFileError, match="a single .npy array"):
        model_io.load(tmp_path / "plain.npy")
    (tmp_path / "text.csv").write_text("a,b\n1,2\n")
    with pytest.raises(ModelFileError, match=r"text\.csv: not a lucidnet model file"):
        model_io.load(tmp_path / "text.csv")
    buffer = _bytes_io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "hello")
    (tmp_path / "other.zip").write_bytes(buffer.getvalue())
    with pytest.raises(ModelFileError, match="no 'header' member"):
        model_io.load(tmp_path / "other.zip")


def test_model_file_error_is_a_value_error(saved):
    saved.write_bytes(b"")
    with pytest.raises(ValueError, match="not a lucidnet model file"):
        model_io.load(saved)


def test_registry_names_are_the_ones_written(saved):
    # Every activation name in a saved file resolves through the registry as saved.
    for layer in _header(saved)["network"]["layers"]:
        assert activations.get(layer["activation"]).get_config() == layer["activation"]


# ============================================================== estimators
def _iris():
    from sklearn.datasets import load_iris

    X, y = load_iris(return_X_y=True)
    return (X - X.mean(axis=0)) / X.std(axis=0), y


def _fitted_estimators():
    from sklearn.datasets import make_multilabel_classification

    from lucidnet.estimators import NeuralNetClassifier, NeuralNetRegressor

    X, y = _iris()
    names = np.array(["setosa", "versicolor", "virginica"])[y]
    pd = pytest.importorskip("pandas")
    frame = pd.DataFrame(X, columns=["sl", "sw", "pl", "pw"])
    X_ml, Y_ml = make_multilabel_classification(n_samples=60, n_features=4, random_state=0)
    small = dict(hidden_layer_sizes=(5,), max_iter=5, random_state=0)
    return {
        "multiclass-strings": (NeuralNetClassifier(**small).fit(X, names), X),
        "binary-bool": (NeuralNetClassifier(class_weight={False: 2.0}, **small).fit(X, y == 1), X),
        "binary-float64-early": (
            NeuralNetClassifier(dtype="float64", early_stopping=True, **small).fit(X, y == 2),
            X,
        ),
        "dataframe": (
            NeuralNetClassifier(
                activation=("tanh", "relu"), hidden_layer_sizes=(4, 3), max_iter=5, random_state=0
            ).fit(frame, y),
            frame,
        ),
        "multilabel": (NeuralNetClassifier(**small).fit(X_ml, Y_ml), X_ml),
        "regressor-1d": (NeuralNetRegressor(**small).fit(X[:, :3], X[:, 3]), X[:, :3]),
        "regressor-2d": (
            NeuralNetRegressor(
                solver="lbfgs", hidden_layer_sizes=(5,), max_iter=5, random_state=0
            ).fit(X[:, :2], X[:, 2:]),
            X[:, :2],
        ),
    }


@pytest.fixture(scope="module")
def fitted_estimators():
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # five epochs do not converge, on purpose
        return _fitted_estimators()


@pytest.mark.parametrize(
    "case",
    [
        "multiclass-strings",
        "binary-bool",
        "binary-float64-early",
        "dataframe",
        "multilabel",
        "regressor-1d",
        "regressor-2d",
    ],
)
def test_fitted_estimator_round_trip_is_exact(tmp_path, fitted_estimators, case):
    estimator, X = fitted_estimators[case]
    path = tmp_path / "estimator.model"
    model_io.save(estimator, path)
    back = model_io.load(path)
    assert type(back) is type(estimator)
    assert back.get_params() == estimator.get_params()
    assert np.array_equal(back.network_.params, estimator.network_.params)
    assert back.network_.dtype == estimator.network_.dtype
    assert np.array_equal(back.predict(X), estimator.predict(X))
    for name in (
        "n_features_in_",
        "n_outputs_",
        "n_iter_",
        "t_",
        "loss_",
        "loss_curve_",
        "best_loss_",
        "validation_scores_",
        "best_validation_score_",
        "out_activation_",
    ):
        assert getattr(back, name) == getattr(estimator, name), name
    if hasattr(estimator, "classes_"):
        assert back.classes_.dtype == estimator.classes_.dtype
        assert np.array_equal(back.classes_, estimator.classes_)
        assert np.array_equal(back.predict_proba(X), estimator.predict_proba(X))
        assert back.score(X, estimator.predict(X)) == 1.0
    if hasattr(estimator, "feature_names_in_"):
        assert back.feature_names_in_.tolist() == estimator.feature_names_in_.tolist()
    else:
        assert not hasattr(back, "feature_names_in_")


@pytest.mark.parametrize("case", ["multiclass-strings", "binary-bool", "multilabel",
                                  "regressor-2d"])
def test_file_read_without_the_estimator_predicts_as_the_estimator(tmp_path, fitted_estimators,
                                                                     case):
    """estimator=False gives the network; its outputs read through _class_outputs are
    the estimator's predictions and probabilities, value for value."""
    from lucidnet import _class_outputs

    estimator, X = fitted_estimators[case]
    path = tmp_path / "m"
    model_io.save(estimator, path)
    loaded = model_io.load_file(path, estimator=False)
    assert type(loaded.model) is Network
    A = loaded.model.output(np.asarray(X, dtype=loaded.model.dtype)).astype(np.float64)
    if not hasattr(estimator, "classes_"):
        assert np.array_equal(A, estimator.predict(X))
        return
    y_type = loaded.header["estimator"]["fitted"]["y_type_"]
    labels = _class_outputs.labels(A, y_type, loaded.classes)
    assert labels.dtype == estimator.predict(X).dtype
    assert np.array_equal(labels, estimator.predict(X))
    assert np.array_equal(_class_outputs.probabilities(A, y_type), estimator.predict_proba(X))


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda h: h["estimator"]["fitted"].update(y_type_="binary"), "binary classifier"),
        (lambda h: h["estimator"]["fitted"].pop("y_type_"), "needs classes and a y_type_"),
        (lambda h: h.update(classes=["c", "b", "a"]), "do not describe a multiclass target"),
        (lambda h: h.update(classes=["a", "a", "b"]), "do not describe a multiclass target"),
        (lambda h: h.update(classes=["a", "b"]), "2 classes needs 2 softmax"),
        (lambda h: h["estimator"].update({"class": "Foo"}), "class must be NeuralNetClassifier"),
        (lambda h: h["estimator"]["fitted"].update(n_features_in_=7), "must match the network"),
        (lambda h: h["estimator"].update(fitted=[]), "params and fitted must be JSON objects"),
    ],
)
def test_file_read_without_the_estimator_still_checks_its_classes(tmp_path, fitted_estimators,
                                                                    edit, message):
    path = tmp_path / "m"
    model_io.save(fitted_estimators["multiclass-strings"][0], path)
    header = _header(path)
    edit(header)
    _rewrite(path, header=header)
    for estimator in (True, False):
        with pytest.raises(ModelFileError, match=message):
            model_io.load_file(path, estimator=estimator)


def test_a_multilabel_output_needs_two_labels():
    """One sigmoid unit with classes [0] is a binary target, not a multilabel one: its
    predict would index a missing class."""
    from lucidnet._class_outputs import check_output_layer

    net = Network([3, 2, 1], "relu", "sigmoid", random_state=0)
    with pytest.raises(ValueError, match=r"classes \[0\] do not describe a multilabel"):
        check_output_layer("multilabel-indicator", np.array([0]), net)
    check_output_layer("multilabel-indicator", np.array([0, 1]),
                       Network([3, 2, 2], "relu", "sigmoid", random_state=0))


def test_the_estimator_classes_a_file_may_name_are_the_estimators():
    from lucidnet._estimator_loading import _ESTIMATORS

    assert {kind: tuple(cls.__name__ for cls in classes)
            for kind, classes in _ESTIMATORS.items()} == model_io.ESTIMATOR_CLASSES


def test_file_read_without_the_estimator_does_not_import_scikit_learn(tmp_path,
                                                                     fitted_estimators):
    path = tmp_path / "m"
    model_io.save(fitted_estimators["multiclass-strings"][0], path)
    code = (f"import sys, lucidnet.io; lucidnet.io.load_file({str(path)!r}, estimator=False); "
            "print('sklearn' in sys.modules)")
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).parents[1] / "src")}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          env=env, check=True)
    assert done.stdout.strip() == "False"


def test_non_finite_scores_are_saved_and_loaded(tmp_path, fitted_estimators):
    """A validation R^2 of -inf (a model far off) must not stop the model from being
    saved: strict JSON has no infinity, so the file spells it "-inf"."""
    estimator, X = fitted_estimators["binary-float64-early"]
    estimator = pickle.loads(pickle.dumps(estimator))
    estimator.validation_scores_ = [-np.inf, float("nan"), *estimator.validation_scores_[2:]]
    estimator.best_validation_score_ = -np.inf
    estimator.loss_curve_ = [*estimator.loss_curve_, np.inf]
    model_io.save(estimator, tmp_path / "m")
    back = model_io.load(tmp_path / "m")
    assert back.validation_scores_[0] == -np.inf and np.isnan(back.validation_scores_[1])
    assert back.validation_scores_[2:] == estimator.validation_scores_[2:]
    assert back.best_validation_score_ == -np.inf
    fitted = model_io.load_file(tmp_path / "m").header["estimator"]["fitted"]
    assert fitted["validation_scores_"][:2] == ["-inf", "nan"]
    assert back.loss_curve_[-1] == np.inf and fitted["loss_curve_"][-1] == "inf"
    assert np.array_equal(back.predict(X), estimator.predict(X))


def test_an_infinite_setting_is_saved_and_loaded(tmp_path, fitted_estimators):
    """n_iter_no_change=np.inf (never stop, as scikit-learn allows) in a model file."""
    estimator, X = fitted_estimators["regressor-1d"]
    estimator = pickle.loads(pickle.dumps(estimator)).set_params(n_iter_no_change=np.inf)
    model_io.save(estimator, tmp_path / "m")
    back = model_io.load(tmp_path / "m")
    assert back.get_params()["n_iter_no_change"] == np.inf
    assert back.get_params() == estimator.get_params()
    assert np.array_equal(back.predict(X), estimator.predict(X))


def test_loaded_estimator_keeps_training(tmp_path, fitted_estimators):
    import warnings

    estimator, X = fitted_estimators["regressor-1d"]
    model_io.save(estimator, tmp_path / "m")
    back = model_io.load(tmp_path / "m")
    back.partial_fit(X, estimator.predict(X))
    assert back.n_iter_ == 1 and len(back.loss_curve_) == len(estimator.loss_curve_) + 1
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        back.set_params(warm_start=True, max_iter=2).fit(X, estimator.predict(X))
    assert back.n_iter_ == 2 and len(back.loss_curve_) == len(estimator.loss_curve_) + 3


def test_estimator_file_records_kind_classes_and_settings(tmp_path, fitted_estimators):
    estimator, _ = fitted_estimators["multiclass-strings"]
    model_io.save(estimator, tmp_path / "m", metadata={"target": "species"})
    loaded = model_io.load_file(tmp_path / "m")
    assert loaded.kind == "classifier"
    assert loaded.classes.tolist() == ["setosa", "versicolor", "virginica"]
    assert loaded.training["hidden_layer_sizes"] == [5]
    assert loaded.training["solver"] == "adam"
    assert loaded.metadata == {"target": "species"}
    assert "classes" not in _members(tmp_path / "m")  # strings live in the JSON header
    model_io.save(fitted_estimators["multilabel"][0], tmp_path / "n")
    assert _members(tmp_path / "n")["classes"].tolist() == [0, 1, 2, 3, 4]


def test_file_feature_names_do_not_become_feature_names_in(tmp_path, fitted_estimators):
    # The command line records column names for people; the estimator was fitted on an
    # array, and must not start expecting a DataFrame after loading.
    estimator, X = fitted_estimators["regressor-1d"]
    model_io.save(estimator, tmp_path / "m", feature_names=["a", "b", "c"])
    loaded = model_io.load_file(tmp_path / "m")
    assert loaded.feature_names == ["a", "b", "c"]
    assert not hasattr(loaded.model, "feature_names_in_")
    assert np.array_equal(loaded.model.predict(X), estimator.predict(X))


def test_unfitted_estimator_is_refused(tmp_path):
    from sklearn.exceptions import NotFittedError

    from lucidnet.estimators import NeuralNetClassifier

    with pytest.raises(NotFittedError, match="not fitted yet"):
        model_io.save(NeuralNetClassifier(), tmp_path / "m")
    assert not os.listdir(tmp_path)


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda h: h["estimator"].update({"class": "Pickle"}), "class must be NeuralNetClassifier"),
        (lambda h: h["estimator"]["params"].update(solver="newton"), "'solver' parameter"),
        (lambda h: h["estimator"]["params"].update(evil=1), r"unknown parameter\(s\) evil"),
        (lambda h: h["estimator"]["fitted"].update(n_features_in_=7), "must match the network"),
        (lambda h: h["estimator"]["fitted"].update(y_type_="binary"), "binary classifier"),
        (lambda h: h["estimator"]["fitted"].update(loss_curve_="x"), "loss_curve_ must be a list"),
        (
            lambda h: h.update(classes=["a", "b"]),
            "2 classes needs 2 softmax output.s.; the network has 3",
        ),
        (
            lambda h: h["estimator"]["fitted"].update(feature_names_in_=["x"]),
            "feature_names must list the 4 features",
        ),
        (lambda h: h.pop("estimator"), "header has no 'estimator'"),
    ],
)
def test_inconsistent_estimator_files_are_refused(tmp_path, fitted_estimators, edit, message):
    path = tmp_path / "m"
    model_io.save(fitted_estimators["multiclass-strings"][0], path)
    header = _header(path)
    edit(header)
    _rewrite(path, header=header)
    with pytest.raises(ModelFileError, match=message):
        model_io.load(path)


def test_deeply_nested_estimator_parameters_are_refused(tmp_path, fitted_estimators):
    path = tmp_path / "m"
    model_io.save(fitted_estimators["multiclass-strings"][0], path)
    header = _header(path)
    nested = "x"
    for _ in range(900):
        nested = [nested]
    header["estimator"]["params"]["class_weight"] = nested
    raw = json.dumps(header).encode()
    _rewrite(path, header_member=np.frombuffer(raw, dtype=np.uint8))
    with pytest.raises(ModelFileError, match="estimator"):
        model_io.load(path)


def test_a_standardizing_pipeline_round_trips_and_predicts_raw_features(tmp_path):
    """Pipeline([StandardScaler, estimator]) saves without pickle and loads as the same pipeline."""
    from sklearn.datasets import load_iris
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    from lucidnet import NeuralNetClassifier

    X, y = load_iris(return_X_y=True)
    pipeline = make_pipeline(
        StandardScaler(), NeuralNetClassifier(hidden_layer_sizes=(8,), max_iter=30, random_state=0)
    )
    with pytest.warns(Warning):  # 30 epochs do not converge: ConvergenceWarning
        pipeline.fit(X, y)
    path = tmp_path / "pipeline.npz"
    model_io.save(pipeline, path)
    back = model_io.load(path)
    assert type(back).__name__ == "Pipeline" and len(back.steps) == 2
    np.testing.assert_array_equal(back.predict(X), pipeline.predict(X))
    np.testing.assert_array_equal(back.predict_proba(X), pipeline.predict_proba(X))
    parts = model_io.load_file(path)
    np.testing.assert_array_equal(parts.input_scaling.mean, pipeline[0].mean_)
    with pytest.raises(TypeError, match=r"\[StandardScaler, lucidnet estimator\]"):
        model_io.save(make_pipeline(NeuralNetClassifier()), tmp_path / "bad.npz")


def _fitted_round_trip(pipeline, X, y, path):
    """``pipeline`` fitted (a few epochs: ConvergenceWarning silenced), saved to ``path``
    and loaded back."""
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        pipeline.fit(X, y)
    model_io.save(pipeline, path)
    return model_io.load(path)


@pytest.mark.parametrize(("with_mean", "with_std"),
                         [(True, True), (False, True), (True, False), (False, False)])
def test_a_pipeline_comes_back_with_its_step_names_and_scaler_parameters(
        tmp_path, with_mean, with_std):
    """named_steps and grid-search parameter names ('sc__with_mean') are the saved
    pipeline's own, and the scaler's fitted attributes are None where scikit-learn's
    fit leaves them None."""

    from sklearn.datasets import load_iris
    from sklearn.pipeline import Pipeline
    from sklearn.preprocessing import StandardScaler

    from lucidnet import NeuralNetClassifier

    X, y = load_iris(return_X_y=True)
    pipeline = Pipeline([("sc", StandardScaler(with_mean=with_mean, with_std=with_std)),
                         ("clf", NeuralNetClassifier((8,), max_iter=20, random_state=0))])
    path = tmp_path / "pipeline.npz"
    back = _fitted_round_trip(pipeline, X, y, path)
    assert list(back.named_steps) == ["sc", "clf"]
    params, saved = back.get_params(), pipeline.get_params()
    for name in ("sc__with_mean", "sc__with_std", "clf__hidden_layer_sizes"):
        assert params[name] == saved[name]
    for attribute in ("scale_", "var_"):
        assert (getattr(back["sc"], attribute) is None) == (getattr(pipeline["sc"], attribute)
                                                            is None)
    np.testing.assert_array_equal(back.predict_proba(X), pipeline.predict_proba(X))
    if with_mean or with_std:
        np.testing.assert_array_equal(back["sc"].mean_, pipeline["sc"].mean_ if with_mean
                                      else np.zeros(X.shape[1]))
    good = _header(path)
    for steps in (["a__b", "clf"], ["memory", "clf"], ["sc", "sc"]):
        header = json.loads(json.dumps(good))
        header["input_scaling"]["pipeline"]["steps"] = steps
        _rewrite(path, header)
        with pytest.raises(ModelFileError, match="input_scaling's pipeline must be"):
            model_io.load(path)
    # A scaler that does not center must not come with a mean the command line would
    # subtract (its predictions would differ from the pipeline's).
    header = json.loads(json.dumps(good))
    header["input_scaling"]["pipeline"]["with_mean"] = False
    _rewrite(path, header)
    if with_mean:
        with pytest.raises(ModelFileError, match="without with_mean"):
            model_io.load(path)
    else:
        model_io.load(path)


def test_a_pipeline_fitted_on_a_dataframe_keeps_checking_column_names(tmp_path):
    """Its scaler was fitted with the columns' names: the loaded pipeline refuses
    reordered columns and warns on a bare array exactly as scikit-learn's saved one."""

    from sklearn.datasets import load_wine
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    from lucidnet import NeuralNetClassifier

    pytest.importorskip("pandas")
    frame, y = load_wine(return_X_y=True, as_frame=True)
    pipeline = make_pipeline(StandardScaler(), NeuralNetClassifier(max_iter=50, random_state=0))
    path = tmp_path / "pipeline.npz"
    back = _fitted_round_trip(pipeline, frame, y, path)
    assert model_io.load_file(path).feature_names == list(frame.columns)
    np.testing.assert_array_equal(back.predict_proba(frame), pipeline.predict_proba(frame))
    reversed_columns = frame[frame.columns[::-1]]
    for model in (pipeline, back):
        with pytest.raises(ValueError, match="feature names should match"):
            model.predict(reversed_columns)
        with pytest.warns(UserWarning, match="X does not have valid feature names"):
            model.predict(frame.to_numpy())
    with pytest.raises(ValueError, match="feature_names must be the Pipeline's own"):
        model_io.save(pipeline, tmp_path / "other.npz", feature_names=list(frame.columns[::-1]))
    header = _header(path)
    header["input_scaling"]["feature_names_in"] = "yes"
    _rewrite(path, header=header)
    with pytest.raises(ModelFileError, match="feature_names_in must be true or false"):
        model_io.load(path)


def test_saving_into_a_missing_directory_names_it(tmp_path):
    with pytest.raises(FileNotFoundError, match="no such directory to write into") as info:
        model_io.save(_network(), tmp_path / "nodir" / "model.npz")
    assert info.value.filename == str(tmp_path / "nodir")


def test_saving_non_finite_parameters_is_refused_and_writes_nothing(tmp_path):
    net = _network()
    net.params[0] = np.nan
    with pytest.raises(ValueError, match="NaN or infinite"):
        model_io.save(net, tmp_path / "bad.npz")
    assert not list(tmp_path.iterdir())


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symbolic links")
def test_saving_through_a_symbolic_link_replaces_its_target_and_keeps_the_link(tmp_path) -> None:
    from lucidnet.io import load, save

    real = tmp_path / "models" / "current.npz"
    real.parent.mkdir()
    real.write_bytes(b"old")
    link = tmp_path / "model.npz"
    try:
        os.symlink(real, link)
    except OSError:
        pytest.skip("symbolic links cannot be made here")
    net = Network([3, 2, 1], random_state=0)
    save(net, link)
    assert link.is_symlink() and os.readlink(link) == str(real)
    np.testing.assert_array_equal(load(real).params, net.params)
    assert sorted(p.name for p in real.parent.iterdir()) == ["current.npz"]  # no leftovers
    # A link to a directory that is gone: the error names the missing directory.
    dangling = tmp_path / "dangling.npz"
    os.symlink(tmp_path / "gone" / "m.npz", dangling)
    with pytest.raises(FileNotFoundError, match="gone"):
        save(net, dangling)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_a_pipe_or_device_is_written_in_place_not_replaced(tmp_path) -> None:
    """/dev/null, /dev/stdout or a named pipe (directly or through a link) is opened and
    written: never swapped for a regular file (as root that would replace a device)."""
    import stat
    import threading

    from lucidnet._atomic import atomic_file, check_writable

    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)
    link = tmp_path / "out.csv"
    os.symlink(pipe, link)
    received = []
    reader = threading.Thread(target=lambda: received.append(pipe.read_bytes()), daemon=True)
    reader.start()
    check_writable(link)  # does not block on the pipe
    with atomic_file(link, "wb") as stream:
        stream.write(b"a,b\n1,2\n")
    reader.join(timeout=10)
    assert received == [b"a,b\n1,2\n"]
    assert stat.S_ISFIFO(os.stat(pipe).st_mode) and link.is_symlink()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.csv", "pipe"]
    if os.path.exists(os.devnull):
        null = tmp_path / "null.csv"
        os.symlink(os.devnull, null)
        with atomic_file(null, "w") as stream:
            stream.write("discarded\n")
        assert stat.S_ISCHR(os.stat(os.devnull).st_mode) and null.is_symlink()
        model_io.save(Network([3, 2, 1], random_state=0), os.devnull)  # zip seeks; it not


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_a_model_file_written_to_a_pipe_is_whole(tmp_path) -> None:
    """A model archive through a named pipe arrives complete (zip writing seeks back,
    so it is built in memory first) and loads as the model."""
    import threading

    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)
    received = []
    # daemon: a failing save must not leave the test run waiting on the pipe
    reader = threading.Thread(target=lambda: received.append(pipe.read_bytes()), daemon=True)
    reader.start()
    net = Network([12, 30, 3], random_state=0)
    model_io.save(net, pipe)
    reader.join(timeout=10)
    copy = tmp_path / "copy.npz"
    copy.write_bytes(received[0])
    np.testing.assert_array_equal(model_io.load(copy).params, net.params)


def test_input_scaling_returns_a_float64_array_whatever_it_is_given() -> None:
    from lucidnet.io import InputScaling

    scaling = InputScaling(mean=np.array([1.0, 2.0], np.float32), scale=np.array([2.0, 4.0]))
    rows = [[3.0, 6.0], [1.0, 2.0]]
    expected = [[1.0, 1.0], [0.0, 0.0]]
    inputs = [np.array(rows, np.float32), np.array(rows), rows, np.array(rows, np.int64)]
    pd = pytest.importorskip("pandas")
    inputs.append(pd.DataFrame(rows, columns=["a", "b"]))
    for X in inputs:
        scaled = scaling.transform(X)
        assert type(scaled) is np.ndarray and scaled.dtype == np.float64
        np.testing.assert_array_equal(scaled, expected)
    original = np.array(rows)
    scaling.transform(original)
    np.testing.assert_array_equal(original, rows)  # the input is left alone


@pytest.mark.parametrize("params", [
    {"hidden_layer_sizes": np.array([3, 4])},
    {"hidden_layer_sizes": range(3, 5)},
    {"dropout": np.array([0.1])},
    {"early_stopping": np.True_},
    {"verbose": np.False_},
], ids=["array-sizes", "range-sizes", "array-dropout", "numpy-true", "numpy-false"])
def test_numpy_and_range_parameter_values_survive_a_round_trip(tmp_path, params):
    """Values scikit-learn takes (an array of layer sizes, a NumPy bool) were saved as
    null, and the file could not be loaded."""
    import warnings

    from sklearn.datasets import load_iris

    X, y = load_iris(return_X_y=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # ConvergenceWarning
        fitted = lucidnet.NeuralNetClassifier(max_iter=5, random_state=0, **params).fit(X, y)
    lucidnet.save(fitted, tmp_path / "m.npz")
    loaded = lucidnet.load(tmp_path / "m.npz")
    np.testing.assert_array_equal(loaded.predict_proba(X), fitted.predict_proba(X))
    (name, value), = params.items()
    expected = value if np.ndim(value) == 0 and not isinstance(value, range) else tuple(value)
    assert loaded.get_params()[name] == expected


@pytest.mark.skipif(not hasattr(os, "fchmod"), reason="POSIX permissions")
def test_a_file_written_over_keeps_its_permissions(tmp_path) -> None:
    """The atomic rename puts a new file in place; it must carry the old one's mode,
    as open(path, "w") would, or a private (0600) model becomes readable by all."""
    import stat

    out = tmp_path / "model.npz"
    model_io.save(Network([3, 2, 1], random_state=0), out)
    for mode in (0o600, 0o640, 0o604):
        os.chmod(out, mode)
        model_io.save(Network([3, 2, 1], random_state=1), out)
        assert stat.S_IMODE(os.stat(out).st_mode) == mode
    fresh = tmp_path / "fresh.npz"
    umask = os.umask(0o022)
    try:
        model_io.save(Network([3, 2, 1], random_state=0), fresh)
    finally:
        os.umask(umask)
    assert stat.S_IMODE(os.stat(fresh).st_mode) == 0o644  # a new file: the umask's


def test_a_read_only_file_is_not_replaced(tmp_path, monkeypatch) -> None:
    """As open(path, "w") refuses a file the user may not write, so does the rename
    that would replace it.  (Root may write any file: there the answer of
    os.access is set to what it gives a user.)"""
    from lucidnet import _atomic

    out = tmp_path / "model.npz"
    out.write_bytes(b"kept")
    os.chmod(out, 0o444)
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        monkeypatch.setattr(_atomic.os, "access", lambda path, mode: mode != os.W_OK)
    with pytest.raises(PermissionError, match="read-only"):
        model_io.save(Network([3, 2, 1], random_state=0), out)
    assert out.read_bytes() == b"kept"


def test_a_text_file_that_starts_with_pk_is_foreign_not_truncated(tmp_path) -> None:
    """Only a zip's own first bytes (or a file cut within them) are a damaged model;
    a CSV whose header begins 'PKey' is no model at all (MODEL and DATA swapped)."""
    text = tmp_path / "keys.csv"
    text.write_text("PKey,a\n1,2\n")
    with pytest.raises(ModelFileError, match="not a lucidnet model file"):
        model_io.load(text)
