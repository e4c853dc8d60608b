"""Timing, memory and environment measurements of the benchmark.

Timing. Per scenario, every contender is built and warmed up once, then the contenders
take turns over ``repeats`` rounds, in this one process, so slow drifts of a shared
machine hit all of them alike. Each round starts one contender later (``ABCD BCDA CDAB
...``), so that no contender always follows the same neighbour. Each turn is
``reset()`` (untimed), a pause (:data:`SETTLE_SECONDS` unless told otherwise), then
``run()`` timed with ``time.perf_counter``; the reported time is the median over the
rounds divided by the scenario's units. The pause is there because the contenders use
three different thread pools (NumPy's OpenBLAS, SciPy's OpenBLAS, PyTorch's OpenMP),
and an OpenBLAS worker keeps spinning for about 0.1 s after its last call (2**28 CPU
cycles): without the pause, a contender on another pool than its predecessor's shares
the two cores with those spinning threads for the start of its run, and one on the
same pool does not.

Memory.  ``tracemalloc`` does not see BLAS or PyTorch buffers, so peak memory is
measured from the operating system in a fresh subprocess per contender and scenario
(``python -m benchmarks.run KEY CONTENDER``).  After the contender's library is
imported, Linux's peak-RSS mark is reset (``/proc/self/clear_refs``) and the
resident size taken as the baseline; the peak is the mark (``VmHWM``) after data
generation, set-up and one run, minus that baseline.  It therefore includes the data
itself (``data_mb``).  Without ``/proc`` the growth of ``resource.getrusage``'s
``ru_maxrss`` is used instead, which misses nothing but can hide under an earlier
import-time peak.
"""

from __future__ import annotations

import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

from .peers import CONTENDERS
from .scenarios import Scenario, initial_weights, make_data, matmul_flops, scenarios

__all__ = ["time_scenario", "peak_memory", "environment"]

ROOT = Path(__file__).resolve().parent.parent
#: Idle time before each timed run: longer than an OpenBLAS worker's spin (see above).
SETTLE_SECONDS = 0.25


def time_scenario(
    s: Scenario, contenders: list[str], repeats: int, settle: float = SETTLE_SECONDS
) -> dict[str, list[float]]:
    """Seconds per unit of every repeat, per contender, measured alternately, each run
    after ``settle`` seconds of idle."""
    data, init = make_data(s), initial_weights(s)
    built = {name: CONTENDERS[name](s, data, init) for name in contenders}
    for contender in built.values():  # warm-up: first-call costs, caches, thread pools
        contender.reset()
        contender.run()
    times: dict[str, list[float]] = {name: [] for name in built}
    names = list(built)
    for round_ in range(repeats):
        shift = round_ % len(names)
        for name in names[shift:] + names[:shift]:
            contender = built[name]
            contender.reset()
            time.sleep(settle)
            start = time.perf_counter()
            contender.run()
            times[name].append((time.perf_counter() - start) / s.units)
    return times


def summarize(s: Scenario, times: dict[str, list[float]], apis: dict[str, str]) -> list[dict]:
    """One result row per contender: median time, throughput, GFLOP/s, ratio to matmul."""
    flops = matmul_flops(s)
    floor = statistics.median(times["matmul"]) if "matmul" in times else None
    rows = []
    for name, values in times.items():
        seconds = statistics.median(values)
        rows.append(
            {
                "scenario": s.key,
                "contender": name,
                "api": apis.get(name, ""),
                "unit": s.unit,
                "seconds_per_unit": seconds,
                "min_seconds_per_unit": min(values),
                "repeats": values,
                "samples_per_second": s.m / seconds,
                "gflops": flops / seconds / 1e9,
                "x_matmul": seconds / floor if floor else None,
                "percent_matmul": 100.0 * floor / seconds if floor else None,
            }
        )
    return rows


def peak_memory(key: str, contender: str, quick: bool, timeout: float = 600.0) -> dict | None:
    """Peak RSS growth of one contender on one scenario, measured in a fresh subprocess."""
    command = [sys.executable, "-m", "benchmarks.run", key, contender]
    if quick:
        command.append("--quick")
    env = dict(
        os.environ,
        PYTHONPATH=os.pathsep.join(
            filter(None, [str(ROOT / "src"), str(ROOT), os.environ.get("PYTHONPATH")])
        ),
    )
    try:
        done = subprocess.run(
            command, capture_output=True, text=True, timeout=timeout, cwd=ROOT, env=env, check=True
        )
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired) as exc:
        print(f"memory probe {key}/{contender} failed: {exc}", file=sys.stderr)
        return None
    return json.loads(done.stdout.strip().splitlines()[-1])


def _status_mb(field: str) -> float | None:
    """A ``/proc/self/status`` memory field (``VmRSS``, ``VmHWM``) in MB, None off Linux."""
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith(field + ":"):
                    return int(line.split()[1]) / 1024.0
    except OSError:
        pass
    return None


def _reset_peak() -> float:
    """Reset the peak-RSS mark where the kernel allows it; return the baseline in MB."""
    try:
        with open("/proc/self/clear_refs", "w") as clear:
            clear.write("5")
    except OSError:
        return _maxrss_mb()
    return _status_mb("VmRSS") or _maxrss_mb()


def _peak() -> float:
    return _status_mb("VmHWM") or _maxrss_mb()


def _maxrss_mb() -> float:
    # Linux reports kilobytes (macOS bytes; the benchmark targets Linux).
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def _probe(key: str, contender: str, quick: bool) -> dict:
    """Body of the memory subprocess: baseline after imports, peak after one run."""
    import importlib

    cls = CONTENDERS[contender]
    importlib.import_module(cls.library)
    import lucidnet  # noqa: F401  (initial weights come from it for every contender)

    s = next(s for s in scenarios(quick) if s.key == key)
    if s.data == "digits":
        # The data's loader (scikit-learn's) is no contender's cost: ~150 MB of
        # modules counted against lucidnet and PyTorch, not against scikit-learn.
        importlib.import_module("sklearn.datasets")
    baseline = _reset_peak()
    data = make_data(s)
    runner = cls(s, data, initial_weights(s))
    runner.reset()
    runner.run()
    return {
        "baseline_mb": baseline,
        "peak_mb": _peak() - baseline,
        "data_mb": data.nbytes / 2**20,
    }


def cpu_model() -> str | None:
    """The processor's model name (Linux's /proc/cpuinfo; else what the platform says,
    or None): the ratios between contenders differ from one processor to another."""
    try:
        with open("/proc/cpuinfo", encoding="utf-8", errors="replace") as stream:
            for line in stream:
                key, _, value = line.partition(":")
                if key.strip() == "model name":
                    return " ".join(value.split())
    except OSError:
        pass
    return platform.processor() or None


def environment() -> dict:
    """Versions, thread counts, BLAS builds and the OpenBLAS variables that slow it down."""
    import numpy as np
    from threadpoolctl import threadpool_info

    info = {
        "python": platform.python_version(),
        "machine": platform.machine(),
        "cpu_count": os.cpu_count(),
        "cpu": cpu_model(),
        "numpy": np.__version__,
        "openblas_env": {k: v for k, v in os.environ.items() if k.startswith("OPENBLAS")},
        "blas": [
            {
                # No file paths: the results are shared with people on other machines.
                k: pool.get(k)
                for k in ("internal_api", "num_threads", "version", "architecture")
            }
            for pool in threadpool_info()
            if pool["user_api"] == "blas"
        ],
    }
    import sklearn

    info["sklearn"] = sklearn.__version__
    try:
        import torch
    except ImportError:
        info["torch"] = None
    else:
        info["torch"] = torch.__version__
        info["torch_threads"] = torch.get_num_threads()
    info["import_lucidnet_s"] = _import_time()
    info["cli_help_s"] = _help_time()
    info["startup_runs"] = STARTUP_RUNS
    return info


#: Fresh interpreters per start-up figure; the median is reported.
STARTUP_RUNS = 3


def _import_time() -> float | None:
    """Seconds to ``import lucidnet`` in a fresh interpreter (startup excluded), the
    median of :data:`STARTUP_RUNS`."""
    code = "import time; t = time.perf_counter(); import lucidnet; print(time.perf_counter() - t)"
    times = []
    for _ in range(STARTUP_RUNS):
        done = _fresh_interpreter(["-c", code])
        if done is None:
            return None
        times.append(float(done.stdout.strip()))
    return statistics.median(times)


def _help_time() -> float | None:
    """Wall seconds of ``lucidnet --help`` (as ``python -m lucidnet --help``), the
    interpreter's start included, as a user waits for it: the median of
    :data:`STARTUP_RUNS`."""
    times = []
    for _ in range(STARTUP_RUNS):
        start = time.perf_counter()
        if _fresh_interpreter(["-m", "lucidnet", "--help"]) is None:
            return None
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def _fresh_interpreter(arguments: list[str]) -> subprocess.CompletedProcess | None:
    """Run this Python with ``arguments`` and the repository's ``src`` on its path;
    None if it fails."""
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"))
    try:
        return subprocess.run([sys.executable, *arguments], capture_output=True, text=True,
                              env=env, check=True, timeout=60)
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired):
        return None


if __name__ == "__main__":
    args = sys.argv[1:]
    print(json.dumps(_probe(args[0], args[1], "--quick" in args)))
