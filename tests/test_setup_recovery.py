"""`make setup` (under `make run` and `make test`) mends an interrupted install by itself."""

import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.skipif(shutil.which("make") is None, reason="needs make")


def make_setup(folder):
    return subprocess.run(
        ["make", "setup", f"PYTHON={sys.executable}"], cwd=folder, capture_output=True, text=True
    )


def test_an_interrupted_install_is_mended_by_running_it_again(tmp_path):
    shutil.copy(ROOT / "Makefile", tmp_path)
    # One small package stands in for the project's requirements.
    (tmp_path / "requirements.txt").write_text("anyascii==0.3.3\n")

    # Stopped (Ctrl-C) while the virtualenv is being built ...
    process = subprocess.Popen(
        ["make", "setup", f"PYTHON={sys.executable}"], cwd=tmp_path,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )  # fmt: skip
    python = tmp_path / ".venv" / "bin" / "python"
    deadline = time.monotonic() + 60
    while not python.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    process.send_signal(signal.SIGINT)
    process.wait(timeout=60)
    # ... and left as broken as a half-finished pip leaves it.
    for pip in (tmp_path / ".venv" / "lib").glob("python*/site-packages/pip"):
        shutil.rmtree(pip)
    assert not (tmp_path / ".venv" / ".complete").exists()

    result = make_setup(tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    check = subprocess.run([python, "-c", "import anyascii, pip"], capture_output=True)
    assert check.returncode == 0
    # Once complete, a second run builds nothing.
    assert "venv" not in make_setup(tmp_path).stdout
