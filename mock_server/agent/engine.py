"""``plan_turn``: from a user message and a view of the session to the agent's plan.

Pure and deterministic: the same message, view and rng state give the same plan. The rng is
drawn from only for the ids and seeds of synthesised media.
"""

from __future__ import annotations

import random

from nemo_mock.mock_server.agent.chat import chat_reply
from nemo_mock.mock_server.agent.edits import plan_edits
from nemo_mock.mock_server.agent.generation import plan_generation
from nemo_mock.mock_server.agent.intents import classify
from nemo_mock.mock_server.agent.plan import Plan, SessionView
from nemo_mock.mock_server.agent.script import plan_script
from nemo_mock.mock_server.agent.wording import resolve_language, say

MAX_MESSAGE_CHARS = 20_000


def plan_turn(message: str, view: SessionView, rng: random.Random) -> Plan:
    """What the agent does with ``message``: generation/edit steps, or a reply."""
    message = message[:MAX_MESSAGE_CHARS]
    lang = resolve_language(view.language, message)
    found = classify(message)
    if found.kind == "script":
        return plan_script(message, view, rng, lang)
    if found.kind == "generate":
        return plan_generation(found.masked, view, rng, lang)
    if found.kind == "edits":
        return plan_edits(found.ops, view, lang)
    if found.kind == "chat":
        return Plan("chat", lang, (), chat_reply(found.topic, view, lang))
    return Plan("clarify", lang, (), say("clarify", lang))
