"""The wheel holds one import name, ``nemo_mock``, so installing it never shadows a user's own
``contracts`` or ``client_tests`` package; the repository keeps its folders (``nemo_mock/``
links to them) and everything the mock reads at run time travels inside the wheel."""

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.slow  # builds the wheel (about ten seconds)


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    # Built from a copy: setuptools writes build/ and *.egg-info beside the sources.
    source = tmp_path_factory.mktemp("source")
    for name in ("pyproject.toml", "README.md", "LICENSE"):
        shutil.copy(ROOT / name, source / name)
    skip = shutil.ignore_patterns("__pycache__", "*.pyc")
    for name in ("nemo_mock", "mock_server", "contracts", "client_tests"):
        shutil.copytree(ROOT / name, source / name, symlinks=True, ignore=skip)
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(out), str(source)],
        check=True,
        capture_output=True,
    )
    (built,) = out.glob("nemo_mock-*.whl")
    return built


def test_the_wheel_has_one_top_level_import_name(wheel: Path):
    names = zipfile.ZipFile(wheel).namelist()
    tops = {name.split("/")[0] for name in names if not name.split("/")[0].endswith(".dist-info")}
    assert tops == {"nemo_mock"}


def test_the_wheel_carries_the_contracts_fonts_templates_and_scenarios(wheel: Path):
    names = set(zipfile.ZipFile(wheel).namelist())
    for needed in (
        "nemo_mock/contracts/skill/openapi.yaml",
        "nemo_mock/contracts/gateway/asyncapi.yaml",
        "nemo_mock/contracts/control.yaml",
        "nemo_mock/mock_server/py.typed",
        "nemo_mock/mock_server/ui/templates/base.html",
        "nemo_mock/client_tests/pytest_plugin.py",
    ):
        assert needed in names, needed
    assert any(n.startswith("nemo_mock/mock_server/render/fonts/") for n in names)
    assert any(n.startswith("nemo_mock/mock_server/scenarios/library/") for n in names)


def test_the_entry_points_name_modules_inside_the_namespace(wheel: Path):
    zf = zipfile.ZipFile(wheel)
    (points,) = [n for n in zf.namelist() if n.endswith(".dist-info/entry_points.txt")]
    text = zf.read(points).decode()
    assert "nemo-mock = nemo_mock.mock_server.cli:main" in text
    assert "nemo_mock = nemo_mock.client_tests.pytest_plugin" in text  # pytest11, same name
    targets = [line.split("=", 1)[1].strip() for line in text.splitlines() if "=" in line]
    assert all(target.startswith("nemo_mock.") for target in targets), targets


def test_the_mock_imports_from_the_wheel_alone(wheel: Path, tmp_path: Path):
    """Imported from the wheel (not the repository), from a folder holding a user's own
    ``contracts`` package that must stay theirs."""
    (tmp_path / "contracts").mkdir()
    (tmp_path / "contracts" / "__init__.py").write_text("MINE = True\n")
    code = (
        "import contracts, nemo_mock.mock_server.app as app, nemo_mock.contracts.loader as l\n"
        "assert contracts.MINE\n"
        f"assert app.__file__.startswith({str(wheel)!r}), app.__file__\n"
        "assert l.__file__.startswith(" + repr(str(wheel)) + ")\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=tmp_path,
        env={"PYTHONPATH": f"{wheel}:{tmp_path}", "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
