"""What the client achieved under a scenario, against what the scenario expects.

* ``success``: exit status 0 and a valid MP4 at the output path (an H.264 video
  stream, the task's duration within 10 % and its aspect ratio within 2 % when the task
  names them);
* ``refusal``: a non-zero exit, no MP4, and the mock really answered one of the
  scenario's refusal codes (an MCP tool error's ``status`` counts: MCP refusals arrive as
  HTTP 200);
* ``gives_up``: a non-zero exit and no MP4, within the time budget.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from nemo_mock.contracts.rules.journal import error_of
from nemo_mock.mock_server.journal.entry import JournalEntry
from nemo_mock.mock_server.scenarios.model import Scenario

DURATION_TOLERANCE = 0.1
SHAPE_TOLERANCE = 0.02


@dataclass(frozen=True)
class ClientRun:
    exit_code: int | None  # None: killed at the time-out
    output: Path
    seconds: float


@dataclass(frozen=True)
class OutcomeVerdict:
    ok: bool
    message: str


@dataclass(frozen=True)
class Mp4Facts:
    """What a playable MP4 holds: its video codec and its duration in seconds."""

    codec: str
    duration: float


def judge_outcome(
    scenario: Scenario, run: ClientRun, entries: list[JournalEntry]
) -> OutcomeVerdict:
    expected = scenario.expect.outcome
    if run.exit_code is None:
        return OutcomeVerdict(False, f"the client was still running after {run.seconds:.0f} s")
    if expected == "success":
        return _success(scenario, run)
    if run.exit_code == 0 or _mp4(run.output) is not None:
        return OutcomeVerdict(False, f"expected {expected}, but the client reported success")
    if expected == "refusal":
        codes = set(scenario.expect.refusal_codes)
        seen = sorted({code for e in entries if (code := _error_code(e)) in codes})
        if not seen:
            return OutcomeVerdict(False, f"the mock never answered {sorted(codes)}")
        return OutcomeVerdict(True, f"stopped on {seen[0]} (exit {run.exit_code})")
    return OutcomeVerdict(True, f"gave up (exit {run.exit_code}) after {run.seconds:.0f} s")


def _success(scenario: Scenario, run: ClientRun) -> OutcomeVerdict:
    if run.exit_code != 0:
        return OutcomeVerdict(False, f"expected an MP4, the client exited {run.exit_code}")
    probed = _mp4(run.output)
    if probed is None:
        return OutcomeVerdict(False, f"exit 0, but {run.output.name} is missing or not an MP4")
    codec, duration = probed
    if codec != "h264":
        return OutcomeVerdict(False, f"the video stream is {codec}, not h264")
    wanted = scenario.task.duration
    if wanted is not None and abs(duration - wanted) > wanted * DURATION_TOLERANCE:
        return OutcomeVerdict(False, f"the MP4 lasts {duration:.2f} s, expected {wanted:.2f} s")
    shape = _shape_problem(run.output, scenario.task.aspect_ratio)
    if shape:
        return OutcomeVerdict(False, shape)
    return OutcomeVerdict(True, f"an H.264 MP4 of {duration:.2f} s")


def _shape_problem(path: Path, ratio: str | None) -> str:
    """Why the video is not of the asked ``W:H`` shape (within 2 %), or ``""``."""
    if ratio is None:
        return ""
    import av

    wide, high = (int(part) for part in ratio.split(":"))
    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        width, height = stream.codec_context.width, stream.codec_context.height
    if abs(width / height - wide / high) > SHAPE_TOLERANCE * wide / high:
        return f"the MP4 is {width}x{height}, not of the asked shape {ratio}"
    return ""


def probe_mp4(path: Path) -> Mp4Facts | None:
    """The video codec and duration of the playable MP4 at ``path``, or ``None`` (missing,
    empty, not a video)."""
    probed = _mp4(path)
    return Mp4Facts(*probed) if probed is not None else None


def _mp4(path: Path) -> tuple[str, float] | None:
    """(video codec, duration) of a playable MP4, or None."""
    if not path.is_file() or path.stat().st_size == 0:
        return None
    import av

    try:
        with av.open(str(path)) as container:
            video = next((s for s in container.streams if s.type == "video"), None)
            if video is None or container.duration is None:
                return None
            return str(video.codec_context.name), container.duration / 1_000_000
    except (av.error.FFmpegError, OSError):
        return None


def _error_code(entry: JournalEntry) -> int | None:
    """The envelope code, the HTTP error, or an MCP tool error's status (HTTP 200)."""
    return error_of(entry)
