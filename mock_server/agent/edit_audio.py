"""Audio edits: add, replace or re-level the background music; clip and voiceover volume."""

from __future__ import annotations

import re

from nemo_mock.mock_server.agent.edit_types import EMPTY_TIMELINE_MS, Change, Outcome, Reply, Work
from nemo_mock.mock_server.agent.edits.kind import EditOp
from nemo_mock.mock_server.agent.music import (
    LIBRARY_MOODS,
    LIBRARY_PREFIX,
    MusicChoice,
    bgm_track,
    choose_music,
    last_song,
    library_choice,
    named_song,
    upload_choice,
    wants_own_music,
)
from nemo_mock.mock_server.agent.parsing import find_mood, find_percent
from nemo_mock.mock_server.agent.timeline import (
    BGM_UNDER_VOICE_VOLUME,
    BGM_VOLUME,
    find_track,
    is_bgm,
    is_video,
    is_voiceover,
    put_track,
    rebuild,
    retracked,
    segment_kind,
    updated,
    upload_for,
)
from nemo_mock.mock_server.agent.wording import WORDS, pick, say
from nemo_mock.mock_server.domain.drafts import Draft, Segment, Track

_CHANGE = re.compile(
    r"\b(?:change|replace|switch|swap|different|another|new|other)\b|换|改|另一", re.IGNORECASE
)
_UP = re.compile(
    r"\b(?:louder|raise|increase|boost|higher|turn\s+(?:it\s+)?up|up)\b|大声|调大|大一点|响一点|提高|调高|增大",
    re.IGNORECASE,
)
_DOWN = re.compile(
    r"\b(?:quieter|softer|lower|decrease|reduce|down|too\s+loud)\b|小声|调小|小一点|轻一点|降低|调低|太吵|太响|减小",
    re.IGNORECASE,
)
_MUTE = re.compile(r"\b(?:mute|silence|silent)\b|静音", re.IGNORECASE)
_UNMUTE = re.compile(r"\bunmute\b|取消静音", re.IGNORECASE)
_CLIP_AUDIO = re.compile(
    r"\b(?:clips?|videos?|footage|original\s+(?:sound|audio)|clip\s+audio)\b|原声|视频声音|视频的声音",
    re.IGNORECASE,
)
_VOICE = re.compile(r"\b(?:voice-?over|narration|narrator|voice)\b|配音|旁白|解说", re.IGNORECASE)
_MUSIC = re.compile(r"\b(?:music|bgm|songs?|soundtrack)\b|音乐|配乐|背景乐|歌", re.IGNORECASE)
STEP = 15


# --------------------------------------------------------------------------- music


def _current_bgm(draft: Draft) -> Segment | None:
    index = find_track(draft, is_bgm)
    track = draft.tracks[index] if index is not None else None
    return track.segments[0] if track and track.segments else None


def _choice_of(segment: Segment, work: Work) -> MusicChoice:
    src = segment.src or ""
    mood = src[len(LIBRARY_PREFIX) :] if src.startswith(LIBRARY_PREFIX) else None
    if mood in LIBRARY_MOODS:
        return library_choice(mood)
    upload = upload_for(src, work.view.uploads)
    if upload is not None:
        return upload_choice(upload)
    return MusicChoice(src, segment.name or src, None, None)


def _next_mood(current: MusicChoice | None) -> str:
    if current is None or current.mood not in LIBRARY_MOODS:
        return LIBRARY_MOODS[0]
    return LIBRARY_MOODS[(LIBRARY_MOODS.index(current.mood) + 1) % len(LIBRARY_MOODS)]


def _pick_music(op: EditOp, work: Work, current: MusicChoice | None) -> MusicChoice | None:
    text = op.raw
    named = named_song(text, work.view.uploads)
    if named is not None:
        return upload_choice(named)
    if wants_own_music(text):
        song = last_song(work.view.uploads)
        return upload_choice(song) if song else None
    mood = find_mood(text)
    if mood is not None:
        return library_choice(mood)
    if current is None:
        return choose_music(text, f"{text} {work.draft.meta.title or ''}", work.view.uploads)
    if _CHANGE.search(op.clause):
        return library_choice(_next_mood(current))
    return current


def _default_volume(draft: Draft) -> int:
    has_voice = find_track(draft, is_voiceover) is not None
    return BGM_UNDER_VOICE_VOLUME if has_voice else BGM_VOLUME


def _music_volume(
    op: EditOp, work: Work, choice: MusicChoice, current: MusicChoice | None, old: int | None
) -> int:
    """A percentage asked for; else the default for new music or music named again ("add
    lo-fi music" resets lo-fi to 35 %); else the level the user had."""
    percent = find_percent(op.clause)
    if percent is not None:
        return percent
    named = wants_own_music(op.raw) or find_mood(op.raw) is not None
    if old is None or (named and current is not None and current.src == choice.src):
        return _default_volume(work.draft)
    return old


def edit_music(op: EditOp, work: Work) -> Outcome:
    """Add, replace or re-level the BGM; "use my song" picks the latest uploaded audio."""
    segment = _current_bgm(work.draft)
    current = _choice_of(segment, work) if segment else None
    choice = _pick_music(op, work, current)
    if choice is None:
        return Reply(say("no_song", work.lang))
    old_volume = segment.volume if segment else None
    volume = _music_volume(op, work, choice, current, old_volume)
    label = choice.describe(work.lang)
    same_source = current is not None and current.src == choice.src
    if same_source and volume == old_volume:
        return Reply(say("music_same", work.lang, mood=label, volume=volume), clarify=False)
    total = work.draft.duration or EMPTY_TIMELINE_MS
    index = find_track(work.draft, is_bgm)
    tracks = put_track(list(work.draft.tracks), index, bgm_track(choice, total, volume))
    draft = rebuild(work.draft, tracks, duration=total)
    key = "music_replaced" if current is not None and not same_source else "music_added"
    args = {
        "operation": "set_background_music",
        "mood": choice.mood,
        "src": choice.src,
        "volume": volume,
    }
    result = {"track": "BGM", "src": choice.src, "volume": volume, "replaced": current is not None}
    return Change(draft, work.canvas, args, result, say(key, work.lang, mood=label, volume=volume))


# --------------------------------------------------------------------------- volume


def _target(clause: str, draft: Draft) -> str:
    if _VOICE.search(clause):
        return "voiceover"
    if _MUSIC.search(clause):
        return "music"
    if _CLIP_AUDIO.search(clause):
        return "clips"
    return "music" if find_track(draft, is_bgm) is not None else "clips"


def _new_volume(clause: str, current: int, target: str) -> int:
    percent = find_percent(clause)
    if percent is not None:
        return percent
    if _UNMUTE.search(clause):
        return BGM_VOLUME if target == "music" else 100
    if _MUTE.search(clause):
        return 0
    if _DOWN.search(clause):
        return max(0, current - STEP)
    if _UP.search(clause):
        return min(100, current + STEP) if current < 100 else min(200, current + STEP)
    return current


def _is_target(track: Track, segment: Segment, target: str, work: Work) -> bool:
    if target == "music":
        return is_bgm(track)
    if target == "voiceover":
        return is_voiceover(track)
    return is_video(track) and segment_kind(segment, work.view.uploads) == "clip"


def _targets(draft: Draft, target: str, work: Work) -> list[tuple[int, int]]:
    """(track, segment) indices whose volume the edit sets."""
    return [
        (ti, si)
        for ti, track in enumerate(draft.tracks)
        for si, segment in enumerate(track.segments)
        if _is_target(track, segment, target, work)
    ]


def edit_volume(op: EditOp, work: Work) -> Outcome:
    """Set the volume of the music, the clips' own audio or the voiceover."""
    clause = op.clause.lower()
    target = _target(clause, work.draft)
    spots = _targets(work.draft, target, work)
    label = pick(WORDS, target, work.lang)
    if not spots:
        return Reply(say("volume_nothing", work.lang, target=label), clarify=False)
    first = work.draft.tracks[spots[0][0]].segments[spots[0][1]]
    default = BGM_VOLUME if target == "music" else 100
    current = first.volume if first.volume is not None else default
    volume = _new_volume(clause, current, target)
    tracks: list[Track] = list(work.draft.tracks)
    for ti in sorted({t for t, _ in spots}):
        chosen = {si for t, si in spots if t == ti}
        segments = [
            updated(s, volume=volume) if i in chosen else s
            for i, s in enumerate(tracks[ti].segments)
        ]
        tracks[ti] = retracked(tracks[ti], segments)
    draft = rebuild(work.draft, tracks)
    args = {"operation": "set_volume", "target": target, "volume": volume}
    result = {"target": target, "volume": volume, "previous": current, "segments": len(spots)}
    return Change(
        draft, work.canvas, args, result, say("volume_set", work.lang, target=label, volume=volume)
    )
