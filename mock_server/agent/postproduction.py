"""The second stage of a generation: background music, a title and text overlays.

The backend adds these on its own after the raw video, as separate edit steps.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from nemo_mock.mock_server.agent.copywriting import TextPlan
from nemo_mock.mock_server.agent.music import MusicChoice, bgm_track
from nemo_mock.mock_server.agent.parsing import find_names
from nemo_mock.mock_server.agent.plan import Step
from nemo_mock.mock_server.agent.steps import draft_facts, edit_step
from nemo_mock.mock_server.agent.timeline import BGM_VOLUME, is_bgm, put_track, rebuild, with_meta
from nemo_mock.mock_server.agent.titles import (
    overlay_segments,
    place_overlays,
    place_title,
    title_segment,
)
from nemo_mock.mock_server.agent.wording import (
    Language,
    join_texts,
    say,
)
from nemo_mock.mock_server.domain.drafts import Draft

_NAMES_ASKED = re.compile(r"\bnames?\b|名字|姓名", re.IGNORECASE)
_DATE_ASKED = re.compile(r"\bdates?\b|日期|时间", re.IGNORECASE)
_OVERLAYS_ASKED = re.compile(
    r"\b(?:text|texts|overlays?|captions?|subtitles?|lower\s+thirds?)\b|文字|字幕", re.IGNORECASE
)
_TITLE_ASKED = re.compile(r"\b(?:title|heading)\b|标题|片名", re.IGNORECASE)
_MUSIC_ASKED = re.compile(
    r"\b(?:music|bgm|songs?|soundtrack|tune|melody)\b|音乐|配乐|背景乐|歌", re.IGNORECASE
)


def wants_music(text: str) -> bool:
    return _MUSIC_ASKED.search(text) is not None


def wants_texts(text: str, quotes: Sequence[str]) -> bool:
    asked = (_TITLE_ASKED, _OVERLAYS_ASKED, _NAMES_ASKED, _DATE_ASKED)
    return bool(quotes) or any(p.search(text) for p in asked) or find_names(text) is not None


def music_step(
    draft: Draft,
    canvas: tuple[int, int],
    choice: MusicChoice,
    lang: Language,
    volume: int = BGM_VOLUME,
) -> Step:
    """Add (or replace) the BGM track spanning the whole draft."""
    index = next((i for i, t in enumerate(draft.tracks) if is_bgm(t)), None)
    tracks = put_track(list(draft.tracks), index, bgm_track(choice, draft.duration, volume))
    after = rebuild(draft, tracks)
    args = {
        "operation": "add_background_music",
        "mood": choice.mood,
        "src": choice.src,
        "volume": volume,
    }
    result = {"track": "BGM", "src": choice.src, "volume": volume, **draft_facts(after)}
    text = say("music_added", lang, mood=choice.describe(lang), volume=volume)
    return edit_step(after, canvas, args, result, text)


def title_span(total: int) -> int:
    return min(total, 4000, max(1000, total // 4))


def text_step(draft: Draft, canvas: tuple[int, int], plan: TextPlan, lang: Language) -> Step:
    """Add the title (from 0) and the overlays after it (or over the whole video if short)."""
    total = draft.duration
    span = title_span(total)
    tracks = place_title(list(draft.tracks), title_segment(plan.title, 0, span, canvas))
    start = span if total - span >= 1000 * max(1, len(plan.overlays)) else 0
    overlays = overlay_segments(plan.overlays, start, total, canvas)
    if overlays:
        tracks = place_overlays(tracks, overlays)
    after = rebuild(draft, tracks, meta=with_meta(draft.meta, title=plan.meta_title[:500]))
    args = {"operation": "add_text", "title": plan.title, "overlays": list(plan.overlays)}
    result = {"title": plan.title, "overlays": len(overlays), **draft_facts(after)}
    extra = say("post_overlays", lang, texts=join_texts(list(plan.overlays), lang))
    text = say("post_texts", lang, title=plan.title, overlays=extra if plan.overlays else "")
    if plan.ask:
        text += say(plan.ask, lang)
    return edit_step(after, canvas, args, result, text)
