"""System 2: the L-layer classifier [LINEAR->RELU]*(L-1)->LINEAR->SIGMOID on breast-cancer data.

First in the reference notation (``lucidnet.course.deep.L_layer_model``, initialized
as the reference's application: seed 1, ``randn / sqrt(n[l-1])``), then the same
network in lucidnet's general API from the same weights; both print the same costs.
Run: ``python examples/l_layer_classifier.py``.
"""

import numpy as np
from sklearn.datasets import load_breast_cancer

from lucidnet import Network
from lucidnet.course import deep

LAYERS_DIMS = [30, 20, 7, 5, 1]
LEARNING_RATE, ITERATIONS = 0.05, 1001  # 1001: both record the cost at 0, 100, ..., 1000


def main() -> None:
    data = load_breast_cancer()
    X = ((data.data - data.data.mean(axis=0)) / data.data.std(axis=0)).T  # (n_x, m) columns
    Y = data.target.reshape(1, -1).astype(float)

    print("== reference notation: deep.L_layer_model ==")
    parameters, costs = deep.L_layer_model(
        X, Y, LAYERS_DIMS, learning_rate=LEARNING_RATE, num_iterations=ITERATIONS,
        print_cost=True,
    )
    deep.predict(X, Y, parameters)

    print("== general API: Network.fit from the same initial weights ==")
    net = Network(LAYERS_DIMS, activation="relu", output_activation="sigmoid",
                  loss="binary_cross_entropy")
    initial = deep.initialize_parameters_deep(LAYERS_DIMS, seed=1, initializer="lecun_normal")
    for l, layer in enumerate(net.layers, start=1):
        layer.W[...] = initial[f"W{l}"]
        layer.b[...] = initial[f"b{l}"].ravel()
    fit_costs = net.fit(X.T, Y.T, learning_rate=LEARNING_RATE, num_iterations=ITERATIONS,
                        print_cost=True)
    print(f"Accuracy: {np.mean(net.predict(X.T).T == Y)}")

    difference = np.max(np.abs(np.subtract(costs, fit_costs)))
    print(f"same costs: {bool(np.allclose(costs, fit_costs, rtol=1e-10))} "
          f"(largest difference {difference:.1e})")


if __name__ == "__main__":
    main()
