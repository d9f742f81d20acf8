"""The API's one pagination: `page` and `per_page` in, `{items, total, page, pages}` out (SPEC §5).

DRF's PageNumberPagination clamps a too-large `per_page` and answers a page past
the end with a 404; the contract wants a 400 naming the field for the first and
an empty page for the second, so both are read here instead.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.openapi import AutoSchema
from rest_framework import serializers
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response

from ozonprice.exceptions import validate_query_params

MAX_PER_PAGE = 500
DEFAULT_PER_PAGE = 50


class PageParamsSerializer(serializers.Serializer):
    page = serializers.IntegerField(min_value=1, default=1, help_text=_("Page number, from 1."))
    per_page = serializers.IntegerField(
        min_value=1, max_value=MAX_PER_PAGE, default=DEFAULT_PER_PAGE, help_text=_("Rows per page, 1 to 500.")
    )


class PagePagination(PageNumberPagination):
    """One COUNT, then the page's rows only when the page has any.

    A view may define `page_rows(queryset, offset, limit)` to read the rows its
    own way (the product list reads a deep page by id); the default slices.
    """

    page_query_param = "page"
    page_size_query_param = "per_page"
    page_size = DEFAULT_PER_PAGE
    max_page_size = MAX_PER_PAGE

    def paginate_queryset(self, queryset, request, view=None) -> list[Any]:
        params = validate_query_params(PageParamsSerializer, request)
        self.number, self.per_page = params["page"], params["per_page"]
        self.total = queryset.count()
        offset = (self.number - 1) * self.per_page
        if offset >= self.total:
            return []
        page_rows = getattr(view, "page_rows", None)
        if page_rows is not None:
            return page_rows(queryset, offset, self.per_page)
        return list(queryset[offset : offset + self.per_page])

    def get_paginated_response(self, data) -> Response:
        pages = -(-self.total // self.per_page)
        return Response({"items": data, "total": self.total, "page": self.number, "pages": pages})

    def get_results(self, data: dict) -> list[Any]:
        # The browsable API asks for the rows to tell a list (and show its filter form).
        return data["items"]

    def get_paginated_response_schema(self, schema: dict) -> dict:
        return {
            "type": "object",
            "properties": {
                "items": schema,
                "total": {"type": "integer"},
                "page": {"type": "integer"},
                "pages": {"type": "integer"},
            },
            "required": ["items", "page", "pages", "total"],
        }

    def get_schema_operation_parameters(self, view) -> list[dict]:
        return [
            {
                "name": "page",
                "required": False,
                "in": "query",
                "description": str(_("Page number, from 1.")),
                "schema": {"type": "integer", "minimum": 1, "default": 1},
            },
            {
                "name": "per_page",
                "required": False,
                "in": "query",
                "description": str(getattr(view, "per_page_help", None) or _("Rows per page, 1 to 500.")),
                "schema": {"type": "integer", "minimum": 1, "maximum": MAX_PER_PAGE, "default": DEFAULT_PER_PAGE},
            },
        ]


class PagedListSchema(AutoSchema):
    """Names a paged list's component after the view's `page_component` (the names the document always had).

    A filter that reads a blank value as "no filter" (`?active=`, `?account=`: `ParamsFilterSet`)
    is documented with `allowEmptyValue`, so the document admits what the list accepts.
    """

    def get_paginated_name(self, serializer_name: str) -> str:
        return getattr(self.view, "page_component", None) or super().get_paginated_name(serializer_name)

    def _get_filter_parameters(self) -> list[dict[str, Any]]:
        parameters = super()._get_filter_parameters()
        params_serializer = getattr(getattr(self.view, "filterset_class", None), "params_serializer", None)
        fields = params_serializer().fields if params_serializer is not None else {}
        for parameter in parameters:
            field = fields.get(parameter.get("name"))
            if parameter.get("in") == "query" and field is not None and _blank_accepted(field):
                parameter["allowEmptyValue"] = True
        return parameters


def _blank_accepted(field: serializers.Field) -> bool:
    """Whether the params serializer reads an empty query value without an error (a date, say, refuses it)."""
    try:
        field.run_validation("")
    except serializers.ValidationError:
        return False
    return True
