"""tests/ mirrors the code: every product module has its test module, so a new module cannot go untested quietly.

The rule, for every module under catalog/, pricing/, imagepush/, auditlog/ and ozonprice/:
`<app>/<sub>/.../<module>.py` is tested in `tests/<app>/<sub>/.../test_<module>.py`, or in topic files
`tests/<app>/<sub>/.../test_<module>_<topic>.py` when one file would grow too big (subpackages are mirrored
as directories, never flattened).
Wiring is exempt: `__init__.py`, `apps.py`, `urls.py`, `settings.py`, `wsgi.py`, `migrations/` and
`management/commands/` (commands are thin doors over services; their tests live with the service they call).

`KNOWN_GAPS` lists the modules still without a test module (issue 13). It may only shrink: a module that
gains its test module must leave the list, and no module may join it.
"""

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
APPS = ("catalog", "pricing", "imagepush", "auditlog", "ozonprice")
WIRING = {"__init__.py", "apps.py", "urls.py", "settings.py", "wsgi.py"}
EXEMPT_DIRS = {"migrations", "commands"}

KNOWN_GAPS = {
    "ozonprice/dashboard.py",
    "ozonprice/demo.py",
}


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
        if not mirrors_of(m) and m.as_posix() not in KNOWN_GAPS
    ]
    assert not missing, "modules without a test module:\n" + "\n".join(missing)


@pytest.mark.parametrize("gap", sorted(KNOWN_GAPS))
def test_a_known_gap_is_still_a_real_module_without_tests(gap):
    module = Path(gap)
    assert (ROOT / module).exists(), f"{gap} is gone: take it out of KNOWN_GAPS"
    assert not mirrors_of(module), f"{gap} has {mirrors_of(module)[0].relative_to(ROOT)}: take it out of KNOWN_GAPS"
