"""The reports ``check-client`` and ``--explore`` wrote, read back for the Reports page.

``--report-dir DIR`` points the mock at one report folder (``junit.xml``, ``report.md``,
``table.txt``, ``journals/<scenario>.json``) or at a folder of them (its direct
subfolders). A report is named by its subfolder (``_`` for DIR itself); nothing outside
those folders is ever read. The verdicts come from ``junit.xml``; the evidence lines of a
failure (``#7 … GET /path (operation) → 200``) are linked to the entry in the scenario's
saved journal.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from markdown_it import MarkdownIt

from nemo_mock.mock_server.domain.errors import NotFound
from nemo_mock.mock_server.journal.entry import JournalEntry

ROOT = "_"
MARKERS = ("junit.xml", "report.md")
JOURNALS = "journals"
EXPLORE_SUITE = "explore"
#: An evidence line of a failure: ``#<seq> <time> <METHOD> <path> …``.
EVIDENCE = re.compile(r"^\s*#(\d+) ")
_markdown = MarkdownIt("commonmark", {"html": False}).enable("table")


@dataclass(frozen=True)
class Line:
    text: str
    seq: int | None = None


@dataclass(frozen=True)
class Case:
    """One rule's (or property's, or the outcome's) verdict on one scenario."""

    name: str
    status: str  # pass | fail | not_exercised
    message: str
    lines: tuple[Line, ...] = ()


@dataclass(frozen=True)
class Suite:
    """One scenario (or the exploration's own summary)."""

    name: str
    cases: tuple[Case, ...]
    seconds: float
    has_journal: bool

    @property
    def failed(self) -> list[Case]:
        return [c for c in self.cases if c.status == "fail"]


@dataclass(frozen=True)
class Report:
    name: str
    folder: Path
    kind: str  # check-client | explore
    written_at: str
    suites: tuple[Suite, ...]
    table: str
    markdown_html: str

    @property
    def scenarios(self) -> list[Suite]:
        return [s for s in self.suites if s.name != EXPLORE_SUITE]

    @property
    def passed(self) -> int:
        return sum(1 for s in self.scenarios if not s.failed)


def find(root: Path | None) -> dict[str, Path]:
    """Report name -> folder: ``root`` itself (``_``) and its direct subfolders, if reports."""
    if root is None or not root.is_dir():
        return {}
    found = {ROOT: root} if _is_report(root) else {}
    for child in sorted(root.iterdir()):
        if child.is_dir() and not child.is_symlink() and _is_report(child):
            found[child.name] = child
    return found


def load(root: Path | None, name: str) -> Report:
    folder = _folder(root, name)
    junit = folder / "junit.xml"
    suites = _suites(junit, folder / JOURNALS) if junit.is_file() else ()
    text = _read(folder / "report.md")
    kind = "explore" if any(s.name == EXPLORE_SUITE for s in suites) else "check-client"
    marker = junit if junit.is_file() else folder / "report.md"
    written = datetime.fromtimestamp(marker.stat().st_mtime, tz=UTC).isoformat(timespec="seconds")
    return Report(
        name, folder, kind, written, suites, _read(folder / "table.txt"), _markdown.render(text)
    )


def journal(root: Path | None, name: str, scenario: str) -> list[JournalEntry]:
    """The journal a report's scenario ran against, as saved beside the report."""
    folder = _folder(root, name) / JOURNALS
    known = {p.stem: p for p in folder.glob("*.json")} if folder.is_dir() else {}
    if scenario not in known:
        raise NotFound(f"report {name!r} has no journal for scenario {scenario!r}")
    document = json.loads(known[scenario].read_text(encoding="utf-8"))
    return [JournalEntry.model_validate(e) for e in document.get("entries", [])]


def _folder(root: Path | None, name: str) -> Path:
    reports = find(root)
    if name not in reports:
        known = ", ".join(reports) or "none"
        raise NotFound(f"no report {name!r} (reports now: {known})")
    return reports[name]


def _is_report(folder: Path) -> bool:
    return any((folder / marker).is_file() for marker in MARKERS)


def _read(path: Path) -> str:
    return path.read_text(encoding="utf-8", errors="replace") if path.is_file() else ""


def _suites(junit: Path, journals: Path) -> tuple[Suite, ...]:
    try:
        root = ET.parse(junit).getroot()
    except ET.ParseError:
        return ()
    saved = {p.stem for p in journals.glob("*.json")} if journals.is_dir() else set()
    suites = []
    for suite in root.iter("testsuite"):
        name = suite.get("name", "?")
        cases = tuple(_case(case) for case in suite.iter("testcase"))
        seconds = float(suite.get("time") or 0)
        suites.append(Suite(name, cases, seconds, name in saved))
    return tuple(suites)


def _case(case: ET.Element) -> Case:
    name = case.get("name", "?")
    failure, skipped = case.find("failure"), case.find("skipped")
    if failure is not None:
        text = failure.text or ""
        said = f"{name}: "  # a violation's own line repeats the message: kept out
        lines = tuple(
            _line(line) for line in text.splitlines() if line.strip() and not line.startswith(said)
        )
        return Case(name, "fail", failure.get("message", ""), lines)
    if skipped is not None:
        return Case(name, "not_exercised", skipped.get("message", ""))
    out = case.find("system-out")
    lines = tuple(Line(line) for line in (out.text or "").splitlines()) if out is not None else ()
    return Case(name, "pass", "", lines)


def _line(text: str) -> Line:
    match = EVIDENCE.match(text)
    return Line(text.strip(), int(match[1]) if match else None)
