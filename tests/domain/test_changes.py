"""The store's change log: every way a kept row can change marks its key, and nothing else."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from nemo_mock.mock_server.domain.changes import ChangeLog, Table, TrackedList, TrackedSet
from nemo_mock.mock_server.domain.credits import CreditLedger
from nemo_mock.mock_server.domain.media import MediaFile
from nemo_mock.mock_server.domain.ratelimit import SlidingWindow
from nemo_mock.mock_server.domain.renders import RenderJob, RenderStatus
from nemo_mock.mock_server.domain.sessions import Session
from nemo_mock.mock_server.domain.store import Store

NOW = datetime(2026, 11, 1, tzinfo=UTC)


def _session(sid: str) -> Session:
    return Session(sid, f"task_{sid}", "u1", "t", None, NOW)


def _media(file_id: str) -> MediaFile:
    return MediaFile(
        file_id=file_id, filename="a.jpg", file_type="image", cdn_url="x", duration=None,
        width=1, height=1, fps=None, hash="h", size=1, uploaded_at=NOW, storage_path="/x",
    )  # fmt: skip


def test_a_table_marks_each_key_set_removed_or_cleared():
    log = ChangeLog()
    table: Table[str, int] = Table(log, "t", [("a", 1)])
    assert log.drain() == {("t", "a")}
    table["b"] = 2
    table.setdefault("c", 3)
    table.setdefault("a", 9)  # present: unchanged, not marked
    table.update({"d": 4})
    assert log.drain() == {("t", "b"), ("t", "c"), ("t", "d")}
    table.pop("b")
    table.pop("nothing", None)
    del table["c"]
    assert log.drain() == {("t", "b"), ("t", "c")}
    table.clear()
    assert log.drain() == {("t", "a"), ("t", "d")}
    assert log.drain() == set()


def test_a_record_in_a_table_marks_its_row_when_changed_in_place():
    log = ChangeLog()
    sessions: Table[str, Session] = Table(log, "sessions")
    kept, other = _session("s1"), _session("s2")
    sessions["s1"], sessions["s2"] = kept, other
    log.drain()
    kept.revision += 1
    assert log.drain() == {("sessions", "s1")}
    kept.state.video_infos.append(_media("f1"))  # a list inside a nested record
    assert log.drain() == {("sessions", "s1")}
    other.state.generated_media.extend([{"id": "g"}])
    other.state.video_analyses[:] = [{"x": 1}]
    assert log.drain() == {("sessions", "s2")}
    fresh = [_media("f2")]
    kept.state.video_infos = fresh  # a list set later is watched too
    log.drain()
    kept.state.video_infos.append(_media("f3"))
    assert log.drain() == {("sessions", "s1")}
    loose = _session("s3")  # not in a table: nothing to mark
    loose.revision += 1
    assert log.drain() == set()


def test_a_render_job_moved_by_a_worker_marks_its_row():
    log = ChangeLog()
    renders: Table[tuple[str, str], RenderJob] = Table(log, "renders")
    job = RenderJob("r1", "u1", "s1", None, "720p", "k", NOW)  # type: ignore[arg-type]
    renders[("u1", "r1")] = job
    log.drain()
    job.status = RenderStatus.PROCESSING
    job.progress = 40
    assert log.drain() == {("renders", ("u1", "r1"))}


def test_the_ledger_marks_every_account_it_moves():
    log = ChangeLog()
    ledger = CreditLedger()
    ledger.open_account("u0", 5)
    ledger.track(Table(log, "accounts"))
    assert log.drain() == {("accounts", "u0")}
    ledger.open_account("u1", 100)
    ledger.open_account("u2", 100)
    log.drain()
    hold = ledger.freeze("u1", 30, "turn")
    assert log.drain() == {("accounts", "u1")}
    ledger.settle(hold.hold_id, 10)
    assert log.drain() == {("accounts", "u1")}
    ledger.release(ledger.freeze("u2", 5, "turn").hold_id)
    assert log.drain() == {("accounts", "u2")}
    ledger.set_available("u1", 7)
    ledger.forget("u2")
    assert log.drain() == {("accounts", "u1"), ("accounts", "u2")}
    ledger.balance("u1")  # reading marks nothing
    assert log.drain() == set()


def test_a_rate_window_in_a_table_marks_its_key_on_record_and_expiry():
    log = ChangeLog()
    events: Table = Table(log, "ip_windows")
    window = SlidingWindow(2, timedelta(days=1), events)
    window.record("ip1", NOW)
    assert log.drain() == {("ip_windows", "ip1")}
    window.retry_after("ip1", NOW.replace(hour=1))  # within the window: nothing expires
    assert log.drain() == set()
    window.retry_after("ip1", NOW.replace(day=3))  # the event expired: the row changed
    assert log.drain() == {("ip_windows", "ip1")}
    assert list(events["ip1"]) == []


def test_the_usage_list_and_the_creator_set_mark_what_they_gain_and_lose():
    log = ChangeLog()
    usage: TrackedList[str] = TrackedList(log, "usage", lambda entry: entry)
    usage.append("e1")
    usage.extend(["e2", "e3"])
    assert log.drain() == {("usage", "e1"), ("usage", "e2"), ("usage", "e3")}
    usage[:] = [e for e in usage if e != "e2"]
    assert ("usage", "e2") in log.drain()
    with pytest.raises(TypeError):
        usage.insert(0, "e0")
    creators: TrackedSet[str] = TrackedSet(log, "mcp_creators")
    creators.add("u1")
    creators.update(["u2"])
    creators.discard("u1")
    assert log.drain() == {("mcp_creators", "u1"), ("mcp_creators", "u2")}
    with pytest.raises(TypeError):
        creators.pop()


def test_a_store_tracks_every_table_the_durable_store_keeps():
    from nemo_mock.mock_server.persist.tables import TABLES

    store = Store()
    store.changes.drain()
    store.users["u1"] = None  # type: ignore[assignment]
    store.tokens.access["fp"] = None  # type: ignore[assignment]
    store.tokens.claims["fp"] = None  # type: ignore[assignment]
    store.tokens.last_by_client["c"] = "fp"
    store.tokens.ip_events["ip"] = None  # type: ignore[assignment]
    store.sessions["s"] = _session("s")
    store.media["f"] = _media("f")
    store.ledger.open_account("u1", 1)
    store.renders[("u1", "r")] = None  # type: ignore[assignment]
    store.usage.append(type("E", (), {"entry_id": "usage_1"})())  # type: ignore[arg-type]
    store.paying_turns["hold_1"] = "s"
    oauth = store.mcp.oauth
    for table in (oauth.clients, oauth.codes, oauth.access, oauth.refresh, oauth.pending):
        table["k"] = None  # type: ignore[assignment]
    store.mcp.projects["p"] = None  # type: ignore[assignment]
    store.mcp.creators.add("u1")
    store.mcp.generations["g"] = None  # type: ignore[assignment]
    marked = {name for name, _ in store.changes.drain()}
    assert marked == {table.name for table in TABLES}


def test_an_mcp_project_and_generation_mark_their_rows_when_moved():
    from nemo_mock.mock_server.domain.draft_v3.model import V3Draft
    from nemo_mock.mock_server.domain.draft_v3.projects import V3Project
    from nemo_mock.mock_server.domain.generations import Generation

    log = ChangeLog()
    projects: Table[str, V3Project] = Table(log, "mcp_projects")
    draft = V3Draft(30, 320, 180, 1.0, (), ())
    projects["p1"] = V3Project("p1", "u1", "s1", "n", "<t/>", draft, NOW, NOW)
    generations: Table[str, Generation] = Table(log, "mcp_generations")
    generations["g1"] = Generation("g1", "u1", "video", "clip", "sea", 1.0, "k", "fp", 5, 1)
    log.drain()
    projects["p1"].files.append("asset://f1")
    projects["p1"].history.append("saved")
    assert log.drain() == {("mcp_projects", "p1")}
    projects["p1"].version += 1
    generations["g1"].progress = 0.5
    assert log.drain() == {("mcp_projects", "p1"), ("mcp_generations", "g1")}
