"""Draft Protocol V3: parse, validate, translate to the render engine, and lock by version."""

from nemo_mock.mock_server.domain.draft_v3.model import V3Clip, V3Draft, V3Track, V3Transition
from nemo_mock.mock_server.domain.draft_v3.parse import Element, parse_template
from nemo_mock.mock_server.domain.draft_v3.translate import (
    ASSET_SCHEME,
    empty_template,
    media_id,
    template_from_draft,
    to_render_draft,
)
from nemo_mock.mock_server.domain.draft_v3.validate import MediaCheck, validate_template

__all__ = [
    "ASSET_SCHEME",
    "Element",
    "MediaCheck",
    "V3Clip",
    "V3Draft",
    "V3Track",
    "V3Transition",
    "empty_template",
    "media_id",
    "parse_template",
    "template_from_draft",
    "to_render_draft",
    "validate_template",
]
