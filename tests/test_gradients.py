"""Backpropagation against truth it did not compute: central differences and autograd.

Every hidden activation x every valid (output activation, loss) pairing x with and
without biases is checked with central differences in float64 (below 1e-7), and a
set of random networks is checked against HIPS autograd, an independent reverse-mode
differentiator, to 1e-10.
"""

from __future__ import annotations

import itertools
import warnings

import autograd
import autograd.numpy as anp
import numpy as np
import pytest
from conftest import random_targets

import lucidnet
from lucidnet import Dense, Network, gradcheck

HIDDEN = ["sigmoid", "relu", "tanh", {"name": "leaky_relu", "slope": 0.1}, "identity"]
# Output pairings whose loss is defined for the activation's range.
OUTPUT_PAIRS = [
    ("sigmoid", "binary_cross_entropy"),  # fused
    ("softmax", "categorical_cross_entropy"),  # fused
    ("identity", "squared_error"),  # fused
    ("identity", "sum_squared_error"),  # fused
    ("exp", "poisson"),  # fused
    ("softmax", "poisson"),  # generic: dJ/dA = 1 - Y/A through the softmax
    ("sigmoid", "squared_error"),  # generic: system 4's pairing
    ("sigmoid", "sum_squared_error"),
    ("tanh", "squared_error"),
    ("relu", "squared_error"),
    ("softmax", "binary_cross_entropy"),  # generic softmax Jacobian-vector product
    ("sigmoid", "categorical_cross_entropy"),
    ("softmax", "squared_error"),
    ({"name": "leaky_relu", "slope": 0.2}, "sum_squared_error"),
]


def _id(value):
    return value["name"] if isinstance(value, dict) else value


@pytest.mark.parametrize("use_bias", [True, False], ids=["bias", "nobias"])
@pytest.mark.parametrize(
    "output,loss", OUTPUT_PAIRS, ids=[f"{_id(a)}+{b}" for a, b in OUTPUT_PAIRS]
)
@pytest.mark.parametrize("hidden", HIDDEN, ids=_id)
def test_backprop_matches_central_differences(hidden, output, loss, use_bias, rng):
    net = Network(
        [4, 5, 3, 3],
        activation=hidden,
        output_activation=output,
        loss=loss,
        use_bias=use_bias,
        initializer="glorot_normal",
        random_state=rng,
    )
    if use_bias:  # non-zero biases, so that their effect is really checked
        for layer in net.layers:
            layer.b[...] = rng.normal(scale=0.3, size=layer.b.shape)
    X = rng.standard_normal((7, 4))
    Y = random_targets(rng, loss, 7, 3)
    result = gradcheck(net, X, Y)
    assert result.relative_difference < 1e-7, str(result)
    assert set(result.per_parameter) == {name for name, _, _ in net.parameter_slices()}


@pytest.mark.parametrize("loss", ["binary_cross_entropy", "squared_error", "poisson"])
def test_gradcheck_with_sample_weights_and_l2(loss, rng):
    net = Network([3, 4, 2], activation="tanh", loss=loss, random_state=rng)
    X = rng.standard_normal((6, 3))
    Y = random_targets(rng, loss, 6, 2)
    weights = rng.uniform(0.0, 2.0, 6)
    result = gradcheck(net, X, Y, sample_weight=weights, l2=0.7)
    assert result.relative_difference < 1e-7, str(result)


def test_gradcheck_with_fixed_dropout_masks(rng):
    net = Network([4, 6, 5, 1], activation="relu", dropout=0.5, random_state=rng)
    # Non-zero biases: with zero biases, an example whose units are all dropped has
    # Z = 0 exactly in the next layer, on ReLU's kink, where no derivative exists.
    for layer in net.layers:
        layer.b[...] = rng.uniform(0.1, 0.5, size=layer.b.shape)
    X = rng.standard_normal((8, 4))
    Y = rng.integers(0, 2, (8, 1)).astype(float)
    keep = 0.5
    masks = [(rng.random((8, n)) >= 0.5) / keep for n in (6, 5)] + [None]
    result = gradcheck(net, X, Y, masks=masks)
    assert result.relative_difference < 1e-7, str(result)
    # The masks matter: the dropped network's cost differs from the plain one.
    assert net.cost(X, Y, masks=masks) != pytest.approx(net.cost(X, Y))


def test_gradcheck_reports_a_wrong_gradient(rng, monkeypatch):
    """A check that cannot fail proves nothing: break backprop and see it caught."""
    net = Network([3, 4, 1], activation="tanh", random_state=rng)
    X = rng.standard_normal((5, 3))
    Y = rng.integers(0, 2, (5, 1)).astype(float)
    original = lucidnet.activations.Tanh.backward

    def wrong_backward(self, dA, Z, A, out=None):
        return original(self, dA, Z, A, out=out) * 1.01

    monkeypatch.setattr(lucidnet.activations.Tanh, "backward", wrong_backward)
    result = gradcheck(net, X, Y)
    assert not result.passed()
    assert result.worst[0].parameter in ("W1", "b1")
    assert result.per_parameter["W2"] < 1e-7  # only the first layer's gradient is off


def test_a_failed_gradcheck_is_false_and_blames_no_rounding(rng, monkeypatch):
    """``assert gradcheck(...)`` must fail with the check, and a difference far above
    the rounding floor is not put down to rounding."""
    net = Network([3, 4, 1], activation="tanh", random_state=rng)
    X = rng.standard_normal((5, 3))
    Y = rng.integers(0, 2, (5, 1)).astype(float)
    assert gradcheck(net, X, Y)
    original = lucidnet.activations.Tanh.backward
    monkeypatch.setattr(lucidnet.activations.Tanh, "backward",
                        lambda self, dA, Z, A, out=None: original(self, dA, Z, A, out=out) * 2)
    result = gradcheck(net, X, Y, epsilon=1e-12)  # a floor of about 1e-4
    assert not result and not result.passed()
    assert result.rounding_floor > 1e-8 and result.relative_difference > 100 * result.rounding_floor
    assert "rounding alone" not in str(result)


def test_gradcheck_warns_before_hours_of_work():
    net = Network([300, 300, 1], random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(RuntimeWarning, match=r"2 x 90,601 cost passes over 600 examples"):
            gradcheck(net, np.zeros((600, 300)), np.zeros(600))


def test_gradcheck_of_float32_network_runs_in_float64(rng):
    net = Network(
        [3, 4, 2], activation="relu", loss="squared_error", dtype="float32", random_state=rng
    )
    result = gradcheck(net, rng.standard_normal((5, 3)), rng.standard_normal((5, 2)))
    assert result.relative_difference < 1e-7
    assert net.params.dtype == np.float32  # the network itself is untouched



def test_gradcheck_says_when_a_large_cost_limits_its_precision():
    """Targets near 1000 make J about 5e5: the differences' rounding (1e-16 |J| / eps)
    fails a correct backward pass at eps = 1e-7.  The result estimates that floor and
    says so; eps = 1e-5 then passes."""
    rng = np.random.default_rng(0)
    X = rng.normal(size=(200, 5))
    Y = 1000 + 10 * rng.normal(size=(200, 1))
    net = Network([5, 8, 1], activation="tanh", output_activation="identity",
                  loss="squared_error", random_state=0)
    result = gradcheck(net, X, Y)
    assert not result.passed()
    assert result.rounding_floor / 3 < result.relative_difference < 3 * result.rounding_floor
    assert "the cost is large next to its gradient: its rounding alone" in str(result)
    assert gradcheck(net, X, Y, epsilon=1e-5).passed()


def test_gradcheck_counts_relu_inputs_at_the_kink():
    """An all-zero example with a fresh network's zero biases puts every first-layer
    ReLU input at 0, where the cost has no derivative: said, and gone off the kink."""
    rng = np.random.default_rng(1)
    X = rng.normal(size=(5, 3))
    Y = rng.integers(0, 2, (5, 1)).astype(float)
    X[0] = 0.0
    result = gradcheck(Network([3, 4, 1], activation="relu", random_state=0), X, Y)
    assert result.kinks == 4 and not result.passed()
    assert "4 ReLU input(s) lie within a step of the kink" in str(result)
    X[0] = 1e-3
    result = gradcheck(Network([3, 4, 1], activation="relu", random_state=0), X, Y)
    assert result.kinks == 0 and result.passed()

# ---------------------------------------------------------------- autograd oracle
# autograd is a test dependency (pyproject's "test" extra): imported, not skipped, so
# that its absence fails loudly instead of silently skipping the oracle.

_AUTOGRAD_ACTIVATIONS = {
    "sigmoid": lambda z: 1.0 / (1.0 + anp.exp(-z)),
    "relu": lambda z: anp.maximum(z, 0.0),
    "tanh": anp.tanh,
    "identity": lambda z: z,
    "softmax": lambda z: (
        anp.exp(z - anp.max(z, axis=1, keepdims=True))
        / anp.sum(anp.exp(z - anp.max(z, axis=1, keepdims=True)), axis=1, keepdims=True)
    ),
}
_AUTOGRAD_CASES = list(
    itertools.product(
        ["sigmoid", "relu", "tanh"],
        [
            ("sigmoid", "binary_cross_entropy"),
            ("softmax", "categorical_cross_entropy"),
            ("identity", "squared_error"),
            ("sigmoid", "sum_squared_error"),
            ("tanh", "squared_error"),
        ],
    )
)


@pytest.mark.parametrize(
    "hidden,pair", _AUTOGRAD_CASES, ids=[f"{h}-{o}+{lo}" for h, (o, lo) in _AUTOGRAD_CASES]
)
def test_backprop_matches_autograd(hidden, pair, rng):
    output, loss = pair
    sizes = [5, 6, 4, 3]
    net = Network(sizes, activation=hidden, output_activation=output, loss=loss, random_state=rng)
    for layer in net.layers:
        layer.b[...] = rng.normal(scale=0.2, size=layer.b.shape)
    X = rng.standard_normal((9, 5))
    Y = random_targets(rng, loss, 9, 3)
    weights = rng.uniform(0.5, 1.5, 9)
    l2 = 0.3

    def cost_of(flat):
        # An independent forward pass written with autograd.numpy on the flat vector.
        A, offset, penalty = X, 0, 0.0
        for i, (n_in, n_out) in enumerate(zip(sizes[:-1], sizes[1:], strict=True)):
            W = anp.reshape(flat[offset : offset + n_in * n_out], (n_out, n_in))
            offset += n_in * n_out
            b = flat[offset : offset + n_out]
            offset += n_out
            penalty = penalty + anp.sum(W * W)
            g = _AUTOGRAD_ACTIVATIONS[hidden if i < len(sizes) - 2 else output]
            A = g(anp.dot(A, W.T) + b)
        data = _weighted(loss, A, Y, weights)
        scale = 1.0 if loss == "sum_squared_error" else 1.0 / len(Y)
        return data + 0.5 * l2 * scale * penalty

    expected = autograd.grad(cost_of)(net.params.copy())
    net.loss_and_gradient(X, Y, weights, l2=l2)
    assert net.cost(X, Y, weights, l2=l2) == pytest.approx(
        float(cost_of(net.params.copy())), rel=1e-12
    )
    np.testing.assert_allclose(net.grads, expected, rtol=1e-10, atol=1e-12)


def _weighted(loss, A, Y, weights):
    if loss == "binary_cross_entropy":
        per = -anp.sum(Y * anp.log(A) + (1 - Y) * anp.log(1 - A), axis=1)
    elif loss == "categorical_cross_entropy":
        per = -anp.sum(Y * anp.log(A), axis=1)
    else:
        per = 0.5 * anp.sum((A - Y) ** 2, axis=1)
    total = anp.sum(per * weights)
    return total if loss == "sum_squared_error" else total / len(Y)


def test_dense_layers_without_bias_match_autograd(rng):
    """System 4's shape: 2-3-1, sigmoid everywhere, no biases, 0.5 * sum of squares."""
    net = Network.from_layers(
        [Dense(2, 3, "sigmoid", use_bias=False), Dense(3, 1, "sigmoid", use_bias=False)],
        loss="sum_squared_error",
        random_state=rng,
    )
    X = rng.random((3, 2))
    Y = rng.random((3, 1))

    def cost_of(flat):
        W1 = anp.reshape(flat[:6], (3, 2))
        W2 = anp.reshape(flat[6:], (1, 3))
        a2 = _AUTOGRAD_ACTIVATIONS["sigmoid"](anp.dot(X, W1.T))
        yhat = _AUTOGRAD_ACTIVATIONS["sigmoid"](anp.dot(a2, W2.T))
        return 0.5 * anp.sum((Y - yhat) ** 2)

    net.loss_and_gradient(X, Y)
    np.testing.assert_allclose(net.grads, autograd.grad(cost_of)(net.params.copy()), rtol=1e-10)
    assert lucidnet.losses.get("sum_squared_error").sums
