"""The speed benchmark must keep running: ``python -m benchmarks --quick`` end to end.

No timing is asserted (the machine is shared and noisy); the test checks that every
scenario ran for every installed contender, that the numbers are finite and
consistent with one another, and that the arguments are validated.
"""

from __future__ import annotations

import importlib.util
import json
import math
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SCENARIOS = {
    "1-float32",
    "1-float64",
    "2-b32",
    "2-b512",
    "2-b2048",
    "3-hours",
    "4-float64",
    "4-float32",
    "5-digits",
    "6-predict",
}


def _run(
    *args: str, timeout: float = 300, module: str = "benchmarks"
) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(ROOT / "src"), str(ROOT)]))
    return subprocess.run(
        [sys.executable, "-m", module, *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


@pytest.fixture(scope="module")
def quick(tmp_path_factory) -> dict:
    path = tmp_path_factory.mktemp("bench") / "quick.json"
    done = _run("--quick", "--json", str(path))
    assert done.returncode == 0, done.stderr
    assert "lucidnet time / other time" in done.stdout
    return json.loads(path.read_text())


def test_every_scenario_ran_for_every_contender(quick):
    expected = {"lucidnet", "scikit-learn", "matmul"}
    if importlib.util.find_spec("torch"):
        expected.add("pytorch")
    assert set(quick["contenders"]) == expected
    assert set(quick["scenarios"]) == SCENARIOS
    ran = {(row["scenario"], row["contender"]) for row in quick["results"]}
    assert ran == {(s, c) for s in SCENARIOS for c in expected}


def test_numbers_are_finite_and_consistent(quick):
    for row in quick["results"]:
        seconds = row["seconds_per_unit"]
        assert math.isfinite(seconds) and seconds > 0
        # The reported columns are derived from the same median, not measured apart.
        assert row["samples_per_second"] * seconds == pytest.approx(
            {"1": 2000, "2": 2000, "6": 2000, "3": 3, "4": 209, "5": 1797}[row["scenario"][0]]
        )
        if row["contender"] == "matmul":
            assert row["x_matmul"] == pytest.approx(1.0)


def test_gflop_count_matches_the_issue_rule(quick):
    # 784-256-128-10 training: forward 1 product per layer, backward 2 (1 for layer 1).
    per_example = 2 * (784 * 256 * 2 + 256 * 128 * 3 + 128 * 10 * 3)
    row = next(r for r in quick["results"] if r["scenario"] == "1-float32")
    assert row["gflops"] * 1e9 * row["seconds_per_unit"] == pytest.approx(per_example * 2000)


def test_ratios_and_memory_are_reported(quick):
    ratio = {(r["scenario"], r["versus"]): r["ratio"] for r in quick["ratios"]}
    by = {(r["scenario"], r["contender"]): r["seconds_per_unit"] for r in quick["results"]}
    assert ratio["3-hours", "scikit-learn"] == pytest.approx(
        by["3-hours", "lucidnet"] / by["3-hours", "scikit-learn"]
    )
    peaks = [r["peak_mb"] for r in quick["results"] if r["scenario"] == "1-float32"]
    assert len(peaks) == len(quick["contenders"])
    assert all(p is not None and p >= 0 for p in peaks)
    env = quick["environment"]
    assert env["blas"] and all(pool["num_threads"] >= 1 for pool in env["blas"])


def test_bad_arguments_are_rejected():
    done = _run("--scenarios", "7", timeout=60)
    assert done.returncode != 0
    assert "--scenarios must be numbers 1-6; got '7'" in done.stderr
    done = _run("--repeats", "0", timeout=60)
    assert "--repeats must be a positive int; got 0" in done.stderr
    done = _run("--settle", "-1", timeout=60)
    assert "--settle must be a number of seconds >= 0; got -1.0" in done.stderr


def test_the_pause_before_each_run_is_recorded(quick):
    assert quick["settle_seconds"] == 0.25


def test_kernel_benchmark_times_every_operation_both_ways():
    done = _run("--repeats", "1", module="benchmarks.kernels", timeout=120)
    assert done.returncode == 0, done.stderr
    rows = done.stdout.splitlines()[1:]
    assert len(rows) == 14  # 3 operations x 2 dtypes x 2 sizes, and a product per dtype
    for row in rows:
        plain_us, lucidnet_us = (float(value) for value in row.split()[-2:])
        assert math.isfinite(plain_us) and plain_us > 0
        assert math.isfinite(lucidnet_us) and lucidnet_us > 0


def test_route_benchmark_times_both_steps_for_every_sgd_rule():
    done = _run("--quick", "--batches", "32,512", module="benchmarks.routes", timeout=180)
    assert done.returncode == 0, done.stderr
    rows = [row.split() for row in done.stdout.splitlines()[1:]]
    assert [(r[0], r[1], r[2]) for r in rows] == [
        (dtype, batch, rule)
        for dtype in ("float32", "float64")
        for batch in ("32", "512")
        for rule in ("sgd", "momentum", "nesterov")
    ]
    for row in rows:
        fused, general, ratio = (float(value) for value in row[3:])
        assert fused > 0 and general > 0
        # The printed ratio is of the unrounded times: allow both roundings.
        assert ratio == pytest.approx(fused / general, abs=0.005 + 5e-5 * (1 + ratio) / general)


def test_route_benchmark_times_scenario_4_on_its_full_batch():
    done = _run("--quick", "--scenario", "4", "--optimizers", "sgd",
                module="benchmarks.routes", timeout=120)
    assert done.returncode == 0, done.stderr
    rows = [row.split() for row in done.stdout.splitlines()[1:]]
    assert [row[:3] for row in rows] == [["float32", "full", "sgd"], ["float64", "full", "sgd"]]
    assert all(float(value) > 0 for row in rows for value in row[3:])


@pytest.mark.parametrize("option, value", [("--batches", "0,32"), ("--batches", "a"),
                                           ("--hidden", "0"), ("--optimizers", "adam")])
def test_route_benchmark_names_a_bad_option(option, value):
    done = _run("--quick", option, value, module="benchmarks.routes", timeout=60)
    assert done.returncode == 2
    # The error line itself (argparse's usage line above it lists every option).
    assert f"{option} must" in done.stderr and repr(value) in done.stderr


def test_reading_benchmark_reads_with_every_reader():
    done = _run("--rows", "3000", "--repeats", "1", module="benchmarks.reading", timeout=180)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].startswith("3,000 rows x 33 columns")
    rows = [line.split() for line in lines[2:]]
    assert [row[0] for row in rows] == ["columns", "careful", "pandas"]
    for _, seconds, peak in rows:
        assert float(seconds) > 0 and float(peak) > 0
