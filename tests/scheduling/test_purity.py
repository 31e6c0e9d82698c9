"""The scheduling core must stay pure: no web stack, no database, no app services."""

import ast
import pathlib

import matchmaker.scheduling

PACKAGE = pathlib.Path(matchmaker.scheduling.__file__).parent
ALLOWED_THIRD_PARTY = {"numpy", "numba", "scipy", "ortools", "pysat"}
FORBIDDEN_PREFIXES = (
    "flask",
    "sqlalchemy",
    "wtforms",
    "werkzeug",
    "matchmaker.models",
    "matchmaker.services",
)


def imported_modules(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.module


def test_scheduling_modules_import_only_stdlib_and_numeric_solvers():
    import sys

    files = sorted(PACKAGE.glob("*.py"))
    assert len(files) >= 5
    for path in files:
        for name in imported_modules(path):
            top = name.split(".")[0]
            assert not name.lower().startswith(FORBIDDEN_PREFIXES), f"{path.name} imports {name}"
            assert not top.lower().startswith("flask_"), f"{path.name} imports {name}"
            ok = (
                top in sys.stdlib_module_names
                or top in ALLOWED_THIRD_PARTY
                or name.startswith("matchmaker.scheduling")
                or top == "__future__"
            )
            assert ok, f"{path.name} imports {name}"
