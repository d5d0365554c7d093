"""Background music: the built-in library, choosing a source and building the BGM track."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from nemo_mock.mock_server.agent.parsing import DEFAULT_MOOD, THEME_MOODS, find_mood, find_theme
from nemo_mock.mock_server.agent.timeline import (
    BGM_FADE_IN_MS,
    BGM_FADE_OUT_MS,
    BGM_NAME,
    make_track,
)
from nemo_mock.mock_server.agent.wording import MOOD_LABELS, Language, pick
from nemo_mock.mock_server.domain.drafts import Segment, Track, TrackType
from nemo_mock.mock_server.domain.media import MediaFile

LIBRARY_MOODS: tuple[str, ...] = ("romantic", "lofi", "upbeat", "cinematic", "calm")
LIBRARY_PREFIX = "bgm_"

_OWN_MUSIC = re.compile(
    r"\b(?:my|our|the\s+uploaded|uploaded|own)\s+(?:own\s+)?(?:song|music|track|audio|tune|bgm)"
    r"|\buse\s+(?:the\s+)?(?:song|music|audio)\s+i\s+uploaded"
    r"|我上传的|我的(?:音乐|歌|配乐)|上传的(?:音乐|歌|配乐)|自己的(?:音乐|歌)",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class MusicChoice:
    """Where the music comes from: a library mood or an uploaded audio file."""

    src: str
    label: str  # shown as the segment name ("Lo-fi", or the song's filename)
    mood: str | None  # library mood, None for an upload
    own_ms: int | None  # length of an uploaded song, None for the (looping) library

    def describe(self, lang: Language) -> str:
        if self.mood is not None:
            label = pick(MOOD_LABELS, self.mood, lang)
            return label if lang == "zh" else label.lower()
        return f"“{self.label}”" if lang == "zh" else f'"{self.label}"'


def library_choice(mood: str) -> MusicChoice:
    return MusicChoice(LIBRARY_PREFIX + mood, MOOD_LABELS[mood][0], mood, None)


def upload_choice(song: MediaFile) -> MusicChoice:
    own = int(song.duration * 1000) if song.duration else None
    return MusicChoice(song.file_id, song.filename, None, own)


def wants_own_music(text: str) -> bool:
    return _OWN_MUSIC.search(text) is not None


def last_song(uploads: Sequence[MediaFile]) -> MediaFile | None:
    return next((u for u in reversed(uploads) if u.file_type == "audio"), None)


def named_song(text: str, uploads: Sequence[MediaFile]) -> MediaFile | None:
    """The uploaded song ``text`` names by its file name ("use our_song.mp3 as the music")."""
    lowered = text.lower()
    for upload in reversed(uploads):
        if upload.file_type != "audio":
            continue
        name = upload.filename.lower()
        stem = name.rsplit(".", 1)[0]
        if name in lowered or (len(stem) >= 4 and stem in lowered):
            return upload
    return None


def choose_music(
    text: str, context: str, uploads: Sequence[MediaFile], *, upload_first: bool = False
) -> MusicChoice | None:
    """The music ``text`` asks for; None when it asks for an uploaded song there is none of.

    A song named by its file name wins; then a mood named in ``text`` (unless
    ``upload_first``: a generation with a song uploaded uses the song, whatever mood the
    prompt describes); then an uploaded song (the latest); then the mood the theme of
    ``text`` and ``context`` suggests (wedding → romantic, promo → upbeat, …).
    """
    named = named_song(text, uploads)
    if named is not None:
        return upload_choice(named)
    song = last_song(uploads)
    if wants_own_music(text):
        return upload_choice(song) if song else None
    mood = find_mood(text)
    if mood is not None and not (upload_first and song is not None):
        return library_choice(mood)
    if song is not None:
        return upload_choice(song)
    theme = find_theme(f"{text} {context}")
    return library_choice(THEME_MOODS[theme] if theme else DEFAULT_MOOD)


def bgm_segment(choice: MusicChoice, total: int, volume: int) -> Segment:
    half = total // 2
    return Segment(
        start=0,
        duration=total,
        src=choice.src,
        name=choice.label,
        volume=volume,
        fade_in=min(BGM_FADE_IN_MS, half),
        fade_out=min(BGM_FADE_OUT_MS, half),
        loop=choice.own_ms is None or choice.own_ms < total,
    )


def bgm_track(choice: MusicChoice, total: int, volume: int) -> Track:
    return make_track(TrackType.AUDIO, BGM_NAME, [bgm_segment(choice, total, volume)])
