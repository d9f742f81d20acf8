"""Model factories (factory_boy). Prices are Decimal, ids unique per test run."""

from __future__ import annotations

from decimal import Decimal

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Permission
from django.utils import timezone

from auditlog.models import ApiLogEntry, Direction
from catalog.models import Sku
from ozonprice.models import Account


class UserFactory(factory.django.DjangoModelFactory):
    """Log in with `client.force_login(user)`: the password is unusable (hashing one is slow)."""

    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True  # the permissions hook saves through the m2m

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.com")
    password = factory.LazyFunction(lambda: make_password(None))
    is_staff = False
    is_superuser = False

    class Params:
        staff = factory.Trait(is_staff=True)
        superuser = factory.Trait(is_staff=True, is_superuser=True)

    @factory.post_generation
    def permissions(self, create, extracted, **kwargs):
        """`UserFactory(staff=True, permissions=["catalog.view_sku"])`: model permissions by their full name."""
        if create and extracted:
            self.user_permissions.set(
                [
                    Permission.objects.get(content_type__app_label=app_label, codename=codename)
                    for app_label, _dot, codename in (name.partition(".") for name in extracted)
                ]
            )


def superuser_client(username: str | None = None, language: str = "en"):
    """A test client logged in as a new superuser, asking for `language`: the admin console as its owner sees it."""
    from django.test import Client

    client = Client(headers={"Accept-Language": language})
    client.force_login(UserFactory(superuser=True, **({"username": username} if username else {})))
    return client


class AccountFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Account

    name = factory.Sequence(lambda n: f"Account {n}")
    client_id = factory.Sequence(lambda n: f"{200_000 + n}")
    api_key = factory.Sequence(lambda n: f"test-api-key-{n:08d}-0f1e2d3c")


DEFAULT_ACCOUNT = {"name": "Ozon", "client_id": "123456", "api_key": "test-api-key-0f1e2d3c4b5a"}


def account_default() -> Account:
    """The test install's first account (made on first use): a test that needs one account does not name it."""
    account = Account.objects.order_by("id").first()
    return account or Account.objects.create(**DEFAULT_ACCOUNT)


class SkuFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Sku

    account = factory.LazyFunction(account_default)

    product_id = factory.Sequence(lambda n: 100_000_000 + n)
    offer_id = factory.Sequence(lambda n: f"ART-{n:05d}")
    sku = factory.Sequence(lambda n: 1_000_000_000 + n)
    name = factory.Sequence(lambda n: f"Product {n}")
    product_url = factory.LazyAttribute(lambda o: f"https://www.ozon.ru/product/{o.sku}/" if o.sku else "")
    price = Decimal("1000.00")
    old_price = Decimal("1250.00")
    min_price = Decimal("1000.00")
    marketing_seller_price = Decimal("990.00")
    front_price = Decimal("950.00")
    front_price_source = "ozon_seller_price"
    front_price_timestamp = factory.LazyFunction(timezone.now)
    mrpc = None
    discount = Decimal("0")
    available = True
    stock_present = 10
    active = False
    synced_at = factory.LazyFunction(timezone.now)


class ApiLogEntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ApiLogEntry

    timestamp = factory.LazyFunction(timezone.now)
    direction = Direction.OUTBOUND
    service = "ozon"
    endpoint = "/v3/product/list"
    method = "POST"
    status_code = 200
    response_time = 0.12
    products_count = 100
    success = True
    request_payload = '{"limit": 1000}'
    response_payload = '{"result": {"items": []}}'


class PromoExitFactory(factory.django.DjangoModelFactory):
    """A promotion breach the guard recorded: by default reported, 100 ₽ under an MRPC of 1,000."""

    class Meta:
        model = "pricing.PromoExit"

    sku = factory.SubFactory(SkuFactory, mrpc=Decimal("1000.00"), active=True)
    action_kind = "ozon"
    action_id = factory.Sequence(lambda n: 70_000 + n)
    action_title = factory.Sequence(lambda n: f"Promotion {n}")
    action_price = Decimal("900.00")
    mrpc = factory.LazyAttribute(lambda o: o.sku.mrpc)
    outcome = "reported"
    reason = "scheduled"

    @classmethod
    def _adjust_kwargs(cls, **kwargs):
        # Where PromoExit has the guard's `standing` flag, a new record of a breach stands, as the guard writes it.
        if promo_exit_has_standing() and "standing" not in kwargs:
            kwargs["standing"] = kwargs.get("outcome") in ("reported", "refused", "failed")
        return kwargs


def promo_exit_has_standing() -> bool:
    from pricing.models import PromoExit

    return any(f.name == "standing" for f in PromoExit._meta.concrete_fields)


def promo_exit_closed(row):
    """What a guard run does to a breach it no longer finds: clear its `standing` flag, where the model has one
    (without it, "standing" is derived from the later records and their age: nothing to do)."""
    if promo_exit_has_standing():
        type(row).objects.filter(pk=row.pk).update(standing=False)
    return row


class DiscountRequestFactory(factory.django.DjangoModelFactory):
    """A buyer's new discount request for a SKU: by default 150 ₽ under an MRPC of 1,000."""

    class Meta:
        model = "pricing.DiscountRequest"

    sku = factory.SubFactory(SkuFactory, mrpc=Decimal("1000.00"), active=True)
    ozon_id = factory.Sequence(lambda n: 5_000_000 + n)
    ozon_sku = factory.LazyAttribute(lambda o: o.sku.sku if o.sku else 1)
    name = factory.LazyAttribute(lambda o: o.sku.name if o.sku else "")
    requested_price = Decimal("850.00")
    original_price = Decimal("1000.00")
    mrpc = factory.LazyAttribute(lambda o: o.sku.mrpc if o.sku else None)
    requested_quantity_max = 1
    status = "new"
    created_at = factory.LazyFunction(timezone.now)


def table_statistics_refresh(model) -> None:
    """PostgreSQL: bring the planner's row estimate of `model`'s table up to this test's rows.

    The SKU list estimates a big unfiltered table from `pg_class.reltuples`, else from the highest id;
    on PostgreSQL an earlier test's rows leave both behind (statistics and sequences outlive a
    rollback), so a test that counts a small table refreshes them first.
    """
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {model._meta.db_table}")
