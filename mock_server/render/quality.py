"""Encoder settings per render quality.

Every render is H.264 (libx264, yuv420p, limited-range BT.709, ``-movflags +faststart``) with
AAC audio (48 kHz stereo) in an MP4 file, at the draft's frame rate (``m.fps``, default 30).
``quality`` picks the x264 speed preset, the constant rate factor, the audio bitrate and
the encoder's threads:

| quality | x264 preset | CRF | AAC bitrate | encoder threads | meant for |
|---|---|---|---|---|---|
| ``high`` (default) | ``veryfast`` | 21 | 160k | auto | the exported video |
| ``medium`` | ``superfast`` | 24 | 128k | auto | quicker previews |
| ``low`` | ``ultrafast`` | 30 | 96k | 1 | tests and drafts, fastest |

Lower CRF means better picture and bigger files. On the 30-second 1080x1920 benchmark draft
(``bench/render_bench.py``: 5 photos with fades, a clip, music, a title) ``high`` took 37 s of
wall time (42 s of CPU) on this 2-core machine while its host was oversubscribed (30-40% CPU
steal); the same command with ``superfast`` took 14% less CPU for a file twice as big, and
``ultrafast`` 37% less for a file 3.6 times as big. The x264 encode is about 90% of the work.

At ``ultrafast`` the encoder is cheap enough that x264's frame threads cost more than they
give: ffmpeg already runs the filter graph beside the encoder, and one encoder thread keeps
both cores of this machine busy. On the 60 s 1080x1920 wedding draft at ``low``, one thread
took 15.3-15.4 CPU-s and 9.6 s of wall time against 17.2 CPU-s and 10.8-11.1 s for x264's
automatic count; at ``medium`` and ``high`` one thread saved 2-4 % of CPU but cost 17-30 % of
wall time, so they keep the automatic count.

``nemo-mock serve --render-quality-cap low`` encodes every render at most at that quality,
whatever the client asked (the job still reports the quality asked): a CI run whose checks
do not judge the picture spends a third less on each render.
"""

from __future__ import annotations

from nemo_mock.mock_server.domain.renders import Quality

__all__ = [
    "AUDIO_CHANNELS",
    "AUDIO_RATE",
    "QUALITY_ORDER",
    "QUALITY_SETTINGS",
    "Quality",
    "capped",
    "output_options",
]

QUALITY_SETTINGS: dict[Quality, dict[str, str]] = {
    "high": {"preset": "veryfast", "crf": "21", "b:a": "160k"},
    "medium": {"preset": "superfast", "crf": "24", "b:a": "128k"},
    "low": {"preset": "ultrafast", "crf": "30", "b:a": "96k", "threads": "1"},
}

#: From the best picture to the quickest encode.
QUALITY_ORDER: tuple[Quality, ...] = ("high", "medium", "low")

AUDIO_RATE = 48_000
AUDIO_CHANNELS = 2


def capped(asked: Quality, cap: Quality | None) -> Quality:
    """The quality a render is encoded at: ``asked``, or ``cap`` when that is lower
    (``--render-quality-cap``)."""
    if cap is None:
        return asked
    return max(asked, cap, key=QUALITY_ORDER.index)


def output_options(quality: Quality, fps: int) -> dict[str, str]:
    """ffmpeg output options (name without the dash -> value) for ``quality``."""
    settings = QUALITY_SETTINGS[quality]
    threads = {"threads": settings["threads"]} if "threads" in settings else {}
    return {
        **threads,
        "c:v": "libx264",
        "preset": settings["preset"],
        "crf": settings["crf"],
        "pix_fmt": "yuv420p",
        "colorspace": "bt709",
        "color_primaries": "bt709",
        "color_trc": "bt709",
        "color_range": "tv",
        "r": str(fps),
        "c:a": "aac",
        "b:a": settings["b:a"],
        "ar": str(AUDIO_RATE),
        "ac": str(AUDIO_CHANNELS),
        "movflags": "+faststart",
        "map_metadata": "-1",
    }
