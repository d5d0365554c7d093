"""A billed MCP generation (``generate_video`` / ``generate_audio``) as the store keeps it.

The work (synthesis, idempotency, billing) is ``nemo_mock.mock_server.surfaces.mcp.generations``;
this record lives in the store's MCP tables, so it is kept and restored with the rest.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from nemo_mock.mock_server.domain.changes import Watched
from nemo_mock.mock_server.domain.credits import Hold

Status = Literal["pending", "running", "completed", "failed"]


@dataclass
class Generation(Watched):
    generation_id: str
    user_id: str
    kind: Literal["video", "audio"]
    subtype: str  # clip | music | sfx | speech
    prompt: str
    seconds: float
    idempotency_key: str
    fingerprint: str
    cost: int
    seed: int
    width: int = 0
    height: int = 0
    project_id: str | None = None
    hold: Hold | None = None
    status: Status = "pending"
    progress: float = 0.0
    path: str | None = None
    error: str | None = None

    def to_json(self) -> dict[str, Any]:
        done = self.status == "completed"
        mime = "video/mp4" if self.kind == "video" else "audio/mp4"
        return {
            "generation_id": self.generation_id,
            "kind": self.kind,
            "status": self.status,
            "progress": round(self.progress, 3),
            "idempotency_key": self.idempotency_key,
            "cost": self.cost,
            "url": f"asset://{self.generation_id}" if done else None,
            "mime_type": mime if done else None,
            "duration_ms": int(self.seconds * 1000) if done else None,
            "project_id": self.project_id,
            "error": self.error,
        }

    def media_entry(self) -> dict[str, Any]:
        return {
            "id": self.generation_id,
            "kind": "clip" if self.kind == "video" else "voiceover",
            "prompt": self.prompt,
            "seconds": self.seconds,
            "width": self.width,
            "height": self.height,
            "seed": self.seed,
            "src": self.generation_id,
            "path": self.path,
        }
