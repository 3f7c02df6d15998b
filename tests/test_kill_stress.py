"""The kill stress script, short: a few SIGKILLs of a small crawl (the full run: 20 kills, 1,000 articles)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "kill_stress.py"


@pytest.mark.crawl  # the script crawls in subprocesses of its own
def test_kill_stress_short():
    result = subprocess.run([sys.executable, str(SCRIPT), "--kills", "3", "--articles", "20", "--seed", "7"],
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "PASS: 3/3 kills survived, final archive equals the reference" in result.stdout
