"""The scenario library: every file valid, every documented error and recovery path there."""

import pytest

from nemo_mock.mock_server.domain.errors import BadRequest, NotFound
from nemo_mock.mock_server.scenarios.library import LIBRARY, ScenarioLibrary, parse_scenario
from tests.helpers.docs import doc_sections

NAMED_IN_THE_ISSUE = {
    "token-expires-mid-session",
    "rate-limited-then-ok",
    "out-of-credits",
    "free-plan-export-blocked",
    "session-lost",
    "unsupported-upload",
    "upload-too-large",
    "silent-edit",
    "stream-drops-during-generation",
    "heartbeats-only-timeout",
    "render-fails-once",
    "render-stuck",
    "missing-client-id",
}
API_DOC_HEADINGS = doc_sections()


def test_the_library_holds_every_scenario_the_issue_names():
    assert set(ScenarioLibrary().names()) >= NAMED_IN_THE_ISSUE


@pytest.mark.parametrize("name", ScenarioLibrary().names())
def test_each_scenario_file_is_valid_named_after_its_file_and_says_what_to_do(name):
    scenario = ScenarioLibrary().get_by_name(name)
    assert scenario.name == name == (LIBRARY / f"{name}.yaml").stem
    assert scenario.sections and set(scenario.sections) <= API_DOC_HEADINGS
    assert len(scenario.client_should.split()) >= 8
    assert scenario.expect.outcome in ("success", "refusal", "gives_up")
    if scenario.expect.outcome == "refusal":
        assert scenario.expect.refusal_codes


def test_the_fixtures_folder_shows_the_same_files():
    from pathlib import Path

    fixtures = Path(__file__).parents[2] / "fixtures" / "scenarios"
    assert {p.name for p in fixtures.glob("*.yaml")} == {p.name for p in LIBRARY.glob("*.yaml")}


def test_your_own_folder_is_searched_first(tmp_path):
    (tmp_path / "silent-edit.yaml").write_text(
        "name: silent-edit\ntitle: mine\ndescription: d\nclient_should: c\n"
    )
    assert ScenarioLibrary((tmp_path,)).get_by_name("silent-edit").title == "mine"


def test_names_never_reach_outside_the_library():
    with pytest.raises(NotFound, match="no scenario '../../etc/passwd'"):
        ScenarioLibrary().get_by_name("../../etc/passwd")


def test_a_path_works_on_the_command_line(tmp_path):
    path = tmp_path / "mine.yaml"
    path.write_text("name: mine\ntitle: t\ndescription: d\nclient_should: c\nfaults: [drop]\n")
    assert ScenarioLibrary().get(str(path)).faults[0].action.drop is True


@pytest.mark.parametrize(
    ("document", "says"),
    [
        ([], "a scenario is a mapping"),
        ({"name": "x"}, "title"),
        ({"name": "Bad Name", "title": "t", "description": "d", "client_should": "c"}, "name"),
        (
            {
                "name": "x",
                "title": "t",
                "description": "d",
                "client_should": "c",
                "faults": ["cut"],
            },
            "'cut_after' needs a value",
        ),
    ],
)
def test_a_bad_scenario_document_says_what_is_wrong(document, says):
    with pytest.raises(BadRequest, match=says):
        parse_scenario(document)
