"""Encoder settings per render quality.

Every render is H.264 (libx264, yuv420p, ``-movflags +faststart``) with AAC audio (48 kHz
stereo) in an MP4 file, at the draft's frame rate (``m.fps``, default 30). ``quality`` picks
the x264 speed preset, the constant rate factor and the audio bitrate:

| quality | x264 preset | CRF | AAC bitrate | meant for |
|---|---|---|---|---|
| ``high`` (default) | ``veryfast`` | 21 | 160k | the exported video |
| ``medium`` | ``superfast`` | 24 | 128k | quicker previews |
| ``low`` | ``ultrafast`` | 30 | 96k | tests and drafts, fastest |

Lower CRF means better picture and bigger files. ``high`` renders a 30-second 1080x1920
slideshow (5 photos with fades, a clip, music, a title) in about 10-11 s on a 2-core machine
(see ``bench/render_bench.py``).
"""

from __future__ import annotations

from typing import Literal

Quality = Literal["high", "medium", "low"]

QUALITY_SETTINGS: dict[Quality, dict[str, str]] = {
    "high": {"preset": "veryfast", "crf": "21", "b:a": "160k"},
    "medium": {"preset": "superfast", "crf": "24", "b:a": "128k"},
    "low": {"preset": "ultrafast", "crf": "30", "b:a": "96k"},
}

AUDIO_RATE = 48_000
AUDIO_CHANNELS = 2


def output_options(quality: Quality, fps: int) -> dict[str, str]:
    """ffmpeg output options (name without the dash -> value) for ``quality``."""
    settings = QUALITY_SETTINGS[quality]
    return {
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
