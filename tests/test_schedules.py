"""Learning-rate schedules against their closed forms, epoch by epoch."""

from __future__ import annotations

import json
import math

import pytest

from lucidnet import schedules


def rates(schedule, n):
    return [schedule.rate(e) for e in range(n)]


def test_constant():
    assert rates(schedules.get("constant", 0.3), 3) == [0.3, 0.3, 0.3]


def test_step_decay():
    # 0.8 * 0.5 ** floor(e / 2): epochs 0,1 -> 0.8; 2,3 -> 0.4; 4 -> 0.2
    s = schedules.get("step", 0.8, step_size=2, gamma=0.5)
    assert rates(s, 5) == [0.8, 0.8, 0.4, 0.4, 0.2]


def test_exponential_decay():
    # 1.0 * 0.9 ** e
    s = schedules.get("exponential", 1.0, gamma=0.9)
    assert rates(s, 3) == pytest.approx([1.0, 0.9, 0.81], rel=1e-15)


def test_invscaling_matches_sklearn_formula_per_epoch():
    # scikit-learn: lr / t ** power_t, here with t = epoch + 1: 0.1/1, 0.1/2, 0.1/4 for 0.5
    s = schedules.get("invscaling", 0.1, power_t=0.5)
    assert [s.rate(0), s.rate(3), s.rate(15)] == pytest.approx([0.1, 0.05, 0.025], rel=1e-15)
    # Counting samples: t = rows seen + 1, epochs of any size (100, then 50 rows),
    # after 10 rows of an earlier fit, whose count starts only after this schedule's
    # first epoch (scikit-learn's new optimizer starts at the initial rate); the count
    # survives a checkpoint.
    s = schedules.get("invscaling", 0.1, power_t=0.5, per_sample=True, samples_before=10)
    trace = [s.rate(0)]
    for epoch, rows in enumerate([100, 50]):
        s.samples_seen(rows)
        s.update(epoch, {"loss": 1.0})
        trace.append(s.rate(epoch + 1))
    assert trace == pytest.approx([0.1, 0.1 / math.sqrt(111), 0.1 / math.sqrt(161)],
                                  rel=1e-15)
    again = schedules.get("invscaling", 0.1, per_sample=True)
    again.load_state_dict(json.loads(json.dumps(s.state_dict())))
    assert again.rate(2) == s.rate(2)
    with pytest.raises(ValueError, match="samples_before must be an int >= 0"):
        schedules.get("invscaling", 0.1, samples_before=-1)


def test_cosine():
    # t_max = 4: cos(0)=1 -> 1.0; cos(pi/4) -> (1 + sqrt(2)/2)/2; cos(pi/2)=0 -> 0.5;
    # then min_lr from t_max on.
    s = schedules.get("cosine", 1.0, t_max=4)
    assert rates(s, 6) == pytest.approx(
        [1.0, (1 + math.sqrt(2) / 2) / 2, 0.5, (1 - math.sqrt(2) / 2) / 2, 0.0, 0.0], abs=1e-15
    )
    unset = schedules.get("cosine", 1.0, min_lr=0.1)
    unset.begin(2)  # the trainer passes the epoch the fit ends at
    assert rates(unset, 3) == pytest.approx([1.0, 0.55, 0.1])
    unset.begin(4)  # a later fit of 2 more epochs stretches the curve to its end
    assert [unset.rate(2), unset.rate(3)] == pytest.approx([0.55, 0.1 + 0.9 * 0.5 * (
        1 + math.cos(math.pi * 3 / 4))])
    assert unset.params["t_max"] is None  # a setting, not the fit's horizon
    again = schedules.get("cosine", 1.0, min_lr=0.1)
    again.load_state_dict(json.loads(json.dumps(unset.state_dict())))
    assert again.rate(3) == unset.rate(3)
    with pytest.raises(ValueError, match=r"give schedule_params \{'t_max': N\}"):
        schedules.get("cosine", 1.0).rate(0)  # no fit has begun: epochs one at a time


def test_cosine_keeps_training_in_a_second_fit_and_refuses_partial_fit_without_t_max():
    import numpy as np

    from lucidnet import Network, Trainer

    rng = np.random.default_rng(0)
    X = rng.standard_normal((40, 3))
    Y = X @ [[1.0], [-1.0], [0.5]]
    trainer = Trainer(Network([3, 4, 1], loss="squared_error", random_state=0),
                      optimizer="sgd", learning_rate=0.05, schedule="cosine", batch_size=10,
                      random_state=0)
    trainer.fit(X, Y, epochs=3)
    before = trainer.network.params.copy()
    trainer.fit(X, Y, epochs=3)
    assert min(trainer.history.history["lr"][3:]) > 0
    assert not np.array_equal(trainer.network.params, before)
    fresh = Trainer(Network([3, 4, 1], loss="squared_error", random_state=0),
                    optimizer="sgd", learning_rate=0.05, schedule="cosine")
    with pytest.raises(ValueError, match="t_max"):
        fresh.partial_fit(X, Y)


def test_plateau_by_hand():
    s = schedules.get("plateau", 1.0, patience=2, factor=0.5, min_delta=0.1, min_lr=0.2)
    trace = []
    # losses: 1.0 (best), 0.95 (not better by 0.1: wait 1), 0.92 (wait 2 -> halve),
    # 0.5 (better: best, wait 0), 0.5, 0.5 (halve to 0.25), 0.5, 0.5 (would be 0.125: min 0.2)
    for epoch, loss in enumerate([1.0, 0.95, 0.92, 0.5, 0.5, 0.5, 0.5, 0.5]):
        trace.append(s.rate(epoch))
        s.update(epoch, {"loss": loss})
    trace.append(s.rate(8))
    assert trace == [1.0, 1.0, 1.0, 0.5, 0.5, 0.5, 0.25, 0.25, 0.2]


@pytest.mark.parametrize("any_gain, expected", [
    # Keras: best stays 1.0 (0.95 and 0.9 do not beat it by more than 0.1): halve at
    # epoch 2; 0.85 is then a new best, 0.8 not 0.1 below it: wait 1.
    (False, [1.0, 1.0, 1.0, 0.5, 0.5, 0.5]),
    # scikit-learn: best follows 0.95, 0.9, 0.85, each a gain of 0.05 < 0.1, so the
    # count grows to 2 at epoch 2 (halve, count 0) and again at epoch 4.
    (True, [1.0, 1.0, 1.0, 0.5, 0.5, 0.25]),
])
def test_plateau_with_best_on_any_gain_by_hand(any_gain, expected):
    s = schedules.get("plateau", 1.0, patience=2, factor=0.5, min_delta=0.1,
                      best_on_any_gain=any_gain)
    trace = []
    for epoch, loss in enumerate([1.0, 0.95, 0.9, 0.85, 0.8]):
        trace.append(s.rate(epoch))
        s.update(epoch, {"loss": loss})
    trace.append(s.rate(5))
    assert trace == expected
    # A gain of exactly min_delta counts under scikit-learn's rule, not under Keras's.
    exact = schedules.get("plateau", 1.0, patience=1, min_delta=0.5, best_on_any_gain=any_gain)
    exact.update(0, {"loss": 1.0})
    exact.update(1, {"loss": 0.5})
    assert exact.rate(2) == (1.0 if any_gain else 0.5)


def test_plateau_prefers_val_loss_and_maximizes_accuracy():
    s = schedules.get("plateau", 1.0, patience=1)
    s.update(0, {"loss": 1.0, "val_loss": 2.0})
    s.update(1, {"loss": 0.1, "val_loss": 3.0})  # training improved, validation did not
    assert s.rate(2) == 0.5
    acc = schedules.get("plateau", 1.0, patience=1, monitor="val_accuracy")
    acc.update(0, {"val_accuracy": 0.5})
    acc.update(1, {"val_accuracy": 0.9})  # higher is better: an improvement
    assert acc.rate(2) == 1.0
    with pytest.raises(ValueError, match="monitors 'val_accuracy', which the logs do not have"):
        acc.update(2, {"loss": 1.0})


def test_state_round_trip_through_json():
    s = schedules.get("plateau", 1.0, patience=1)
    for epoch, loss in enumerate([1.0, 1.0, 1.0]):
        s.update(epoch, {"loss": loss})
    again = schedules.get("plateau", 1.0, patience=1)
    again.load_state_dict(json.loads(json.dumps(s.state_dict())))
    assert (again.rate(3), again.best, again.wait) == (s.rate(3), s.best, s.wait)
    with pytest.raises(ValueError, match="schedule state is for 'plateau'"):
        schedules.get("constant", 1.0).load_state_dict(s.state_dict())


def test_errors_name_the_argument():
    with pytest.raises(ValueError, match="unknown schedule 'linear'; expected one of"):
        schedules.get("linear")
    with pytest.raises(ValueError, match=r"gamma must be a number > 0.0 and <= 1.0; got 1.5"):
        schedules.get("exponential", 0.1, gamma=1.5)
    with pytest.raises(ValueError, match="unknown schedule_params for 'step': power_t"):
        schedules.get("step", 0.1, power_t=0.5)
    with pytest.raises(ValueError, match="step_size must be an int >= 1; got 0"):
        schedules.get("step", 0.1, step_size=0)
    with pytest.raises(TypeError, match="schedule must be a name"):
        schedules.get(None)
    assert set(schedules.names()) == {
        "constant", "step", "exponential", "invscaling", "cosine", "plateau"
    }


def test_plateau_lowers_to_min_lr_but_never_raises_a_rate_to_it():
    below = schedules.get("plateau", 1e-6, patience=0, factor=0.5, min_lr=1e-4, min_delta=0.0)
    below.update(0, {"loss": 1.0})
    below.update(1, {"loss": 1.0})  # no gain: lowered, if anything
    assert below.rate(2) == 1e-6
    above = schedules.get("plateau", 1e-2, patience=0, factor=0.1, min_lr=5e-4, min_delta=0.0)
    for epoch in range(4):
        above.update(epoch, {"loss": 1.0})
    assert above.rate(4) == pytest.approx(5e-4)
    # A resumed run given a rate below min_lr goes on at that rate, not at min_lr.
    above.rescale(1e-6)
    assert above.rate(5) == pytest.approx(1e-6)
