"""Reports of an exploration (and of a replayed scenario file), in the scenarios' formats:
``table.txt``, ``junit.xml`` and ``report.md``, each with the universal properties added.

An exploration that found a failure reports the smallest failing schedule as one scenario
(its rules, outcome and evidence, exactly as ``check-client`` reports a scenario) plus the
properties; one that found none reports what it explored: how many schedules, which faults
fired, how the runs ended.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Sequence
from pathlib import Path

from nemo_mock.client_tests.explore.judged import ExploredResult
from nemo_mock.client_tests.explore.properties import PROPERTIES
from nemo_mock.client_tests.explore.search import Exploration
from nemo_mock.client_tests.harness.report import (
    evidence_text,
    junit_case,
    junit_xml,
    markdown,
    table,
    write_journals,
)

MARKS = {"pass": "ok", "fail": "FAIL", "not_exercised": "·", "not_applicable": "n/a"}
SUITE = "explore"


# ---------------------------------------------------------------------- text


def headline(exploration: Exploration) -> str:
    s = exploration.settings
    verdict = "all passed" if exploration.ok else "a failing schedule was found"
    if exploration.error is not None:
        verdict = f"the exploration broke off ({exploration.error})"
    return (
        f"explored {exploration.explored} schedules ({exploration.distinct} distinct, "
        f"{exploration.runs} client runs) in {exploration.seconds:.0f} s; seed {s.seed}, "
        f"{s.jobs} job(s), up to {s.max_faults} faults: {verdict}"
    )


def coverage_lines(exploration: Exploration) -> list[str]:
    fired = ", ".join(f"{k} ×{n}" for k, n in exploration.fired.most_common()) or "none"
    ended = ", ".join(f"{k} {n}" for k, n in exploration.endings.most_common()) or "—"
    return [f"faults that fired: {fired}", f"passing runs ended with: {ended}"]


def property_rows(result: ExploredResult, width: int) -> list[str]:
    """The properties as rows of the scenarios' table (one column: this run)."""
    return [
        f"{prop.id:<{width}} {MARKS[result.properties[prop.id].status]:>4}"
        for prop in PROPERTIES
        if prop.id in result.properties
    ]


def result_table(result: ExploredResult) -> str:
    """The scenarios' table for one run, the universal properties below its rules."""
    lines = table([result]).splitlines()
    width = len(lines[0]) - 5  # the header: the rules' column, a space, one 4-wide column
    split = next(i for i, line in enumerate(lines) if not line.strip())
    return "\n".join([*lines[:split], *property_rows(result, width), *lines[split:]])


def exploration_table(exploration: Exploration, replay: str | None) -> str:
    lines = [headline(exploration), *coverage_lines(exploration)]
    minimal = exploration.minimal
    if minimal is not None and minimal.schedule is not None:
        lines += ["", f"the smallest failing schedule ({len(minimal.schedule.faults)} fault(s), "
                  f"agent seed {minimal.schedule.agent_seed}):"]  # fmt: skip
        lines += [f"  - {line}" for line in minimal.schedule.describe() or ["no faults"]]
        if not exploration.reproduced:
            lines.append("  (it did not fail again when re-run on its own: a flaky failure)")
        lines += ["", result_table(minimal)]
        if replay:
            lines += ["", f"replay: {replay}"]
    return "\n".join(lines)


# ---------------------------------------------------------------------- markdown


def properties_markdown(result: ExploredResult) -> list[str]:
    out = ["", "### Universal properties", "", "| property | verdict | seen |", "|---|---|---|"]
    for prop in PROPERTIES:
        verdict = result.properties.get(prop.id)
        if verdict is None:
            continue
        seen = verdict.note or "; ".join(v.message for v in verdict.violations)
        out.append(f"| {prop.id} | {MARKS[verdict.status]} | {seen} |")
    for prop in PROPERTIES:
        verdict = result.properties.get(prop.id)
        if verdict is None or verdict.ok:
            continue
        out += ["", f"#### {prop.id} failed", "", prop.description, ""]
        out += [f"- {v.message}" for v in verdict.violations]
        out += ["", "```", evidence_text(verdict.violations, result.entries), "```"]
    return out


def exploration_markdown(exploration: Exploration, schedule_yaml: str, replay: str) -> str:
    s = exploration.settings
    out = [
        "# nemo-mock check-client --explore report",
        "",
        headline(exploration) + ".",
        "",
        f"Operations: {', '.join(s.operations)}.",
        "",
        *[f"- {line}" for line in coverage_lines(exploration)],
    ]
    minimal = exploration.minimal
    if minimal is None:
        return "\n".join(out) + "\n"
    out += ["", "## The smallest failing schedule", ""]
    if exploration.first is not None and exploration.first.schedule is not None:
        out += [f"First found: {exploration.first.schedule.summary()}; shrunk to:", ""]
    out += ["```yaml", schedule_yaml.rstrip(), "```", "", f"Replay: `{replay}`", ""]
    if not exploration.reproduced:
        out += ["It did not fail again when re-run on its own: the failure is flaky.", ""]
    body = markdown([minimal]).splitlines()[1:]  # the scenario report, without its title
    out += ["## The run", *body, *properties_markdown(minimal)]
    return "\n".join(out) + "\n"


def replay_markdown(result: ExploredResult) -> str:
    return markdown([result]).rstrip("\n") + "\n" + "\n".join(properties_markdown(result)) + "\n"


# ---------------------------------------------------------------------- junit


def with_properties(xml_text: str, results: Sequence[ExploredResult]) -> ET.Element:
    """The scenarios' JUnit XML, with a test case per universal property in each suite."""
    root = ET.fromstring(xml_text)
    suites = {suite.get("name"): suite for suite in root.iter("testsuite")}
    for result in results:
        suite = suites[result.scenario.name]
        failures = int(suite.get("failures", "0"))
        skipped = int(suite.get("skipped", "0"))
        for prop in PROPERTIES:
            verdict = result.properties.get(prop.id)
            if verdict is None:
                continue
            junit_case(suite, result, prop.id, verdict, verdict.note or "not exercised")
            failures += verdict.status == "fail"
            skipped += verdict.status == "not_exercised"
        suite.set("tests", str(len(suite.findall("testcase"))))
        suite.set("failures", str(failures))
        suite.set("skipped", str(skipped))
    return root


def exploration_junit(exploration: Exploration, replay: str | None) -> str:
    minimal = exploration.minimal
    if minimal is not None:
        root = with_properties(junit_xml([minimal]), [minimal])
    else:
        root = ET.Element("testsuites", name="nemo-mock check-client")
    suite = ET.Element("testsuite", name=SUITE, tests="1", skipped="0")
    suite.set("failures", "0" if exploration.ok else "1")
    suite.set("time", f"{exploration.seconds:.3f}")
    case = ET.SubElement(suite, "testcase", classname=SUITE, name="schedules")
    ET.SubElement(case, "system-out").text = "\n".join(
        [headline(exploration), *coverage_lines(exploration)]
    )
    if minimal is not None and minimal.schedule is not None:
        failure = ET.SubElement(case, "failure", message=minimal.schedule.summary(), type="explore")
        failure.text = "\n".join([*minimal.schedule.describe(), f"replay: {replay or ''}"])
    root.insert(0, suite)
    ET.indent(root)
    return ET.tostring(root, encoding="unicode", xml_declaration=True)


# ---------------------------------------------------------------------- files


def write_exploration(
    exploration: Exploration, folder: Path, schedule_yaml: str, replay: str
) -> list[Path]:
    texts = {
        "report.md": exploration_markdown(exploration, schedule_yaml, replay),
        "junit.xml": exploration_junit(exploration, replay),
        "table.txt": exploration_table(exploration, replay) + "\n",
    }
    minimal = [exploration.minimal] if exploration.minimal is not None else []
    return _write(folder, texts) + write_journals(minimal, folder)


def write_replay(result: ExploredResult, folder: Path) -> list[Path]:
    root = with_properties(junit_xml([result]), [result])
    ET.indent(root)
    texts = {
        "report.md": replay_markdown(result),
        "junit.xml": ET.tostring(root, encoding="unicode", xml_declaration=True),
        "table.txt": result_table(result) + "\n",
    }
    return _write(folder, texts) + write_journals([result], folder)


def _write(folder: Path, texts: dict[str, str]) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in texts.items():
        (folder / name).write_text(text, encoding="utf-8")
    return [folder / name for name in texts]
