"""The admin says what is true, in proper plurals, with labels rather than codes."""

from decimal import Decimal

import pytest

from catalog.models import Sku
from tests.factories import SkuFactory
from tests.pricing.admin.sku.test_actions import act, admin_client, ozon, texts  # noqa: F401 - fixtures

pytestmark = pytest.mark.django_db
D = Decimal


def test_a_started_job_names_its_kind_as_written_with_a_singular_for_one_sku(admin_client, ozon):  # noqa: F811
    sku = Sku.objects.order_by("id").first()

    messages = texts(act(admin_client, "update_prices", [sku], apply="1"))

    assert any(m.startswith("Update prices on Ozon started for 1 SKU:") for m in messages), messages


def test_the_mrpc_preview_counts_as_to_send_only_what_maintenance_will_send(admin_client):  # noqa: F811
    off = SkuFactory.create_batch(2, price=D("1000"), discount=D("20"), active=False)
    on = SkuFactory(price=D("1000"), discount=D("20"), active=True)

    response = act(admin_client, "set_mrpc", [*off, on], common="1200", preview="1")

    counts = response.context["counts"]
    assert (counts["send"], counts["skipped"]) == (1, 2)
    notes = {row.sku.pk: row.note for _sku, _own, row in response.context["rows"]}
    assert notes[off[0].pk] == "Saved; sent once price maintenance is on"
    assert "1 to send" in response.content.decode()


def test_the_sku_page_shows_labels_and_image_links_not_codes(admin_client):  # noqa: F811
    from django.urls import reverse

    sku = SkuFactory(
        front_price_source="ozon_seller_price",
        images=["https://cdn1.ozone.ru/s3/multimedia-1/6000000001.jpg", "https://cdn1.ozone.ru/2.jpg"],
    )

    page = admin_client.get(reverse("admin:catalog_sku_change", args=[sku.pk])).content.decode()

    assert "Ozon marketing_seller_price (upper bound)" in page
    assert '<a href="https://cdn1.ozone.ru/2.jpg" target="_blank" rel="noopener noreferrer">2. 2.jpg</a>' in page
    assert '["https://cdn1.ozone.ru' not in page  # no raw JSON list
    assert '<div class="readonly">ozon_seller_price</div>' not in page
