"""System 3: logistic regression as a one-layer network, on breast-cancer data.

First in the reference notation (``lucidnet.course.logistic.model``, from zeros),
then the same one-layer network ``Network([30, 1])`` in lucidnet's general API from
zeros; both print the same costs and accuracies.
Run: ``python examples/logistic_regression.py``.
"""

import numpy as np
from sklearn.datasets import load_breast_cancer

from lucidnet import Network
from lucidnet.course import logistic

LEARNING_RATE, ITERATIONS = 0.5, 1001  # 1001: both record the cost at 0, 100, ..., 1000


def main() -> None:
    data = load_breast_cancer()
    X = (data.data - data.data.mean(axis=0)) / data.data.std(axis=0)
    y = data.target.reshape(1, -1).astype(float)
    X_train, X_test, Y_train, Y_test = X[:400].T, X[400:].T, y[:, :400], y[:, 400:]

    print("== reference notation: logistic.model ==")
    d = logistic.model(X_train, Y_train, X_test, Y_test, num_iterations=ITERATIONS,
                       learning_rate=LEARNING_RATE, print_cost=True)

    print("== general API: Network([30, 1]) from zeros ==")
    net = Network([X_train.shape[0], 1], output_activation="sigmoid",
                  loss="binary_cross_entropy")
    net.params[...] = 0.0  # the reference starts from w = 0, b = 0
    fit_costs = net.fit(X_train.T, Y_train.T, learning_rate=LEARNING_RATE,
                        num_iterations=ITERATIONS, print_cost=True)
    print(f"test accuracy: {100 * np.mean(net.predict(X_test.T).T == Y_test)} %")

    costs = np.array(d["costs"], dtype=float)
    difference = np.max(np.abs(costs - fit_costs))
    print(f"same costs: {bool(np.allclose(costs, fit_costs, rtol=1e-10))} "
          f"(largest difference {difference:.1e})")


if __name__ == "__main__":
    main()
