"""Reading a large CSV file: lucidnet's readers against pandas, time and peak memory.

``PYTHONPATH=src python -m benchmarks.reading [--rows 1500000] [--repeats 3]``

Writes a generated table (``--rows`` rows of 30 numbers with 5 decimals, two text
category columns, 1% blank cells in three numeric columns, a yes/no label; about 260
bytes a row) to a temporary directory, then reads it, each in a fresh interpreter so
that its peak memory (``ru_maxrss``) is its own, in turn over ``--repeats`` rounds:

* ``columns``: ``lucidnet.data.read_table(path, "label", categories="auto",
  missing="nan")`` as ``lucidnet train --impute`` reads it, pyarrow installed: the
  column-wise reader;
* ``careful``: the same call with ``pyarrow.compute`` made unimportable: the
  row-by-row reader (what a file with quotes, or any file without pyarrow, takes);
* ``pandas``: ``pandas.read_csv(path)``, for scale (it makes no float64 matrix, does
  no one-hot coding and checks nothing).

Prints the median seconds and the largest peak memory of each.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

READERS = {
    "columns": (
        "from lucidnet.data import read_table\n"
        "read_table(PATH, 'label', categories='auto', missing='nan')\n"
    ),
    "careful": (
        "import sys\nsys.modules['pyarrow.compute'] = None\n"
        "from lucidnet.data import read_table\n"
        "read_table(PATH, 'label', categories='auto', missing='nan')\n"
    ),
    "pandas": "import pandas\npandas.read_csv(PATH)\n",
}

#: Run in the child: the reader's seconds and the process's peak resident memory (KiB).
_TIMED = (
    "import resource, time\n"
    "start = time.perf_counter()\n"
    "{body}"
    "print(time.perf_counter() - start, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)\n"
)


def write_table(path: Path, rows: int, seed: int = 0) -> None:
    """The generated table described in the module text."""
    import numpy as np

    rng = np.random.default_rng(seed)
    names = [f"x{j}" for j in range(5)] + ["color"] + [f"x{j}" for j in range(5, 30)]
    with path.open("w") as out:
        out.write(",".join([*names, "grp", "label"]) + "\n")
        for start in range(0, rows, 100_000):
            n = min(100_000, rows - start)
            X = rng.standard_normal((n, 30)).round(5)
            cells = X.astype(str)
            for j in (3, 11, 20):  # 1% blanks
                cells[rng.random(n) < 0.01, j] = ""
            color = rng.choice(["red", "green", "blue", "yellow"], n)
            group = rng.choice([f"c{k}" for k in range(12)], n)
            label = np.where(X[:, 0] + X[:, 1] > 0, "yes", "no")
            for i in range(n):
                row = cells[i].tolist()
                out.write(",".join([*row[:5], color[i], *row[5:], group[i], label[i]]) + "\n")


def time_reader(name: str, path: Path) -> tuple[float, float]:
    """(seconds, peak MB) of one read in a fresh interpreter."""
    body = READERS[name].replace("PATH", repr(str(path)))
    done = subprocess.run([sys.executable, "-c", _TIMED.format(body=body)],
                          capture_output=True, text=True, check=True)
    seconds, peak_kib = done.stdout.split()
    return float(seconds), float(peak_kib) / 1024


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_500_000)
    parser.add_argument("--repeats", type=int, default=3)
    options = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "table.csv"
        write_table(path, options.rows)
        size = path.stat().st_size / 1e6
        print(f"{options.rows:,} rows x 33 columns (30 numbers, 2 text, 1 label), "
              f"{size:.0f} MB; {options.repeats} rounds, a fresh interpreter each read")
        times: dict[str, list[float]] = {name: [] for name in READERS}
        peaks: dict[str, list[float]] = {name: [] for name in READERS}
        for _ in range(options.repeats):
            for name in READERS:
                seconds, peak = time_reader(name, path)
                times[name].append(seconds)
                peaks[name].append(peak)
        print(f"{'reader':<10}{'median s':>10}{'peak MB':>10}")
        for name in READERS:
            print(f"{name:<10}{statistics.median(times[name]):>10.2f}"
                  f"{max(peaks[name]):>10.0f}")


if __name__ == "__main__":
    main()
