"""The reference material's systems in its own notation, over lucidnet's engine.

Four modules, one per lesson (the five systems of the README: the two-layer sigmoid
network of system 5 is built from :mod:`lucidnet.course.deep`'s step functions), each a
thin layer that keeps the material's function
names, argument orders, dictionaries and layouts and calls the engine for every
activation and derivative; the linear steps and costs of the column modules are the
material's own expressions, so that training runs print its digits
(:mod:`lucidnet.course.deep` says why):

* :mod:`lucidnet.course.deep` -- the L-layer network step by step and its
  application models (systems 1 and 2); columns, ``X`` of shape ``(n_x, m)``.
* :mod:`lucidnet.course.shallow` -- one hidden tanh layer on the planar "flower"
  data; columns.
* :mod:`lucidnet.course.logistic` -- logistic regression as a one-layer network
  (system 3); columns.
* :mod:`lucidnet.course.demystified` -- the row-major regression network without
  biases (system 4); rows, ``X`` of shape ``(m, 2)``.

Unlike the rest of lucidnet, these modules use NumPy's *global* random generator
(``np.random.seed``, ``np.random.randn``), on purpose, because the material does
and its published numbers depend on it.  For real work use :class:`lucidnet.Network`.
The submodules are imported on first use, so ``import lucidnet.course`` stays light.
"""

from __future__ import annotations

from importlib import import_module
from types import ModuleType

__all__ = ["deep", "shallow", "logistic", "demystified"]


def __getattr__(name: str) -> ModuleType:
    if name in __all__:
        module = import_module(f".{name}", __name__)
        globals()[name] = module
        return module
    raise AttributeError(f"module 'lucidnet.course' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(__all__)
