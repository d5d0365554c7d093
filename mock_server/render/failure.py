"""Why a render failed, in words a client can act on: which source, never a server path.

ffmpeg's stderr names inputs by absolute path (``/data/uploads/f_…/clip.mp4: Invalid
data``) or by number (``Error while decoding stream #2:0``, ``[in#2/mov…]``). ``explain``
turns both into the draft's ``src`` (``'f_…'``), hides every other path and says which
sources the failure touched.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence

from nemo_mock.mock_server.render.progress import trim_reason

_INPUT_NUMBER = re.compile(r"(?:in#|[Ii]nput #|stream #)(\d+)")
_ABSOLUTE_PATH = re.compile(r"(?<![\w.])/(?:[^\s/:'\"]+/)+([^\s/:'\"]+)")


def input_paths(args: Sequence[str]) -> list[str]:
    """The ``-i`` arguments in ffmpeg's numbering (input #0 first)."""
    return [args[i + 1] for i, arg in enumerate(args[:-1]) if arg == "-i"]


def explain(stderr: Iterable[str], args: Sequence[str], sources: Mapping[str, str]) -> str:
    """ffmpeg's failure with each input named by its ``src`` (``sources``: path -> src)."""
    inputs = input_paths(args)
    text = trim_reason(stderr)
    named: list[str] = []
    for path, src in sorted(sources.items(), key=lambda item: -len(item[0])):
        if path in text:
            text = text.replace(path, repr(src))
            named.append(src)
    for match in _INPUT_NUMBER.finditer(text):
        number = int(match.group(1))
        found = sources.get(inputs[number]) if number < len(inputs) else None
        if found is not None and found not in named:
            named.append(found)
    text = _ABSOLUTE_PATH.sub(lambda m: m.group(1), text)
    if named:
        return f"ffmpeg failed on media {', '.join(map(repr, named))}: {text}"
    every = ", ".join(repr(src) for src in dict.fromkeys(sources.values()))
    return f"ffmpeg failed rendering the draft (media: {every or 'none'}): {text}"
