"""``python -m benchmarks.kernels``: lucidnet's array kernels against the plain NumPy spelling.

Each row times one engine operation two ways on the shapes of the benchmark's
784-256-128-10 network (a training batch of 128 rows and a prediction chunk of 2,048),
and a layer's product on the 2-3-1 network's first layer (3 rows): the straightforward
NumPy expression, and the route ``lucidnet`` takes (``lucidnet._kernels``, the softmax
and ReLU activations, the categorical cross-entropy from logits, the layers' product).
Both give the same values (the tests check that); the table shows what the route
buys.  Each figure is the best of several repeats of many calls on warm caches, in
microseconds per call.
"""

from __future__ import annotations

import argparse
import sys
import timeit
from functools import partial

import numpy as np


def _plain_softmax(Z: np.ndarray, out: np.ndarray) -> np.ndarray:
    out = np.subtract(Z, Z.max(axis=1, keepdims=True), out=out)
    np.exp(out, out=out)
    out /= out.sum(axis=1, keepdims=True)
    return out


def _plain_cce_per_example(Z: np.ndarray, Y: np.ndarray) -> np.ndarray:
    shift = Z.max(axis=1, keepdims=True)
    log_norm = np.log(np.exp(Z - shift).sum(axis=1, keepdims=True)) + shift
    return (Y * (log_norm - Z)).sum(axis=1)


def _best_microseconds(call, size: int, repeats: int) -> float:
    number = max(50, 2_000_000 // size)
    return min(timeit.repeat(call, number=number, repeat=repeats)) / number * 1e6


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.kernels", description=__doc__)
    parser.add_argument("--repeats", type=int, default=7, help="repeats per figure (default 7)")
    args = parser.parse_args(argv)

    from lucidnet import activations, losses
    from lucidnet.layers import _product

    relu, softmax = activations.get("relu"), activations.get("softmax")
    cce = losses.get("categorical_cross_entropy")
    rng = np.random.default_rng(0)
    print(f"{'operation':28s} {'dtype':8s} {'shape':12s} {'numpy us':>9s} {'lucidnet us':>12s}")
    for dtype in (np.float32, np.float64):
        for rows in (128, 2048):
            hidden = rng.standard_normal((rows, 256)).astype(dtype)
            hidden_out = np.empty_like(hidden)
            logits = rng.standard_normal((rows, 10)).astype(dtype)
            logits_out = np.empty_like(logits)
            Y = np.eye(10, dtype=dtype)[rng.integers(0, 10, rows)]
            cases = [
                ("relu forward", hidden,
                 partial(np.maximum, hidden, 0, out=hidden_out),
                 partial(relu.forward, hidden, out=hidden_out)),
                ("softmax forward", logits,
                 partial(_plain_softmax, logits, logits_out),
                 partial(softmax.forward, logits, out=logits_out)),
                ("cross-entropy from logits", logits,
                 partial(_plain_cce_per_example, logits, Y),
                 partial(cce.per_example_from_logits, logits, Y)),
            ]
            _print_rows(cases, dtype, args.repeats)
        # A 2-3-1 network's first layer, Z = X W^T into a kept buffer: a product this
        # small costs about as much as its dispatch.
        X, W = rng.standard_normal((3, 2)).astype(dtype), rng.standard_normal((3, 2)).astype(dtype)
        Z = np.empty((3, 3), dtype)
        _print_rows([("layer product X W^T", Z, partial(np.matmul, X, W.T, out=Z),
                      partial(_product, X, W.T, Z))], dtype, args.repeats)
    return 0


def _print_rows(cases: list, dtype: type, repeats: int) -> None:
    """One table row per ``(name, array, plain call, lucidnet's call)``."""
    for name, array, plain, ours in cases:
        shape = "x".join(map(str, array.shape))
        plain_us = _best_microseconds(plain, array.size, repeats)
        ours_us = _best_microseconds(ours, array.size, repeats)
        print(f"{name:28s} {np.dtype(dtype).name:8s} {shape:12s} "
              f"{plain_us:9.1f} {ours_us:12.1f}")


if __name__ == "__main__":
    sys.exit(main())
