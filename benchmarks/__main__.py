"""``python -m benchmarks [--quick] [--scenarios 1,3] [--repeats N] [--settle S] [--json PATH]``.

Runs the scenarios of issue 5 for every installed contender, prints the table and
writes the same as JSON (default ``benchmarks/results/latest.json``).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .peers import available, lucidnet_api
from .report import format_table, ratios, targets, write_json
from .run import SETTLE_SECONDS, environment, peak_memory, summarize, time_scenario
from .scenarios import make_data, scenarios


def _parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks",
        description="Time lucidnet, scikit-learn, PyTorch and a matmul-only floor (issue 5).",
    )
    parser.add_argument(
        "--quick", action="store_true", help="tiny data, 1 repeat: a smoke run for CI"
    )
    parser.add_argument(
        "--scenarios", default="", help="issue scenario numbers, e.g. 1,3 (default: all)"
    )
    parser.add_argument(
        "--repeats", type=int, default=None, help="rounds per scenario (default 5; quick 1)"
    )
    parser.add_argument(
        "--settle",
        type=float,
        default=SETTLE_SECONDS,
        help=f"idle seconds before each timed run (default {SETTLE_SECONDS}; 0: none)",
    )
    parser.add_argument(
        "--json",
        type=Path,
        default=Path(__file__).parent / "results" / "latest.json",
        help="where to write the JSON (default benchmarks/results/latest.json)",
    )
    parser.add_argument(
        "--memory",
        choices=("all", "1", "none"),
        default=None,
        help="which scenarios get a memory subprocess (default all; quick: 1-float32)",
    )
    args = parser.parse_args(argv)
    try:
        args.groups = {int(g) for g in args.scenarios.split(",") if g.strip()}
    except ValueError:
        parser.error(f"--scenarios must be comma-separated numbers 1-6; got {args.scenarios!r}")
    if args.groups - set(range(1, 7)):
        parser.error(f"--scenarios must be numbers 1-6; got {args.scenarios!r}")
    if args.repeats is None:
        args.repeats = 1 if args.quick else 5
    if args.repeats < 1:
        parser.error(f"--repeats must be a positive int; got {args.repeats}")
    if not args.settle >= 0:
        parser.error(f"--settle must be a number of seconds >= 0; got {args.settle}")
    if args.memory is None:
        args.memory = "1" if args.quick else "all"
    return args


def main(argv: list[str] | None = None) -> int:
    args = _parse(argv)
    contenders = available()
    selected = [s for s in scenarios(args.quick) if not args.groups or s.group in args.groups]
    rows: list[dict] = []
    for s in selected:
        print(f"[{s.key}] {s.title} ...", file=sys.stderr, flush=True)
        times = time_scenario(s, contenders, args.repeats, args.settle)
        apis = {"lucidnet": lucidnet_api() if s.unit != "predict" else "predict_proba"}
        for row in summarize(s, times, apis):
            row["data_mb"] = make_data(s).nbytes / 2**20
            # --quick probes one scenario only: each probe is a fresh interpreter.
            if args.memory == "all" or (
                args.memory == "1" and s.group == 1 and not (args.quick and s.key != "1-float32")
            ):
                probe = peak_memory(s.key, row["contender"], args.quick)
                row.update(peak_mb=probe and probe["peak_mb"])
            rows.append(row)
    ratio_rows = ratios(rows)
    result = {
        "quick": args.quick,
        "repeats": args.repeats,
        "settle_seconds": args.settle,
        "lucidnet_api": lucidnet_api(),
        "memory_method": "ru_maxrss growth in a fresh subprocess per scenario and contender, "
        "baseline after importing the contender's library; includes the data (data_mb)",
        "environment": (env := environment()),
        "scenarios": [s.key for s in selected],
        "contenders": contenders,
        "results": rows,
        "ratios": ratio_rows,
        "targets": targets(rows, ratio_rows, env),
    }
    print(format_table(result))
    write_json(result, args.json)
    print(f"\nwrote {args.json}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
