"""Files and records agree after a crash: no file without a record, no record without a file.

An upload's bytes are written (and closed) before its record is made, and the record is
committed before the answer; a file is deleted only after the record that named it is gone
on disk (``Mock.forget_user``, ``Mock.reset`` flush first). So ``kill -9`` can leave one
kind of disagreement only: files no record names (an upload killed mid-body or before its
answer, a render finished after the last write, a clip or voiceover a turn or an MCP
generation made before the mock died). ``sweep_orphans`` removes them at start,
once the state is restored; ``missing`` names records whose file is gone anyway (a file
deleted by hand), which are left as they are, for the operator to see.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from pathlib import Path

from nemo_mock.mock_server.domain.store import Store

UPLOADS = "uploads"
RENDERS = "renders"
GENERATED = "generated"
#: The synthesis cache under ``generated/``: files named by their content, no record's.
CACHE = ".cache"


@dataclass
class Swept:
    #: Upload folders and render outputs no record names (removed).
    removed: list[Path] = field(default_factory=list)
    #: Records whose file is gone: ``upload <file id>`` / ``render <render id>``.
    missing: list[str] = field(default_factory=list)


def sweep_orphans(store: Store, data_dir: Path) -> Swept:
    swept = Swept()
    _uploads(store, data_dir / UPLOADS, swept)
    _renders(store, data_dir / RENDERS, swept)
    _generated(store, data_dir / GENERATED, swept)
    return swept


def _uploads(store: Store, root: Path, swept: Swept) -> None:
    media = list(store.media.values())
    named = {m.file_id for m in media}
    for folder in sorted(root.iterdir()) if root.is_dir() else []:
        if folder.name not in named:
            _remove(folder)
            swept.removed.append(folder)
    swept.missing += [f"upload {m.file_id}" for m in media if not Path(m.storage_path).is_file()]


def _renders(store: Store, root: Path, swept: Swept) -> None:
    jobs = list(store.renders.values())
    outputs = {Path(j.output_path).resolve() for j in jobs if j.output_path}
    _sweep_unnamed(root, outputs, swept)
    swept.missing += [
        f"render {j.render_id}"
        for j in jobs
        if j.output_path and j.status.value == "completed" and not Path(j.output_path).is_file()
    ]


def _generated(store: Store, root: Path, swept: Swept) -> None:
    """Turns' media (``generated/<session>/``) named by a session's ``generated_media``, MCP
    generations' (``generated/mcp/``) by their record; the synthesis cache is left alone."""
    named = {
        Path(entry["path"]).resolve()
        for session in store.sessions.values()
        for entry in session.state.generated_media
        if entry.get("path")
    }
    named |= {Path(g.path).resolve() for g in store.mcp.generations.values() if g.path}
    _sweep_unnamed(root, named, swept, keep=CACHE)


def _sweep_unnamed(root: Path, named: set[Path], swept: Swept, keep: str | None = None) -> None:
    """Remove the files under ``root`` that are not ``named``, then the folders left empty;
    the top-level folder ``keep`` (if any) and what it holds are left alone."""
    if not root.is_dir():
        return
    paths = [p for p in sorted(root.rglob("*")) if p.relative_to(root).parts[0] != keep]
    for path in paths:
        if path.is_file() and path.resolve() not in named:
            path.unlink(missing_ok=True)
            swept.removed.append(path)
    for folder in reversed(paths):
        if folder.is_dir() and not any(folder.iterdir()):
            folder.rmdir()


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)
