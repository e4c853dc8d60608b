"""Activations, losses and initializers, checked against closed forms and differences."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest

from lucidnet import activations, initializers, losses

ELEMENTWISE = ["sigmoid", "relu", "tanh", "leaky_relu", "identity", "exp"]
ALL = ELEMENTWISE + ["softmax"]
# exp overflows with the Poisson mean it stands for; the others never do.
BOUNDED = [name for name in ALL if name != "exp"]
REFERENCE = {
    "sigmoid": lambda z: 1.0 / (1.0 + np.exp(-z)),
    "relu": lambda z: np.where(z > 0, z, 0.0),
    "tanh": np.tanh,
    "leaky_relu": lambda z: np.where(z > 0, z, 0.01 * z),
    "identity": lambda z: z,
    "exp": np.exp,
}


@pytest.mark.parametrize("name", ELEMENTWISE)
def test_forward_matches_the_textbook_formula(name, rng):
    Z = rng.uniform(-6, 6, (5, 4))
    np.testing.assert_allclose(
        activations.get(name).forward(Z), REFERENCE[name](Z), rtol=1e-14, atol=1e-15
    )


@pytest.mark.parametrize("name", ELEMENTWISE)
def test_derivative_matches_central_differences(name, rng):
    g = activations.get(name)
    Z = rng.uniform(-4, 4, (6, 3))
    Z[np.abs(Z) < 1e-3] = 0.5  # keep away from ReLU's kink
    h = 1e-6
    numeric = (g.forward(Z + h) - g.forward(Z - h)) / (2 * h)
    np.testing.assert_allclose(g.derivative(Z, g.forward(Z)), numeric, rtol=1e-7, atol=1e-9)
    dA = rng.standard_normal(Z.shape)
    np.testing.assert_allclose(g.backward(dA, Z, g.forward(Z)), dA * numeric, rtol=1e-7, atol=1e-9)


def test_softmax_backward_is_the_jacobian_vector_product(rng):
    g = activations.get("softmax")
    Z = rng.standard_normal((4, 5))
    A = g.forward(Z)
    dA = rng.standard_normal(Z.shape)
    for i in range(4):
        jacobian = np.diag(A[i]) - np.outer(A[i], A[i])  # dA_i/dZ_j = A_i (delta_ij - A_j)
        np.testing.assert_allclose(g.backward(dA, Z, A)[i], jacobian.T @ dA[i], rtol=1e-12)
    np.testing.assert_allclose(A.sum(axis=1), 1.0)


@pytest.mark.parametrize("name", ALL)
def test_backward_may_write_over_its_own_input(name, rng):
    """The network overwrites dA with dZ in place; every activation must allow it."""
    g = activations.get(name)
    Z = rng.standard_normal((4, 3))
    A = g.forward(Z)
    dA = rng.standard_normal(Z.shape)
    expected = g.backward(dA.copy(), Z, A)
    in_place = dA.copy()
    result = g.backward(in_place, Z, A, out=in_place)
    np.testing.assert_allclose(result, expected, rtol=1e-15)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("name", BOUNDED)
def test_stable_and_dtype_preserving_for_huge_inputs(name, dtype):
    Z = np.array([[-1e4, -100.0, 0.0, 100.0, 1e4]], dtype=dtype)
    g = activations.get(name)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        A = g.forward(Z)
        dZ = g.backward(np.ones_like(Z), Z, A)
    assert A.dtype == dtype and dZ.dtype == dtype
    assert np.isfinite(A).all() and np.isfinite(dZ).all()


def test_sigmoid_saturates_exactly():
    A = activations.get("sigmoid").forward(np.array([[-1e4, 1e4]]))
    assert A[0, 0] == 0.0 and A[0, 1] == 1.0


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_sigmoid_is_the_reference_formula_to_the_last_digit(dtype):
    """The reference material writes 1 / (1 + np.exp(-Z)) and dA * s * (1 - s); the same
    operations in the same order give its published digits (warnings aside)."""
    rng = np.random.default_rng(3)
    Z = (rng.standard_normal((40, 50)) * 30).astype(dtype)
    dA = rng.standard_normal(Z.shape).astype(dtype)
    with np.errstate(over="ignore"):
        s = 1 / (1 + np.exp(-Z))
    g = activations.get("sigmoid")
    A = g.forward(Z)
    np.testing.assert_array_equal(A, s)
    np.testing.assert_array_equal(g.backward(dA, Z, A), dA * s * (1 - s))
    # Small values keep their digits (0.5 + 0.5 tanh(z / 2) is exactly 0 here).
    assert g.forward(np.array([-40.0]))[0] == pytest.approx(1 / (1 + math.exp(40)), rel=1e-15)


def test_leaky_relu_slope_and_config_round_trip():
    g = activations.get({"name": "leaky_relu", "slope": 0.2})
    np.testing.assert_allclose(g.forward(np.array([[-1.0, 2.0]])), [[-0.2, 2.0]])
    assert activations.get(g.get_config()) == g
    with pytest.raises(ValueError, match=r"slope must be in \[0, 1\); got 1.5"):
        activations.get({"name": "leaky_relu", "slope": 1.5})


def test_registry_errors_name_the_problem():
    with pytest.raises(ValueError, match="unknown activation 'relux'; did you mean 'relu'\\? "
                                         "expected one of .*relu"):
        activations.get("relux")
    with pytest.raises(TypeError, match="activation must be a name.*got 3 of type int"):
        activations.get(3)
    assert activations.get("logistic").name == "sigmoid"


# ------------------------------------------------------------------ losses
def _numeric_gradient(f, A, h=1e-6):
    grad = np.zeros_like(A)
    for index in np.ndindex(A.shape):
        A_plus, A_minus = A.copy(), A.copy()
        A_plus[index] += h
        A_minus[index] -= h
        grad[index] = (f(A_plus) - f(A_minus)) / (2 * h)
    return grad


def test_binary_cross_entropy_closed_form():
    A = np.array([[0.8], [0.3], [0.6]])
    Y = np.array([[1.0], [0.0], [1.0]])
    # J = -(1/3) [log 0.8 + log 0.7 + log 0.6]
    expected = -(np.log(0.8) + np.log(0.7) + np.log(0.6)) / 3
    assert losses.get("binary_cross_entropy").cost(A, Y) == pytest.approx(expected, rel=1e-14)


def test_sum_squared_error_is_the_references_half_sum():
    A = np.array([[0.5], [0.25]])
    Y = np.array([[1.0], [0.0]])
    assert losses.get("sum_squared_error").cost(A, Y) == pytest.approx(0.5 * (0.25 + 0.0625))
    assert losses.get("squared_error").cost(A, Y) == pytest.approx(0.5 * (0.25 + 0.0625) / 2)


@pytest.mark.parametrize("name", ["squared_error", "sum_squared_error"])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_unweighted_squared_error_agrees_with_unit_weights(name, dtype, rng):
    # The unweighted cost takes a one-dot-product shortcut; unit weights take the
    # per-example path.  Both must give 0.5 * scale * sum((A - Y)^2) summed in float64.
    loss = losses.get(name)
    A = rng.standard_normal((50, 3)).astype(dtype)
    Y = rng.standard_normal((50, 3)).astype(dtype)
    scale = 1.0 if loss.sums else 1.0 / 50
    expected = 0.5 * scale * float(((A.astype(np.float64) - Y) ** 2).sum())
    assert loss.cost(A, Y) == pytest.approx(expected, rel=1e-6)
    assert loss.cost_from_logits(A, Y) == pytest.approx(expected, rel=1e-6)
    assert loss.cost(A, Y, np.ones(50)) == pytest.approx(expected, rel=1e-5)


@pytest.mark.parametrize(
    "name",
    ["binary_cross_entropy", "categorical_cross_entropy", "squared_error", "sum_squared_error"],
)
def test_loss_gradient_matches_central_differences(name, rng):
    loss = losses.get(name)
    A = rng.uniform(0.1, 0.9, (4, 3))
    Y = rng.uniform(0, 1, (4, 3))
    weights = rng.uniform(0.5, 2, 4)
    numeric = _numeric_gradient(lambda a: loss.cost(a, Y, weights), A)
    np.testing.assert_allclose(loss.gradient(A, Y, weights), numeric, rtol=1e-6, atol=1e-9)


@pytest.mark.parametrize(
    "name", ["binary_cross_entropy", "categorical_cross_entropy", "squared_error"]
)
def test_cost_from_logits_equals_cost_from_outputs(name, rng):
    loss = losses.get(name)
    g = activations.get(loss.natural_activation)
    Z = rng.standard_normal((5, 3))
    Y = np.eye(3)[rng.integers(0, 3, 5)]
    assert loss.cost_from_logits(Z, Y) == pytest.approx(loss.cost(g.forward(Z), Y), rel=1e-12)


@pytest.mark.parametrize("dtype", ["float64", "float32"])
@pytest.mark.parametrize("weighted", [False, True])
def test_softmax_and_cost_equals_softmax_then_cost(dtype, weighted, rng):
    """The fused step's shared-exponential kernel against the two separate steps, on
    logits up to 800 in size (exp would overflow without the shift)."""
    loss = losses.get("categorical_cross_entropy")
    Z = (rng.standard_normal((64, 5)) * 300).astype(dtype)
    Y = rng.dirichlet(np.ones(5), 64).astype(dtype)  # soft targets: rows sum to one
    weights = rng.uniform(0.5, 2, 64).astype(dtype) if weighted else None
    A = np.empty_like(Z)
    cost = loss.softmax_and_cost(Z, Y, weights, out=A)
    np.testing.assert_array_equal(A, activations.get("softmax").forward(Z))
    assert cost == pytest.approx(loss.cost_from_logits(Z, Y, weights), rel=1e-12)
    assert np.isfinite(cost) and np.isfinite(A).all()


def test_costs_stay_finite_for_saturated_outputs():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        bce = losses.get("binary_cross_entropy")
        Z = np.array([[800.0], [-800.0]])
        Y = np.array([[0.0], [1.0]])
        assert bce.cost_from_logits(Z, Y) == pytest.approx(800.0)  # softplus(800) = 800
        assert np.isfinite(bce.cost(np.array([[1.0], [0.0]]), Y))
        cce = losses.get("categorical_cross_entropy")
        assert cce.cost_from_logits(
            np.array([[1000.0, -1000.0]]), np.array([[0.0, 1.0]])
        ) == pytest.approx(2000.0)


@pytest.mark.parametrize("dtype, logit", [("float32", -17.0), ("float32", -40.0),
                                           ("float64", -40.0), ("float64", -300.0)])
@pytest.mark.parametrize("weight", [None, 1e6])
def test_unfused_probability_losses_stay_exact_below_eps(dtype, logit, weight):
    """Sigmoid outputs far below the dtype's eps (1.2e-7 in float32), through the
    losses' generic path (dJ/dA, then g'): the cost is sum_k y_k softplus(-z_k) and
    its gradient -y_k (1 - a_k), worked in float64 from the logits."""
    sigmoid = activations.get("sigmoid")
    Z = np.array([[0.0, logit]], dtype=dtype)
    Y = np.array([[0.5, 0.5]], dtype=dtype)
    A = sigmoid.forward(Z)
    Z64, Y64 = Z.astype(np.float64), Y.astype(np.float64)
    tol = 1e-6 if dtype == "float32" else 1e-12
    # A large sample weight multiplies dJ/dA before g' brings it back: no overflow.
    w = None if weight is None else np.array([weight], dtype=dtype)
    factor = 1.0 if weight is None else weight
    cce = losses.get("categorical_cross_entropy")
    assert cce.cost(A, Y) == pytest.approx((Y64 * np.logaddexp(0.0, -Z64)).sum(), rel=tol)
    dZ = sigmoid.backward(cce.gradient(A, Y, w), Z, A)
    np.testing.assert_allclose(dZ, -factor * Y64 * (1.0 - A.astype(np.float64)), rtol=tol)
    # Binary cross-entropy, unfused: (a - y) / (a (1 - a)) times a (1 - a) is a - y.
    bce = losses.get("binary_cross_entropy")
    dZ = sigmoid.backward(bce.gradient(A, Y, w), Z, A)
    np.testing.assert_allclose(dZ, factor * (A.astype(np.float64) - Y64), rtol=tol)


@pytest.mark.parametrize("dtype, logit", [("float32", -85.0), ("float64", -700.0)])
def test_unfused_gradients_stay_finite_with_weights_far_below_eps(dtype, logit):
    """An output just above the smallest normal number, weighted by 100: 1/a times the
    weight must not overflow before g' = a (1 - a) brings it back (0 * inf is NaN,
    and the step is refused as a divergence)."""
    sigmoid = activations.get("sigmoid")
    Z = np.array([[0.0, logit]], dtype=dtype)
    Y = np.array([[0.5, 0.5]], dtype=dtype)
    A = sigmoid.forward(Z)
    assert A[0, 1] > 0
    for name in ("categorical_cross_entropy", "binary_cross_entropy"):
        loss = losses.get(name)
        dZ = sigmoid.backward(loss.gradient(A, Y, np.array([100.0], dtype=dtype)), Z, A)
        assert np.isfinite(dZ).all() and np.isfinite(loss.cost(A, Y))


def test_poisson_gradient_on_an_underflowed_output_is_finite():
    """y = 0 and a sigmoid output that underflowed to 0: y log a is 0 in the cost, so
    y / a is 0 in the gradient (1 - y/a = 1; times g' = a (1 - a) = 0), not 0/0."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        poisson, sigmoid = losses.get("poisson"), activations.get("sigmoid")
        Z = np.array([[-800.0], [0.0]])
        Y = np.array([[0.0], [2.0]])
        A = sigmoid.forward(Z)
        assert A[0, 0] == 0.0
        dZ = sigmoid.backward(poisson.gradient(A, Y), Z, A)
        # d/dz [a - y log a] = a (1 - a) (1 - y / a), worked by hand at a = 0 and 1/2.
        np.testing.assert_allclose(dZ, [[0.0], [0.5 * 0.5 * (1 - 2 / 0.5) / 2]], atol=1e-300)


def test_fused_delta_is_exactly_what_the_chain_rule_gives(rng):
    """dJ/dA * g'(Z) equals (A - Y)/m for each fused pair, as the losses docstring derives."""
    for activation_name, loss_name in losses.FUSED_PAIRS:
        loss = losses.get(loss_name)
        g = activations.get(activation_name)
        Z = rng.standard_normal((6, 3))
        A = g.forward(Z)
        Y = np.eye(3)[rng.integers(0, 3, 6)]
        generic = g.backward(loss.gradient(A, Y), Z, A)
        np.testing.assert_allclose(loss.delta(A, Y), generic, rtol=1e-10, atol=1e-14)


def test_a_name_in_another_case_or_with_a_slip_is_suggested():
    """'ReLU', 'SGD', 'MSE' (the names papers and other libraries write) are refused
    with the registered spelling, not just the list."""
    from lucidnet import optimizers

    with pytest.raises(ValueError, match="unknown activation 'ReLU'; did you mean 'relu'\\?"):
        activations.get("ReLU")
    with pytest.raises(ValueError, match="unknown optimizer 'SGD'; did you mean 'sgd'\\?"):
        optimizers.get("SGD", 0.1)
    with pytest.raises(ValueError, match="unknown loss 'MSE'; did you mean 'mse'\\?"):
        losses.get("MSE")
    with pytest.raises(ValueError, match="unknown loss 'hinge'; expected one of"):
        losses.get("hinge")  # nothing near: no guess
    from lucidnet import initializers

    with pytest.raises(ValueError, match="unknown initializer 'He_Normal'; did you mean "
                       "'he_normal'\\? expected one of"):
        initializers.get("He_Normal")
    with pytest.raises(ValueError, match="unknown initializer 'glorot_unifrom'; did you mean "
                       "'glorot_uniform'\\?"):
        initializers.get("glorot_unifrom")


def test_loss_registry_errors():
    with pytest.raises(ValueError, match="unknown loss 'hinge'; expected one of"):
        losses.get("hinge")
    with pytest.raises(TypeError, match="loss must be a name"):
        losses.get(1.0)


# ------------------------------------------------------------ initializers
def test_reference_initializers_reproduce_randn_from_the_global_generator():
    np.random.seed(1)
    expected = np.random.randn(4, 3) * 0.01
    np.random.seed(1)
    np.testing.assert_array_equal(initializers.get("small")((4, 3), np.random), expected)
    np.random.seed(1)
    expected = np.random.randn(4, 3) / np.sqrt(3)
    np.random.seed(1)
    np.testing.assert_array_equal(initializers.get("lecun_normal")((4, 3), np.random), expected)


@pytest.mark.parametrize(
    "name,std",
    [
        ("he_normal", np.sqrt(2 / 400)),
        ("glorot_normal", np.sqrt(2 / 600)),
        ("he_uniform", np.sqrt(6 / 400) / np.sqrt(3)),  # U(-l, l) has std l / sqrt(3)
        ("glorot_uniform", np.sqrt(6 / 600) / np.sqrt(3)),
        ("lecun_normal", np.sqrt(1 / 400)),
    ],
)
def test_initializer_scales(name, std):
    W = initializers.get(name)((200, 400), np.random.default_rng(0), np.float32)
    assert W.dtype == np.float32 and W.shape == (200, 400)
    assert W.std() == pytest.approx(std, rel=0.02)
    assert abs(W.mean()) < 0.05 * std


# ------------------------------------------------------------------ kernels
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("shape", [(1, 1), (7, 3), (300, 10), (5, 257)])
def test_row_kernels_equal_numpys_reductions(shape, dtype, rng):
    from lucidnet._kernels import row_max, row_sum

    Z = (rng.standard_normal(shape) * 50).astype(dtype)
    np.testing.assert_array_equal(row_max(Z), Z.max(axis=1))
    tol = 1e-5 if dtype == np.float32 else 1e-12
    np.testing.assert_allclose(row_sum(Z), Z.sum(axis=1), rtol=tol, atol=tol * 50 * shape[1])


def test_row_max_keeps_nan_and_infinity_like_max():
    from lucidnet._kernels import row_max

    Z = np.array([[1.0, np.nan, 3.0], [-np.inf, -np.inf, -np.inf], [2.0, np.inf, 5.0]])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # max itself warns on NaN in some NumPy builds
        expected = Z.max(axis=1)
    np.testing.assert_array_equal(row_max(Z), expected)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_relu_forward_equals_maximum_with_zero(dtype, rng):
    relu = activations.get("relu")
    Z = rng.standard_normal((64, 33)).astype(dtype)
    Z[0, :3] = [np.nan, -np.inf, np.inf]
    out = np.empty_like(Z)
    assert relu.forward(Z, out=out) is out
    np.testing.assert_array_equal(out, np.maximum(Z, 0))
    assert out.dtype == dtype
    np.testing.assert_array_equal(relu(Z[1]), np.maximum(Z[1], 0))  # 1-D: the scalar path
