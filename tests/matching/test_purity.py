import ast
import pathlib

import pytest

PACKAGE = pathlib.Path(__file__).parents[2] / "matchmaker" / "matching"
FORBIDDEN_ROOTS = {"flask", "sqlalchemy", "wtforms", "werkzeug"}
FORBIDDEN_PREFIXES = ("flask_", "matchmaker.models", "matchmaker.services")


def imported_modules(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            yield node.module


def is_forbidden(module):
    return module.split(".")[0] in FORBIDDEN_ROOTS or module.startswith(FORBIDDEN_PREFIXES)


@pytest.mark.parametrize("path", sorted(PACKAGE.glob("*.py")), ids=lambda p: p.name)
def test_module_imports_pure_only(path):
    forbidden = [m for m in imported_modules(path) if is_forbidden(m)]

    assert forbidden == []


def test_purity_check_catches_web_imports():
    assert [is_forbidden(m) for m in ("flask", "flask_login", "matchmaker.models.users")] == [
        True,
        True,
        True,
    ]
    assert is_forbidden("numpy") is False
