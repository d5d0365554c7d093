"""What a draft's ``src`` values point at (see docs/draft-conventions.md).

Uploads (``f_…`` or their ``cdn_url``) must belong to the job's user; generated
media (``gen_…``) to the job's session; ``bgm_<mood>`` is the built-in library.
Every source is probed, so the engine learns its real kind, size and length.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

from nemo_mock.mock_server.domain.backend import NemoBackend
from nemo_mock.mock_server.domain.sessions import Session
from nemo_mock.mock_server.render import MissingMedia, RenderFailed, ResolvedMedia, Resolver

CDN_PATH = re.compile(r"/cdn/(f_[0-9a-f]+)/")
EXPECTED = "an upload id f_…, its cdn_url, a generated gen_… id or a library bgm_<mood>"


def resolver_for(backend: NemoBackend, session: Session, library_dir: Path) -> Resolver:
    def resolve(src: str) -> ResolvedMedia:
        return probed(src, _locate(src, backend, session, library_dir))

    return resolve


def _locate(src: str, backend: NemoBackend, session: Session, library_dir: Path) -> Path:
    if src.startswith(("http://", "https://")):
        match = CDN_PATH.search(urlsplit(src).path)
        if match is None:
            raise MissingMedia(f"media {src!r} is not a file of this mock ({EXPECTED})")
        src = match.group(1)
    if src.startswith("f_"):
        return _upload(src, backend, session)
    if src.startswith("gen_"):
        return _generated(src, session)
    if src.startswith("bgm_"):
        return library_track(src, library_dir)
    raise MissingMedia(f"unknown media {src[:200]!r}: expected {EXPECTED}")


def _upload(file_id: str, backend: NemoBackend, session: Session) -> Path:
    for owned in backend.sessions.of_user(session.user_id):
        for media in owned.state.video_infos:
            if media.file_id == file_id:
                return Path(media.storage_path)
    raise MissingMedia(f"media {file_id!r} is not an upload of this user")


def _generated(media_id: str, session: Session) -> Path:
    for entry in session.state.generated_media:
        if entry.get("id") == media_id and entry.get("path"):
            return Path(str(entry["path"]))
    raise MissingMedia(f"generated media {media_id!r} is not in this session")


def library_track(src: str, library_dir: Path) -> Path:
    from nemo_mock.mock_server.media.generated import MUSIC_MOODS, music_track

    mood = src.removeprefix("bgm_")
    if mood not in MUSIC_MOODS:
        raise MissingMedia(f"no library track {src!r} (moods: {', '.join(MUSIC_MOODS)})")
    return music_track(mood, library_dir)


def probed(src: str, path: Path) -> ResolvedMedia:
    """``path`` as the engine needs it: its real kind, size and length, or why not."""
    from nemo_mock.mock_server.media.probe import ProbeError, probe

    if not path.is_file():
        raise MissingMedia(f"media {src!r} is gone from the data dir ({path.name})")
    try:
        found = probe(path)
    except ProbeError as exc:
        raise RenderFailed(f"media {src!r} is not readable: {exc}") from None
    return ResolvedMedia(
        path=path,
        kind=found.kind,
        duration=found.duration,
        width=found.width,
        height=found.height,
        has_audio=found.has_audio,
        ink=found.ink,
    )
