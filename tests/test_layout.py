"""tests/ mirrors the code: every product module has its test module, so a new module cannot go untested quietly.

The rule, for every module under catalog/, pricing/, imagepush/, auditlog/, ozonprice/ and console/:
`<app>/<sub>/.../<module>.py` is tested in `tests/<app>/<sub>/.../test_<module>.py`, or in topic files
`tests/<app>/<sub>/.../test_<module>_<topic>.py` when one file would grow too big (subpackages are mirrored
as directories, never flattened).
Wiring is exempt: `__init__.py`, `apps.py`, `urls.py`, `settings.py`, `wsgi.py`, `migrations/` and
`management/commands/` (commands are thin doors over services; their tests live with the service they call).
"""

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
APPS = ("catalog", "pricing", "imagepush", "auditlog", "ozonprice", "console")
WIRING = {"__init__.py", "apps.py", "urls.py", "settings.py", "wsgi.py"}
EXEMPT_DIRS = {"migrations", "commands"}


def product_modules() -> list[Path]:
    found = []
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            rel = path.relative_to(ROOT)
            if path.name in WIRING or EXEMPT_DIRS & set(rel.parts[:-1]):
                continue
            found.append(rel)
    return found


def mirrors_of(module: Path) -> list[Path]:
    folder = ROOT / "tests" / module.parent
    return [p for p in [folder / f"test_{module.stem}.py", *folder.glob(f"test_{module.stem}_*.py")] if p.exists()]


def test_the_rule_sees_the_product_packages():
    modules = {m.as_posix() for m in product_modules()}
    assert {"pricing/rules.py", "pricing/services/maintain.py", "ozonprice/clients/http.py"} <= modules
    assert not any("/migrations/" in m or "/commands/" in m or m.endswith("/apps.py") for m in modules)


def test_every_product_module_has_its_test_module():
    missing = [
        f"{m.as_posix()} -> tests/{m.parent.as_posix()}/test_{m.stem}.py"
        for m in product_modules()
        if not mirrors_of(m)
    ]
    assert not missing, "modules without a test module:\n" + "\n".join(missing)
