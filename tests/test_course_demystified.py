"""lucidnet.course.demystified against the tutorial's formulas (written out here in
NumPy), its numerical gradient check, SciPy's BFGS fit, and the hours/score data."""

from __future__ import annotations

import numpy as np
import pytest

from lucidnet.course.demystified import Neural_Network, computeNumericalGradient, trainer


@pytest.fixture
def hours():
    X = np.array([[3, 5], [5, 1], [10, 2]], dtype=float)
    y = np.array([[75], [82], [93]], dtype=float)
    return X / np.amax(X, axis=0), y / 100


def _tutorial(W1, W2, X, y, Lambda=None):
    """The tutorial's cost and gradients, written out from its formulas."""
    f = lambda z: 1 / (1 + np.exp(-z))  # noqa: E731
    fp = lambda z: np.exp(-z) / (1 + np.exp(-z)) ** 2  # noqa: E731
    z2 = X @ W1
    a2 = f(z2)
    z3 = a2 @ W2
    yHat = f(z3)
    delta3 = -(y - yHat) * fp(z3)
    delta2 = delta3 @ W2.T * fp(z2)
    if Lambda is None:
        J = 0.5 * np.sum((y - yHat) ** 2)
        return J, X.T @ delta2, a2.T @ delta3
    m = X.shape[0]
    J = 0.5 * np.sum((y - yHat) ** 2) / m + Lambda / 2 * (np.sum(W1**2) + np.sum(W2**2))
    return J, X.T @ delta2 / m + Lambda * W1, a2.T @ delta3 / m + Lambda * W2


def test_weights_are_the_tutorials_draws_from_the_global_generator():
    np.random.seed(0)
    N = Neural_Network()
    np.random.seed(0)
    W1 = np.random.randn(2, 3)
    W2 = np.random.randn(3, 1)
    np.testing.assert_array_equal(N.W1, W1)
    np.testing.assert_array_equal(N.W2, W2)
    # W1, W2 are views of the engine's weights (transposed).
    np.testing.assert_array_equal(N.network.layers[0].W, W1.T)
    assert N.network.layers[0].b is None


@pytest.mark.parametrize("Lambda", [None, 0.0, 1e-3])
def test_forward_cost_and_gradients_equal_the_tutorials_formulas(hours, Lambda):
    X, y = hours
    np.random.seed(5)
    N = Neural_Network(Lambda)
    J, dJdW1, dJdW2 = _tutorial(N.W1.copy(), N.W2.copy(), X, y, Lambda)
    cost = N.costFunction(X, y)
    assert type(cost) is float
    assert cost == pytest.approx(J, rel=1e-12)
    g1, g2 = N.costFunctionPrime(X, y)
    np.testing.assert_allclose(g1, dJdW1, rtol=1e-10)
    np.testing.assert_allclose(g2, dJdW2, rtol=1e-10)
    np.testing.assert_allclose(N.yHat, 1 / (1 + np.exp(-(1 / (1 + np.exp(-X @ N.W1))) @ N.W2)),
                               rtol=1e-12)
    assert N.z2.shape == N.a2.shape == (3, 3) and N.z3.shape == (3, 1)


def test_sigmoid_and_its_derivative():
    N = Neural_Network()
    z = np.array([-2.0, 0.0, 1.0, 3.0])
    np.testing.assert_allclose(N.sigmoid(z), 1 / (1 + np.exp(-z)), rtol=1e-14)
    np.testing.assert_allclose(N.sigmoidPrime(z), np.exp(-z) / (1 + np.exp(-z)) ** 2, rtol=1e-13)
    assert float(N.sigmoid(0.0)) == 0.5 and float(N.sigmoidPrime(0.0)) == 0.25
    # The tutorial's expression bit for bit, also where f(1 - f) would lose a tiny
    # slope's digits (large z); where exp(-z) overflows, its value at -z (g' is even).
    z = np.concatenate([np.linspace(-700, 700, 2801), [30.0, 40.0, 50.0]])
    with np.errstate(over="ignore"):  # (1 + e^700)^2: the tutorial's gives 0 there
        tutorials = np.exp(-z) / (1 + np.exp(-z)) ** 2
    np.testing.assert_array_equal(N.sigmoidPrime(z), tutorials)
    assert N.sigmoidPrime(40.0) > 0
    np.testing.assert_array_equal(N.sigmoidPrime([-800.0, -np.inf]),
                                  N.sigmoidPrime([800.0, np.inf]))


def test_get_and_set_params_round_trip_in_the_tutorials_order():
    N = Neural_Network()
    params = np.arange(9.0)
    N.setParams(params)
    np.testing.assert_array_equal(N.W1, params[:6].reshape(2, 3))
    np.testing.assert_array_equal(N.W2, params[6:].reshape(3, 1))
    np.testing.assert_array_equal(N.getParams(), params)


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("Lambda", [None, 1e-4, 0.5])
def test_numerical_gradient_check_below_1e_8(hours, seed, Lambda):
    X, y = hours
    np.random.seed(seed)
    N = Neural_Network(Lambda)
    before = N.getParams()
    numgrad = computeNumericalGradient(N, X, y)
    grad = N.computeGradients(X, y)
    assert np.linalg.norm(grad - numgrad) / np.linalg.norm(grad + numgrad) < 1e-8
    np.testing.assert_array_equal(N.getParams(), before)
    # And the numerical gradient is the tutorial's own loop with e = 1e-4.
    e, expected = 1e-4, np.zeros(9)
    for p in range(9):
        shift = np.zeros(9)
        shift[p] = e
        N.setParams(before + shift)
        plus = N.costFunction(X, y)
        N.setParams(before - shift)
        expected[p] = (plus - N.costFunction(X, y)) / (2 * e)
    np.testing.assert_allclose(numgrad, expected, rtol=1e-8, atol=1e-12)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_bfgs_fits_the_scores_to_3_decimals(hours, seed):
    X, y = hours
    np.random.seed(seed)
    N = Neural_Network()
    T = trainer(N)
    T.train(X, y)
    np.testing.assert_allclose(N.forward(X), y, atol=5e-4)
    assert len(T.J) == T.optimizationResults.nit
    assert all(isinstance(j, float) for j in T.J)
    assert T.J[-1] < T.J[0]
    assert T.J[-1] == pytest.approx(N.costFunction(X, y))


def test_trainer_prints_scipys_report_as_the_tutorials_disp_true(hours, capsys):
    X, y = hours
    np.random.seed(0)
    T = trainer(Neural_Network())
    T.train(X, y)
    report = capsys.readouterr().out
    assert "Optimization terminated successfully." in report
    # SciPy's own count of iterations is the number of costs recorded.
    assert f"Iterations: {len(T.J)}\n" in report
    trainer(Neural_Network()).train(X, y, disp=False)
    assert capsys.readouterr().out == ""


def test_trainer_records_test_cost(hours):
    X, y = hours
    np.random.seed(1)
    N = Neural_Network(Lambda=1e-4)
    T = trainer(N)
    T.train(X[:2], y[:2], X[2:], y[2:])
    assert len(T.testJ) == len(T.J) > 0


def test_wrong_inputs_are_clear_errors(hours):
    X, y = hours
    N = Neural_Network()
    with pytest.raises(ValueError, match=r"X must have 2 columns .*; got shape \(3, 3\)"):
        N.forward(np.ones((3, 3)))
    with pytest.raises(ValueError, match=r"Y must have 3 rows, one per example of X; got shape"):
        N.costFunction(X, y[:2])
    with pytest.raises(ValueError, match=r"params must have shape \(9,\); got shape \(8,\)"):
        N.setParams(np.zeros(8))
    with pytest.raises(ValueError, match=r"W1 must have shape \(2, 3\); got shape \(3, 2\)"):
        N.W1 = np.zeros((3, 2))
    with pytest.raises(ValueError, match="Lambda must be None or a non-negative number; got -1"):
        Neural_Network(Lambda=-1)
    with pytest.raises(TypeError, match=r"N must be a Neural_Network \(or have its methods "
                       r"getParams, setParams, costFunction, computeGradients\); got list"):
        trainer([])
    with pytest.raises(ValueError, match="maxiter must be a positive int; got -1"):
        trainer(N).train(X, y, maxiter=-1)
    with pytest.raises(ValueError, match="testX and testY must be given together"):
        trainer(N).train(X, y, X)


@pytest.mark.parametrize("first, then", [(None, 1e-4), (1e-4, None), (0.0, 0.5)])
def test_setting_Lambda_switches_to_that_cost(hours, first, then):
    """Part 7 sets Lambda on an existing network: the cost and gradient must follow."""
    X, y = hours
    np.random.seed(3)
    N = Neural_Network(first)
    N.Lambda = then
    J, dJdW1, dJdW2 = _tutorial(N.W1.copy(), N.W2.copy(), X, y, then)
    assert N.costFunction(X, y) == pytest.approx(J, rel=1e-12)
    g1, g2 = N.costFunctionPrime(X, y)
    np.testing.assert_allclose(g1, dJdW1, rtol=1e-10)
    np.testing.assert_allclose(g2, dJdW2, rtol=1e-10)
    with pytest.raises(ValueError, match="Lambda must be None or a non-negative number"):
        N.Lambda = -0.1
    assert N.Lambda == then


class _L1Network(Neural_Network):
    """A user's edit in part 7's way: a term added to costFunction and costFunctionPrime."""

    def costFunction(self, X, y):
        return super().costFunction(X, y) + 0.3 * (np.abs(self.W1).sum() + np.abs(self.W2).sum())

    def costFunctionPrime(self, X, y):
        dJdW1, dJdW2 = super().costFunctionPrime(X, y)
        return dJdW1 + 0.3 * np.sign(self.W1), dJdW2 + 0.3 * np.sign(self.W2)


def test_numerical_gradient_differentiates_the_networks_own_cost(hours):
    X, y = hours
    np.random.seed(4)
    N = _L1Network(1e-4)
    numgrad = computeNumericalGradient(N, X, y)
    grad = N.computeGradients(X, y)
    assert np.linalg.norm(grad - numgrad) / np.linalg.norm(grad + numgrad) < 1e-8


class _Plain:
    """The tutorial's own class shape (not a lucidnet Neural_Network): W1 (2, 3), W2 (3, 1)."""

    def __init__(self, W1, W2):
        self.W1, self.W2 = W1.copy(), W2.copy()

    def getParams(self):
        return np.concatenate((self.W1.ravel(), self.W2.ravel()))

    def setParams(self, params):
        self.W1 = np.reshape(params[:6], (2, 3))
        self.W2 = np.reshape(params[6:], (3, 1))

    def costFunction(self, X, y):
        return float(_tutorial(self.W1, self.W2, X, y)[0])

    def computeGradients(self, X, y):
        _, dJdW1, dJdW2 = _tutorial(self.W1, self.W2, X, y)
        return np.concatenate((dJdW1.ravel(), dJdW2.ravel()))


def test_trainer_and_numerical_gradient_take_any_network_with_the_tutorials_methods(hours):
    X, y = hours
    np.random.seed(2)
    N = Neural_Network()
    plain = _Plain(N.W1, N.W2)
    np.testing.assert_allclose(computeNumericalGradient(plain, X, y),
                               computeNumericalGradient(N, X, y), rtol=1e-9, atol=1e-12)
    T_plain, T = trainer(plain), trainer(N)
    T_plain.train(trainX=X, trainY=y)
    T.train(X, y)
    assert T_plain.optimizationResults.nit == T.optimizationResults.nit
    # Rounding differences grow through BFGS's iterations; the path stays the same.
    np.testing.assert_allclose(T_plain.J, T.J, rtol=1e-6, atol=1e-10)


class _ArrayCost(_Plain):
    """costFunction as the tutorial writes it, ``0.5*sum((y-yHat)**2)`` over a column:
    an array of one entry, not a float."""

    def costFunction(self, X, y):
        J = _tutorial(self.W1, self.W2, X, y)[0]
        return np.full(1, J)


def test_numerical_gradient_takes_a_cost_of_one_entry_array(hours):
    X, y = hours
    np.random.seed(5)
    N = Neural_Network()
    numgrad = computeNumericalGradient(_ArrayCost(N.W1, N.W2), X, y)
    np.testing.assert_array_equal(numgrad, computeNumericalGradient(_Plain(N.W1, N.W2), X, y))
    grad = N.computeGradients(X, y)
    assert np.linalg.norm(grad - numgrad) / np.linalg.norm(grad + numgrad) < 1e-8


def test_a_subclass_may_set_Lambda_before_the_network_exists(hours):
    X, y = hours

    class Part7(Neural_Network):
        def __init__(self, Lambda=0.0):
            self.Lambda = Lambda  # before the base class builds the network
            super().__init__(Lambda)

    np.random.seed(1)
    N = Part7(1e-4)
    J, _, _ = _tutorial(N.W1.copy(), N.W2.copy(), X, y, 1e-4)
    assert N.costFunction(X, y) == pytest.approx(J, rel=1e-12)
