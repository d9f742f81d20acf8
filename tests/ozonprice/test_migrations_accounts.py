"""Done means #1 (issue 15): a database in the shape before accounts migrates to one account, losing nothing.

Today's shape is the settings row (Client-Id, encrypted Api-Key, per-account
settings, the API secret's hash), SKUs, price changes and price history. After
the migrations: one account holding those settings and the same key, every row
kept and belonging to it, and the old API secret valid as the key "default".
Then back to the old shape (the settings row gets the account's values again)
and forward once more. Run on PostgreSQL too: `scripts/with-postgres`.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from ozonprice.services import api_secret_hash

BEFORE = [
    ("ozonprice", "0005_task_run"),
    ("catalog", "0006_sku_fillfactor"),
    ("pricing", "0008_drop_redundant_change_indexes"),
    ("imagepush", "0001_initial"),
    ("auditlog", "0002_apilogentry_run_id"),
]
SECRET = "the-old-shared-secret-of-the-install-0123456789"
API_KEY = "ozon-api-key-of-the-seller-abcdef0123456789"
SETTINGS = {
    "ozon_client_id": "424242",
    "dry_run": True,
    "showcase_source": "ozon_details",
    "front_price_api_url": "https://front.example.com/",
    "front_price_seller_id": "seller-7",
    "promo_guard": False,
    "promo_guard_mode": "remove",
    "discount_requests_mode": "decline_below_mrpc",
    "discount_decline_comment": "Ниже МРЦ нельзя",
    "showcase_hold": True,
    "showcase_max_uplift": Decimal("12.50"),
}


def _executor() -> MigrationExecutor:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    return executor


def _migrate(targets) -> object:
    """Migrate to `targets`; the apps (historical models) of that state."""
    executor = _executor()
    executor.migrate(targets)
    return _executor().loader.project_state(targets).apps


def _latest() -> list[tuple[str, str]]:
    return _executor().loader.graph.leaf_nodes()


def _old_install(apps) -> dict[str, list[int]]:
    """Today's install through the historical models: the settings row, 3 SKUs, a change and its history."""
    RuntimeSettings = apps.get_model("ozonprice", "RuntimeSettings")
    Sku = apps.get_model("catalog", "Sku")
    PriceChange = apps.get_model("pricing", "PriceChange")
    PriceHistory = apps.get_model("pricing", "PriceHistory")
    RuntimeSettings.objects.create(
        pk=1, monitoring_interval=15, ozon_api_key=API_KEY, api_secret_hash=api_secret_hash(SECRET), **SETTINGS
    )
    skus = [
        Sku.objects.create(product_id=1000 + n, offer_id=f"ART-{n}", mrpc=Decimal("990.00"), price=Decimal("1100"))
        for n in range(3)
    ]
    change = PriceChange.objects.create(sku=skus[0], status="confirmed", expected_price=Decimal("990.00"))
    history = PriceHistory.objects.create(
        sku=skus[0], change=change, timestamp=timezone.now(), new_price=Decimal("990.00"), reason="scheduled"
    )
    return {"skus": [s.pk for s in skus], "changes": [change.pk], "history": [history.pk]}


def _assert_one_account(apps, rows: dict[str, list[int]]) -> None:
    from ozonprice.fields import EncryptedTextField  # noqa: F401 - the historical field decrypts as the real one

    Account = apps.get_model("ozonprice", "Account")
    ApiKey = apps.get_model("ozonprice", "ApiKey")
    Sku = apps.get_model("catalog", "Sku")
    PriceChange = apps.get_model("pricing", "PriceChange")
    PriceHistory = apps.get_model("pricing", "PriceHistory")
    (account,) = Account.objects.all()
    assert (account.name, account.client_id, account.api_key) == ("Ozon", "424242", API_KEY)
    copied = {name: getattr(account, name) for name in SETTINGS if name != "ozon_client_id"}
    assert copied == {name: value for name, value in SETTINGS.items() if name != "ozon_client_id"}
    assert sorted(Sku.objects.filter(account=account).values_list("pk", flat=True)) == rows["skus"]
    assert list(PriceChange.objects.filter(sku__account=account).values_list("pk", flat=True)) == rows["changes"]
    assert list(PriceHistory.objects.filter(sku__account=account).values_list("pk", flat=True)) == rows["history"]
    default = ApiKey.objects.get(name="default")
    assert default.secret_hash == api_secret_hash(SECRET)
    assert (sorted(default.scopes), default.all_accounts) == (["images", "prices", "read", "settings"], True)


@pytest.mark.django_db(transaction=True)
def test_the_install_before_accounts_becomes_one_account_and_back():
    rows = _old_install(_migrate(BEFORE))

    latest = _latest()
    _assert_one_account(_migrate(latest), rows)

    # Backwards: the settings row holds the account's values again (its Api-Key as the same ciphertext).
    old = _migrate(BEFORE)
    runtime = old.get_model("ozonprice", "RuntimeSettings").objects.get(pk=1)
    assert {name: getattr(runtime, name) for name in SETTINGS} == SETTINGS
    assert runtime.ozon_api_key == API_KEY
    assert old.get_model("catalog", "Sku").objects.count() == 3

    # And forward again, cleanly: still one account (the first run's was dropped with its table).
    _assert_one_account(_migrate(latest), rows)


@pytest.mark.django_db(transaction=True)
def test_the_sku_uniques_are_per_account_after_the_migration():
    from django.db import IntegrityError, transaction

    from tests.factories import AccountFactory, SkuFactory

    first, second = AccountFactory(), AccountFactory()
    SkuFactory(account=first, product_id=77, offer_id="SAME")
    SkuFactory(account=second, product_id=77, offer_id="SAME")  # another account may use the same ids

    with pytest.raises(IntegrityError), transaction.atomic():
        SkuFactory(account=first, product_id=77, offer_id="OTHER")
    with pytest.raises(IntegrityError), transaction.atomic():
        SkuFactory(account=first, product_id=78, offer_id="SAME")
