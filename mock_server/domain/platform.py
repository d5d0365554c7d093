"""Platform resources (§7, the nine ``platform:*`` tools): reusable, versioned reference
material a creator makes, binds to projects and publishes in a public catalogue.

A resource has numbered versions (1, 2, …) that are never changed once made; its owner
creates new ones. Publishing puts one version in the catalogue (``search_resources`` finds
it for every account); rolling back publishes the version published before the current one
(or a named earlier one); unpublishing takes it out of the catalogue, but every version that
was ever published stays readable by everyone. Each of these is a publication record. An
attachment binds one version to a project and yields its ``use_node``: the element a V3
draft carries to pin it (``<use resource="res_…" version="N"/>``).

Pure: times from the clock, ids from the caller (the seeded id source).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

from nemo_mock.mock_server.domain.clock import Clock
from nemo_mock.mock_server.domain.errors import BadRequest, Conflict, NotFound

KINDS = ("template", "component", "style", "data", "effect")
Kind = Literal["template", "component", "style", "data", "effect"]
Action = Literal["publish", "rollback", "unpublish"]
MAX_CONTENT = 200_000
_STYLE = re.compile(r"^\s*(?:\.[A-Za-z_][\w-]*\s*\{[^{}]*\}\s*)+$", re.S)


@dataclass(frozen=True)
class Version:
    version: int
    content: str
    note: str
    created_at: datetime

    def to_json(self, *, content: bool = False) -> dict[str, Any]:
        shown: dict[str, Any] = {
            "version": self.version,
            "note": self.note,
            "created_at": self.created_at.isoformat(),
            "chars": len(self.content),
        }
        if content:
            shown["content"] = self.content
        return shown


@dataclass(frozen=True)
class Publication:
    action: Action
    version: int | None  # what the catalogue shows after it (None: unpublished)
    at: datetime

    def to_json(self) -> dict[str, Any]:
        return {"action": self.action, "version": self.version, "at": self.at.isoformat()}


@dataclass
class Resource:
    resource_id: str
    owner: str
    kind: Kind
    name: str
    description: str
    tags: tuple[str, ...]
    created_at: datetime
    versions: list[Version] = field(default_factory=list)
    published: int | None = None
    publications: list[Publication] = field(default_factory=list)

    @property
    def latest(self) -> int:
        return self.versions[-1].version

    def ever_published(self) -> set[int]:
        return {p.version for p in self.publications if p.version is not None}

    def summary(self) -> dict[str, Any]:
        return {
            "resource_id": self.resource_id,
            "kind": self.kind,
            "name": self.name,
            "description": self.description,
            "tags": list(self.tags),
            "owner": self.owner,
            "latest_version": self.latest,
            "published_version": self.published,
        }


@dataclass(frozen=True)
class Attachment:
    project_id: str
    resource_id: str
    version: int

    @property
    def use_node(self) -> str:
        return f'<use resource="{self.resource_id}" version="{self.version}"/>'


@dataclass
class PlatformTables:
    resources: dict[str, Resource] = field(default_factory=dict)
    attachments: dict[tuple[str, str], Attachment] = field(default_factory=dict)

    def clear(self) -> None:
        self.resources.clear()
        self.attachments.clear()


class PlatformBook:
    def __init__(self, tables: PlatformTables, clock: Clock) -> None:
        self.tables = tables
        self.clock = clock

    # -- creating ------------------------------------------------------------------
    def create(self, owner: str, resource_id: str, item: dict[str, Any]) -> Resource:
        kind = item["kind"]
        check_content(kind, item["content"])
        now = self.clock.now()
        resource = Resource(
            resource_id=resource_id,
            owner=owner,
            kind=kind,
            name=item["name"],
            description=item.get("description", ""),
            tags=tuple(item.get("tags", ())),
            created_at=now,
        )
        resource.versions.append(Version(1, item["content"], item.get("note", ""), now))
        self.tables.resources[resource_id] = resource
        return resource

    def add_version(self, owner: str, item: dict[str, Any]) -> Resource:
        resource = self.owned(owner, item["resource_id"])
        if "kind" in item and item["kind"] != resource.kind:
            raise BadRequest(
                f"resource {resource.resource_id!r} is a {resource.kind}: a new version keeps "
                f"its kind (got {item['kind']!r})"
            )
        check_content(resource.kind, item["content"])
        number = resource.latest + 1
        resource.versions.append(
            Version(number, item["content"], item.get("note", ""), self.clock.now())
        )
        return resource

    # -- reading -------------------------------------------------------------------
    def owned(self, owner: str, resource_id: str) -> Resource:
        resource = self.tables.resources.get(resource_id)
        if resource is None or resource.owner != owner:
            raise NotFound(f"no resource {resource_id[:64]!r} of this account")
        return resource

    def readable(self, user_id: str, resource_id: str) -> Resource:
        """Yours, or one whose versions were published (they stay readable after)."""
        resource = self.tables.resources.get(resource_id)
        if resource is None or (resource.owner != user_id and not resource.ever_published()):
            raise NotFound(f"no resource {resource_id[:64]!r}: search_resources finds them")
        return resource

    def version_of(self, user_id: str, resource: Resource, version: int | None) -> Version:
        number = version if version is not None else resource.published or resource.latest
        if resource.owner != user_id and number not in resource.ever_published():
            raise NotFound(
                f"version {number} of {resource.resource_id!r} was never published: only its "
                "owner reads it"
            )
        for found in resource.versions:
            if found.version == number:
                return found
        raise NotFound(
            f"resource {resource.resource_id!r} has no version {number} (versions 1 to "
            f"{resource.latest})"
        )

    def search(
        self, user_id: str, query: str, kind: str | None, scope: str, limit: int
    ) -> list[Resource]:
        words = query.lower().split()
        found = []
        for resource in self.tables.resources.values():
            mine = resource.owner == user_id
            listed = resource.published is not None
            if (scope == "mine" and not mine) or (scope == "published" and not listed):
                continue
            if not (mine or listed) or (kind is not None and resource.kind != kind):
                continue
            text = " ".join((resource.name, resource.description, *resource.tags)).lower()
            if all(word in text for word in words):
                found.append(resource)
        return sorted(found, key=lambda r: (r.created_at, r.resource_id))[:limit]

    # -- publishing ----------------------------------------------------------------
    def publish(self, owner: str, resource_id: str, version: int | None) -> Resource:
        resource = self.owned(owner, resource_id)
        chosen = self.version_of(owner, resource, version or resource.latest)
        return self._record(resource, "publish", chosen.version)

    def rollback(self, owner: str, resource_id: str, version: int | None) -> Resource:
        """Publish an earlier published version: ``version``, else the latest below the
        current one."""
        resource = self.owned(owner, resource_id)
        current = resource.published
        if current is None:
            raise Conflict(f"resource {resource_id!r} is not published: publish a version first")
        if version is None:
            earlier = [v for v in resource.ever_published() if v < current]
            if not earlier:
                raise Conflict(
                    f"resource {resource_id!r} has no published version before {current} to "
                    "roll back to"
                )
            version = max(earlier)
        if version not in resource.ever_published():
            raise Conflict(
                f"version {version} of {resource_id!r} was never published: rollback returns "
                "to a version the catalogue showed before (publish it instead)"
            )
        return self._record(resource, "rollback", version)

    def unpublish(self, owner: str, resource_id: str) -> Resource:
        resource = self.owned(owner, resource_id)
        if resource.published is None:
            raise Conflict(f"resource {resource_id!r} is not published")
        return self._record(resource, "unpublish", None)

    def _record(self, resource: Resource, action: Action, version: int | None) -> Resource:
        resource.published = version
        resource.publications.append(Publication(action, version, self.clock.now()))
        return resource

    # -- projects ------------------------------------------------------------------
    def attach(
        self, user_id: str, project_id: str, resource_id: str, version: int | None
    ) -> Attachment:
        resource = self.readable(user_id, resource_id)
        chosen = self.version_of(user_id, resource, version)
        attachment = Attachment(project_id, resource_id, chosen.version)
        self.tables.attachments[(project_id, resource_id)] = attachment
        return attachment

    def pinned_for(self, project_id: str) -> Any:
        """The ``ResourceCheck`` of a project's drafts (``validate_template``)."""

        def check(resource_id: str, version: str | None) -> str | None:
            return self.pinned(project_id, resource_id, version)

        return check

    def pinned(self, project_id: str, resource_id: str, version: str | None) -> str | None:
        """Why a draft's ``<use resource version>`` is refused, or ``None``."""
        attachment = self.tables.attachments.get((project_id, resource_id))
        if attachment is None:
            return (
                f"resource {resource_id[:64]!r} is not attached to this project: "
                "attach_platform_resource first"
            )
        if version is not None and version != str(attachment.version):
            return (
                f"version={version!r} is not the attached version {attachment.version}: use the "
                "use_node attach_platform_resource returned"
            )
        return None


def check_content(kind: str, content: str) -> None:
    """A resource's content is what its kind says: a V3 fragment, styles or JSON."""
    if len(content) > MAX_CONTENT:
        raise BadRequest(f"content is longer than {MAX_CONTENT} characters")
    if kind == "data":
        try:
            json.loads(content)
        except ValueError as exc:
            raise BadRequest(f"a data resource holds JSON: {exc}") from None
    elif kind == "style" and not _STYLE.match(content):
        raise BadRequest(
            "a style resource holds single-class rules, e.g. '.title { font-size: 40px; }'"
        )
    elif kind in ("template", "component", "effect"):
        from nemo_mock.mock_server.domain.draft_v3.parse import parse_template

        root = parse_template(content)
        wanted = {"template": "draft", "component": "component"}.get(kind)
        if wanted is not None and root.tag != wanted:
            raise BadRequest(f"a {kind} resource is one <{wanted}> element, not <{root.tag}>")
