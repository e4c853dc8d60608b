"""The planar "flower" lesson: one hidden tanh layer separates data no line can.

First in the reference notation (``lucidnet.course.shallow.nn_model``, 4 hidden
units, 10000 iterations, learning rate 1.2, seeded as the lesson: its printed costs),
then the same network ``Network([2, 4, 1], activation="tanh")`` in lucidnet's general
API from the same initial weights.  The two routes round differently in the last
digit (the general one folds 1/m into dZ2 and sums on rows), and at this learning
rate the cost oscillates from about iteration 6000 on, which lets those differences
grow into the printed digits; so the two are compared after 6000 iterations, where
their weights agree to about 1e-14.
Run: ``python examples/planar_shallow.py``.
"""

import numpy as np

from lucidnet import Network
from lucidnet.course import shallow
from lucidnet.datasets import load_planar_dataset

N_H, ITERATIONS, LEARNING_RATE, COMPARED = 4, 10000, 1.2, 6000


def main() -> None:
    X, Y = load_planar_dataset()  # (2, 400) and (1, 400): the lesson's columns

    print("== reference notation: shallow.nn_model ==")
    parameters = shallow.nn_model(X, Y, N_H, num_iterations=ITERATIONS, print_cost=True)
    accuracy = float(np.mean(shallow.predict(parameters, X) == Y))
    print(f"Accuracy: {100 * accuracy:.2f} %")

    print("== general API: Network.fit from the same initial weights ==")
    net = _network_from_nn_models_start(X)
    net.fit(X.T, Y.T, learning_rate=LEARNING_RATE, num_iterations=ITERATIONS,
            cost_every=1000, print_cost=True)
    net_accuracy = float(np.mean(net.predict(X.T).T == Y))
    print(f"Accuracy: {100 * net_accuracy:.2f} %")

    # The same comparison before the oscillation starts.
    print(f"(from about iteration {COMPARED} the cost oscillates and the two routes' "
          "last-digit rounding differences grow into the printed costs; compared before:)")
    before = shallow.nn_model(X, Y, N_H, num_iterations=COMPARED)
    net = _network_from_nn_models_start(X)
    net.fit(X.T, Y.T, learning_rate=LEARNING_RATE, num_iterations=COMPARED)
    difference = max(np.max(np.abs(before[f"W{l}"] - layer.W))
                     for l, layer in enumerate(net.layers, start=1))
    print(f"same weights after {COMPARED} iterations: {difference < 1e-9} "
          f"(largest difference {difference:.1e})")


def _network_from_nn_models_start(X: np.ndarray) -> Network:
    """``Network([2, N_H, 1])`` with nn_model's initial weights (seed 3, 0.01 randn)."""
    np.random.seed(3)  # noqa: NPY002 - nn_model's seed, to start from its weights
    initial = shallow.initialize_parameters(X.shape[0], N_H, 1, seed=None)
    net = Network([X.shape[0], N_H, 1], activation="tanh", output_activation="sigmoid",
                  loss="binary_cross_entropy")
    for l, layer in enumerate(net.layers, start=1):
        layer.W[...] = initial[f"W{l}"]
        layer.b[...] = initial[f"b{l}"].ravel()
    return net


if __name__ == "__main__":
    main()
