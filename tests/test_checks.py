"""The finiteness check of large inputs (summed on two threads) against np.isfinite."""

from __future__ import annotations

import numpy as np
import pytest

from lucidnet import _checks
from lucidnet._checks import TWO_THREAD_SUM_SIZE, check_finite

ROWS, COLUMNS = 2048, TWO_THREAD_SUM_SIZE // 2048 + 1  # just over the two-thread size


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize(
    "position",
    [(0, 0), (ROWS // 2 - 1, COLUMNS - 1), (ROWS // 2, 0), (ROWS - 1, COLUMNS - 1)],
    ids=["first", "end-of-first-half", "start-of-second-half", "last"],
)
@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
def test_a_bad_entry_anywhere_is_named(dtype, position, bad):
    X = np.random.default_rng(0).standard_normal((ROWS, COLUMNS)).astype(dtype)
    assert X.size >= TWO_THREAD_SUM_SIZE
    X[position] = bad
    with pytest.raises(ValueError, match=rf"X\[{position[0]}, {position[1]}\] is"):
        check_finite(X, "X")


def test_opposite_infinities_in_the_two_halves_are_caught():
    X = np.zeros((ROWS, COLUMNS))
    X[0, 0], X[-1, -1] = np.inf, -np.inf
    with pytest.raises(ValueError, match=r"X\[0, 0\] is inf"):
        check_finite(X, "X")


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_finite_arrays_pass_even_when_their_sum_overflows(dtype):
    X = np.full((ROWS, COLUMNS), np.finfo(dtype).max / 2, dtype)
    check_finite(X, "X")  # the halves' sums overflow: the exact check decides
    check_finite(np.ones((ROWS, COLUMNS), dtype), "X")


def test_two_threads_and_one_agree(monkeypatch):
    X = np.random.default_rng(1).standard_normal((ROWS, COLUMNS))
    two = _checks._sum(X)
    monkeypatch.setattr(_checks, "TWO_THREAD_SUM_SIZE", X.size + 1)
    one = _checks._sum(X)
    assert two == pytest.approx(one, rel=1e-9)
    assert two == pytest.approx(X.sum(dtype=np.float64), rel=1e-9)


def test_shape_errors_say_what_the_learner_probably_did():
    """X given as (features, examples) and class indices for a softmax output: the
    messages say so, with the fix."""
    import lucidnet

    rng = np.random.default_rng(0)
    X, labels = rng.random((20, 3)), rng.integers(0, 3, 20)
    net = lucidnet.Network([3, 4, 3], output_activation="softmax", random_state=0)
    with pytest.raises(ValueError, match=r"got shape \(3, 20\) \(transposed\? examples are rows "
                                         r"here: pass X\.T\)"):
        lucidnet.train(net, X.T, np.eye(3)[labels], epochs=1)
    with pytest.raises(ValueError, match=r"\(class indices\? one-hot encode them: "
                                         r"np\.eye\(3\)\[y\]\)"):
        lucidnet.train(net, X, labels, epochs=1)
    with pytest.raises(ValueError, match=r"got shape \(20, 4\)$"):  # no hint that misleads
        lucidnet.train(net, rng.random((20, 4)), np.eye(3)[labels], epochs=1)
