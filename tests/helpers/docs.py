"""The public description of the API that rules and scenarios cite."""

import re
from pathlib import Path

#: The public description of the API the rules cite (a copy is kept in docs/).
API_DOC = Path(__file__).resolve().parents[2] / "docs" / "reference" / "nemovideo-api.md"


def doc_sections() -> set[str]:
    """``§2``, ``§4.4``… for every numbered heading of the API description."""
    headings = re.findall(r"^#{2,3} (\d+(?:\.\d+)?)\.? ", API_DOC.read_text(), re.MULTILINE)
    return {f"§{number}" for number in headings}
