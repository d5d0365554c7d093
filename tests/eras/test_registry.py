"""The era registry: one profile per documented variant, ``latest`` deferring to the options."""

import pytest

from nemo_mock.mock_server.domain.eras import (
    DEFAULT_ERA,
    ERA_NAMES,
    ERAS,
    LATEST,
    UnknownEra,
    era_named,
)


def test_names_are_unique_and_latest_is_the_default():
    assert len(set(ERA_NAMES)) == len(ERAS)
    assert DEFAULT_ERA == "latest" and era_named("latest") is LATEST


def test_every_era_names_its_source_and_what_changes():
    for era in ERAS:
        assert era.source.strip() and era.summary.strip(), era.name


def test_latest_defers_every_knob_to_the_serving_options():
    assert LATEST.render_shape is None and LATEST.render_shape_or("legacy") == "legacy"
    assert LATEST.stream_limit(900.0) == 900.0 and LATEST.stream_limit(0.3) == 0.3
    assert LATEST.anonymous_tokens_expire and LATEST.client_id_required
    assert not LATEST.token_api and not LATEST.token_in_links
    assert LATEST.stream_style == "simple"


def test_documents_up_to_1_7_never_expire_anonymous_tokens_and_1_8_does():
    never = {e.name for e in ERAS if not e.anonymous_tokens_expire}
    assert never == {"v1.0", "v1.1", "v1.4"}
    assert era_named("v1.8").anonymous_tokens_expire


def test_only_the_first_skill_goes_without_a_client_id_and_has_the_token_api():
    assert {e.name for e in ERAS if not e.client_id_required} == {"v1.0"}
    assert {e.name for e in ERAS if e.token_api} == {"v1.0"}


def test_the_api_reference_limits_a_stream_to_ten_of_the_fifteen_minutes():
    reference = era_named("api-reference")
    assert reference.stream_limit(900.0) == pytest.approx(600.0)
    assert reference.stream_limit(3.0) == pytest.approx(2.0)
    assert reference.silence_timeout_minutes == 5 and reference.render_shape == "reference"


def test_links_carry_the_token_before_1_9_only():
    carrying = {e.name for e in ERAS if e.token_in_links}
    assert carrying == {"v1.0", "v1.1", "v1.4", "v1.8", "api-reference"}


def test_github_is_a_platform_of_the_first_and_the_generated_skills_only():
    assert {e.name for e in ERAS if "github" in e.platforms} == {"v1.0", "generated"}


def test_an_unknown_name_lists_the_known_eras():
    with pytest.raises(UnknownEra) as caught:
        era_named("v2.0")
    assert "'v2.0'" in str(caught.value) and "api-reference" in str(caught.value)
