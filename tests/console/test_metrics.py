"""GET /metrics: Prometheus text, who may read it, and what it counts."""

import pytest
from django.utils import timezone
from django_q.models import Task
from prometheus_client import REGISTRY
from prometheus_client.parser import text_string_to_metric_families
from rest_framework.test import APIClient

from ozonprice.services import api_secret_generate
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

URL = "/metrics"


def samples(text: str) -> dict:
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


def value(name: str, **labels) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0.0


@pytest.fixture
def secret():
    return api_secret_generate()


def test_it_needs_a_key_or_staff_unless_made_public(settings, secret):
    assert APIClient().get(URL).status_code == 401
    assert APIClient(headers={"X-API-Key": "wrong"}).get(URL).status_code == 401
    assert APIClient(headers={"X-API-Key": secret}).get(URL).status_code == 200
    assert APIClient(headers={"Authorization": f"Bearer {secret}"}).get(URL).status_code == 200
    staff = APIClient()
    staff.force_login(UserFactory(staff=True))
    assert staff.get(URL).status_code == 200
    settings.METRICS_PUBLIC = True
    assert APIClient().get(URL).status_code == 200


def test_price_changes_and_last_task_runs_are_read_from_the_database(secret):
    from pricing.models import ChangeStatus

    stopped = timezone.now()
    Task.objects.create(
        id="c" * 32,
        name="c",
        func="catalog.tasks.monitor_products",
        group="monitor_products",
        started=stopped,
        stopped=stopped,
        success=False,
    )

    text = APIClient(headers={"X-API-Key": secret}).get(URL).content.decode()

    found = samples(text)
    assert found[("ozonprice_database_up", ())] == 1
    for status in ChangeStatus.values:
        assert found[("ozonprice_price_changes", (("status", status),))] == 0
    assert found[("ozonprice_task_last_run_timestamp_seconds", (("task", "monitor_products"),))] == pytest.approx(
        stopped.timestamp()
    )
    assert found[("ozonprice_task_last_run_success", (("task", "monitor_products"),))] == 0
    assert ("ozonprice_task_last_success_timestamp_seconds", (("task", "monitor_products"),)) not in found


def test_the_answer_is_prometheus_text(secret):
    response = APIClient(headers={"X-API-Key": secret}).get(URL)

    assert response["Content-Type"].startswith("text/plain; version=")
    assert "# TYPE ozonprice_api_requests_total counter" in response.content.decode()
