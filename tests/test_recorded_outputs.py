"""`ormfix check` and `ormfix suggest`, text and JSON, on every sample and fixture give the recorded bytes
(tests/recorded/outputs, made by `python tests/recorded/record.py`; a deliberate change re-records and names
itself in its commit)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

RECORDER = Path(__file__).resolve().parent / "recorded" / "record.py"


@pytest.mark.slow
def test_check_and_suggest_print_the_recorded_bytes():
    done = subprocess.run([sys.executable, str(RECORDER), "--check"], capture_output=True, text=True, timeout=2400)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]
    assert done.stdout.rstrip().endswith(", 0 differ"), done.stdout[-3000:]
