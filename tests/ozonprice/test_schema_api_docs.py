"""The API docs: served from the app alone, component names said once; the bare host leads to the console."""

import re

import pytest
from django.test import Client
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("url", ["/api/docs/", "/api/redoc/"])
def test_the_docs_pages_reference_no_outside_host(url):
    response = Client().get(url)

    assert response.status_code == 200
    html = response.content.decode()
    outside = re.findall(r"""(?:src|href)=["']?((?:https?:)?//[^"' >]+)""", html)
    assert outside == [], f"{url} loads from outside hosts: {outside}"
    assert "fonts.googleapis" not in html and "fonts.gstatic" not in html


def test_no_component_name_is_doubled():
    schema = APIClient().get("/api/schema/", {"format": "json"}).json()

    names = set(schema["components"]["schemas"])
    assert not [n for n in names if n.endswith("RequestRequest")]
    assert {"SetMrpcRequest", "UpdatePricesRequest", "PushImagesRequest"} <= names
    refs = set(
        re.findall(
            r'"#/components/schemas/([^"]+)"', APIClient().get("/api/schema/", {"format": "json"}).content.decode()
        )
    )
    assert refs <= names  # every renamed $ref points at a component


def test_the_schema_reads_as_yaml_too():
    response = Client().get("/api/schema/")

    assert response.status_code == 200 and b"SetMrpcRequest:" in response.content


def test_internal_notes_are_not_component_descriptions():
    schema = APIClient().get("/api/schema/", {"format": "json"}).json()

    assert "Refuses fields it does not know" not in str(schema["components"])


def test_the_bare_host_leads_to_the_admin():
    response = Client().get("/")

    assert response.status_code == 302 and response["Location"] == "/admin/"
