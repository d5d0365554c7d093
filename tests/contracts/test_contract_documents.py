"""The hand-written OpenAPI documents in ``contracts/`` are valid and self-consistent.

* both documents are valid OpenAPI 3.1 (the official 3.1 schema, plus every Schema Object
  checked against the JSON Schema 2020-12 meta-schema);
* every ``$ref`` (and discriminator mapping) resolves inside its document;
* every operation has an operationId, a summary, a 2xx response and examples;
* every example validates against its schema (JSON Schema 2020-12, formats asserted, refs
  resolved relative to the document through a registry);
* the NemoVideo contract has exactly the 13 documented operations and none of the mock's
  own paths.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import quote, unquote

import jsonschema_rs
import pytest

from nemo_mock.contracts.loader import (
    CONTROL_PATH,
    OPENAPI_PATH,
    Operation,
    load_contract,
    load_control,
    load_openapi,
    operations,
)
from nemo_mock.mock_server.edge.surfaces import operation_ids

Location = tuple[str | int, ...]
Doc = dict[str, Any]

LOADERS: dict[str, Callable[[], Doc]] = {"openapi": load_openapi, "control": load_control}
BASE_URIS = {"openapi": "urn:nemo-mock:openapi", "control": "urn:nemo-mock:control"}

NEMOVIDEO_OPERATIONS = {
    Operation("POST", "/api/auth/anonymous-token", "createAnonymousToken"),
    Operation("POST", "/api/auth/claim-token", "createClaimToken"),
    Operation("POST", "/api/tasks/{user_id}/with-session/nemo_agent", "createSession"),
    Operation("POST", "/run_sse", "runSse"),
    Operation("POST", "/api/upload-video/nemo_agent/{user_id}/{session_id}", "uploadFiles"),
    Operation("GET", "/api/credits/balance/simple", "getCreditBalance"),
    Operation("GET", "/api/state/nemo_agent/{user_id}/{session_id}/latest", "getSessionState"),
    Operation("POST", "/api/render/proxy/lambda", "startRender"),
    Operation("GET", "/api/render/proxy/lambda/{render_id}", "getRender"),
    Operation("POST", "/api/render/proxy/lambda/{render_id}/cancel", "cancelRender"),
    Operation("GET", "/api/render/proxy/{render_id}/download", "downloadRender"),
    Operation("POST", "/api/render/proxy/draft", "startRenderLegacy"),
    Operation("GET", "/api/render/proxy/{render_id}", "getRenderLegacy"),
    # era-only (§8): the first README's token API; the generated skills' endpoint
    Operation("POST", "/api/tokens", "createApiToken"),
    Operation("GET", "/api/tokens", "listApiTokens"),
    Operation("POST", "/api/tokens/{token_id}/revoke", "revokeApiToken"),
    Operation("POST", "/api/v1/generate", "generateV1"),
    # the web front end's project links, which a browser opens (§8)
    Operation("GET", "/workspace/claim", "openWorkspaceClaim"),
    Operation("GET", "/workspace/task/{task_id}/{session_id}", "openWorkspaceTask"),
}
#: Opened by a browser with the link's own credential: no bearer token, no attribution.
WEB_LINKS = {"openWorkspaceClaim", "openWorkspaceTask"}
CONTROL_OPERATIONS = {
    Operation("GET", "/_mock/health", "getHealth"),
    Operation("GET", "/_mock/clock", "getClock"),
    Operation("POST", "/_mock/clock/advance", "advanceClock"),
    Operation("GET", "/cdn/{file_id}/{filename}", "getMediaFile"),
    Operation("GET", "/cdn/renders/{output_key}/{filename}", "getRenderOutput"),
    Operation("POST", "/_mock/credits", "setCredits"),
    Operation("POST", "/_mock/tokens", "mintToken"),
    Operation("POST", "/_mock/tokens/revoke", "revokeToken"),
    Operation("POST", "/_mock/tokens/expire", "expireToken"),
}
RENDER_START = {"startRender", "startRenderLegacy"}
ATTRIBUTION_HEADERS = ("X-Skill-Source", "X-Skill-Version", "X-Skill-Platform")


# --------------------------------------------------------------------------- helpers


@pytest.fixture(params=sorted(LOADERS), scope="module")
def named_doc(request: pytest.FixtureRequest) -> tuple[str, Doc]:
    return request.param, LOADERS[request.param]()


@pytest.fixture(scope="module")
def nemo() -> Doc:
    return load_openapi()


def pointer(location: Location) -> str:
    """A URI-fragment JSON pointer (``/paths/~1run_sse/...``, percent-encoded)."""
    tokens = (str(token).replace("~", "~0").replace("/", "~1") for token in location)
    return quote("".join("/" + token for token in tokens), safe="/~")


def resolve(doc: Doc, ref: str) -> Any:
    """Resolve a local ``#/...`` reference; raise LookupError if it does not resolve."""
    if not ref.startswith("#/"):
        raise LookupError(f"not a local reference: {ref!r}")
    node: Any = doc
    for raw in ref[2:].split("/"):
        token = unquote(raw).replace("~1", "/").replace("~0", "~")
        if isinstance(node, dict) and token in node:
            node = node[token]
        elif isinstance(node, list) and token.isdigit() and int(token) < len(node):
            node = node[int(token)]
        else:
            raise LookupError(f"{ref!r} does not resolve (no {token!r})")
    return node


def deref(doc: Doc, node: Any) -> Any:
    while isinstance(node, dict) and "$ref" in node:
        node = resolve(doc, node["$ref"])
    return node


def iter_operations(doc: Doc) -> Iterator[tuple[Operation, Doc]]:
    for op in operations(doc):
        yield op, doc["paths"][op.path][op.method.lower()]


def iter_refs(node: Any, location: Location = ()) -> Iterator[tuple[Location, str]]:
    """Every ``$ref`` and discriminator mapping target in the document."""
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str):
            yield location, ref
        mapping = node.get("discriminator", {}).get("mapping", {})
        if isinstance(node.get("discriminator"), dict):
            for key, target in mapping.items():
                yield (*location, "discriminator", "mapping", key), target
        for key, value in node.items():
            yield from iter_refs(value, (*location, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from iter_refs(value, (*location, index))


# Schema keywords whose values are schemas, maps of schemas or lists of schemas.
_SUBSCHEMA = ("items", "not", "additionalProperties", "contains", "propertyNames", "if", "then")
_SUBSCHEMA += ("else", "unevaluatedItems", "unevaluatedProperties", "contentSchema")
_SUBSCHEMA_MAPS = ("properties", "patternProperties", "$defs", "dependentSchemas")
_SUBSCHEMA_LISTS = ("allOf", "anyOf", "oneOf", "prefixItems")


def iter_subschemas(schema: Any, location: Location) -> Iterator[tuple[Location, Doc]]:
    """The schema and all its subschemas (not following ``$ref``)."""
    if not isinstance(schema, dict):
        return
    yield location, schema
    for key in _SUBSCHEMA:
        if key in schema:
            yield from iter_subschemas(schema[key], (*location, key))
    for key in _SUBSCHEMA_MAPS:
        for name, sub in schema.get(key, {}).items():
            yield from iter_subschemas(sub, (*location, key, name))
    for key in _SUBSCHEMA_LISTS:
        for index, sub in enumerate(schema.get(key, [])):
            yield from iter_subschemas(sub, (*location, key, index))


class Collector:
    """Walks the OpenAPI structure, collecting Schema Objects and (schema, example) pairs.

    Objects reached through ``$ref`` are not followed: the walk covers ``components``
    itself, so each object is visited exactly once, where it is defined.
    """

    def __init__(self, doc: Doc) -> None:
        self.schemas: list[Location] = []
        self.examples: list[tuple[Location, Location, Any]] = []  # schema, example, value
        components = doc.get("components", {})
        for name, schema in components.get("schemas", {}).items():
            self.schema(schema, ("components", "schemas", name))
        for name, obj in components.get("parameters", {}).items():
            self.parameter(obj, ("components", "parameters", name))
        for name, obj in components.get("headers", {}).items():
            self.parameter(obj, ("components", "headers", name))
        for name, obj in components.get("responses", {}).items():
            self.response(obj, ("components", "responses", name))
        for name, obj in components.get("requestBodies", {}).items():
            self.request_body(obj, ("components", "requestBodies", name))
        for path, item in doc.get("paths", {}).items():
            for index, obj in enumerate(item.get("parameters", [])):
                self.parameter(obj, ("paths", path, "parameters", index))
            for op in operations({"paths": {path: item}}):
                method = op.method.lower()
                loc: Location = ("paths", path, method)
                operation = item[method]
                for index, obj in enumerate(operation.get("parameters", [])):
                    self.parameter(obj, (*loc, "parameters", index))
                if "requestBody" in operation:
                    self.request_body(operation["requestBody"], (*loc, "requestBody"))
                for status, obj in operation.get("responses", {}).items():
                    self.response(obj, (*loc, "responses", status))

    def schema(self, schema: Any, location: Location) -> None:
        for sub_location, sub in iter_subschemas(schema, location):
            if sub_location == location:
                self.schemas.append(location)
            if "example" in sub:
                self.examples.append((sub_location, (*sub_location, "example"), sub["example"]))
            for index, value in enumerate(sub.get("examples", [])):
                self.examples.append((sub_location, (*sub_location, "examples", index), value))

    def _examples(self, obj: Doc, schema_location: Location, location: Location) -> None:
        if "example" in obj:
            self.examples.append((schema_location, (*location, "example"), obj["example"]))
        for name, example in obj.get("examples", {}).items():
            if "$ref" not in example and "value" in example:
                example_location = (*location, "examples", name, "value")
                self.examples.append((schema_location, example_location, example["value"]))

    def parameter(self, obj: Doc, location: Location) -> None:
        """A Parameter or Header Object."""
        if "$ref" in obj:
            return
        if "schema" in obj:
            self.schema(obj["schema"], (*location, "schema"))
            self._examples(obj, (*location, "schema"), location)
        for media_type, media in obj.get("content", {}).items():
            self.media(media, (*location, "content", media_type))

    def media(self, obj: Doc, location: Location) -> None:
        if "schema" in obj:
            self.schema(obj["schema"], (*location, "schema"))
            if location[-1] == "text/event-stream":
                self._stream_examples(obj, (*location, "schema"), location)
            else:
                self._examples(obj, (*location, "schema"), location)

    def _stream_examples(self, obj: Doc, schema_location: Location, location: Location) -> None:
        """A stream example is many events: each parsed event against the per-event schema,
        and each non-empty ``data`` against ``StreamEvent``."""
        for name, example in obj.get("examples", {}).items():
            example_location = (*location, "examples", name, "value")
            for line in str(example.get("value", "")).splitlines():
                if not line.startswith("data:"):
                    continue
                payload = line[5:].strip()
                self.examples.append(
                    (schema_location, example_location, {"data": payload, "event": "message"})
                )
                if payload:
                    event_schema = ("components", "schemas", "StreamEvent")
                    self.examples.append((event_schema, example_location, json.loads(payload)))

    def request_body(self, obj: Doc, location: Location) -> None:
        if "$ref" in obj:
            return
        for media_type, media in obj.get("content", {}).items():
            self.media(media, (*location, "content", media_type))

    def response(self, obj: Doc, location: Location) -> None:
        if "$ref" in obj:
            return
        for name, header in obj.get("headers", {}).items():
            self.parameter(header, (*location, "headers", name))
        for media_type, media in obj.get("content", {}).items():
            self.media(media, (*location, "content", media_type))


def openapi_31_validator() -> Callable[[Doc], None]:
    """``openapi_spec_validator`` if installed, else the official 3.1 schema via schemathesis."""
    try:
        from openapi_spec_validator import validate  # type: ignore[import-not-found]
    except ImportError:
        pass
    else:
        return validate  # type: ignore[no-any-return]
    try:
        from schemathesis.specs.openapi.definitions import OPENAPI_31_VALIDATOR
    except ImportError:  # pragma: no cover - schemathesis is a test dependency
        pytest.skip("neither openapi_spec_validator nor schemathesis is installed")
    return OPENAPI_31_VALIDATOR.validate


def assert_json_data(node: Any, location: Location = ()) -> None:
    if isinstance(node, dict):
        for key, value in node.items():
            assert isinstance(key, str), f"non-string key {key!r} at {pointer(location)}"
            assert_json_data(value, (*location, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            assert_json_data(value, (*location, index))
    else:
        assert not isinstance(node, dt.date), f"YAML timestamp at {pointer(location)}: quote it"
        assert node is None or isinstance(node, str | int | float | bool), pointer(location)


# --------------------------------------------------------------------------- validity


def test_documents_are_plain_json_data(named_doc: tuple[str, Doc]) -> None:
    _, doc = named_doc
    assert_json_data(doc)
    assert json.loads(json.dumps(doc)) == doc


def test_documents_are_valid_openapi_31(named_doc: tuple[str, Doc]) -> None:
    _, doc = named_doc
    assert doc["openapi"] == "3.1.0"
    assert doc["servers"] == [{"url": "/", "description": doc["servers"][0].get("description")}]
    openapi_31_validator()(doc)


def test_every_schema_object_is_valid_json_schema_2020_12(named_doc: tuple[str, Doc]) -> None:
    _, doc = named_doc
    schemas = Collector(doc).schemas
    assert schemas
    for location in schemas:
        schema = resolve(doc, "#" + pointer(location))
        try:
            jsonschema_rs.meta.validate(schema)
        except jsonschema_rs.ValidationError as error:
            pytest.fail(f"{pointer(location)} is not a valid 2020-12 schema: {error}")


def test_every_ref_resolves(named_doc: tuple[str, Doc]) -> None:
    _, doc = named_doc
    refs = list(iter_refs(doc))
    assert refs
    for location, ref in refs:
        try:
            target = resolve(doc, ref)
        except LookupError as error:
            pytest.fail(f"{pointer(location)}: {error}")
        assert isinstance(target, dict), f"{pointer(location)}: {ref} is not an object"


def test_every_example_validates_against_its_schema(named_doc: tuple[str, Doc]) -> None:
    name, doc = named_doc
    base = BASE_URIS[name]
    registry = jsonschema_rs.Registry([(base, doc)], draft=jsonschema_rs.Draft202012)
    examples = Collector(doc).examples
    assert len(examples) > 20
    failures = []
    for schema_location, example_location, value in examples:
        validator = jsonschema_rs.Draft202012Validator(
            {"$ref": f"{base}#{pointer(schema_location)}"},
            registry=registry,
            validate_formats=True,
        )
        failures.extend(
            f"{pointer(example_location)}: {error.message} (at {list(error.instance_path)})"
            for error in validator.iter_errors(value)
        )
    assert not failures, "\n".join(failures)


# --------------------------------------------------------------------------- operations


def test_every_operation_is_documented(named_doc: tuple[str, Doc]) -> None:
    _, doc = named_doc
    ids = [op.operation_id for op in operations(doc)]
    assert all(ids), "every operation needs an operationId"
    assert len(ids) == len(set(ids)), "operationIds must be unique"
    for op, operation in iter_operations(doc):
        assert op.method == op.method.upper()
        assert operation.get("summary", "").strip(), f"{op.operation_id}: no summary"
        responses = operation["responses"]
        served = operation.get("x-eras") != []  # x-eras: [] is an endpoint no era serves
        assert any(str(s).startswith("2") for s in responses) or not served, op.operation_id
        assert all(isinstance(status, str) for status in responses), op.operation_id
        for status, response in responses.items():
            response = deref(doc, response)
            assert response.get("description"), f"{op.operation_id} {status}: no description"
            content = response.get("content", {})
            assert content, f"{op.operation_id} {status}: no content"
            for media_type, media in content.items():
                assert media.get("examples") or "example" in media, (
                    f"{op.operation_id} {status} {media_type}: no example"
                )
        if "requestBody" in operation:
            for media_type, media in deref(doc, operation["requestBody"])["content"].items():
                assert media.get("examples") or "example" in media, (
                    f"{op.operation_id} request {media_type}: no example"
                )


def test_nemovideo_contract_has_exactly_the_documented_operations(nemo: Doc) -> None:
    assert set(operations(nemo)) == NEMOVIDEO_OPERATIONS
    assert len(operations(nemo)) == 19


def test_control_contract_operations() -> None:
    control = load_control()
    assert set(operations(control)) >= CONTROL_OPERATIONS
    for op in operations(control):
        assert op.path.startswith(("/_mock/", "/cdn/")), op


def test_a_fault_rule_may_name_exactly_the_operations_of_every_surface() -> None:
    """The control contract's ``FaultMatch.operation`` is what the mock accepts: every
    surface's operations (``gateway.…`` and ``mcp.…`` too), nothing it would refuse."""
    match = load_control()["components"]["schemas"]["FaultMatch"]["properties"]["operation"]
    assert len(match["enum"]) == len(set(match["enum"]))
    assert set(match["enum"]) == operation_ids()


def test_nemovideo_contract_has_no_mock_paths(nemo: Doc) -> None:
    for path in nemo["paths"]:
        assert not path.startswith("/_mock"), path
        assert not path.startswith("/cdn/"), path


def test_operations_helper() -> None:
    doc = {"paths": {"/a": {"parameters": [], "summary": "x", "get": {"operationId": "a"}}}}
    assert operations(doc) == [Operation("GET", "/a", "a")]


def test_loaders_return_independent_copies() -> None:
    first = load_openapi()
    first["paths"].clear()
    assert load_openapi()["paths"]
    assert OPENAPI_PATH.name == "openapi.yaml"
    assert CONTROL_PATH.name == "control.yaml"
    assert OPENAPI_PATH.parent == CONTROL_PATH.parent / "skill"


def test_a_contract_is_named_by_its_path_under_contracts() -> None:
    assert load_contract("skill/openapi.yaml") == load_openapi()
    with pytest.raises(ValueError, match="not a contract under"):
        load_contract("../pyproject.toml")


# --------------------------------------------------------------------------- NemoVideo rules


def test_security(nemo: Doc) -> None:
    scheme = nemo["components"]["securitySchemes"]["bearerAuth"]
    assert scheme["type"] == "http"
    assert scheme["scheme"] == "bearer"
    for op, operation in iter_operations(nemo):
        effective = operation.get("security", nemo.get("security"))
        if op.operation_id == "createAnonymousToken" or op.operation_id in WEB_LINKS:
            assert effective == []
        else:
            assert effective == [{"bearerAuth": []}], op.operation_id


def test_attribution_headers(nemo: Doc) -> None:
    for op, operation in iter_operations(nemo):
        params = [deref(nemo, param) for param in operation.get("parameters", [])]
        headers = {p["name"]: p for p in params if p["in"] == "header"}
        if op.operation_id in WEB_LINKS:
            assert not headers, f"{op.operation_id}: a browser sends no API headers"
            continue
        for name in ATTRIBUTION_HEADERS:
            assert name in headers, f"{op.operation_id}: no {name}"
            assert headers[name]["required"] is (op.operation_id in RENDER_START), (
                f"{op.operation_id} {name}"
            )
            assert "402" in headers[name]["description"], f"{op.operation_id} {name}"
        if op.operation_id in RENDER_START:
            assert operation["responses"]["402"]["$ref"].endswith("/ExportBlocked")


def test_client_id_header_is_declared_required(nemo: Doc) -> None:
    operation = nemo["paths"]["/api/auth/anonymous-token"]["post"]
    params = [deref(nemo, param) for param in operation["parameters"]]
    (client_id,) = (p for p in params if p["name"] == "X-Client-Id")
    assert client_id["in"] == "header"
    assert client_id["required"] is True
    assert "429" in operation["responses"] and "400" in operation["responses"]
    rate_limited = deref(nemo, operation["responses"]["429"])
    assert "Retry-After" in rate_limited["headers"]


def test_legacy_and_era_only_operations_are_deprecated(nemo: Doc) -> None:
    for op, operation in iter_operations(nemo):
        era_only = "x-eras" in operation
        assert operation.get("deprecated", False) is (
            op.operation_id.endswith("Legacy") or era_only
        )


def test_era_only_operations_name_known_eras(nemo: Doc) -> None:
    from nemo_mock.mock_server.domain.eras import ERA_NAMES

    listed = {op.operation_id: o["x-eras"] for op, o in iter_operations(nemo) if "x-eras" in o}
    assert set(listed) == {"createApiToken", "listApiTokens", "revokeApiToken", "generateV1"}
    for eras in listed.values():
        assert set(eras) <= set(ERA_NAMES)


def test_info_description_covers_envelope_codes_and_error_styles(nemo: Doc) -> None:
    description = nemo["info"]["description"]
    for needle in ("envelope", "--error-style envelope", "1001", "1002", "2001", "4001"):
        assert needle in description, needle
    assert "4002" in description and "429" in description


def test_render_job_accepts_each_shape_alone_and_rejects_none(nemo: Doc) -> None:
    registry = jsonschema_rs.Registry([(BASE_URIS["openapi"], nemo)])
    validator = jsonschema_rs.Draft202012Validator(
        {"$ref": f"{BASE_URIS['openapi']}#/components/schemas/RenderJob"}, registry=registry
    )
    render_job = nemo["components"]["schemas"]["RenderJob"]
    assert "required" not in render_job
    output = {"url": None}
    assert validator.is_valid({"status": "pending", "output": output})
    data = {"id": "r", "status": "pending", "progress": 5}
    assert validator.is_valid({"success": True, "data": data})
    assert validator.is_valid({"taskId": "r", "status": "pending", "progress": 0, "output": output})
    assert not validator.is_valid({"status": "completed"})
    assert not validator.is_valid({"id": "r", "progress": 100})


def test_schemathesis_can_load_both_documents(named_doc: tuple[str, Doc]) -> None:
    schemathesis = pytest.importorskip("schemathesis")
    _, doc = named_doc
    schema = schemathesis.openapi.from_dict(doc)
    loaded = {result.ok().definition.raw["operationId"] for result in schema.get_all_operations()}
    assert loaded == {op.operation_id for op in operations(doc)}


def test_libyaml_reads_every_contract_as_the_python_parser_does() -> None:
    """The contracts are parsed by libyaml where PyYAML has it (``loader._SafeBase``): the
    same documents as PyYAML's own parser, timestamps left as strings by both."""
    import yaml

    from nemo_mock.contracts import loader

    class PythonLoader(yaml.SafeLoader):
        pass

    PythonLoader.yaml_implicit_resolvers = loader._JsonLoader.yaml_implicit_resolvers
    assert loader._SafeBase is getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    documents = sorted(loader.CONTRACTS_DIR.rglob("*.yaml"))
    assert len(documents) >= 5
    for path in documents:
        text = path.read_text(encoding="utf-8")
        assert yaml.load(text, Loader=loader._JsonLoader) == yaml.load(text, Loader=PythonLoader)
    stamp = "when: 2024-11-22T00:00:00Z\n"
    assert yaml.load(stamp, Loader=loader._JsonLoader) == {"when": "2024-11-22T00:00:00Z"}
