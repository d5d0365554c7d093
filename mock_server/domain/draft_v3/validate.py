"""Every rule §7 lists for a V3 draft, each refusal naming the element and attribute."""

from __future__ import annotations

import re
from collections.abc import Callable
from itertools import pairwise

from nemo_mock.mock_server.domain.draft_v3.model import (
    MEDIA_TAGS,
    TEXT_TYPES,
    TRACK_TYPES,
    V3Clip,
    V3Draft,
    V3Track,
    V3Transition,
)
from nemo_mock.mock_server.domain.draft_v3.parse import Element, parse_template, unescape
from nemo_mock.mock_server.domain.errors import InvalidDraft

MediaCheck = Callable[[str], str | None]  # url -> None if known, else why not
#: (resource id, version or None) -> None if the project may pin it, else why not
ResourceCheck = Callable[[str, str | None], str | None]
ROOT_EXTRAS = frozenset({"transitions", "component", "components", "data", "meta", "assets"})
MAX_FPS = 60
MAX_SIDE = 4096
MAX_DURATION_MS = 3_600_000
_CLASS_SELECTOR = re.compile(r"\.([A-Za-z_][\w-]*)\s*\{")


def validate_template(
    source: str, known_media: MediaCheck, known_resources: ResourceCheck | None = None
) -> V3Draft:
    """Parse and check ``source``; ``InvalidDraft`` for the first rule it breaks. A
    ``<use resource>`` is checked by ``known_resources`` (unchecked without one)."""
    root = parse_template(source)
    if root.tag != "draft":
        raise InvalidDraft(f"the root element is {root.where()}: it must be <draft>")
    fps = _positive(root, "fps", MAX_FPS)
    width = _positive(root, "width", MAX_SIDE)
    height = _positive(root, "height", MAX_SIDE)
    duration = _positive(root, "duration", MAX_DURATION_MS)
    _unique_ids(root)
    _references_exist(root)
    pins = _resources(root, known_resources)
    tracks: list[V3Track] = []
    transitions: list[V3Transition] = []
    for child in root.children:
        if child.tag == "track":
            if transitions:
                raise InvalidDraft(f"{child.where()} comes after <transitions>: tracks go first")
            tracks.append(_track(child, duration, known_media))
        elif child.tag == "transitions":
            transitions.extend(_transition(t, tracks) for t in child.children)
        elif child.tag not in ROOT_EXTRAS:
            raise InvalidDraft(
                f"{child.where()} directly under <draft>: only <track> elements (then "
                "<transitions>) belong there"
            )
    return V3Draft(fps, width, height, duration, tuple(tracks), tuple(transitions), pins)


def _resources(root: Element, known: ResourceCheck | None) -> tuple[tuple[str, str | None], ...]:
    pins: dict[tuple[str, str | None], None] = {}
    for element in root.iter():
        resource = element.get("resource") if element.tag == "use" else None
        if resource is None:
            continue
        version = element.get("version")
        why = known(resource, version) if known is not None else None
        if why is not None:
            raise InvalidDraft(f"{element.where()} attribute resource={resource[:64]!r}: {why}")
        pins.setdefault((resource, version))
    return tuple(pins)


def _positive(element: Element, name: str, limit: int) -> int:
    raw = element.get(name)
    if raw is None:
        raise InvalidDraft(f"{element.where()} lacks the attribute {name!r}")
    try:
        value = float(raw)
    except ValueError:
        raise InvalidDraft(f"{element.where()} attribute {name}={raw!r} is not a number") from None
    if not value.is_integer() or not 0 < value <= limit:
        raise InvalidDraft(
            f"{element.where()} attribute {name}={raw!r} must be a whole number from 1 to {limit}"
        )
    return int(value)


def _time(element: Element, name: str, *, required: bool = True) -> int | None:
    raw = element.get(name)
    if raw is None:
        if required:
            raise InvalidDraft(f"{element.where()} lacks the attribute {name!r}")
        return None
    try:
        value = float(raw)
    except ValueError:
        raise InvalidDraft(f"{element.where()} attribute {name}={raw!r} is not a number") from None
    if value < 0 or not value.is_integer():
        raise InvalidDraft(
            f"{element.where()} attribute {name}={raw!r} must be whole milliseconds >= 0"
        )
    return int(value)


def _unique_ids(root: Element) -> None:
    seen: dict[str, Element] = {}
    for element in root.iter():
        ident = element.get("id")
        if ident is None:
            continue
        if ident in seen:
            raise InvalidDraft(
                f"{element.where()} reuses the id {ident!r} of {seen[ident].where()}: "
                "ids are unique"
            )
        seen[ident] = element


def _references_exist(root: Element) -> None:
    everything = root.iter()
    data = {e.get("id") or e.get("name") for e in everything if e.tag == "data"}
    components = {e.get("name") or e.get("id") for e in everything if e.tag == "component"}
    for element in everything:
        wanted = element.get("data") if element.tag == "render" else None
        if wanted is not None and wanted not in data:
            raise InvalidDraft(f"{element.where()} attribute data={wanted!r} names no <data>")
        used = element.get("component") if element.tag in ("use", "instance") else None
        if used is not None and used not in components:
            raise InvalidDraft(
                f"{element.where()} attribute component={used!r} names no <component>"
            )


def _track(element: Element, duration: int, known_media: MediaCheck) -> V3Track:
    track_id = element.get("id")
    if not track_id:
        raise InvalidDraft(f"{element.where()} lacks the attribute 'id'")
    kind = element.get("type")
    if kind not in TRACK_TYPES:
        raise InvalidDraft(
            f"{element.where()} attribute type={kind!r} is not a track type "
            f"({', '.join(sorted(TRACK_TYPES))})"
        )
    classes = _style_classes(element) if kind in TEXT_TYPES else set()
    clips = [
        _clip(child, kind, duration, known_media, classes)
        for child in element.children
        if child.tag == "clip"
    ]
    ordered = sorted(clips, key=lambda c: c.start)
    for before, after in pairwise(ordered):
        if after.start < before.end:
            raise InvalidDraft(
                f"<clip id={after.clip_id!r}> overlaps <clip id={before.clip_id!r}> on "
                f"{element.where()}: clips on one track may abut but not overlap"
            )
    return V3Track(track_id, kind, tuple(ordered))


def _style_classes(track: Element) -> set[str]:
    styles = [c for c in track.children if c.tag == "styles"]
    if styles and track.children[0].tag != "styles":
        raise InvalidDraft(f"<styles> in {track.where()} must be the track's first child")
    return {m.group(1) for s in styles for m in _CLASS_SELECTOR.finditer(s.text)}


def _clip(
    element: Element, kind: str, duration: int, known_media: MediaCheck, classes: set[str]
) -> V3Clip:
    clip_id = element.get("id")
    if not clip_id:
        raise InvalidDraft(f"{element.where()} lacks the attribute 'id'")
    start, end = _time(element, "in"), _time(element, "out")
    assert start is not None and end is not None
    if start >= end:
        raise InvalidDraft(f"{element.where()}: in={start} must be before out={end}")
    if end > duration:
        raise InvalidDraft(f"{element.where()}: out={end} is after the draft's duration={duration}")
    source_start = _time(element, "source-start", required=False)
    source_end = _time(element, "source-end", required=False)
    if source_start is not None and source_end is not None and source_start >= source_end:
        raise InvalidDraft(
            f"{element.where()}: source-start={source_start} must be before source-end={source_end}"
        )
    src, tag = _media(element, known_media)
    text = _text_of(element, classes) if kind in TEXT_TYPES else None
    volume = _time(element, "volume", required=False)
    return V3Clip(clip_id, start, end, src, tag, text, source_start, source_end, volume)


def _media(clip: Element, known_media: MediaCheck) -> tuple[str | None, str | None]:
    for child in clip.children:
        if child.tag in MEDIA_TAGS:
            src = child.get("src")
            if not src:
                raise InvalidDraft(f"{child.where()} in {clip.where()} lacks the attribute 'src'")
            why = known_media(src)
            if why is not None:
                raise InvalidDraft(f"{child.where()} attribute src={src[:200]!r}: {why}")
            return src, child.tag
    return None, None


def _text_of(clip: Element, classes: set[str]) -> str:
    parts: list[str] = []
    for element in clip.iter():
        if element.tag == "div":
            for name in (element.get("class") or "").split():
                if name not in classes:
                    raise InvalidDraft(
                        f"{element.where()} in {clip.where()} uses class {name!r}, which the "
                        "track's <styles> does not define"
                    )
        if element is not clip and element.text.strip():
            parts.append(unescape(" ".join(element.text.split())))
    return " ".join(parts) or " ".join(clip.text.split())


def _transition(element: Element, tracks: list[V3Track]) -> V3Transition:
    if element.tag != "transition":
        raise InvalidDraft(f"{element.where()} inside <transitions>: only <transition> belongs")
    names = ("type", "from-clip", "to-clip")
    kind, first, second = (element.get(n) for n in names)
    for name, value in zip(names, (kind, first, second), strict=True):
        if not value:
            raise InvalidDraft(f"{element.where()} lacks the attribute {name!r}")
    start, length = _time(element, "in"), _time(element, "duration")
    assert start is not None and length is not None and kind and first and second
    clips = {c.clip_id: (t, c) for t in tracks for c in t.clips}
    for name, ident in (("from-clip", first), ("to-clip", second)):
        if ident not in clips:
            raise InvalidDraft(f"{element.where()} attribute {name}={ident!r} names no clip")
    (track_a, a), (track_b, b) = clips[first], clips[second]
    if track_a is not track_b or a.end != b.start:
        raise InvalidDraft(
            f"{element.where()}: clips {first!r} and {second!r} must be adjacent on one track "
            f"(from-clip's out = to-clip's in); they are {a.end} and {b.start}"
        )
    if length <= 0 or not start <= a.end <= start + length:
        raise InvalidDraft(
            f"{element.where()}: in={start} duration={length} must cover the cut at {a.end}"
        )
    return V3Transition(kind, first, second, start, length)
