"""API-keys API: list, create (the secret shown once), revoke. Scope `settings`. Thin views over ozonprice/keys.py."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.generics import ListAPIView
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from ozonprice.auth import Need
from ozonprice.exceptions import AUTH_ERRORS, BAD_REQUEST, ErrorResponseSerializer, NotFoundError
from ozonprice.keys import api_key_create, api_key_revoke
from ozonprice.models import ApiKey
from ozonprice.pagination import PagedListSchema, PagePagination
from ozonprice.serializers_keys import ApiKeyCreatedSerializer, ApiKeyCreateSerializer, ApiKeySerializer


class ApiKeysApi(ListAPIView):
    required = {
        "GET": Need("settings", ("ozonprice.view_apikey",)),
        "POST": Need("settings", ("ozonprice.add_apikey",)),
    }
    serializer_class = ApiKeySerializer
    pagination_class = PagePagination
    schema = PagedListSchema()
    page_component = "ApiKeyPage"

    def get_queryset(self):
        return ApiKey.objects.prefetch_related("accounts").order_by("name")

    @extend_schema(
        operation_id="keys_list",
        summary=_("The API keys"),
        description=_("Every named key with its scopes, accounts, expiry, revocation and last use; never a secret."),
        responses={
            200: ApiKeySerializer,
            400: OpenApiResponse(ErrorResponseSerializer, description=_("A query parameter is invalid.")),
            **AUTH_ERRORS,
        },
        tags=["keys"],
    )
    def get(self, request: Request, *args, **kwargs) -> Response:
        return super().get(request, *args, **kwargs)

    @extend_schema(
        operation_id="keys_create",
        summary=_("Make a named API key"),
        description=_("The secret is in this answer only; only its hash is stored. Unknown fields are refused."),
        request=ApiKeyCreateSerializer,
        responses={201: ApiKeyCreatedSerializer, **BAD_REQUEST, **AUTH_ERRORS},
        tags=["keys"],
    )
    def post(self, request: Request) -> Response:
        serializer = ApiKeyCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        key, secret = api_key_create(**serializer.validated_data, created_by=str(request.user.get_username()))
        body = ApiKeyCreatedSerializer({"key": key, "secret": secret}).data
        return Response(body, status=status.HTTP_201_CREATED, headers={"Cache-Control": "no-store"})


class ApiKeyRevokeApi(APIView):
    required = {"POST": Need("settings", ("ozonprice.change_apikey",))}

    @extend_schema(
        operation_id="keys_revoke",
        summary=_("Revoke an API key"),
        description=_("The key stops working at once; the others keep working. The row stays, for the audit trail."),
        request=None,
        responses={
            200: ApiKeySerializer,
            404: OpenApiResponse(ErrorResponseSerializer, description=_("No such key.")),
            **AUTH_ERRORS,
        },
        tags=["keys"],
    )
    def post(self, request: Request, key_id: int) -> Response:
        key = ApiKey.objects.filter(pk=key_id).first()
        if key is None:
            raise NotFoundError(_("No API key %(id)s.") % {"id": key_id})
        return Response(ApiKeySerializer(api_key_revoke(key=key)).data)
