"""Timing edits: every photo/clip a given length, or the whole video a new total length.

The main video track is retimed and repacked; the other tracks follow: music spanning the
old video spans the new one, texts scale with it and always stay inside ``d``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from nemo_mock.mock_server.agent.edit_types import Change, Outcome, Reply, Work
from nemo_mock.mock_server.agent.edits.kind import EditOp
from nemo_mock.mock_server.agent.parsing import clamp_seconds, find_durations
from nemo_mock.mock_server.agent.timeline import (
    clamp_ms,
    normalize_transitions,
    prune,
    rebuild,
    refit_others,
    repack,
    retracked,
    source_ms,
    trimmed,
    updated,
)
from nemo_mock.mock_server.agent.wording import pick, say, seconds_text
from nemo_mock.mock_server.domain.drafts import MAX_SEGMENTS_PER_TRACK, Draft, Segment

_IMAGES = re.compile(
    r"\b(?:photos?|images?|pictures?|pics?|stills?)\b|照片|图片|相片|张", re.IGNORECASE
)
_EACH: dict[str, tuple[str, str]] = {
    "image": ("Each photo", "每张照片"),
    "clip": ("Each clip", "每个视频片段"),
    "any": ("Each segment", "每个片段"),
}
_CLIPS = re.compile(r"\b(?:clips?|videos?|footage)\b|视频|片段", re.IGNORECASE)


def _caps(work: Work, segments: Sequence[Segment]) -> list[int | None]:
    return [source_ms(s, work.view.uploads, work.view.generated) for s in segments]


def _retimed(
    work: Work, index: int, segments: list[Segment], new_total: int | None = None
) -> Draft:
    """The draft with the main video replaced by ``segments``; the rest refitted.

    Without ``new_total`` the draft ends with the new video (plus whatever ran past the old
    video's end before).
    """
    old_end = max(s.end for s in work.draft.tracks[index].segments)
    segments = normalize_transitions(repack(segments))
    new_end = segments[-1].end if segments else 0
    if new_total is None:
        new_total = new_end + max(0, work.draft.duration - old_end)
    new_total = clamp_ms(new_total)
    segments = normalize_transitions(trimmed(segments, new_total))
    tracks = refit_others(work.draft, index, new_total, scale=True)
    tracks[index] = retracked(tracks[index], segments)
    return rebuild(work.draft, prune(tracks), duration=new_total)


def edit_each_duration(op: EditOp, work: Work) -> Outcome:
    """ "make each photo 3 seconds": photos (or clips, or every segment) get that length."""
    video = work.video()
    durations = find_durations(op.clause)
    if video is None or not durations:
        return Reply(say("nothing_to_edit" if video is None else "clarify", work.lang))
    index, segments = video
    ms = clamp_ms(clamp_seconds(durations[0].seconds) * 1000)
    ms = min(ms, max(1, 900_000 // max(1, len(segments))))
    which = "image" if _IMAGES.search(op.clause) else "clip" if _CLIPS.search(op.clause) else "any"
    kinds, caps = work.kinds(segments), _caps(work, segments)
    changed, capped = [], False
    for segment, kind, cap in zip(segments, kinds, caps, strict=True):
        if which in ("any", kind):
            capped = capped or bool(cap and cap < ms)
            segment = updated(segment, duration=min(ms, cap) if cap else ms)
        changed.append(segment)
    draft = _retimed(work, index, changed)
    what = pick(_EACH, which, work.lang)
    text = say(
        "durations_set", work.lang, what=what, seconds=seconds_text(ms),
        total=seconds_text(draft.duration),
    )  # fmt: skip
    if capped:
        if draft == work.draft:  # nothing could change: say why, claim nothing
            return Reply(say("no_change", work.lang) + say("clips_capped", work.lang), False)
        text += say("clips_capped", work.lang)
    args = {"operation": "set_segment_durations", "which": which, "duration_ms": ms}
    return Change(draft, work.canvas, args, {"duration_ms": draft.duration}, text)


# --------------------------------------------------------------------------- total length


def proportional(weights: Sequence[int], total: int) -> list[int]:
    """Integers proportional to ``weights`` summing to ``total`` (each at least 1)."""
    count = len(weights)
    if count == 0:
        return []
    weight_sum = sum(weights) or count
    shares = [max(1, total * (w or 1) // weight_sum) for w in weights]
    order = sorted(range(count), key=lambda i: -shares[i])
    step = 0
    while sum(shares) != total and step < 4 * count + total:
        j = order[step % count]
        if sum(shares) < total:
            shares[j] += 1
        elif shares[j] > 1:
            shares[j] -= 1
        step += 1
    return shares


def capped_shares(weights: Sequence[int], caps: Sequence[int | None], total: int) -> list[int]:
    """Proportional shares of ``total``, none above its cap (the sum may fall short)."""
    fixed: dict[int, int] = {}
    while True:
        free = [i for i in range(len(weights)) if i not in fixed]
        budget = total - sum(fixed.values())
        if not free:
            break
        shares = proportional([weights[i] for i in free], max(budget, len(free)))
        over = [
            i for i, s in zip(free, shares, strict=True) if (c := caps[i]) is not None and s > c
        ]
        if not over:
            fixed.update(zip(free, shares, strict=True))
            break
        for i in over:
            fixed[i] = caps[i] or 1
    return [fixed[i] for i in range(len(weights))]


def _fill_by_repeating(
    segments: list[Segment], caps: Sequence[int | None], total: int
) -> list[Segment]:
    """Repeat the sequence (each at most its source length) until it lasts ``total``."""
    filled = sum(s.duration for s in segments)
    result, i = list(segments), 0
    originals = list(segments)
    while filled < total and len(result) < MAX_SEGMENTS_PER_TRACK:
        base = originals[i % len(originals)]
        take = min(caps[i % len(originals)] or total, total - filled)
        result.append(updated(base, duration=take))
        filled += take
        i += 1
    return result


def edit_total_length(op: EditOp, work: Work) -> Outcome:
    """ "make it 30 seconds": rescale the video proportionally; music and texts follow."""
    durations = find_durations(op.clause)
    if work.empty:
        return Reply(say("nothing_to_edit", work.lang))
    if not durations:
        return Reply(say("clarify", work.lang))
    new_total = clamp_ms(clamp_seconds(durations[0].seconds) * 1000)
    video = work.video()
    if video is None:
        tracks = refit_others(work.draft, None, new_total, scale=True)
        draft = rebuild(work.draft, prune(tracks), duration=new_total)
        return _length_change(work, draft, repeated=False)
    index, segments = video
    caps = _caps(work, segments)
    shares = capped_shares([s.duration for s in segments], caps, new_total)
    changed = [updated(s, duration=d) for s, d in zip(segments, shares, strict=True)]
    repeated = sum(shares) < new_total
    if repeated:
        changed = _fill_by_repeating(changed, caps, new_total)
    draft = _retimed(work, index, changed, new_total)
    return _length_change(work, draft, repeated=repeated)


def _length_change(work: Work, draft: Draft, *, repeated: bool) -> Change:
    text = say("length_set", work.lang, total=seconds_text(draft.duration))
    if repeated:
        text += say("length_limited", work.lang, total=seconds_text(draft.duration))
    args = {"operation": "set_duration", "duration_ms": draft.duration}
    result = {
        "duration_ms": draft.duration,
        "previous_ms": work.draft.duration,
        "repeated": repeated,
    }
    return Change(draft, work.canvas, args, result, text)
