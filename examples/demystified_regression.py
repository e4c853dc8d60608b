"""System 4: the row-major regression network of "neural networks demystified".

Hours slept and studied -> test score.  First in the tutorial's notation
(``lucidnet.course.demystified``: ``Neural_Network``, the numerical gradient check,
``trainer`` with SciPy's BFGS), then the same network in lucidnet's general API
(``Network([2, 3, 1])``, sigmoid everywhere, no biases, ``sum_squared_error``)
trained by the same BFGS on its flat parameter vector; both give the same costs.
Run: ``python examples/demystified_regression.py``.
"""

import numpy as np
from scipy import optimize

from lucidnet import Network
from lucidnet.course.demystified import Neural_Network, computeNumericalGradient, trainer
from lucidnet.datasets import load_hours_scores


def main() -> None:
    X, y = load_hours_scores()
    X = X / np.amax(X, axis=0)  # the tutorial scales each column by its maximum
    y = y / 100

    print("== tutorial notation: Neural_Network + trainer (BFGS) ==")
    np.random.seed(0)  # noqa: NPY002 - the tutorial draws W1, W2 from the global generator
    NN = Neural_Network()
    initial = NN.getParams()
    grad, numgrad = NN.computeGradients(X, y), computeNumericalGradient(NN, X, y)
    print(f"gradient check: {np.linalg.norm(grad - numgrad) / np.linalg.norm(grad + numgrad):.2e}")
    T = trainer(NN)
    T.train(X, y)
    for i in range(0, len(T.J), 10):
        print(f"J after BFGS iteration {i + 1}: {T.J[i]:.6e}")
    print("yHat:", np.round(NN.forward(X).ravel(), 4), " y:", y.ravel())

    print("== general API: Network([2, 3, 1]) and the same BFGS on net.params ==")
    net = Network([2, 3, 1], activation="sigmoid", output_activation="sigmoid",
                  loss="sum_squared_error", use_bias=False)
    net.layers[0].W[...] = initial[:6].reshape(2, 3).T  # the engine's W is the tutorial's W^T
    net.layers[1].W[...] = initial[6:].reshape(3, 1).T
    costs = []

    def cost_and_gradient(params):
        net.set_params(params)
        return net.loss_and_gradient(X, y, training=False), net.grads.copy()

    result = optimize.minimize(cost_and_gradient, net.params.copy(), jac=True, method="BFGS",
                               options={"maxiter": 200},
                               callback=lambda p: costs.append(cost_and_gradient(p)[0]))
    net.set_params(result.x)
    yHat, _ = net.forward(X)  # (predict would threshold a sigmoid output at 0.5)
    print("yHat:", np.round(yHat.ravel(), 4))

    n = min(len(costs), len(T.J))
    difference = np.max(np.abs(np.subtract(costs[:n], T.J[:n])))
    print(f"final J: {T.J[-1]:.3e} (tutorial) and {costs[-1]:.3e} (general API)")
    print(f"fits y to 3 decimals: {bool(np.allclose(yHat, y, atol=5e-4))}")
    print(f"same costs: {bool(np.allclose(costs[:20], T.J[:20], rtol=1e-6))} "
          f"(largest difference {difference:.1e})")


if __name__ == "__main__":
    main()
