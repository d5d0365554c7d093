"""The README's Node client passes the scenarios under ``nemo-mock check-client``."""

from __future__ import annotations

import shutil

import pytest

from tests.examples.checks import EXAMPLES, SCENARIOS, assert_all_passed, check_client

pytestmark = [pytest.mark.live, pytest.mark.ffmpeg, pytest.mark.slow]


@pytest.mark.skipif(not shutil.which("node"), reason="the Node example needs node 18+")
def test_the_node_example_passes(tmp_path):
    done = check_client(tmp_path, "node", str(EXAMPLES / "node" / "nemo-client.mjs"))
    assert_all_passed(done, tmp_path, len(SCENARIOS))
