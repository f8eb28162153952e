"""Dependencies run one way: no app imports an app above it (docs/decisions/0003).

Apps not in LAYERS are not checked here; a new app is added where its imports put it.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# Lowest first: each app may import those before it, never those after it.
LAYERS = [
    "priorities",
    "accounts",
    "actions",
    "measures",
    "governance",
    "public_pages",
    "planfile",
    "reminders",
    "demo",
    "backups",
]
# Modules of the project package that every app may import, so they import no app.
SHARED_MODULES = [
    "sendplan/audit.py",
    "sendplan/deleted.py",
    "sendplan/roles.py",
    "sendplan/spreadsheets.py",
    "sendplan/uploads.py",
    "sendplan/admin_site.py",
    "sendplan/demo_guard.py",
    "sendplan/log_filters.py",
    "sendplan/request_limits.py",
    "sendplan/commands.py",
    "sendplan/history.py",
    "sendplan/spliced_gzip.py",
]


def imported_apps(path: Path) -> list[tuple[int, str]]:
    """(line, top-level package) of every absolute import in the file, lazy ones included."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name.split(".")[0]) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.append((node.lineno, node.module.split(".")[0]))
    return found


def imports_of(paths: list[Path], forbidden: set[str]) -> list[str]:
    return [
        f"{path.relative_to(ROOT)}:{line} imports {app}"
        for path in paths
        for line, app in imported_apps(path)
        if app in forbidden
    ]


@pytest.mark.parametrize("app", LAYERS)
def test_app_imports_no_app_above_it(app):
    above = set(LAYERS[LAYERS.index(app) + 1 :])
    assert imports_of(sorted((ROOT / app).rglob("*.py")), above) == []


def test_shared_modules_import_no_app():
    assert imports_of([ROOT / module for module in SHARED_MODULES], set(LAYERS)) == []


def test_a_lazy_import_of_an_app_above_is_seen(tmp_path):
    module = tmp_path / "module.py"
    module.write_text("def f():\n    from governance.models import Board\n    import demo.apps\n")
    assert imported_apps(module) == [(2, "governance"), (3, "demo")]
