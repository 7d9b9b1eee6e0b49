"""What Binder builds from this repository works: its plan, replayed, runs every chapter.

``repo2docker --no-build`` prints, offline and without Docker, the
Dockerfile that mybinder.org would build. This test reads from it the Python
version and the install steps, replays those steps in a fresh virtual
environment on a clean export of the repository (the files git tracks or
would track, nothing else), and runs every chapter there under strict nbval.

The replay drops ``--no-cache-dir`` so that pip may reuse its local cache;
everything else is run as the plan says. It takes a minute or two.
"""

import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from site_support import ROOT, clean_export, require

REPO2DOCKER = Path(sys.executable).with_name("repo2docker")
INSTALL_STEP = r"^RUN \$\{KERNEL_PYTHON_PREFIX\}/bin/(pip install .*)$"  # a pip step of the build plan


@pytest.fixture(scope="module")
def export(tmp_path_factory):
    require(REPO2DOCKER.exists(), "repo2docker is not installed (requirements-test.txt)")
    require(shutil.which("git") is not None and (ROOT / ".git").exists(), "needs a git checkout")
    return clean_export(tmp_path_factory.mktemp("binder") / "repo")


@pytest.fixture(scope="module")
def plan(export):
    result = subprocess.run([str(REPO2DOCKER), "--no-build", "--debug", str(export)],
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stdout + result.stderr


def test_binder_uses_python_3_11(plan):
    version = re.search(r"Building conda environment for python=(\d+\.\d+)", plan)
    assert version, "repo2docker did not say which Python it installs"
    assert version.group(1) == "3.11", "numpy 2.4 needs Python >= 3.11: runtime.txt must pin it"


def test_binder_plan_installs_the_pinned_requirements_and_the_package(plan):
    steps = re.findall(INSTALL_STEP, plan, re.M)
    assert steps == ['pip install --no-cache-dir -r "requirements.txt"', "pip install --no-cache-dir ."]


def test_binder_plan_replayed_runs_every_chapter(plan, export, tmp_path):
    version = re.search(r"Building conda environment for python=(\d+\.\d+)", plan).group(1)
    python = shutil.which(f"python{version}")
    require(python is not None, f"python{version} is needed to replay the Binder plan")
    environment = tmp_path / "env"
    subprocess.run([python, "-m", "venv", str(environment)], check=True)
    env_python = environment / "bin" / "python"
    env = {**os.environ, "PYTHONHASHSEED": "0", "PIP_DISABLE_PIP_VERSION_CHECK": "1"}
    env.pop("MPLBACKEND", None)
    env.pop("VIRTUAL_ENV", None)
    for step in re.findall(INSTALL_STEP, plan, re.M):
        words = [w for w in shlex.split(step) if w != "--no-cache-dir"]
        result = subprocess.run([str(env_python), "-m", *words, "--quiet"], cwd=export, env=env,
                                capture_output=True, text=True, timeout=1200)
        assert result.returncode == 0, f"{step} failed:\n{result.stdout[-1500:]}\n{result.stderr[-1500:]}"
    probe = subprocess.run([str(env_python), "-c", "import bpcourse, os; print(os.path.dirname(bpcourse.__file__))"],
                           cwd=tmp_path, env=env, capture_output=True, text=True)
    assert probe.returncode == 0, probe.stderr
    # the plan's last step, `pip install .`, turns the editable install into a regular one
    assert probe.stdout.strip().startswith((str(export), str(environment))), probe.stdout
    # a learner's environment has no test tools: this test brings its own, at the pinned versions
    tools = subprocess.run([str(env_python), "-m", "pip", "install", "--quiet", "-c", "constraints.txt", "pytest",
                            "nbval"], cwd=export, env=env, capture_output=True, text=True, timeout=1200)
    assert tools.returncode == 0, tools.stderr[-1500:]
    chapters = sorted(str(p.relative_to(export)) for p in (export / "book").glob("[0-9][0-9]_*.ipynb"))
    run = subprocess.run(
        [str(env_python), "-m", "pytest", "-q", "-p", "no:cacheprovider", "--nbval",
         "--nbval-sanitize-with", "tests/nbval_sanitize.cfg", *chapters],
        cwd=export, env=env, capture_output=True, text=True, timeout=1200,
    )
    assert run.returncode == 0, run.stdout[-3000:]
    assert re.search(r"\d+ passed", run.stdout)
