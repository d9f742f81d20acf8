"""The Russian catalogue is complete: every translatable string in the code has a Russian translation.

`makemessages` runs over a copy of the tracked sources (the working tree stays
untouched), so a msgid added to the code and not to `locale/ru` fails here,
naming it, and so does a fuzzy or empty entry.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SOURCES = ("ozonprice", "catalog", "pricing", "imagepush", "auditlog", "console", "templates", "locale", "manage.py")


def entries(po: str) -> list[tuple[str, list[str], bool]]:
    """(msgid, msgstrs, fuzzy) for every entry but the header and obsolete ones."""
    found = []
    for block in po.split("\n\n"):
        lines = [line for line in block.splitlines() if not line.startswith("#~")]
        if not any(line.startswith("msgid ") for line in lines):
            continue
        fuzzy = any(line.startswith("#,") and "fuzzy" in line for line in lines)
        fields: dict[str, str] = {}
        key = ""
        for line in lines:
            match = re.match(r'^(msgid|msgid_plural|msgstr(?:\[\d+\])?) "(.*)"$', line)
            if match:
                key = match.group(1)
                fields[key] = match.group(2)
            elif line.startswith('"') and key:
                fields[key] += line[1:-1]
        if fields.get("msgid"):
            found.append((fields["msgid"], [v for k, v in fields.items() if k.startswith("msgstr")], fuzzy))
    return found


@pytest.fixture(scope="module")
def fresh_catalogue(tmp_path_factory: pytest.TempPathFactory) -> str:
    if shutil.which("xgettext") is None:
        pytest.skip("GNU gettext (xgettext) is not installed")
    copy = tmp_path_factory.mktemp("sources")
    for name in SOURCES:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, copy / name, ignore=shutil.ignore_patterns("__pycache__", "*.mo"))
        else:
            shutil.copy(source, copy / name)
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "ru", "--no-obsolete"],
        cwd=copy,
        check=True,
        capture_output=True,
        timeout=300,
    )
    return (copy / "locale/ru/LC_MESSAGES/django.po").read_text(encoding="utf-8")


def test_every_msgid_in_the_code_has_a_russian_translation(fresh_catalogue):
    missing = [msgid for msgid, strs, fuzzy in entries(fresh_catalogue) if fuzzy or not all(strs)]

    assert missing == [], f"{len(missing)} msgids without a Russian translation (run `make messages`): {missing[:20]}"


def test_the_committed_catalogue_is_the_one_the_code_asks_for(fresh_catalogue):
    committed = {msgid for msgid, _strs, _fuzzy in entries((ROOT / "locale/ru/LC_MESSAGES/django.po").read_text())}
    wanted = {msgid for msgid, _strs, _fuzzy in entries(fresh_catalogue)}

    assert wanted - committed == set(), "msgids in the code but not in locale/ru (run `make messages`)"


def test_the_parser_sees_a_missing_translation():
    po = 'msgid ""\nmsgstr ""\n\n#, fuzzy\nmsgid "a"\nmsgstr "b"\n\nmsgid "c"\nmsgstr ""\n\nmsgid "d"\nmsgstr "е"\n'

    assert [(m, f) for m, strs, f in entries(po) if f or not all(strs)] == [("a", True), ("c", False)]


def _doc_texts(node) -> set[str]:
    """Every summary and description in an OpenAPI document, but the enum lists drf-spectacular writes itself."""
    found: set[str] = set()
    if isinstance(node, dict):
        for key, value in node.items():
            if key in ("summary", "description") and isinstance(value, str):
                text = value.split("* `", 1)[0].rstrip("\n")  # an enum's list follows the text
                if text:
                    found.add(text)
            else:
                found |= _doc_texts(value)
    elif isinstance(node, list):
        for value in node:
            found |= _doc_texts(value)
    return found


@pytest.mark.django_db
def test_every_text_of_the_api_docs_is_a_msgid(fresh_catalogue):
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    msgids = {msgid.replace('\\"', '"').replace("\\n", "\n") for msgid, _strs, _fuzzy in entries(fresh_catalogue)}

    untranslatable = sorted(_doc_texts(schema) - msgids)
    assert untranslatable == [], f"texts of the API docs no translator will see: {untranslatable}"
