"""The console's `dashboard` tag: the dashboard's numbers for active staff, nothing for anyone else."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.template import Context, Template
from django.test import RequestFactory

from console.templatetags import console
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
TEMPLATE = Template("{% load console %}{% dashboard as d %}{{ d.marker }}")


@pytest.fixture(autouse=True)
def numbers(monkeypatch):
    monkeypatch.setattr(console, "dashboard_get", lambda: {"marker": "numbers"})


def render(user) -> str:
    request = RequestFactory().get("/admin/")
    request.user = user
    return TEMPLATE.render(Context({"request": request}))


def test_active_staff_get_the_dashboard():
    assert render(UserFactory(is_staff=True, is_active=True)) == "numbers"


@pytest.mark.parametrize(
    "user",
    [lambda: AnonymousUser(), lambda: UserFactory(is_staff=False), lambda: UserFactory(is_staff=True, is_active=False)],
)
def test_anyone_else_gets_nothing(user):
    assert render(user()) == ""


def test_without_a_request_there_is_nothing():
    assert TEMPLATE.render(Context({})) == ""
