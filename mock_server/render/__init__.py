"""The render engine: a draft in, an H.264/AAC MP4 out.

``plan_render`` is a pure builder that lays the draft out and turns it into an ffmpeg filter
graph (built with ffmpeg-python) and argument list; ``run_render`` runs it with progress,
cancellation and a time limit. Encoder settings per quality are in :mod:`.quality`.
"""

from nemo_mock.mock_server.render.canvas import canvas_for
from nemo_mock.mock_server.render.errors import (
    MissingMedia,
    RenderCancelled,
    RenderError,
    RenderFailed,
)
from nemo_mock.mock_server.render.media import ResolvedMedia, Resolver
from nemo_mock.mock_server.render.plan import RenderPlan, plan_render
from nemo_mock.mock_server.render.quality import QUALITY_SETTINGS, Quality
from nemo_mock.mock_server.render.runner import run_render

__all__ = [
    "QUALITY_SETTINGS",
    "MissingMedia",
    "Quality",
    "RenderCancelled",
    "RenderError",
    "RenderFailed",
    "RenderPlan",
    "ResolvedMedia",
    "Resolver",
    "canvas_for",
    "plan_render",
    "run_render",
]
