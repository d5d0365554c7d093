"""Facts found in a message, one module per concept: quoted text, durations, percentages,
names, dates, moods and themes, the canvas asked for, and text position.

Every function is pure and works on English and Chinese. Functions that return positions
do so for the text they were given, so callers can mask or slice it.
"""

from nemo_mock.mock_server.agent.parsing.aspect import (
    AspectRequest,
    Orientation,
    aspect_label,
    canvas_for,
    find_aspect,
)
from nemo_mock.mock_server.agent.parsing.dates import find_date
from nemo_mock.mock_server.agent.parsing.durations import (
    MAX_SECONDS,
    Duration,
    clamp_seconds,
    find_durations,
)
from nemo_mock.mock_server.agent.parsing.moods import (
    DEFAULT_MOOD,
    THEME_MOODS,
    find_mood,
    find_theme,
    mood_for,
)
from nemo_mock.mock_server.agent.parsing.names import find_names
from nemo_mock.mock_server.agent.parsing.percent import find_percent
from nemo_mock.mock_server.agent.parsing.position import Position, find_position
from nemo_mock.mock_server.agent.parsing.quotes import QUOTE_MARK, Masked, find_quotes, mask_quotes
from nemo_mock.mock_server.agent.parsing.words import has_any, is_chinese, word_count

__all__ = [
    "DEFAULT_MOOD",
    "MAX_SECONDS",
    "QUOTE_MARK",
    "THEME_MOODS",
    "AspectRequest",
    "Duration",
    "Masked",
    "Orientation",
    "Position",
    "aspect_label",
    "canvas_for",
    "clamp_seconds",
    "find_aspect",
    "find_date",
    "find_durations",
    "find_mood",
    "find_names",
    "find_percent",
    "find_position",
    "find_quotes",
    "find_theme",
    "has_any",
    "is_chinese",
    "mask_quotes",
    "mood_for",
    "word_count",
]
