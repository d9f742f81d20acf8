"""Catalogue API: the product list and the on-demand catalogue sync."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.generics import ListAPIView
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from catalog.filters import SkuFilter
from catalog.selectors import sku_list, sku_page_rows
from catalog.serializers import ProductFetchResultSerializer, ProductSerializer
from catalog.services.sync import sku_sync_all
from ozonprice.api_accounts import AccountParamsSerializer, account_params_read
from ozonprice.auth import Need
from ozonprice.exceptions import AUTH_ERRORS, BAD_REQUEST, ErrorResponseSerializer
from ozonprice.filtering import ParamsFilterBackend
from ozonprice.pagination import PagedListSchema, PagePagination


class ProductListApi(ListAPIView):
    required = {"GET": Need("read", ("catalog.view_sku",))}
    serializer_class = ProductSerializer
    filter_backends = [ParamsFilterBackend]
    filterset_class = SkuFilter
    pagination_class = PagePagination
    schema = PagedListSchema()
    page_component = "ProductList"
    per_page_help = _("Products per page, 1 to 500.")

    def get_queryset(self):
        return sku_list()

    def page_rows(self, queryset, offset: int, limit: int) -> list[dict]:
        return sku_page_rows(queryset, offset, limit)

    @extend_schema(
        operation_id="products_list",
        summary=_("List products"),
        responses={
            200: ProductSerializer,
            400: OpenApiResponse(ErrorResponseSerializer, description=_("A query parameter is invalid.")),
            **AUTH_ERRORS,
        },
        tags=["products"],
    )
    def get(self, request: Request, *args, **kwargs) -> Response:
        return super().get(request, *args, **kwargs)


class ProductFetchApi(APIView):
    required = {"GET": Need("prices", ("catalog.change_sku",))}

    @extend_schema(
        operation_id="products_fetch",
        summary=_("Sync the catalogue from Ozon now"),
        description=_(
            "Reads every product from Ozon and updates the catalogue. Answers 502 when the sync "
            "failed; products already written stay written."
        ),
        request=None,
        parameters=[AccountParamsSerializer],
        responses={
            200: ProductFetchResultSerializer,
            **BAD_REQUEST,
            502: OpenApiResponse(ProductFetchResultSerializer, description=_("The sync failed.")),
            **AUTH_ERRORS,
        },
        tags=["products"],
    )
    def get(self, request: Request) -> Response:
        account = account_params_read(request)
        result = sku_sync_all(account=account)
        errors = [{"product_id": None, "error": result.error}] if not result.ok else []
        errors += [{"product_id": str(e["product_id"]), "error": e["error"]} for e in result.errors]
        data = ProductFetchResultSerializer(
            {
                "status": "success" if result.ok else "error",
                "account": account.pk,
                "fetched": result.fetched,
                "updated": result.created + result.updated,
                "errors": errors,
            }
        ).data
        return Response(data, status=status.HTTP_200_OK if result.ok else status.HTTP_502_BAD_GATEWAY)
