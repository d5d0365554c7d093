"""Peaks of an audio file for drawing its waveform (the dashboard's audio tracks)."""

from __future__ import annotations

from array import array
from pathlib import Path


def peaks(path: Path, buckets: int = 120, *, max_seconds: float = 600) -> list[float]:
    """``buckets`` values in 0..1: the loudest sample of each equal slice of the first
    ``max_seconds`` of the first audio stream (mono, 8 kHz is plenty to draw)."""
    import av

    samples = array("h")
    with av.open(str(path)) as container:
        if not container.streams.audio:
            return []
        resampler = av.AudioResampler(format="s16", layout="mono", rate=8000)
        for frame in container.decode(audio=0):
            for mono in resampler.resample(frame):
                samples.frombytes(bytes(mono.planes[0])[: mono.samples * 2])
            if len(samples) > max_seconds * 8000:
                break
    if not samples:
        return []
    size = max(1, len(samples) // buckets)
    return [
        max((abs(v) for v in samples[i : i + size]), default=0) / 32768
        for i in range(0, size * buckets, size)
    ][:buckets]
