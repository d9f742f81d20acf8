"""What the project's admins share: system-written rows are read-only, and a search is bounded in words."""

import pytest
from django.contrib import admin
from django.contrib.messages.storage.fallback import FallbackStorage
from django.urls import reverse

from auditlog.models import ApiLogEntry
from catalog.models import Sku
from ozonprice.admin_base import MAX_SEARCH_WORDS, BoundedSearchMixin, ReadOnlyAdminMixin, search_words_bound
from tests.factories import SkuFactory, UserFactory

pytestmark = pytest.mark.django_db


def request_with_messages(rf):
    request = rf.get("/admin/")
    request.session = {}
    request._messages = FallbackStorage(request)
    return request


def test_a_search_within_the_bound_is_kept_as_typed(rf):
    request = request_with_messages(rf)
    term = "  ".join(f"w{i}" for i in range(MAX_SEARCH_WORDS))

    assert search_words_bound(request, term) == term
    assert list(request._messages) == []


def test_a_longer_search_keeps_its_first_words_and_says_so(rf):
    request = request_with_messages(rf)

    cut = search_words_bound(request, " ".join(f"w{i}" for i in range(MAX_SEARCH_WORDS + 5)))

    assert cut.split() == [f"w{i}" for i in range(MAX_SEARCH_WORDS)]
    assert [str(m) for m in request._messages] == [f"The search used its first {MAX_SEARCH_WORDS} words only."]


def test_the_bounded_search_searches_with_the_cut_words(rf):
    class SkuSearch(BoundedSearchMixin, admin.ModelAdmin):
        search_fields = ("name",)

    SkuFactory(name="lamp")
    SkuFactory(name="chair")
    model_admin = SkuSearch(Sku, admin.site)
    # The 21st word matches nothing: were it searched, nothing would be found.
    term = " ".join(["lamp"] * MAX_SEARCH_WORDS + ["nowhere"])

    found, _distinct = model_admin.get_search_results(request_with_messages(rf), Sku.objects.all(), term)

    assert [sku.name for sku in found] == ["lamp"]


def test_a_read_only_admin_refuses_add_change_and_delete_even_to_a_superuser(rf):
    class LogAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
        pass

    request = rf.get("/admin/")
    request.user = UserFactory(superuser=True)
    model_admin = LogAdmin(ApiLogEntry, admin.site)

    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request)
    assert not model_admin.has_delete_permission(request)
    assert model_admin.has_view_permission(request)


@pytest.mark.parametrize(
    "changelist",
    [
        "admin:catalog_sku_changelist",
        "admin:auditlog_apilogentry_changelist",
        "admin:pricing_pricechange_changelist",
    ],
)
def test_a_thousand_word_admin_search_is_cut_with_a_message(admin_client, changelist):
    SkuFactory(name="w1 w2 lamp")

    response = admin_client.get(reverse(changelist), {"q": " ".join(f"w{i}" for i in range(1000))})

    assert response.status_code == 200
    messages = [str(m) for m in response.context["messages"]]
    assert any("first 20 words" in m for m in messages), messages


def test_a_short_admin_search_has_no_message(admin_client):
    SkuFactory(name="w1 w2 lamp")

    response = admin_client.get(reverse("admin:catalog_sku_changelist"), {"q": "w1 lamp"})

    assert [sku.name for sku in response.context["cl"].result_list] == ["w1 w2 lamp"]
    assert not list(response.context["messages"])
