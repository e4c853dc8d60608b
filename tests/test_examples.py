"""Every script in examples/ runs, exits 0, and prints its key line.

The key lines are the scripts' own comparisons of the reference notation with the
general API ("same costs: True", ...), so these tests fail if the two disagree.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"

KEY_LINES = {
    "two_layer_classifier.py": ["same costs: True", "Accuracy: 0.9"],
    "l_layer_classifier.py": ["same costs: True", "Accuracy: 0.9"],
    "logistic_regression.py": ["same costs: True", "test accuracy: 9"],
    "two_layer_sigmoid.py": ["same costs: True", "Accuracy: 0.9"],
    "planar_shallow.py": ["same weights after 6000 iterations: True", "Accuracy: 90."],
    "demystified_regression.py": ["same costs: True", "fits y to 3 decimals: True"],
}


def test_every_example_is_covered():
    assert sorted(p.name for p in EXAMPLES.glob("*.py")) == sorted(KEY_LINES)


@pytest.mark.parametrize("script", sorted(KEY_LINES))
def test_example_runs(script):
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(
        [str(ROOT / "src"), *filter(None, [env.get("PYTHONPATH")])]
    )
    env["MPLBACKEND"] = "Agg"
    done = subprocess.run(
        [sys.executable, str(EXAMPLES / script)],
        capture_output=True, text=True, env=env, cwd=ROOT, timeout=300,
    )
    assert done.returncode == 0, done.stderr
    for line in KEY_LINES[script]:
        assert line in done.stdout, done.stdout[-2000:]
