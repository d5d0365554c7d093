"""The registry of fault kinds is the one source: the model, the one-line form, the control
contract and the README all say what it says."""

from pathlib import Path

import pytest

from nemo_mock.contracts.loader import load_control
from nemo_mock.mock_server.faults import table
from nemo_mock.mock_server.faults.actions import KINDS as ACTION_KINDS
from nemo_mock.mock_server.faults.actions import FaultAction
from nemo_mock.mock_server.faults.kinds import ACTION_KEYS, KINDS, FaultKind, Key
from nemo_mock.mock_server.faults.spec import ALIASES, VALID_FORMS, parse_action

README = Path(__file__).resolve().parents[2] / "docs" / "how-to" / "faults.md"
#: How each kind of value is written in JSON Schema.
SCHEMA_TYPES = {"whole": "integer", "ms": "integer", "number": "number", "text": "string"}


def _branches() -> dict[str, dict]:
    one_of = load_control()["components"]["schemas"]["FaultAction"]["oneOf"]
    return {branch["title"]: branch for branch in one_of}


def _schema(branch: dict, name: str) -> dict:
    schema = branch["properties"][name]
    if "$ref" in schema:
        ref = schema["$ref"].rsplit("/", 1)[-1]
        schema = load_control()["components"]["schemas"][ref]
    return schema


def test_the_action_model_has_exactly_the_registrys_keys():
    assert set(FaultAction.model_fields) == set(ACTION_KEYS)
    assert tuple(kind.name for kind in KINDS if not kind.joins_any) == ACTION_KINDS


def test_the_control_contract_has_one_branch_per_kind_in_the_registrys_order():
    assert list(_branches()) == [kind.name for kind in KINDS]


@pytest.mark.parametrize("kind", KINDS, ids=lambda kind: kind.name)
def test_each_contract_branch_says_what_the_registry_says(kind: FaultKind):
    branch = _branches()[kind.name]
    assert branch["required"] == [kind.key.name]
    assert branch["description"] == kind.description()
    keys = {kind.key.name, *(c.name for c in kind.companions), "latency_ms"}
    assert set(branch["properties"]) == keys
    for key in (kind.key, *kind.companions):
        _assert_typed(_schema(branch, key.name), key)


def _assert_typed(schema: dict, key: Key) -> None:
    if key.value == "flag":
        assert schema.get("const") is True or schema.get("type") == "boolean", (key, schema)
    elif key.name == "error":
        assert {"integer"} <= {b.get("type", "integer") for b in schema["anyOf"]}
    else:
        assert schema["type"] == SCHEMA_TYPES[key.value], (key, schema)


def test_the_readme_table_is_the_registrys():
    written = table.written(README.read_text(encoding="utf-8"))
    assert written == table.markdown(), (
        "the docs' fault table is stale: "
        "run python -m nemo_mock.mock_server.faults.table --write docs/how-to/faults.md"
    )


def test_the_table_command_rewrites_only_between_its_markers(tmp_path):
    readme = tmp_path / "README.md"
    readme.write_text(f"intro\n{table.BEGIN}\nold rows\n{table.END}\noutro\n")
    assert table.main(["--write", str(readme)]) == 0
    text = readme.read_text()
    assert text.startswith("intro\n") and text.endswith("\noutro\n")
    assert "old rows" not in text and table.written(text) == table.markdown()


@pytest.mark.parametrize(
    ("kind", "example"),
    [(kind, example) for kind in KINDS for example in kind.examples],
    ids=lambda value: value.name if isinstance(value, FaultKind) else value,
)
def test_every_example_of_a_kind_reads_as_that_kind(kind: FaultKind, example: str):
    assert parse_action(example).kind == kind.name


def test_the_one_line_form_lists_each_kind_and_knows_its_aliases():
    assert [form.split()[0] for form in VALID_FORMS] == [kind.form.split()[0] for kind in KINDS]
    for kind in KINDS:
        for alias in kind.key.aliases:
            assert ALIASES[alias] == kind.key.name


@pytest.mark.parametrize("kind", [k for k in KINDS if k.operations], ids=lambda k: k.name)
def test_a_kind_with_operations_applies_to_those_only(kind: FaultKind):
    action = parse_action(kind.examples[0])
    assert action.operations == kind.operations


def test_the_explorers_vocabulary_covers_every_kind_where_the_registry_lets_it_act():
    from nemo_mock.client_tests.explore.vocabulary import KINDS as VOCABULARY
    from nemo_mock.client_tests.explore.vocabulary import fault_kind, kinds_for

    assert {fault_kind(entry) for entry in VOCABULARY.values()} == {k.name for k in KINDS}
    for operation in (
        "createSession",
        "runSse",
        "startRender",
        "getRender",
        "mcp.save_v3_draft",
        "mcp.delegate_to_nemo_agent",
        "mcp.issueToken",
        "mcp.get_credits",
    ):
        for name in kinds_for(operation):
            kind = next(k for k in KINDS if k.name == fault_kind(VOCABULARY[name]))
            assert kind.operations is None or operation in kind.operations, (operation, name)
