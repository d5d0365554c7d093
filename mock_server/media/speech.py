"""Speech with espeak-ng through a small ctypes binding (no system package needed).

The library and its voices come from the ``espeakng-loader`` wheel; ``NEMO_MOCK_ESPEAK_LIB``
(a ``libespeak-ng`` shared library) and ``NEMO_MOCK_ESPEAK_DATA`` (its ``espeak-ng-data``
folder, optional) override it with a system install. Synthesis is synchronous
(``AUDIO_OUTPUT_SYNCHRONOUS``): samples arrive in the callback with the engine's own events,
so each sentence's length is the synthesiser's timing, not an estimate. The library keeps
global state, so every call holds one process-wide lock. The same text and voice give the
same samples.
"""

from __future__ import annotations

import ctypes
import os
import re
import threading
from array import array
from dataclasses import dataclass
from functools import lru_cache

LIB_ENV_VAR = "NEMO_MOCK_ESPEAK_LIB"
DATA_ENV_VAR = "NEMO_MOCK_ESPEAK_DATA"
ENGLISH, CHINESE = "en-us", "cmn"
RATE_WPM = 160  # espeak-ng's words per minute
SENTENCE_GAP_MS = 250

_AUDIO_OUTPUT_SYNCHRONOUS = 2
_CHARS_UTF8 = 1
_POS_CHARACTER = 1
_PARAM_RATE = 1
_EVENT_END = 5
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_SENTENCE_END = re.compile(r"(?<=[.!?。！？])\s*")  # as the agent splits a script


class SpeechUnavailable(RuntimeError):
    """No usable espeak-ng library (the message says which and why)."""


class _EventId(ctypes.Union):
    _fields_ = [("number", ctypes.c_int), ("name", ctypes.c_char_p), ("string", ctypes.c_char * 8)]


class _Event(ctypes.Structure):
    _fields_ = [
        ("type", ctypes.c_int),
        ("unique_identifier", ctypes.c_uint),
        ("text_position", ctypes.c_int),
        ("length", ctypes.c_int),
        ("audio_position", ctypes.c_int),
        ("sample", ctypes.c_int),
        ("user_data", ctypes.c_void_p),
        ("id", _EventId),
    ]


_CALLBACK = ctypes.CFUNCTYPE(
    ctypes.c_int, ctypes.POINTER(ctypes.c_short), ctypes.c_int, ctypes.POINTER(_Event)
)


@dataclass(frozen=True)
class Speech:
    """Mono 16-bit samples at ``rate`` Hz."""

    samples: array[int]  # array("h")
    rate: int

    @property
    def ms(self) -> int:
        return len(self.samples) * 1000 // self.rate


def voice_for(text: str) -> str:
    """Mandarin for text with Chinese characters, else American English."""
    return CHINESE if _CJK.search(text) else ENGLISH


def sentences_of(text: str) -> list[str]:
    """The text split after sentence-ending punctuation (western and Chinese)."""
    return [s.strip() for s in _SENTENCE_END.split(text) if s.strip()]


class _Engine:
    """The loaded library, initialised once; calls are serialised by the caller's lock."""

    def __init__(self, library: str, data: str | None) -> None:
        try:
            self._lib = ctypes.CDLL(library)
        except OSError as exc:
            raise SpeechUnavailable(f"cannot load espeak-ng from {library}: {exc}") from None
        self._lib.espeak_Initialize.restype = ctypes.c_int
        self._lib.espeak_Initialize.argtypes = [
            ctypes.c_int, ctypes.c_int, ctypes.c_char_p, ctypes.c_int,
        ]  # fmt: skip
        self._lib.espeak_SetVoiceByName.argtypes = [ctypes.c_char_p]
        self._lib.espeak_Synth.argtypes = [
            ctypes.c_void_p, ctypes.c_size_t, ctypes.c_uint, ctypes.c_int, ctypes.c_uint,
            ctypes.c_uint, ctypes.c_void_p, ctypes.c_void_p,
        ]  # fmt: skip
        path = data.encode() if data else None
        self.rate = self._lib.espeak_Initialize(_AUDIO_OUTPUT_SYNCHRONOUS, 0, path, 0)
        if self.rate <= 0:
            raise SpeechUnavailable(f"espeak-ng at {library} did not start (data: {data})")
        self._chunks: list[bytes] = []
        self._callback = _CALLBACK(self._receive)  # kept referenced while the library lives
        self._lib.espeak_SetSynthCallback(self._callback)

    def _receive(self, wav: ctypes._Pointer[ctypes.c_short], count: int, events: object) -> int:
        if count > 0 and wav:
            self._chunks.append(ctypes.string_at(wav, count * 2))
        return 0

    def speak(self, text: str, voice: str) -> Speech:
        if self._lib.espeak_SetVoiceByName(voice.encode()) != 0:
            raise SpeechUnavailable(f"espeak-ng has no voice {voice!r}")
        self._lib.espeak_SetParameter(_PARAM_RATE, RATE_WPM, 0)
        self._chunks = []
        raw = text.encode() + b"\0"
        status = self._lib.espeak_Synth(
            raw, len(raw), 0, _POS_CHARACTER, 0, _CHARS_UTF8, None, None
        )
        self._lib.espeak_Synchronize()
        if status != 0:
            raise SpeechUnavailable(f"espeak-ng refused the text (status {status})")
        samples = array("h")
        samples.frombytes(b"".join(self._chunks))
        return Speech(samples, self.rate)


_LOCK = threading.Lock()


def _library() -> tuple[str, str | None]:
    override = os.environ.get(LIB_ENV_VAR, "").strip()
    if override:
        return override, os.environ.get(DATA_ENV_VAR, "").strip() or None
    try:
        import espeakng_loader
    except ImportError:
        raise SpeechUnavailable("espeakng-loader is not installed") from None
    return espeakng_loader.get_library_path(), espeakng_loader.get_data_path()


@lru_cache(maxsize=1)
def _engine(library: str, data: str | None) -> _Engine:
    return _Engine(library, data)


@lru_cache(maxsize=512)
def speak(text: str, voice: str) -> Speech:
    """``text`` spoken by ``voice``; raises :class:`SpeechUnavailable`."""
    with _LOCK:
        return _engine(*_library()).speak(text[:20000], voice)


def available() -> bool:
    """Whether speech can be synthesised here."""
    try:
        return speak("ok", ENGLISH).ms > 0
    except SpeechUnavailable:
        return False


def sentence_lengths(sentences: list[str]) -> list[int]:
    """Milliseconds each sentence takes to say, as the synthesiser times it (plus the gap)."""
    return [speak(s, voice_for(s)).ms + SENTENCE_GAP_MS for s in sentences]


def spoken_sentences(sentences: list[str], starts_ms: list[int], total_ms: int) -> Speech:
    """The sentences said one after another, each starting at its ``starts_ms`` (silence
    before it; a sentence that would overrun the next start is cut there), ``total_ms`` long."""
    rate = speak("ok", ENGLISH).rate
    out = array("h", bytes(2 * (total_ms * rate // 1000)))
    ends = [*starts_ms[1:], total_ms]
    for sentence, start, end in zip(sentences, starts_ms, ends, strict=True):
        said = speak(sentence, voice_for(sentence)).samples
        first, last = start * rate // 1000, min(len(out), end * rate // 1000)
        room = max(0, last - first)
        out[first : first + min(room, len(said))] = said[:room]
    return Speech(out, rate)
