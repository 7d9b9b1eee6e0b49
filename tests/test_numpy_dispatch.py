"""The limited-dispatch run of `make test` asks NumPy only for what NumPy accepts.

`make test` runs the chapters a second time with
``NPY_DISABLE_CPU_FEATURES`` set to what ``scripts/numpy_dispatch.py``
prints. These tests check that NumPy starts under that setting without an
error or a warning, that it then really uses no dispatched feature, and why
the list is read from NumPy instead of written down: NumPy refuses a
baseline feature and warns about a name it does not dispatch.
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[1] / "scripts" / "numpy_dispatch.py"
PROBE = ("from numpy._core._multiarray_umath import __cpu_dispatch__, __cpu_features__, __cpu_baseline__; "
         "print(','.join(f for f in __cpu_dispatch__ if __cpu_features__.get(f))); print(','.join(__cpu_baseline__))")


def run_python(arguments, disabled=None):
    env = {k: v for k, v in os.environ.items() if k != "NPY_DISABLE_CPU_FEATURES"}
    if disabled is not None:
        env["NPY_DISABLE_CPU_FEATURES"] = disabled
    return subprocess.run([sys.executable, "-W", "error", *arguments], capture_output=True, text=True, env=env,
                          timeout=120)


def test_the_script_names_dispatched_features_this_processor_has():
    script = run_python([str(SCRIPT)])
    assert script.returncode == 0, script.stderr
    probe = run_python(["-c", PROBE])
    present, _ = probe.stdout.splitlines()
    assert script.stdout.strip() == present


def test_numpy_starts_quietly_with_them_disabled_and_uses_none_of_them():
    features = run_python([str(SCRIPT)]).stdout.strip()
    if not features:
        pytest.skip("NumPy dispatches no SIMD feature on this processor; the second run is skipped")
    limited = run_python(["-c", PROBE], disabled=features)
    assert limited.returncode == 0 and limited.stderr == "", limited.stderr  # no error, no warning
    still_present, _ = limited.stdout.splitlines()
    assert still_present == ""


def test_numpy_refuses_a_baseline_feature_and_warns_about_an_unknown_one():
    _, baseline = run_python(["-c", PROBE]).stdout.splitlines()
    if baseline:
        refused = run_python(["-c", "import numpy"], disabled=baseline.split(",")[0])
        assert refused.returncode != 0 and "baseline" in refused.stderr
    unknown = run_python(["-c", "import numpy"], disabled="NOT_A_FEATURE")
    assert unknown.returncode != 0 and "ImportWarning" in unknown.stderr
