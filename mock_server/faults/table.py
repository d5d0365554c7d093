"""The table of fault kinds in ``docs/how-to/faults.md``, written from ``faults.kinds``.

``python -m nemo_mock.mock_server.faults.table`` prints it; ``--write docs/how-to/faults.md``
replaces the table between its two markers in place. A test holds the page equal to it.
"""

from __future__ import annotations

import sys
from pathlib import Path

from nemo_mock.mock_server.faults.kinds import ACTS_WORDS, KINDS, FaultKind, Key

BEGIN = (
    "<!-- fault-kinds: written by "
    "`python -m nemo_mock.mock_server.faults.table --write docs/how-to/faults.md` -->"
)
END = "<!-- /fault-kinds -->"
HEADER = (
    "| action | one-line form | applies to | acts | effect |",
    "|---|---|---|---|---|",
)


def markdown() -> str:
    """The table, one row per kind in the registry's order."""
    return "\n".join([*HEADER, *(_row(kind) for kind in KINDS)])


def _row(kind: FaultKind) -> str:
    forms = ", ".join(f"`{example}`" for example in kind.examples)
    ops = ", ".join(f"`{op}`" for op in sorted(kind.operations or ())) or "any"
    cells = (f"`{_json(kind)}`", forms, ops, ACTS_WORDS[kind.acts], kind.effect)
    return "| " + " | ".join(cells) + " |"


def _json(kind: FaultKind) -> str:
    parts = [f'"{kind.key.name}": {_value(kind.key)}']
    parts += [f'"{key.name}"?: {_value(key)}' for key in kind.companions]
    return "{" + ", ".join(parts) + "}"


def _value(key: Key) -> str:
    if key.value == "flag":
        return "true"
    if key.value == "text":
        return f'"{key.parameter}"'
    return key.parameter


def replaced(text: str) -> str:
    """``text`` with the table between the markers written anew."""
    head, begin, rest = text.partition(BEGIN)
    _, end, tail = rest.partition(END)
    if not begin or not end:
        raise ValueError(f"the markers {BEGIN!r} and {END!r} are not both there")
    return f"{head}{BEGIN}\n{markdown()}\n{END}{tail}"


def written(text: str) -> str:
    """The table as it stands between the markers of ``text``."""
    _, _, rest = text.partition(BEGIN)
    return rest.partition(END)[0].strip("\n")


def main(argv: list[str]) -> int:
    if argv[:1] == ["--write"] and len(argv) == 2:
        path = Path(argv[1])
        path.write_text(replaced(path.read_text(encoding="utf-8")), encoding="utf-8")
        return 0
    if argv:
        print(
            "usage: python -m nemo_mock.mock_server.faults.table [--write docs/how-to/faults.md]",
            file=sys.stderr,
        )
        return 2
    print(markdown())
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
