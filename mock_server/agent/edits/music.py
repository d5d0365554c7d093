"""Add or change music: "add lo-fi background music", "use my song", "添加浪漫的背景音乐"."""

from __future__ import annotations

from nemo_mock.mock_server.agent.edit_audio import edit_music
from nemo_mock.mock_server.agent.edits.kind import Clause, EditKind, words
from nemo_mock.mock_server.agent.edits.vocabulary import MUSIC_WORDS
from nemo_mock.mock_server.agent.parsing import find_mood

_MUSIC_CHANGE = words(
    r"\b(?:add|use|change|replace|switch|swap|put|give|play|try|want|need|include|pick|choose"
    r"|different|another|new|with)\b|加|添加|换|用|改成|改为|来点|来一首|配上|配"
)
_OWN_MUSIC_HINT = words(r"\b(?:my|uploaded|own)\b|上传|我的")
_FADE = words(r"\bfad(?:e|es|ing)\b|淡入|淡出")
_REPLACE = words(r"\b(?:change|replace|switch|swap|different|another|new)\b|换|改成|改为")


def detect(clause: Clause) -> bool:
    """Music words with a sign of picking music, unless the clause is about loudness."""
    if "volume" in clause.found or not clause.has(MUSIC_WORDS):
        return False
    if clause.has(_FADE):  # "fade out the music": music only when new music is asked for
        mood = find_mood(clause.text) is not None
        return mood or clause.has(_OWN_MUSIC_HINT) or clause.has(_REPLACE)
    return (
        clause.has(_MUSIC_CHANGE)
        or find_mood(clause.text) is not None
        or clause.has(_OWN_MUSIC_HINT)
    )


KIND = EditKind(
    name="music",
    detect=detect,
    apply=edit_music,
    needs_content=False,
    intent="music",
    examples=(
        "add lo-fi background music",
        "change the music to upbeat",
        "use my song",
        "添加浪漫的背景音乐",
        "用我上传的音乐",
    ),
    changes="BGM track from the built-in library (`bgm_romantic`, `bgm_lofi`, `bgm_upbeat`, "
    "`bgm_cinematic`, `bgm_calm`) or an uploaded song, 35 % with fades",
)
