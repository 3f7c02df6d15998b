"""The kill stress script, short: a few SIGKILLs in each phase on a small replica (the full run:
1,000 articles, 20 kills of crawl and 8 of refresh, reparse, warc and a migration)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "kill_stress.py"


@pytest.mark.crawl  # the script crawls in subprocesses of its own
def test_kill_stress_short():
    result = subprocess.run([sys.executable, str(SCRIPT), "--kills", "3", "--articles", "20", "--migration-captures", "2000",
                             "--seed", "7"], capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr
    assert re.search(r"^PASS: 15/15 kills survived \(crawl 3, refresh 3, reparse 3, warc 3, migration 3\) in \d+ s; "
                     r"every final run equals its uninterrupted run$", result.stdout, re.MULTILINE), result.stdout
    # Each phase killed its own command and compared the last run with the uninterrupted one.
    for finished in ("equal the uninterrupted crawl's", "equal the uninterrupted refresh's", "equal the uninterrupted reparse's",
                     "records, equal to the uninterrupted run's"):
        assert finished in result.stdout
    assert len(re.findall(r"into the upgrade by \w+ +(mid-upgrade|after commit).*next run: same output, same archive",
                          result.stdout)) == 3


def test_kill_stress_refuses_an_unknown_phase():
    result = subprocess.run([sys.executable, str(SCRIPT), "--phases", "crawl,backup"], capture_output=True, text=True)
    assert result.returncode == 2
    assert "unknown phases backup" in result.stderr
