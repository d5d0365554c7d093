"""The skill-surface reference's table of agent intents: the turn kinds, then one row per edit kind.

``python -m nemo_mock.mock_server.agent.edits.table`` prints it; ``--write FILE...`` replaces
the table between its two markers in each file. A test holds ``docs/reference/skill-surface.md``
equal to it, so the table cannot drift from ``edits/registry.py``.
"""

from __future__ import annotations

import sys
from pathlib import Path

from nemo_mock.mock_server.agent.edits.kind import EditKind
from nemo_mock.mock_server.agent.edits.registry import KINDS

BEGIN = (
    "<!-- agent-intents: written by `python -m nemo_mock.mock_server.agent.edits.table "
    "--write docs/reference/skill-surface.md` -->"
)
END = "<!-- /agent-intents -->"
HEADER = ("| intent | examples | what changes |", "|---|---|---|")

# Turns that are not edits: (intent, examples, what changes). Edits come between them.
GENERATIONS: tuple[tuple[str, str, str], ...] = (
    (
        "generate from uploads",
        '"create a 60-second wedding invitation video with our names, date, and romantic '
        'background music — Anna & Ben, June 5, 2027"; "turn these images into a 30-second promo '
        'video with music and text overlays"; "turn my photos into a smooth video slideshow with '
        'transitions and music"; "把这些照片做成一分钟的竖屏视频，配上浪漫的音乐"',
        "a montage of the uploads **in upload order** (photos only / clips only when the prompt "
        "says so), length from the prompt (60-second, 30 s, 1 minute, 一分钟, 30秒; default 15 s), "
        "clips trimmed, photos sharing the rest evenly; then post-production: music by mood, "
        "a title and overlays written from the prompt (names, date, place, product) or the "
        "file names, in the session's language; a placeholder only for a fact asked for but "
        "not given, and then the reply asks for it; with no orientation named, mostly "
        "portrait uploads make a portrait canvas (1080×1920) and the reply says so",
    ),
    (
        "generate from text",
        '"make me a 10-second sunset timelapse video" (+ "with lo-fi music and a title \'Golden '
        "Hour'\")",
        "one clip synthesised with ffmpeg (colours and motion from the prompt, deterministic), "
        "listed in `generated_media`",
    ),
    (
        "script to video",
        '"turn this script into a short promo video with voiceover and visuals: <300 words>"; '
        '"把这段脚本做成带配音的视频：…"',
        "scenes per sentence group, visuals from the uploads or synthesised (up to 6), a "
        "voiceover of real speech (espeak-ng from the `espeakng-loader` wheel, English or "
        "Mandarin; `NEMO_MOCK_ESPEAK_LIB` picks a system libespeak-ng), one caption per spoken "
        "sentence or phrase timed by the synthesiser, music under it at 20 %",
    ),
)
REPLIES: tuple[tuple[str, str, str], ...] = (
    (
        "chat",
        '"export", "download", "credits", "status", "hi", 导出, 积分',
        'a GUI-worded reply, no edit (a careless client that forwards "export" gets "click '
        'the Export button")',
    ),
    (
        "clarify",
        'anything else: "make it look better", "blorp"',
        "a question asking for specifics; no edit, no charge",
    ),
)


def markdown() -> str:
    """The table: generations, then the edit kinds in the registry's order, then replies."""
    rows = [_row(*row) for row in GENERATIONS]
    rows += [_edit_row(kind) for kind in KINDS]
    rows += [_row(*row) for row in REPLIES]
    return "\n".join([*HEADER, *rows])


def _row(intent: str, examples: str, changes: str) -> str:
    return f"| {intent} | {examples} | {changes} |"


def _edit_row(kind: EditKind) -> str:
    examples = ", ".join(f'"{example}"' for example in kind.examples)
    return _row(f"edit: `{kind.name}`", examples, kind.changes)


def replaced(text: str) -> str:
    """``text`` with the table between the markers written anew."""
    head, begin, rest = text.partition(BEGIN)
    _, end, tail = rest.partition(END)
    if not begin or not end:
        raise ValueError(f"the markers {BEGIN!r} and {END!r} are not both there")
    return f"{head}{BEGIN}\n{markdown()}\n{END}{tail}"


def written(text: str) -> str:
    """The table as it stands between the markers of ``text``."""
    _, _, rest = text.partition(BEGIN)
    return rest.partition(END)[0].strip("\n")


def main(argv: list[str]) -> int:
    if argv[:1] == ["--write"] and len(argv) > 1:
        for name in argv[1:]:
            path = Path(name)
            path.write_text(replaced(path.read_text(encoding="utf-8")), encoding="utf-8")
        return 0
    print(markdown())
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
