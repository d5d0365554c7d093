"""What one running mock holds, reachable from every route through ``app.state``."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from mock_server.domain.backend import NemoBackend
from mock_server.media.ingest import UploadIngest
from mock_server.render.jobs import RenderService
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
