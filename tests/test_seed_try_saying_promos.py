"""The "Try saying" lines of the wedding seed's personalised invitations and the promo seed,
each run as its user would and measured in its export (``tests/helpers/try_saying.py``)."""

from __future__ import annotations

import pytest

from tests.helpers.try_saying import named, try_saying

pytestmark = [pytest.mark.ffmpeg, pytest.mark.slow]

NAMES = named("wedding-personalised", "promo-")


@pytest.mark.parametrize("name", NAMES)
def test_try_saying(name: str, make_app, tmp_path):
    try_saying(name, make_app, tmp_path)
