"""lucidnet's fused SGD step against its general step, on the same fits.

``PYTHONPATH=src python -m benchmarks.routes [--quick] [--repeats N] [--batches 32,128]
[--optimizers sgd,nesterov] [--hidden 32] [--scenario 4]``

The Trainer takes :mod:`lucidnet.fused_sgd` on its own for ``sgd``, ``momentum`` and
``nesterov`` on large enough networks and small enough batches.  This times
``Trainer.fit`` calls both ways, alternating them in one process after a pause each
(``benchmarks.run.SETTLE_SECONDS``; none with ``--quick``), and prints the median
seconds per epoch and the ratio fused/general (below 1: the fused step is faster).
By default the fits are one epoch of scenario 1's network and data (784-256-128-10,
60,000 generated examples) at each of ``--batches``, ``--hidden`` replacing the hidden
layers' widths (256,128); with ``--scenario 4``, the scenario's 100 full-batch
iterations of the 12288-20-7-5-1 network on 209 examples (``--batches`` and
``--hidden`` are then ignored).  The general step is forced by raising
``fused_sgd.MIN_PARAMS`` above the network's size, the fused one by setting
``MIN_PARAMS`` and ``fused_sgd.NARROW_UNITS`` to 0 and raising ``fused_sgd.MAX_BATCH``
to the batch size when it is larger (that is how ``MAX_BATCH`` and ``NARROW_UNITS``
were chosen); nothing else differs.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from dataclasses import replace

from .peers import _flat
from .run import SETTLE_SECONDS
from .scenarios import initial_weights, make_data, scenarios

OPTIMIZERS = ("sgd", "momentum", "nesterov")


def time_routes(dtype: str, batch_size: int | None, optimizer: str, repeats: int,
                quick: bool, scenario: int = 1, hidden: list[int] | None = None):
    """Seconds per epoch of every repeat: ``{"fused": [...], "general": [...]}``.

    ``batch_size`` and ``hidden`` (the hidden layers' widths) apply to scenario 1;
    scenario 4 trains its own network on its full batch."""
    from lucidnet import Network, fused_sgd
    from lucidnet.training import Trainer

    base = next(s for s in scenarios(quick) if s.key == f"{scenario}-{dtype}")
    if scenario == 1:
        sizes = base.sizes if hidden is None else (base.sizes[0], *hidden, base.sizes[-1])
        s = replace(base, batch_size=batch_size, sizes=sizes)
    else:
        s = base
    epochs = 1 if scenario == 1 else s.units
    data, init = make_data(s), initial_weights(s)
    net = Network(list(s.sizes), s.hidden, s.output, s.loss, dtype=s.dtype)
    initial = _flat(init)
    rows = len(data.X) if s.batch_size is None else s.batch_size
    defaults = fused_sgd.MIN_PARAMS, fused_sgd.MAX_BATCH, fused_sgd.NARROW_UNITS
    _, largest_batch, narrow_units = defaults

    settle = 0.0 if quick else SETTLE_SECONDS

    def one_fit(fused: bool) -> float:
        fused_sgd.MIN_PARAMS = 0 if fused else net.n_params + 1
        fused_sgd.MAX_BATCH = max(largest_batch, rows)
        fused_sgd.NARROW_UNITS = 0 if fused else narrow_units
        net.params[...] = initial
        trainer = Trainer(net, optimizer=optimizer, learning_rate=s.learning_rate,
                          batch_size=s.batch_size, shuffle=s.shuffle, random_state=0)
        time.sleep(settle)
        start = time.perf_counter()
        trainer.fit(data.X, data.Y, epochs=epochs)
        return (time.perf_counter() - start) / epochs

    times: dict[str, list[float]] = {"fused": [], "general": []}
    try:
        one_fit(True), one_fit(False)  # warm-up: imports, buffers, thread pools
        for round_ in range(repeats):
            order = ("fused", "general") if round_ % 2 == 0 else ("general", "fused")
            for route in order:
                times[route].append(one_fit(route == "fused"))
    finally:
        fused_sgd.MIN_PARAMS, fused_sgd.MAX_BATCH, fused_sgd.NARROW_UNITS = defaults
    return times


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.routes", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="tiny data, 1 repeat (CI)")
    parser.add_argument("--repeats", type=int, default=None, help="rounds (default 5)")
    parser.add_argument("--batches", default="32,128,512,2048,4096",
                        help="batch sizes, comma-separated (default 32,128,512,2048,4096)")
    parser.add_argument("--optimizers", default=",".join(OPTIMIZERS),
                        help=f"comma-separated, of {', '.join(OPTIMIZERS)} (default all)")
    parser.add_argument("--hidden", default="256,128",
                        help="scenario 1's hidden layer widths (default 256,128)")
    parser.add_argument("--scenario", type=int, choices=(1, 4), default=1,
                        help="the benchmark scenario whose network and data to train "
                             "(default 1; 4: full batch, --batches ignored)")
    args = parser.parse_args(argv)
    batches = _positive_ints(parser, "--batches", args.batches) if args.scenario == 1 else [None]
    hidden = _positive_ints(parser, "--hidden", args.hidden)
    optimizers = args.optimizers.split(",")
    if not set(optimizers) <= set(OPTIMIZERS):
        parser.error(f"--optimizers must be some of {', '.join(OPTIMIZERS)}; "
                     f"got {args.optimizers!r}")
    repeats = args.repeats or (1 if args.quick else 5)
    if repeats < 1:
        parser.error(f"--repeats must be a positive int; got {repeats}")
    print(f"{'dtype':8} {'batch':>5} {'optimizer':9} {'fused s':>9} {'general s':>9} "
          f"{'fused/general':>13}")
    for dtype in ("float32", "float64"):
        for batch_size in batches:
            for optimizer in optimizers:
                times = time_routes(dtype, batch_size, optimizer, repeats, args.quick,
                                    args.scenario, hidden)
                fused = statistics.median(times["fused"])
                general = statistics.median(times["general"])
                batch = "full" if batch_size is None else batch_size
                print(f"{dtype:8} {batch:>5} {optimizer:9} {fused:9.4f} {general:9.4f} "
                      f"{fused / general:13.2f}", flush=True)
    return 0


def _positive_ints(parser: argparse.ArgumentParser, option: str, text: str) -> list[int]:
    """``text`` such as ``"32,128"`` as ints; a usage error naming ``option`` otherwise."""
    try:
        values = [int(part) for part in text.split(",")]
    except ValueError:
        values = []
    if not values or min(values) < 1:
        parser.error(f"{option} must be comma-separated positive ints; got {text!r}")
    return values


if __name__ == "__main__":
    sys.exit(main())
