"""Imports flow one way: accounts ← actors ← partnerships ← {opinions, surveys} ← insights ← demo.

The maths modules import no Django at all, so they can be tested in milliseconds and reused."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent / "samskab"
LEVEL = {"lib": 0, "accounts": 1, "actors": 2, "partnerships": 3, "opinions": 4, "surveys": 4, "insights": 5, "demo": 6}
PURE = [
    "opinions/mapping.py",
    "opinions/polis_io.py",
    "opinions/similarity.py",
    "actors/coalitions.py",
    "surveys/scoring.py",
    "surveys/instruments.py",
    "insights/power.py",
    "insights/network.py",
]


def runtime_nodes(tree: ast.AST) -> list[ast.AST]:
    """Every node except those under `if TYPE_CHECKING:` (imports for annotations only)."""
    nodes, stack = [], [tree]
    while stack:
        node = stack.pop()
        nodes.append(node)
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and isinstance(child.test, ast.Name) and child.test.id == "TYPE_CHECKING":
                stack.extend(child.orelse)
                continue
            stack.append(child)
    return nodes


def imported_apps(path: Path) -> set[str]:
    apps = set()
    for node in runtime_nodes(ast.parse(path.read_text(encoding="utf-8"))):
        names = (
            [a.name for a in node.names]
            if isinstance(node, ast.Import)
            else [node.module or ""]
            if isinstance(node, ast.ImportFrom)
            else []
        )
        for name in names:
            parts = name.split(".")
            if parts[0] == "samskab" and len(parts) > 1:
                apps.add(parts[1])
    return apps


@pytest.mark.parametrize("app", sorted(LEVEL))
def test_no_app_imports_an_app_above_it(app: str) -> None:
    upward = {
        f"{path.relative_to(ROOT)} imports {other}"
        for path in (ROOT / app).rglob("*.py")
        for other in imported_apps(path)
        if other in LEVEL and LEVEL[other] > LEVEL[app]
    }
    assert not upward


@pytest.mark.parametrize("module", PURE)
def test_the_maths_modules_do_not_import_django(module: str) -> None:
    tree = ast.parse((ROOT / module).read_text(encoding="utf-8"))
    imported = {
        (node.module or "") if isinstance(node, ast.ImportFrom) else alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.Import | ast.ImportFrom)
        for alias in node.names
    }
    assert not {name for name in imported if name.split(".")[0] == "django"}


def test_every_refusal_with_a_reason_gives_it_for_people() -> None:
    """A 403 page and the API tell the reason a service gives (`samskab.lib.errors.refusal_reason`), but only a
    translation made lazily: a plain, formatted or already translated string would leave the person with the
    generic refusal. A reason may also be a named constant (itself a `gettext_lazy`)."""

    def for_people(reason: ast.expr) -> bool:
        if isinstance(reason, ast.Call):
            return getattr(reason.func, "id", "") == "gettext_lazy"
        return isinstance(reason, ast.Name | ast.Attribute)

    plain = {
        f"{path.relative_to(ROOT.parent)}:{node.lineno}"
        for path in [*ROOT.rglob("*.py"), *(ROOT.parent / "config").rglob("*.py")]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.Call)
        and getattr(node.func, "id", "") == "PermissionDenied"
        and node.args
        and not for_people(node.args[0])
    }
    assert not plain
