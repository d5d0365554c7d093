"""Start-up stays light: heavy media and HTTP-client libraries, and the dashboard's templates,
client rules and Markdown, load on first use only."""

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


def test_creating_the_app_does_not_load_the_dashboards_templates_rules_or_markdown():
    """The dashboard loads them with its first page (``ui/routes.py``), then serves it."""
    lazy = ("jinja2", "markdown_it", "nemo_mock.contracts.rules")
    code = (
        "import sys; from fastapi.testclient import TestClient; "
        "from nemo_mock.mock_server.app import create_app; app = create_app(); "
        f"print(sorted(m for m in {lazy!r} if m in sys.modules)); "
        "page = TestClient(app).get('/_mock/ui/journal'); "
        f"print(page.status_code, sorted(m for m in {lazy!r} if m in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    before, after = result.stdout.strip().splitlines()
    assert before == "[]"
    assert after == "200 ['jinja2', 'nemo_mock.contracts.rules']"
