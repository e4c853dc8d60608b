"""lucidnet: dense feed-forward networks with explicit backpropagation, in NumPy.

Where to read the derivation: :mod:`lucidnet.network` (the forward and backward
passes, with every shape: examples are rows, ``X`` is (m, n[0]), ``W[l]`` is
(n[l], n[l-1])), :mod:`lucidnet.layers` (``Z = A_prev W^T + b`` and its three
gradients), :mod:`lucidnet.losses` (the fused output deltas ``dZ = (A - Y)/m``) and
:mod:`lucidnet.activations` (each ``g`` beside ``g'``).  :func:`explain` prints every
quantity of a given network with its shape; :func:`gradcheck` checks backpropagation
against central differences; :mod:`lucidnet.course` runs the reference material's own
functions.

The engine (:class:`Network`, :class:`Dense`) is imported eagerly and is light: it
needs NumPy only.  The front doors that need heavier libraries -- the scikit-learn
estimators, plots, model files -- are imported the first time one of their names is
used, so ``import lucidnet`` stays fast.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

from . import activations, initializers, losses
from .errors import DataError, DivergenceError, LucidnetError, ModelFileError
from .explain import Explanation, explain
from .gradcheck import GradCheckResult, gradcheck
from .layers import Dense, LayerCache
from .network import LayerGradients, Network, Workspace

__version__ = "0.1.0"

# name -> module that defines it; imported on first use (PEP 562).
_LAZY = {
    "train": "training",
    "Trainer": "training",
    "gradient_descent": "training",
    "NeuralNetClassifier": "estimators",
    "NeuralNetRegressor": "estimators",
    "MLPClassifier": "estimators",
    "MLPRegressor": "estimators",
    "save": "io",
    "load": "io",
    "History": "callbacks",
    "Callback": "callbacks",
    "EarlyStopping": "callbacks",
    "Checkpoint": "callbacks",
    "ProgressBar": "callbacks",
    "CostPrinter": "callbacks",
}
# Submodules reachable as attributes (``lucidnet.datasets``) without importing them up front.
_LAZY_MODULES = frozenset(
    {"optimizers", "schedules", "callbacks", "training", "checkpoints", "data", "datasets",
     "io", "estimators", "plots", "course"}
)

__all__ = [
    "Network",
    "Dense",
    "LayerCache",
    "LayerGradients",
    "Workspace",
    "activations",
    "losses",
    "initializers",
    "gradcheck",
    "GradCheckResult",
    "explain",
    "Explanation",
    "LucidnetError",
    "DataError",
    "ModelFileError",
    "DivergenceError",
    "__version__",
    *_LAZY,
]


def __getattr__(name: str) -> Any:
    if name in _LAZY_MODULES:
        return import_module(f".{name}", __name__)
    if name in _LAZY:
        value = getattr(import_module(f".{_LAZY[name]}", __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'lucidnet' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(__all__)
