"""The pytest plugin (entry point ``pytest11``): a live nemo-mock for your tests.

    def test_my_client_refreshes_its_token(nemo_mock):
        nemo_mock.set_fault("operation=getSessionState expire_token=true")
        run_my_client(api_url=nemo_mock.url)
        nemo_mock.assert_rules("token-refresh")

    @pytest.mark.nemo_scenario("silent-edit")
    def test_my_client_reads_the_state(nemo_mock): ...

    @pytest.mark.nemo_snapshot("fixtures/five-uploads.snapshot.tar")
    def test_my_client_renders_the_draft(nemo_mock): ...

``nemo_mock`` shares one mock process per test session and resets it before each
test (state, faults, journal, clock, RNG); ``nemo_mock_private`` starts a process of
its own for one test. ``nemo_snapshot(path)`` starts the test from a snapshot file
(``nemo-mock snapshot export``; a relative path is read from the test file's folder, then
the current one). Extra ``nemo-mock serve`` flags: the ``nemo_mock_args`` ini option or
``--nemo-mock-arg`` (repeatable).
"""

from __future__ import annotations

import hashlib
import shlex
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from nemo_mock.client_tests.live_mock import LiveMock, start_mock

MARKER = "nemo_scenario"
SNAPSHOT_MARKER = "nemo_snapshot"


class NemoMock:
    """A running mock and its control plane, for one test."""

    def __init__(self, live: LiveMock) -> None:
        import httpx

        self.live = live
        self.url = live.url
        self.http = httpx.Client(base_url=live.url, timeout=30)

    def reset(self) -> None:
        self._post("/_mock/reset", {})

    def set_fault(self, spec: str | None = None, **rule: Any) -> dict[str, Any]:
        """Arm a rule: a one-line spec (``"operation=runSse cut=3"``) or rule fields."""
        body: dict[str, Any] = {"spec": spec} if spec is not None else rule
        return self._post("/_mock/faults", body)

    def clear_faults(self) -> None:
        self.http.delete("/_mock/faults").raise_for_status()

    def scenario(self, name_or_document: str | dict[str, Any]) -> dict[str, Any]:
        """Load a scenario of the library by name, or a scenario document."""
        if isinstance(name_or_document, str):
            return self._post("/_mock/scenarios", {"name": name_or_document})
        return self._post("/_mock/scenarios", {"scenario": name_or_document})

    # -- snapshots -----------------------------------------------------------------------
    def save_snapshot(self, name: str) -> dict[str, Any]:
        """Save the mock's state and files as snapshot ``name``."""
        return self._post("/_mock/snapshots", {"name": name})

    def restore_snapshot(self, name: str) -> dict[str, Any]:
        """Back to snapshot ``name`` (state, files; the journal starts empty)."""
        restored: dict[str, Any] = self._post(f"/_mock/snapshots/{name}/restore", {})["restored"]
        return restored

    def export_snapshot(self, name: str, path: str | Path) -> Path:
        """Write snapshot ``name`` to ``path``: one file another machine can import."""
        response = self.http.get(f"/_mock/snapshots/{name}/file", timeout=300)
        if response.status_code >= 400:
            raise AssertionError(f"export {name} → {response.status_code}: {response.text}")
        target = Path(path)
        target.write_bytes(response.content)
        return target

    def import_snapshot(self, path: str | Path, name: str | None = None) -> dict[str, Any]:
        """Import a snapshot file (kept as ``name``, or the name it was saved as)."""
        with Path(path).open("rb") as stream:
            files = {"file": (Path(path).name, stream, "application/x-tar")}
            data = {"name": name} if name else {}
            response = self.http.post(
                "/_mock/snapshots/import", files=files, data=data, timeout=300
            )
        if response.status_code >= 400:
            raise AssertionError(f"import {path} → {response.status_code}: {response.text}")
        imported: dict[str, Any] = response.json()
        return imported

    def load_snapshot_file(self, path: str | Path) -> dict[str, Any]:
        """Start from a snapshot file: imported (once per content) and restored."""
        digest = hashlib.sha256(Path(path).read_bytes()).hexdigest()[:16]
        name = f"file-{digest}"
        if self.http.get(f"/_mock/snapshots/{name}/file").status_code == 404:
            self.import_snapshot(path, name)
        return self.restore_snapshot(name)

    def advance_clock(self, seconds: float) -> dict[str, Any]:
        return self._post("/_mock/clock/advance", {"seconds": seconds})

    def set_credits(self, token: str, available: int) -> dict[str, Any]:
        return self._post("/_mock/credits", {"token": token, "available": available})

    def journal(self, **filters: Any) -> list[Any]:
        """Journal entries (``JournalEntry``), filtered by token, session, operation, since."""
        from nemo_mock.mock_server.journal.entry import JournalEntry

        response = self.http.get("/_mock/journal", params=filters)
        response.raise_for_status()
        return [JournalEntry.model_validate(e) for e in response.json()["entries"]]

    def judge(self, time_scale: float = 1.0) -> dict[str, Any]:
        from nemo_mock.contracts.rules import RuleContext, judge

        return judge(self.journal(), RuleContext(time_scale=time_scale))

    def assert_rules(self, *rule_ids: str, time_scale: float = 1.0) -> None:
        """Fail, with the evidence, when a rule (all rules by default) failed on the journal;
        named rules must also have been exercised."""
        verdicts = self.judge(time_scale)
        chosen = rule_ids or tuple(verdicts)
        unknown = [r for r in chosen if r not in verdicts]
        if unknown:
            raise ValueError(f"unknown rule(s) {unknown}; known: {', '.join(verdicts)}")
        problems = [
            _describe(rule_id, verdicts[rule_id], named=bool(rule_ids)) for rule_id in chosen
        ]
        problems = [p for p in problems if p]
        if problems:
            raise AssertionError("client rules broken:\n" + "\n".join(problems))

    def _post(self, path: str, body: dict[str, Any]) -> dict[str, Any]:
        response = self.http.post(path, json=body)
        if response.status_code >= 400:
            raise AssertionError(f"POST {path} → {response.status_code}: {response.text}")
        result: dict[str, Any] = response.json()
        return result


def _describe(rule_id: str, verdict: Any, *, named: bool) -> str:
    if verdict.status == "fail":
        lines = [f"- {rule_id}:"]
        lines += [
            f"    {v.message} (journal entries {list(v.evidence)})" for v in verdict.violations
        ]
        return "\n".join(lines)
    if named and verdict.status == "not_exercised":
        return f"- {rule_id}: never exercised (the situation it is about did not arise)"
    return ""


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("nemo-mock")
    group.addoption(
        "--nemo-mock-arg",
        action="append",
        default=[],
        help="An extra `nemo-mock serve` argument for the nemo_mock fixtures (repeatable).",
    )
    parser.addini("nemo_mock_args", "Extra `nemo-mock serve` arguments (shell words).", default="")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", f"{MARKER}(name): load this nemo-mock scenario before the test"
    )
    config.addinivalue_line(
        "markers",
        f"{SNAPSHOT_MARKER}(path): start the test from this nemo-mock snapshot file "
        "(relative: to the test file's folder, else the current one)",
    )


def _serve_args(config: pytest.Config) -> list[str]:
    ini = shlex.split(str(config.getini("nemo_mock_args") or ""))
    return [*ini, *config.getoption("--nemo-mock-arg")]


@pytest.fixture(scope="session")
def nemo_mock_server(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[LiveMock]:
    """One mock process for the whole test session."""
    live = start_mock(*_serve_args(request.config), data_dir=tmp_path_factory.mktemp("nemo-mock"))
    yield live
    live.stop()


@pytest.fixture
def nemo_mock(request: pytest.FixtureRequest, nemo_mock_server: LiveMock) -> Iterator[NemoMock]:
    """The session's mock, reset for this test (and its scenario marker loaded)."""
    mock = NemoMock(nemo_mock_server)
    mock.reset()
    _load_marked(request, mock)
    yield mock
    mock.http.close()


@pytest.fixture
def nemo_mock_private(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[NemoMock]:
    """A mock process of this test's own."""
    live = start_mock(*_serve_args(request.config), data_dir=tmp_path / "nemo-mock")
    mock = NemoMock(live)
    _load_marked(request, mock)
    yield mock
    mock.http.close()
    live.stop()


def _load_marked(request: pytest.FixtureRequest, mock: NemoMock) -> None:
    """The snapshot first (it replaces the whole state), then the scenarios on top."""
    for marker in request.node.iter_markers(SNAPSHOT_MARKER):
        mock.load_snapshot_file(_snapshot_path(request, marker.args))
    for marker in request.node.iter_markers(MARKER):
        for name in marker.args:
            mock.scenario(name)


def _snapshot_path(request: pytest.FixtureRequest, args: tuple[Any, ...]) -> Path:
    if len(args) != 1:
        raise pytest.UsageError(f"@pytest.mark.{SNAPSHOT_MARKER} takes one path, got {args!r}")
    given = Path(args[0])
    candidates = [given] if given.is_absolute() else [request.path.parent / given, given]
    found = next((p for p in candidates if p.is_file()), None)
    if found is None:
        tried = ", ".join(str(p) for p in candidates)
        raise pytest.UsageError(f"@pytest.mark.{SNAPSHOT_MARKER}: no snapshot file at {tried}")
    return found
