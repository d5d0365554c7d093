"""The agent's questions on the chat socket (``ask_question``): pure functions.

Two situations ask:

* a message the agent cannot act on (the engine's ``clarify`` plan, e.g. "make something"):
  instead of the text asking for specifics, the socket asks which of a few concrete
  requests the user means; each option's label is a request the engine understands on its
  own, so the answer (the vendor CLI sends ``1. <prompt>: <label>``) opens a turn that does
  it. On an empty project the options make a video; on a project with a timeline they edit
  it.
* the ``ask_question`` fault (``faults.kinds``): before the first message's work the agent
  asks for a style; the answer joins that message.

A question is the end of its turn's frames: no ``done`` follows until the answer's turn ends.
"""

from __future__ import annotations

from nemo_mock.mock_server.surfaces.gateway.frames import Frame

#: Options when the project has nothing to edit yet: each one makes a video.
MAKE_OPTIONS = (
    "Make a 10-second video of ocean waves at sunset",
    "Make a 15-second product promo with upbeat music",
    "Make a 10-second city timelapse at night",
)
#: The same, first, when the session holds uploads.
FROM_UPLOADS = "Turn my photos into a 10-second video with music"
#: Options when the project has a timeline: each one edits it.
EDIT_OPTIONS = (
    "Add lo-fi background music",
    "Put a title 'My Video' at the beginning",
    "Make it 20 seconds",
)
STYLE_OPTIONS = ("Cinematic", "Bright and upbeat", "Calm and minimal")

_WORDS = {
    "en": {
        "clarify_title": "I'm not sure what you'd like me to do.",
        "clarify_prompt": "What would you like me to do?",
        "style_title": "One detail before I start",
        "style_prompt": "Which style should the video have?",
    },
    "zh": {
        "clarify_title": "我不太确定你想做什么。",
        "clarify_prompt": "你想让我做什么？",
        "style_title": "开始之前确认一个细节",
        "style_prompt": "视频要什么风格？",
    },
}


def clarify_question(turn: int, lang: str, *, has_timeline: bool, has_uploads: bool) -> Frame:
    """What the socket asks for a message the agent could not act on."""
    if has_timeline:
        labels: tuple[str, ...] = EDIT_OPTIONS
    else:
        labels = (FROM_UPLOADS, *MAKE_OPTIONS[:2]) if has_uploads else MAKE_OPTIONS
    words = _WORDS.get(lang, _WORDS["en"])
    return ask_question(turn, words["clarify_title"], "what", words["clarify_prompt"], labels)


def style_question(turn: int, lang: str = "en") -> Frame:
    """What the ``ask_question`` fault asks before the first message's work."""
    words = _WORDS.get(lang, _WORDS["en"])
    return ask_question(turn, words["style_title"], "style", words["style_prompt"], STYLE_OPTIONS)


def ask_question(
    turn: int, title: str, question_id: str, prompt: str, labels: tuple[str, ...]
) -> Frame:
    options = [{"id": f"{question_id}_{i}", "label": label} for i, label in enumerate(labels, 1)]
    question = {"id": question_id, "prompt": prompt, "options": options, "allow_multiple": False}
    return {"type": "ask_question", "title": title, "questions": [question], "turn": turn}


def joined(message: str, answer: str) -> str:
    """The message the agent works on once a question about ``message`` is answered."""
    return f"{message.rstrip()}\n{answer.strip()}"
