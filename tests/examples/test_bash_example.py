"""The README's bash client passes the scenarios under ``nemo-mock check-client``."""

from __future__ import annotations

import shutil

import pytest

from tests.examples.checks import EXAMPLES, SCENARIOS, assert_all_passed, check_client

pytestmark = [pytest.mark.live, pytest.mark.ffmpeg, pytest.mark.slow]


@pytest.mark.skipif(
    not (shutil.which("bash") and shutil.which("curl") and shutil.which("jq")),
    reason="the bash example needs bash, curl and jq",
)
def test_the_bash_example_passes(tmp_path):
    done = check_client(tmp_path, "bash", str(EXAMPLES / "bash" / "nemo-client.sh"))
    assert_all_passed(done, tmp_path, len(SCENARIOS))
