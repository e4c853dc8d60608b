"""Weight initializers: ``W = init((n_out, n_in), rng, dtype)``.

``W[l]`` has the reference's orientation, shape ``(n[l], n[l-1])``, so the fan-in is
``shape[1]``.  Each initializer draws from the generator it is given: an
``np.random.Generator`` in the library, or NumPy's global ``np.random`` module in
``lucidnet.course`` (whose ``standard_normal(shape)`` is the same stream as the
reference's ``np.random.randn(*shape)``, which is how the course reproduces the
material's published numbers).

=================  ====================================  ================================
name               distribution                          for
=================  ====================================  ================================
``small``          ``0.01 * randn``                      the reference's shallow models
``lecun_normal``   ``randn / sqrt(n_in)``                the reference's deep models
``he_normal``      ``randn * sqrt(2 / n_in)``            ReLU layers (He et al. 2015)
``he_uniform``     ``U(-l, l)``, ``l = sqrt(6 / n_in)``  ReLU layers
``glorot_normal``  ``randn * sqrt(2 / (n_in + n_out))``  tanh/sigmoid (Glorot & Bengio 2010)
``glorot_uniform`` ``U(-l, l)``, ``l = sqrt(6/(n_in+n_out))``  tanh/sigmoid layers
``zeros``          ``0``                                 biases (and tests)
=================  ====================================  ================================

Biases always start at zero, as in the reference.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

import numpy as np

from ._registry import check_replace, suggestion

__all__ = ["Initializer", "get", "names", "register", "default_for"]


class _NormalSource(Protocol):
    def standard_normal(self, size: Any) -> Any: ...


#: ``init(shape, rng, dtype) -> ndarray of shape `shape```
Initializer = Callable[[tuple[int, int], Any, Any], np.ndarray]


def _normal(shape, rng, scale):
    return np.asarray(rng.standard_normal(shape)) * scale


def small(shape, rng, dtype=np.float64):
    """``0.01 * randn(n_out, n_in)``: the reference's two-layer and shallow models."""
    return (_normal(shape, rng, 0.01)).astype(dtype, copy=False)


def lecun_normal(shape, rng, dtype=np.float64):
    """``randn(n_out, n_in) / sqrt(n_in)``: the reference's deep application models."""
    # Divide (not multiply by 1/sqrt) so the reference's numbers come out bit for bit.
    return (np.asarray(rng.standard_normal(shape)) / np.sqrt(shape[1])).astype(dtype, copy=False)


def he_normal(shape, rng, dtype=np.float64):
    """``randn * sqrt(2 / n_in)``."""
    return _normal(shape, rng, np.sqrt(2.0 / shape[1])).astype(dtype, copy=False)


def he_uniform(shape, rng, dtype=np.float64):
    """``U(-sqrt(6 / n_in), sqrt(6 / n_in))``."""
    limit = np.sqrt(6.0 / shape[1])
    return rng.uniform(-limit, limit, size=shape).astype(dtype, copy=False)


def glorot_normal(shape, rng, dtype=np.float64):
    """``randn * sqrt(2 / (n_in + n_out))``."""
    return _normal(shape, rng, np.sqrt(2.0 / (shape[0] + shape[1]))).astype(dtype, copy=False)


def glorot_uniform(shape, rng, dtype=np.float64):
    """``U(-l, l)`` with ``l = sqrt(6 / (n_in + n_out))``."""
    limit = np.sqrt(6.0 / (shape[0] + shape[1]))
    return rng.uniform(-limit, limit, size=shape).astype(dtype, copy=False)


def zeros(shape, rng=None, dtype=np.float64):
    """All zeros (biases; never for weights of a hidden layer, which would stay symmetric)."""
    return np.zeros(shape, dtype=dtype)


_REGISTRY: dict[str, Initializer] = {}


_OWN: frozenset[str] = frozenset()


def register(name: str, init: Initializer, *, replace: bool = False) -> None:
    """Make ``init(shape, rng, dtype)`` available under ``name``.  A name of lucidnet's
    own is refused unless ``replace``."""
    check_replace("initializer", name, _OWN, _REGISTRY, init, replace)
    _REGISTRY[name] = init


for _fn in (small, lecun_normal, he_normal, he_uniform, glorot_normal, glorot_uniform, zeros):
    register(_fn.__name__, _fn)
_OWN = frozenset(_REGISTRY)


def names() -> tuple[str, ...]:
    """The registered initializer names."""
    return tuple(_REGISTRY)


def get(identifier: str | Initializer) -> Initializer:
    """Resolve an initializer from its name, or return a callable as is."""
    if callable(identifier):
        return identifier
    if not isinstance(identifier, str):
        raise TypeError(f"initializer must be a name or a callable; got {identifier!r}")
    if identifier not in _REGISTRY:
        raise ValueError(
            f"unknown initializer {identifier!r};{suggestion(identifier, _REGISTRY)} "
            f"expected one of {', '.join(sorted(_REGISTRY))}"
        )
    return _REGISTRY[identifier]


def default_for(activation_name: str) -> str:
    """He for the ReLU family (it keeps the variance of ReLU layers), Glorot otherwise."""
    return "he_normal" if activation_name in ("relu", "leaky_relu") else "glorot_uniform"
