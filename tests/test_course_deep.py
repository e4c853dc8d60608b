"""lucidnet.course.deep against the material's formulas, its published numbers and the engine.

Truth used here: the seeding rules recomputed with ``np.random.seed``/``np.random.randn``
directly, the material's formulas written out in NumPy, central differences in
float64, and the general engine (``lucidnet.Network``) on the same weights.
"""

from __future__ import annotations

import re

import numpy as np
import pytest

from lucidnet import Network
from lucidnet.course import deep


def _problem(seed: int, dims: list[int], m: int = 7):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((dims[0], m))
    Y = rng.integers(0, 2, (1, m)).astype(float)
    params = {}
    for l in range(1, len(dims)):
        params[f"W{l}"] = rng.standard_normal((dims[l], dims[l - 1])) * 0.7
        params[f"b{l}"] = rng.standard_normal((dims[l], 1)) * 0.3
    return X, Y, params


def _engine_twin(parameters: dict, dims: list[int]) -> Network:
    """The same network in lucidnet's general API, with the same weights."""
    net = Network(dims, activation="relu", output_activation="sigmoid", loss="binary_cross_entropy")
    for l, layer in enumerate(net.layers, start=1):
        layer.W[...] = parameters[f"W{l}"]
        layer.b[...] = parameters[f"b{l}"].ravel()
    return net


# ------------------------------------------------------------- initialization
def test_initialize_parameters_reproduces_the_published_numbers():
    params = deep.initialize_parameters(3, 2, 1)
    # The material's published expected output for initialize_parameters(3, 2, 1).
    published_W1 = [[0.01624345, -0.00611756, -0.00528172], [-0.01072969, 0.00865408, -0.02301539]]
    np.testing.assert_allclose(params["W1"], published_W1, atol=5e-9)
    # And exactly the seeding rule: seed 1, 0.01 * randn, layer by layer.
    np.random.seed(1)
    W1 = np.random.randn(2, 3) * 0.01
    W2 = np.random.randn(1, 2) * 0.01
    np.testing.assert_array_equal(params["W1"], W1)
    np.testing.assert_array_equal(params["W2"], W2)
    np.testing.assert_array_equal(params["b1"], np.zeros((2, 1)))
    np.testing.assert_array_equal(params["b2"], np.zeros((1, 1)))


def test_initialize_parameters_deep_reproduces_the_published_numbers():
    params = deep.initialize_parameters_deep([5, 4, 3])
    assert params["W1"][0, 0] == pytest.approx(0.01788628, abs=5e-9)
    np.random.seed(3)
    expected = [np.random.randn(4, 5) * 0.01, np.random.randn(3, 4) * 0.01]
    np.testing.assert_array_equal(params["W1"], expected[0])
    np.testing.assert_array_equal(params["W2"], expected[1])
    assert params["b1"].shape == (4, 1) and params["b2"].shape == (3, 1)
    assert not params["b1"].any() and not params["b2"].any()


def test_application_initialization_is_seed_1_and_randn_over_sqrt_fan_in():
    params = deep.initialize_parameters_deep([6, 4, 1], seed=1, initializer="lecun_normal")
    np.random.seed(1)
    np.testing.assert_array_equal(params["W1"], np.random.randn(4, 6) / np.sqrt(6))
    np.testing.assert_array_equal(params["W2"], np.random.randn(1, 4) / np.sqrt(4))


def test_seed_none_continues_the_global_stream():
    np.random.seed(7)
    params = deep.initialize_parameters(2, 2, 1, seed=None)
    np.random.seed(7)
    np.testing.assert_array_equal(params["W1"], np.random.randn(2, 2) * 0.01)


# ----------------------------------------------------------------- forward
def test_linear_forward_hand_worked():
    A = np.array([[1.0, 2.0], [3.0, -1.0]])
    W = np.array([[2.0, -1.0]])
    b = np.array([[0.5]])
    Z, cache = deep.linear_forward(A, W, b)
    # 2*1 - 1*3 + 0.5 = -0.5 ;  2*2 - 1*(-1) + 0.5 = 5.5
    np.testing.assert_array_equal(Z, [[-0.5, 5.5]])
    A_c, W_c, b_c = cache
    assert A_c is A and W_c is W and b_c is b


def test_activations_match_their_formulas():
    Z = np.array([[-3.0, 0.0, 2.0], [1.5, -0.2, 40.0]])
    A, cache = deep.sigmoid(Z)
    np.testing.assert_allclose(A, 1 / (1 + np.exp(-Z)), rtol=1e-14)
    assert cache is Z
    np.testing.assert_array_equal(deep.relu(Z)[0], np.maximum(0, Z))
    dA = np.arange(6.0).reshape(2, 3) - 2
    s = 1 / (1 + np.exp(-Z))
    np.testing.assert_allclose(deep.sigmoid_backward(dA, Z), dA * s * (1 - s), rtol=1e-13)
    np.testing.assert_array_equal(deep.relu_backward(dA, Z), np.where(Z > 0, dA, 0.0))


@pytest.mark.parametrize("activation", ["sigmoid", "relu", "tanh"])
def test_linear_activation_forward_against_formula(activation):
    X, _, params = _problem(0, [3, 4])
    A, (_, Z) = deep.linear_activation_forward(X, params["W1"], params["b1"], activation)
    Z_true = params["W1"] @ X + params["b1"]
    g = {"sigmoid": lambda z: 1 / (1 + np.exp(-z)), "relu": lambda z: np.maximum(0, z),
         "tanh": np.tanh}[activation]
    np.testing.assert_allclose(Z, Z_true, rtol=1e-12)
    np.testing.assert_allclose(A, g(Z_true), rtol=1e-12)


def test_l_model_forward_matches_the_engine_on_the_same_weights():
    dims = [4, 5, 3, 1]
    X, _, params = _problem(1, dims)
    AL, caches = deep.L_model_forward(X, params)
    assert AL.shape == (1, X.shape[1]) and len(caches) == 3
    net = _engine_twin(params, dims)
    np.testing.assert_allclose(AL, net.forward(X.T)[0].T, rtol=1e-12)


# -------------------------------------------------------------------- cost
def test_compute_cost_hand_worked_and_0d():
    Y = np.array([[1, 1, 0]])
    AL = np.array([[0.8, 0.9, 0.4]])
    cost = deep.compute_cost(AL, Y)
    assert isinstance(cost, np.ndarray) and cost.shape == ()
    # -(1/3)(log .8 + log .9 + log .6)
    assert float(cost) == pytest.approx(-(np.log(0.8) + np.log(0.9) + np.log(0.6)) / 3, rel=1e-14)
    assert float(cost) == pytest.approx(0.2797765635793422, rel=1e-12)


def test_compute_cost_is_the_materials_expression_to_the_last_digit():
    """The material's own arithmetic (log(1 - A), no clipping), so printed costs agree
    in every digit: the planar lesson's published ``cost = 0.6930587610394646``."""
    np.random.seed(1)
    Y = np.random.randn(1, 3) > 0
    A2 = np.array([[0.5002307, 0.49985831, 0.50023963]])
    logprobs = np.multiply(np.log(A2), Y) + np.multiply(np.log(1 - A2), 1 - Y)
    assert float(deep.compute_cost(A2, Y)) == float(-np.sum(logprobs) / 3)
    assert float(deep.compute_cost(A2, Y)) == pytest.approx(0.6930587610394646, rel=2e-16)


def test_a_saturated_output_keeps_the_cost_and_dAL_finite():
    """A sigmoid that rounds to exactly 1 or 0 would make the material's log(1 - A) and
    (1-Y)/(1-A) infinite; such entries alone are moved off the bound."""
    AL = np.array([[1.0, 0.0, 0.3]])
    Y = np.array([[0.0, 1.0, 1.0]])
    eps = np.finfo(float).eps
    assert float(deep.compute_cost(AL, Y)) == pytest.approx(
        -(np.log(eps) + np.log(eps) + np.log(0.3)) / 3, rel=1e-14)
    Z = np.array([[40.0, -40.0, 0.5]])
    caches = [deep.ActivationCache(deep.LinearCache(np.ones((1, 3)), np.ones((1, 1)),
                                                    np.zeros((1, 1))), Z)]
    grads = deep.L_model_backward(AL, Y, caches)
    assert all(np.isfinite(g).all() for g in grads.values())


def test_compute_cost_accepts_any_real_labels():
    AL = np.array([[0.3, 0.6, 0.95, 0.1]])
    Y = np.array([[0.25, -0.5, 1.7, 0.0]])
    expected = -np.mean(Y * np.log(AL) + (1 - Y) * np.log(1 - AL))
    assert float(deep.compute_cost(AL, Y)) == pytest.approx(expected, rel=1e-13)


# --------------------------------------------------------------- backward
def test_linear_backward_against_formula():
    rng = np.random.default_rng(2)
    A_prev, W = rng.standard_normal((3, 5)), rng.standard_normal((2, 3))
    b = rng.standard_normal((2, 1))
    dZ = rng.standard_normal((2, 5))
    dA_prev, dW, db = deep.linear_backward(dZ, (A_prev, W, b))
    np.testing.assert_allclose(dW, dZ @ A_prev.T / 5, rtol=1e-13)
    np.testing.assert_allclose(db, dZ.sum(axis=1, keepdims=True) / 5, rtol=1e-13)
    np.testing.assert_allclose(dA_prev, W.T @ dZ, rtol=1e-13)
    assert db.shape == (2, 1)


def _numeric_gradient(f, x: np.ndarray, eps: float = 1e-6) -> np.ndarray:
    """Central differences of the scalar function ``f`` with respect to ``x`` (in place)."""
    grad = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        saved = x[i]
        x[i] = saved + eps
        plus = float(f())
        x[i] = saved - eps
        minus = float(f())
        x[i] = saved
        grad[i] = (plus - minus) / (2 * eps)
    return grad


@pytest.mark.parametrize("seed", [0, 1])
def test_l_model_backward_against_central_differences(seed):
    dims = [3, 4, 3, 1]
    X, Y, params = _problem(seed, dims, m=6)
    AL, caches = deep.L_model_forward(X, params)
    grads = deep.L_model_backward(AL, Y, caches)

    def cost():
        return deep.compute_cost(deep.L_model_forward(X, params)[0], Y)

    for key, value in params.items():
        numeric = _numeric_gradient(cost, value)
        np.testing.assert_allclose(grads[f"d{key}"], numeric, rtol=1e-6, atol=1e-9)
    # dA0 is each example's own loss derivative w.r.t. X: dA0 / m = dJ/dX.
    np.testing.assert_allclose(grads["dA0"] / X.shape[1], _numeric_gradient(cost, X),
                               rtol=1e-6, atol=1e-9)
    assert set(grads) == {"dA0", "dA1", "dA2", "dW1", "dW2", "dW3", "db1", "db2", "db3"}


def test_l_model_backward_on_the_materials_test_case_with_AL_outside_0_1():
    """The material's own test draws AL with randn (1.789 here): dAL must be its
    formula, not a clipped probability.  Checked against the formulas written out and
    against the published expected values."""
    np.random.seed(3)
    AL = np.random.randn(1, 2)
    Y = np.array([[1, 0]])
    A1, W1, b1, Z1 = (np.random.randn(4, 2), np.random.randn(3, 4), np.random.randn(3, 1),
                      np.random.randn(3, 2))
    A2, W2, b2, Z2 = (np.random.randn(3, 2), np.random.randn(1, 3), np.random.randn(1, 1),
                      np.random.randn(1, 2))
    caches = [((A1, W1, b1), Z1), ((A2, W2, b2), Z2)]
    grads = deep.L_model_backward(AL, Y, caches)

    dAL = -(Y / AL - (1 - Y) / (1 - AL))
    s2 = 1 / (1 + np.exp(-Z2))
    dZ2 = dAL * s2 * (1 - s2)
    dA1 = W2.T @ dZ2
    dZ1 = np.where(Z1 > 0, dA1, 0.0)
    np.testing.assert_allclose(grads["dW2"], dZ2 @ A2.T / 2, rtol=1e-12)
    np.testing.assert_allclose(grads["db2"], dZ2.sum(axis=1, keepdims=True) / 2, rtol=1e-12)
    np.testing.assert_allclose(grads["dA1"], dA1, rtol=1e-12)
    np.testing.assert_allclose(grads["dW1"], dZ1 @ A1.T / 2, rtol=1e-12)
    # The material's published expected output.
    np.testing.assert_allclose(grads["dA1"][:, 0], [0.12913162, -0.14175655, 0.01663708],
                               atol=5e-9)
    np.testing.assert_allclose(grads["dW2"], [[-0.39202432, -0.13325855, -0.04601089]],
                               atol=5e-9)
    np.testing.assert_allclose(grads["db2"], [[0.15187861]], atol=5e-9)
    np.testing.assert_allclose(grads["db1"], [[-0.22007063], [0.0], [-0.02835349]], atol=5e-9)


def test_l_model_backward_matches_the_engine_on_the_same_weights():
    dims = [5, 4, 2, 1]
    X, Y, params = _problem(3, dims, m=9)
    AL, caches = deep.L_model_forward(X, params)
    grads = deep.L_model_backward(AL, Y, caches)
    net = _engine_twin(params, dims)
    cost = net.loss_and_gradient(X.T, Y.T)
    assert cost == pytest.approx(float(deep.compute_cost(AL, Y)), rel=1e-10)
    for l, layer in enumerate(net.layers, start=1):
        np.testing.assert_allclose(grads[f"dW{l}"], layer.dW, rtol=1e-10, atol=1e-15)
        np.testing.assert_allclose(grads[f"db{l}"].ravel(), layer.db, rtol=1e-10, atol=1e-15)


def test_update_parameters_returns_new_arrays_and_keeps_the_input():
    params = {"W1": np.array([[1.0, 2.0]]), "b1": np.array([[0.5]])}
    grads = {"dW1": np.array([[0.1, -0.2]]), "db1": np.array([[1.0]])}
    before = {k: v.copy() for k, v in params.items()}
    new = deep.update_parameters(params, grads, 0.5)
    # 1 - 0.5*0.1 = 0.95 ; 2 + 0.5*0.2 = 2.1 ; 0.5 - 0.5*1 = 0
    np.testing.assert_allclose(new["W1"], [[0.95, 2.1]], rtol=1e-15)
    np.testing.assert_allclose(new["b1"], [[0.0]], atol=1e-15)
    for key in params:
        np.testing.assert_array_equal(params[key], before[key])


# ------------------------------------------------------------------ models
def _engine_trajectory(net: Network, X: np.ndarray, Y: np.ndarray, lr: float, n: int):
    """Every cost of plain gradient descent on the engine (before each update)."""
    costs = []
    for _ in range(n):
        costs.append(net.loss_and_gradient(X, Y))
        net.params -= lr * net.grads
    return costs


@pytest.mark.parametrize("seed", [0, 1])
def test_two_layer_model_costs_equal_the_engines_iteration_for_iteration(seed):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((4, 30))
    Y = (X[0:1] * X[1:2] + 0.3 * rng.standard_normal((1, 30)) > 0).astype(float)
    params, costs = deep.two_layer_model(X, Y, (4, 5, 1), learning_rate=0.5, num_iterations=250)
    net = _engine_twin(deep.initialize_parameters(4, 5, 1), [4, 5, 1])
    twin = net.copy()
    trajectory = _engine_trajectory(net, X.T, Y.T, 0.5, 250)
    # The material records the cost when i % 100 == 0.
    np.testing.assert_allclose(costs, trajectory[::100], rtol=1e-10)
    np.testing.assert_allclose(params["W1"], net.layers[0].W, rtol=1e-9, atol=1e-13)
    # Network.fit records by the same rule.
    fit_costs = twin.fit(X.T, Y.T, learning_rate=0.5, num_iterations=250, cost_every=100)
    np.testing.assert_allclose(fit_costs, costs, rtol=1e-10)


def test_l_layer_model_costs_equal_the_engines_on_breast_cancer():
    from sklearn.datasets import load_breast_cancer

    data = load_breast_cancer()
    X = (data.data - data.data.mean(axis=0)) / data.data.std(axis=0)
    X, Y = X[:150].T, data.target[:150].reshape(1, -1)
    dims = [30, 6, 4, 1]
    params, costs = deep.L_layer_model(X, Y, dims, learning_rate=0.05, num_iterations=201)
    # The application's initialization, recomputed from its rule (seed 1, randn/sqrt(n[l-1])).
    np.random.seed(1)
    initial = {}
    for l in range(1, 4):
        initial[f"W{l}"] = np.random.randn(dims[l], dims[l - 1]) / np.sqrt(dims[l - 1])
        initial[f"b{l}"] = np.zeros((dims[l], 1))
    net = _engine_twin(initial, dims)
    trajectory = _engine_trajectory(net, X.T, Y.T, 0.05, 201)
    assert len(costs) == 3
    np.testing.assert_allclose(costs, trajectory[::100], rtol=1e-10)
    assert costs[-1] < costs[0]
    p = deep.predict(X, Y, params)
    np.testing.assert_array_equal(p, net.predict(X.T).T)


def _materials_l_layer_model(X, Y, parameters, learning_rate, num_iterations):
    """The application's training loop, expression for expression as the material
    writes it (its linear steps, activations and their derivatives, cost, dAL and
    update), on a copy of ``parameters``; returns (parameters, every cost)."""
    parameters = {key: value.copy() for key, value in parameters.items()}
    L, m, costs = len(parameters) // 2, Y.shape[1], []
    for _ in range(num_iterations):
        caches, A = [], X
        for l in range(1, L + 1):
            A_prev = A
            Z = parameters["W" + str(l)].dot(A_prev) + parameters["b" + str(l)]
            A = 1 / (1 + np.exp(-Z)) if l == L else np.maximum(0, Z)
            caches.append((A_prev, parameters["W" + str(l)], Z))
        AL = A
        costs.append(np.squeeze((1.0 / m) * (-np.dot(Y, np.log(AL).T)
                                             - np.dot(1 - Y, np.log(1 - AL).T))))
        dA = -(np.divide(Y, AL) - np.divide(1 - Y, 1 - AL))
        grads = {}
        for l in reversed(range(1, L + 1)):
            A_prev, W, Z = caches[l - 1]
            if l == L:
                s = 1 / (1 + np.exp(-Z))
                dZ = dA * s * (1 - s)
            else:
                dZ = np.array(dA, copy=True)
                dZ[Z <= 0] = 0
            grads["dW" + str(l)] = 1.0 / m * np.dot(dZ, A_prev.T)
            grads["db" + str(l)] = 1.0 / m * np.sum(dZ, axis=1, keepdims=True)
            dA = np.dot(W.T, dZ)
        for l in range(1, L + 1):
            for name in ("W" + str(l), "b" + str(l)):
                parameters[name] = parameters[name] - learning_rate * grads["d" + name]
    return parameters, costs


@pytest.mark.parametrize("model", ["two_layer_model", "L_layer_model"])
def test_application_models_are_the_materials_code_bit_for_bit(model):
    """Not close: equal.  The material's printed costs are its own arithmetic's, and
    over hundreds of steps a last-bit difference (BLAS's order of a product's terms
    on another layout, a sum along rows instead of down columns) reaches them."""
    rng = np.random.default_rng(7)
    # The application's hidden layers, on a wide input of pixel-like values.
    dims = [300, 7, 1] if model == "two_layer_model" else [300, 20, 7, 5, 1]
    X = rng.integers(0, 256, (dims[0], 120)) / 255.0
    Y = (rng.standard_normal(dims[0]) @ X > 0).astype(np.int64).reshape(1, -1)
    params, costs = getattr(deep, model)(X, Y, dims, learning_rate=0.0075, num_iterations=301)
    if model == "two_layer_model":
        initial = deep.initialize_parameters(*dims)
    else:
        initial = deep.initialize_parameters_deep(dims, seed=1, initializer="lecun_normal")
    expected, expected_costs = _materials_l_layer_model(X, Y, initial, 0.0075, 301)
    assert [float(c) for c in costs] == [float(expected_costs[i]) for i in (0, 100, 200, 300)]
    for key in expected:
        np.testing.assert_array_equal(params[key], expected[key])


def test_predict_prints_the_accuracy(capsys):
    params = {"W1": np.array([[1.0, -1.0]]), "b1": np.array([[0.0]])}
    X = np.array([[2.0, 0.0, 1.0], [1.0, 3.0, 0.5]])  # Z = 1, -3, 0.5
    p = deep.predict(X, np.array([[1, 1, 1]]), params)
    np.testing.assert_array_equal(p, [[1.0, 0.0, 1.0]])
    assert "Accuracy: 0.666" in capsys.readouterr().out


def test_print_cost_prints_every_100_and_the_last(capsys):
    X = np.array([[1.0, -1.0, 2.0]])
    Y = np.array([[1, 0, 1]])
    _, costs = deep.L_layer_model(X, Y, [1, 1], num_iterations=102, print_cost=True)
    lines = capsys.readouterr().out.splitlines()
    assert [line.split(":")[0] for line in lines] == [
        "Cost after iteration 0", "Cost after iteration 100", "Cost after iteration 101"]
    # Recorded as the material records them (its tests compare with np.array(...)).
    assert len(costs) == 2 and all(type(c) is np.ndarray and c.shape == () for c in costs)


def test_the_last_iteration_is_printed_without_print_cost(capsys):
    """The material's ``print_cost and i % 100 == 0 or i == num_iterations - 1`` binds as
    ``(print_cost and ...) or ...``: its notebooks show that line, so it is kept."""
    X = np.array([[1.0, -1.0, 2.0], [0.5, 0.0, -1.0]])
    Y = np.array([[1, 0, 1]])
    deep.two_layer_model(X, Y, (2, 2, 1), num_iterations=2)
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 1 and lines[0].startswith("Cost after iteration 1: 0.69")


# ------------------------------------------------------------------ errors
def test_unknown_activation_is_a_clear_value_error():
    X, _, params = _problem(0, [3, 2])
    with pytest.raises(ValueError, match=r"activation must be one of .*relu.*; got 'rleu'"):
        deep.linear_activation_forward(X, params["W1"], params["b1"], "rleu")
    _, cache = deep.linear_activation_forward(X, params["W1"], params["b1"], "relu")
    with pytest.raises(ValueError, match="activation must be one of"):
        deep.linear_activation_backward(np.ones((2, 7)), cache, "softplus")


def test_mismatched_shapes_are_clear_value_errors():
    W, b = np.ones((2, 3)), np.zeros((2, 1))
    with pytest.raises(ValueError, match=r"A must have 3 rows; got shape \(4, 5\)"):
        deep.linear_forward(np.ones((4, 5)), W, b)
    with pytest.raises(ValueError, match=r"b must have shape \(2, 1\) to match W; got shape \(3,"):
        deep.linear_forward(np.ones((3, 5)), W, np.zeros((3, 1)))
    with pytest.raises(ValueError, match=r"Y must have the shape of AL, \(1, 3\); got shape \(1,"):
        deep.compute_cost(np.full((1, 3), 0.5), np.ones((1, 4)))
    with pytest.raises(ValueError, match=r"dZ must have 2 rows; got shape \(3, 5\)"):
        deep.linear_backward(np.ones((3, 5)), (np.ones((3, 5)), W, b))
    with pytest.raises(ValueError, match="parameters must hold W1, b1, ..., WL, bL"):
        deep.L_model_forward(np.ones((3, 5)), {"W1": W})
    with pytest.raises(ValueError, match=r"layers_dims must be \(n_x, n_h, n_y\) with n_x = 3"):
        deep.two_layer_model(np.ones((3, 5)), np.ones((1, 5)), (4, 2, 1))
    with pytest.raises(ValueError, match=r"Y must have one column per example of X \(5\)"):
        deep.L_layer_model(np.ones((3, 5)), np.ones((1, 4)), [3, 1])
    with pytest.raises(ValueError, match="n_h must be a positive int; got 0"):
        deep.initialize_parameters(3, 0, 1)
    with pytest.raises(ValueError, match=r"grads\['dW1'\] must have the shape"):
        deep.update_parameters({"W1": W, "b1": b}, {"dW1": np.ones((3, 2)), "db1": b}, 0.1)


def test_models_given_x_with_examples_as_rows_name_x():
    """shallow.nn_model and logistic.model said that Y did not match A2 (or the
    predictions): the learner's X is what is transposed, and is named so."""
    from lucidnet.course import logistic, shallow

    X, Y = np.ones((2, 40)), np.ones((1, 40))
    with pytest.raises(ValueError, match=re.escape(
            "Y must have one column per example of X (2); got shape (1, 40); is X transposed? "
            "its rows are 40, and examples are columns here")):
        shallow.nn_model(X.T, Y, 4, num_iterations=1)
    with pytest.raises(ValueError, match=re.escape(
            "Y_train must have one column per example of X_train (2); got shape (1, 40); "
            "is X_train transposed?")):
        logistic.model(X.T, Y, X, Y, num_iterations=1)
    with pytest.raises(ValueError, match=re.escape(
            "Y_test must have one column per example of X_test (40); got shape (3,)")):
        logistic.model(X, Y, X, np.zeros(3), num_iterations=1)


def test_shape_errors_name_what_the_learner_passed():
    """X given with examples as rows is named X (not the first layer's A), with the
    hint; a 1-D bias is told the column it must be."""
    parameters = deep.initialize_parameters_deep([3, 4, 1])
    with pytest.raises(ValueError, match=re.escape(
            "X must have 3 rows, one per input of W1; got shape (5, 3) (transposed? "
            "examples are columns)")):
        deep.L_model_forward(np.ones((5, 3)), parameters)
    with pytest.raises(ValueError, match=re.escape(
            "b must have shape (4, 1) to match W; got shape (4,)")):
        deep.linear_forward(np.ones((3, 2)), np.ones((4, 3)), np.zeros(4))


def test_the_usual_slips_with_dicts_and_caches_are_named():
    """A list where the parameter dict belongs, the (AL, caches) pair where the caches
    belong, a bare number of layers: each said in the learner's terms, not NumPy's."""
    rng = np.random.default_rng(0)
    parameters = deep.initialize_parameters_deep([3, 4, 1])
    X, Y = rng.random((3, 5)), (rng.random((1, 5)) > 0.5).astype(float)
    with pytest.raises(TypeError, match=r"parameters must be a dict of arrays .* got list"):
        deep.L_model_forward(X, [parameters["W1"], parameters["b1"]])
    AL, caches = deep.L_model_forward(X, parameters)
    with pytest.raises(TypeError, match=r"got the pair \(AL, caches\) that L_model_forward "
                                        r"returns; pass its second item"):
        deep.L_model_backward(AL, Y, deep.L_model_forward(X, parameters))
    with pytest.raises(TypeError, match="caches must be the list .* got NoneType"):
        deep.L_model_backward(AL, Y, None)
    # A learner's own forward pass may keep each layer's cache as a list: unpacked alike.
    as_lists = [[list(linear), activation] for linear, activation in caches]
    for key, value in deep.L_model_backward(AL, Y, caches).items():
        np.testing.assert_array_equal(deep.L_model_backward(AL, Y, as_lists)[key], value)
    with pytest.raises(ValueError, match="layer_dims must list at least two layer sizes"):
        deep.initialize_parameters_deep(5)
    with pytest.raises(ValueError, match="learning_rate must be a finite number > 0"):
        deep.L_layer_model(X, Y, [3, 4, 1], learning_rate=float("inf"), num_iterations=1)
