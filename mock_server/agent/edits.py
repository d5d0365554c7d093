"""Applying a turn's edit operations one after another, each becoming an edit step."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from mock_server.agent.edit_arrange import edit_remove, edit_reorder
from mock_server.agent.edit_audio import edit_music, edit_volume
from mock_server.agent.edit_layout import edit_canvas, edit_transitions
from mock_server.agent.edit_text import edit_text
from mock_server.agent.edit_timing import edit_each_duration, edit_total_length
from mock_server.agent.edit_types import Change, Outcome, Reply, Work
from mock_server.agent.intents import EditOp
from mock_server.agent.plan import Plan, SessionView, Step
from mock_server.agent.steps import draft_facts, edit_step, safe_canvas
from mock_server.agent.wording import Language, say

EDITS: dict[str, Callable[[EditOp, Work], Outcome]] = {
    "remove": edit_remove,
    "reorder": edit_reorder,
    "canvas": edit_canvas,
    "music": edit_music,
    "volume": edit_volume,
    "text": edit_text,
    "transition": edit_transitions,
    "each_duration": edit_each_duration,
    "total_length": edit_total_length,
}
# Edits that change what is already on the timeline; on an empty one they ask for media.
NEEDS_CONTENT = frozenset(
    {"remove", "reorder", "volume", "transition", "each_duration", "total_length"}
)


def _apply(op: EditOp, work: Work) -> Outcome:
    if work.empty and op.kind in NEEDS_CONTENT:
        return Reply(say("nothing_to_edit", work.lang))
    return EDITS[op.kind](op, work)


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
            replies.append(Reply(outcome.text, clarify=False))
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
