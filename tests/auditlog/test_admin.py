"""The API-log admin: the list with its filters and date drill-down, read-only, no delete."""

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import ApiLogEntryFactory

pytestmark = pytest.mark.django_db


LOG = reverse("admin:auditlog_apilogentry_changelist")


def test_the_api_log_list_renders_with_its_filters(admin_client, django_assert_max_num_queries):
    ApiLogEntryFactory.create_batch(150)
    ApiLogEntryFactory(service="front_price", status_code=503, success=False, endpoint="/api/v1/seller/1")
    ApiLogEntryFactory(status_code=None, success=False, error_message="timed out")

    with django_assert_max_num_queries(12):
        response = admin_client.get(LOG)

    assert response.status_code == 200
    for params, count in [
        ({"status_class": "5xx"}, 1),
        ({"status_class": "none"}, 1),
        ({"status_class": "2xx"}, 150),
        ({"success__exact": "0"}, 2),
        ({"service": "front_price"}, 1),
        ({"direction__exact": "out"}, 152),
        ({"q": "seller"}, 1),
    ]:
        response = admin_client.get(LOG, params)
        assert response.status_code == 200
        assert response.context["cl"].result_count == count, params


def test_the_api_log_date_hierarchy_drills_down(admin_client):
    entry = ApiLogEntryFactory()
    day = timezone.localtime(entry.timestamp)

    response = admin_client.get(
        LOG, {"timestamp__year": day.year, "timestamp__month": day.month, "timestamp__day": day.day}
    )

    assert response.context["cl"].result_count == 1


def test_the_api_log_is_read_only(admin_client):
    entry = ApiLogEntryFactory(request_payload='{"limit": 1000}')
    change = reverse("admin:auditlog_apilogentry_change", args=[entry.pk])

    assert admin_client.get(reverse("admin:auditlog_apilogentry_add")).status_code == 403
    assert admin_client.post(change, {"endpoint": "/changed"}).status_code == 403
    assert (
        admin_client.post(reverse("admin:auditlog_apilogentry_delete", args=[entry.pk]), {"post": "yes"}).status_code
        == 403
    )
    page = admin_client.get(change)
    assert page.status_code == 200
    assert "&quot;limit&quot;: 1000" in page.content.decode()
    entry.refresh_from_db()
    assert entry.endpoint == "/v3/product/list"


def test_the_api_log_offers_no_delete_action(admin_client):
    ApiLogEntryFactory()

    response = admin_client.get(LOG)

    assert response.context["action_form"] is None
    assert "delete_selected" not in response.content.decode()
