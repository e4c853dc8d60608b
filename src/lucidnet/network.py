"""The network: dense layers plus a loss, with forward and backward propagation.

Backpropagation, as the code below writes it (rows are examples, layer ``l`` of
``L``; ``*`` is the Hadamard product; ``dZ`` already carries the cost's ``1/m``)::

    forward     Z[l] = A[l-1] W[l]^T + b[l]          A[l] = g[l](Z[l])        A[0] = X
    output      dZ[L] = (A[L] - Y) / m               (fused pairings, see losses)
                dZ[L] = dJ/dA[L] * g[L]'(Z[L])       (every other pairing)
    each layer  dW[l] = dZ[l]^T A[l-1]               db[l] = sum over rows of dZ[l]
                dA[l-1] = dZ[l] W[l]                 dZ[l-1] = dA[l-1] * g[l-1]'(Z[l-1])
    update      W := W - alpha dW                    (optimizers, on the flat buffer)

Memory.  All parameters live in one flat buffer :attr:`Network.params`, each layer's
``W`` and ``b`` being views into it, and all gradients likewise in
:attr:`Network.grads`.  Optimizers, gradient checking, L-BFGS and model files all use
the flat form; nothing is copied between the two.

A :class:`Workspace` holds preallocated per-layer buffers for a given batch size, so
the training loop allocates nothing per batch.  Without one, every call allocates
fresh arrays and the caches it returns are the caller's to keep.

This module is the engine only: training loops, optimizers and front doors live
elsewhere and call :meth:`Network.loss_and_gradient`.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Sequence
from typing import Any, NamedTuple

import numpy as np

from . import activations, initializers, losses
from ._checks import as_float_dtype, as_matrix, as_sample_weight, is_real
from ._random import check_random_state
from ._sparse import as_sparse_rows, is_sparse
from .layers import Dense, LayerCache, linear_backward
from .losses import Loss

__all__ = ["Network", "LayerGradients", "Workspace"]

#: Rows per forward pass in predict and predict_proba: enough for BLAS to run at full
#: speed, few enough that a layer's output stays in cache for the next layer.
PREDICT_CHUNK = 2048


class LayerGradients(NamedTuple):
    """``dW`` of shape (n[l], n[l-1]) and ``db`` of shape (n[l],) (None without bias)."""

    dW: np.ndarray
    db: np.ndarray | None


class Workspace:
    """Preallocated buffers for forward and backward passes on ``m`` examples.

    Per layer ``l``: ``Z[l]``, ``A[l]`` (the same buffer as ``Z[l]`` for an identity
    layer) and ``delta[l]`` (which holds ``dA[l]`` and is then overwritten in place by
    ``dZ[l]``), each of shape (m, n[l]); and
    ``dropped[l]``, the output after dropout, for layers that drop units.
    """

    def __init__(self, network: Network, m: int) -> None:
        dtype = network.dtype
        self.m = m
        self.Z = [np.empty((m, layer.n_out), dtype) for layer in network.layers]
        # An identity layer's A is its Z: sharing the buffer saves a copy per batch.
        self.A = [
            Z if isinstance(layer.activation, activations.Identity) else np.empty_like(Z)
            for Z, layer in zip(self.Z, network.layers, strict=True)
        ]
        self.delta = [np.empty((m, layer.n_out), dtype) for layer in network.layers]
        self.dropped = [
            np.empty((m, layer.n_out), dtype) if layer.dropout else None for layer in network.layers
        ]
        self.masks = [
            np.empty((m, layer.n_out), dtype) if layer.dropout else None for layer in network.layers
        ]


class Network:
    """A feed-forward network of :class:`~lucidnet.layers.Dense` layers and a loss.

    Examples are rows: inputs ``X`` of shape (m, n[0]), targets ``Y`` and outputs of
    shape (m, n[L]); layer ``l`` holds ``W[l]`` of shape (n[l], n[l-1]) and ``b[l]``
    of shape (n[l],), views into the flat :attr:`params`.

    Parameters
    ----------
    layer_sizes : sequence of int
        ``[n[0], n[1], ..., n[L]]``: inputs, hidden units per layer, outputs.
    activation : str, Activation, or sequence of them, default "relu"
        The hidden layers' activation, one for all or one per hidden layer.
    output_activation : str or Activation, optional
        Defaults to the natural activation of ``loss`` (sigmoid for binary
        cross-entropy, softmax for categorical, identity for squared error), or to
        sigmoid when neither is given.
    loss : str or Loss, optional
        Defaults to the natural loss of ``output_activation`` (see
        :mod:`lucidnet.losses`).
    use_bias : bool, default True
    dropout : float or sequence of float, default 0.0
        Dropout rate of each hidden layer's output during training.
    initializer : str, optional
        Weight initializer name for every layer (see :mod:`lucidnet.initializers`);
        by default He for ReLU-family layers and Glorot-uniform for the others.
    dtype : {"float64", "float32"}, default "float64"
    random_state : int, np.random.Generator or None
        Seeds the initial weights.

    Attributes
    ----------
    layers : list of Dense
    loss : Loss
        Assignable (a name or a Loss): the output delta is fused again or not.
    params : ndarray of shape (n_params,)
        Every ``W[l]`` and ``b[l]``, flattened in layer order: W1, b1, W2, b2, ...
        The layers' arrays are views of it; assigning ``net.params = values`` copies
        ``values`` into it (as ``layer.W = ...`` does), so the views stay.
    grads : ndarray of shape (n_params,)
        The gradient of the cost with respect to ``params``, same layout, as of the
        last :meth:`backward` (the Trainer's fused SGD step does not fill it);
        assignable the same way.

    Examples
    --------
    >>> net = Network([2, 3, 1], activation="sigmoid", loss="sum_squared_error",
    ...               use_bias=False, random_state=0)
    >>> net.n_params
    9
    """

    def __init__(
        self,
        layer_sizes: Sequence[int],
        activation: Any = "relu",
        output_activation: Any = None,
        loss: str | Loss | None = None,
        *,
        use_bias: bool = True,
        dropout: float | Sequence[float] = 0.0,
        initializer: str | None = None,
        dtype: Any = "float64",
        random_state: int | np.random.Generator | None = None,
    ) -> None:
        sizes = _check_layer_sizes(layer_sizes)
        n_hidden = len(sizes) - 2
        hidden_activations = _per_hidden_layer(activation, n_hidden, "activation")
        dropouts = _per_hidden_layer(dropout, n_hidden, "dropout")
        loss_obj, output = _resolve_output(output_activation, loss)
        layers = [
            Dense(
                sizes[i],
                sizes[i + 1],
                hidden_activations[i] if i < n_hidden else output,
                use_bias=use_bias,
                initializer=initializer,
                dropout=dropouts[i] if i < n_hidden else 0.0,
            )
            for i in range(len(sizes) - 1)
        ]
        self._build(layers, loss_obj, dtype)
        self.initialize(random_state)

    @classmethod
    def from_layers(
        cls,
        layers: Sequence[Dense],
        loss: str | Loss,
        *,
        dtype: Any = "float64",
        random_state: int | np.random.Generator | None = None,
    ) -> Network:
        """A network from explicit :class:`Dense` layers (each with its own settings)."""
        network = cls.__new__(cls)
        network._build(_check_chain(layers), losses.get(loss), dtype)
        network.initialize(random_state)
        return network

    def _build(self, layers: list[Dense], loss: Loss, dtype: Any, *,
               restoring: bool = False) -> None:
        output = layers[-1]
        if output.dropout and restoring:
            output.dropout = 0.0  # saved by a version that accepted it and never applied it
        if output.dropout:
            raise ValueError("the output layer takes no dropout (it would drop predictions); "
                             "give dropout to hidden layers")
        if output.activation.name == "softmax" and output.n_out == 1:
            raise ValueError("a softmax over one output unit is 1 whatever its input: use "
                             "sigmoid for one output, or two softmax units")
        self.layers = layers
        self._set_loss(loss, one_unit_check=not restoring)
        self.dtype = as_float_dtype(dtype)
        self._params = np.zeros(sum(layer.n_params for layer in layers), self.dtype)
        self._grads = np.zeros_like(self._params)
        self._bind_views()
        self._workspaces: dict[int, Workspace] = {}
        self._thread_local = threading.local()  # per-thread prediction buffers

    @property
    def params(self) -> np.ndarray:
        """Every weight and bias, one flat buffer of shape (n_params,) (see the class text)."""
        return self._params

    @params.setter
    def params(self, values: Any) -> None:
        # Rebinding the name would cut the layers' views loose: training would then
        # update one array while predictions read another.
        _copy_into(self._params, values, "params")

    @property
    def grads(self) -> np.ndarray:
        """The gradient, laid out as :attr:`params` (n_params,)."""
        return self._grads

    @grads.setter
    def grads(self, values: Any) -> None:
        _copy_into(self._grads, values, "grads")

    # The forward and backward passes read ``_loss``: a property lookup per call costs
    # about 1% of a tiny network's iteration.
    @property
    def loss(self) -> Loss:
        """The cost the network minimizes."""
        return self._loss

    @loss.setter
    def loss(self, loss: str | Loss) -> None:
        self._set_loss(loss)

    def _set_loss(self, loss: str | Loss, *, one_unit_check: bool = True) -> None:
        """Set the loss, refusing one the output cannot feed (``one_unit_check``
        False: a saved model's, loaded as it was trained)."""
        loss = losses.get(loss)
        output = self.layers[-1]
        if output.activation.name in loss.outside_range:
            raise ValueError(f"loss {loss.name!r} is not defined on {output.activation.name!r} "
                             f"outputs: it needs {loss.needs}")
        if one_unit_check and isinstance(loss, losses.CategoricalCrossEntropy) and (
                output.n_out == 1):
            # -y log a alone: the rows of the other class (y = 0) cost 0 whatever a is,
            # so training only pushes every output up.
            raise ValueError("categorical cross-entropy over one output unit never sees the "
                             "other class (its rows cost 0 whatever the output): use "
                             "binary_cross_entropy for one sigmoid output, or two softmax "
                             "units")
        # Whether the output delta is fused depends on the loss: decided again here.
        self._loss = loss
        self._fused = losses.is_fused(output.activation.name, self._loss)

    def _bind_views(self) -> None:
        """Point every layer's W, b, dW, db at its slice of the flat buffers."""
        for layer, w_part, b_part in self._layer_slices():
            layer._owner = weakref.ref(self)  # see _check_chain
            shape = (layer.n_out, layer.n_in)
            layer._bind(
                self.params[w_part].reshape(shape), self.grads[w_part].reshape(shape),
                None if b_part is None else self.params[b_part],
                None if b_part is None else self.grads[b_part],
            )

    def _layer_slices(self):
        """``(layer, slice of its W, slice of its b or None)`` in buffer order: W1, b1, W2, ..."""
        offset = 0
        for layer in self.layers:
            w_part = slice(offset, offset + layer.n_out * layer.n_in)
            b_part = slice(w_part.stop, w_part.stop + layer.n_out) if layer.use_bias else None
            offset = w_part.stop if b_part is None else b_part.stop
            yield layer, w_part, b_part

    def initialize(self, random_state: int | np.random.Generator | None = None) -> None:
        """Draw every ``W[l]`` from its initializer; set every ``b[l]`` to zero."""
        rng = check_random_state(random_state)
        for layer in self.layers:
            name = layer.initializer or initializers.default_for(layer.activation.name)
            init = initializers.get(name)
            layer.W[...] = init((layer.n_out, layer.n_in), rng, self.dtype)
            if layer.b is not None:
                layer.b[...] = 0.0

    # ------------------------------------------------------------------ sizes
    @property
    def layer_sizes(self) -> list[int]:
        """``[n[0], n[1], ..., n[L]]``."""
        return [self.layers[0].n_in] + [layer.n_out for layer in self.layers]

    @property
    def n_params(self) -> int:
        """Number of trainable parameters (weights and biases)."""
        return self.params.size

    def parameter_slices(self) -> list[tuple[str, slice, tuple[int, ...]]]:
        """``(name, slice of params, shape)`` for W1, b1, W2, ... in buffer order."""
        out = []
        for index, (layer, w_part, b_part) in enumerate(self._layer_slices(), start=1):
            out.append((f"W{index}", w_part, (layer.n_out, layer.n_in)))
            if b_part is not None:
                out.append((f"b{index}", b_part, (layer.n_out,)))
        return out

    def weight_mask(self) -> np.ndarray:
        """Boolean vector over ``params``: True for weights, False for biases (L2 skips biases)."""
        mask = np.zeros(self.n_params, dtype=bool)
        for name, part, _ in self.parameter_slices():
            mask[part] = name.startswith("W")
        return mask

    def set_params(self, flat: np.ndarray) -> None:
        """Copy ``flat`` (shape (n_params,)) into the parameter buffer; the views stay valid."""
        _copy_into(self._params, flat, "params")

    def forget_workspaces(self) -> None:
        """Drop the kept buffers (:meth:`workspace` and prediction's): call it after
        changing a layer's activation, since an identity layer's buffers are laid out
        differently (its ``A`` is its ``Z``)."""
        self._workspaces.clear()
        self._thread_local = threading.local()

    def workspace(self, m: int) -> Workspace:
        """Buffers for batches of ``m`` examples, kept for reuse (at most a few sizes)."""
        workspace = self._workspaces.get(m)
        if workspace is None:
            if len(self._workspaces) >= 4:  # a full batch and a last partial one, mostly
                self._workspaces.clear()
            workspace = self._workspaces[m] = Workspace(self, m)
        return workspace

    # --------------------------------------------------------------- forward
    def forward(
        self,
        X: np.ndarray,
        *,
        training: bool = False,
        rng: np.random.Generator | None = None,
        masks: Sequence[np.ndarray | None] | None = None,
        workspace: Workspace | None = None,
    ) -> tuple[np.ndarray, list[LayerCache]]:
        """Forward propagation.

        Parameters
        ----------
        X : ndarray of shape (m, n[0])
            Converted to the network's dtype when it differs (a copy).
        training : bool, default False
            Apply dropout (with ``rng``, or the given ``masks``).
        rng : np.random.Generator, optional
            Draws the dropout masks when ``training`` and no ``masks`` are given.
        masks : sequence of (ndarray of shape (m, n[l]) or None), optional
            Fixed inverted-dropout masks per layer (for gradient checking).
        workspace : Workspace, optional
            Write into its buffers instead of allocating; the caches then live only
            until the next call with the same workspace.

        Returns
        -------
        AL : ndarray of shape (m, n[L])
            The network's output.
        caches : list of LayerCache
            One per layer, for :meth:`backward`.
        """
        X = self._as_input(X)
        if training and masks is not None:
            self._check_masks(masks, len(X))
        caches: list[LayerCache] = []
        A = X
        last = len(self.layers) - 1
        for l, layer in enumerate(self.layers):
            cache = layer.forward(
                A, Z_out=workspace and workspace.Z[l], A_out=workspace and workspace.A[l]
            )
            mask = None
            if training and layer.dropout and l < last:
                mask = (
                    masks[l]
                    if masks is not None
                    else _dropout_mask(
                        rng, cache.A, layer.dropout, out=workspace and workspace.masks[l]
                    )
                )
            if mask is not None:
                cache = cache._replace(mask=mask)
                A = np.multiply(cache.A, mask, out=workspace and workspace.dropped[l])
            else:
                A = cache.A
            caches.append(cache)
        return A, caches

    def _check_masks(self, masks: Sequence[np.ndarray | None], m: int) -> None:
        """Refuse dropout masks that would be ignored or would not fit: one entry per
        layer, None where a layer has no dropout (the output layer never has), else of
        shape (m, n[l])."""
        if len(masks) != len(self.layers):
            raise ValueError(f"masks must hold one entry per layer ({len(self.layers)}; "
                             f"None where a layer has no dropout); got {len(masks)}")
        last = len(self.layers) - 1
        for l, (layer, mask) in enumerate(zip(self.layers, masks, strict=True)):
            if mask is None:
                continue
            if not layer.dropout or l == last:
                which = "the output layer has" if l == last else f"layer {l + 1} has"
                raise ValueError(f"masks[{l}] is given, but {which} no dropout, so it would "
                                 "be ignored; give None there")
            if np.shape(mask) != (m, layer.n_out):
                raise ValueError(f"masks[{l}] must have shape {(m, layer.n_out)} (examples, "
                                 f"units of layer {l + 1}); got {np.shape(mask)}")

    # -------------------------------------------------------------- backward
    def backward(
        self,
        Y: np.ndarray,
        caches: Sequence[LayerCache],
        *,
        sample_weight: np.ndarray | None = None,
        l2: float = 0.0,
        workspace: Workspace | None = None,
    ) -> list[LayerGradients]:
        """Backpropagation: fill :attr:`grads` (every ``dW[l]``, ``db[l]``) and return them.

        Parameters
        ----------
        Y : ndarray of shape (m, n[L])
            Targets, in the network's dtype.
        caches : list of LayerCache
            From :meth:`forward` on the same examples.
        sample_weight : ndarray of shape (m,), optional
        l2 : float, default 0.0
            L2 penalty ``(l2 / 2) * scale(m) * sum ||W[l]||^2`` (biases excluded),
            whose gradient ``l2 * scale(m) * W[l]`` is added to each ``dW[l]``.
        workspace : Workspace, optional
            Reuse its buffers for the deltas.

        Returns
        -------
        list of LayerGradients
            Views of ``dW[l]`` and ``db[l]`` inside :attr:`grads`, one per layer.
        """
        if (
            not isinstance(caches, (list, tuple))
            or len(caches) != len(self.layers)
            or not all(isinstance(cache, LayerCache) for cache in caches)
        ):
            raise TypeError(
                f"caches must be the list of {len(self.layers)} LayerCache that forward() "
                f"returned; got {type(caches).__name__} (the call is backward(Y, caches))"
            )
        for l, (layer, cache) in enumerate(zip(self.layers, caches, strict=True), start=1):
            if cache.Z.shape[1:] != (layer.n_out,) or cache.A_prev.shape[1:] != (layer.n_in,):
                raise ValueError(
                    f"caches[{l - 1}] is not from this network's forward(): layer {l} maps "
                    f"{layer.n_in} inputs to {layer.n_out} units, the cache holds A_prev of "
                    f"shape {cache.A_prev.shape} and Z of shape {cache.Z.shape}"
                )
        Y = self._as_target(Y, len(caches[-1].A))
        self._backpropagate(Y, caches, sample_weight, l2, workspace)
        return self.gradients()

    def _backpropagate(
        self,
        Y: np.ndarray,
        caches: Sequence[LayerCache],
        sample_weight: np.ndarray | None,
        l2: float,
        workspace: Workspace | None,
    ) -> None:
        """:meth:`backward` without building its return value (the training loop's path)."""
        L = len(self.layers)
        output = caches[-1]
        delta_out = workspace and workspace.delta[L - 1]
        if self._fused:
            dZ = self._loss.delta(output.A, Y, sample_weight, out=delta_out)
        else:
            dA = self._loss.gradient(output.A, Y, sample_weight)
            dZ = self.layers[-1].activation.backward(dA, output.Z, output.A, out=dA)
        for l in range(L - 1, -1, -1):
            layer, cache = self.layers[l], caches[l]
            dA_prev, _, _ = linear_backward(
                dZ,
                cache.A_prev,
                layer.W,
                dW_out=layer.dW,
                db_out=layer.db,
                with_bias=layer.use_bias,
                with_dA_prev=l > 0,
                dA_prev_out=workspace and workspace.delta[l - 1] if l > 0 else None,
            )
            if l > 0:
                below = caches[l - 1]
                if below.mask is not None:
                    dA_prev *= below.mask
                # dZ[l-1] = dA[l-1] * g'(Z[l-1]), overwriting dA[l-1] in place.
                dZ = self.layers[l - 1].activation.backward(dA_prev, below.Z, below.A, out=dA_prev)
        if l2:
            factor = l2 * self._loss.scale(len(Y))
            for layer in self.layers:
                layer.dW += factor * layer.W

    def gradients(self) -> list[LayerGradients]:
        """The current ``(dW[l], db[l])`` of every layer (views of :attr:`grads`)."""
        return [LayerGradients(layer.dW, layer.db) for layer in self.layers]

    # ------------------------------------------------------------------ cost
    def cost_of_output(
        self,
        cache: LayerCache,
        Y: np.ndarray,
        sample_weight: np.ndarray | None = None,
        l2: float = 0.0,
    ) -> float:
        """The cost ``J`` of the output layer's cache against ``Y`` (m, n[L]), penalty included.

        Computed from the logits ``cache.Z`` when the pairing is fused (finite for any
        ``Z``), else from ``cache.A``.  Lets a caller that already ran :meth:`forward`
        (validation, gradient checking) get the cost without a second pass.
        """
        if self._fused:
            cost = self._loss.cost_from_logits(cache.Z, Y, sample_weight)
        else:
            cost = self._loss.cost(cache.A, Y, sample_weight)
        if l2:
            squares = sum(float(np.vdot(layer.W, layer.W)) for layer in self.layers)
            cost += 0.5 * l2 * self._loss.scale(len(Y)) * squares
        return cost

    def loss_and_gradient(
        self,
        X: np.ndarray,
        Y: np.ndarray,
        sample_weight: np.ndarray | None = None,
        *,
        l2: float = 0.0,
        training: bool = True,
        rng: np.random.Generator | None = None,
        masks: Sequence[np.ndarray | None] | None = None,
        workspace: Workspace | None = None,
    ) -> float:
        """One forward and one backward pass: return the cost and fill :attr:`grads`.

        This is what every training loop calls once per batch.  It checks only the
        shapes; the caller validates values once, before the loop (:meth:`check_data`
        does).  Unchecked here: softmax with categorical cross-entropy backpropagates
        ``dZ = (A - Y) / m``, the cost's gradient only when every row of ``Y`` sums to
        1 (one-hot labels or class probabilities).

        Parameters
        ----------
        X : ndarray of shape (m, n[0])
        Y : ndarray of shape (m, n[L])
        sample_weight : ndarray of shape (m,), optional
        l2, training, rng, masks, workspace
            As in :meth:`forward` and :meth:`backward`.

        Returns
        -------
        float
            The cost, penalty included, at the current parameters.
        """
        Y = self._as_target(Y, X.shape[0])
        _, caches = self.forward(X, training=training, rng=rng, masks=masks, workspace=workspace)
        cost = self.cost_of_output(caches[-1], Y, sample_weight, l2)
        self._backpropagate(Y, caches, sample_weight, l2, workspace)
        return cost

    def cost(
        self,
        X: np.ndarray,
        Y: np.ndarray,
        sample_weight: np.ndarray | None = None,
        *,
        l2: float = 0.0,
        masks: Sequence[np.ndarray | None] | None = None,
    ) -> float:
        """The cost ``J`` on ``X`` (m, n[0]) against ``Y`` (m, n[L]).

        No dropout unless ``masks`` are given.
        """
        X, Y, sample_weight = self.check_data(X, Y, sample_weight)
        _, caches = self.forward(X, training=masks is not None, masks=masks)
        return self.cost_of_output(caches[-1], Y, sample_weight, l2)

    # ------------------------------------------------------------ prediction
    def predict_proba(self, X: np.ndarray) -> np.ndarray:
        """The output layer's probabilities, ndarray of shape (m, n[L]).

        Only for sigmoid or softmax outputs; a regression network has no probabilities.
        """
        name = self.layers[-1].activation.name
        if name not in ("sigmoid", "softmax"):
            raise TypeError(
                f"predict_proba needs a sigmoid or softmax output layer; this one is {name}"
            )
        return self._output(self._check_X(X, keep_sparse=True))

    def predict(self, X: np.ndarray) -> np.ndarray:
        """Predictions for ``X`` of shape (m, n[0]).

        Returns
        -------
        ndarray
            sigmoid output trained with a cross-entropy (a classifier): 0/1 ints of
            shape (m, n[L]) (threshold 0.5);
            softmax output: class indices of shape (m,);
            any other output (a sigmoid with squared error is a regression onto (0, 1)):
            the output values, shape (m, n[L]).

            Compare a single output's (m, 1) with labels of shape (m,) as
            ``predict(X)[:, 0] == y``: ``predict(X) == y`` broadcasts to (m, m).
        """
        A = self._output(self._check_X(X, keep_sparse=True))
        name = self.layers[-1].activation.name
        if name == "sigmoid" and self.classifies:
            return (A > 0.5).astype(np.int64)
        if name == "softmax":
            return A.argmax(axis=1)
        return A

    @property
    def classifies(self) -> bool:
        """Whether the outputs are class probabilities: a softmax output, or a sigmoid
        one trained with a cross-entropy (a sigmoid with squared error is a regression
        onto (0, 1)).  :meth:`predict`, the Trainer's default metric and the command
        line read the outputs by it."""
        name = self.layers[-1].activation.name
        return name == "softmax" or (name == "sigmoid"
                                     and isinstance(self._loss, _CLASSIFYING_LOSSES))

    def output(self, X: np.ndarray) -> np.ndarray:
        """The output layer's activations ``A[L]`` for ``X`` (m, n[0]): shape (m, n[L]).

        Unlike :meth:`forward`, keeps no caches and runs in chunks of rows, so memory
        stays bounded for any ``m``; :meth:`predict` and :meth:`predict_proba` use it.
        ``X`` may be a SciPy sparse matrix.
        """
        return self._output(self._check_X(X, keep_sparse=True))

    def _output(self, X: np.ndarray) -> np.ndarray:
        """The output layer's activations for checked ``X`` (m, n[0]), a chunk of rows at a time
        (ndarray, or CSR matrix).

        Chunks of :data:`PREDICT_CHUNK` rows reuse one workspace, so the hidden layers'
        activations never exist for all ``m`` rows at once: memory stays bounded, and
        they are still in cache when the next layer reads them.  The workspace is the
        calling thread's: predictions may run in several threads at once (as
        scikit-learn's do, e.g. under joblib's threading backend).
        """
        m = X.shape[0]
        if m <= PREDICT_CHUNK:
            return self.forward(X)[0]
        out = np.empty((m, self.layers[-1].n_out), self.dtype)
        workspace = getattr(self._thread_local, "predict_workspace", None)
        if workspace is None:  # this thread's first large prediction
            workspace = self._thread_local.predict_workspace = Workspace(self, PREDICT_CHUNK)
        for start in range(0, m, PREDICT_CHUNK):
            rows = slice(start, start + PREDICT_CHUNK)
            chunk = X[rows]
            out[rows] = self.forward(
                chunk, workspace=workspace if chunk.shape[0] == PREDICT_CHUNK else None
            )[0]
        return out

    # ------------------------------------------------------------ input checks
    def _check_X(self, X: Any, *, keep_sparse: bool = False) -> Any:
        """``X`` checked and in the network's dtype: a C-contiguous ndarray, or, for a
        SciPy sparse ``X`` with ``keep_sparse``, a CSR matrix (else made dense: the
        reference-style full-batch loops work on arrays)."""
        if is_sparse(X):
            X = as_sparse_rows(X, "X", dtype=self.dtype, n_columns=self.layers[0].n_in)
            return X if keep_sparse else X.toarray()
        return as_matrix(X, "X", dtype=self.dtype, n_columns=self.layers[0].n_in)

    def check_data(
        self, X: Any, Y: Any, sample_weight: Any = None, *, keep_sparse: bool = False
    ) -> tuple[Any, np.ndarray, np.ndarray | None]:
        """Validate and convert ``X`` (m, n[0]), ``Y`` (m, n[L]) or (m,), and weights (m,).

        Returns C-contiguous finite arrays in the network's dtype, ``Y`` as a matrix;
        with ``keep_sparse``, a SciPy sparse ``X`` comes back as a CSR matrix (for
        callers that take it, :mod:`lucidnet._sparse`).
        Raises ``ValueError``/``TypeError`` naming the argument that is wrong.
        """
        X = self._check_X(X, keep_sparse=keep_sparse)
        m = X.shape[0]
        if m == 0:  # a mean over no examples: no cost to learn from
            raise ValueError(f"X must hold at least one example (row); got shape {X.shape}")
        Y = as_matrix(
            Y,
            "Y",
            dtype=self.dtype,
            n_columns=self.layers[-1].n_out,
            n_rows=m,
            allow_vector=self.layers[-1].n_out == 1,
        )
        _check_target_range(Y, self._loss)
        if self._fused and isinstance(self._loss, losses.CategoricalCrossEntropy):
            _check_rows_sum_to_one(Y)
        return X, Y, as_sample_weight(sample_weight, m, self.dtype)

    def _as_input(self, X: np.ndarray) -> np.ndarray:
        """Cheap checks for the hot path: shape and dtype only (a sparse ``X`` stays
        sparse, as CSR: the first layer multiplies it as it is)."""
        if not isinstance(X, np.ndarray) or X.ndim != 2 or X.shape[1] != self.layers[0].n_in:
            if is_sparse(X) and X.format == "csr" and X.dtype == self.dtype and (
                X.shape[1:] == (self.layers[0].n_in,)
            ):
                return X
            return self._check_X(X, keep_sparse=True)
        return X if X.dtype == self.dtype else X.astype(self.dtype)

    def _as_target(self, Y: np.ndarray, m: int) -> np.ndarray:
        n_out = self.layers[-1].n_out
        if not isinstance(Y, np.ndarray) or Y.shape != (m, n_out) or Y.dtype != self.dtype:
            Y = as_matrix(
                Y, "Y", dtype=self.dtype, n_columns=n_out, n_rows=m, allow_vector=n_out == 1
            )
        return Y

    # ------------------------------------------------------------- training
    def fit(
        self,
        X: np.ndarray,
        Y: np.ndarray,
        *,
        learning_rate: float = 0.0075,
        num_iterations: int = 3000,
        print_cost: bool = False,
        cost_every: int = 100,
        sample_weight: np.ndarray | None = None,
        random_state: int | np.random.Generator | None = None,
    ) -> list[float]:
        """Batch gradient descent, as the reference models train: ``params -= alpha * grads``.

        Records the cost at iterations 0, ``cost_every``, 2 ``cost_every``, ... (the
        reference's rule) and returns those costs; with ``print_cost`` it prints them,
        and the last iteration's cost too.  For mini-batches,
        other optimizers, validation and callbacks use :func:`lucidnet.train`.

        Parameters
        ----------
        X : ndarray of shape (m, n[0])
            One example per row.
        Y : ndarray of shape (m, n[L]), or (m,) for one output
        learning_rate : float, default 0.0075
            ``alpha`` (the reference's deep models' rate).
        num_iterations : int, default 3000
            Gradient steps, each on all ``m`` examples.
        print_cost : bool, default False
        cost_every : int, default 100
        sample_weight : ndarray of shape (m,), optional
        random_state : int, np.random.Generator or None
            Seed of the dropout masks (a network with dropout draws new ones at every
            iteration); None: unseeded.

        Returns
        -------
        costs : list of float
            The recorded costs.
        """
        from .training import gradient_descent

        return gradient_descent(
            self,
            X,
            Y,
            learning_rate=learning_rate,
            num_iterations=num_iterations,
            print_cost=print_cost,
            cost_every=cost_every,
            sample_weight=sample_weight,
            random_state=random_state,
        )

    # ------------------------------------------------------- config and copies
    def get_config(self) -> dict[str, Any]:
        """JSON-ready architecture: layers, loss and dtype (not the weights)."""
        return {
            "layers": [layer.get_config() for layer in self.layers],
            "loss": self.loss.get_config(),
            "dtype": self.dtype.name,
        }

    @classmethod
    def from_config(cls, config: dict[str, Any], params: np.ndarray | None = None) -> Network:
        """Rebuild a network from :meth:`get_config`.

        With ``params`` (shape (n_params,)) those are its parameters; without, it is
        freshly initialized (unseeded).
        """
        needed = ("layers", "loss", "dtype")
        if not isinstance(config, dict) or not all(key in config for key in needed):
            shown = sorted(config) if isinstance(config, dict) else type(config).__name__
            raise ValueError("config must be a dict from Network.get_config(), with "
                             f"{', '.join(map(repr, needed))}; got {shown}")
        network = cls.__new__(cls)
        network._restore(config, params)
        return network

    def _restore(self, config: dict[str, Any], params: np.ndarray | None) -> None:
        layers = [Dense.from_config(dict(layer)) for layer in config["layers"]]
        self._build(_check_chain(layers), losses.get(config["loss"]), config["dtype"],
                    restoring=True)
        if params is None:
            self.initialize()
        else:
            self.set_params(params)

    def __getstate__(self) -> dict[str, Any]:
        # W, b, dW, db are views into params/grads: pickling them one by one would
        # cut them loose from the flat buffers, so keep the config and rebuild.
        self.check_rebuildable()
        return {"config": self.get_config(), "params": self.params}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self._restore(state["config"], state["params"])

    def copy(self) -> Network:
        """An independent network with the same architecture and parameters."""
        return self.astype(self.dtype)

    def astype(self, dtype: Any) -> Network:
        """A copy of this network whose parameters are of ``dtype`` (float32 or float64).

        The copy shares the activation and loss objects (they hold settings, not
        state), so an activation of one's own needs no registered name to be copied
        (:func:`lucidnet.gradcheck` checks a float64 copy)."""
        config = self.get_config()
        config["dtype"] = as_float_dtype(dtype).name
        for layer_config, layer in zip(config["layers"], self.layers, strict=True):
            layer_config["activation"] = layer.activation
        config["loss"] = self.loss
        return Network.from_config(config, self.params)

    def check_rebuildable(self) -> None:
        """ValueError unless :meth:`get_config` names components that :meth:`from_config`
        rebuilds (what a model file or a pickle holds): an activation or loss of one's
        own must be registered under its ``name``."""
        parts = [("activation", layer.activation, activations.get) for layer in self.layers]
        parts.append(("loss", self.loss, losses.get))
        for kind, part, rebuild in parts:
            try:
                rebuilt = rebuild(part.get_config())
            except (ValueError, TypeError, KeyError):
                rebuilt = None
            if type(rebuilt) is not type(part):
                module = "activations" if kind == "activation" else "losses"
                cls = type(part).__name__
                # A built-in's name (a subclass that kept it) is not for registering.
                how = (f"give {cls} a name of its own and register it under that name"
                       if rebuilt is not None else
                       f"call lucidnet.{module}.register({part.name!r}, {cls}) first")
                raise ValueError(
                    f"the {kind} {part.name!r} ({cls}) is not registered under that name, so "
                    f"a saved or pickled network could not be rebuilt; {how}")

    def summary(self) -> str:
        """A table of the layers: the shapes of W and b, activation, parameter count."""
        rows = [("layer", "W shape", "b shape", "activation", "params")]
        rows.append(("input", "", "", "", f"n[0] = {self.layers[0].n_in}"))
        for index, layer in enumerate(self.layers, start=1):
            rows.append(
                (
                    f"Dense {index}",
                    f"({layer.n_out}, {layer.n_in})",
                    f"({layer.n_out},)" if layer.use_bias else "-",
                    layer.activation.name + (f", dropout {layer.dropout}" if layer.dropout else ""),
                    f"{layer.n_params:,}",
                )
            )
        widths = [max(len(row[i]) for row in rows) for i in range(5)]
        lines = [
            "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True))
            for row in rows
        ]
        lines.insert(1, "  ".join("-" * width for width in widths))
        lines.append(
            f"loss: {self.loss.name}   parameters: {self.n_params:,}   dtype: {self.dtype.name}"
        )
        return "\n".join(lines)

    def __repr__(self) -> str:
        sizes = "-".join(map(str, self.layer_sizes))
        acts = ", ".join(layer.activation.name for layer in self.layers)
        return (
            f"Network({sizes}; activations: {acts}; loss: {self.loss.name}; "
            f"{self.n_params:,} parameters; {self.dtype.name})"
        )


# ---------------------------------------------------------------- helpers
def _check_layer_sizes(layer_sizes: Any) -> list[int]:
    try:
        sizes = list(layer_sizes)
    except TypeError:
        raise TypeError(
            f"layer_sizes must be a sequence of ints like [n_x, n_h, n_y]; got {layer_sizes!r}"
        ) from None
    if len(sizes) < 2 or not all(
        isinstance(n, (int, np.integer)) and not isinstance(n, bool) and n >= 1 for n in sizes
    ):
        raise ValueError(
            "layer_sizes must list at least two positive ints (inputs and outputs); "
            f"got {layer_sizes!r}"
        )
    return [int(n) for n in sizes]


#: Losses that make a sigmoid output a classifier's probabilities.
_CLASSIFYING_LOSSES = (losses.BinaryCrossEntropy, losses.CategoricalCrossEntropy)


def _check_chain(layers: Sequence[Dense]) -> list[Dense]:
    """``layers`` as a list, each taking the previous one's outputs as inputs."""
    layers = list(layers)
    if not layers or not all(isinstance(layer, Dense) for layer in layers):
        raise TypeError("layers must be a non-empty sequence of Dense layers")
    for i, layer in enumerate(layers):
        # A layer's W and b are views into its network's buffer: one layer in two
        # places (or two networks) would share, and re-initialize, one set of weights.
        if any(other is layer for other in layers[:i]):
            raise ValueError(f"layers[{i}] is also an earlier layer; give each place its "
                             "own Dense")
        owner = getattr(layer, "_owner", None)
        if owner is not None and owner() is not None:
            raise ValueError(f"layers[{i}] already belongs to a network (its weights are "
                             "that network's); give a new Dense, or copy the network")
    for i in range(1, len(layers)):
        if layers[i].n_in != layers[i - 1].n_out:
            raise ValueError(
                f"layers[{i}].n_in must equal layers[{i - 1}].n_out = "
                f"{layers[i - 1].n_out}; got {layers[i].n_in}"
            )
    return layers


def _per_hidden_layer(value: Any, n_hidden: int, name: str) -> list[Any]:
    """One value for every hidden layer, from a single value or a sequence of them."""
    if isinstance(value, (str, dict, activations.Activation)) or is_real(value):
        return [value] * n_hidden
    values = list(value)
    if len(values) != n_hidden:
        raise ValueError(
            f"{name} must be one value or one per hidden layer ({n_hidden}); "
            f"got {len(values)} values"
        )
    return values


def _resolve_output(output_activation: Any, loss: Any) -> tuple[Loss, activations.Activation]:
    """Fill in whichever of output activation and loss is missing from the other."""
    if loss is None and output_activation is None:
        output_activation = "sigmoid"
    if output_activation is None:
        loss_obj = losses.get(loss)
        return loss_obj, activations.get(loss_obj.natural_activation)
    output = activations.get(output_activation)
    if loss is None:
        loss = losses.natural_loss(output.name)
        if loss is None:
            raise ValueError(
                f"loss must be given for an output activation of {output.name!r}; "
                f"expected one of {', '.join(losses.names())}"
            )
    return losses.get(loss), output


def _dropout_mask(
    rng: np.random.Generator | None, A: np.ndarray, rate: float, out: np.ndarray | None = None
) -> np.ndarray:
    """Inverted dropout: 0 with probability ``rate``, else ``1 / (1 - rate)``; shape of ``A``.

    Written into ``out`` (a workspace buffer) when given: no allocation per batch.
    """
    if rng is None:
        raise ValueError("a training pass (forward, loss_and_gradient) on a network with "
                         "dropout draws its masks: pass rng=np.random.default_rng(seed), or "
                         "masks=, or training=False for no dropout")
    out = rng.random(A.shape, dtype=A.dtype) if out is None else rng.random(dtype=A.dtype, out=out)
    np.greater_equal(out, rate, out=out)  # 1.0 where kept, 0.0 where dropped
    out *= A.dtype.type(1.0 / (1.0 - rate))
    return out


def _copy_into(buffer: np.ndarray, values: Any, name: str) -> None:
    """``buffer[...] = values`` for a flat buffer of the network, ``values`` of its shape."""
    values = np.asarray(values)
    if values.shape != buffer.shape:
        raise ValueError(f"{name} must have shape {buffer.shape} (every weight and bias, "
                         f"flat: the layers' arrays are views of it); got {values.shape}")
    buffer[...] = values


def _check_target_range(Y: np.ndarray, loss: losses.Loss) -> None:
    """ValueError unless every entry of ``Y`` (m, k) lies in ``loss.target_range``.

    Binary cross-entropy on labels 1 and 2 (or -1 and 1) goes on lowering a cost that
    has no minimum, below 0, and its accuracy means nothing: refused, naming the first
    entry outside and, for two labels, how to map them."""
    if loss.target_range is None:
        return
    low, high = loss.target_range
    outside = np.flatnonzero(~((Y >= low) & (Y <= high)))
    if not outside.size:
        return
    row, column = divmod(int(outside[0]), Y.shape[1])
    hint = ""
    labels = np.unique(Y)
    if high == 1.0 and labels.size == 2:
        hint = (f" (two labels, {labels[0]:g} and {labels[1]:g}: map them to 0 and 1, "
                f"e.g. Y == {labels[1]:g})")
    raise ValueError(
        f"Y must hold {loss.target_text} for {loss.name}; got {float(Y[row, column])!r} at "
        f"row {row}, column {column}{hint}"
    )


#: How far from 1 a target row of softmax + categorical cross-entropy may sum: a row
#: off by d changes the gradient by d * A, so rounding (float32 probabilities, digits
#: written to a file) is harmless, and multi-hot or count rows are off by 1 or more.
ROW_SUM_TOLERANCE = 1e-3


def _check_rows_sum_to_one(Y: np.ndarray) -> None:
    """ValueError unless every row of ``Y`` (m, k) sums to 1 (within ROW_SUM_TOLERANCE).

    Softmax with categorical cross-entropy backpropagates ``dZ = (A - Y) / m``, which
    is the cost's gradient only for such targets (its true value is ``A * sum(Y) - Y``
    row by row): one-hot labels or class probabilities.
    """
    sums = Y.sum(axis=1)
    bad = np.flatnonzero(~(np.abs(sums - 1) <= ROW_SUM_TOLERANCE))
    if bad.size:
        row = int(bad[0])
        raise ValueError(
            "Y must have rows that sum to 1 (one-hot labels or class probabilities) for a "
            f"softmax output with categorical cross-entropy; row {row} sums to "
            f"{float(sums[row])!r}"
        )
