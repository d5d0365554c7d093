"""The layout newcomers rely on (ARCHITECTURE.md "Where to add")."""

import ast
import importlib
from pathlib import Path

from nemo_mock.mock_server.edge.surfaces import OWN_PREFIXES, SURFACES, surface_of

ROOT = Path(__file__).resolve().parents[1]


def test_every_surface_package_is_declared_and_every_declared_surface_has_routers():
    packages = {
        p.name
        for p in (ROOT / "mock_server" / "surfaces").iterdir()
        if (p / "__init__.py").exists()
    }
    assert packages == {surface.name for surface in SURFACES}
    for surface in SURFACES:
        routers = importlib.import_module(surface.package).ROUTERS
        assert routers and all(hasattr(r, "routes") for r in routers)
        assert (ROOT / "contracts" / surface.contracts[0]).is_file()


def test_surfaces_have_distinct_names_and_prefixes_and_never_claim_the_mocks_own_paths():
    names = [s.name for s in SURFACES]
    prefixes = [p for s in SURFACES for p in s.prefixes]
    assert len(names) == len(set(names)) and len(prefixes) == len(set(prefixes))
    for own in OWN_PREFIXES:
        assert surface_of(own) is None
    for surface in SURFACES:
        for prefix in surface.prefixes:
            assert surface_of(prefix + "x") is surface


def test_a_test_module_never_imports_another_test_module():
    offenders = []
    for path in (ROOT / "tests").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.module:
                parts = node.module.split(".")
                if parts[0] == "tests" and parts[-1].startswith("test_"):
                    offenders.append(f"{path.relative_to(ROOT)}: {node.module}")
    assert not offenders, "share helpers through tests/helpers/: " + "; ".join(offenders)
