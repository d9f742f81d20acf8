"""MRPC and discounts from CSV/XLSX: a checked preview first, then all-or-nothing (or the valid lines)."""

import io
from decimal import Decimal

import pytest
from openpyxl import Workbook

from catalog.models import Sku
from pricing.services.imports import (
    ImportFileError,
    ImportHasErrors,
    price_import_apply,
    price_import_preview,
    price_import_read,
)
from tests.factories import SkuFactory

pytestmark = pytest.mark.django_db
D = Decimal


def xlsx(rows) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.fixture
def skus():
    return [
        SkuFactory(offer_id="A-1", sku=111, mrpc=D("1000"), discount=D("10"), price=D("1000")),
        SkuFactory(offer_id="B-2", sku=222, mrpc=None),
    ]


def test_a_csv_with_semicolons_and_russian_headers_is_read(skus):
    content = "Артикул;МРЦ;Скидка\nA-1;1 200,50;\nB-2;;15\n".replace("1 200,50", "1200.50").encode("cp1251")

    lines = price_import_read(content=content, filename="prices.csv")

    assert [(line.line, line.reference, line.values) for line in lines] == [
        (2, "A-1", {"mrpc": "1200.50"}),
        (3, "B-2", {"discount": "15"}),
    ]


def test_an_xlsx_is_read_with_numbers_as_typed(skus):
    lines = price_import_read(
        content=xlsx([["sku", "mrpc", "discount"], [111, 1490, 20], [222, 999.9, None]]), filename="prices.xlsx"
    )

    assert [line.values for line in lines] == [{"mrpc": "1490", "discount": "20"}, {"mrpc": "999.9"}]


@pytest.mark.parametrize(
    ("content", "filename", "reason"),
    [
        (b"sku,mrpc\n", "x.csv", "no lines"),
        (b"name,price\nA,1\n", "x.csv", "«sku» or «offer_id»"),
        (b"sku,name\n1,A\n", "x.csv", "«mrpc» or «discount»"),
        (b"not a workbook", "x.xlsx", "not a readable XLSX"),
        (b"sku,mrpc\n1,2\n", "x.pdf", ".csv or .xlsx"),
    ],
)
def test_an_unreadable_file_is_refused_as_a_whole(content, filename, reason):
    with pytest.raises(ImportFileError, match=reason):
        price_import_read(content=content, filename=filename)


def test_the_preview_diffs_each_line_and_names_the_sku_and_reason_of_each_error(skus):
    lines = price_import_read(
        content=(
            b"sku,mrpc,discount\n"
            b"111,1200,\n"  # MRPC 1000 -> 1200, discount stays 10
            b"222,300,3\n"  # refused: 3 % at 300 is a 9 ₽ gap
            b"999,100,\n"  # unknown
            b"111,1300,\n"  # repeated
            b"A-1,,\n"  # nothing given... but A-1 is the same SKU: still a line of its own
        ),
        filename="p.csv",
    )

    preview = price_import_preview(lines=lines)

    by_line = {row.line: row for row in preview.rows}
    assert by_line[2].changed and by_line[2].mrpc == (D("1000"), D("1200"))
    assert (by_line[2].targets.price, by_line[2].targets.old_price) == (D("1200"), D("1333"))
    assert "smallest that works" in by_line[3].error
    assert by_line[4].error == "Unknown SKU"
    assert by_line[5].error == "Repeats line 2"
    assert by_line[6].error == "Neither MRPC nor discount given"
    assert (len(preview.changes), len(preview.errors)) == (1, 4)
    assert Sku.objects.get(offer_id="A-1").mrpc == D("1000")  # nothing saved


def test_a_file_with_errors_saves_nothing_unless_the_valid_lines_are_chosen(skus):
    lines = price_import_read(content=b"sku,mrpc\n111,1200\n999,5\n", filename="p.csv")

    with pytest.raises(ImportHasErrors):
        price_import_apply(lines=lines)
    assert Sku.objects.get(sku=111).mrpc == D("1000")

    result = price_import_apply(lines=lines, skip_errors=True)
    assert [entry["sku"] for entry in result.updated] == ["111"]
    assert Sku.objects.get(sku=111).mrpc == D("1200")


def test_mrpc_and_discount_are_checked_together(skus):
    # 15 % alone is fine at MRPC 1000; with the new MRPC 300 it still passes; 2 % at 300 does not.
    ok = price_import_read(content=b"offer_id,mrpc,discount\nB-2,300,15\n", filename="p.csv")
    bad = price_import_read(content=b"offer_id,mrpc,discount\nB-2,300,2\n", filename="p.csv")

    assert not price_import_preview(lines=ok).errors
    assert price_import_preview(lines=bad).errors
