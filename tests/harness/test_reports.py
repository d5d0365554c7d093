"""The harness's verdicts: the outcome judge, and reports that name rule, scenario and
evidence for every failure."""

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from nemo_mock.client_tests.harness.outcome import ClientRun, judge_outcome
from nemo_mock.client_tests.harness.report import junit_xml, markdown, table, write_reports
from nemo_mock.client_tests.harness.runner import ScenarioResult, _fill
from nemo_mock.contracts.rules import RULES, RuleResult, Violation
from nemo_mock.mock_server.journal.entry import JournalEntry
from nemo_mock.mock_server.scenarios.library import ScenarioLibrary


def entry(seq, operation="getRender", status=200, code=0):
    return JournalEntry(
        seq=seq,
        at="2026-11-01T12:00:00+00:00",
        at_ms=1_793_534_400_000 + seq,
        duration_ms=1.0,
        method="GET",
        path=f"/x/{seq}",
        operation=operation,
        status=status,
        code=code,
    )


def result(name, failing=(), outcome_ok=True, entries=()):
    scenario = ScenarioLibrary().get_by_name(name)
    rules = {rule.id: RuleResult("not_exercised") for rule in RULES}
    rules["attribution-headers"] = RuleResult("pass")
    for rule_id, seqs in failing:
        rules[rule_id] = RuleResult(
            "fail", (Violation(rule_id, f"{rule_id} broken here", tuple(seqs)),)
        )
    from nemo_mock.client_tests.harness.outcome import OutcomeVerdict

    return ScenarioResult(
        scenario,
        rules,
        OutcomeVerdict(outcome_ok, "an H.264 MP4 of 10.00 s" if outcome_ok else "exit 1"),
        ClientRun(0 if outcome_ok else 1, Path("out.mp4"), 12.5),
        list(entries),
        Path("client.log"),
    )


RESULTS = [
    result("baseline"),
    result(
        "render-stuck",
        failing=[("render-poll-cadence", (3, 4))],
        entries=[entry(3), entry(4)],
    ),
    result("session-lost", outcome_ok=False),
]


def test_junit_xml_parses_and_every_failure_names_rule_scenario_and_evidence():
    root = ET.fromstring(junit_xml(RESULTS))
    suites = {s.get("name"): s for s in root.iter("testsuite")}
    assert set(suites) == {"baseline", "render-stuck", "session-lost"}
    assert suites["baseline"].get("failures") == "0"
    assert suites["baseline"].get("tests") == str(len(RULES) + 1)
    failures = [
        (case.get("classname"), case.get("name"), case.find("failure"))
        for case in root.iter("testcase")
        if case.find("failure") is not None
    ]
    assert [(c, n) for c, n, _ in failures] == [
        ("render-stuck", "render-poll-cadence"),
        ("session-lost", "outcome"),
    ]
    poll = failures[0][2]
    assert poll.get("message") == "render-poll-cadence broken here"
    assert "#3 " in poll.text and "#4 " in poll.text and "getRender" in poll.text
    skipped = suites["baseline"].findall("testcase/skipped")
    assert len(skipped) == len(RULES) - 1


def test_markdown_lists_each_failure_with_its_evidence_and_the_advice():
    text = markdown(RESULTS)
    assert "1 of 3 scenarios passed." in text
    assert "| render-stuck | ok: an H.264 MP4 of 10.00 s | render-poll-cadence |" in text
    section = text[text.index("## render-stuck") :]
    assert "### render-poll-cadence (§4.8) failed" in section
    assert "#3 2026-11-01T12:00:00+00:00 GET /x/3 (getRender)" in section
    assert "A correct client: Poll at a documented cadence" in section


def test_the_table_has_a_row_per_rule_and_the_outcome():
    lines = table(RESULTS).splitlines()
    poll = next(line for line in lines if line.startswith("render-poll-cadence"))
    assert poll.split()[1:] == ["·", "FAIL", "·"]
    outcome = next(line for line in lines if line.startswith("outcome"))
    assert outcome.split()[1:] == ["ok", "ok", "FAIL"]
    assert "1 of 3 scenarios passed" in lines[-1]


def test_reports_are_written_to_the_report_folder(tmp_path):
    written = write_reports(RESULTS, tmp_path / "report")
    journals = sorted(f"{r.scenario.name}.json" for r in RESULTS)
    expected = ["junit.xml", "report.md", "table.txt", *journals]
    assert sorted(p.name for p in written) == sorted(expected)
    assert all(p.stat().st_size > 0 for p in written)


def test_each_scenario_journal_is_kept_beside_the_reports(tmp_path):
    """The evidence a report cites (``#seq``) is in the scenario's journal file."""
    write_reports(RESULTS, tmp_path / "report")
    for result in RESULTS:
        path = tmp_path / "report" / "journals" / f"{result.scenario.name}.json"
        document = json.loads(path.read_text())
        assert document["scenario"] == result.scenario.name
        assert [e["seq"] for e in document["entries"]] == [e.seq for e in result.entries]


def test_placeholders_are_filled_and_other_braces_left_alone():
    task = {"prompt": "make a video", "files": "a.png:b.png", "output": "/o.mp4"}
    assert _fill("--prompt={prompt}", task) == "--prompt=make a video"
    assert _fill('{"json": {files}}', task) == '{"json": a.png:b.png}'
    assert _fill("{unknown}", task) == "{unknown}"


@pytest.mark.ffmpeg
def test_the_outcome_judge_checks_the_file_and_the_refusal(tmp_path, samples):
    library = ScenarioLibrary()
    success, refusal = library.get_by_name("baseline"), library.get_by_name("out-of-credits")
    missing = ClientRun(0, tmp_path / "none.mp4", 1.0)
    assert judge_outcome(success, missing, []).message.endswith("missing or not an MP4")
    clip = samples.path("venue_clip.mp4")
    played = judge_outcome(success, ClientRun(0, clip, 1.0), [])
    assert played.ok and played.message.startswith("an H.264 MP4")
    refused = ClientRun(2, tmp_path / "none.mp4", 1.0)
    assert not judge_outcome(refusal, refused, [entry(1, "runSse")]).ok
    assert judge_outcome(refusal, refused, [entry(1, "runSse", 402, 2001)]).ok
    assert not judge_outcome(refusal, ClientRun(0, tmp_path / "x", 1.0), []).ok
    assert "still running" in judge_outcome(refusal, ClientRun(None, tmp_path, 300), []).message


def test_evidence_names_the_render_status_not_the_connection_outcome():
    from nemo_mock.client_tests.harness.report import evidence_text
    from tests.rules.factory import JournalBuilder

    j = JournalBuilder()
    j.token()
    j.render("render_1")
    pending = j.poll("render_1", status="pending")
    dropped = j.poll("render_1", status="processing", outcome="dropped")
    text = evidence_text(
        [Violation("render-poll-cadence", "too fast", (pending.seq, dropped.seq))], j.entries
    )
    lines = text.splitlines()[1:]
    assert lines[0].endswith("(getRender) → 200, render pending")
    assert lines[1].endswith("(getRender) → 200, render processing, connection dropped")
    assert "completed" not in text
