"""The contenders: lucidnet, scikit-learn, PyTorch (when installed) and "matmul only".

Each contender is built once per scenario from the same data and the same initial
weights, then timed by the runner as ``reset()`` (untimed: weights back to the
initial ones, fresh optimizer state) followed by ``run()`` (timed: the scenario's
``units`` epochs, iterations or prediction passes).

* ``lucidnet`` trains through :class:`lucidnet.training.Trainer` when it exists and
  otherwise through a minimal loop over the public engine API
  (``net.workspace``, ``net.loss_and_gradient``, an in-place update of
  ``net.params``); the JSON records which (``api``).
* ``scikit-learn``: ``MLPClassifier``/``MLPRegressor`` with ``solver="sgd"`` (no
  momentum) or ``"adam"``, ``alpha=0``, and stopping rules disabled so it runs every
  epoch; the initial weights are written into ``coefs_``/``intercepts_`` and kept
  with ``warm_start=True``.
* ``pytorch``: ``torch.nn.Linear`` layers, ``torch.optim.SGD``/``Adam``, and a
  DataLoader-free loop: ``torch.randperm`` per epoch and ``index_select`` batches.
* ``matmul``: exactly the unit's matrix products (forward, ``dW`` and ``dA_prev``)
  in NumPy (``np.dot``, the route lucidnet's layers take) with preallocated outputs,
  on contiguous batches: the floor that the "x matmul" column compares with.

This module runs work; it does not time it or report it (see :mod:`benchmarks.run`).
"""

from __future__ import annotations

import importlib.util
import os
import warnings

import numpy as np

from .scenarios import Data, Scenario

__all__ = ["CONTENDERS", "available", "lucidnet_api"]


def lucidnet_api() -> str:
    """``"Trainer"`` when :class:`lucidnet.training.Trainer` exists, else ``"engine loop"``.

    ``LUCIDNET_BENCH_API=engine`` in the environment forces the engine loop, to
    separate the Trainer's own cost from the engine's.
    """
    from lucidnet import training

    if os.environ.get("LUCIDNET_BENCH_API") == "engine":
        return "engine loop"
    return "Trainer" if hasattr(training, "Trainer") else "engine loop"


def _flat(init: list[tuple[np.ndarray, np.ndarray]]) -> np.ndarray:
    """The initial weights in lucidnet's flat layout: W1, b1, W2, b2, ..."""
    return np.concatenate([part for W, b in init for part in (W.ravel(), b)])


class Lucidnet:
    name = "lucidnet"
    library = "lucidnet"

    def __init__(self, s: Scenario, data: Data, init: list) -> None:
        from lucidnet import Network

        self.s, self.data = s, data
        self.net = Network(list(s.sizes), s.hidden, s.output, s.loss, dtype=s.dtype)
        self.initial = _flat(init)
        self.api = lucidnet_api() if s.unit != "predict" else "predict_proba"

    def reset(self) -> None:
        self.net.params[...] = self.initial
        self.rng = np.random.default_rng(0)
        if self.api == "Trainer":
            from lucidnet.training import Trainer

            self.trainer = Trainer(
                self.net,
                optimizer=self.s.optimizer,
                learning_rate=self.s.learning_rate,
                batch_size=self.s.batch_size,
                shuffle=self.s.shuffle,
                random_state=0,
            )
        elif self.api == "engine loop":
            self.state = _AdamState(self.net.params) if self.s.optimizer == "adam" else None

    def run(self) -> None:
        s, data = self.s, self.data
        if self.api == "predict_proba":
            for _ in range(s.units):
                self.net.predict_proba(data.X)
        elif self.api == "Trainer":
            self.trainer.fit(data.X, data.Y, epochs=s.units)
        else:
            _engine_loop(self.net, data.X, data.Y, s, self.rng, self.state)


class _AdamState:
    """Adam's moment buffers over the flat parameter vector (engine-loop fallback only)."""

    def __init__(self, params: np.ndarray) -> None:
        self.m1 = np.zeros_like(params)
        self.m2 = np.zeros_like(params)
        self.tmp = np.empty_like(params)
        self.t = 0

    def step(self, params: np.ndarray, grads: np.ndarray, lr: float) -> None:
        beta1, beta2, eps = 0.9, 0.999, 1e-8
        self.t += 1
        self.m1 *= beta1
        self.m1 += (1 - beta1) * grads
        self.m2 *= beta2
        np.multiply(grads, grads, out=self.tmp)
        self.tmp *= 1 - beta2
        self.m2 += self.tmp
        step = lr * (1 - beta2**self.t) ** 0.5 / (1 - beta1**self.t)
        np.sqrt(self.m2, out=self.tmp)
        self.tmp += eps
        np.divide(self.m1, self.tmp, out=self.tmp)
        self.tmp *= step
        params -= self.tmp


def _engine_loop(net, X, Y, s: Scenario, rng: np.random.Generator, adam: _AdamState | None) -> None:
    """Mini-batch training on the public engine API (used until the Trainer exists)."""
    X, Y, _ = net.check_data(X, Y)
    m = len(X)
    batch = m if s.batch_size is None else min(s.batch_size, m)
    # Shuffled batches are gathered into preallocated buffers: no per-batch allocation,
    # and no permuted copy of the whole data set.
    X_buf = np.empty((batch, X.shape[1]), X.dtype)
    Y_buf = np.empty((batch, Y.shape[1]), Y.dtype)
    params, grads = net.params, net.grads
    for _ in range(s.units):
        order = rng.permutation(m) if s.shuffle else None
        for start in range(0, m, batch):
            stop = min(start + batch, m)
            if order is None:
                Xb, Yb = X[start:stop], Y[start:stop]
            else:
                rows = order[start:stop]
                Xb = np.take(X, rows, axis=0, out=X_buf[: stop - start], mode="clip")
                Yb = np.take(Y, rows, axis=0, out=Y_buf[: stop - start], mode="clip")
            net.loss_and_gradient(Xb, Yb, workspace=net.workspace(stop - start))
            if adam is None:
                grads *= s.learning_rate  # a Python float keeps float32 (NEP 50)
                params -= grads
            else:
                adam.step(params, grads, s.learning_rate)


class ScikitLearn:
    name = "scikit-learn"
    library = "sklearn"
    api = "MLPClassifier/MLPRegressor.fit"

    def __init__(self, s: Scenario, data: Data, init: list) -> None:
        from sklearn.neural_network import MLPClassifier, MLPRegressor

        self.s, self.data, self.init = s, data, init
        options = dict(
            hidden_layer_sizes=s.sizes[1:-1],
            activation={"relu": "relu", "sigmoid": "logistic"}[s.hidden],
            solver=s.optimizer,
            alpha=0.0,
            batch_size=s.batch_size or s.m,
            learning_rate_init=s.learning_rate,
            max_iter=1,
            shuffle=s.shuffle,
            random_state=0,
            tol=0.0,
            n_iter_no_change=10**9,
            early_stopping=False,
            warm_start=True,
        )
        if s.optimizer == "sgd":
            options.update(momentum=0.0, nesterovs_momentum=False, learning_rate="constant")
        else:
            options.update(beta_1=0.9, beta_2=0.999, epsilon=1e-8)
        self.model = (MLPClassifier if s.n_classes else MLPRegressor)(**options)
        # One short fit builds coefs_, classes_ and the rest; reset() then overwrites
        # the weights, and warm_start keeps them as the starting point of each fit.
        rows = slice(0, 2000)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            self.model.fit(data.X[rows], data.y[rows])
        self.model.max_iter = s.units

    def reset(self) -> None:
        for coef, intercept, (W, b) in zip(
            self.model.coefs_, self.model.intercepts_, self.init, strict=True
        ):
            coef[...] = W.T
            intercept[...] = b

    def run(self) -> None:
        data = self.data
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # ConvergenceWarning: it must run every epoch
            if self.s.unit == "predict":
                for _ in range(self.s.units):
                    self.model.predict_proba(data.X)
            else:
                self.model.fit(data.X, data.y)


class PyTorch:
    name = "pytorch"
    library = "torch"
    api = "nn.Linear + optim, randperm/index_select loop"

    def __init__(self, s: Scenario, data: Data, init: list) -> None:
        import torch
        import torch.nn.functional as F

        self.torch, self.s = torch, s
        dtype = {"float32": torch.float32, "float64": torch.float64}[s.dtype]
        layers: list = []
        for l, (W, _) in enumerate(init):
            layers.append(torch.nn.Linear(W.shape[1], W.shape[0], dtype=dtype))
            if l < len(init) - 1:
                layers.append(torch.nn.ReLU() if s.hidden == "relu" else torch.nn.Sigmoid())
        self.model = torch.nn.Sequential(*layers)
        self.linears = layers[::2]
        self.init = init
        self.X = torch.from_numpy(data.X)  # shares memory with the NumPy array
        if s.output == "softmax":
            self.T = torch.from_numpy(data.y.astype(np.int64))
            self.loss = F.cross_entropy
        elif s.output == "sigmoid":
            self.T = torch.from_numpy(data.Y)
            self.loss = F.binary_cross_entropy_with_logits
        else:
            self.T = torch.from_numpy(data.Y)
            self.loss = lambda out, target: 0.5 * F.mse_loss(out, target)

    def reset(self) -> None:
        torch = self.torch
        with torch.no_grad():
            for linear, (W, b) in zip(self.linears, self.init, strict=True):
                linear.weight.copy_(torch.from_numpy(W))
                linear.bias.copy_(torch.from_numpy(b))
        params = self.model.parameters()
        if self.s.optimizer == "sgd":
            self.optimizer = torch.optim.SGD(params, lr=self.s.learning_rate)
        else:
            self.optimizer = torch.optim.Adam(params, lr=self.s.learning_rate, eps=1e-8)
        self.generator = torch.Generator().manual_seed(0)

    def run(self) -> None:
        torch, s = self.torch, self.s
        if s.unit == "predict":
            with torch.inference_mode():
                for _ in range(s.units):
                    torch.softmax(self.model(self.X), dim=1)
            return
        m = len(self.X)
        batch = m if s.batch_size is None else min(s.batch_size, m)
        for _ in range(s.units):
            order = torch.randperm(m, generator=self.generator) if s.shuffle else None
            for start in range(0, m, batch):
                if order is None:
                    xb, tb = self.X[start : start + batch], self.T[start : start + batch]
                else:
                    rows = order[start : start + batch]
                    xb, tb = self.X.index_select(0, rows), self.T.index_select(0, rows)
                self.optimizer.zero_grad()
                self.loss(self.model(xb), tb).backward()
                self.optimizer.step()


class MatmulOnly:
    """Exactly the unit's matrix products, nothing else (the floor of the other contenders)."""

    name = "matmul"
    library = "numpy"
    api = "np.dot(out=) on contiguous batches"

    def __init__(self, s: Scenario, data: Data, init: list) -> None:
        self.s, self.X = s, data.X
        self.W = [W.copy() for W, _ in init]
        m = len(data.X)
        batch = m if s.batch_size is None else min(s.batch_size, m)
        self.batch = batch
        self.buffers = {size: self._buffers(size) for size in {batch, m % batch or batch}}

    def _buffers(self, size: int) -> dict[str, list[np.ndarray]]:
        dtype = self.X.dtype
        return {
            "Z": [np.empty((size, W.shape[0]), dtype) for W in self.W],
            "dA": [np.empty((size, W.shape[1]), dtype) for W in self.W],
            "dW": [np.empty_like(W) for W in self.W],
        }

    def reset(self) -> None:
        pass

    def run(self) -> None:
        X, W, s = self.X, self.W, self.s
        for _ in range(s.units):
            for start in range(0, len(X), self.batch):
                A_prev = [X[start : start + self.batch]]
                buf = self.buffers[len(A_prev[0])]
                for l in range(len(W)):
                    A_prev.append(np.dot(A_prev[l], W[l].T, out=buf["Z"][l]))
                if s.unit == "predict":
                    continue
                # The forward outputs stand in for the deltas: same shapes, finite values.
                for l in range(len(W) - 1, -1, -1):
                    dZ = buf["Z"][l]
                    np.dot(dZ.T, A_prev[l], out=buf["dW"][l])
                    if l > 0:
                        np.dot(dZ, W[l], out=buf["dA"][l])


CONTENDERS = {c.name: c for c in (Lucidnet, ScikitLearn, PyTorch, MatmulOnly)}


def available() -> list[str]:
    """Contender names whose library is installed (PyTorch is optional)."""
    return [name for name, c in CONTENDERS.items() if importlib.util.find_spec(c.library)]
