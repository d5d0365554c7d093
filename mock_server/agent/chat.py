"""Replies to messages that edit nothing: export, credits, status, upload, greetings."""

from __future__ import annotations

from nemo_mock.mock_server.agent.plan import SessionView
from nemo_mock.mock_server.agent.wording import Language, say


def chat_reply(topic: str, view: SessionView, lang: Language) -> str:
    """The agent's answer for a chat ``topic`` (see ``intents._CHAT_TOPICS``)."""
    if topic == "export":
        return say("export" if view.draft.export_ready else "export_empty", lang)
    if topic == "status":
        if not view.draft.export_ready:
            return say("status_empty", lang)
        return say("status", lang, summary=view.draft.summary())
    if topic in ("credits", "upload", "greeting", "thanks", "undo"):
        return say(topic, lang)
    return say("clarify", lang)
