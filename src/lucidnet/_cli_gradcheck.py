"""``lucidnet gradcheck``: the small random network and data its options describe,
checked by :func:`lucidnet.gradcheck`.
"""

from __future__ import annotations

from typing import Any

import numpy as np


def gradcheck_report(options: dict[str, Any]) -> dict[str, Any]:
    """Build the small random network and data the options describe, and check it."""
    from .gradcheck import gradcheck
    from .network import Network

    rng = np.random.default_rng(options["seed"])
    sizes = [options["inputs"], *options["hidden"], options["outputs"]]
    network = Network(
        sizes,
        activation=options["activation"],
        output_activation=options["output_activation"],
        loss=options["loss"],
        use_bias=not options["no_bias"],
        dtype=options["dtype"],
        random_state=rng,
    )
    m = options["examples"]
    X = rng.standard_normal((m, sizes[0]))
    Y = _random_targets(rng, network.loss.name, m, sizes[-1])
    result = gradcheck(network, X, Y, epsilon=options["epsilon"], l2=options["l2"])
    shapes = {name: shape for name, _, shape in network.parameter_slices()}
    return {
        "network": "-".join(map(str, sizes)),
        "activations": [layer.activation.name for layer in network.layers],
        "loss": network.loss.name,
        "examples": m,
        "epsilon": options["epsilon"],
        "threshold": options["threshold"],
        "relative_difference": result.relative_difference,
        "passed": result.passed(options["threshold"]),
        "parameters": [
            {"name": name, "shape": list(shapes[name]), "relative_difference": value}
            for name, value in result.per_parameter.items()
        ],
        "worst": [
            {"parameter": e.parameter, "index": list(e.index), "backprop": e.analytic,
             "numeric": e.numeric}
            for e in result.worst
        ],
    }


def _random_targets(rng: np.random.Generator, loss: str, m: int, n_out: int) -> np.ndarray:
    """Targets of shape (m, n_out) of the kind ``loss`` expects."""
    if loss == "categorical_cross_entropy":
        return np.eye(n_out)[rng.integers(0, n_out, m)]
    if loss == "binary_cross_entropy":
        return rng.integers(0, 2, (m, n_out)).astype(np.float64)
    if loss == "poisson":  # counts
        return rng.poisson(1.5, (m, n_out)).astype(np.float64)
    return rng.standard_normal((m, n_out))
