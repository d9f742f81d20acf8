"""API-log API: the audit rows, newest first. A thin view over the selector."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.generics import ListAPIView
from rest_framework.request import Request
from rest_framework.response import Response

from auditlog.filters import ApiLogFilter
from auditlog.selectors import api_log_list
from auditlog.serializers import ApiLogItemSerializer
from ozonprice.auth import Need
from ozonprice.exceptions import AUTH_ERRORS, ErrorResponseSerializer
from ozonprice.filtering import ParamsFilterBackend
from ozonprice.pagination import PagedListSchema, PagePagination


class ApiLogListApi(ListAPIView):
    required = {"GET": Need("read", ("auditlog.view_apilogentry",))}
    serializer_class = ApiLogItemSerializer
    filter_backends = [ParamsFilterBackend]
    filterset_class = ApiLogFilter
    pagination_class = PagePagination
    schema = PagedListSchema()
    page_component = "ApiLogPage"

    def get_queryset(self):
        return api_log_list()

    @extend_schema(
        operation_id="api_logs_list",
        summary=_("The API log"),
        description=_(
            "Every inbound API request and every outbound call (Ozon, Front Price API, notifications), "
            "newest first. Payloads are stored with secrets redacted."
        ),
        responses={
            200: ApiLogItemSerializer,
            400: OpenApiResponse(ErrorResponseSerializer, description=_("A query parameter is invalid.")),
            **AUTH_ERRORS,
        },
        tags=["logs"],
    )
    def get(self, request: Request, *args, **kwargs) -> Response:
        return super().get(request, *args, **kwargs)
