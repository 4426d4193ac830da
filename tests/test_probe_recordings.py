"""The recordings the snapshot tests replay are what the real probe says today: each fixture and sample project
probed again (a subprocess each) and compared with tests/snapshots/probe/. A stale recording fails here."""

from __future__ import annotations

import json

import pytest
import replay

pytestmark = pytest.mark.slow


@pytest.mark.parametrize("name", sorted(replay.projects()))
def test_recording_is_current(name):
    recorded = json.loads(replay.recording_path(name).read_text(encoding="utf-8"))
    assert replay.comparable(replay.probe(name)) == replay.comparable(recorded), (
        f"the probe now says otherwise: run `python tests/snapshots/refresh.py {name}`"
    )
