"""Quoted strings: found in English and Chinese quote marks and masked from keyword matching."""

from __future__ import annotations

import re
from dataclasses import dataclass

_QUOTE_RE = re.compile(
    r"“(?P<a>[^”\n]{1,300})”"
    r"|‘(?P<b>[^’\n]{1,300})’"
    r"|「(?P<c>[^」\n]{1,300})」"
    r"|『(?P<d>[^』\n]{1,300})』"
    r"|《(?P<e>[^》\n]{1,300})》"
    r"|\"(?P<f>[^\"\n]{1,300})\""
    r"|(?<![A-Za-z0-9])'(?P<g>[^'\n]{1,300}?)'(?![A-Za-z0-9])"
)
QUOTE_MARK = "\ue000"  # a private-use character stands in for a quoted string


@dataclass(frozen=True)
class Masked:
    """A message with each quoted string replaced by ``QUOTE_MARK<index>QUOTE_MARK``."""

    text: str
    quotes: tuple[str, ...]
    original: str = ""

    def quotes_in(self, fragment: str) -> tuple[str, ...]:
        found = re.findall(QUOTE_MARK + r"(\d+)" + QUOTE_MARK, fragment)
        return tuple(self.quotes[int(i)] for i in found if int(i) < len(self.quotes))

    def restore(self, fragment: str) -> str:
        def put_back(match: re.Match[str]) -> str:
            index = int(match.group(1))
            return f"'{self.quotes[index]}'" if index < len(self.quotes) else ""

        return re.sub(QUOTE_MARK + r"(\d+)" + QUOTE_MARK, put_back, fragment)


def mask_quotes(text: str) -> Masked:
    """Hide quoted strings from keyword matching.

    Quotes: straight single and double, curly double and single, 「」, 『』 and 《》.
    """
    text = text.replace(QUOTE_MARK, "")
    quotes: list[str] = []

    def keep(match: re.Match[str]) -> str:
        content = next(g for g in match.groups() if g is not None).strip()
        if not content:
            return " "
        quotes.append(content)
        return f"{QUOTE_MARK}{len(quotes) - 1}{QUOTE_MARK}"

    return Masked(_QUOTE_RE.sub(keep, text), tuple(quotes), text)


def find_quotes(text: str) -> tuple[str, ...]:
    return mask_quotes(text).quotes
