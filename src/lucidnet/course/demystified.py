"""The row-major regression network of the "neural networks demystified" tutorial (system 4).

What it is for: running the tutorial's ``Neural_Network``, ``computeNumericalGradient``
and ``trainer`` unchanged, on NumPy 2, with the engine doing the work.  The
network is a :class:`lucidnet.Network` ``[2, 3, 1]`` with sigmoid everywhere and no
biases; its cost is the engine's ``sum_squared_error`` (or ``squared_error`` plus the
engine's L2 term in the regularized form), its gradient is the engine's backward
pass, and the numerical gradient is :func:`lucidnet.gradcheck`'s central differences
of the network's own ``costFunction`` (so a subclass that changes the cost, as part 7
does, is checked against its change).  It is not a regression library: use
:class:`lucidnet.Network` for real work.

Layout.  Rows are examples, as in the tutorial and the engine: ``X`` of shape
``(m, inputLayerSize)``, ``y`` of shape ``(m, outputLayerSize)``.  The tutorial's
``W1`` of shape ``(inputLayerSize, hiddenLayerSize)`` and ``W2`` of shape
``(hiddenLayerSize, outputLayerSize)`` are the *transposes* of the engine's
``W[l]`` (``(n[l], n[l-1])``); the attributes here are transposed views, so writing
into them writes into the network.

Names, mapped to the tutorial's notation::

    z2 = X W1          a2 = f(z2)          z3 = a2 W2          yHat = f(z3)
    J  = 0.5 sum((y - yHat)^2)                                   (Lambda=None, part 5)
    J  = 0.5 sum((y - yHat)^2) / m + (Lambda/2)(sum W1^2 + sum W2^2)   (part 7)
    delta3 = -(y - yHat) f'(z3)          dJdW2 = a2^T delta3 [/ m + Lambda W2]
    delta2 = delta3 W2^T f'(z2)          dJdW1 = X^T delta2  [/ m + Lambda W1]

Fixes against the published code: ``costFunction`` returns a Python float (the
tutorial's ``0.5*sum(...)`` is a one-element array that NumPy 2 refuses to store in
a gradient vector).  ``trainer.train`` prints SciPy's report as the tutorial's
``'disp': True`` does; ``disp=False`` silences it.  One difference:
``W1`` and ``W2`` are views of the engine network's weights, so ``setParams`` writes
into the same arrays where the tutorial binds new ones; keep a ``.copy()`` of ``W1``
to compare it before and after.

Randomness.  The tutorial draws ``W1`` then ``W2`` with ``np.random.randn`` from
NumPy's *global* generator; this module mirrors that on purpose, so
``np.random.seed(s)`` before ``Neural_Network()`` gives the tutorial's weights.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .. import activations
from .._checks import as_matrix
from ..gradcheck import central_differences
from ..network import Network

__all__ = ["Neural_Network", "computeNumericalGradient", "trainer"]

_SIGMOID = activations.get("sigmoid")


class Neural_Network:
    """``yHat = f(f(X W1) W2)`` with ``f`` the sigmoid and no biases.

    Parameters
    ----------
    Lambda : float or None, default None
        None: the tutorial's part-5 cost ``0.5 sum((y - yHat)^2)``.  A number (0
        included): its part-7 form, averaged over examples plus
        ``(Lambda/2)(sum W1^2 + sum W2^2)``.
    inputLayerSize, hiddenLayerSize, outputLayerSize : int, default 2, 3, 1

    Attributes
    ----------
    W1 : ndarray of shape (inputLayerSize, hiddenLayerSize)
    W2 : ndarray of shape (hiddenLayerSize, outputLayerSize)
    z2, a2 : ndarray of shape (m, hiddenLayerSize)
        Set by :meth:`forward`.
    z3, yHat : ndarray of shape (m, outputLayerSize)
    network : lucidnet.Network
        The engine network that holds the weights (its ``W`` are ``W1.T``, ``W2.T``).
    """

    def __init__(
        self,
        Lambda: float | None = None,
        *,
        inputLayerSize: int = 2,
        hiddenLayerSize: int = 3,
        outputLayerSize: int = 1,
    ) -> None:
        self.network = Network(
            [inputLayerSize, hiddenLayerSize, outputLayerSize],
            activation="sigmoid",
            output_activation="sigmoid",
            loss="sum_squared_error",
            use_bias=False,
        )
        self.Lambda = Lambda
        self.inputLayerSize = inputLayerSize
        self.hiddenLayerSize = hiddenLayerSize
        self.outputLayerSize = outputLayerSize
        # The tutorial's draws, in its order, from the global generator (module docstring).
        self.W1 = np.random.randn(inputLayerSize, hiddenLayerSize)
        self.W2 = np.random.randn(hiddenLayerSize, outputLayerSize)

    @property
    def Lambda(self) -> float | None:
        """The penalty; setting it (None or a number) switches between the two costs."""
        return self._Lambda

    @Lambda.setter
    def Lambda(self, Lambda: float | None) -> None:
        if Lambda is not None and (
            isinstance(Lambda, bool) or not isinstance(Lambda, (int, float, np.number))
            or not Lambda >= 0
        ):
            raise ValueError(f"Lambda must be None or a non-negative number; got {Lambda!r}")
        self._Lambda = Lambda
        network = self.__dict__.get("network")  # None while a subclass's __init__ runs
        if network is not None:
            network.loss = "sum_squared_error" if Lambda is None else "squared_error"

    # The tutorial's weights are transposed views of the engine's W[l].
    @property
    def W1(self) -> np.ndarray:
        return self.network.layers[0].W.T

    @W1.setter
    def W1(self, value: Any) -> None:
        self._set_weights(0, value, "W1")

    @property
    def W2(self) -> np.ndarray:
        return self.network.layers[1].W.T

    @W2.setter
    def W2(self, value: Any) -> None:
        self._set_weights(1, value, "W2")

    def _set_weights(self, index: int, value: Any, name: str) -> None:
        target = self.network.layers[index].W.T
        value = np.asarray(value, dtype=np.float64)
        if value.shape != target.shape:
            raise ValueError(f"{name} must have shape {target.shape}; got shape {value.shape}")
        target[...] = value

    def _l2(self, m: int) -> float:
        """The engine's ``l2`` for the tutorial's penalty ``(Lambda/2) sum W^2``.

        The engine scales its penalty like the loss, by ``1/m`` for a mean, so
        ``l2 = Lambda * m`` gives back the tutorial's unscaled ``Lambda``.
        """
        return 0.0 if self.Lambda is None else float(self.Lambda) * m

    def forward(self, X: np.ndarray) -> np.ndarray:
        """``yHat`` of shape (m, outputLayerSize) for ``X`` of shape (m, inputLayerSize)."""
        X = as_matrix(X, "X", dtype=self.network.dtype, n_columns=self.inputLayerSize)
        yHat, (hidden, output) = self.network.forward(X)
        self.z2, self.a2, self.z3 = hidden.Z, hidden.A, output.Z
        return yHat

    def sigmoid(self, z: Any) -> np.ndarray:
        """``1 / (1 + exp(-z))`` elementwise (the engine's sigmoid)."""
        z = np.asarray(z, dtype=np.float64)
        return _SIGMOID.forward(np.atleast_1d(z)).reshape(z.shape)[()]

    def sigmoidPrime(self, z: Any) -> np.ndarray:
        """``exp(-z) / (1 + exp(-z))^2`` elementwise: the tutorial's expression, to the
        last bit.  (The engine's ``f(z)(1 - f(z))`` is the same number up to rounding,
        but for large ``z`` loses the digits of a tiny slope: 1e-3 relative at z = 30,
        0 from z = 37.)  Where ``exp(-z)`` overflows (z below about -709, NaN in the
        tutorial's code) the same expression is taken at ``-z``: ``g'`` is even."""
        z = np.asarray(z, dtype=np.float64)
        with np.errstate(over="ignore", invalid="ignore"):
            e = np.exp(-z)
            slope = e / (1 + e) ** 2
            overflowed = np.isinf(e)
            if overflowed.any():
                e = np.exp(np.where(overflowed, z, 0.0))
                slope = np.where(overflowed, e / (1 + e) ** 2, slope)
        return slope[()]

    def _data(self, X: Any, y: Any) -> tuple[np.ndarray, np.ndarray]:
        X, y, _ = self.network.check_data(X, y)
        return X, y

    def costFunction(self, X: np.ndarray, y: np.ndarray) -> float:
        """The cost ``J`` (see the class docstring), a Python float; sets ``yHat``."""
        X, y = self._data(X, y)
        self.yHat = self.forward(X)
        return self.network.cost(X, y, l2=self._l2(len(X)))

    def costFunctionPrime(self, X: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """``(dJdW1, dJdW2)``, of the shapes of ``W1`` and ``W2``, by backpropagation."""
        X, y = self._data(X, y)
        self.yHat = self.forward(X)
        self.network.loss_and_gradient(X, y, l2=self._l2(len(X)), training=False)
        return self.network.layers[0].dW.T.copy(), self.network.layers[1].dW.T.copy()

    def getParams(self) -> np.ndarray:
        """``W1`` and ``W2`` unrolled into one vector, the tutorial's order."""
        return np.concatenate((self.W1.ravel(), self.W2.ravel()))

    def setParams(self, params: np.ndarray) -> None:
        """Set ``W1`` and ``W2`` from a vector in :meth:`getParams`'s order."""
        params = np.asarray(params, dtype=np.float64)
        n1 = self.inputLayerSize * self.hiddenLayerSize
        n = n1 + self.hiddenLayerSize * self.outputLayerSize
        if params.shape != (n,):
            raise ValueError(f"params must have shape ({n},); got shape {params.shape}")
        self.W1 = params[:n1].reshape(self.inputLayerSize, self.hiddenLayerSize)
        self.W2 = params[n1:].reshape(self.hiddenLayerSize, self.outputLayerSize)

    def computeGradients(self, X: np.ndarray, y: np.ndarray) -> np.ndarray:
        """The gradient of ``J`` as one vector in :meth:`getParams`'s order."""
        dJdW1, dJdW2 = self.costFunctionPrime(X, y)
        return np.concatenate((dJdW1.ravel(), dJdW2.ravel()))


#: The methods :func:`computeNumericalGradient` and :class:`trainer` call on a network.
_TUTORIAL_METHODS = ("getParams", "setParams", "costFunction", "computeGradients")


def _check_tutorial_network(N: Any) -> None:
    missing = [name for name in _TUTORIAL_METHODS if not callable(getattr(N, name, None))]
    if missing:
        raise TypeError(
            f"N must be a Neural_Network (or have its methods {', '.join(_TUTORIAL_METHODS)}); "
            f"got {type(N).__name__} without {', '.join(missing)}"
        )


def _tutorial_data(N: Any, X: Any, y: Any) -> tuple[np.ndarray, np.ndarray]:
    """``X`` (m, n) and ``y`` (m, k) checked: by ``N``'s network when it has one."""
    if isinstance(N, Neural_Network):
        return N._data(X, y)
    X = as_matrix(X, "X", dtype=np.float64)
    return X, as_matrix(y, "y", dtype=np.float64, n_rows=len(X), allow_vector=True)


def computeNumericalGradient(N: Neural_Network, X: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Central differences ``(J(p + e) - J(p - e)) / 2e`` with ``e = 1e-4``, as the tutorial.

    ``J`` is ``N.costFunction(X, y)`` at ``N.setParams(p)``, ``p`` moved one entry of
    :meth:`Neural_Network.getParams` at a time (:func:`lucidnet.gradcheck.central_differences`);
    ``N`` ends with its parameters as they were.  Returned in ``getParams``'s order.
    """
    _check_tutorial_network(N)
    X, y = _tutorial_data(N, X, y)
    initial = np.array(N.getParams(), dtype=np.float64)
    params = initial.copy()

    def cost() -> float:
        N.setParams(params)
        # The tutorial's costFunction returns 0.5 * sum(...) of a column: an array of
        # one entry, which a subclass (part 7's regularized cost) passes on.
        J = np.asarray(N.costFunction(X, y), dtype=np.float64)
        if J.size != 1:
            raise ValueError(f"costFunction must return one number; got shape {J.shape}")
        return float(J.reshape(()))

    try:
        return central_differences(cost, params, 1e-4)
    finally:
        N.setParams(initial)


class trainer:
    """Train a :class:`Neural_Network` with SciPy's BFGS, recording the cost ``J``.

    Parameters
    ----------
    N : Neural_Network
        Or any object with its methods getParams, setParams, costFunction and
        computeGradients (the tutorial's trainer takes any such network).

    Attributes
    ----------
    J : list of float
        The training cost after each BFGS iteration.
    testJ : list of float
        The same on the test data, when :meth:`train` was given some.
    optimizationResults : scipy.optimize.OptimizeResult
    """

    def __init__(self, N: Neural_Network) -> None:
        _check_tutorial_network(N)
        self.N = N

    def callbackF(self, params: np.ndarray) -> None:
        """Record the costs at ``params`` (SciPy calls it after every iteration)."""
        self.N.setParams(params)
        self.J.append(self.N.costFunction(self.X, self.y))
        if self.testX is not None:
            self.testJ.append(self.N.costFunction(self.testX, self.testY))

    def costFunctionWrapper(
        self, params: np.ndarray, X: np.ndarray, y: np.ndarray
    ) -> tuple[float, np.ndarray]:
        """``(J, dJ/dparams)`` at ``params``, as ``minimize(..., jac=True)`` wants."""
        self.N.setParams(params)
        return self.N.costFunction(X, y), self.N.computeGradients(X, y)

    def train(
        self,
        trainX: np.ndarray,
        trainY: np.ndarray,
        testX: np.ndarray | None = None,
        testY: np.ndarray | None = None,
        *,
        maxiter: int = 200,
        disp: bool = True,
    ) -> None:
        """Minimize ``J`` over ``W1`` and ``W2`` with BFGS (at most ``maxiter`` iterations).

        Parameters
        ----------
        trainX : ndarray of shape (m, inputLayerSize)
            (part 6 calls it ``X``; the names are part 7's).
        trainY : ndarray of shape (m, outputLayerSize)
        testX, testY : optional test data, whose cost is recorded in ``testJ``.
        maxiter : int, default 200 (keyword only)
        disp : bool, default True (keyword only)
            Print SciPy's report at the end ("Optimization terminated successfully.",
            the final cost, the iterations and evaluations), as the tutorial's
            ``'disp': True`` does.
        """
        from scipy import optimize  # imported here: scipy stays out of `import lucidnet`

        if isinstance(maxiter, bool) or not isinstance(maxiter, (int, np.integer)) or maxiter < 1:
            raise ValueError(f"maxiter must be a positive int; got {maxiter!r}")
        self.X, self.y = _tutorial_data(self.N, trainX, trainY)
        if (testX is None) != (testY is None):
            raise ValueError("testX and testY must be given together; got only one of them")
        self.testX, self.testY = (
            (None, None) if testX is None else _tutorial_data(self.N, testX, testY)
        )
        self.J: list[float] = []
        self.testJ: list[float] = []
        params0 = self.N.getParams()
        options = {"maxiter": maxiter, "disp": bool(disp)}
        _res = optimize.minimize(
            self.costFunctionWrapper,
            params0,
            jac=True,
            method="BFGS",
            args=(self.X, self.y),
            options=options,
            callback=self.callbackF,
        )
        self.N.setParams(_res.x)
        self.optimizationResults = _res
