"""Room for captions: a picture shown whole never sits under a top or bottom caption.

While a boxed caption (an overlay or a subtitle at the top or bottom, see ``text.py``) is on
screen during a shot, the shot keeps that caption's height free at its edge (``Shot.room``);
when the picture is shown whole over the blurred fill (its shape differs from the canvas's:
a square product or a portrait photo in landscape, a phone photo in portrait), ``video.py``
fits it in what is left, so the text lies on the fill and never on the product's base or a
face. A picture that fills the frame keeps filling it, as footage under subtitles does. The
room is the tallest caption's at each edge over the shot's frames, so the picture keeps one
size for the whole shot.
"""

from __future__ import annotations

from dataclasses import replace

from nemo_mock.mock_server.render.text import caption_room
from nemo_mock.mock_server.render.timeline import Caption, Shot, Timeline


def with_caption_room(tl: Timeline) -> Timeline:
    """``tl`` with each base shot's room for the captions shown during it."""
    needs = [(c, caption_room(c, tl)) for c in tl.captions]
    needs = [(c, px) for c, px in needs if px > 0]
    if not needs:
        return tl
    shots = tuple(_roomy(shot, needs, tl.fps) for shot in tl.base.shots)
    return replace(tl, base=replace(tl.base, shots=shots))


def _roomy(shot: Shot, needs: list[tuple[Caption, int]], fps: int) -> Shot:
    if shot.media is None or shot.media.is_logo:
        return shot
    start, end = shot.start_frame / fps, (shot.start_frame + shot.length) / fps
    during = [(c, px) for c, px in needs if c.start < end and start < c.end]
    top = max((px for c, px in during if c.position == "top"), default=0)
    bottom = max((px for c, px in during if c.position == "bottom"), default=0)
    return replace(shot, room=(top, bottom)) if top or bottom else shot
