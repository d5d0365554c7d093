"""Generating a video: from the session's uploads, or from a text prompt alone.

Two stages, as the real backend: a generation step delivers the raw video (the video track
only), then post-production edit steps add music and texts.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, replace

from nemo_mock.mock_server.agent.copywriting import TextPlan, plan_texts
from nemo_mock.mock_server.agent.intents import media_filter, refers_to_uploads
from nemo_mock.mock_server.agent.montage import (
    LOGO_NAME,
    logo_track,
    montage_segments,
    video_track,
    visuals_of,
)
from nemo_mock.mock_server.agent.music import choose_music
from nemo_mock.mock_server.agent.parsing import (
    AspectRequest,
    Masked,
    canvas_for,
    clamp_seconds,
    find_aspect,
    find_durations,
    has_any,
)
from nemo_mock.mock_server.agent.plan import Plan, SessionView, Step
from nemo_mock.mock_server.agent.postproduction import (
    music_step,
    text_step,
    wants_music,
    wants_texts,
)
from nemo_mock.mock_server.agent.steps import draft_facts, generation_step, new_media, safe_canvas
from nemo_mock.mock_server.agent.timeline import DEFAULT_FPS, clamp_ms
from nemo_mock.mock_server.agent.wording import WORDS, Language, pick, say, seconds_text
from nemo_mock.mock_server.domain.drafts import Draft, DraftMeta, Segment
from nemo_mock.mock_server.domain.media import MediaFile

DEFAULT_UPLOADS_SECONDS = 15.0
DEFAULT_TEXT_SECONDS = 10.0
_TRANSITIONS_ASKED = re.compile(
    r"\b(?:smooth|transitions?|crossfades?|cross-fades?|dissolves?|fades?)\b|转场|过渡|淡入淡出",
    re.IGNORECASE,
)
_PHOTO_TIP_THRESHOLD = 10


@dataclass(frozen=True)
class Request:
    """What a generation message asks for."""

    message: str  # quotes masked
    full: str  # quotes restored
    quotes: tuple[str, ...]
    seconds: float | None
    canvas: tuple[int, int]
    transitions: bool
    portrait_from_uploads: bool = False


def mostly_portrait(uploads: tuple[MediaFile, ...]) -> bool:
    """Whether most of the photos and clips are portrait (as displayed)."""
    shapes = [u.height > u.width for u in uploads if u.width and u.height]
    return bool(shapes) and sum(shapes) * 2 > len(shapes)


def read_request(masked: Masked, view: SessionView) -> Request:
    """What the message asks; with no orientation named, a landscape canvas turns portrait
    when most uploads are (the seeds advise portrait photos for phones)."""
    durations = find_durations(masked.text)
    aspect = find_aspect(masked.text)
    canvas = safe_canvas(view.canvas)
    follows = (
        (aspect is None or aspect.orientation is None)
        and canvas[0] > canvas[1]
        and mostly_portrait(
            tuple(u for u in view.uploads if u.file_type != "audio" and not u.transparent)
        )
    )
    if follows:
        aspect = AspectRequest("portrait", aspect.short_side if aspect else None)
    if aspect is not None:
        canvas = canvas_for(aspect, canvas)
    seconds = clamp_seconds(durations[0].seconds) if durations else None
    transitions = _TRANSITIONS_ASKED.search(masked.text) is not None
    return Request(
        masked.text, masked.original, masked.quotes, seconds, canvas, transitions, follows
    )


def _meta(title: str, canvas: tuple[int, int]) -> DraftMeta:
    return DraftMeta(title=title[:500], width=canvas[0], height=canvas[1], fps=DEFAULT_FPS)


# --------------------------------------------------------------------------- from uploads


def plan_from_uploads(request: Request, view: SessionView, lang: Language) -> Plan:
    visuals = visuals_of(view.uploads, media_filter(request.message))
    total = clamp_ms((request.seconds or DEFAULT_UPLOADS_SECONDS) * 1000)
    segments = montage_segments(visuals, total, transitions=request.transitions)
    total = segments[-1].end if segments else total
    names = [u.filename for u in view.uploads]
    generic = pick(WORDS, "my_video", lang)
    title = plan_texts(request.full, request.quotes, lang, generic, names)
    logo = logo_track(visuals, segments)
    tracks = [video_track(segments), *([logo] if logo else [])]
    draft = Draft(tracks=tracks, duration=total, meta=_meta(title.meta_title, request.canvas))
    titled = _worth_a_title(title, generic)
    step = _raw_uploads_step(
        draft, request, [s.src or "" for s in segments], len(visuals), lang, titled
    )
    post = _post_production(step, request, view, lang, always=True, titled=titled)
    steps = [step, *post]
    return Plan("generate_from_uploads", lang, tuple(steps), "")


def _worth_a_title(texts: TextPlan, generic: str) -> bool:
    """Whether texts go on a video from uploads unasked: not when all there is to say is
    ``generic`` ("My Video": a title no one keeps; the prompt, its theme and the files name
    nothing), as ``texts`` (planned with ``generic`` as the fallback) tell."""
    return bool(texts.overlays) or texts.title != generic


def _raw_uploads_step(
    draft: Draft,
    request: Request,
    srcs: list[str],
    count: int,
    lang: Language,
    titled: bool = True,
) -> Step:
    seconds = seconds_text(draft.duration)
    text = say("raw_uploads", lang, count=count, seconds=seconds)
    if request.portrait_from_uploads:
        text += say("portrait_canvas_note", lang, size=f"{request.canvas[0]}×{request.canvas[1]}")
    if request.transitions:
        text += say("transitions_added_note", lang)
    logo = next((t.segments[0].src for t in draft.tracks if t.name == LOGO_NAME), None)
    if logo is not None:
        card = next((s for s in draft.tracks[0].segments if s.src == logo), None)
        text += say("logo_note", lang, name=card.name if card else LOGO_NAME)
    if count > _PHOTO_TIP_THRESHOLD:
        text += say("tip_photos", lang)
    text += say("adding_touches" if titled else "adding_music", lang)
    args = {
        "prompt": request.full, "source": "uploads", "duration_s": draft.duration / 1000,
        "width": request.canvas[0], "height": request.canvas[1], "transitions": request.transitions,
    }  # fmt: skip
    result = {"status": "completed", "media_ids": srcs, **draft_facts(draft)}
    return generation_step(draft, request.canvas, args, result, text)


def _post_production(
    raw: Step,
    request: Request,
    view: SessionView,
    lang: Language,
    *,
    always: bool,
    titled: bool = True,
) -> list[Step]:
    """Music (always for uploads, else when asked), then texts (for uploads unless there is
    nothing to say, see ``_worth_a_title``); the last says it's ready."""
    steps: list[Step] = []
    draft = raw.draft
    if always or wants_music(request.message):
        choice = choose_music(request.message, request.message, view.uploads, upload_first=True)
        if choice is not None:
            steps.append(music_step(draft, request.canvas, choice, lang))
            draft = steps[-1].draft
    if (always and titled) or wants_texts(request.message, request.quotes):
        fallback = draft.meta.title or pick(WORDS, "my_video", lang)
        names = [u.filename for u in view.uploads]
        texts = plan_texts(request.full, request.quotes, lang, fallback, names)
        steps.append(text_step(draft, request.canvas, texts, lang))
    if steps:
        steps[-1] = replace(steps[-1], text=f"{steps[-1].text} {say('ready', lang)}")
    return steps


# --------------------------------------------------------------------------- from text

_LEAD_WORDS = re.compile(
    r"^(?:\d+(?:\.\d+)?[\s-]*(?:seconds?|secs?|s|minutes?|mins?)\b|short|quick|new|nice|cool|"
    r"beautiful|simple|little|\d+p|hd|4k|portrait|landscape|vertical|square|horizontal|"
    r"[\w-]+-second|[\w-]+-minute)[\s,-]*",
    re.IGNORECASE,
)
_SUBJECT_BEFORE_NOUN = re.compile(
    r"\b(?:a|an|one|me\s+a|us\s+a)\s+((?:[\w'’-]+,?\s+){0,6}?)(?:video|clip|movie|film|reel)\b",
    re.IGNORECASE,
)
_SUBJECT_AFTER_OF = re.compile(
    r"\b(?:of|about|showing|featuring)\s+(.+?)(?=\s+(?:with|for|in|at|and\s+add)\b|[,.;!?]|$)",
    re.IGNORECASE,
)
_ZH_SUBJECT = re.compile(r"([^，。！？、\s]{0,30}?)(?:视频|短片|影片|动画|片子)")
_ZH_NOT_SUBJECT = re.compile(
    r"^.*?(?:生成|制作|创建|创作|合成|做成|制成|变成|转成|做|来)|(?:一个|一段|一支|个|段|支)"
    r"|[\d零一二两三四五六七八九十百]+\s*(?:秒钟?|分钟)|的|帮我|给我|请|竖屏|横屏|高清"
)


def describe_subject(message: str) -> str:
    """What a text prompt asks to see ("make me a 10-second sunset timelapse video" → "sunset
    timelapse"); "" when it does not say."""
    m = _SUBJECT_BEFORE_NOUN.search(message)
    head = m.group(1).strip() if m else ""
    previous = None
    while head and head != previous:
        previous, head = head, _LEAD_WORDS.sub("", head).strip()
    if head and not has_any(head, "wedding invitation|promo|slideshow|montage"):
        return head
    m = _SUBJECT_AFTER_OF.search(message)
    if m:
        return m.group(1).strip()[:200]
    m = _ZH_SUBJECT.search(message)
    if m:
        return _ZH_NOT_SUBJECT.sub("", m.group(1)).strip()[:200]
    return head


def plan_from_text(request: Request, view: SessionView, rng: random.Random, lang: Language) -> Plan:
    subject = describe_subject(request.message)
    seconds = request.seconds or DEFAULT_TEXT_SECONDS
    prompt = subject or request.full
    media = new_media(rng, "clip", prompt, seconds, request.canvas)
    total = clamp_ms(seconds * 1000)
    shown = subject or pick(WORDS, "my_video", lang)
    title = (
        subject.title() if subject and lang == "en" else subject or pick(WORDS, "my_video", lang)
    )
    segment = Segment(start=0, duration=total, src=media.media_id, name=shown[:500], fit="cover")
    draft = Draft(
        tracks=[video_track([segment])], duration=total, meta=_meta(title, request.canvas)
    )
    args = {
        "prompt": prompt, "source": "text", "duration_s": total / 1000,
        "width": request.canvas[0], "height": request.canvas[1],
    }  # fmt: skip
    result = {"status": "completed", "media_ids": [media.media_id], **draft_facts(draft)}
    step = generation_step(draft, request.canvas, args, result, "", (media,))
    post = _post_production(step, request, view, lang, always=False)
    of_subject = say("of_subject", lang, subject=subject) if subject else ""
    text = say("raw_text", lang, seconds=seconds_text(total), subject=of_subject)
    text += say("adding_touches", lang) if post else f" {say('ready', lang)}"
    step = replace(step, text=text)
    return Plan("generate_from_text", lang, (step, *post), "")


# --------------------------------------------------------------------------- entry


def plan_generation(masked: Masked, view: SessionView, rng: random.Random, lang: Language) -> Plan:
    request = read_request(masked, view)
    has_visuals = any(u.file_type in ("image", "video") for u in view.uploads)
    if has_visuals:
        return plan_from_uploads(request, view, lang)
    if refers_to_uploads(request.message):
        return Plan("clarify", lang, (), say("need_uploads", lang))
    return plan_from_text(request, view, rng, lang)
