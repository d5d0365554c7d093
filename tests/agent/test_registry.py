"""The edit-kind registry: one module per kind, precedence by order, the README derived."""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest

from nemo_mock.mock_server.agent.edits import registry, table
from nemo_mock.mock_server.agent.intents import classify

ROOT = Path(__file__).resolve().parents[2]


def test_each_kind_lives_in_its_own_module_exporting_its_entry() -> None:
    for kind in registry.KINDS:
        module = importlib.import_module(f"nemo_mock.mock_server.agent.edits.{kind.name}")
        assert module.KIND is kind


def test_kind_names_are_unique() -> None:
    names = [kind.name for kind in registry.KINDS]
    assert len(names) == len(set(names))


@pytest.mark.parametrize(
    ("kind", "example"),
    [(kind.name, example) for kind in registry.KINDS for example in kind.examples],
)
def test_every_documented_example_is_detected_as_its_kind(kind: str, example: str) -> None:
    found = classify(example)
    assert found.kind == "edits", example
    assert found.ops[0].kind == kind
    assert found.ops[0].intent == registry.BY_NAME[kind].intent


@pytest.mark.parametrize("path", ["docs/reference/skill-surface.md"])
def test_the_intents_table_is_written_from_the_registry(path: str) -> None:
    text = (ROOT / path).read_text(encoding="utf-8")
    assert table.written(text) == table.markdown(), (
        "run: python -m nemo_mock.mock_server.agent.edits.table"
        " --write docs/reference/skill-surface.md"
    )


def test_an_alone_kind_takes_the_clause_whole() -> None:
    assert [op.kind for op in classify("remove the music and the title").ops] == ["remove"]


def test_a_removal_of_transitions_is_the_transition_edit() -> None:
    assert [op.kind for op in classify("remove the transitions").ops] == ["transition"]


def test_loudness_wins_over_picking_music() -> None:
    assert [op.kind for op in classify("make the music louder").ops] == ["volume"]


def test_a_length_yields_to_text_in_the_same_clause() -> None:
    kinds = [op.kind for op in classify("add a title 'Hi' for 5 seconds").ops]
    assert kinds == ["text"]
