"""Pricing API: MRPC, discounts, activation, price runs and history. Thin views over services."""

from __future__ import annotations

from collections.abc import Mapping

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.generics import ListAPIView
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from catalog.services.showcase import showcase_prices_fetch
from ozonprice.api_accounts import AccountBodySerializer, request_account
from ozonprice.auth import Need
from ozonprice.exceptions import AUTH_ERRORS, BAD_REQUEST, ErrorResponseSerializer
from ozonprice.filtering import ParamsFilterBackend
from ozonprice.models import Account
from ozonprice.pagination import PagedListSchema, PagePagination
from pricing.filters import PriceHistoryFilter
from pricing.models import Reason
from pricing.selectors import price_history_list
from pricing.serializers import (
    UPDATE_PRICES_COUNTERS,
    ActivationResponseSerializer,
    FetchPricesRequestSerializer,
    FetchPricesResponseSerializer,
    GuardPromotionsRequestSerializer,
    GuardPromotionsResponseSerializer,
    PriceHistoryItemSerializer,
    ProductUpdateRequestSerializer,
    SetDiscountRequestSerializer,
    SetDiscountResponseSerializer,
    SetMrpcRequestSerializer,
    SetMrpcResponseSerializer,
    StatusMessageSerializer,
    UpdatePricesRequestSerializer,
    UpdatePricesResponseSerializer,
)
from pricing.services.edits import (
    ActivationRefused,
    sku_activate,
    sku_deactivate,
    sku_discount_set,
    sku_mrpc_set,
    sku_update,
)
from pricing.services.maintain import prices_maintain
from pricing.services.promotions import promotions_guard

NOT_FOUND = {404: OpenApiResponse(ErrorResponseSerializer, description=gettext_lazy("Unknown product."))}
UPSTREAM = {
    502: OpenApiResponse(ErrorResponseSerializer, description=gettext_lazy("Ozon or the Front Price API failed."))
}


def _body(serializer_class, request: Request) -> dict:
    serializer = serializer_class(data=request.data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def _account_body(serializer_class, request: Request) -> tuple[Account, dict]:
    """The body, and the account its `account` field names (or the caller's only one)."""
    body = _body(serializer_class, request)
    return request_account(request, body.get("account")), body


def _actor(request: Request) -> str:
    return str(getattr(request.user, "username", "") or "api")


def _status(*, errors: list, done: int) -> str:
    if not errors:
        return "success"
    return "partial" if done else "error"


class SetMrpcApi(APIView):
    required = {"POST": Need("prices", ("catalog.change_sku",))}

    @extend_schema(
        operation_id="products_set_mrpc",
        summary=gettext_lazy("Set MRPC for SKUs"),
        tags=["pricing"],
        request=SetMrpcRequestSerializer,
        responses={200: SetMrpcResponseSerializer, **BAD_REQUEST, **AUTH_ERRORS},
    )
    def post(self, request: Request) -> Response:
        account, body = _account_body(SetMrpcRequestSerializer, request)
        result = sku_mrpc_set(items=body["items"], account=account)
        data = {"status": result.status, "account": account.pk, "updated": result.updated, "errors": result.errors}
        return Response(SetMrpcResponseSerializer(data).data)


class SetDiscountApi(APIView):
    required = {"POST": Need("prices", ("catalog.change_sku",))}

    @extend_schema(
        operation_id="products_set_discount",
        summary=gettext_lazy("Set the shown discount for SKUs"),
        tags=["pricing"],
        description=gettext_lazy(
            "A discount Ozon would reject at the SKU's MRPC is refused, naming the smallest that works."
        ),
        request=SetDiscountRequestSerializer,
        responses={200: SetDiscountResponseSerializer, **BAD_REQUEST, **AUTH_ERRORS},
    )
    def post(self, request: Request) -> Response:
        account, body = _account_body(SetDiscountRequestSerializer, request)
        result = sku_discount_set(items=body["items"], account=account)
        data = {"status": result.status, "account": account.pk, "updated": result.updated, "errors": result.errors}
        return Response(SetDiscountResponseSerializer(data).data)


class ActivateApi(APIView):
    required = {"POST": Need("prices", ("catalog.change_sku",))}

    @extend_schema(
        operation_id="products_activate",
        summary=gettext_lazy("Switch price maintenance on"),
        tags=["pricing"],
        request=AccountBodySerializer,
        responses={
            200: ActivationResponseSerializer,
            409: OpenApiResponse(
                ActivationResponseSerializer, description=gettext_lazy("Refused: the message says why.")
            ),
            **BAD_REQUEST,
            **NOT_FOUND,
            **AUTH_ERRORS,
        },
    )
    def post(self, request: Request, product_id: int) -> Response:
        account = _account_body(AccountBodySerializer, request)[0]
        try:
            sku_activate(product_id=product_id, account=account)
        except ActivationRefused as error:
            data = {
                "status": "error",
                "account": account.pk,
                "product_id": str(product_id),
                "active": False,
                "message": str(error),
            }
            return Response(ActivationResponseSerializer(data).data, status=status.HTTP_409_CONFLICT)
        data = {
            "status": "success",
            "account": account.pk,
            "product_id": str(product_id),
            "active": True,
            "message": _("Price maintenance is on"),
        }
        return Response(ActivationResponseSerializer(data).data)


class DeactivateApi(APIView):
    required = {"POST": Need("prices", ("catalog.change_sku",))}

    @extend_schema(
        operation_id="products_deactivate",
        summary=gettext_lazy("Switch price maintenance off"),
        tags=["pricing"],
        request=AccountBodySerializer,
        responses={200: ActivationResponseSerializer, **BAD_REQUEST, **NOT_FOUND, **AUTH_ERRORS},
    )
    def post(self, request: Request, product_id: int) -> Response:
        account = _account_body(AccountBodySerializer, request)[0]
        sku_deactivate(product_id=product_id, account=account)
        data = {
            "status": "success",
            "account": account.pk,
            "product_id": str(product_id),
            "active": False,
            "message": _("Price maintenance is off"),
        }
        return Response(ActivationResponseSerializer(data).data)


class ProductUpdateApi(APIView):
    required = {"PUT": Need("prices", ("catalog.change_sku",))}

    @extend_schema(
        operation_id="products_update",
        summary=gettext_lazy("Update a product's MRPC and/or maintenance switch"),
        tags=["pricing"],
        request=ProductUpdateRequestSerializer,
        responses={
            200: StatusMessageSerializer,
            409: OpenApiResponse(StatusMessageSerializer, description=gettext_lazy("Refused; nothing was changed.")),
            **BAD_REQUEST,
            **NOT_FOUND,
            **AUTH_ERRORS,
        },
    )
    def put(self, request: Request, product_id: int) -> Response:
        account, body = _account_body(ProductUpdateRequestSerializer, request)
        try:
            sku_update(product_id=product_id, mrpc=body.get("mrpc"), active=body.get("active"), account=account)
        except (ActivationRefused, ValueError) as error:
            data = {"status": "error", "account": account.pk, "message": str(error)}
            return Response(data, status=status.HTTP_409_CONFLICT)
        return Response({"status": "success", "account": account.pk, "message": _("Product updated successfully")})


class UpdatePricesApi(APIView):
    required = {"POST": Need("prices", ("catalog.change_sku",))}

    @extend_schema(
        operation_id="products_update_prices",
        summary=gettext_lazy("Send the price changes active SKUs need, now"),
        description=gettext_lazy("With dry_run the plan comes back and nothing is sent."),
        tags=["pricing"],
        request=UpdatePricesRequestSerializer,
        responses={200: UpdatePricesResponseSerializer, **BAD_REQUEST, **AUTH_ERRORS, **UPSTREAM},
    )
    def post(self, request: Request) -> Response:
        account, body = _account_body(UpdatePricesRequestSerializer, request)
        result = prices_maintain(
            account=account,
            product_ids=body.get("product_ids"),
            dry_run=body["dry_run"] or None,
            reason=Reason.API,
            actor=_actor(request),
        )
        errors: list[Mapping[str, str | None]] = list(result.errors)  # a run's own error has no product_id
        if result.skipped:
            data = {
                "status": "skipped",
                "account": account.pk,
                "updated": 0,
                "errors": [{"product_id": None, "error": result.summary()}],
                **_maintain_counters(result),
            }
            return Response(UpdatePricesResponseSerializer(data).data, status=status.HTTP_409_CONFLICT)
        if not result.ok:
            errors.insert(0, {"product_id": None, "error": result.error})
        data = {
            "status": _status(errors=errors, done=result.sent),
            "account": account.pk,
            "updated": result.sent,
            "errors": errors,
            **_maintain_counters(result),
        }
        if result.dry_run:
            plan = [{**row, "account": account.pk, "held": False} for row in result.plan] + [
                {**row, "account": account.pk, "held": True} for row in result.held_plan
            ]
            data.update(updated=len(result.plan), plan=plan, status=_status(errors=errors, done=len(result.plan)))
        code = status.HTTP_200_OK if result.ok else status.HTTP_502_BAD_GATEWAY
        return Response(UpdatePricesResponseSerializer(data).data, status=code)


def _maintain_counters(result) -> dict[str, int]:
    """Every counter of the run, as the command line and the admin show them: nothing is hidden."""
    return {
        name: (result.unknown if name == "awaiting_ozon" else getattr(result, name)) for name in UPDATE_PRICES_COUNTERS
    }


class FetchPricesApi(APIView):
    required = {"POST": Need("prices", ("catalog.change_sku",))}

    @extend_schema(
        operation_id="products_fetch_prices",
        summary=gettext_lazy("Fetch showcase prices now"),
        tags=["pricing"],
        request=FetchPricesRequestSerializer,
        responses={200: FetchPricesResponseSerializer, **BAD_REQUEST, **AUTH_ERRORS, **UPSTREAM},
    )
    def post(self, request: Request) -> Response:
        account, body = _account_body(FetchPricesRequestSerializer, request)
        result = showcase_prices_fetch(account=account, product_ids=body.get("product_ids"))
        errors: list[Mapping[str, str | None]] = list(result.errors)  # a run's own error has no product_id
        if not result.ok:
            errors.insert(0, {"product_id": None, "error": result.error})
        data = {
            "status": _status(errors=errors, done=result.updated),
            "account": account.pk,
            "fetched": result.fetched,
            "updated": result.updated,
            "errors": errors,
        }
        code = status.HTTP_200_OK if result.ok else status.HTTP_502_BAD_GATEWAY
        return Response(FetchPricesResponseSerializer(data).data, status=code)


class GuardPromotionsApi(APIView):
    required = {"POST": Need("prices", ("catalog.change_sku",))}

    @extend_schema(
        operation_id="products_guard_promotions",
        summary=gettext_lazy("Guard the storefront now"),
        tags=["pricing"],
        description=gettext_lazy(
            "Finds SKUs in Ozon's or the seller's promotions under MRPC and, as promo_guard_mode says, reports them "
            "or takes them out; renews min-price timers; declines buyer discount requests below MRPC when "
            "discount_requests_mode says so. With dry_run it only reports and changes nothing on Ozon."
        ),
        request=GuardPromotionsRequestSerializer,
        responses={
            200: GuardPromotionsResponseSerializer,
            409: OpenApiResponse(
                GuardPromotionsResponseSerializer, description=gettext_lazy("Another guard run is in progress.")
            ),
            502: OpenApiResponse(
                GuardPromotionsResponseSerializer,
                description=gettext_lazy(
                    "Ozon failed; the counts say what was done before, the first error what failed."
                ),
            ),
            **BAD_REQUEST,
            **AUTH_ERRORS,
        },
    )
    def post(self, request: Request) -> Response:
        account, body = _account_body(GuardPromotionsRequestSerializer, request)
        result = promotions_guard(
            account=account,
            product_ids=body.get("product_ids"),
            dry_run=body["dry_run"],
            reason=Reason.API,
            actor=_actor(request),
        )
        errors: list[Mapping[str, str | None]] = list(result.errors)  # a run's own error has no product_id
        if not result.ok:
            errors.insert(0, {"product_id": None, "error": result.error})
        done = result.removed + result.reported + result.declined + result.timers_renewed
        data = {
            "status": "skipped" if result.skipped else _status(errors=errors, done=done),
            "account": account.pk,
            "mode": result.mode,
            "breaches": result.breaches,
            "removed": result.removed,
            "refused": result.refused,
            "reported": result.reported,
            "timers_renewed": result.timers_renewed,
            "timers_lapsed": result.timers_lapsed,
            "requests_declined": result.declined,
            "errors": errors,
        }
        if result.skipped:
            data["errors"] = [{"product_id": None, "error": result.summary()}]
            return Response(GuardPromotionsResponseSerializer(data).data, status=status.HTTP_409_CONFLICT)
        code = status.HTTP_200_OK if result.ok else status.HTTP_502_BAD_GATEWAY
        return Response(GuardPromotionsResponseSerializer(data).data, status=code)


class PriceHistoryApi(ListAPIView):
    required = {"GET": Need("read", ("pricing.view_pricehistory",))}
    serializer_class = PriceHistoryItemSerializer
    filter_backends = [ParamsFilterBackend]
    filterset_class = PriceHistoryFilter
    pagination_class = PagePagination
    schema = PagedListSchema()
    page_component = "PriceHistoryPage"

    def get_queryset(self):
        return price_history_list()

    @extend_schema(
        operation_id="price_history_list",
        summary=gettext_lazy("Price history"),
        tags=["pricing"],
        responses={200: PriceHistoryItemSerializer, **BAD_REQUEST, **AUTH_ERRORS},
    )
    def get(self, request: Request, *args, **kwargs) -> Response:
        return super().get(request, *args, **kwargs)
