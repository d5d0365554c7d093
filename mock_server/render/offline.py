"""Sources for ``nemo-mock render`` outside a running mock.

A ``src`` may be a file path (absolute, or relative to the draft file), an id
whose file lies in a ``--media-dir`` (``f_abc…`` finds ``f_abc….jpg`` or
``f_abc…/photo.jpg``), an http(s) URL (a running mock's ``cdn_url`` works), or
a library track ``bgm_<mood>``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from pathlib import Path, PurePosixPath
from urllib.parse import urlsplit

from nemo_mock.mock_server.render import MissingMedia, ResolvedMedia, Resolver
from nemo_mock.mock_server.render.sources import library_track, probed


def offline_resolver(
    base_dir: Path, media_dirs: Sequence[Path], cache_dir: Path, *, timeout: float = 60
) -> Resolver:
    def resolve(src: str) -> ResolvedMedia:
        if src.startswith("bgm_"):
            return probed(src, library_track(src, cache_dir / "library"))
        if src.startswith(("http://", "https://")):
            return probed(src, _download(src, cache_dir / "downloads", timeout))
        return probed(src, _local(src, base_dir, media_dirs))

    return resolve


def _local(src: str, base_dir: Path, media_dirs: Sequence[Path]) -> Path:
    direct = Path(src) if Path(src).is_absolute() else base_dir / src
    if direct.is_file():
        return direct
    for folder in media_dirs:
        matches = sorted(p for p in folder.glob(f"{src}*") if p.is_file())
        matches += sorted(p for p in (folder / src).glob("*") if p.is_file())
        if matches:
            return matches[0]
    searched = ", ".join(str(d) for d in media_dirs) or "no --media-dir given"
    raise MissingMedia(f"media {src!r}: no such file next to the draft or in {searched}")


def _download(url: str, folder: Path, timeout: float) -> Path:
    import httpx

    name = PurePosixPath(urlsplit(url).path).name or "download"
    target = folder / hashlib.sha256(url.encode()).hexdigest()[:16] / name
    if target.is_file():
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        with httpx.stream("GET", url, timeout=timeout, follow_redirects=True) as response:
            response.raise_for_status()
            with target.open("wb") as out:
                for chunk in response.iter_bytes():
                    out.write(chunk)
    except httpx.HTTPError as exc:
        target.unlink(missing_ok=True)
        raise MissingMedia(f"media {url!r} could not be downloaded: {exc}") from None
    return target
