"""Optimizer rules against steps worked by hand, closed forms, and PyTorch."""

from __future__ import annotations

import json
import math
import re

import numpy as np
import pytest

from lucidnet import optimizers

P0 = np.array([1.0, -2.0])
G = np.array([0.5, -1.0])


def run(name, steps, learning_rate=0.1, **params):
    """Apply ``steps`` (a list of gradients) from P0; return the parameters after each."""
    opt = optimizers.get(name, learning_rate, **params)
    p = P0.copy()
    out = []
    for g in steps:
        assert opt.step(p, np.asarray(g, dtype=float))
        out.append(p.copy())
    return out


def test_sgd_by_hand():
    # theta - alpha g = [1 - 0.1*0.5, -2 + 0.1*1] = [0.95, -1.9]; again: [0.90, -1.8]
    first, second = run("sgd", [G, G])
    np.testing.assert_allclose(first, [0.95, -1.9], rtol=1e-15)
    np.testing.assert_allclose(second, [0.90, -1.8], rtol=1e-15)
    assert optimizers.get("gd").name == "sgd"


def test_momentum_by_hand():
    # v1 = -0.1 g = [-0.05, 0.1];              theta1 = [0.95, -1.9]
    # v2 = 0.9 v1 - 0.1 g = [-0.095, 0.19];     theta2 = [0.855, -1.71]
    first, second = run("momentum", [G, G], momentum=0.9)
    np.testing.assert_allclose(first, [0.95, -1.9], rtol=1e-14)
    np.testing.assert_allclose(second, [0.855, -1.71], rtol=1e-14)


def test_nesterov_by_hand():
    # v1 = [-0.05, 0.1];  theta1 = theta0 + 0.9 v1 - 0.1 g = [1 - 0.095, -2 + 0.19]
    # v2 = 0.9 v1 - 0.1 g = [-0.095, 0.19]
    # theta2 = theta1 + 0.9 v2 - 0.1 g = [0.905 - 0.1355, -1.81 + 0.271]
    first, second = run("nesterov", [G, G], momentum=0.9)
    np.testing.assert_allclose(first, [0.905, -1.81], rtol=1e-14)
    np.testing.assert_allclose(second, [0.7695, -1.539], rtol=1e-14)


def test_rmsprop_by_hand():
    # s1 = 0.1 g^2, so g / sqrt(s1) = sign(g) sqrt(10): theta1 = theta0 - 0.01 sqrt(10) sign(g)
    # s2 = 0.9 * 0.1 g^2 + 0.1 g'^2 with g' = 2 g: s2 = 0.49 g^2, g'/sqrt(s2) = 2/0.7 sign(g)
    first, second = run("rmsprop", [G, 2 * G], learning_rate=0.01, rho=0.9, epsilon=0.0)
    np.testing.assert_allclose(first, P0 - 0.01 * math.sqrt(10) * np.sign(G), rtol=1e-14)
    np.testing.assert_allclose(second, first - 0.01 * (2 / 0.7) * np.sign(G), rtol=1e-14)


def test_adam_first_steps_are_alpha_sign_g():
    # With eps = 0 and a constant gradient, m_t/(1-b1^t) = g and v_t/(1-b2^t) = g^2,
    # so every step is exactly alpha * sign(g) (Kingma & Ba, section 2.1).
    first, second = run("adam", [G, G], learning_rate=0.01, epsilon=0.0)
    np.testing.assert_allclose(first, P0 - 0.01 * np.sign(G), rtol=1e-14)
    np.testing.assert_allclose(second, P0 - 0.02 * np.sign(G), rtol=1e-14)


def test_adam_matches_the_bias_corrected_form():
    # Algorithm 1 of the paper, written out independently, with eps = 0 (the two
    # placements of eps then agree): theta -= alpha * mhat / sqrt(vhat).
    rng = np.random.default_rng(0)
    grads = [rng.standard_normal(2) for _ in range(5)]
    b1, b2, alpha = 0.8, 0.99, 0.05
    m = v = np.zeros(2)
    theta = P0.copy()
    for t, g in enumerate(grads, start=1):
        m = b1 * m + (1 - b1) * g
        v = b2 * v + (1 - b2) * g * g
        theta = theta - alpha * (m / (1 - b1**t)) / np.sqrt(v / (1 - b2**t))
    last = run("adam", grads, learning_rate=alpha, beta_1=b1, beta_2=b2, epsilon=0.0)[-1]
    np.testing.assert_allclose(last, theta, rtol=1e-13)


def test_adamw_decays_weights_not_biases():
    # One step, eps = 0: Adam moves each entry by alpha sign(g); the decay subtracts
    # alpha * lambda * theta only where the mask is 1.
    opt = optimizers.get("adamw", 0.01, weight_decay=0.5, epsilon=0.0)
    opt.set_decay_mask(np.array([True, False]))
    p = P0.copy()
    opt.step(p, G)
    expected = P0 - 0.01 * np.sign(G) - 0.01 * 0.5 * P0 * np.array([1.0, 0.0])
    np.testing.assert_allclose(p, expected, rtol=1e-14)


@pytest.mark.parametrize(
    ("name", "ours", "torch_factory"),
    [
        ("momentum", {"momentum": 0.9}, lambda t, p: t.optim.SGD(p, lr=0.05, momentum=0.9)),
        ("nesterov", {"momentum": 0.8},
         lambda t, p: t.optim.SGD(p, lr=0.05, momentum=0.8, nesterov=True)),
        ("rmsprop", {"rho": 0.9, "epsilon": 1e-8},
         lambda t, p: t.optim.RMSprop(p, lr=0.05, alpha=0.9, eps=1e-8)),
        ("adam", {"epsilon": 0.0}, lambda t, p: t.optim.Adam(p, lr=0.05, eps=0.0)),
        ("adamw", {"epsilon": 0.0, "weight_decay": 0.1},
         lambda t, p: t.optim.AdamW(p, lr=0.05, eps=0.0, weight_decay=0.1)),
    ],
)
def test_rules_match_pytorch(name, ours, torch_factory):
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(1)
    grads = [rng.standard_normal(6) for _ in range(6)]
    start = rng.standard_normal(6)
    weight = torch.tensor(start.copy(), dtype=torch.float64, requires_grad=True)
    reference = torch_factory(torch, [weight])
    for g in grads:
        weight.grad = torch.tensor(g, dtype=torch.float64)
        reference.step()
    opt = optimizers.get(name, 0.05, **ours)
    p = start.copy()
    for g in grads:
        opt.step(p, g)
    np.testing.assert_allclose(p, weight.detach().numpy(), rtol=1e-12, atol=1e-14)


def test_step_updates_in_place_and_keeps_state_dtype():
    opt = optimizers.get("adam", 0.01)
    p = P0.astype(np.float32)
    buffer_id = id(p)
    opt.step(p, G.astype(np.float32))
    assert id(p) == buffer_id and p.dtype == np.float32
    assert opt.state["m"].dtype == np.float32


def test_non_finite_update_leaves_params_unchanged():
    opt = optimizers.get("sgd", 0.1)
    p = P0.copy()
    assert not opt.step(p, np.array([np.nan, 1.0]))
    np.testing.assert_array_equal(p, P0)


def test_a_finite_update_whose_squares_overflow_is_applied():
    # |delta| = 5e19 is finite in float32, its square (2.5e39) is not.
    opt = optimizers.get("sgd", 1e20)
    p = np.zeros(3, np.float32)
    with np.errstate(over="ignore"):
        assert opt.step(p, np.full(3, 0.5, np.float32))
    np.testing.assert_array_equal(p, np.full(3, -5e19, np.float32))
    # ... but not when it takes the parameters themselves past float32's largest value.
    p = np.full(3, 3e38, np.float32)
    with np.errstate(over="ignore"):
        assert not optimizers.get("sgd", 2e38).step(p, np.full(3, -0.5, np.float32))
    np.testing.assert_array_equal(p, np.full(3, 3e38, np.float32))


@pytest.mark.parametrize("name", ["momentum", "nesterov", "rmsprop", "adam", "adamw"])
@pytest.mark.parametrize("width", [4, 300])  # 300: momentum takes the fused SGD step
def test_a_diverged_fit_starts_the_optimizer_afresh(name, width):
    """The moments took in the diverging gradient; kept, they would poison the steps
    of a fit that goes on from the last finite parameters at a smaller rate."""
    from lucidnet import DivergenceError, Network, Trainer, schedules

    rng = np.random.default_rng(0)
    X = rng.standard_normal((64, 80))
    Y = np.eye(3)[rng.integers(0, 3, 64)]
    net = Network([80, width, 3], output_activation="softmax", random_state=0)
    trainer = Trainer(net, optimizer=name, learning_rate=0.01, batch_size=16, random_state=0)
    trainer.fit(X, Y, epochs=2)
    assert trainer.optimizer.t > 0
    trainer.schedule = schedules.get("constant", 1e300)
    with np.errstate(all="ignore"), pytest.raises(DivergenceError):
        trainer.fit(X, Y, epochs=1)
    assert np.isfinite(net.params).all()  # the last finite ones
    assert trainer.optimizer.t == 0
    assert all(not array.any() for array in trainer.optimizer.state.values())
    net.params[...] = np.random.default_rng(1).standard_normal(net.n_params) * 0.01
    trainer.schedule = schedules.get("constant", 0.001)
    trainer.fit(X, Y, epochs=1)  # goes on with a sound optimizer
    assert trainer.optimizer.t > 0


@pytest.mark.parametrize("name", ["sgd", "momentum", "nesterov", "rmsprop", "adam", "adamw"])
def test_state_dict_round_trip_continues_identically(name):
    rng = np.random.default_rng(2)
    grads = [rng.standard_normal(2) for _ in range(4)]
    straight = optimizers.get(name, 0.03)
    p_straight = P0.copy()
    for g in grads:
        straight.step(p_straight, g)

    first = optimizers.get(name, 0.03)
    p = P0.copy()
    for g in grads[:2]:
        first.step(p, g)
    state = first.state_dict()
    scalars = {k: v for k, v in state.items() if k != "arrays"}
    restored_state = {**json.loads(json.dumps(scalars)), "arrays": state["arrays"]}
    second = optimizers.get(name, 0.03)
    second.load_state_dict(restored_state)
    for g in grads[2:]:
        second.step(p, g)
    np.testing.assert_array_equal(p, p_straight)
    assert second.t == 4


def test_load_state_dict_of_another_rule_is_refused():
    with pytest.raises(ValueError, match="optimizer state is for 'adam'; this optimizer is 'sgd'"):
        optimizers.get("sgd").load_state_dict(optimizers.get("adam").state_dict())


def test_get_errors_name_the_argument():
    with pytest.raises(ValueError, match="unknown optimizer 'adagrad'; expected one of"):
        optimizers.get("adagrad")
    with pytest.raises(TypeError, match="optimizer must be a name"):
        optimizers.get(3)
    with pytest.raises(ValueError, match="unknown optimizer_params for 'adam': momentum"):
        optimizers.get("adam", momentum=0.9)
    with pytest.raises(ValueError, match=r"beta_1 must be a finite number in \[0.0, 1.0\); got 1"):
        optimizers.get("adam", beta_1=1.0)
    for rate in (0.0, -0.1, float("nan"), "0.1"):  # one message for every bad rate
        with pytest.raises(ValueError, match=re.escape(
                f"learning_rate must be a finite number > 0; got {rate!r}")):
            optimizers.get("sgd", rate)


def test_config_round_trip():
    opt = optimizers.get("momentum", 0.2, momentum=0.5)
    again = optimizers.get(json.loads(json.dumps(opt.get_config())))
    assert again.get_config() == {"name": "momentum", "learning_rate": 0.2, "momentum": 0.5}
    assert set(optimizers.names()) >= {
        "sgd", "gd", "momentum", "nesterov", "rmsprop", "adam", "adamw", "lbfgs"
    }


def test_lbfgs_minimizes_a_quadratic():
    # f(x) = 0.5 (x - c)^T A (x - c): minimum at c.
    A = np.array([[3.0, 1.0], [1.0, 2.0]])
    c = np.array([1.0, -1.0])
    opt = optimizers.get("lbfgs")
    result = opt.minimize(lambda x: (0.5 * (x - c) @ A @ (x - c), A @ (x - c)), np.zeros(2),
                          max_iter=50)
    np.testing.assert_allclose(result.x, c, atol=1e-6)
    with pytest.raises(TypeError, match="full-batch"):
        opt.step(np.zeros(2), np.zeros(2))
