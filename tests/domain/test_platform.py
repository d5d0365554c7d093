"""Platform resources (pure): versions, the catalogue, rollback, unpublish, attachments."""

from __future__ import annotations

import pytest

from nemo_mock.mock_server.domain.clock import ManualClock
from nemo_mock.mock_server.domain.errors import BadRequest, Conflict, NotFound
from nemo_mock.mock_server.domain.platform import PlatformBook, PlatformTables

STYLE = ".title { font-size: 40px; }"


def book() -> PlatformBook:
    return PlatformBook(PlatformTables(), ManualClock())


def made(b: PlatformBook, owner: str = "alice") -> str:
    b.create(owner, "res_1", {"kind": "style", "name": "Bold titles", "content": STYLE})
    b.add_version(owner, {"resource_id": "res_1", "content": ".title { color: red; }"})
    b.add_version(owner, {"resource_id": "res_1", "content": ".title { color: blue; }"})
    return "res_1"


def test_versions_count_up_and_keep_their_content():
    b = book()
    rid = made(b)
    resource = b.owned("alice", rid)
    assert [v.version for v in resource.versions] == [1, 2, 3]
    assert b.version_of("alice", resource, 1).content == STYLE


def test_content_must_match_its_kind():
    b = book()
    with pytest.raises(BadRequest, match="JSON"):
        b.create("alice", "r", {"kind": "data", "name": "d", "content": "{nope"})
    with pytest.raises(BadRequest, match="single-class rules"):
        b.create("alice", "r", {"kind": "style", "name": "s", "content": "color: red"})
    with pytest.raises(BadRequest, match="one <component> element"):
        b.create("alice", "r", {"kind": "component", "name": "c", "content": "<div>x</div>"})


def test_only_published_resources_are_in_the_catalogue_for_others():
    b = book()
    rid = made(b)
    assert b.search("bob", "bold", None, "all", 10) == []
    b.publish("alice", rid, 2)
    assert [r.resource_id for r in b.search("bob", "bold titles", None, "all", 10)] == [rid]
    assert b.search("bob", "bold", None, "mine", 10) == []
    assert b.search("bob", "bold", "data", "all", 10) == []


def test_others_read_published_versions_only_and_keep_them_after_unpublishing():
    b = book()
    rid = made(b)
    b.publish("alice", rid, 2)
    resource = b.readable("bob", rid)
    assert b.version_of("bob", resource, None).version == 2  # the published one by default
    with pytest.raises(NotFound, match="never published"):
        b.version_of("bob", resource, 3)
    b.unpublish("alice", rid)
    assert b.search("bob", "bold", None, "all", 10) == []
    assert b.version_of("bob", b.readable("bob", rid), 2).content == ".title { color: red; }"


def test_rollback_returns_to_the_latest_earlier_published_version():
    b = book()
    rid = made(b)
    b.publish("alice", rid, 1)
    b.publish("alice", rid, 3)
    assert b.rollback("alice", rid, None).published == 1
    with pytest.raises(Conflict, match="no published version before 1"):
        b.rollback("alice", rid, None)
    with pytest.raises(Conflict, match="never published"):
        b.rollback("alice", rid, 2)
    actions = [(p.action, p.version) for p in b.owned("alice", rid).publications]
    assert actions == [("publish", 1), ("publish", 3), ("rollback", 1)]


def test_only_the_owner_changes_a_resource():
    b = book()
    rid = made(b)
    b.publish("alice", rid, 1)
    with pytest.raises(NotFound):
        b.add_version("bob", {"resource_id": rid, "content": STYLE})
    with pytest.raises(NotFound):
        b.unpublish("bob", rid)


def test_a_draft_pins_only_the_attached_version():
    b = book()
    rid = made(b)
    check = b.pinned_for("p1")
    assert "not attached" in (check(rid, "2") or "")
    attachment = b.attach("alice", "p1", rid, 2)
    assert attachment.use_node == f'<use resource="{rid}" version="2"/>'
    assert check(rid, "2") is None
    assert "not the attached version 2" in (check(rid, "3") or "")
    assert "not attached" in (b.pinned_for("p2")(rid, "2") or "")
