"""MRPC and discounts from CSV/XLSX: a checked preview first, then all-or-nothing (or the valid lines)."""

import io
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from catalog.models import Sku
from pricing.services.imports import (
    ImportFileError,
    ImportHasErrors,
    price_import_apply,
    price_import_preview,
    price_import_read,
)
from tests.factories import SkuFactory, UserFactory

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
    lines = price_import_read(content=xlsx([["sku", "mrpc", "discount"], [111, 1490, 20], [222, 999.9, None]]),
                              filename="prices.xlsx")

    assert [line.values for line in lines] == [{"mrpc": "1490", "discount": "20"}, {"mrpc": "999.9"}]


@pytest.mark.parametrize(("content", "filename", "reason"), [
    (b"sku,mrpc\n", "x.csv", "no lines"),
    (b"name,price\nA,1\n", "x.csv", "«sku» or «offer_id»"),
    (b"sku,name\n1,A\n", "x.csv", "«mrpc» or «discount»"),
    (b"not a workbook", "x.xlsx", "not a readable XLSX"),
    (b"sku,mrpc\n1,2\n", "x.pdf", ".csv or .xlsx"),
])
def test_an_unreadable_file_is_refused_as_a_whole(content, filename, reason):
    with pytest.raises(ImportFileError, match=reason):
        price_import_read(content=content, filename=filename)


def test_the_preview_diffs_each_line_and_names_the_sku_and_reason_of_each_error(skus):
    lines = price_import_read(content=(
        b"sku,mrpc,discount\n"
        b"111,1200,\n"        # MRPC 1000 -> 1200, discount stays 10
        b"222,300,3\n"        # refused: 3 % at 300 is a 9 ₽ gap
        b"999,100,\n"         # unknown
        b"111,1300,\n"        # repeated
        b"A-1,,\n"            # nothing given... but A-1 is the same SKU: still a line of its own
    ), filename="p.csv")

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


# --- the admin views ---------------------------------------------------------------


@pytest.fixture
def admin_client():
    client = Client(headers={"Accept-Language": "en"})
    client.force_login(UserFactory(superuser=True))
    return client


IMPORT = reverse("admin:catalog_sku_import")



def _named(content: bytes, name: str):
    handle = io.BytesIO(content)
    handle.name = name
    return handle


def test_the_import_page_previews_then_saves(admin_client, skus):
    page = admin_client.post(IMPORT, {"file": _named(b"sku,mrpc\n111,1200\n222,990\n", "p.csv")})

    assert page.status_code == 200 and page.templates[0].name == "admin/catalog/sku/import_preview.html"
    assert "Save 2 changes" in page.content.decode()
    assert Sku.objects.get(sku=222).mrpc is None

    done = admin_client.post(IMPORT, {"token": page.context["token"], "apply": "1"}, follow=True)

    assert "Imported p.csv: 2 SKUs changed." in [str(m) for m in done.context["messages"]]
    assert Sku.objects.get(sku=222).mrpc == D("990")


def test_the_import_page_refuses_to_save_a_file_with_errors_unless_told(admin_client, skus):
    page = admin_client.post(IMPORT, {"file": _named(b"sku,mrpc\n111,1200\n999,5\n", "p.csv")})
    body = page.content.decode()
    assert "Unknown SKU" in body and "999" in body and 'name="skip_errors"' in body

    again = admin_client.post(IMPORT, {"token": page.context["token"], "apply": "1"})
    assert "nothing was saved" in " ".join(str(m) for m in again.context["messages"])
    assert Sku.objects.get(sku=111).mrpc == D("1000")

    admin_client.post(IMPORT, {"token": page.context["token"], "apply": "1", "skip_errors": "1"})
    assert Sku.objects.get(sku=111).mrpc == D("1200")


def test_an_upload_of_another_user_cannot_be_confirmed(admin_client, skus):
    page = admin_client.post(IMPORT, {"file": _named(b"sku,mrpc\n111,1200\n", "p.csv")})
    other = Client(headers={"Accept-Language": "en"})
    other.force_login(UserFactory(superuser=True))

    response = other.post(IMPORT, {"token": page.context["token"], "apply": "1"})

    assert response.status_code == 302 and Sku.objects.get(sku=111).mrpc == D("1000")


def test_a_bad_file_is_reported_on_the_upload_form(admin_client):
    page = admin_client.post(IMPORT, {"file": _named(b"hello", "p.txt")})

    assert page.status_code == 200 and "«sku» or «offer_id»" in page.content.decode()


def test_export_gives_the_filtered_list_as_csv_and_xlsx_ready_to_import(admin_client, skus):
    SkuFactory(offer_id="C-3", active=True, mrpc=D("500"))
    export = reverse("admin:catalog_sku_export")

    csv_text = b"".join(admin_client.get(export, {"active__exact": "1", "format": "csv"}).streaming_content)
    lines = csv_text.decode("utf-8-sig").splitlines()
    assert lines[0] == "sku,offer_id,name,price,old_price,showcase_price,mrpc,discount,active"
    assert len(lines) == 2 and ",C-3," in lines[1]

    response = admin_client.get(export, {"format": "xlsx"})
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert len(rows) == 4 and rows[0][0] == "sku"
    assert price_import_read(content=response.content, filename="back.xlsx")  # round trip
