"""The benchmark's table and JSON: results, ratios and the issue's targets side by side.

Ratios are lucidnet's time divided by the other contender's (below 1 means lucidnet
is faster).  Each target of issue 5 is printed with the measured ratio and whether
it is met, so a run shows where lucidnet loses as plainly as where it wins.
"""

from __future__ import annotations

import json
from pathlib import Path

__all__ = ["TARGETS", "ratios", "targets", "format_table", "write_json"]

#: (scenario key, other contender, largest allowed lucidnet/other time ratio).
TARGETS: list[tuple[str, str, float]] = [
    *(
        (f"1-{d}", other, limit)
        for d in ("float32", "float64")
        for other, limit in (("scikit-learn", 0.5), ("pytorch", 0.85), ("matmul", 1.4))
    ),
    ("1-float32", "pytorch", 1.0),  # scenario 2 asks "faster than PyTorch" at batch 128 too
    ("2-b32", "pytorch", 1.0),
    ("2-b512", "pytorch", 1.1),
    ("2-b2048", "pytorch", 1.1),
    ("3-hours", "scikit-learn", 0.5),
    ("3-hours", "pytorch", 0.2),
    ("4-float32", "pytorch", 1.0),
    ("4-float64", "pytorch", 1.3),
]

#: Peak memory of lucidnet in scenario 1: at most the data plus this many MB.
MEMORY_ALLOWANCE_MB = 60.0
#: Start-up targets: (environment key, what is timed, seconds at most).
STARTUP_TARGETS = [("import_lucidnet_s", "import lucidnet", 0.15),
                   ("cli_help_s", "lucidnet --help", 0.4)]


def ratios(rows: list[dict]) -> list[dict]:
    """lucidnet's seconds per unit over each other contender's, per scenario."""
    by_key: dict[str, dict[str, dict]] = {}
    for row in rows:
        by_key.setdefault(row["scenario"], {})[row["contender"]] = row
    out = []
    for key, contenders in by_key.items():
        ours = contenders.get("lucidnet")
        for name, row in contenders.items():
            if ours is not None and name != "lucidnet":
                ratio = ours["seconds_per_unit"] / row["seconds_per_unit"]
                out.append({"scenario": key, "versus": name, "ratio": ratio})
    return out


def targets(rows: list[dict], ratio_rows: list[dict], env: dict | None = None) -> list[dict]:
    """The issue's targets that this run can judge, each with the measured value (the
    start-up times' from ``env``, :func:`benchmarks.run.environment`'s)."""
    measured = {(r["scenario"], r["versus"]): r["ratio"] for r in ratio_rows}
    out = [
        {
            "target": f"{key}: lucidnet/{other} <= {limit}",
            "measured": measured[key, other],
            "met": measured[key, other] <= limit,
        }
        for key, other, limit in TARGETS
        if (key, other) in measured
    ]
    for row in rows:
        if (
            row["scenario"].startswith("1-")
            and row["contender"] == "lucidnet"
            and row.get("peak_mb")
        ):
            limit = row["data_mb"] + MEMORY_ALLOWANCE_MB
            out.append(
                {
                    "target": f"{row['scenario']}: lucidnet peak MB <= data + 60 = {limit:.0f}",
                    "measured": row["peak_mb"],
                    "met": row["peak_mb"] <= limit,
                }
            )
    for key, what, limit in STARTUP_TARGETS:
        seconds = (env or {}).get(key)
        if seconds is not None:
            out.append({"target": f"{what} <= {limit} s", "measured": seconds,
                        "met": seconds <= limit})
    return out


def _fmt(value, spec: str) -> str:
    return "-" if value is None else format(value, spec)


def format_table(result: dict) -> str:
    """The whole result as plain text: environment, per-contender rows, ratios, targets."""
    env = result["environment"]
    blas = ", ".join(f"{b['internal_api']} {b['version']} x{b['num_threads']}" for b in env["blas"])
    lines = [
        f"lucidnet benchmark ({'quick' if result['quick'] else 'full'}, "
        f"{result['repeats']} repeats, {result.get('settle_seconds', 0):g} s idle before each; "
        f"lucidnet via {result['lucidnet_api']})",
        f"numpy {env['numpy']} [{blas}]  scikit-learn {env['sklearn']}  "
        + (f"torch {env['torch']} x{env.get('torch_threads', '-')}  " if env.get("torch")
           else "torch not installed (its columns are empty)  ")
        + f"cpus {env['cpu_count']}"
        + (f" ({env['cpu']})  " if env.get("cpu") else "  ")
        + f"OPENBLAS_* {env['openblas_env'] or 'unset'}",
        f"import lucidnet: {_fmt(env.get('import_lucidnet_s'), '.3f')} s  "
        f"lucidnet --help: {_fmt(env.get('cli_help_s'), '.3f')} s "
        f"(medians of {env.get('startup_runs', 1)} fresh interpreters)",
        "",
    ]
    header = (
        "scenario",
        "contender",
        "s/unit",
        "min s/unit",
        "unit",
        "samples/s",
        "GFLOP/s",
        "x matmul",
        "peak MB",
    )
    table = [header]
    for row in result["results"]:
        table.append(
            (
                row["scenario"],
                row["contender"],
                _fmt(row["seconds_per_unit"], ".4g"),
                _fmt(row.get("min_seconds_per_unit"), ".4g"),
                row["unit"],
                _fmt(row["samples_per_second"], ",.0f"),
                _fmt(row["gflops"], ".1f"),
                _fmt(row["x_matmul"], ".2f"),
                _fmt(row.get("peak_mb"), ".0f"),
            )
        )
    widths = [max(len(r[i]) for r in table) for i in range(len(header))]
    lines += [
        "  ".join(
            c.rjust(w) if i >= 2 else c.ljust(w)
            for i, (c, w) in enumerate(zip(r, widths, strict=True))
        )
        for r in table
    ]
    lines += ["", "lucidnet time / other time (below 1: lucidnet faster)"]
    lines += [
        f"  {r['scenario']:<10} vs {r['versus']:<13} {r['ratio']:.2f}" for r in result["ratios"]
    ]
    if result["targets"]:
        if result["quick"]:
            # Tiny data and one repeat: the ratios are noise, not a verdict.
            lines += ["", "speed targets (not judged in a --quick run: run without --quick)"]
        else:
            lines += ["", "speed targets (the project's goals, see the README)"]
        lines += [
            f"  [{'----' if result['quick'] else 'met ' if t['met'] else 'MISS'}] "
            f"{t['target']}  (measured {t['measured']:.2f})"
            for t in result["targets"]
        ]
    return "\n".join(lines)


def write_json(result: dict, path: Path) -> None:
    """Write ``result`` to ``path`` (parent directories created)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(result, indent=2) + "\n")
