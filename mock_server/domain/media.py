"""What the mock accepts as an upload and how an accepted file is recorded.

Only the rules live here; streaming, hashing and probing happen in
``nemo_mock.mock_server.media``, which reports its findings back through these types.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import PurePosixPath
from typing import Any, Literal

from nemo_mock.mock_server.domain.errors import (
    SUPPORTED_FORMATS_TEXT,
    FileTooLarge,
    UnsupportedFileType,
)

MediaKind = Literal["video", "image", "audio"]

ACCEPTED_EXTENSIONS: dict[str, MediaKind] = {
    **dict.fromkeys((".mp4", ".mov", ".avi", ".webm", ".mkv"), "video"),
    **dict.fromkeys((".jpg", ".jpeg", ".png", ".gif", ".webp"), "image"),
    **dict.fromkeys((".mp3", ".wav", ".m4a", ".aac"), "audio"),
}

#: Longest file name in UTF-8 bytes (what file systems allow for one path component).
MAX_FILENAME_BYTES = 255


def kind_for_filename(filename: str) -> MediaKind:
    """The kind a filename promises, or ``UnsupportedFileType`` naming what is accepted."""
    suffix = PurePosixPath(filename).suffix.lower()
    kind = ACCEPTED_EXTENSIONS.get(suffix)
    if kind is None:
        shown = f"'{suffix}'" if suffix else "a file with no extension"
        raise UnsupportedFileType(
            f"unsupported file type {shown} for {filename!r} (supported: {SUPPORTED_FORMATS_TEXT})"
        )
    return kind


def check_content(filename: str, promised: MediaKind, found: MediaKind | None, why: str) -> None:
    """Refuse a file whose content is not what its extension promises."""
    if found is None:
        raise UnsupportedFileType(
            f"{filename!r} is not a readable {promised} file ({why}); "
            f"supported: {SUPPORTED_FORMATS_TEXT}"
        )
    if found != promised:
        raise UnsupportedFileType(
            f"{filename!r} is named like a {promised} file but contains {_a(found)} {found}"
        )


def too_large(filename: str, limit_bytes: int) -> FileTooLarge:
    mb = limit_bytes / (1024 * 1024)
    return FileTooLarge(
        f"{filename!r} is larger than the {mb:.3g} MB limit: compress or trim it and upload again"
    )


def safe_filename(raw: str | None, fallback: str) -> str:
    """The last path component, printable and at most 255 bytes in UTF-8; never a path.

    A longer name loses characters from its front, so its extension stays."""
    name = PurePosixPath((raw or "").replace("\\", "/")).name.strip()
    name = "".join(ch for ch in name if ch.isprintable() and not 0xD800 <= ord(ch) <= 0xDFFF)
    name = name.encode("utf-8")[-MAX_FILENAME_BYTES:].decode("utf-8", "ignore").lstrip()
    return fallback if name in ("", ".", "..") else name


@dataclass(frozen=True)
class MediaFile:
    """An accepted, probed upload as the session state and the render see it."""

    file_id: str
    filename: str
    file_type: MediaKind
    cdn_url: str
    duration: float | None
    width: int | None
    height: int | None
    fps: float | None
    hash: str
    size: int
    uploaded_at: datetime
    storage_path: str
    rotation: int = 0  # degrees clockwise applied for display; width/height are as displayed
    transparent: bool = False  # an image with see-through pixels (a logo)

    def to_upload_json(self) -> dict[str, Any]:
        return {
            "file_id": self.file_id,
            "filename": self.filename,
            "file_type": self.file_type,
            "cdn_url": self.cdn_url,
            "duration": self.duration,
            "width": self.width,
            "height": self.height,
            "fps": self.fps,
            "hash": self.hash,
            "size": self.size,
            "rotation": self.rotation,
        }

    def to_state_json(self) -> dict[str, Any]:
        return {**self.to_upload_json(), "uploaded_at": self.uploaded_at.isoformat()}


def _a(kind: str) -> str:
    return "an" if kind[0] in "aeiou" else "a"
