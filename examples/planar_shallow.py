"""The planar "flower" lesson: one hidden tanh layer separates data no line can.

First in the reference notation (``lucidnet.course.shallow.nn_model``, 4 hidden
units, 10000 iterations, learning rate 1.2, seeded as the lesson), then the same
network ``Network([2, 4, 1], activation="tanh")`` in lucidnet's general API from the
same initial weights; both end with the same accuracy and weights equal to about
1e-4.  (Not closer: the two routes round differently in the last digit -- the general
one folds 1/m into dZ2 -- and at this learning rate the cost oscillates from about
iteration 5000 on, which lets those differences grow.)
Run: ``python examples/planar_shallow.py``.
"""

import numpy as np

from lucidnet import Network
from lucidnet.course import shallow
from lucidnet.datasets import load_planar_dataset

N_H, ITERATIONS, LEARNING_RATE = 4, 10000, 1.2


def main() -> None:
    X, Y = load_planar_dataset()  # (2, 400) and (1, 400): the lesson's columns

    print("== reference notation: shallow.nn_model ==")
    parameters = shallow.nn_model(X, Y, N_H, num_iterations=ITERATIONS, print_cost=True)
    accuracy = float(np.mean(shallow.predict(parameters, X) == Y))
    print(f"Accuracy: {100 * accuracy:.2f} %")

    print("== general API: Network.fit from the same initial weights ==")
    np.random.seed(3)  # noqa: NPY002 - nn_model's seed, to start from its weights
    initial = shallow.initialize_parameters(X.shape[0], N_H, 1, seed=None)
    net = Network([X.shape[0], N_H, 1], activation="tanh", output_activation="sigmoid",
                  loss="binary_cross_entropy")
    for l, layer in enumerate(net.layers, start=1):
        layer.W[...] = initial[f"W{l}"]
        layer.b[...] = initial[f"b{l}"].ravel()
    net.fit(X.T, Y.T, learning_rate=LEARNING_RATE, num_iterations=ITERATIONS,
            cost_every=1000, print_cost=True)
    net_accuracy = float(np.mean(net.predict(X.T).T == Y))
    print(f"Accuracy: {100 * net_accuracy:.2f} %")

    difference = max(np.max(np.abs(parameters[f"W{l}"] - layer.W))
                     for l, layer in enumerate(net.layers, start=1))
    same = bool(difference < 1e-3 and accuracy == net_accuracy)
    print(f"same accuracy: {same} (largest weight difference {difference:.1e})")
    # The two agree to rounding at every step; with learning rate 1.2 the cost is not
    # monotone (see iteration 7000), which magnifies 1e-16 differences to about 1e-4.


if __name__ == "__main__":
    main()
