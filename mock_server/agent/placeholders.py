"""Filling in placeholders: "[Name] & [Name]" and "[Date]" become the details given later.

A generation that was asked for names or a date the prompt did not give puts placeholders on
screen and asks for them; when the user then says them ("our names are Emma and James, the
date is June 14, 2026"), the placeholders' text is replaced where they stand (same timing,
same place) instead of new overlays being laid over them.
"""

from __future__ import annotations

import re

from nemo_mock.mock_server.agent.edit_types import Change, Work
from nemo_mock.mock_server.agent.parsing import find_date, find_names
from nemo_mock.mock_server.agent.timeline import rebuild, retracked, updated
from nemo_mock.mock_server.agent.wording import WORDS, join_texts, say
from nemo_mock.mock_server.domain.drafts import Draft, TrackType

_PLACEHOLDER = re.compile(r"^\s*\[[^\]\n]{1,40}\](?:\s*[&·]\s*\[[^\]\n]{1,40}\])*\s*$")
_KINDS = {"names": WORDS["names_placeholder"], "date": WORDS["date_placeholder"]}

Slot = tuple[int, int]  # (track index, segment index)


def placeholder_slots(draft: Draft) -> list[Slot]:
    """Text segments whose whole text is a placeholder, in timeline order."""
    slots = [
        (ti, si)
        for ti, track in enumerate(draft.tracks)
        if track.type is TrackType.TEXT
        for si, segment in enumerate(track.segments)
        if segment.text and _PLACEHOLDER.match(segment.text)
    ]
    return sorted(slots, key=lambda slot: draft.tracks[slot[0]].segments[slot[1]].start)


def fill_placeholders(work: Work, raw: str, texts: list[str]) -> Change | None:
    """The draft with its placeholders replaced by ``texts`` (names into the names slot, the
    date into the date slot, anything else in order); None when there is nothing to fill."""
    slots = placeholder_slots(work.draft)
    if not slots or not texts:
        return None
    given = {"names": find_names(raw), "date": find_date(raw)}
    left = list(texts)
    fills: dict[Slot, str] = {}
    for slot in slots:
        current = work.draft.tracks[slot[0]].segments[slot[1]].text or ""
        kind = next((k for k, words in _KINDS.items() if current in words), None)
        value = given.get(kind) if kind else None
        if value and value in left:
            fills[slot] = value
            left.remove(value)
    for slot in (s for s in slots if s not in fills):
        if not left:
            break
        fills[slot] = left.pop(0)
    if not fills or left:
        return None
    return _changed(work, fills)


def _changed(work: Work, fills: dict[Slot, str]) -> Change:
    tracks = list(work.draft.tracks)
    for (ti, si), text in fills.items():
        segments = list(tracks[ti].segments)
        segments[si] = updated(segments[si], text=text)
        tracks[ti] = retracked(tracks[ti], segments)
    shown = list(fills.values())
    message = say("placeholders_filled", work.lang, texts=join_texts(shown, work.lang))
    args = {"operation": "fill_placeholders", "texts": shown}
    result = {"track": "Text", "segments": len(shown)}
    return Change(rebuild(work.draft, tracks), work.canvas, args, result, message)
