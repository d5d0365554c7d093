"""What one running mock holds, reachable from every route through ``app.state``."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from mock_server.domain.backend import NemoBackend
from mock_server.faults.rules import FaultBook
from mock_server.journal.book import Journal
from mock_server.media.ingest import UploadIngest
from mock_server.render.jobs import RenderService
from mock_server.scenarios.library import ScenarioLibrary
from mock_server.settings import Settings
from mock_server.sse.turns import TurnRunner


@dataclass
class MockContext:
    settings: Settings
    backend: NemoBackend
    uploads: UploadIngest
    renders: RenderService
    turns: TurnRunner
    data_dir: Path
    started_at: datetime
    journal: Journal
    faults: FaultBook
    scenarios: ScenarioLibrary
    loaded_scenarios: list[str] = field(default_factory=list)
