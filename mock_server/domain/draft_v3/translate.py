"""V3 <-> the render engine's short-key draft.

``to_render_draft`` keeps the subset the engine composites (video, image, audio, text,
subtitle, transitions); graphics, effects and render bodies stay in the template only.
``template_from_draft`` writes a whole V3 template from a short-key draft, for background
writes (a delegated turn's edit) that land on a project.
"""

from __future__ import annotations

from typing import Any

from nemo_mock.mock_server.domain.draft_v3.model import (
    AUDIO_TYPES,
    TEXT_TYPES,
    VISUAL_TYPES,
    V3Draft,
)
from nemo_mock.mock_server.domain.draft_v3.parse import escape
from nemo_mock.mock_server.domain.drafts import Draft, TrackType, parse_draft

ASSET_SCHEME = "asset://"
TRANSITIONS = {
    "glsl_cross_dissolve": "dissolve",
    "cross_dissolve": "dissolve",
    "dissolve": "dissolve",
    "crossfade": "dissolve",
    "fade": "fade",
    "wipe_left": "wipeleft",
    "wipeleft": "wipeleft",
    "wipe_right": "wiperight",
    "wiperight": "wiperight",
    "slide_left": "slideleft",
    "slide_right": "slideright",
    "circle_open": "circleopen",
}


def media_id(url: str) -> str:
    """``asset://f_…`` -> ``f_…`` (the id the render engine resolves)."""
    return url.removeprefix(ASSET_SCHEME)


def to_render_draft(draft: V3Draft) -> Draft:
    transitions = {t.from_clip: t for t in draft.transitions}
    tracks: list[dict[str, Any]] = []
    for track in draft.tracks:
        segments: list[dict[str, Any]] = []
        for clip in track.clips:
            seg: dict[str, Any] = {"id": clip.clip_id, "s": clip.start, "d": clip.end - clip.start}
            if track.type in TEXT_TYPES:
                if not clip.text:
                    continue
                seg["tx"] = clip.text[:2000]
                seg["pos"] = "bottom" if track.type == "subtitle" else "center"
            elif clip.src is None:
                continue
            else:
                seg["src"] = media_id(clip.src)
                if clip.source_start is not None:
                    seg["ss"] = clip.source_start
                if clip.volume is not None and track.type in AUDIO_TYPES:
                    seg["v"] = min(clip.volume, 200)
            if clip.clip_id in transitions and track.type in VISUAL_TYPES:
                t = transitions[clip.clip_id]
                seg["tr"] = {"type": TRANSITIONS.get(t.type, "fade"), "d": _clamp(t.duration)}
            segments.append(seg)
        kind = _short_type(track.type)
        if kind is not None and segments:
            tracks.append({"tt": int(kind), "n": _role(track.type), "sg": segments})
    meta = {"width": draft.width, "height": draft.height, "fps": draft.fps}
    return parse_draft({"t": tracks, "d": draft.duration, "m": meta}, where="V3 draft")


def _short_type(kind: str) -> TrackType | None:
    if kind in VISUAL_TYPES:
        return TrackType.VIDEO
    if kind in AUDIO_TYPES:
        return TrackType.AUDIO
    if kind in TEXT_TYPES:
        return TrackType.TEXT
    return None


def _role(kind: str) -> str | None:
    return {"bgm": "BGM", "voice": "Voiceover"}.get(kind)


def _clamp(duration: int) -> int:
    return max(100, min(5000, duration))


def empty_template(width: int, height: int, fps: int, duration: int) -> str:
    return (
        f'<draft fps="{fps}" width="{width}" height="{height}" duration="{duration}">\n'
        '  <track id="video" type="video"></track>\n'
        "</draft>\n"
    )


def template_from_draft(draft: Draft, fps: int, width: int, height: int) -> str:
    """A whole V3 template for ``draft`` (media as ``asset://`` URLs)."""
    duration = max(draft.duration, 1)
    lines = [f'<draft fps="{fps}" width="{width}" height="{height}" duration="{duration}">']
    cuts: list[str] = []
    for ti, track in enumerate(draft.tracks):
        kind = {TrackType.VIDEO: "video", TrackType.AUDIO: "audio", TrackType.TEXT: "text"}[
            track.type
        ]
        if track.type is TrackType.AUDIO and (track.name or "").lower() == "bgm":
            kind = "bgm"
        lines.append(f'  <track id="t{ti}" type="{kind}">')
        if track.type is TrackType.TEXT:
            lines.append("    <styles>.title { font-size: 64px; color: #ffffff; }</styles>")
        for si, seg in enumerate(track.segments):
            lines.append(_clip_line(ti, si, seg, track.type))
            nxt = track.segments[si + 1] if si + 1 < len(track.segments) else None
            if seg.transition and nxt is not None and nxt.start == seg.end:
                d = seg.transition.duration
                cuts.append(
                    f'    <transition type="{seg.transition.type}" from-clip="t{ti}c{si}" '
                    f'to-clip="t{ti}c{si + 1}" in="{max(0, seg.end - d // 2)}" duration="{d}"/>'
                )
        lines.append("  </track>")
    if cuts:
        lines += ["  <transitions>", *cuts, "  </transitions>"]
    lines.append("</draft>")
    return "\n".join(lines) + "\n"


def _clip_line(ti: int, si: int, seg: Any, kind: TrackType) -> str:
    head = f'    <clip id="t{ti}c{si}" in="{seg.start}" out="{seg.end}"'
    if seg.source_in:
        head += f' source-start="{seg.source_in}"'
    if kind is TrackType.TEXT:
        return f'{head}><div class="title">{escape(seg.text or "")}</div></clip>'
    tag = "audio" if kind is TrackType.AUDIO else "video"
    return f'{head}><{tag} src="{ASSET_SCHEME}{escape(seg.src or "")}"/></clip>'
