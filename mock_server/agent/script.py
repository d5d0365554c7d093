"""Script to video: scenes from sentence groups, a voiceover, captions and music under it.

The video lasts about as long as the script takes to read (150 words a minute) unless the
request names a length. Each scene shows the next upload (the uploads in order, as a
montage) or, without uploads, a clip synthesised from the scene's key sentence.
"""

from __future__ import annotations

import math
import random
import re
from dataclasses import dataclass, replace

from nemo_mock.mock_server.agent.intents import media_filter, split_script
from nemo_mock.mock_server.agent.montage import montage_segments, video_track, visuals_of
from nemo_mock.mock_server.agent.music import choose_music
from nemo_mock.mock_server.agent.narration import Narration, narrate
from nemo_mock.mock_server.agent.parsing import (
    canvas_for,
    clamp_seconds,
    find_aspect,
    find_durations,
    find_quotes,
    word_count,
)
from nemo_mock.mock_server.agent.plan import MediaSpec, Plan, SessionView, Step
from nemo_mock.mock_server.agent.postproduction import music_step, title_span
from nemo_mock.mock_server.agent.steps import (
    draft_facts,
    edit_step,
    generation_step,
    new_media,
    safe_canvas,
)
from nemo_mock.mock_server.agent.timeline import (
    BGM_UNDER_VOICE_VOLUME,
    DEFAULT_FPS,
    VOICEOVER_NAME,
    clamp_ms,
    make_track,
    rebuild,
    split_evenly,
)
from nemo_mock.mock_server.agent.titles import (
    overlay_segments,
    place_overlays,
    place_title,
    title_segment,
)
from nemo_mock.mock_server.agent.wording import Language, join_texts, say, seconds_text
from nemo_mock.mock_server.domain.drafts import Draft, DraftMeta, Segment, Track, TrackType

WORDS_PER_MINUTE = 150
MAX_SCENES = 12
WORDS_PER_SCENE = 8  # short scripts: a scene per sentence, as script-to-video tools cut
MIN_SCRIPT_WORDS = 3
KEY_SENTENCE_CHARS = 90


def sentences_of(text: str) -> list[str]:
    return [s.strip() for s in re.split(r"(?<=[.!?。！？])\s*", text) if s.strip()]


def group_scenes(sentences: list[str]) -> list[list[str]]:
    """Contiguous sentence groups of similar word counts (at most ``MAX_SCENES``)."""
    words = sum(word_count(s) for s in sentences)
    count = max(1, min(MAX_SCENES, math.ceil(words / WORDS_PER_SCENE), len(sentences)))
    target = words / count
    scenes: list[list[str]] = [[]]
    filled = 0
    for i, sentence in enumerate(sentences):
        left_sentences = len(sentences) - i
        left_scenes = count - len(scenes)
        if scenes[-1] and (filled >= target or left_sentences <= left_scenes):
            scenes.append([])
            filled = 0
        scenes[-1].append(sentence)
        filled += word_count(sentence)
    return scenes


def key_sentence(scene: list[str]) -> str:
    """The scene's first sentence, shortened to a caption on a word boundary."""
    first = scene[0]
    if len(first) <= KEY_SENTENCE_CHARS:
        return first
    cut = first[:KEY_SENTENCE_CHARS].rsplit(" ", 1)[0]
    return (cut if len(cut) > KEY_SENTENCE_CHARS // 2 else first[:KEY_SENTENCE_CHARS]) + "…"


def scene_lengths(scenes: list[list[str]], total: int) -> list[int]:
    """Milliseconds per scene, proportional to its words, summing to ``total``."""
    weights = [max(1, sum(word_count(s) for s in scene)) for scene in scenes]
    shares = [total * w // sum(weights) for w in weights]
    bonus = split_evenly(total - sum(shares), len(scenes))
    return [max(1, s + b) for s, b in zip(shares, bonus, strict=True)]


def _scene_clips(
    scenes: list[list[str]], lengths: list[int], canvas: tuple[int, int], rng: random.Random
) -> tuple[list[Segment], list[MediaSpec]]:
    segments, media, start = [], [], 0
    for scene, length in zip(scenes, lengths, strict=True):
        spec = new_media(rng, "clip", " ".join(scene)[:300], length / 1000, canvas)
        media.append(spec)
        name = key_sentence(scene)[:500]
        segments.append(
            Segment(start=start, duration=length, src=spec.media_id, name=name, fit="cover")
        )
        start += length
    return segments, media


def _voiceover_track(spec: MediaSpec, total: int) -> Track:
    segment = Segment(start=0, duration=total, src=spec.media_id, name=VOICEOVER_NAME, volume=100)
    return make_track(TrackType.AUDIO, VOICEOVER_NAME, [segment])


@dataclass(frozen=True)
class Script:
    """A pasted script, read: the request, the text, its scenes and their timing."""

    instruction: str
    body: str
    scenes: list[list[str]]
    lengths: list[int]  # ms per scene
    total: int  # ms
    canvas: tuple[int, int]
    narration: Narration


def _scene_spans(scenes: list[list[str]], narration: Narration) -> list[int]:
    """Milliseconds per scene: from its first sentence's start to the next scene's."""
    spans = narration.sentence_spans()
    firsts, at = [], 0
    for scene in scenes:
        firsts.append(spans[at][0])
        at += len(scene)
    ends = [*firsts[1:], narration.total_ms]
    return [max(1, e - s) for s, e in zip(firsts, ends, strict=True)]


def read_script(message: str, view: SessionView) -> Script | None:
    """The script in ``message``, or None when there is no script text to speak."""
    instruction, body = split_script(message)
    sentences = sentences_of(body)
    if word_count(body) < MIN_SCRIPT_WORDS or not sentences:
        return None
    durations = find_durations(instruction)
    spoken = narrate(sentences, view.speech, None)
    seconds = durations[0].seconds if durations else max(5.0, spoken.speech_ms / 1000)
    narration = narrate(sentences, view.speech, clamp_ms(clamp_seconds(seconds) * 1000))
    aspect = find_aspect(instruction)
    canvas = safe_canvas(view.canvas)
    canvas = canvas_for(aspect, canvas) if aspect else canvas
    scenes = group_scenes(sentences)
    lengths = _scene_spans(scenes, narration)
    return Script(instruction, body, scenes, lengths, narration.total_ms, canvas, narration)


def plan_script(message: str, view: SessionView, rng: random.Random, lang: Language) -> Plan:
    """Scenes and voiceover (generation), music under the voice, then captions (edits)."""
    script = read_script(message, view)
    if script is None:
        return Plan("clarify", lang, (), say("need_script", lang))
    raw = _raw_step(script, view, rng, lang)
    steps = [raw]
    music = choose_music(script.instruction, script.body, view.uploads)
    if music is not None:
        steps.append(music_step(raw.draft, script.canvas, music, lang, BGM_UNDER_VOICE_VOLUME))
    steps.append(_caption_step(steps[-1].draft, script, lang))
    ready = say("ready", lang) + (say("tip_script", lang) if script.total > 60_000 else "")
    steps[-1] = replace(steps[-1], text=f"{steps[-1].text} {ready}")
    return Plan("script_to_video", lang, tuple(steps), "")


def _visuals(
    script: Script, view: SessionView, rng: random.Random
) -> tuple[list[Segment], list[MediaSpec]]:
    """The uploads as a montage, or one synthesised clip per scene."""
    visuals = visuals_of(view.uploads, media_filter(script.instruction))
    if visuals:
        return montage_segments(visuals, script.total), []
    return _scene_clips(script.scenes, script.lengths, script.canvas, rng)


def _raw_step(script: Script, view: SessionView, rng: random.Random, lang: Language) -> Step:
    segments, media = _visuals(script, view, rng)
    spoken = " ".join(script.narration.sentences)
    voice = new_media(rng, "voiceover", spoken, script.total / 1000, script.canvas)
    voice = replace(voice, starts_ms=script.narration.starts_ms)
    width, height = script.canvas
    meta = DraftMeta(
        title=key_sentence(script.scenes[0])[:500], width=width, height=height, fps=DEFAULT_FPS
    )
    tracks = [video_track(segments), _voiceover_track(voice, script.total)]
    draft = Draft(tracks=tracks, duration=script.total, meta=meta)
    args = {
        "prompt": script.instruction, "script": script.body,
        "source": "text" if media else "uploads", "scenes": len(script.scenes),
        "duration_s": script.total / 1000, "width": width, "height": height, "voiceover": True,
    }  # fmt: skip
    result = {
        "status": "completed", "media_ids": [s.src or "" for s in segments],
        "voiceover_id": voice.media_id, **draft_facts(draft),
    }  # fmt: skip
    seconds = seconds_text(script.total)
    key = "raw_script_one" if len(script.scenes) == 1 else "raw_script"
    text = say(key, lang, scenes=len(script.scenes), seconds=seconds)
    return generation_step(draft, script.canvas, args, result, text, (*media, voice))


def _caption_step(draft: Draft, script: Script, lang: Language) -> Step:
    """One caption per spoken sentence (or phrase) while it is heard; a quoted title if asked."""
    captions: list[Segment] = []
    for text, start, end in script.narration.cues():
        captions.extend(overlay_segments([text], start, end, script.canvas))
    tracks = place_overlays(list(draft.tracks), captions)
    quotes = find_quotes(script.instruction)
    if quotes:
        span = title_span(draft.duration)
        tracks = place_title(tracks, title_segment(quotes[0], 0, span, script.canvas))
    after = rebuild(draft, tracks)
    texts = [c.text or "" for c in captions]
    args = {"operation": "add_captions", "captions": texts, "title": quotes[0] if quotes else None}
    result = {"captions": len(captions), **draft_facts(after)}
    shown = join_texts(texts[:2], lang) + ("…" if len(texts) > 2 else "")
    text = say("text_added", lang, count=len(captions), texts=shown)
    return edit_step(after, script.canvas, args, result, text)
