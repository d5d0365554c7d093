"""Finding and reading scenario files: by name in the library (and ``--scenario-dir``), or
by path."""

from __future__ import annotations

import re
from pathlib import Path

import yaml
from pydantic import ValidationError

from nemo_mock.mock_server.domain.errors import BadRequest, NotFound
from nemo_mock.mock_server.domain.validation import describe_errors
from nemo_mock.mock_server.scenarios.model import NAME_PATTERN, Scenario

LIBRARY = Path(__file__).resolve().parent / "library"


class ScenarioLibrary:
    def __init__(self, extra_dirs: tuple[Path, ...] = ()) -> None:
        self.dirs = (*extra_dirs, LIBRARY)

    def names(self, surface: str | None = None) -> list[str]:
        """Every scenario's name, or those for clients of ``surface`` (skill, gateway, mcp)."""
        found = sorted({path.stem for folder in self.dirs for path in folder.glob("*.yaml")})
        if surface is None:
            return found
        return [name for name in found if self.get_by_name(name).surface == surface]

    def all(self, surface: str | None = None) -> list[Scenario]:
        """Every scenario, or those for clients of ``surface``."""
        everything = [self.get_by_name(name) for name in self.names()]
        return [s for s in everything if surface is None or s.surface == surface]

    def get(self, name_or_path: str) -> Scenario:
        """A scenario by name, or by a path to its file (for the command line only)."""
        candidate = Path(name_or_path)
        if candidate.suffix in (".yaml", ".yml") and candidate.is_file():
            return read_scenario(candidate)
        return self.get_by_name(name_or_path)

    def get_by_name(self, name: str) -> Scenario:
        """A scenario of the library by name (never a path: names come over HTTP too)."""
        if re.fullmatch(NAME_PATTERN, name):
            for folder in self.dirs:
                path = folder / f"{name}.yaml"
                if path.is_file():
                    return read_scenario(path)
        raise NotFound(f"no scenario {name!r}; known scenarios: {', '.join(self.names())}")


def read_scenario(path: Path) -> Scenario:
    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise BadRequest(f"cannot read scenario {path}: {exc}") from None
    return parse_scenario(document, origin=str(path))


def parse_scenario(document: object, origin: str = "scenario") -> Scenario:
    if not isinstance(document, dict):
        raise BadRequest(f"{origin}: a scenario is a mapping (name, title, faults, …)")
    try:
        return Scenario.model_validate(document)
    except ValidationError as exc:
        raise BadRequest(f"{origin}: {describe_errors(exc.errors())}") from None
