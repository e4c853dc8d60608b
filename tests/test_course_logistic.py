"""lucidnet.course.logistic against the lesson's formulas and published numbers, autograd,
and the general engine (a one-layer ``Network``) on the same weights."""

from __future__ import annotations

import autograd.numpy as anp
import numpy as np
import pytest
from autograd import grad

from lucidnet import Network
from lucidnet.course import logistic

# The lesson's propagate example.
W_EX = np.array([[1.0], [2.0]])
B_EX = 2.0
X_EX = np.array([[1.0, 2.0, -1.0], [3.0, 4.0, -3.2]])
Y_EX = np.array([[1, 0, 1]])


def _lesson_cost(w, b, X, Y):
    A = 1 / (1 + anp.exp(-(anp.dot(w.T, X) + b)))
    return -anp.mean(Y * anp.log(A) + (1 - Y) * anp.log(1 - A))


def _engine_twin(w, b) -> Network:
    net = Network([w.shape[0], 1], output_activation="sigmoid", loss="binary_cross_entropy")
    net.layers[0].W[...] = w.T
    net.layers[0].b[...] = b
    return net


def test_sigmoid_published_and_scalar():
    np.testing.assert_allclose(logistic.sigmoid(np.array([0, 2])), [0.5, 0.88079708], atol=5e-9)
    assert float(logistic.sigmoid(0)) == 0.5
    z = np.linspace(-5, 5, 7)
    np.testing.assert_allclose(logistic.sigmoid(z), 1 / (1 + np.exp(-z)), rtol=1e-14)


def test_initialize_with_zeros():
    w, b = logistic.initialize_with_zeros(3)
    np.testing.assert_array_equal(w, np.zeros((3, 1)))
    assert type(b) is float and b == 0.0


def test_propagate_reproduces_the_published_numbers():
    grads, cost = logistic.propagate(W_EX, B_EX, X_EX, Y_EX)
    np.testing.assert_allclose(grads["dw"], [[0.99845601], [2.39507239]], atol=5e-9)
    assert grads["db"] == pytest.approx(0.00145557813678, abs=1e-13)
    assert float(cost) == pytest.approx(5.801545319394553, rel=1e-12)
    # The lesson's np.sum gives db as np.float64, and its tests check that type.
    assert grads["dw"].shape == (2, 1) and type(grads["db"]) is np.float64
    assert np.ndim(cost) == 0


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_propagate_against_autograd(seed):
    rng = np.random.default_rng(seed)
    w, b = rng.standard_normal((4, 1)), float(rng.standard_normal())
    X, Y = rng.standard_normal((4, 11)), rng.integers(0, 2, (1, 11)).astype(float)
    grads, cost = logistic.propagate(w, b, X, Y)
    assert float(cost) == pytest.approx(_lesson_cost(w, b, X, Y), rel=1e-12)
    np.testing.assert_allclose(grads["dw"], grad(_lesson_cost, 0)(w, b, X, Y), rtol=1e-10)
    assert grads["db"] == pytest.approx(grad(_lesson_cost, 1)(w, b, X, Y), rel=1e-10)
    # The general engine on the same weights gives the same cost and gradient.
    net = _engine_twin(w, b)
    assert net.loss_and_gradient(X.T, Y.T) == pytest.approx(float(cost), rel=1e-10)
    np.testing.assert_allclose(net.layers[0].dW, grads["dw"].T, rtol=1e-10)
    assert float(net.layers[0].db[0]) == pytest.approx(grads["db"], rel=1e-10)


def test_optimize_matches_the_hand_written_loop_and_keeps_w():
    w0 = W_EX.copy()
    params, grads, costs = logistic.optimize(W_EX, B_EX, X_EX, Y_EX, num_iterations=201,
                                             learning_rate=0.009)
    np.testing.assert_array_equal(W_EX, w0)
    w, b, recorded = W_EX.copy(), B_EX, []
    for i in range(201):
        A = 1 / (1 + np.exp(-(w.T @ X_EX + b)))
        if i % 100 == 0:
            recorded.append(-np.mean(Y_EX * np.log(A) + (1 - Y_EX) * np.log(1 - A)))
        dw, db = X_EX @ (A - Y_EX).T / 3, np.sum(A - Y_EX) / 3
        w, b = w - 0.009 * dw, b - 0.009 * db
    np.testing.assert_allclose(params["w"], w, rtol=1e-11)
    assert params["b"] == pytest.approx(b, rel=1e-11)
    np.testing.assert_allclose(np.array(costs, dtype=float), recorded, rtol=1e-11)
    assert len(costs) == 3 and type(params["b"]) is np.float64  # b - lr * db, as the lesson
    np.testing.assert_allclose(grads["dw"], dw, rtol=1e-10)


def test_predict_hand_worked():
    w, b = np.array([[1.0], [-1.0]]), 0.5
    X = np.array([[0.0, 2.0, -1.0], [1.0, 1.0, 0.0]])  # w.X + b = -0.5, 1.5, -0.5
    np.testing.assert_array_equal(logistic.predict(w, b, X), [[0.0, 1.0, 0.0]])
    # The lesson's predict reshapes w to (dim, 1): a vector w gives the same.
    np.testing.assert_array_equal(logistic.predict(w.ravel(), b, X), [[0.0, 1.0, 0.0]])
    np.testing.assert_array_equal(logistic.predict(w.T, b, X), [[0.0, 1.0, 0.0]])
    with pytest.raises(ValueError, match=r"X must have 3 rows; got shape \(2, 3\)"):
        logistic.predict(np.ones(3), b, X)


def test_model_on_breast_cancer_equals_the_engine(capsys):
    from sklearn.datasets import load_breast_cancer

    data = load_breast_cancer()
    X = (data.data - data.data.mean(axis=0)) / data.data.std(axis=0)
    y = data.target.reshape(1, -1).astype(float)
    X_train, X_test, Y_train, Y_test = X[:400].T, X[400:].T, y[:, :400], y[:, 400:]
    d = logistic.model(X_train, Y_train, X_test, Y_test, num_iterations=300, learning_rate=0.5,
                       print_cost=True)
    assert set(d) == {"costs", "Y_prediction_test", "Y_prediction_train", "w", "b",
                      "learning_rate", "num_iterations"}
    out = capsys.readouterr().out
    assert "Cost after iteration 200:" in out
    assert "train accuracy:" in out and "test accuracy:" in out
    # Without print_cost the lesson's model prints nothing, the accuracies included.
    logistic.model(X_train, Y_train, X_test, Y_test, num_iterations=3)
    assert capsys.readouterr().out == ""
    assert np.mean(d["Y_prediction_test"] == Y_test) > 0.9
    net = _engine_twin(np.zeros((30, 1)), 0.0)
    fit_costs = net.fit(X_train.T, Y_train.T, learning_rate=0.5, num_iterations=300)
    np.testing.assert_allclose(np.array(d["costs"], dtype=float), fit_costs, rtol=1e-10)
    np.testing.assert_allclose(d["w"].T, net.layers[0].W, rtol=1e-9, atol=1e-13)


def test_wrong_inputs_are_clear_value_errors():
    with pytest.raises(ValueError, match=r"X must have 2 rows; got shape \(3, 3\)"):
        logistic.propagate(W_EX, B_EX, np.ones((3, 3)), Y_EX)
    with pytest.raises(ValueError, match=r"Y must have the shape of .*; got shape \(1, 2\)"):
        logistic.propagate(W_EX, B_EX, X_EX, np.ones((1, 2)))
    with pytest.raises(ValueError, match=r"w must be a column of shape \(dim, 1\); got shape \(1,"):
        logistic.propagate(W_EX.T, B_EX, X_EX, Y_EX)
    with pytest.raises(ValueError, match="b must be a scalar"):
        logistic.propagate(W_EX, np.ones(3), X_EX, Y_EX)
    with pytest.raises(ValueError, match="dim must be a positive int; got 0"):
        logistic.initialize_with_zeros(0)
    with pytest.raises(ValueError, match="learning_rate must be a finite number > 0; got -0.1"):
        logistic.optimize(W_EX, B_EX, X_EX, Y_EX, 10, -0.1)
