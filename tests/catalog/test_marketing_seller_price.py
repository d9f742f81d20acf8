"""`marketing_price` renamed `marketing_seller_price` (Ozon's name): the value survives, the API keeps the old name as an alias."""

from decimal import Decimal

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from rest_framework.test import APIClient

from ozonprice.services import api_secret_generate
from tests.factories import SkuFactory

BEFORE = [("catalog", "0004_storefront_guard_settings")]
AFTER = [("catalog", "0005_rename_marketing_price")]


@pytest.mark.django_db(transaction=True)
def test_the_rename_keeps_the_stored_value():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    try:
        old_sku = executor.loader.project_state(BEFORE).apps.get_model("catalog", "Sku")
        old_sku.objects.create(product_id=1, offer_id="A-1", marketing_price=Decimal("1250.50"))

        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(AFTER)
        new_sku = executor.loader.project_state(AFTER).apps.get_model("catalog", "Sku")

        assert new_sku.objects.get(product_id=1).marketing_seller_price == Decimal("1250.50")
    finally:
        # The next tests need today's schema, not the one this test stopped at.
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.mark.django_db
def test_the_api_gives_the_value_under_both_names():
    SkuFactory(product_id=9_000_000_001, marketing_seller_price=Decimal("1250.50"))
    api = APIClient(headers={"X-API-Key": api_secret_generate()})

    item = api.get("/api/products").json()["items"][0]

    assert item["marketing_seller_price"] == item["marketing_price"] == 1250.5


@pytest.mark.django_db
def test_the_schema_marks_the_old_name_deprecated():
    schema = APIClient().get("/api/schema/", {"format": "json"}).json()
    product = schema["components"]["schemas"]["Product"]["properties"]

    assert product["marketing_price"]["deprecated"] is True
    assert "Use marketing_seller_price" in product["marketing_price"]["description"]
    assert "deprecated" not in product["marketing_seller_price"]
