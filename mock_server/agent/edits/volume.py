"""Change loudness: "make the music louder", "set the music volume to 50%", "音乐调小一点"."""

from __future__ import annotations

import re

from nemo_mock.mock_server.agent.edit_audio import edit_volume
from nemo_mock.mock_server.agent.edits.kind import Clause, EditKind, words
from nemo_mock.mock_server.agent.edits.vocabulary import MUSIC_WORDS
from nemo_mock.mock_server.agent.parsing import find_mood

_LOUD_WORDS = words(
    r"\b(?:louder|quieter|softer|volume|mute|unmute|silence|too\s+loud|too\s+quiet)\b"
    r"|音量|大声|小声|静音|太吵|太响"
)
_LOUD_VERBS = words(
    r"\b(?:lower(?!\s+third)|raise|increase|decrease|reduce|boost"
    r"|turn\s+(?:[\w-]+\s+){0,3}?(?:up|down))\b"
    r"|调大|调小|大一点|小一点|轻一点|响一点|降低|提高|调低|调高"
)
_SOUND_NOUNS = words(
    r"\b(?:music|bgm|song|sound|audio|voice|voice-?over|narration)\b"
    r"|音乐|声音|原声|配音|音频|配乐"
)
_PERCENT_SIGN = re.compile(r"\d\s*(?:%|％|percent)|百分之")
PICK_MUSIC = words(
    r"\b(?:add|use|replace|switch|swap|different|another|new|my|uploaded|own)\b"
    r"|加|换成|换一首|换个|用|来点|配上|上传|我的"
)


def detect(clause: Clause) -> bool:
    """Loudness words, and (for music) no sign of picking different music."""
    loud = clause.has(_LOUD_WORDS) or (
        (clause.has(_LOUD_VERBS) or clause.has(_PERCENT_SIGN)) and clause.has(_SOUND_NOUNS)
    )
    if not loud or not clause.has(MUSIC_WORDS):
        return loud
    return find_mood(clause.text) is None and not clause.has(PICK_MUSIC)


KIND = EditKind(
    name="volume",
    detect=detect,
    apply=edit_volume,
    needs_content=True,
    intent="volume",
    examples=(
        "make the music louder",
        "set the music volume to 50%",
        "mute the clips",
        "音乐调小一点",
    ),
    changes="`v` of the track",
)
