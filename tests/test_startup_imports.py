"""Start-up stays light: heavy media and HTTP-client libraries load on first use only."""

import subprocess
import sys


def test_creating_the_app_does_not_import_pyav_or_httpx():
    code = (
        "import sys; from nemo_mock.mock_server.app import create_app; create_app(); "
        "import nemo_mock.mock_server.cli; "
        "print(sorted(m for m in ('av', 'httpx') if m in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"
