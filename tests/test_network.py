"""The Network engine: buffers, shapes, dtypes, errors, and learning on real data."""

from __future__ import annotations

import re

import numpy as np
import pytest

import lucidnet
from lucidnet import Dense, DivergenceError, Network, explain, gradcheck, losses
from lucidnet.layers import linear_backward, linear_forward


def test_parameters_are_views_of_one_flat_buffer(rng):
    net = Network([4, 5, 2], random_state=rng)
    assert net.n_params == 4 * 5 + 5 + 5 * 2 + 2
    for layer in net.layers:
        assert np.shares_memory(layer.W, net.params) and np.shares_memory(layer.dW, net.grads)
    net.params[:] = 0.0  # an optimizer's in-place update is seen by every layer
    assert not net.layers[1].W.any()
    net.set_params(np.arange(net.n_params, dtype=float))
    assert net.layers[0].W[0, 1] == 1.0 and net.layers[0].b[0] == 20.0


def test_forward_shapes_and_caches(rng):
    net = Network([3, 4, 2], activation="tanh", output_activation="softmax", random_state=rng)
    X = rng.standard_normal((6, 3))
    AL, caches = net.forward(X)
    assert AL.shape == (6, 2)
    assert [c.Z.shape for c in caches] == [(6, 4), (6, 2)]
    np.testing.assert_array_equal(caches[1].A_prev, caches[0].A)
    # Z = A_prev W^T + b, by hand for one entry.
    W, b = net.layers[0].W, net.layers[0].b
    assert caches[0].Z[2, 1] == pytest.approx(X[2] @ W[1] + b[1])


def test_backward_by_hand_for_one_sigmoid_unit():
    """One example, one weight: dJ/dw = (a - y) x for sigmoid + cross-entropy."""
    net = Network([1, 1], output_activation="sigmoid")
    net.set_params([0.5, -0.25])  # w, b
    x, y = 2.0, 1.0
    a = 1 / (1 + np.exp(-(0.5 * x - 0.25)))
    net.loss_and_gradient(np.array([[x]]), np.array([[y]]))
    np.testing.assert_allclose(net.grads, [(a - y) * x, a - y], rtol=1e-14)


@pytest.mark.parametrize(
    "hidden, output, loss",
    [
        ("relu", "softmax", None),
        ("tanh", "identity", "squared_error"),  # the identity output's A is its Z buffer
        ("identity", "sigmoid", "squared_error"),  # an identity hidden layer, generic delta
    ],
)
def test_workspace_gives_the_same_gradients(hidden, output, loss, rng):
    net = Network([5, 8, 3], hidden, output, loss, random_state=rng)
    X = rng.standard_normal((16, 5))
    Y = np.eye(3)[rng.integers(0, 3, 16)]
    cost = net.loss_and_gradient(X, Y)
    expected = net.grads.copy()
    workspace = net.workspace(16)
    for _ in range(2):  # reusing the buffers twice changes nothing
        assert net.loss_and_gradient(X, Y, workspace=workspace) == cost
        np.testing.assert_array_equal(net.grads, expected)


@pytest.mark.parametrize(
    "loss", ["binary_cross_entropy", "categorical_cross_entropy", "squared_error"]
)
def test_float32_end_to_end(loss, rng):
    net = Network([4, 6, 3], loss=loss, dtype="float32", random_state=rng)
    X = rng.standard_normal((10, 4)).astype(np.float32)
    Y = np.eye(3, dtype=np.float32)[rng.integers(0, 3, 10)]
    workspace = net.workspace(10)
    net.loss_and_gradient(X, Y, workspace=workspace)
    AL, caches = net.forward(X, workspace=workspace)
    assert net.params.dtype == net.grads.dtype == AL.dtype == np.float32
    assert all(c.Z.dtype == np.float32 and c.A.dtype == np.float32 for c in caches)
    twin = net.astype("float64")
    twin.loss_and_gradient(X.astype(float), Y.astype(float))
    np.testing.assert_allclose(net.grads, twin.grads, rtol=2e-3, atol=1e-5)


class _AbsoluteError(losses.Loss):
    """``L = sum_k |a_k - y_k|``, a loss of one's own whose gradient NumPy builds in
    float64 whatever the network's dtype (``np.where`` of Python floats), unless
    ``same_dtype``."""

    name = "absolute_error"
    natural_activation = "identity"

    def __init__(self, same_dtype: bool) -> None:
        self.same_dtype = same_dtype

    def per_example(self, A, Y):
        return np.abs(A - Y).sum(axis=1)

    def _unscaled_gradient(self, A, Y):
        signs = np.where(A > Y, 1.0, -1.0)
        return signs.astype(A.dtype) if self.same_dtype else signs


def test_a_float64_gradient_of_ones_own_loss_trains_a_float32_network(rng):
    """The layers write their products into float32 buffers, cast as np.matmul casts;
    the result is the float32 computation's up to float32 rounding."""
    X = rng.standard_normal((64, 5)).astype(np.float32)
    Y = rng.standard_normal((64, 1)).astype(np.float32)
    trained = []
    for same_dtype in (False, True):
        net = Network([5, 8, 1], "relu", "identity", _AbsoluteError(same_dtype),
                      dtype="float32", random_state=0)
        lucidnet.Trainer(net, optimizer="sgd", learning_rate=0.01, batch_size=16,
                         random_state=0).fit(X, Y, epochs=3)
        assert net.params.dtype == np.float32
        trained.append(net.params.copy())
    np.testing.assert_allclose(trained[0], trained[1], rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("m, n_in, n_out", [(3, 2, 3), (128, 784, 256), (209, 300, 20)])
def test_linear_steps_give_np_matmuls_bits(m, n_in, n_out, dtype, rng):
    """The layers' products (through np.dot) into the training loop's C-ordered buffers
    are exactly np.matmul's."""
    A = rng.standard_normal((m, n_in)).astype(dtype)
    W = rng.standard_normal((n_out, n_in)).astype(dtype)
    dZ = rng.standard_normal((m, n_out)).astype(dtype)
    Z = linear_forward(A, W, None, out=np.empty((m, n_out), dtype))
    np.testing.assert_array_equal(Z, np.matmul(A, W.T))
    dA, dW, db = linear_backward(dZ, A, W, dW_out=np.empty_like(W), db_out=np.empty(n_out, dtype),
                                 dA_prev_out=np.empty_like(A))
    np.testing.assert_array_equal(dW, np.matmul(dZ.T, A))
    np.testing.assert_array_equal(db, np.matmul(np.ones(m, dtype), dZ))
    np.testing.assert_array_equal(dA, np.matmul(dZ, W))


@pytest.mark.parametrize("order, dtype", [("F", np.float64), ("C", np.float32)])
def test_linear_steps_write_into_any_buffer_np_matmul_takes(order, dtype, rng):
    """Buffers of another layout or dtype than the products' get their values cast in,
    as ``np.matmul(..., out=...)`` does."""
    A, W, b = rng.standard_normal((6, 4)), rng.standard_normal((3, 4)), rng.standard_normal(3)
    dZ = rng.standard_normal((6, 3))
    Z = linear_forward(A, W, b, out=np.empty((6, 3), dtype, order=order))
    # The bias is added after the cast: float32 rounds twice.
    np.testing.assert_allclose(Z, (np.matmul(A, W.T) + b).astype(dtype), rtol=1e-6, atol=1e-6)
    dW_out, dA_out = np.empty((3, 4), dtype, order=order), np.empty((6, 4), dtype, order=order)
    dA, dW, db = linear_backward(dZ, A, W, dW_out=dW_out, db_out=np.empty(3, dtype),
                                 dA_prev_out=dA_out)
    assert dW is dW_out and dA is dA_out
    np.testing.assert_array_equal(dW, np.matmul(dZ.T, A).astype(dtype))
    np.testing.assert_array_equal(dA, np.matmul(dZ, W).astype(dtype))
    np.testing.assert_allclose(db, dZ.sum(axis=0).astype(dtype), rtol=1e-6)


def test_predict_and_predict_proba(rng):
    net = Network([2, 3], output_activation="softmax", random_state=rng)
    X = rng.standard_normal((5, 2))
    proba = net.predict_proba(X)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0)
    np.testing.assert_array_equal(net.predict(X), proba.argmax(axis=1))
    regression = Network([2, 1], loss="squared_error", random_state=rng)
    with pytest.raises(TypeError, match="predict_proba needs a sigmoid or softmax output"):
        regression.predict_proba(X)


def test_predictions_in_several_threads_at_once_are_each_right(rng):
    """Above PREDICT_CHUNK rows the output runs chunk by chunk through buffers; two
    threads predicting with one network must not share them."""
    from concurrent.futures import ThreadPoolExecutor

    from lucidnet.network import PREDICT_CHUNK

    net = Network([20, 64, 64, 5], output_activation="softmax", random_state=0)
    inputs = [rng.standard_normal((2 * PREDICT_CHUNK + 7, 20)) * (i + 1) for i in range(4)]
    expected = [np.concatenate([net.forward(X[start:start + 100])[0]
                                for start in range(0, len(X), 100)]) for X in inputs]
    with ThreadPoolExecutor(4) as pool:
        results = list(pool.map(net.predict_proba, inputs * 5))
    for i, result in enumerate(results):
        np.testing.assert_allclose(result, expected[i % 4], rtol=1e-12, atol=0)


def test_targets_outside_the_losses_range_are_refused(rng):
    """Binary cross-entropy on labels 1 and 2 has no minimum: the cost falls below 0
    for ever and accuracy means nothing.  Refused, with the mapping to 0 and 1."""
    X = rng.standard_normal((8, 3))
    y = np.array([1, 2, 1, 2, 2, 1, 1, 2], dtype=float)
    net = Network([3, 4, 1], random_state=0)
    with pytest.raises(ValueError, match=r"0/1 labels .* got 2.0 at row 1, column 0 \(two "
                                         r"labels, 1 and 2: map them to 0 and 1, e.g. Y == 2\)"):
        lucidnet.train(net, X, y, epochs=1)
    lucidnet.train(net, X, y == 2, epochs=1)
    lucidnet.train(net, X, np.full(8, 0.3), epochs=1)  # probabilities are targets too
    poisson = Network([3, 4, 1], output_activation="exp", loss="poisson", random_state=0)
    with pytest.raises(ValueError, match="counts or rates >= 0 for poisson; got -1.0 at row 2"):
        poisson.fit(X, np.array([0, 1, -1, 2, 3, 0, 1, 1.0]), num_iterations=1)
    # The loss object itself computes on any values, as the reference's tests feed it.
    assert np.isfinite(losses.get("binary_cross_entropy").cost(np.full((2, 1), 0.5),
                                                               np.array([[2.0], [-1.0]])))


def test_categorical_cross_entropy_on_one_unit_is_refused():
    # -y log a alone never sees the y = 0 rows: training only pushes every output up.
    with pytest.raises(ValueError, match="categorical cross-entropy over one output unit"):
        Network([3, 4, 1], output_activation="sigmoid", loss="categorical_cross_entropy")
    net = Network([3, 4, 1])
    with pytest.raises(ValueError, match="use binary_cross_entropy for one sigmoid output"):
        net.loss = "categorical_cross_entropy"
    Network([3, 4, 2], output_activation="sigmoid", loss="categorical_cross_entropy")


def test_assigning_params_copies_into_the_layers_buffer(rng):
    """``net.params = ...`` (a step written by hand) must move the layers' weights,
    which are views of the buffer: rebinding the name would cut them loose."""
    net = Network([3, 4, 1], random_state=0)
    X, y = rng.standard_normal((6, 3)), (rng.random(6) > 0.5).astype(float)
    before = net.output(X)
    net.loss_and_gradient(X, y)
    net.params = net.params - 0.5 * net.grads
    assert np.shares_memory(net.layers[0].W, net.params)
    after = net.output(X)
    assert not np.allclose(before, after)
    net.grads = np.zeros(net.n_params)
    assert not net.layers[1].dW.any()
    with pytest.raises(ValueError, match=r"params must have shape \(21,\)"):
        net.params = np.zeros(5)


def test_softmax_cross_entropy_targets_must_be_distributions(rng):
    """dZ = (A - Y)/m is the gradient only when each row of Y sums to 1: multi-hot
    or count targets are refused, not trained on a wrong gradient."""
    net = Network([3, 4], output_activation="softmax", random_state=0)
    X = rng.standard_normal((6, 3))
    probabilities = rng.dirichlet(np.ones(4), size=6)
    assert gradcheck(net, X, probabilities).passed()
    # float32 probabilities (a float32 model's predict_proba) sum to 1 only within 1e-7.
    lucidnet.train(net, X, probabilities.astype(np.float32), epochs=1)
    multi_hot = np.zeros((6, 4))
    multi_hot[:, :2] = 1.0
    with pytest.raises(ValueError, match="row 0 sums to 2.0"):
        lucidnet.train(net, X, multi_hot, epochs=1)
    with pytest.raises(ValueError, match="rows that sum to 1"):
        gradcheck(net, X, 0.5 * probabilities)
    # The unfused path has no such shortcut: a sigmoid output takes multi-hot targets.
    lucidnet.train(Network([3, 4], output_activation="sigmoid", random_state=0), X, multi_hot,
                   epochs=1)


def test_config_round_trip_and_copy(rng):
    net = Network(
        [3, 4, 4, 2],
        activation=["tanh", {"name": "leaky_relu", "slope": 0.3}],
        loss="squared_error",
        use_bias=False,
        dropout=[0.1, 0.0],
        random_state=rng,
    )
    import json

    config = json.loads(json.dumps(net.get_config()))
    clone = Network.from_config(config)
    assert clone.get_config() == net.get_config()
    copy = net.copy()
    np.testing.assert_array_equal(copy.params, net.params)
    copy.params[0] += 1
    assert copy.params[0] != net.params[0]


def test_repr_and_summary_show_shapes_and_counts(rng):
    net = Network([12288, 20, 7, 5, 1], random_state=rng)
    assert "12288-20-7-5-1" in repr(net) and "245,973 parameters" in repr(net)
    summary = net.summary()
    assert "(20, 12288)" in summary and "245,780" in summary and "binary_cross_entropy" in summary


def test_same_seed_same_weights():
    a = Network([5, 4, 1], random_state=7)
    b = Network([5, 4, 1], random_state=7)
    c = Network([5, 4, 1], random_state=8)
    np.testing.assert_array_equal(a.params, b.params)
    assert not np.array_equal(a.params, c.params)


# ------------------------------------------------------------------ errors
@pytest.mark.parametrize(
    "kwargs,error,message",
    [
        ({"layer_sizes": [3]}, ValueError, "layer_sizes must list at least two positive ints"),
        ({"layer_sizes": [3, 0, 1]}, ValueError, r"got \[3, 0, 1\]"),
        ({"layer_sizes": 5}, TypeError, "layer_sizes must be a sequence"),
        (
            {"layer_sizes": [3, 2, 1], "activation": "sigmoidal"},
            ValueError,
            "unknown activation 'sigmoidal'",
        ),
        ({"layer_sizes": [3, 2, 1], "loss": "mae"}, ValueError, "unknown loss 'mae'"),
        (
            {"layer_sizes": [3, 2, 1], "dtype": "int32"},
            ValueError,
            "dtype must be float32 or float64; got 'int32'",
        ),
        (
            {"layer_sizes": [3, 2, 2, 1], "activation": ["relu"]},
            ValueError,
            r"one per hidden layer \(2\); got 1",
        ),
        (
            {"layer_sizes": [3, 1], "output_activation": "relu"},
            ValueError,
            "loss must be given for an output activation of 'relu'",
        ),
        (
            {"layer_sizes": [3, 2, 1], "random_state": "seed"},
            TypeError,
            "random_state must be None, an int",
        ),
    ],
)
def test_bad_construction_arguments(kwargs, error, message):
    with pytest.raises(error, match=message):
        Network(**kwargs)


def test_bad_data_is_named(rng):
    net = Network([3, 2, 1], random_state=rng)
    X = rng.standard_normal((4, 3))
    with pytest.raises(
        ValueError, match=r"X must have 3 columns \(shape \(m, 3\)\); got shape \(4, 2\)"
    ):
        net.cost(X[:, :2], np.ones(4))
    with pytest.raises(
        ValueError, match=r"Y must have 4 rows, one per example of X; got shape \(3, 1\)"
    ):
        net.cost(X, np.ones((3, 1)))
    with pytest.raises(ValueError, match=r"Y must have 1 column \(shape"):
        net.cost(X, np.ones((4, 2)))
    bad = X.copy()
    bad[2, 1] = np.nan
    with pytest.raises(ValueError, match=r"X must be finite; X\[2, 1\] is .*nan"):
        net.cost(bad, np.ones(4))
    with pytest.raises(
        ValueError, match=r"X must be a 2-D array of shape \(m, 3\).*got an array of shape \(3,\)"
    ):
        net.predict(X[0])
    with pytest.raises(TypeError, match="X must hold real numbers; got an array of dtype <U1"):
        net.predict([["a", "b", "c"]])
    with pytest.raises(ValueError, match=r"sample_weight must have shape \(4,\)"):
        net.cost(X, np.ones(4), sample_weight=np.ones(3))
    with pytest.raises(TypeError, match="sample_weight must hold real numbers; got an array "
                       "of dtype <U1"):  # NumPy's own words named no argument
        net.cost(X, np.ones(4), sample_weight=["a", "b", "c", "d"])
    with pytest.raises(
        ValueError, match=r"layers\[1\].n_in must equal layers\[0\].n_out = 4; got 3"
    ):
        Network.from_layers([Dense(2, 4), Dense(3, 1, "sigmoid")], "binary_cross_entropy")
    # One Dense in two places, or taken from a network, would share (and re-initialize)
    # weights that belong elsewhere.
    square = Dense(3, 3, "tanh")
    with pytest.raises(ValueError, match=r"layers\[1\] is also an earlier layer"):
        Network.from_layers([square, square, Dense(3, 1, "sigmoid")], "binary_cross_entropy")
    owner = Network.from_layers([Dense(3, 2), Dense(2, 1, "sigmoid")], "binary_cross_entropy",
                                random_state=0)
    weights = owner.params.copy()
    with pytest.raises(ValueError, match=r"layers\[0\] already belongs to a network"):
        Network.from_layers(owner.layers, "binary_cross_entropy", random_state=1)
    np.testing.assert_array_equal(owner.params, weights)
    # A pickled copy (sent to a worker process, say) belongs to none.
    import pickle

    copies = [pickle.loads(pickle.dumps(layer, protocol=5)) for layer in owner.layers]
    Network.from_layers(copies, "binary_cross_entropy", random_state=1)
    np.testing.assert_array_equal(owner.params, weights)


# ---------------------------------------------------------------- training
def test_fit_records_and_prints_the_cost_every_n_iterations(rng, capsys):
    net = Network([2, 3, 1], activation="tanh", random_state=rng)
    X = rng.standard_normal((20, 2))
    Y = (X[:, :1] * X[:, 1:] > 0).astype(float)
    costs = net.fit(X, Y, learning_rate=0.5, num_iterations=250, print_cost=True)
    assert len(costs) == 3  # iterations 0, 100 and 200, the reference's rule
    printed = capsys.readouterr().out.splitlines()
    assert printed[0].startswith("Cost after iteration 0: ") and printed[-1].startswith(
        "Cost after iteration 249"
    )
    assert costs[-1] < costs[0]


def test_gradient_descent_step_is_w_minus_alpha_dw(rng):
    net = Network([3, 2, 1], random_state=rng)
    X = rng.standard_normal((5, 3))
    Y = rng.integers(0, 2, (5, 1)).astype(float)
    before = net.params.copy()
    net.loss_and_gradient(X, Y)
    expected = before - 0.1 * net.grads
    net.fit(X, Y, learning_rate=0.1, num_iterations=1)
    np.testing.assert_allclose(net.params, expected, rtol=1e-15)


def test_divergence_stops_with_the_last_finite_parameters(rng):
    net = Network([2, 8, 1], activation="identity", loss="squared_error", random_state=rng)
    X = rng.standard_normal((10, 2)) * 100
    Y = rng.standard_normal((10, 1))
    with pytest.raises(DivergenceError, match=r"at iteration \d+ \(learning_rate=10.0\)"):
        net.fit(X, Y, learning_rate=10.0, num_iterations=500)
    assert np.isfinite(net.params).all()


def test_l_layer_network_learns_breast_cancer():
    """Issue 2's convergence bar: >= 95% held-out accuracy with batch gradient descent."""
    from sklearn.datasets import load_breast_cancer
    from sklearn.model_selection import train_test_split
    from sklearn.preprocessing import StandardScaler

    X, y = load_breast_cancer(return_X_y=True)
    X_train, X_test, y_train, y_test = train_test_split(
        X, y, test_size=0.25, stratify=y, random_state=0
    )
    scaler = StandardScaler().fit(X_train)
    net = Network([30, 20, 7, 5, 1], activation="relu", initializer="lecun_normal", random_state=1)
    costs = net.fit(scaler.transform(X_train), y_train, learning_rate=0.05, num_iterations=1500)
    assert costs[-1] < 0.1
    accuracy = (net.predict(scaler.transform(X_test))[:, 0] == y_test).mean()
    assert accuracy >= 0.95


# ----------------------------------------------------------------- explain
def test_explain_rows_follow_the_network_shapes(rng):
    table = explain(Network([2, 3, 1], random_state=rng), 4)
    shapes = {row.code: row.shape for row in table.rows}
    assert shapes["X"] == (4, 2) and shapes["W1"] == (3, 2) and shapes["b1"] == (3,)
    assert shapes["Z1"] == shapes["A1"] == shapes["dZ1"] == (4, 3)
    assert shapes["dW2"] == (1, 3) and shapes["cost"] == ()
    columns = explain([2, 3, 1], 4, columns=True)
    shapes = {row.code: row.shape for row in columns.rows}
    assert shapes["X"] == (2, 4) and shapes["b1"] == (3, 1) and shapes["dA1"] == (3, 4)
    assert "dA0" not in shapes  # nobody needs the gradient of the data
    text = str(columns)
    assert "examples as columns" in text and "W[1] A[0] + b[1]" in text
    assert table.to_dicts()[0] == {
        "code": "X",
        "symbol": "A[0] = X",
        "meaning": "the inputs, 2 features per example",
        "shape": (4, 2),
    }


def test_explain_shows_the_dropout_mask_and_the_courses_per_example_deltas(rng):
    """A hidden layer with dropout: its mask D[l] between A[l] and the next layer, in
    the forward and backward lines, checked against the network's own backward pass.
    In the course's columns a mean cost's dZ and dA are per-example (dL), its 1/m at
    dW and db (dJ)."""
    net = Network([2, 3, 1], dropout=0.5, random_state=rng)
    rows = {row.code: row.meaning for row in explain(net, 4).rows}
    assert rows["D1"].startswith("dropout mask: 0 with probability 0.5")
    assert rows["Z2"] == "pre-activation (A[1] * D[1]) W[2]^T + b[2]"
    assert rows["dZ1"] == "dJ/dZ[1] = dA[1] * D[1] * relu'(Z[1])"
    assert rows["dW2"] == "dJ/dW[2] = dZ[2]^T (A[1] * D[1])"
    # The same relations, in numbers.
    X = rng.normal(size=(4, 2))
    Y = rng.integers(0, 2, (4, 1)).astype(float)
    D = (rng.random((4, 3)) > 0.5) * 2.0
    _, caches = net.forward(X, training=True, masks=[D, None])
    net.backward(Y, caches)
    A1, Z1 = caches[0].A, caches[0].Z
    dZ2 = (caches[1].A - Y) / len(X)
    np.testing.assert_allclose(net.layers[1].dW, dZ2.T @ (A1 * D), rtol=1e-12)
    dZ1 = (dZ2 @ net.layers[1].W) * D * (Z1 > 0)
    np.testing.assert_allclose(net.layers[0].dW, dZ1.T @ X, rtol=1e-12)
    course = {row.code: row.meaning for row in explain(net, 4, columns=True).rows}
    assert course["dZ1"].startswith("dL/dZ[1]") and course["dA1"].startswith("dL/dA[1]")
    assert course["dW1"] == "dJ/dW[1] = dZ[1] A[0]^T / m"
    assert "m = 1 example (" in str(explain(net, 1))


def test_explain_writes_out_the_output_layers_gradient():
    """Unfused pairings show dJ/dA[L] (the course's dAL) before dZ[L]; fused ones go
    straight to dZ[L] = (A[L] - Y) / m."""
    def meanings(net, **kwargs):
        return {row.code: row.meaning for row in explain(net, 3, **kwargs).rows}

    sse = Network([2, 3, 1], "sigmoid", "sigmoid", "sum_squared_error", use_bias=False)
    rows = meanings(sse, columns=True)
    assert rows["dA2"] == "dJ/dA[L] = A[L] - Y"
    assert rows["dZ2"] == "dJ/dZ[L] = dA[L] * sigmoid'(Z[L])"
    mean = meanings(Network([2, 3, 1], "relu", "sigmoid", "squared_error"))
    assert mean["dA2"] == "dJ/dA[L] = (A[L] - Y) / m"
    bce = meanings(Network([2, 3, 2], "relu", "softmax", "binary_cross_entropy"))
    assert bce["dA2"] == "dJ/dA[L] = -(Y / A[L] - (1 - Y) / (1 - A[L])) / m"
    assert bce["dZ2"].startswith("dJ/dZ[L] = A[L] * (dA[L] - sum over classes")
    fused = meanings(Network([2, 3, 1], "relu", "sigmoid", "binary_cross_entropy"))
    assert "dA2" not in fused and fused["dZ2"].startswith("dJ/dZ[L] = (A[L] - Y) / m")

    class Unwritten(losses.SquaredError):  # a loss of one's own, without gradient_text
        name = "unwritten"
        gradient_text = ""

    own = meanings(Network([2, 3, 1], "relu", "sigmoid", Unwritten()))
    assert own["dA2"] == "dJ/dA[L] = the gradient of unwritten / m"


def test_explain_matches_the_actual_arrays(rng):
    """Every row's shape is the shape of the array the engine really computes."""
    net = Network([3, 5, 2], output_activation="softmax", random_state=rng)
    X = rng.standard_normal((7, 3))
    AL, caches = net.forward(X)
    actual = {
        "X": X.shape,
        "Z1": caches[0].Z.shape,
        "A1": caches[0].A.shape,
        "Z2": caches[1].Z.shape,
        "A2": AL.shape,
        "W1": net.layers[0].W.shape,
        "b2": net.layers[1].b.shape,
        "dW1": net.layers[0].dW.shape,
    }
    rows = {row.code: row.shape for row in explain(net, 7).rows}
    for code, shape in actual.items():
        assert rows[code] == shape, code


def test_explain_rejects_bad_arguments():
    with pytest.raises(ValueError, match="examples must be a positive int; got 0"):
        explain([2, 1], 0)
    for sizes in ([2], [2, 3.5, 1], [2, 0, 1]):  # Network's own check: 3.5 is not cut to 3
        with pytest.raises(ValueError, match="layer_sizes must list at least two positive ints"):
            explain(sizes, 3)
    # The command line's spelling, in Python too.
    assert explain("2,3,1", 3).rows == explain([2, 3, 1], 3).rows
    with pytest.raises(ValueError, match=r"layer sizes must be ints like \[2, 3, 1\] or "
                       r"'2,3,1'; got '2;3;1'"):
        explain("2;3;1")


def test_import_is_light():
    import subprocess
    import sys

    heavy = "('sklearn', 'scipy', 'matplotlib', 'tqdm', 'click')"
    code = f"import sys, lucidnet; print(sorted(m for m in {heavy} if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
    assert lucidnet.__version__


def test_pickling_keeps_the_layers_views_of_the_flat_buffer(rng):
    import pickle

    net = Network([3, 4, 2], output_activation="softmax", dtype="float32", random_state=rng)
    back = pickle.loads(pickle.dumps(net))
    np.testing.assert_array_equal(back.params, net.params)
    assert back.params.dtype == np.float32
    back.params[0] = 99.0  # an in-place update must reach the layer
    assert back.layers[0].W.flat[0] == 99.0
    X = rng.standard_normal((5, 3))
    np.testing.assert_array_equal(
        pickle.loads(pickle.dumps(net)).predict_proba(X), net.predict_proba(X)
    )


def test_backward_names_its_arguments_when_they_are_swapped(rng):
    net = Network([3, 4, 1], random_state=rng)
    X = rng.standard_normal((5, 3))
    Y = rng.integers(0, 2, (5, 1)).astype(float)
    _, caches = net.forward(X)
    with pytest.raises(
        TypeError, match=r"caches must be the list of 2 LayerCache.*backward\(Y, caches\)"
    ):
        net.backward(caches, Y)
    with pytest.raises(ValueError, match=r"Y must have 5 rows"):
        net.backward(Y[:4], caches)
    grads = net.backward(Y.ravel(), caches)  # one output: a flat Y is read as a column
    assert grads[0].dW.shape == (4, 3)
    with pytest.raises(TypeError, match="caches must be the list of 2 LayerCache"):
        net.backward(Y, None)
    _, wider = Network([3, 5, 1], random_state=0).forward(X)
    with pytest.raises(ValueError, match=r"caches\[0\] is not from this network's forward\(\): "
                                         r"layer 1 maps 3 inputs to 4 units"):
        net.backward(Y, wider)


def test_dropout_masks_are_the_same_with_and_without_a_workspace(rng):
    net = Network([4, 8, 6, 1], dropout=0.5, random_state=rng)
    X = rng.standard_normal((10, 4))
    fresh, caches = net.forward(X, training=True, rng=np.random.default_rng(5))
    reused, reused_caches = net.forward(
        X, training=True, rng=np.random.default_rng(5), workspace=net.workspace(10)
    )
    np.testing.assert_array_equal(fresh, reused)
    mask = caches[0].mask
    assert set(np.unique(mask)) == {0.0, 2.0}  # dropped, or kept and scaled by 1 / 0.5
    np.testing.assert_array_equal(mask, reused_caches[0].mask)


def test_assigning_the_loss_decides_the_fused_delta_again(rng):
    """From binary cross-entropy (fused with the sigmoid output: dZ = A - Y) to the summed
    squared error (not fused): a stale fused flag would give BCE's delta."""
    net = Network([3, 4, 1], activation="tanh", output_activation="sigmoid",
                  loss="binary_cross_entropy", random_state=0)
    X = rng.standard_normal((6, 3))
    Y = rng.random((6, 1))
    net.loss = "sum_squared_error"
    assert net.loss.name == "sum_squared_error"
    assert gradcheck(net, X, Y).passed()
    net.loss = "binary_cross_entropy"
    assert gradcheck(net, X, Y).passed()


def test_assigning_a_layers_arrays_writes_into_the_network():
    """The course's loop ``W = W - alpha dW`` on a layer's attributes trains the network
    itself, step for step as Network.fit, and what is saved or copied is what was
    trained; an array of another shape is refused, naming both shapes."""
    rng = np.random.default_rng(0)
    X = rng.normal(size=(50, 3))
    y = (X[:, 0] > 0).astype(float).reshape(-1, 1)
    by_layers = Network([3, 4, 1], activation="tanh", random_state=0)
    by_fit = by_layers.copy()
    for _ in range(50):
        by_layers.loss_and_gradient(X, y)
        for layer in by_layers.layers:
            layer.W = layer.W - 0.5 * layer.dW
            layer.b = layer.b - 0.5 * layer.db
    by_fit.fit(X, y, learning_rate=0.5, num_iterations=50)
    np.testing.assert_allclose(by_layers.params, by_fit.params, rtol=1e-12, atol=1e-15)
    assert by_layers.copy().cost(X, y) == by_layers.cost(X, y)
    first = by_layers.layers[0]
    first.W = np.full((4, 3), 0.25)
    assert np.all(by_layers.params[:12] == 0.25) and first.W.base is not None
    with pytest.raises(ValueError, match=r"Dense.W has shape \(4, 3\) .* got an array of "
                                         r"shape \(3, 4\)"):
        first.W = np.zeros((3, 4))
    with pytest.raises(ValueError, match=r"Dense.b has shape \(4,\)"):
        first.b = np.zeros((4, 1))  # the course's column of biases
    with pytest.raises(ValueError, match=r"Dense.b has shape \(4,\) .* got None"):
        first.b = None
    unbiased = Network([3, 2, 1], "tanh", use_bias=False)
    with pytest.raises(ValueError, match=r"this layer has no biases \(use_bias=False\)"):
        unbiased.layers[0].b = np.full(2, 5.0)
    loose = Dense(3, 2)
    loose.W = np.ones((5, 5))  # a layer outside any network holds what it is given
    assert loose.W.shape == (5, 5)


def test_gradient_descent_on_a_network_with_dropout():
    """Network.fit draws new masks every iteration, from random_state."""
    rng = np.random.default_rng(0)
    X = rng.normal(size=(40, 3))
    y = (X[:, 0] > 0).astype(float)
    net = Network([3, 8, 1], dropout=0.2, random_state=0)
    runs = [net.copy().fit(X, y, learning_rate=0.1, num_iterations=200, random_state=seed)
            for seed in (1, 1, 2)]
    assert runs[0] == runs[1] != runs[2]
    assert runs[0][-1] < runs[0][0]
    with pytest.raises(ValueError, match="num_iterations must be a positive int; got 10.0"):
        net.fit(X, y, num_iterations=10.0)
    with pytest.raises(ValueError, match="pass rng=np.random.default_rng"):
        net.loss_and_gradient(X, y)



def test_no_examples_is_a_clear_error_everywhere_a_cost_is_taken():
    """A mean over no rows is no cost (it was a ZeroDivisionError deep in the loss)."""
    from lucidnet.training import Trainer

    net = Network([3, 2, 1], random_state=0)
    X, Y = np.zeros((0, 3)), np.zeros((0, 1))
    calls = [lambda: net.fit(X, Y), lambda: net.cost(X, Y), lambda: gradcheck(net, X, Y),
             lambda: Trainer(net).fit(X, Y)]
    for call in calls:
        with pytest.raises(ValueError, match=r"X must hold at least one example \(row\); "
                                             r"got shape \(0, 3\)"):
            call()
    assert net.predict(X).shape == (0, 1)  # predicting for no rows is no error

def test_masks_that_would_be_ignored_or_do_not_fit_are_refused():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(5, 3))
    y = rng.integers(0, 2, 5).astype(float)
    plain = Network([3, 4, 1], activation="tanh", random_state=0)
    with pytest.raises(ValueError, match=r"masks\[0\] is given, but layer 1 has no dropout"):
        gradcheck(plain, X, y, masks=[np.zeros((5, 4)), None])
    dropped = Network([3, 4, 1], activation="tanh", dropout=0.5, random_state=0)
    with pytest.raises(ValueError, match=r"masks\[0\] must have shape \(5, 4\) .* got \(4, 5\)"):
        gradcheck(dropped, X, y, masks=[np.ones((4, 5)), None])
    with pytest.raises(ValueError, match=r"one entry per layer \(2; .*got 1"):
        dropped.cost(X, y, masks=[np.ones((5, 4))])
    with pytest.raises(ValueError, match=r"masks\[1\] is given, but the output layer has no"):
        dropped.cost(X, y, masks=[np.ones((5, 4)), np.ones((5, 1))])
    mask = (rng.random((5, 4)) > 0.5) * 2.0
    assert gradcheck(dropped, X, y, masks=[mask, None]).passed()


@pytest.mark.parametrize(("build", "message"), [
    (lambda: Network([3, 4, 1], output_activation="softmax",
                     loss="categorical_cross_entropy"), "a softmax over one output unit"),
    (lambda: Network([3, 4, 1], output_activation="identity", loss="binary_cross_entropy"),
     "loss 'binary_cross_entropy' is not defined on 'identity' outputs: it needs values in "
     "(0, 1): a sigmoid or softmax output"),
    (lambda: Network([3, 4, 1], output_activation="relu", loss="poisson"),
     "loss 'poisson' is not defined on 'relu' outputs: it needs positive values"),
    (lambda: Network.from_layers([Dense(3, 4, "tanh"), Dense(4, 1, "sigmoid", dropout=0.5)],
                                 loss="binary_cross_entropy"),
     "the output layer takes no dropout"),
])
def test_outputs_a_loss_is_not_defined_on_are_refused(build, message):
    """Each of these had a cost that was constant, clipped flat or NaN while its
    'gradient' was not: gradient checking then failed, or passed zero against zero."""
    with pytest.raises(ValueError, match=re.escape(message)):
        build()


def test_a_loss_assigned_later_is_checked_against_the_output():
    net = Network([3, 4, 1], output_activation="identity", loss="squared_error")
    with pytest.raises(ValueError, match="is not defined on 'identity' outputs"):
        net.loss = "binary_cross_entropy"
    assert net.loss.name == "squared_error"


def test_an_activation_of_ones_own_is_taken_with_any_loss(monkeypatch):
    """A registered activation (here softplus, positive) is taken on trust: the loss's
    refusals name only built-ins known to fall outside its domain."""
    from lucidnet import activations

    # Registered for this test only.
    monkeypatch.setattr(activations._REGISTRY, "_factories",
                        dict(activations._REGISTRY._factories))

    class Softplus(activations.Activation):
        name = "test_softplus"

        def forward(self, Z, out=None):
            return np.logaddexp(0.0, Z, out=out)

        def derivative(self, Z, A):
            return 1.0 / (1.0 + np.exp(-Z))

    activations.register("test_softplus", Softplus)
    rng = np.random.default_rng(0)
    X = rng.normal(size=(30, 3))
    counts = rng.poisson(2.0, size=(30, 1)).astype(float)
    net = Network([3, 4, 1], "tanh", "test_softplus", "poisson", random_state=0)
    assert gradcheck(net, X, counts).passed()
    costs = net.fit(X, counts, learning_rate=0.1, num_iterations=200, cost_every=199)
    assert costs[-1] < costs[0]


def test_a_saved_output_dropout_is_dropped_on_loading(tmp_path):
    """Earlier versions accepted dropout on the output layer and never applied it: such
    a file loads, without it, predicting as before."""
    import json

    net = Network([3, 4, 1], "tanh", random_state=0)
    path = tmp_path / "m.npz"
    lucidnet.save(net, path)
    with np.load(path) as archive:
        members = {name: archive[name] for name in archive.files}
    header = json.loads(members["header"].tobytes())
    header["network"]["layers"][-1]["dropout"] = 0.3
    members["header"] = np.frombuffer(json.dumps(header).encode(), dtype=np.uint8)
    np.savez(path, **members)
    back = lucidnet.load(path)
    X = np.random.default_rng(1).normal(size=(5, 3))
    assert back.layers[-1].dropout == 0.0
    np.testing.assert_array_equal(back.output(X), net.output(X))


def test_predict_thresholds_only_a_classifier():
    """A sigmoid output trained with squared error (the README's 2-3-1 network) is a
    regression onto (0, 1): predict gives its values; with cross-entropy, 0/1."""
    X = np.array([[3, 5], [5, 1], [10, 2]], dtype=float) / [10, 5]
    regression = Network([2, 3, 1], "sigmoid", "sigmoid", "sum_squared_error",
                         use_bias=False, random_state=0)
    np.testing.assert_array_equal(regression.predict(X), regression.output(X))
    classifier = Network([2, 3, 1], "sigmoid", "sigmoid", "binary_cross_entropy",
                         random_state=0)
    np.testing.assert_array_equal(classifier.predict(X),
                                  (classifier.output(X) > 0.5).astype(int))


def test_an_unregistered_activation_is_gradchecked_but_not_saved_unreadable(tmp_path,
                                                                            monkeypatch):
    """An activation object of one's own trains and is gradient-checked as it is (the
    check's float64 copy shares it); a file or pickle that could not be read back is
    refused, naming the register call, until it is registered."""
    import pickle

    from lucidnet import activations

    monkeypatch.setattr(activations._REGISTRY, "_factories",
                        dict(activations._REGISTRY._factories))

    class Square(activations.Activation):
        name = "test_square"

        def forward(self, Z, out=None):
            return np.multiply(Z, Z, out=out)

        def derivative(self, Z, A):
            return Z  # wrong on purpose: 2 Z

    rng = np.random.default_rng(0)
    X, Y = rng.normal(size=(20, 3)), rng.random(size=(20, 1))
    net = Network([3, 4, 1], activation=Square(), dtype="float32", random_state=0)
    check = gradcheck(net, X, Y)
    assert not check.passed()
    assert check.per_parameter["W1"] > 0.1 and check.per_parameter["W2"] < 1e-6  # its layer
    message = (r"the activation 'test_square' \(Square\) is not registered under that name, "
               r"so a saved or pickled network could not be rebuilt; call "
               r"lucidnet.activations.register\('test_square', Square\) first")
    with pytest.raises(ValueError, match=message):
        lucidnet.save(net, tmp_path / "square.npz")
    assert not (tmp_path / "square.npz").exists()
    with pytest.raises(ValueError, match=message):
        pickle.dumps(net)
    activations.register("test_square", Square)
    lucidnet.save(net, tmp_path / "square.npz")
    np.testing.assert_array_equal(lucidnet.load(tmp_path / "square.npz").predict(X),
                                  pickle.loads(pickle.dumps(net)).predict(X))

    class Rectifier(activations.ReLU):  # keeps the built-in's name, which is not to register
        pass

    with pytest.raises(ValueError, match="the activation 'relu' \\(Rectifier\\) is not "
                       "registered under that name, .*; give Rectifier a name of its own and "
                       "register it under that name"):
        pickle.dumps(Network([3, 4, 1], activation=Rectifier()))


def test_register_keeps_lucidnets_own_names(monkeypatch):
    """A class registered as "relu" would build every later "relu" network of the
    process, model files included: refused unless asked for; one's own names may be
    registered again (a notebook cell run twice)."""
    from lucidnet import activations, initializers, losses, optimizers, schedules

    for module, name in [(activations, "relu"), (losses, "mse"), (optimizers, "adam"),
                         (schedules, "cosine")]:
        monkeypatch.setattr(module._REGISTRY, "_factories",
                            dict(module._REGISTRY._factories))
        with pytest.raises(ValueError, match=f"{module._REGISTRY.kind} {name!r} is one of "
                           "lucidnet's own; register yours under another name"):
            module.register(name, object)
    monkeypatch.setattr(initializers, "_REGISTRY", dict(initializers._REGISTRY))
    with pytest.raises(ValueError, match="initializer 'zeros' is one of lucidnet's own"):
        initializers.register("zeros", print)
    assert type(Network([2, 3, 1], "relu").layers[0].activation) is activations.ReLU

    class Tanh2(activations.Tanh):
        name = "test_tanh2"

    activations.register("test_tanh2", Tanh2)
    activations.register("test_tanh2", Tanh2)  # again: fine
    activations.register("relu", Tanh2, replace=True)  # asked for (undone by monkeypatch)
    assert type(Network([2, 3, 1], "relu").layers[0].activation) is Tanh2


def test_pandas_nullable_columns_are_read_as_numbers():
    """Int64 / boolean columns (pandas' nullable dtypes) make NumPy an object array:
    read as numbers, as scikit-learn's check_array reads them, a missing one named."""
    pd = pytest.importorskip("pandas")
    net = Network([2, 3, 1], random_state=0)
    frame = pd.DataFrame({"a": pd.array([1, 2, 3], dtype="Int64"),
                          "b": pd.array([True, False, True], dtype="boolean")})
    np.testing.assert_array_equal(net.predict_proba(frame),
                                  net.predict_proba(np.array([[1.0, 1.0], [2.0, 0.0], [3.0, 1.0]])))
    frame.loc[2, "a"] = pd.NA
    with pytest.raises(ValueError, match=r"X must be finite; X\[2, 0\] is nan"):
        net.predict_proba(frame)
    with pytest.raises(TypeError, match="X must hold real numbers; got an array of dtype object"):
        net.predict_proba(pd.DataFrame({"a": ["x", "y"], "b": [1.0, 2.0]}))
