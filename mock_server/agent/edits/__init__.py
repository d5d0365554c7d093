"""Agent edits: a registry of edit kinds (``registry.KINDS``), one module per kind, and
``plan_edits``, applying a turn's edit operations one after another, each becoming an edit
step."""

from __future__ import annotations

from dataclasses import replace

from nemo_mock.mock_server.agent.edit_types import Change, Outcome, Reply, Work
from nemo_mock.mock_server.agent.edits.kind import EditOp
from nemo_mock.mock_server.agent.edits.registry import BY_NAME
from nemo_mock.mock_server.agent.plan import Plan, SessionView, Step
from nemo_mock.mock_server.agent.steps import draft_facts, edit_step, safe_canvas
from nemo_mock.mock_server.agent.wording import Language, say


def _apply(op: EditOp, work: Work) -> Outcome:
    kind = BY_NAME[op.kind]
    if work.empty and kind.needs_content:
        return Reply(say("nothing_to_edit", work.lang))
    return kind.apply(op, work)


def _step(change: Change) -> Step:
    result = {**change.result, **draft_facts(change.draft)}
    return edit_step(change.draft, change.canvas, change.args, result, change.text)


def plan_edits(ops: tuple[EditOp, ...], view: SessionView, lang: Language) -> Plan:
    """One edit step per operation that changes something; replies for the rest."""
    work = Work(view.draft, safe_canvas(view.canvas), view, lang)
    steps: list[Step] = []
    replies: list[Reply] = []
    for op in ops:
        outcome = _apply(op, work)
        if isinstance(outcome, Reply):
            replies.append(outcome)
        elif outcome.draft == work.draft and outcome.canvas == work.canvas:
            replies.append(Reply(say("no_change", work.lang), clarify=False))  # never a claim
        else:
            steps.append(_step(outcome))
            work = replace(work, draft=outcome.draft, canvas=outcome.canvas)
    extra = " ".join(dict.fromkeys(r.text for r in replies))
    if steps:
        if extra:
            steps[-1] = replace(steps[-1], text=f"{steps[-1].text} {extra}")
        return Plan(ops[0].intent, lang, tuple(steps), "")
    intent = "clarify" if any(r.clarify for r in replies) else ops[0].intent
    return Plan(intent, lang, (), extra or say("clarify", lang))
