"""The verdict, three ways: a terminal table (rule by scenario), JUnit XML, and Markdown
with the journal entries that prove each failure."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Protocol

from nemo_mock.client_tests.harness.runner import ScenarioResult
from nemo_mock.contracts.rules import RULES, Violation
from nemo_mock.contracts.rules.journal import RENDER_POLLS, RENDER_STARTS, render_status
from nemo_mock.mock_server.domain.secrets import redact
from nemo_mock.mock_server.journal.entry import JournalEntry


class Verdict(Protocol):
    """A rule's or a universal property's verdict."""

    @property
    def status(self) -> str: ...

    @property
    def violations(self) -> Sequence[Violation]: ...


MARKS = {"pass": "ok", "fail": "FAIL", "not_exercised": "·", "not_applicable": "n/a"}
#: Verdicts JUnit reports as skipped.
SKIPPED = frozenset({"not_exercised", "not_applicable"})
OUTCOME_ROW = "outcome"
#: Calls whose answer carries a render job's status.
RENDER_CALLS = RENDER_STARTS | RENDER_POLLS


def table(results: Sequence[ScenarioResult]) -> str:
    """Rules down, scenarios across (numbered, with a legend below)."""
    width = max(len(r.id) for r in RULES)
    head = " " * width + " " + " ".join(f"{i + 1:>4}" for i in range(len(results)))
    lines = [head]
    for rule in RULES:
        cells = [MARKS[r.rules[rule.id].status] for r in results]
        lines.append(f"{rule.id:<{width}} " + " ".join(f"{c:>4}" for c in cells))
    outcomes = ["ok" if r.outcome.ok else "FAIL" for r in results]
    lines.append(f"{OUTCOME_ROW:<{width}} " + " ".join(f"{c:>4}" for c in outcomes))
    lines.append("")
    for i, result in enumerate(results):
        verdict = "passed" if result.ok else "FAILED"
        lines.append(f"{i + 1:>3}. {result.scenario.name}: {verdict} — {result.outcome.message}")
    failures = sum(1 for r in results if not r.ok)
    lines.append("")
    lines.append(
        f"{len(results) - failures} of {len(results)} scenarios passed"
        + ("" if not failures else "; see the report for the evidence")
    )
    return "\n".join(lines)


def era_matrix(by_era: Mapping[str, Sequence[ScenarioResult]]) -> str:
    """The client x era matrix: the client's verdict per era on top, then each rule and
    each scenario across the eras (a rule fails in an era if it failed in any scenario)."""
    eras = list(by_era)
    names = [s.scenario.name for s in next(iter(by_era.values()), [])]
    width = max([len(r.id) for r in RULES] + [len(n) for n in names] + [len("client")])
    cols = [max(len(e), 4) for e in eras]

    def row(label: str, cells: list[str]) -> str:
        return f"{label:<{width}} " + " ".join(
            f"{c:>{w}}" for c, w in zip(cells, cols, strict=True)
        )

    lines = [row("", eras)]
    lines.append(row("client", ["ok" if all(r.ok for r in by_era[e]) else "FAIL" for e in eras]))
    for rule in RULES:
        lines.append(row(rule.id, [_across(by_era[e], rule.id) for e in eras]))
    for name in names:
        cells = ["ok" if _named(by_era[e], name).ok else "FAIL" for e in eras]
        lines.append(row(name, cells))
    return "\n".join(lines)


def _across(results: Sequence[ScenarioResult], rule_id: str) -> str:
    """One rule over an era's scenarios: FAIL if any failed, ok if any passed, else the
    mark of why it was not judged."""
    statuses = {r.rules[rule_id].status for r in results}
    for status in ("fail", "pass", "not_exercised"):
        if status in statuses:
            return MARKS[status]
    return MARKS["not_applicable"]


def _named(results: Sequence[ScenarioResult], name: str) -> ScenarioResult:
    return next(r for r in results if r.scenario.name == name)


def junit_xml(results: Sequence[ScenarioResult]) -> str:
    suites = ET.Element("testsuites", name="nemo-mock check-client")
    for result in results:
        suite = ET.SubElement(suites, "testsuite", name=result.scenario.name)
        cases = failures = skipped = 0
        for rule in RULES:
            verdict = result.rules[rule.id]
            junit_case(suite, result, rule.id, verdict, "the situation never arose")
            cases += 1
            failures += verdict.status == "fail"
            skipped += verdict.status in SKIPPED
        outcome = ET.SubElement(suite, "testcase", classname=result.scenario.name, name="outcome")
        cases += 1
        if not result.outcome.ok:
            failures += 1
            ET.SubElement(outcome, "failure", message=result.outcome.message, type="outcome")
        suite.set("tests", str(cases))
        suite.set("failures", str(failures))
        suite.set("skipped", str(skipped))
        suite.set("time", f"{result.run.seconds:.3f}")
    ET.indent(suites)
    return ET.tostring(suites, encoding="unicode", xml_declaration=True)


def junit_case(
    suite: ET.Element, result: ScenarioResult, name: str, verdict: Verdict, skipped: str
) -> ET.Element:
    """One test case for a rule or property verdict: failed with the journal evidence,
    skipped with ``skipped`` when the situation never arose, or passed."""
    case = ET.SubElement(suite, "testcase", classname=result.scenario.name, name=name)
    if verdict.status == "fail":
        failure = ET.SubElement(case, "failure", message=verdict.violations[0].message, type=name)
        failure.text = evidence_text(verdict.violations, result.entries)
    elif verdict.status == "not_exercised":
        ET.SubElement(case, "skipped", message=skipped)
    elif verdict.status == "not_applicable":
        ET.SubElement(case, "skipped", message="not a rule of the era the client was run in")
    return case


def markdown(results: Sequence[ScenarioResult]) -> str:
    passed = sum(1 for r in results if r.ok)
    out = [
        "# nemo-mock check-client report",
        "",
        f"{passed} of {len(results)} scenarios passed.",
        "",
    ]
    out += ["| scenario | outcome | failed rules |", "|---|---|---|"]
    for r in results:
        failed = [rid for rid, v in r.rules.items() if v.status == "fail"]
        out.append(
            f"| {r.scenario.name} | {'ok' if r.outcome.ok else 'FAIL'}: {r.outcome.message} "
            f"| {', '.join(failed) or '—'} |"
        )
    for r in results:
        out += _scenario_section(r)
    return "\n".join(out) + "\n"


def write_reports(results: Sequence[ScenarioResult], folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    written = {
        "report.md": markdown(results),
        "junit.xml": junit_xml(results),
        "table.txt": table(results) + "\n",
    }
    for name, text in written.items():
        (folder / name).write_text(redact(text), encoding="utf-8")
    return [folder / name for name in written] + write_journals(results, folder)


#: Where each scenario's journal goes beside the reports: the evidence (``#seq``) they cite,
#: which the dashboard's Reports page links to (``nemo-mock serve --report-dir``).
JOURNALS = "journals"


def write_journals(results: Sequence[ScenarioResult], folder: Path) -> list[Path]:
    """Each scenario's journal as ``journals/<scenario>.json`` (already redacted by the mock;
    redacted again, as every report is)."""
    (folder / JOURNALS).mkdir(parents=True, exist_ok=True)
    written = []
    for result in results:
        path = folder / JOURNALS / f"{result.scenario.name}.json"
        document = {
            "scenario": result.scenario.name,
            "entries": [entry.model_dump(mode="json") for entry in result.entries],
        }
        path.write_text(redact(json.dumps(document, ensure_ascii=False)), encoding="utf-8")
        written.append(path)
    return written


def _scenario_section(result: ScenarioResult) -> list[str]:
    s = result.scenario
    out = ["", f"## {s.name}: {s.title}", "", f"*{' '.join(s.description.split())}*", ""]
    out.append(f"A correct client: {' '.join(s.client_should.split())}")
    out.append("")
    out.append(f"- outcome: {'ok' if result.outcome.ok else '**FAIL**'} — {result.outcome.message}")
    out.append(f"- client log: `{result.log}`")
    for rule in RULES:
        verdict = result.rules[rule.id]
        if verdict.status != "fail":
            continue
        out += ["", f"### {rule.id} ({rule.section}) failed", "", rule.description, ""]
        for violation in verdict.violations:
            out.append(f"- {violation.message}")
        out += ["", "```", evidence_text(verdict.violations, result.entries), "```"]
    return out


def evidence_text(violations: Sequence[Violation], entries: Sequence[JournalEntry]) -> str:
    by_seq = {e.seq: e for e in entries}
    lines: list[str] = []
    for violation in violations:
        lines.append(f"{violation.rule}: {violation.message}")
        for seq in violation.evidence:
            entry = by_seq.get(seq)
            if entry is not None:
                lines.append("  " + _entry_line(entry))
    return "\n".join(lines)


#: How an exchange ended, when it did not end normally (a normal end says nothing).
CONNECTION_ENDINGS = {"dropped": "connection dropped", "client_disconnected": "client went away"}


def _entry_line(entry: JournalEntry) -> str:
    """``#7 … GET /api/render/proxy/lambda/r1 (getRender) → 200, render pending``: the status
    and code, the render's own status or the stream's event count, how it ended if not
    normally, and the fault that answered."""
    parts = [f"{entry.status}" + (f" code {entry.code}" if entry.code else "")]
    status = render_status(entry) if entry.operation in RENDER_CALLS else None
    if status is not None:
        parts.append(f"render {status}")
    if entry.events is not None:
        parts.append(f"{len(entry.events)} events")
    if entry.outcome in CONNECTION_ENDINGS:
        parts.append(CONNECTION_ENDINGS[entry.outcome])
    if entry.fault:
        parts.append(f"fault {entry.fault.rule} {entry.fault.action}")
    return (
        f"#{entry.seq} {entry.at} {entry.method} {entry.path} ({entry.operation or '?'}) "
        f"→ {', '.join(parts)}"
    )
