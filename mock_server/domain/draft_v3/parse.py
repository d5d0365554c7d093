"""Draft Protocol V3 text -> a tree of elements, keeping every construct it does not render.

The template is XML-like, not XML: ``<render>``, ``<script>`` and ``<data>`` bodies hold code
or JSON (``<``, ``&&`` …) and are kept as raw text up to their closing tag. The parser checks
what §7 asks of the syntax — balanced tags and quoted attributes — and reports the line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from nemo_mock.mock_server.domain.errors import InvalidDraft

MAX_TEMPLATE_CHARS = 2_000_000
RAW_TEXT = frozenset({"render", "script", "data", "style", "lottie", "three", "gsap", "anime"})
_NAME = r"[A-Za-z_][\w.:-]*"
_TAG = re.compile(rf"<(/?)({_NAME})((?:\s+[^<>]*?)?)\s*(/?)>", re.S)
_ATTR = re.compile(rf"\s*({_NAME})(?:\s*=\s*(\"[^\"]*\"|'[^']*'|[^\s\"'>/]+))?", re.S)


@dataclass
class Element:
    tag: str
    attrs: dict[str, str]
    line: int
    children: list[Element] = field(default_factory=list)
    text: str = ""  # the text directly inside (raw body for raw-text elements)

    def get(self, name: str) -> str | None:
        return self.attrs.get(name)

    def where(self) -> str:
        ident = self.attrs.get("id")
        return f"<{self.tag}{f' id={ident!r}' if ident else ''}> (line {self.line})"

    def iter(self) -> list[Element]:
        found = [self]
        for child in self.children:
            found.extend(child.iter())
        return found


def parse_template(source: str) -> Element:
    """The root element of ``source``; ``InvalidDraft`` naming the line for a syntax error."""
    if not isinstance(source, str) or not source.strip():
        raise InvalidDraft("main_template is empty: send the whole V3 template as text")
    if len(source) > MAX_TEMPLATE_CHARS:
        raise InvalidDraft(f"main_template is longer than {MAX_TEMPLATE_CHARS} characters")
    source = re.sub(r"<!--.*?-->", lambda m: " " * len(m.group(0)), source, flags=re.S)
    source = re.sub(r"<\?.*?\?>", lambda m: " " * len(m.group(0)), source, flags=re.S)
    return _Parser(source).run()


class _Parser:
    def __init__(self, source: str) -> None:
        self.src = source
        self.pos = 0
        self.stack: list[Element] = []
        self.roots: list[Element] = []

    def line(self, at: int) -> int:
        return self.src.count("\n", 0, at) + 1

    def run(self) -> Element:
        while (start := self.src.find("<", self.pos)) != -1:
            self._text(self.src[self.pos : start])
            match = _TAG.match(self.src, start)
            if match is None:
                raise InvalidDraft(
                    f"line {self.line(start)}: malformed tag near {self._near(start)}"
                )
            self.pos = match.end()
            closing, name, rest, selfclose = match.groups()
            if closing:
                self._close(name, start)
            else:
                self._open(name, _attributes(rest, self.line(start)), start, bool(selfclose))
        self._text(self.src[self.pos :])
        if self.stack:
            raise InvalidDraft(f"{self.stack[-1].where()} is never closed: balance the tags")
        if len(self.roots) != 1:
            raise InvalidDraft(
                f"the template must have exactly one root <draft>, found {len(self.roots)}"
            )
        return self.roots[0]

    def _open(self, name: str, attrs: dict[str, str], start: int, selfclose: bool) -> None:
        element = Element(name, attrs, self.line(start))
        (self.stack[-1].children if self.stack else self.roots).append(element)
        if selfclose:
            return
        if name.lower() in RAW_TEXT:
            end = self.src.find(f"</{name}>", self.pos)
            if end == -1:
                raise InvalidDraft(f"{element.where()} is never closed: add </{name}>")
            element.text = self.src[self.pos : end]
            self.pos = end + len(name) + 3
            return
        self.stack.append(element)

    def _close(self, name: str, start: int) -> None:
        if not self.stack:
            raise InvalidDraft(f"line {self.line(start)}: </{name}> closes nothing")
        top = self.stack.pop()
        if top.tag != name:
            raise InvalidDraft(
                f"line {self.line(start)}: </{name}> closes {top.where()}: balance the tags"
            )

    def _text(self, chunk: str) -> None:
        if not chunk.strip():
            return
        if not self.stack:
            raise InvalidDraft(f"text outside the root element: {chunk.strip()[:40]!r}")
        self.stack[-1].text += chunk

    def _near(self, at: int) -> str:
        return repr(self.src[at : at + 30])


def _attributes(raw: str, line: int) -> dict[str, str]:
    attrs: dict[str, str] = {}
    pos = 0
    raw = raw.rstrip()
    while pos < len(raw):
        match = _ATTR.match(raw, pos)
        if match is None or match.end() == pos:
            raise InvalidDraft(f"line {line}: cannot read the attributes {raw.strip()[:60]!r}")
        name, value = match.groups()
        if value is None or value[0] not in "\"'":
            raise InvalidDraft(
                f'line {line}: attribute {name!r} must have a quoted value (name="value")'
            )
        if name in attrs:
            raise InvalidDraft(f"line {line}: attribute {name!r} appears twice")
        attrs[name] = unescape(value[1:-1])
        pos = match.end()
    return attrs


def unescape(value: str) -> str:
    for entity, char in (("&quot;", '"'), ("&apos;", "'"), ("&lt;", "<"), ("&gt;", ">")):
        value = value.replace(entity, char)
    return value.replace("&amp;", "&")


def escape(value: str) -> str:
    return (
        value.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;").replace(">", "&gt;")
    )
