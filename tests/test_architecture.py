"""The floors of the house hold: every import runs down, none up and none across (docs/architecture.md).

    console      the pages that read every app: dashboard, health, metrics; the demo and the bench
    pricing      rules, maintenance, verification, the guard, edits; the SKU admin
    imagepush    image pushes to Ozon
    catalog      the SKU mirror of Ozon: sync and showcase reads   |  auditlog   the audit trail
    ozonprice    the core: settings, runtime settings, API auth and errors, the HTTP seam and
                 Ozon clients, leases, runs, schedules, the sandbox

A module may import its own app and the apps on lower floors only. Imports inside functions count
too: a deferred import is still an arrow. Django's wiring that names apps by dotted strings
(INSTALLED_APPS, `include("catalog.urls")`, schedules' function paths) is not an import.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FLOORS = {"ozonprice": 0, "catalog": 1, "auditlog": 1, "imagepush": 2, "pricing": 3, "console": 4}


def imports_of(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add(node.module)
    return found


def arrows() -> list[tuple[str, str, str]]:
    """(module path, its app, the app it imports) for every import between the project's apps."""
    found = []
    for app in FLOORS:
        for path in sorted((ROOT / app).rglob("*.py")):
            for module in imports_of(path):
                target = module.split(".")[0]
                if target in FLOORS and target != app:
                    found.append((path.relative_to(ROOT).as_posix(), app, target))
    return found


def test_the_walk_sees_the_arrows_between_apps():
    seen = {(app, target) for _path, app, target in arrows()}
    assert {("pricing", "catalog"), ("catalog", "ozonprice"), ("console", "pricing"), ("imagepush", "catalog")} <= seen


def test_every_import_between_apps_runs_down_a_floor():
    upward = [
        f"{path}: {app} (floor {FLOORS[app]}) imports {target} (floor {FLOORS[target]})"
        for path, app, target in arrows()
        if FLOORS[target] >= FLOORS[app]
    ]
    assert not upward, "imports that run up or across:\n" + "\n".join(upward)


@pytest.mark.parametrize("app", [app for app, floor in FLOORS.items() if floor < max(FLOORS.values())])
def test_no_app_imports_the_top_floor(app):
    assert not [path for path, source, target in arrows() if source == app and target == "console"]


def test_the_walk_catches_an_import_that_runs_up(tmp_path, monkeypatch):
    core = tmp_path / "ozonprice"
    core.mkdir()
    (core / "bad.py").write_text("def f():\n    from pricing.models import PriceChange\n")
    for app in set(FLOORS) - {"ozonprice"}:
        (tmp_path / app).mkdir()
    monkeypatch.setattr(__import__(__name__, fromlist=["ROOT"]), "ROOT", tmp_path)
    assert arrows() == [("ozonprice/bad.py", "ozonprice", "pricing")]
