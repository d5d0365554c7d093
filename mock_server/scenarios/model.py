"""A scenario file, validated: what it sets up, which faults it arms, and what a correct
client should do (for people, and for the ``check-client`` harness)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from nemo_mock.mock_server.domain.eras import UnknownEra, era_named
from nemo_mock.mock_server.domain.validation import WholeNumber
from nemo_mock.mock_server.faults.rules import FaultRule
from nemo_mock.mock_server.faults.spec import SpecError, parse_rule

NAME_PATTERN = r"^[a-z0-9][a-z0-9-]{0,63}$"
#: The surfaces a client under test can speak (``mock_server.edge.surfaces``).
Surface = Literal["skill", "gateway", "mcp"]


class Setup(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)

    #: Credits of every user created from now on (a new anonymous user normally has 100).
    initial_credits: WholeNumber | None = Field(default=None, ge=0, le=1_000_000_000)
    #: Seconds to move the mock clock when the scenario loads.
    advance_clock: float | None = Field(default=None, gt=0, le=365 * 86_400)
    #: The plan of the account the MCP sign-in approves from now on (``render_video``
    #: needs Starter or above: a Free account is refused with 403).
    mcp_plan: Literal["free", "starter", "pro", "business"] | None = None


class Task(BaseModel):
    """What the harness asks the client to do under this scenario."""

    model_config = ConfigDict(extra="forbid")

    prompt: str = "turn my photos into a 10-second video slideshow with transitions and music"
    #: Sample media the client uploads: names of files the harness generates.
    files: list[str] = Field(default_factory=lambda: ["photo-1.png", "photo-2.png"])
    #: Expected duration of the exported video in seconds (None: any).
    duration: float | None = None
    #: Expected shape of the exported video, ``W:H`` (``9:16``; None: any). A gateway client
    #: gets it as ``NEMO_CHECK_ASPECT_RATIO`` (the vendor CLI's ``-r``).
    aspect_ratio: str | None = Field(default=None, pattern=r"^[1-9][0-9]?:[1-9][0-9]?$")


class Expectation(BaseModel):
    model_config = ConfigDict(extra="forbid")

    #: ``success``: the client exits 0 with a valid MP4; ``refusal``: it stops, reporting
    #: one of ``refusal_codes``, without an MP4; ``gives_up``: it stops after bounded waiting.
    outcome: Literal["success", "refusal", "gives_up"] = "success"
    refusal_codes: list[int] = Field(default_factory=list)
    #: Client rules this scenario is there to exercise (the harness reports them).
    exercises: list[str] = Field(default_factory=list)


class Scenario(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(pattern=NAME_PATTERN)
    title: str = Field(min_length=1, max_length=200)
    #: The API document's sections this scenario reproduces, e.g. ``["§3", "§4.1"]``.
    sections: list[str] = Field(default_factory=list)
    description: str = Field(min_length=1)
    client_should: str = Field(min_length=1)
    #: The era (``nemo_mock.mock_server.domain.eras``) the mock answers in while this scenario is
    #: loaded; ``None`` leaves the mock's own (``--era``, default ``latest``).
    era: str | None = None
    #: The surface the client under test speaks: ``check-client`` runs by default the
    #: scenarios of the client's surface (``--surface``, default ``skill``).
    surface: Surface = "skill"
    setup: Setup = Field(default_factory=Setup)
    faults: list[FaultRule] = Field(default_factory=list)
    task: Task = Field(default_factory=Task)
    expect: Expectation = Field(default_factory=Expectation)

    @field_validator("era")
    @classmethod
    def _known_era(cls, value: str | None) -> str | None:
        if value is None:
            return None
        try:
            return era_named(value).name
        except UnknownEra as exc:
            raise ValueError(str(exc)) from None

    @field_validator("faults", mode="before")
    @classmethod
    def _specs(cls, value: Any) -> Any:
        """A fault may be written as a rule mapping or as a one-line ``--fault`` spec."""
        if not isinstance(value, list):
            return value
        return [_rule(item) for item in value]

    def summary(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "title": self.title,
            "sections": self.sections,
            "description": self.description.strip(),
            "client_should": self.client_should.strip(),
        }


def _rule(item: Any) -> Any:
    if not isinstance(item, str):
        return item
    try:
        return parse_rule(item)
    except SpecError as exc:
        raise ValueError(exc.message) from None
