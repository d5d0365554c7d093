"""``GET /_mock/eras``: the eras the mock answers in (§8), and the one it answers in now."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from nemo_mock.mock_server.deps import Context
from nemo_mock.mock_server.domain.eras import DEFAULT_ERA, ERAS, LINK_FORMATS, Era
from nemo_mock.mock_server.domain.tokens import CLAIM_TOKEN_TTL

router = APIRouter(prefix="/_mock", tags=["control"])


@router.get("/eras")
async def list_eras(ctx: Context) -> dict[str, Any]:
    return {
        "current": ctx.era.name,
        "default": DEFAULT_ERA,
        "eras": [era_json(era) for era in ERAS],
    }


def era_json(era: Era) -> dict[str, Any]:
    """Everything the era decides, as ``contracts/control.yaml`` describes it (``Era``)."""
    return {
        "name": era.name,
        "source": era.source,
        "summary": era.summary,
        "anonymous_tokens_expire": era.anonymous_tokens_expire,
        "client_id_required": era.client_id_required,
        "token_api": era.token_api,
        "link_format": era.link_format,
        "link": LINK_FORMATS[era.link_format],
        "token_in_links": era.token_in_links,
        "claim_token_lasts_seconds": (
            None if era.token_in_links else int(CLAIM_TOKEN_TTL.total_seconds())
        ),
        "render_shape": era.render_shape,
        "stream_limit_minutes": era.stream_limit_minutes,
        "silence_timeout_minutes": era.silence_timeout_minutes,
        "platforms": sorted(era.platforms),
        "stream_style": era.stream_style,
        "default_api_url": era.default_api_url,
    }
