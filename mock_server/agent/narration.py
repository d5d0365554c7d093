"""When each sentence of a script is spoken, and the caption cues that follow it (pure).

The synthesiser times the sentences (``SessionView.speech``); the voiceover says them one
after another in that "speaking time". When the video is shorter than the speech, the
voiceover is sped up to fit and every time here is scaled by the same factor, so a cue
shows while its words are heard. One cue per sentence; a long sentence becomes one cue per
phrase (split at commas and semicolons), its time shared by characters. Cues are wrapped
by the renderer, never cut.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from nemo_mock.mock_server.agent.plan import SentenceTimer

WORDS_PER_MINUTE = 150
ESTIMATE_GAP_MS = 250
PHRASE_CHARS = 90
_PHRASE_END = re.compile(r"(?<=[,;:，；：、])\s*")


@dataclass(frozen=True)
class Narration:
    """The sentences, their starts in speaking time, and how they map onto the video."""

    sentences: tuple[str, ...]
    starts_ms: tuple[int, ...]  # speaking time (what the voiceover synthesiser is given)
    speech_ms: int  # how long saying everything takes
    total_ms: int  # the video's length

    @property
    def scale(self) -> float:
        """Video time per speaking time (1 unless the speech is sped up to fit)."""
        return min(1.0, self.total_ms / max(1, self.speech_ms))

    def sentence_spans(self) -> list[tuple[int, int]]:
        """[start, end) of each sentence on the video timeline (the last ends with it)."""
        starts = [round(s * self.scale) for s in self.starts_ms]
        ends = [*starts[1:], self.total_ms]
        return list(zip(starts, ends, strict=True))

    def cues(self) -> list[tuple[str, int, int]]:
        """(text, start, end) of each caption cue on the video timeline."""
        cues: list[tuple[str, int, int]] = []
        for sentence, (start, end) in zip(self.sentences, self.sentence_spans(), strict=True):
            cues.extend(_phrase_cues(sentence, start, end))
        return [(t, s, e) for t, s, e in cues if e > s]


def _estimate(sentences: list[str]) -> list[int]:
    return [
        max(400, round(len(s.split()) / WORDS_PER_MINUTE * 60_000)) + ESTIMATE_GAP_MS
        for s in sentences
    ]


def narrate(sentences: list[str], timer: SentenceTimer | None, total_ms: int | None) -> Narration:
    """Time ``sentences`` with ``timer`` (estimated without one); the video lasts ``total_ms``
    when given, else as long as the speech."""
    lengths = timer(sentences) if timer is not None else _estimate(sentences)
    starts = [sum(lengths[:i]) for i in range(len(lengths))]
    speech = max(1, sum(lengths))
    return Narration(tuple(sentences), tuple(starts), speech, total_ms or speech)


def _phrase_cues(sentence: str, start: int, end: int) -> list[tuple[str, int, int]]:
    if len(sentence) <= PHRASE_CHARS:
        return [(sentence, start, end)]
    phrases = _phrases(sentence)
    weights = [max(1, len(p)) for p in phrases]
    cues, at = [], start
    for i, phrase in enumerate(phrases):
        stop = end if i == len(phrases) - 1 else at + (end - start) * weights[i] // sum(weights)
        cues.append((phrase, at, stop))
        at = stop
    return cues


def _phrases(sentence: str) -> list[str]:
    """Clauses of about ``PHRASE_CHARS`` at most, joined back while short."""
    parts = [p.strip() for p in _PHRASE_END.split(sentence) if p.strip()]
    phrases: list[str] = []
    for part in parts:
        if phrases and len(phrases[-1]) + len(part) < PHRASE_CHARS:
            phrases[-1] = f"{phrases[-1]} {part}" if part[:1].isascii() else phrases[-1] + part
        else:
            phrases.append(part)
    return phrases
