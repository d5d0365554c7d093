"""Is a probed video or audio file whole? Its headers can be fine while its data is cut.

A truncated MP4 whose ``moov`` box comes first opens and probes like a good one; only
reading its packets shows they stop early. ``check_intact`` demuxes every packet (no
decoding, so it costs one read of the file) and decodes the first video frame: a stream
with fewer packets than its header promises, a packet flagged corrupt or a first frame
that does not decode is refused with a sentence saying which.
"""

from __future__ import annotations

from pathlib import Path

import av
from av.container import InputContainer

from nemo_mock.mock_server.media.probe import MediaKind, ProbeError


def check_intact(path: Path, kind: MediaKind) -> None:
    """Raise :class:`ProbeError` when the video or audio at ``path`` is cut or damaged."""
    if kind == "image":
        return  # an image's probe already decoded its one frame
    try:
        with av.open(str(path), metadata_errors="ignore") as container:
            _all_packets(container)
        if kind == "video":
            with av.open(str(path), metadata_errors="ignore") as container:
                _first_frame(container)
    except av.FFmpegError as exc:
        raise ProbeError(f"the file is damaged: {_reason(exc)}") from exc


def _all_packets(container: InputContainer) -> None:
    streams = [s for s in container.streams if s.type in ("video", "audio")]
    counts = {s.index: 0 for s in streams}
    for packet in container.demux(*streams):
        if packet.size == 0:
            continue  # the flush packet at the end
        if packet.is_corrupt:
            raise ProbeError(
                f"the file is damaged: one of its {packet.stream.type} packets is corrupt "
                "(truncated or cut short?)"
            )
        counts[packet.stream.index] += 1
    for stream in streams:
        promised, found = stream.frames, counts[stream.index]
        # One frame of slack: an AVI's header may count one frame more than it holds.
        if found == 0 or (promised > 0 and found < promised - 1):
            raise ProbeError(
                f"the file is truncated: its {stream.type} stream holds "
                f"{found} of {promised or 'its'} frames"
            )


def _first_frame(container: InputContainer) -> None:
    if not container.streams.video:
        return
    if next(iter(container.decode(video=0)), None) is None:
        raise ProbeError("the file is truncated: its first video frame cannot be decoded")


def _reason(exc: av.FFmpegError) -> str:
    reason = exc.strerror if isinstance(exc.strerror, str) and exc.strerror else str(exc)
    return reason[0].lower() + reason[1:] if reason else "unreadable"
