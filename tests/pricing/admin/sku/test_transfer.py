"""The SKU list's import and export pages: upload, preview, save (only the uploader's), and export ready to re-import."""

import io
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from catalog.models import Sku
from pricing.services.imports import price_import_read
from tests.factories import SkuFactory, UserFactory

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def skus():
    return [
        SkuFactory(offer_id="A-1", sku=111, mrpc=D("1000"), discount=D("10"), price=D("1000")),
        SkuFactory(offer_id="B-2", sku=222, mrpc=None),
    ]


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


def test_a_bad_file_is_reported_on_the_upload_form(admin_client, account):
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
