"""Which estimator settings each solver reads: those it passes to its optimizer, and
those :func:`unused_settings` shows ``lucidnet info`` as ignored.

Kept apart from :mod:`lucidnet.estimators` so that reading a model file's settings
imports no scikit-learn.
"""

from __future__ import annotations

from typing import Any

#: Parameters each optimizer takes from the estimator (a registered optimizer not
#: listed here takes none of them).
OPTIMIZER_PARAMS = {
    "sgd": (),
    "momentum": ("momentum",),
    "nesterov": ("momentum",),
    "rmsprop": ("epsilon",),
    "adam": ("beta_1", "beta_2", "epsilon"),
    "adamw": ("beta_1", "beta_2", "epsilon", "weight_decay"),
    "lbfgs": ("max_fun", "gtol"),
}
#: Settings of step-wise training (mini-batches, learning rates, early stopping): L-BFGS,
#: which takes its own steps on the full batch, ignores them.
_STEPWISE_PARAMS = ("batch_size", "learning_rate", "learning_rate_init", "power_t", "shuffle",
                    "early_stopping", "validation_fraction", "early_stopping_monitor",
                    "schedule_params", "momentum", "nesterovs_momentum")


def unused_settings(params: dict[str, Any]) -> list[str]:
    """The estimator settings in ``params`` (``get_params()``) that its solver ignores,
    in ``params``' order: another optimizer's (AdamW's ``weight_decay`` for Adam),
    ``power_t`` without "invscaling", ``nesterovs_momentum`` without momentum, and
    L-BFGS's step settings (``batch_size``, ``learning_rate``, ...)."""
    solver = params.get("solver")
    if not isinstance(solver, str):  # a model file's settings, edited by hand: say nothing
        return []
    if solver == "lbfgs":
        unused = set(_STEPWISE_PARAMS)
    else:
        unused = {"max_fun"}
        if params.get("learning_rate") != "invscaling" or solver not in ("sgd", "gd"):
            unused.add("power_t")
        if solver in ("sgd", "gd"):  # momentum picks plain, momentum or Nesterov steps
            if not params.get("momentum"):
                unused.add("nesterovs_momentum")
        elif solver in ("momentum", "nesterov"):  # the name says which
            unused.add("nesterovs_momentum")
        else:
            unused |= {"momentum", "nesterovs_momentum"}
    used = OPTIMIZER_PARAMS.get("momentum" if solver in ("sgd", "gd") else solver, ())
    for names in OPTIMIZER_PARAMS.values():
        unused |= set(names) - set(used) - {"momentum"}  # momentum: decided above
    return [name for name in params if name in unused]
