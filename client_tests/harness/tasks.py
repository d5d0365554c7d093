"""The files a scenario's task asks the client to upload, generated on demand."""

from __future__ import annotations

from pathlib import Path

from nemo_mock.mock_server.media.samples import make_clip, make_photo, make_song

COLOURS = ("red", "royalblue", "gold", "seagreen", "orchid", "darkorange")
PHOTO_SIZE = (640, 360)


def materialise(names: list[str], folder: Path) -> list[Path]:
    """Create (or reuse) each named file in ``folder``: photos, clips, songs or text."""
    folder.mkdir(parents=True, exist_ok=True)
    return [_make(folder / name, index) for index, name in enumerate(names)]


def _make(path: Path, index: int) -> Path:
    if path.is_file() and path.stat().st_size > 0:
        return path
    suffix = path.suffix.lower()
    colour = COLOURS[index % len(COLOURS)]
    width, height = PHOTO_SIZE
    if suffix in (".png", ".jpg", ".jpeg", ".webp", ".gif"):
        return make_photo(path, width=width, height=height, color=colour, label=path.stem)
    if suffix in (".mp4", ".mov", ".webm", ".mkv"):
        return make_clip(path, seconds=2, width=width, height=height, color=colour)
    if suffix in (".mp3", ".wav", ".m4a"):
        return make_song(path, seconds=3)
    path.write_text(f"{path.name}: not a media file\n", encoding="utf-8")
    return path
