"""API-log API: the audit rows, newest first. A thin view over the selector."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from auditlog.selectors import api_log_page
from auditlog.serializers import ApiLogPageSerializer, ApiLogParamsSerializer
from catalog.apis import AUTH_ERRORS
from ozonprice.exceptions import ErrorResponseSerializer, validate_query_params


class ApiLogListApi(APIView):
    required_perms = {"GET": ("auditlog.view_apilogentry",)}

    @extend_schema(
        operation_id="api_logs_list",
        summary=_("The API log"),
        description=_(
            "Every inbound API request and every outbound call (Ozon, Front Price API, notifications), "
            "newest first. Payloads are stored with secrets redacted."
        ),
        parameters=[ApiLogParamsSerializer],
        responses={
            200: ApiLogPageSerializer,
            400: OpenApiResponse(ErrorResponseSerializer, description=_("A query parameter is invalid.")),
            **AUTH_ERRORS,
        },
        tags=["logs"],
    )
    def get(self, request: Request) -> Response:
        params = validate_query_params(ApiLogParamsSerializer, request)
        page = api_log_page(**params)
        data = {"items": page.items, "total": page.total, "page": page.page, "pages": page.pages}
        return Response(ApiLogPageSerializer(data).data)
