"""Model files: a network or a fitted estimator as arrays plus a JSON header, no pickle.

A model file is a NumPy ``.npz`` archive (whatever the file's suffix) holding

=================  ===========================================================
member             contents
=================  ===========================================================
``header``         uint8 array: the UTF-8 bytes of a JSON object (below)
``params``         the network's flat parameter buffer, float32 or float64
``classes``        the estimator's ``classes_`` when they are numbers
``input_mean``     per-feature mean subtracted before the network (optional)
``input_scale``    per-feature scale divided by after that (optional)
``extra.<name>``   arrays the caller asked to keep (``save(..., arrays=)``)
=================  ===========================================================

and the header::

    {"format": "lucidnet-model", "format_version": 1, "library_version": "0.1.0",
     "kind": "network" | "classifier" | "regressor",
     "network": Network.get_config(), "dtype": "float32" | "float64", "n_params": int,
     "classes": [...] | null, "feature_names": [...] | null,
     "input_scaling": {"mean": "input_mean", "scale": "input_scale",
                       "feature_names_in": true (optional),
                       "pipeline": {"steps": [scaler's name, model's name],
                                    "with_mean": bool, "with_std": bool} (optional)}
                      | null,
     "training": {...}, "metadata": {...}, "arrays": ["<name>", ...],
     "estimator": {"class": ..., "params": {...}, "fitted": {...}}   (estimators only)}

(strict JSON: a fitted score or loss that is not finite is written "inf", "-inf" or
"nan").

Loading opens the archive with ``allow_pickle=False`` and checks everything before
building anything: the format name and version, the header's keys and types, every
activation and loss name against the registries, that the layer sizes chain, that
``params`` is a 1-D finite array of exactly the right length and dtype, and that the
archive holds no member it should not.  Anything wrong raises
:class:`~lucidnet.errors.ModelFileError` whose message starts with the file's path.

Saving is atomic: the archive is written to a temporary file in the target's
directory and moved over the target with :func:`os.replace`, so a reader sees either
the old file or the complete new one, and a failed save leaves no partial file.

For the command line and other callers that keep more than the model:
:func:`save` takes ``metadata`` (JSON-able dict), ``input_scaling`` (mean and scale
of a standardization applied before the network), ``feature_names`` and ``arrays``
(extra numeric arrays); :func:`load_file` returns all of them in a
:class:`LoadedModel`, while :func:`load` returns only the model.

This module reads and writes model files; it does not train and does not store
optimizer state (checkpoints are the training module's business).
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from . import activations, initializers, losses
from ._atomic import atomic_file
from ._class_outputs import check_output_layer
from .errors import ModelFileError
from .network import Network

__all__ = ["save", "load", "load_file", "LoadedModel", "InputScaling", "FORMAT", "FORMAT_VERSION"]

FORMAT = "lucidnet-model"
#: Bumped when a change would make older readers misread a file; a file with a higher
#: version than this is refused with a message asking for a newer lucidnet.
FORMAT_VERSION = 1

#: Refuse headers larger than this before decoding them (a real one is a few kB).
_MAX_HEADER_BYTES = 16 * 2**20
_EXTRA_PREFIX = "extra."
_KINDS = ("network", "classifier", "regressor")
_LAYER_KEYS = {"n_in", "n_out", "activation", "use_bias", "dropout", "initializer"}


@dataclass(frozen=True)
class InputScaling:
    """A standardization ``(X - mean) / scale`` applied to features before the network.

    Attributes
    ----------
    mean, scale : ndarray of shape (n_features,)
    feature_names_in : list of str or None
        The column names the scaler was fitted with (a pipeline fitted on a DataFrame);
        the pipeline :func:`load` rebuilds checks them, as the saved one did.
    pipeline : dict or None
        For a saved ``Pipeline([StandardScaler, estimator])``: its step names
        (``"steps"``) and the scaler's ``with_mean`` / ``with_std``, so that
        :func:`load` rebuilds it under the same names and parameters.
    """

    mean: np.ndarray
    scale: np.ndarray
    feature_names_in: list[str] | None = None
    pipeline: dict[str, Any] | None = None

    def transform(self, X: np.ndarray) -> np.ndarray:
        """``(X - mean) / scale`` for ``X`` of shape (m, n_features), as a new float64
        array."""
        scaled = np.subtract(np.asarray(X), self.mean, dtype=np.float64)  # divided in place
        scaled /= self.scale
        return scaled


@dataclass
class LoadedModel:
    """Everything a model file holds, as returned by :func:`load_file`.

    Attributes
    ----------
    model : Network, NeuralNetClassifier or NeuralNetRegressor
        Ready to predict (an estimator comes back fitted; with ``estimator=False``, its
        Network).
    kind : {"network", "classifier", "regressor"}
    metadata : dict
        The caller's ``metadata`` given to :func:`save` (empty when none).
    input_scaling : InputScaling or None
    feature_names : list of str or None
    classes : ndarray or None
        The estimator's ``classes_`` (None for a network or a regressor).
    training : dict
        The training settings recorded at save time (the estimator's parameters for an
        estimator, or what the caller passed as ``training``).
    arrays : dict of str to ndarray
        The extra arrays given to :func:`save` as ``arrays``.
    library_version : str
        The lucidnet version that wrote the file.
    header : dict
        The raw (validated) JSON header.
    """

    model: Any
    kind: str
    metadata: dict[str, Any] = field(default_factory=dict)
    input_scaling: InputScaling | None = None
    feature_names: list[str] | None = None
    classes: np.ndarray | None = None
    training: dict[str, Any] = field(default_factory=dict)
    arrays: dict[str, np.ndarray] = field(default_factory=dict)
    library_version: str = ""
    header: dict[str, Any] = field(default_factory=dict)


# ======================================================================= saving
def save(
    model: Any,
    path: str | os.PathLike,
    *,
    metadata: Mapping[str, Any] | None = None,
    input_scaling: InputScaling | tuple[Any, Any] | None = None,
    feature_names: Sequence[str] | None = None,
    training: Mapping[str, Any] | None = None,
    arrays: Mapping[str, Any] | None = None,
) -> None:
    """Write ``model`` to exactly ``path`` (any suffix), atomically, without pickle.

    Parameters
    ----------
    model : Network, a fitted NeuralNetClassifier / NeuralNetRegressor, or a fitted
        ``Pipeline([StandardScaler, estimator])`` (saved as the estimator plus its
        input scaling), with or without the ``"encode"`` step in front that
        :func:`load` gives a model ``lucidnet train`` made with one-hot columns or
        ``--impute`` (kept as ``metadata["encoding"]``)
    path : str or path-like
        Written as given: no suffix is added.
    metadata : dict, optional
        JSON-able information to keep with the model (the command line keeps the
        task, the target column, ...).  Returned as ``LoadedModel.metadata``.
    input_scaling : InputScaling or (mean, scale), optional
        Arrays of shape (n_features,) of a standardization applied before the network.
    feature_names : sequence of str, optional
        Defaults to an estimator's ``feature_names_in_`` when it has them.
    training : dict, optional
        JSON-able training settings; an estimator's parameters are always recorded.
    arrays : dict of str to array-like, optional
        Extra numeric arrays (names: letters, digits, ``_``, ``-``).

    Raises
    ------
    TypeError
        ``model`` is not a network or a fitted estimator, or ``metadata`` /
        ``training`` is not JSON-able.
    ValueError
        Bad ``input_scaling``, ``feature_names`` or ``arrays``.
    OSError
        The file cannot be written; the previous file at ``path`` is then intact.
    """
    model, encoding = _unwrap_encoding(model)
    if encoding is not None:
        metadata = {**(metadata or {}), "encoding": encoding}
    model, input_scaling = _unwrap_standardizing_pipeline(model, input_scaling)
    network, kind, estimator_state, classes = _describe_model(model)
    network.check_rebuildable()  # before writing: load must be able to read it back
    checked_names = getattr(input_scaling, "feature_names_in", None)
    if checked_names is not None:
        # A pipeline fitted on a DataFrame: its scaler checks the columns' names.
        if feature_names is not None and list(feature_names) != checked_names:
            raise ValueError("feature_names must be the Pipeline's own (its scaler was "
                             f"fitted with {checked_names}); got {list(feature_names)}")
        feature_names = checked_names
    if feature_names is None and kind != "network" and hasattr(model, "feature_names_in_"):
        feature_names = list(model.feature_names_in_)
    header: dict[str, Any] = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "library_version": _library_version(),
        "kind": kind,
        "network": network.get_config(),
        "dtype": network.dtype.name,
        "n_params": int(network.n_params),
        "classes": None,
        "feature_names": _check_feature_names(feature_names),
        "input_scaling": None,
        "training": _json_object(training, "training"),
        "metadata": _json_object(metadata, "metadata"),
        "arrays": [],
    }
    if not np.isfinite(network.params).all():
        # load() refuses such a file; say so now rather than when it is read back.
        raise ValueError("model parameters hold NaN or infinite values; nothing was written")
    members: dict[str, np.ndarray] = {"params": network.params}
    if estimator_state is not None:
        header["estimator"] = estimator_state
        header["training"] = {**estimator_state["params"], **header["training"]}
    if classes is not None:
        header["classes"], numeric = _encode_classes(classes)
        if numeric is not None:
            members["classes"] = numeric
    if input_scaling is not None:
        mean, scale = _check_input_scaling(input_scaling, network.layer_sizes[0])
        members["input_mean"], members["input_scale"] = mean, scale
        header["input_scaling"] = {"mean": "input_mean", "scale": "input_scale"}
        if checked_names is not None:
            header["input_scaling"]["feature_names_in"] = True
        if getattr(input_scaling, "pipeline", None) is not None:
            header["input_scaling"]["pipeline"] = input_scaling.pipeline
    for name, array in _check_extra_arrays(arrays).items():
        members[_EXTRA_PREFIX + name] = array
        header["arrays"].append(name)
    encoded = json.dumps(header, allow_nan=False).encode("utf-8")
    members["header"] = np.frombuffer(encoded, dtype=np.uint8)
    _write_atomically(os.fspath(path), members)


def _unwrap_encoding(model: Any) -> tuple[Any, dict[str, Any] | None]:
    """A Pipeline whose first step is the ``"encode"`` step :func:`load` puts before a
    model of ``lucidnet train`` -> (the Pipeline's other steps, that encoding as the
    metadata keeps it); any other model as given, with None."""
    steps = getattr(model, "steps", None)
    if steps is None or type(model).__name__ != "Pipeline" or len(steps) < 2:
        return model, None
    from ._encoding import Encoding, is_column_transformer

    if not is_column_transformer(steps[0][1]):
        return model, None
    from sklearn.pipeline import Pipeline

    encoding = Encoding.from_transformer(steps[0][1]).to_json()
    rest = steps[1:]
    return (rest[0][1] if len(rest) == 1 else Pipeline(rest)), encoding


def _unwrap_standardizing_pipeline(model: Any, input_scaling: Any) -> tuple[Any, Any]:
    """``Pipeline([StandardScaler, estimator])`` -> (estimator, its scaling); others as given.

    The scaler becomes the file's input scaling, which :func:`load` turns back into
    the same two-step pipeline, so a pipeline round-trips without pickle.
    """
    steps = getattr(model, "steps", None)
    if steps is None or type(model).__name__ != "Pipeline":
        return model, input_scaling
    from sklearn.preprocessing import StandardScaler

    if len(steps) != 2 or not isinstance(steps[0][1], StandardScaler):
        raise TypeError(
            "a Pipeline can be saved when it is [StandardScaler, lucidnet estimator]; "
            f"got steps {[type(step).__name__ for _, step in steps]}"
        )
    if input_scaling is not None:
        raise ValueError("input_scaling must not be given with a Pipeline: its scaler is saved")
    scaler = steps[0][1]
    n_features = getattr(scaler, "n_features_in_", None)
    if n_features is None:
        raise TypeError("the Pipeline's StandardScaler is not fitted")
    mean = scaler.mean_ if scaler.with_mean else np.zeros(n_features)
    scale = scaler.scale_ if scaler.with_std else np.ones(n_features)
    names = getattr(scaler, "feature_names_in_", None)
    pipeline = {"steps": [str(name) for name, _ in steps],
                "with_mean": bool(scaler.with_mean), "with_std": bool(scaler.with_std)}
    return steps[1][1], InputScaling(mean, scale, None if names is None else list(names),
                                     pipeline)


def _standardizing_pipeline(estimator: Any, scaling: InputScaling) -> Any:
    """A fitted ``Pipeline([("standardize", StandardScaler), ("model", estimator)])``,
    or the saved pipeline's own step names and scaler parameters."""
    from sklearn.pipeline import Pipeline
    from sklearn.preprocessing import StandardScaler

    saved = scaling.pipeline or {}
    names = saved.get("steps", ["standardize", "model"])
    with_mean, with_std = saved.get("with_mean", True), saved.get("with_std", True)
    scaler = StandardScaler(with_mean=with_mean, with_std=with_std)
    # The fitted state StandardScaler.transform reads; set directly, as fit would
    # (None where scikit-learn's fit leaves None).
    scaler.mean_ = scaling.mean.copy() if with_mean or with_std else None
    scaler.scale_ = scaling.scale.copy() if with_std else None
    with np.errstate(over="ignore"):  # a scale near float64's limit: var_ is not used
        scaler.var_ = scaling.scale**2 if with_std else None
    scaler.n_features_in_ = scaling.mean.size
    scaler.n_samples_seen_ = 0
    if scaling.feature_names_in is not None:
        scaler.feature_names_in_ = np.asarray(scaling.feature_names_in, dtype=object)
    return Pipeline([(names[0], scaler), (names[1], estimator)])


def _describe_model(model: Any) -> tuple[Network, str, dict | None, np.ndarray | None]:
    """The network inside ``model``, its kind, an estimator's state and classes."""
    if isinstance(model, Network):
        return model, "network", None, None
    export = getattr(model, "_lucidnet_export_state", None)
    if export is None:
        raise TypeError(
            "model must be a lucidnet Network, NeuralNetClassifier or NeuralNetRegressor; "
            f"got {type(model).__name__}"
        )
    network, kind, state, classes = export()
    return network, kind, state, classes


def _library_version() -> str:
    from . import __version__

    return __version__


def _json_object(value: Mapping[str, Any] | None, name: str) -> dict[str, Any]:
    """A JSON round-trip of ``value`` (so what is saved is what loads), or TypeError."""
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise TypeError(f"{name} must be a dict or None; got {type(value).__name__}")
    try:
        return json.loads(json.dumps(dict(value), allow_nan=False))
    except (TypeError, ValueError) as exc:
        raise TypeError(f"{name} must hold only JSON values (finite numbers); {exc}") from None


def _check_feature_names(names: Sequence[str] | None) -> list[str] | None:
    if names is None:
        return None
    names = list(names)
    if not all(isinstance(n, str) for n in names):
        raise ValueError(f"feature_names must be a sequence of str; got {names!r}")
    return names


def _encode_classes(classes: np.ndarray) -> tuple[list, np.ndarray | None]:
    """JSON form of ``classes_`` and, when they are numbers, the exact array."""
    classes = np.asarray(classes)
    if classes.dtype.kind in "biuf":
        return classes.tolist(), classes
    as_list = classes.tolist()
    if not all(isinstance(c, str) for c in as_list):
        raise TypeError(
            "classes_ must be numbers or strings to be saved; got "
            f"{sorted({type(c).__name__ for c in as_list})}"
        )
    return as_list, None


def _check_input_scaling(value: Any, n_features: int) -> tuple[np.ndarray, np.ndarray]:
    if isinstance(value, InputScaling):
        mean, scale = value.mean, value.scale
    else:
        try:
            mean, scale = value
        except (TypeError, ValueError):
            raise ValueError(
                f"input_scaling must be an InputScaling or a (mean, scale) pair; got {value!r}"
            ) from None
    out = []
    for label, array in (("mean", mean), ("scale", scale)):
        array = np.asarray(array, dtype=np.float64)
        if array.shape != (n_features,) or not np.isfinite(array).all():
            raise ValueError(
                f"input_scaling {label} must be a finite array of shape ({n_features},); "
                f"got shape {array.shape}"
            )
        out.append(np.ascontiguousarray(array))
    if not (out[1] != 0).all():
        raise ValueError("input_scaling scale must be non-zero everywhere")
    return out[0], out[1]


def _check_extra_arrays(arrays: Mapping[str, Any] | None) -> dict[str, np.ndarray]:
    if arrays is None:
        return {}
    out = {}
    for name, value in arrays.items():
        if not isinstance(name, str) or not name or not all(c.isalnum() or c in "_-" for c in name):
            raise ValueError(
                f"arrays names must be non-empty and use letters, digits, '_' or '-'; got {name!r}"
            )
        array = np.asarray(value)
        if array.dtype.kind not in "biuf":
            raise ValueError(
                f"arrays[{name!r}] must hold numbers (no objects); got dtype {array.dtype}"
            )
        out[name] = array
    return out


def _write_atomically(path: str, members: dict[str, np.ndarray]) -> None:
    """np.savez into a temporary sibling of ``path``, then rename it over ``path``."""
    with atomic_file(path) as stream:
        # Through a file object: np.savez would append ".npz" to a bare name.
        np.savez(stream, **members)


# ====================================================================== loading
def load(path: str | os.PathLike) -> Any:
    """Read a model file written by :func:`save`: a Network or a fitted estimator.

    An estimator saved with an input scaling (a saved ``Pipeline([StandardScaler,
    estimator])``, or a model trained by ``lucidnet train``, which standardizes
    features) comes back as that fitted two-step ``Pipeline``, so that ``predict``
    takes raw features, exactly like ``lucidnet predict``.  A model ``lucidnet train``
    made with one-hot text columns or ``--impute`` gets a first step more, ``"encode"``
    (a fitted ``ColumnTransformer``), and then takes the file's own columns: a pandas
    DataFrame of them, as ``pd.read_csv`` gives them (found by name; the label column
    and others are left out).  :func:`load_file` gives the parts separately.

    Raises
    ------
    ModelFileError
        The file is missing, damaged, holds a pickle, comes from a newer lucidnet, or
        anything in it is inconsistent; the message starts with the path.
    """
    loaded = load_file(path)
    model = loaded.model
    if loaded.kind == "network":
        return model
    if loaded.input_scaling is not None:
        model = _standardizing_pipeline(model, loaded.input_scaling)
    if loaded.metadata.get("encoding") is not None:
        model = _encoding_pipeline(os.fspath(path), model, loaded)
    return model


def _encoding_pipeline(where: str, model: Any, loaded: LoadedModel) -> Any:
    """``model`` (an estimator or a standardizing Pipeline) behind the one-hot encoding
    and filled-in numbers of a model ``lucidnet train`` made from a file's columns."""
    from sklearn.pipeline import Pipeline

    from ._encoding import Encoding

    try:
        encoding = Encoding.from_json(loaded.metadata["encoding"],
                                      int(loaded.model.n_features_in_))
    except ValueError as exc:
        raise _fail(where, f"metadata: {exc}") from None
    steps = list(model.steps) if isinstance(model, Pipeline) else [("model", model)]
    # The encoder's outputs are an array: the step after it checks no column names.
    for _, step in steps:
        if hasattr(step, "feature_names_in_"):
            del step.feature_names_in_
    return Pipeline([("encode", encoding.transformer()), *steps])


def load_file(path: str | os.PathLike, *, estimator: bool = True) -> LoadedModel:
    """Read a model file and everything saved with it (metadata, scaling, arrays).

    ``estimator=False`` leaves a saved estimator's network as ``model`` instead of
    rebuilding the estimator, which needs scikit-learn (about a second to import); a
    classifier's output layer is still checked against its classes.  See :func:`load`
    for the errors.
    """
    where = os.fspath(path)
    members = _read_members(where)
    header = _parse_header(where, members.pop("header"))
    _check_members(where, header, set(members))
    network = _build_network(where, header, members["params"])
    classes = _decode_classes(where, header, members.get("classes"))
    loaded = LoadedModel(
        model=network,
        kind=header["kind"],
        metadata=header["metadata"],
        input_scaling=_decode_input_scaling(where, header, members),
        feature_names=header["feature_names"],
        classes=classes,
        training=header["training"],
        arrays={name: members[_EXTRA_PREFIX + name] for name in header["arrays"]},
        library_version=header["library_version"],
        header=header,
    )
    if header["kind"] == "network":
        return loaded
    try:
        _check_estimator_state(header["kind"], header["estimator"], network, classes)
    except (ValueError, TypeError) as exc:
        raise _fail(where, f"estimator: {type(exc).__name__}: {exc}") from None
    if estimator:
        loaded.model = _build_estimator(where, header, network, classes)
    return loaded


#: The estimator classes a file may name, by kind (lucidnet.estimators defines them).
ESTIMATOR_CLASSES = {"classifier": ("NeuralNetClassifier", "MLPClassifier"),
                     "regressor": ("NeuralNetRegressor", "MLPRegressor")}


def _check_estimator_state(kind: str, state: dict[str, Any], network: Network,
                           classes: np.ndarray | None) -> None:
    """What predicting needs of a file's estimator state, checked without scikit-learn:
    a known class, the network's sizes, and a classifier's classes against its output
    layer.  ValueError or TypeError when anything does not fit."""
    names = ESTIMATOR_CLASSES[kind]
    if state.get("class") not in names:
        raise ValueError(f"class must be {' or '.join(names)} for a {kind}; "
                         f"got {state.get('class')!r}")
    params, fitted = state.get("params"), state.get("fitted")
    if not isinstance(params, dict) or not isinstance(fitted, dict):
        raise TypeError("params and fitted must be JSON objects")
    n_features, n_outputs = network.layer_sizes[0], network.layer_sizes[-1]
    if fitted.get("n_features_in_") != n_features or fitted.get("n_outputs_") != n_outputs:
        raise ValueError(
            f"n_features_in_ and n_outputs_ must match the network's {n_features} inputs and "
            f"{n_outputs} outputs; got {fitted.get('n_features_in_')!r} and "
            f"{fitted.get('n_outputs_')!r}"
        )
    if kind == "classifier":
        check_output_layer(fitted.get("y_type_"), classes, network)


def _fail(path: str, message: str) -> ModelFileError:
    return ModelFileError(f"{path}: {message}")


def _read_members(path: str) -> dict[str, np.ndarray]:
    """Every member of the archive, read with pickling off."""
    if not os.path.exists(path):
        raise _fail(path, "no such file")
    if os.path.isdir(path):
        raise _fail(path, "is a directory, not a model file")
    try:
        # Our own handle: np.load leaks the one it opens when the zip is damaged.
        with open(path, "rb") as stream:
            return _read_archive(path, stream)
    except OSError as exc:
        raise _fail(path, f"cannot be read ({exc.strerror or exc})") from None


def _read_archive(path: str, stream: Any) -> dict[str, np.ndarray]:
    magic = stream.read(6)
    stream.seek(0)
    if magic.startswith(b"\x80"):  # the PROTO opcode that opens every pickle since protocol 2
        raise _fail(
            path,
            "holds a pickled object; lucidnet model files never do, "
            "and it was not loaded (pickles can run code)",
        )
    if magic.startswith(b"\x93NUMPY"):
        raise _fail(path, "not a lucidnet model file (a single .npy array, not an .npz archive)")
    if len(magic) < 4 and b"PK\x03\x04".startswith(magic) and magic.startswith(b"PK"):
        raise _fail(path, "damaged or truncated: it starts as an .npz archive but ends "
                          "within its first bytes")
    if not magic.startswith((b"PK\x03\x04", b"PK\x05\x06")):  # (a text "PKey,..." too)
        raise _fail(path, "not a lucidnet model file (not an .npz archive)")
    import zipfile  # np.load imports it for an archive anyway

    try:
        archive = np.load(stream, allow_pickle=False)
    except zipfile.BadZipFile as exc:
        # It starts as a zip archive but its directory, written last, is missing or
        # broken: most often a copy or download cut short.
        raise _fail(path, f"damaged or truncated: it starts as an .npz archive but cannot "
                          f"be read as one ({exc})") from None
    except Exception as exc:  # any decoder failure means a damaged or foreign file
        raise _fail(path, f"not a lucidnet model file: {type(exc).__name__}: {exc}") from None
    if not isinstance(archive, np.lib.npyio.NpzFile):
        raise _fail(path, "not a lucidnet model file (not an .npz archive)")
    members = {}
    with archive:
        for name in archive.files:
            try:
                members[name] = archive[name]
            except ValueError as exc:
                if "pickle" in str(exc).lower():
                    raise _fail(
                        path,
                        f"member {name!r} holds a pickled object; lucidnet model "
                        "files never do, and it was not loaded (pickles can run code)",
                    ) from None
                raise _fail(path, f"member {name!r} is damaged ({exc})") from None
            except Exception as exc:  # truncated or corrupted member: CRC, EOF, zlib ...
                raise _fail(
                    path,
                    f"member {name!r} is damaged or truncated: {type(exc).__name__}: {exc}",
                ) from None
    if "header" not in members:
        raise _fail(path, "not a lucidnet model file (no 'header' member)")
    return members


def _parse_header(path: str, raw: np.ndarray) -> dict[str, Any]:
    if raw.dtype != np.uint8 or raw.ndim != 1:
        raise _fail(
            path, f"header must be a 1-D uint8 array; got dtype {raw.dtype}, shape {raw.shape}"
        )
    if raw.size > _MAX_HEADER_BYTES:
        raise _fail(path, f"header is {raw.size} bytes, more than the {_MAX_HEADER_BYTES} allowed")
    try:
        header = json.loads(raw.tobytes().decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise _fail(path, f"header is not valid UTF-8 JSON ({type(exc).__name__}: {exc})") from None
    if not isinstance(header, dict):
        raise _fail(path, f"header must be a JSON object; got {type(header).__name__}")
    if header.get("format") != FORMAT:
        raise _fail(
            path,
            f"not a lucidnet model file (format {header.get('format')!r}, expected {FORMAT!r})",
        )
    version = header.get("format_version")
    if not _is_int(version) or version < 1:
        raise _fail(path, f"format_version must be a positive int; got {version!r}")
    if version > FORMAT_VERSION:
        raise _fail(
            path,
            f"was written in model format version {version} by lucidnet "
            f"{header.get('library_version')!r}; this lucidnet reads format version "
            f"{FORMAT_VERSION} and older: upgrade lucidnet to load it",
        )
    _expect(path, header, "library_version", str)
    _expect(path, header, "kind", str)
    if header["kind"] not in _KINDS:
        raise _fail(path, f"kind must be one of {', '.join(_KINDS)}; got {header['kind']!r}")
    _expect(path, header, "network", dict)
    _expect(path, header, "dtype", str)
    _expect(path, header, "n_params", int)
    _expect(path, header, "classes", list, optional=True)
    _expect(path, header, "feature_names", list, optional=True)
    _expect(path, header, "input_scaling", dict, optional=True)
    _expect(path, header, "training", dict)
    _expect(path, header, "metadata", dict)
    _expect(path, header, "arrays", list)
    names = header["feature_names"]
    if names is not None and not all(isinstance(n, str) for n in names):
        raise _fail(path, "feature_names must be a list of str")
    if not all(isinstance(n, str) and n for n in header["arrays"]) or len(
        set(header["arrays"])
    ) != len(header["arrays"]):
        raise _fail(path, "arrays must be a list of distinct non-empty names")
    if header["kind"] != "network":
        _expect(path, header, "estimator", dict)
    return header


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _expect(
    path: str, mapping: dict, key: str, kind: type, *, optional: bool = False, where: str = "header"
) -> Any:
    if key not in mapping:
        raise _fail(path, f"{where} has no {key!r}")
    value = mapping[key]
    if optional and value is None:
        return value
    ok = _is_int(value) if kind is int else isinstance(value, kind)
    if not ok:
        expected = kind.__name__ + (" or null" if optional else "")
        raise _fail(path, f"{where} {key!r} must be {expected}; got {type(value).__name__}")
    return value


def _check_members(path: str, header: dict[str, Any], present: set[str]) -> None:
    """The archive must hold exactly the members the header announces."""
    expected = {"params"}
    if header["classes"] is not None and _numeric_classes(header):
        expected.add("classes")
    if header["input_scaling"] is not None:
        expected |= {"input_mean", "input_scale"}
    expected |= {_EXTRA_PREFIX + name for name in header["arrays"]}
    missing, unexpected = expected - present, present - expected
    if missing:
        raise _fail(path, f"missing array(s) {', '.join(sorted(missing))}")
    if unexpected:
        raise _fail(path, f"unexpected array(s) {', '.join(sorted(unexpected))}")


def _numeric_classes(header: dict[str, Any]) -> bool:
    """Numeric classes live in the 'classes' array (exact dtype); strings only in JSON."""
    return all(isinstance(c, (int, float, bool)) for c in header["classes"])


def _build_network(path: str, header: dict[str, Any], params: np.ndarray) -> Network:
    config = header["network"]
    layers = _expect(path, config, "layers", list, where="network")
    loss = _expect(path, config, "loss", dict, where="network")
    dtype = _expect(path, config, "dtype", str, where="network")
    if dtype not in ("float32", "float64") or header["dtype"] != dtype:
        raise _fail(
            path,
            f"dtype must be float32 or float64 and agree with the network's; "
            f"got {header['dtype']!r} and {dtype!r}",
        )
    if not layers:
        raise _fail(path, "network has no layers")
    n_params = 0
    for index, layer in enumerate(layers):
        n_params += _check_layer(path, index, layer, layers[index - 1] if index else None)
    try:
        losses.get(loss)
    except (ValueError, TypeError) as exc:
        raise _fail(path, f"network loss: {exc}") from None
    if header["n_params"] != n_params:
        raise _fail(path, f"n_params is {header['n_params']} but the layers need {n_params}")
    if params.ndim != 1 or params.shape[0] != n_params:
        raise _fail(
            path,
            f"params must be a 1-D array of {n_params} values for layer sizes "
            f"{[layers[0]['n_in']] + [la['n_out'] for la in layers]}; got shape "
            f"{params.shape}",
        )
    if params.dtype != np.dtype(dtype):
        raise _fail(path, f"params must be {dtype}; got {params.dtype}")
    if not np.isfinite(params).all():
        raise _fail(path, "params hold NaN or infinite values")
    try:
        return Network.from_config(config, params)
    except (ValueError, TypeError, KeyError) as exc:  # belt and braces: checked above
        raise _fail(path, f"network: {exc}") from None


def _check_layer(path: str, index: int, layer: Any, previous: dict | None) -> int:
    """Check one layer's config against the registries; return its parameter count."""
    where = f"network layer {index}"
    if not isinstance(layer, dict):
        raise _fail(path, f"{where} must be an object; got {type(layer).__name__}")
    unknown = set(layer) - _LAYER_KEYS
    if unknown:
        raise _fail(path, f"{where} has unknown key(s) {', '.join(sorted(unknown))}")
    n_in = _expect(path, layer, "n_in", int, where=where)
    n_out = _expect(path, layer, "n_out", int, where=where)
    if n_in < 1 or n_out < 1:
        raise _fail(path, f"{where} sizes must be positive; got n_in={n_in}, n_out={n_out}")
    if previous is not None and previous["n_out"] != n_in:
        raise _fail(
            path, f"{where} has n_in={n_in} but the layer before has n_out={previous['n_out']}"
        )
    use_bias = _expect(path, layer, "use_bias", bool, where=where)
    dropout = layer.get("dropout", 0.0)
    if not isinstance(dropout, (int, float)) or isinstance(dropout, bool) or not 0 <= dropout < 1:
        raise _fail(path, f"{where} dropout must be a number in [0, 1); got {dropout!r}")
    initializer = layer.get("initializer")
    if initializer is not None and initializer not in initializers.names():
        raise _fail(
            path,
            f"{where} has unknown initializer {initializer!r}; expected one of "
            f"{', '.join(sorted(initializers.names()))}",
        )
    if "activation" not in layer:
        raise _fail(path, f"{where} has no 'activation'")
    try:
        activations.get(layer["activation"])
    except (ValueError, TypeError) as exc:
        raise _fail(path, f"{where} activation: {exc}") from None
    return n_out * n_in + (n_out if use_bias else 0)


def _decode_classes(
    path: str, header: dict[str, Any], numeric: np.ndarray | None
) -> np.ndarray | None:
    listed = header["classes"]
    if listed is None:
        if numeric is not None:
            raise _fail(path, "has a 'classes' array but the header lists no classes")
        return None
    if numeric is not None:
        if (
            not listed
            or numeric.ndim != 1
            or numeric.dtype.kind not in "biuf"
            or numeric.tolist() != listed
        ):
            raise _fail(path, "the 'classes' array does not match the classes in the header")
        return numeric
    if not listed or not all(isinstance(c, str) for c in listed):
        raise _fail(path, "classes must be a non-empty list of numbers or of strings")
    return np.asarray(listed)


def _decode_input_scaling(path: str, header: dict[str, Any], members: dict) -> InputScaling | None:
    if header["input_scaling"] is None:
        return None
    n_features = header["network"]["layers"][0]["n_in"]
    arrays = []
    for name in ("input_mean", "input_scale"):
        array = members[name]
        if array.shape != (n_features,) or array.dtype.kind != "f" or not np.isfinite(array).all():
            raise _fail(
                path,
                f"{name} must be a finite float array of shape ({n_features},); "
                f"got {array.dtype} of shape {array.shape}",
            )
        arrays.append(array)
    if not (arrays[1] != 0).all():
        raise _fail(path, "input_scale must be non-zero everywhere")
    checked = header["input_scaling"].get("feature_names_in", False)
    if checked is not True and checked is not False:
        raise _fail(path, "input_scaling's feature_names_in must be true or false; "
                          f"got {checked!r}")
    if checked and (header["feature_names"] is None or len(header["feature_names"]) != n_features):
        raise _fail(path, f"input_scaling's feature_names_in needs feature_names for the "
                          f"{n_features} features")
    pipeline = header["input_scaling"].get("pipeline")
    if pipeline is not None and not _valid_pipeline(pipeline):
        raise _fail(path, "input_scaling's pipeline must be {\"steps\": [two different "
                          "names without '__', not a Pipeline parameter's], \"with_mean\": "
                          f"bool, \"with_std\": bool}}; got {pipeline!r}")
    if pipeline is not None and (not pipeline["with_mean"] and (arrays[0] != 0).any()
                                 or not pipeline["with_std"] and (arrays[1] != 1).any()):
        # The scaler would not use them, but the command line would: they must agree.
        raise _fail(path, "input_scaling: a pipeline scaler without with_mean (with_std) "
                          "must have input_mean 0 (input_scale 1)")
    return InputScaling(*arrays, header["feature_names"] if checked else None, pipeline)


#: scikit-learn's Pipeline refuses steps named as its own parameters.
_PIPELINE_PARAMETERS = frozenset({"steps", "memory", "verbose", "transform_input"})


def _valid_pipeline(pipeline: Any) -> bool:
    """Whether ``pipeline`` is a header's description of a saved pipeline."""
    if not isinstance(pipeline, dict) or set(pipeline) != {"steps", "with_mean", "with_std"}:
        return False
    steps = pipeline["steps"]
    return (isinstance(steps, list) and len(steps) == 2 and steps[0] != steps[1]
            and all(isinstance(name, str) and name and "__" not in name
                    and name not in _PIPELINE_PARAMETERS for name in steps)
            and isinstance(pipeline["with_mean"], bool)
            and isinstance(pipeline["with_std"], bool))


def _build_estimator(
    path: str, header: dict[str, Any], network: Network, classes: np.ndarray | None
) -> Any:
    # Imported here: scikit-learn is needed only for estimator files.
    from ._estimator_loading import _import_estimator_state

    try:
        return _import_estimator_state(header["kind"], header["estimator"], network, classes)
    except (ValueError, TypeError, KeyError, RecursionError) as exc:
        raise _fail(path, f"estimator: {type(exc).__name__}: {exc}") from None
