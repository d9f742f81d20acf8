"""Who may call what: every API operation against each kind of caller, and the SKU list's bulk actions.

A session user needs the Django model permission of the operation (reads the
model's `view_*`, changes its `change_*`); the "default" API key has every scope
(keys with fewer scopes: test_scope_matrix.py).
"""

import pytest
from django.contrib.auth.models import Permission
from django.urls import URLPattern, URLResolver, get_resolver
from rest_framework.response import Response
from rest_framework.test import APIClient, force_authenticate
from rest_framework.views import APIView

from imagepush.models import ImagePush
from ozonprice.auth import required_perms
from ozonprice.keys import api_key_create
from ozonprice.models import ApiKey
from ozonprice.services import api_secret_generate
from pricing.models import AdminJob
from tests.factories import SkuFactory, UserFactory
from tests.fakes.actions import FakeActions
from tests.fakes.ozon import FakeOzon
from tests.fakes.pictures import FakePictures

pytestmark = pytest.mark.django_db

PRODUCT_ID = 123456
VIEW_SKU, CHANGE_SKU = "catalog.view_sku", "catalog.change_sku"
VIEW_SETTINGS, CHANGE_SETTINGS = "ozonprice.view_runtimesettings", "ozonprice.change_runtimesettings"
PUSH = "imagepush.add_imagepush"
# The key every keys endpoint test may revoke (made by `world`).
TARGET_KEY = "{target-key}"

# (method, url, body, the permission a session user needs, the status when allowed)
ENDPOINTS = [
    ("get", "/api/products", None, VIEW_SKU, 200),
    ("get", "/api/products/fetch", None, CHANGE_SKU, 200),
    ("post", "/api/products/set-mrpc", {"items": [{"sku": "ART-1", "mrpc": 1000}]}, CHANGE_SKU, 200),
    ("post", "/api/products/set-discount", {"items": [{"sku": "ART-1", "discount": 10}]}, CHANGE_SKU, 200),
    ("post", "/api/products/update-prices", {"dry_run": True}, CHANGE_SKU, 200),
    ("post", "/api/products/fetch-prices", {"product_ids": [str(PRODUCT_ID)]}, CHANGE_SKU, 200),
    ("post", "/api/products/guard-promotions", {"dry_run": True}, CHANGE_SKU, 200),
    ("post", f"/api/products/{PRODUCT_ID}/activate", None, CHANGE_SKU, 200),
    ("post", f"/api/products/{PRODUCT_ID}/deactivate", None, CHANGE_SKU, 200),
    ("put", f"/api/products/{PRODUCT_ID}", {"active": False}, CHANGE_SKU, 200),
    ("get", "/api/price-history", None, "pricing.view_pricehistory", 200),
    ("get", "/api/api-logs", None, "auditlog.view_apilogentry", 200),
    ("get", "/api/settings", None, VIEW_SETTINGS, 200),
    ("put", "/api/settings", {"monitoring_interval": 15}, CHANGE_SETTINGS, 200),
    ("post", "/api/settings/generate-secret", None, CHANGE_SETTINGS, 200),
    ("get", "/api/keys", None, "ozonprice.view_apikey", 200),
    ("post", "/api/keys", {"name": "ImageStudio", "scopes": ["images"]}, "ozonprice.add_apikey", 201),
    ("post", f"/api/keys/{TARGET_KEY}/revoke", None, "ozonprice.change_apikey", 200),
    ("post", "/api/v1/ozon/push-images", {"product_id": PRODUCT_ID, "images": ["https://r2.com/1.jpg"]}, PUSH, 200),
]

# name -> (how to make the caller, the permissions it holds; None: every one)
CALLERS = {
    "superuser": None,
    "staff without permissions": set(),
    "staff with view_sku": {VIEW_SKU},
    "staff with view_sku and change_sku": {VIEW_SKU, CHANGE_SKU},
    # In the admin a change permission lets one view too; the API agrees.
    "staff with change_runtimesettings": {CHANGE_SETTINGS, VIEW_SETTINGS},
    "staff with add_imagepush": {PUSH},
    "non-staff with every permission": set(),
    "anonymous": set(),
    "api key": None,
}


def perms(*names: str) -> list[Permission]:
    return [Permission.objects.get(content_type__app_label=n.split(".")[0], codename=n.split(".")[1]) for n in names]


def caller(name: str) -> APIClient:
    client = APIClient(headers={"Accept-Language": "en"})
    if name == "api key":
        client.credentials(HTTP_X_API_KEY=api_secret_generate())
    elif name == "superuser":
        client.force_login(UserFactory(superuser=True))
    elif name == "non-staff with every permission":
        user = UserFactory()
        user.user_permissions.set(Permission.objects.all())
        client.force_login(user)
    elif name != "anonymous":
        user = UserFactory(staff=True)
        granted = {"staff with change_runtimesettings": [CHANGE_SETTINGS]}.get(name, sorted(CALLERS[name]))
        user.user_permissions.set(perms(*granted))
        client.force_login(user)
    return client


def expected(name: str, needed: str, allowed_status: int) -> int:
    if name == "anonymous":
        return 401
    held = CALLERS[name]
    return allowed_status if held is None or needed in held else 403


@pytest.fixture
def world(no_network, ozon_credentials, settings):
    settings.OZON_MAX_RETRIES = 0
    settings.OZON_RATE_LIMIT = 0
    SkuFactory(product_id=PRODUCT_ID, offer_id="ART-1", mrpc=1000)
    pictures = FakePictures()
    pictures.add(PRODUCT_ID, "ART-1", ["https://cdn.ozon.example/old.jpg"])
    # The pictures' product lookup first: an empty catalogue never asks for product info.
    pictures.install(no_network)
    FakeOzon(products=[]).install(no_network)
    FakeActions().install(no_network)
    api_key_create(name="target", scopes=["read"])
    return no_network


@pytest.mark.parametrize("name", list(CALLERS))
@pytest.mark.parametrize(
    ("method", "url", "body", "needed", "allowed_status"), ENDPOINTS, ids=[f"{e[0].upper()} {e[1]}" for e in ENDPOINTS]
)
def test_each_caller_gets_what_its_permissions_allow(world, name, method, url, body, needed, allowed_status):
    client = caller(name)
    url = url.replace(TARGET_KEY, str(ApiKey.objects.get(name="target").pk))

    response = getattr(client, method)(url, body, format="json")

    assert response.status_code == expected(name, needed, allowed_status), response.content


def test_an_undeclared_operation_is_refused_to_every_session_user():
    from rest_framework.test import APIRequestFactory

    class Undeclared(APIView):
        def get(self, request):
            return Response({})

    request = APIRequestFactory().get("/api/x")
    force_authenticate(request, user=UserFactory(superuser=True))

    assert Undeclared.as_view()(request).status_code == 403


def _api_views(patterns=None, prefix=""):
    for entry in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(entry, URLResolver):
            yield from _api_views(entry.url_patterns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            view = getattr(entry.callback, "cls", None)
            if view and issubclass(view, APIView) and (prefix + str(entry.pattern)).startswith("api/"):
                yield prefix + str(entry.pattern), view


def test_every_api_operation_declares_the_permissions_a_session_user_needs():
    documentation = {"SpectacularAPIView", "SpectacularSwaggerSplitView", "SpectacularRedocView"}
    operations = [
        (method.upper(), route, view)
        for route, view in _api_views()
        if view.__name__ not in documentation
        for method in view.http_method_names
        if method not in ("options", "head") and hasattr(view, method)
    ]

    assert len(operations) == len(ENDPOINTS)  # the matrix above covers every operation
    assert [f"{method} {route}" for method, route, view in operations if not required_perms(view, method)] == []


# --- the admin's bulk actions --------------------------------------------------------------------

SKUS = "/admin/catalog/sku/"
SKU_ACTIONS = {
    "activate",
    "deactivate",
    "set_mrpc",
    "set_discount",
    "update_prices",
    "fetch_showcase_prices",
    "guard_promotions",
    "approve_quarantined",
}


def admin_user(*granted: str):
    user = UserFactory(staff=True)
    user.user_permissions.set(perms(*granted))
    return user


def sku_actions(rf, user) -> set[str]:
    from django.contrib.admin.sites import site

    from catalog.models import Sku

    request = rf.get(SKUS)
    request.user = user
    return set(site.get_model_admin(Sku).get_actions(request)) - {"delete_selected"}


def test_a_view_only_user_sees_no_bulk_action_on_the_sku_list(rf):
    assert sku_actions(rf, admin_user(VIEW_SKU)) == set()


def test_a_sku_editor_sees_the_price_actions_but_pushes_images_only_with_the_push_permission(rf):
    assert sku_actions(rf, admin_user(VIEW_SKU, CHANGE_SKU)) == SKU_ACTIONS
    assert sku_actions(rf, admin_user(VIEW_SKU, CHANGE_SKU, PUSH)) == SKU_ACTIONS | {"push_images_to_ozon"}
    assert sku_actions(rf, admin_user(VIEW_SKU, PUSH)) == {"push_images_to_ozon"}


@pytest.mark.parametrize("action", sorted(SKU_ACTIONS | {"push_images_to_ozon"}))
def test_a_view_only_user_cannot_post_a_bulk_action(client, no_network, action):
    sku = SkuFactory(active=True, mrpc=1000)
    client.force_login(admin_user(VIEW_SKU))

    response = client.post(SKUS, {"action": action, "_selected_action": [sku.pk], "apply": "1"}, follow=True)

    assert response.status_code == 200
    assert 'name="action"' not in response.content.decode()  # no action is offered, none ran
    sku.refresh_from_db()
    assert (sku.active, sku.mrpc) == (True, 1000)
    assert (AdminJob.objects.count(), ImagePush.objects.count(), len(no_network.calls)) == (0, 0, 0)


def test_the_same_post_by_an_editor_does_act(client):
    sku = SkuFactory(active=True, mrpc=1000)
    client.force_login(admin_user(VIEW_SKU, CHANGE_SKU))

    assert 'name="action"' in client.get(SKUS).content.decode()
    client.post(SKUS, {"action": "deactivate", "_selected_action": [sku.pk]})

    sku.refresh_from_db()
    assert not sku.active


def test_approving_held_price_changes_needs_change_sku(rf):
    from django.contrib.admin.sites import site

    from pricing.models import PriceChange

    def actions(user):
        request = rf.get("/admin/pricing/pricechange/")
        request.user = user
        return set(site.get_model_admin(PriceChange).get_actions(request))

    assert "approve" not in actions(admin_user("pricing.view_pricechange"))
    assert "approve" in actions(admin_user("pricing.view_pricechange", CHANGE_SKU))
