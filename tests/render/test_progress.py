"""Progress parsing and the trimmed failure reason."""

from __future__ import annotations

from nemo_mock.mock_server.render.progress import PROGRESS_CAP, ProgressTracker, trim_reason


def test_progress_is_a_monotonic_fraction_capped_below_one():
    tracker = ProgressTracker(duration_ms=2000)
    lines = [
        "frame=0",
        "out_time_us=N/A",
        "out_time_us=500000",
        "out_time_ms=400000",  # a stale value never moves progress back
        "out_time_ms=1000000",
        "out_time_us=2500000",
        "progress=end",
    ]
    assert [tracker.feed(line) for line in lines] == [
        None,
        None,
        0.25,
        None,
        0.5,
        PROGRESS_CAP,
        None,
    ]


def test_reason_keeps_the_last_meaningful_lines_within_600_chars():
    lines = ["", "noise"] + [f"line {i}" for i in range(30)] + ["same", "same", "  "]
    reason = trim_reason(lines)
    assert reason.splitlines() == [f"line {i}" for i in range(21, 30)] + ["same"]
    assert len(trim_reason(["x" * 2000])) == 600
    assert trim_reason([]) == "ffmpeg failed without an error message"


def test_reason_drops_ffmpegs_memory_addresses():
    line = "[in#0 @ 0x55e6309e9480] Error opening input: Invalid data found when processing input"
    assert (
        trim_reason([line])
        == "[in#0] Error opening input: Invalid data found when processing input"
    )
