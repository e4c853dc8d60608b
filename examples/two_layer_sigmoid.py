"""System 5: the two-layer sigmoid network (sigmoid hidden and output, cross-entropy).

First written out in the reference notation with ``lucidnet.course.deep``'s step
functions (dZ2 = A2 - Y, dW2 = dZ2 A1^T / m, dZ1 = W2^T dZ2 * sigmoid'(Z1), ...),
then the same network ``Network([30, 5, 1], activation="sigmoid")`` in lucidnet's
general API from the same weights; both print the same costs.
Run: ``python examples/two_layer_sigmoid.py``.
"""

import numpy as np
from sklearn.datasets import load_breast_cancer

from lucidnet import Network
from lucidnet.course import deep

N_H, LEARNING_RATE, ITERATIONS = 5, 0.5, 1001


def train_in_reference_notation(X, Y, parameters):
    costs = []
    for i in range(ITERATIONS):
        W1, b1, W2, b2 = (parameters[key] for key in ("W1", "b1", "W2", "b2"))
        A1, hidden = deep.linear_activation_forward(X, W1, b1, "sigmoid")
        A2, output = deep.linear_activation_forward(A1, W2, b2, "sigmoid")
        cost = deep.compute_cost(A2, Y)
        dZ2 = A2 - Y  # sigmoid output + cross-entropy
        dA1, dW2, db2 = deep.linear_backward(dZ2, output.linear_cache)
        _, dW1, db1 = deep.linear_activation_backward(dA1, hidden, "sigmoid")
        grads = {"dW1": dW1, "db1": db1, "dW2": dW2, "db2": db2}
        parameters = deep.update_parameters(parameters, grads, LEARNING_RATE)
        if i % 100 == 0:
            costs.append(float(cost))
            print(f"Cost after iteration {i}: {float(cost):.6f}")
    return parameters, costs


def main() -> None:
    data = load_breast_cancer()
    X = ((data.data - data.data.mean(axis=0)) / data.data.std(axis=0)).T
    Y = data.target.reshape(1, -1).astype(float)
    initial = deep.initialize_parameters(X.shape[0], N_H, 1)

    print("== reference notation: course step functions ==")
    parameters, costs = train_in_reference_notation(X, Y, initial)
    A1, _ = deep.linear_activation_forward(X, parameters["W1"], parameters["b1"], "sigmoid")
    A2, _ = deep.linear_activation_forward(A1, parameters["W2"], parameters["b2"], "sigmoid")
    print(f"Accuracy: {np.mean((A2 > 0.5) == Y)}")

    print("== general API: Network(activation='sigmoid') from the same weights ==")
    net = Network([X.shape[0], N_H, 1], activation="sigmoid", output_activation="sigmoid",
                  loss="binary_cross_entropy")
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
