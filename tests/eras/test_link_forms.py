"""The three link forms (``domain.links``): built as the documents show them, read back whole,
and judged against the era's own form."""

from urllib.parse import parse_qsl, unquote, urlsplit

import pytest
from hypothesis import given
from hypothesis import strategies as st

from nemo_mock.mock_server.domain.eras import ERAS, LINK_FORMATS, LinkFormat, era_named
from nemo_mock.mock_server.domain.errors import BadRequest, LinkNotOfEra
from nemo_mock.mock_server.domain.links import (
    check_link_era,
    link_url,
    read_claim_link,
    read_task_link,
)

FORMATS: tuple[LinkFormat, ...] = ("task_nemo_token", "claim_token", "claim_ct")
PART = (
    st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), min_size=1, max_size=40)
    .map(str.strip)
    .filter(bool)
)


def _read(url: str):
    parts = urlsplit(url)
    query = dict(parse_qsl(parts.query, keep_blank_values=True))
    if parts.path.startswith("/workspace/task/"):
        _, _, _, task, session = parts.path.split("/")
        return read_task_link(unquote(task), unquote(session), query)
    assert parts.path == "/workspace/claim"
    return read_claim_link(query)


@given(form=st.sampled_from(FORMATS), credential=PART, task=PART, session=PART)
def test_a_built_link_reads_back_as_what_it_carries(
    form: LinkFormat, credential: str, task: str, session: str
):
    url = link_url(
        "https://nemovideo.com/", form, credential=credential, task_id=task, session_id=session
    )
    assert url.startswith("https://nemovideo.com/workspace/")
    link = _read(url)
    assert (link.format, link.credential) == (form, credential)
    if form != "claim_ct":  # a claim token stands for its project: the link names none
        assert (link.task_id, link.session_id) == (task, session)


@pytest.mark.parametrize("era", ERAS, ids=lambda e: e.name)
def test_an_era_opens_its_own_form_and_refuses_the_others(era):
    for form in FORMATS:
        url = link_url("https://w", form, credential="c", task_id="t", session_id="s")
        if form == era.link_format:
            check_link_era(_read(url), era)
            continue
        with pytest.raises(LinkNotOfEra) as refused:
            check_link_era(_read(url), era)
        assert LINK_FORMATS[era.link_format] in refused.value.message
        assert LINK_FORMATS[form] in refused.value.message


def test_the_three_generations_follow_the_documents():
    forms = {e.name: e.link_format for e in ERAS}
    assert forms["v1.0"] == forms["v1.1"] == "task_nemo_token"
    assert forms["v1.4"] == forms["v1.8"] == forms["api-reference"] == "claim_token"
    assert forms["v1.9"] == forms["latest"] == "claim_ct"
    assert era_named("v1.9").token_in_links is False


def test_an_overlong_credential_is_no_link():
    with pytest.raises(BadRequest, match="ct is longer than 256"):
        read_claim_link({"ct": "c" * 257})
