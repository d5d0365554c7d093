"""The contract's ``SseEvent`` schema as a validator."""

import jsonschema_rs

from nemo_mock.contracts.loader import load_openapi

BASE = "urn:nemo-mock:openapi"


SSE_EVENT = jsonschema_rs.Draft202012Validator(
    {"$ref": f"{BASE}#/components/schemas/SseEvent"},
    registry=jsonschema_rs.Registry([(BASE, load_openapi())]),
)
