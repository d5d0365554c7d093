"""The contract as served under the error style in force.

``contracts/<surface>/openapi.yaml`` is written for ``--error-style http``: a 1001 is an
HTTP 401, a 1002 a 404, and so on (``edge/errors.HTTP_STATUS_OF_CODE``). Under
``--error-style envelope`` those refusals travel as HTTP 200 carrying the code, so the
document served at ``/openapi.json`` must say so, or every such answer contradicts it.
``for_style`` rewrites a loaded document (a pure function on plain JSON data):

* a response whose error schema names a code the envelope style sends as 200 (its
  ``code`` is a ``const`` in ``HTTP_STATUS_OF_CODE``) leaves its status;
* the operation's 200 response gains that schema as an alternative (``anyOf``) under
  ``application/json``, with its examples, so a streamed (SSE) or binary 200 also admits
  the JSON envelope.

Plain HTTP codes (400, 402 export blocked, 404 not found, 409, 429…) stay where they are.
"""

from __future__ import annotations

import copy
from typing import Any

from nemo_mock.mock_server.edge.errors import HTTP_STATUS_OF_CODE
from nemo_mock.mock_server.settings import ErrorStyle

HTTP_METHODS = ("get", "put", "post", "delete", "patch", "options", "head", "trace")
JSON = "application/json"


def for_style(document: dict[str, Any], style: ErrorStyle) -> dict[str, Any]:
    """``document`` as it holds under ``style`` (``http``: unchanged)."""
    if style == "http":
        return document
    out = copy.deepcopy(document)
    for item in out.get("paths", {}).values():
        for method in HTTP_METHODS:
            if method in item:
                _fold_into_200(out, item[method])
    return out


def _fold_into_200(document: dict[str, Any], operation: dict[str, Any]) -> None:
    responses: dict[str, Any] = operation.get("responses", {})
    folded = {
        status: _resolve(document, response)
        for status, response in responses.items()
        if status != "200" and _enveloped_code(document, response) is not None
    }
    if not folded or "200" not in responses:
        return
    ok = _resolve(document, responses["200"])
    content = ok.setdefault("content", {})
    json_side = content.setdefault(JSON, {})
    alternatives = [json_side["schema"]] if "schema" in json_side else []
    examples = dict(json_side.get("examples", {}))
    for status, response in folded.items():
        side = response["content"][JSON]
        alternatives.append(side["schema"])
        for name, example in side.get("examples", {}).items():
            examples[f"{name}_{status}"] = example
        del responses[status]
    json_side["schema"] = {"anyOf": alternatives}
    if examples:
        json_side["examples"] = examples
    codes = sorted(str(_enveloped_code(document, response)) for response in folded.values())
    ok["description"] = (
        f"{ok.get('description', '')} Under --error-style envelope, refusals with code "
        f"{', '.join(codes)} also come as HTTP 200 carrying the code."
    ).strip()
    responses["200"] = ok


def _enveloped_code(document: dict[str, Any], response: dict[str, Any]) -> int | None:
    """The documented code of an error response if the envelope style sends it as 200."""
    schema = _resolve(document, response).get("content", {}).get(JSON, {}).get("schema", {})
    for part in [schema, *schema.get("allOf", [])]:
        code = part.get("properties", {}).get("code", {}).get("const")
        if isinstance(code, int) and code in HTTP_STATUS_OF_CODE:
            return code
    return None


def _resolve(document: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    """A (local) ``$ref`` followed, as a copy; anything else as a copy."""
    while "$ref" in node:
        target: Any = document
        for part in node["$ref"].removeprefix("#/").split("/"):
            target = target[part.replace("~1", "/").replace("~0", "~")]
        node = target
    return copy.deepcopy(node)
