"""The errors the render engine raises; each carries a short human ``reason``."""

from __future__ import annotations


class RenderError(Exception):
    """A draft could not be rendered; ``reason`` says why in a few words."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class MissingMedia(RenderError):
    """A segment's ``src`` could not be resolved to a media file."""

    def __init__(self, src: str, reason: str | None = None) -> None:
        super().__init__(reason or f"media not found: {src}")
        self.src = src


class RenderFailed(RenderError):
    """ffmpeg failed or timed out; ``reason`` is the tail of what it said, ``command`` the
    command line that failed (when ffmpeg ran at all)."""

    def __init__(self, reason: str, command: list[str] | None = None) -> None:
        super().__init__(reason)
        self.command = command


class RenderCancelled(RenderError):
    """The render was cancelled before it finished; no output was left behind."""

    def __init__(self, reason: str = "render cancelled") -> None:
        super().__init__(reason)
