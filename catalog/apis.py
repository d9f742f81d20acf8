"""Catalogue API: the product list and the on-demand catalogue sync."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from catalog.selectors import sku_page
from catalog.serializers import ProductFetchResultSerializer, ProductListParamsSerializer, ProductListSerializer
from catalog.services import sku_sync_all
from ozonprice.exceptions import ErrorResponseSerializer, validate_query_params

AUTH_ERRORS = {
    401: OpenApiResponse(ErrorResponseSerializer, description=_("No or wrong API key.")),
    403: OpenApiResponse(ErrorResponseSerializer, description=_("Logged in, but without the permission this operation needs.")),
}


class ProductListApi(APIView):
    required_perms = {"GET": ("catalog.view_sku",)}

    @extend_schema(
        operation_id="products_list",
        summary=_("List products"),
        parameters=[ProductListParamsSerializer],
        responses={
            200: ProductListSerializer,
            400: OpenApiResponse(ErrorResponseSerializer, description=_("A query parameter is invalid.")),
            **AUTH_ERRORS,
        },
        tags=["products"],
    )
    def get(self, request: Request) -> Response:
        params = validate_query_params(ProductListParamsSerializer, request)
        page = sku_page(
            filters={"active": params["active"], "has_stock": params["has_stock"], "search": params["search"]},
            page=params["page"],
            per_page=params["per_page"],
        )
        data = ProductListSerializer(
            {"items": page.items, "total": page.total, "page": page.page, "pages": page.pages}
        ).data
        return Response(data)


class ProductFetchApi(APIView):
    required_perms = {"GET": ("catalog.change_sku",)}

    @extend_schema(
        operation_id="products_fetch",
        summary=_("Sync the catalogue from Ozon now"),
        description=_(
            "Reads every product from Ozon and updates the catalogue. Answers 502 when the sync "
            "failed; products already written stay written."
        ),
        request=None,
        responses={
            200: ProductFetchResultSerializer,
            502: OpenApiResponse(ProductFetchResultSerializer, description=_("The sync failed.")),
            **AUTH_ERRORS,
        },
        tags=["products"],
    )
    def get(self, request: Request) -> Response:
        result = sku_sync_all()
        errors = [{"product_id": None, "error": result.error}] if not result.ok else []
        errors += [{"product_id": str(e["product_id"]), "error": e["error"]} for e in result.errors]
        data = ProductFetchResultSerializer(
            {
                "status": "success" if result.ok else "error",
                "fetched": result.fetched,
                "updated": result.created + result.updated,
                "errors": errors,
            }
        ).data
        return Response(data, status=status.HTTP_200_OK if result.ok else status.HTTP_502_BAD_GATEWAY)
