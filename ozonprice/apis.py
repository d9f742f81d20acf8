"""Runtime settings API: read (secrets masked), change, and a new API key. Thin views.

The SPEC's settings are global ones (intervals) and one account's (credentials,
showcase, guard modes): `account` (id, name or Client-Id; the query for GET, the
body for PUT) names the account, which may be left out when there is one.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from ozonprice.account_services import account_update
from ozonprice.accounts import account_run_name
from ozonprice.api_accounts import request_account
from ozonprice.auth import Need
from ozonprice.exceptions import AUTH_ERRORS, BAD_REQUEST
from ozonprice.models import RuntimeSettings
from ozonprice.selectors import schedule_next_run, task_last_run
from ozonprice.serializers import (
    ACCOUNT_SETTINGS,
    GeneratedSecretSerializer,
    RuntimeSettingsSerializer,
    RuntimeSettingsUpdateSerializer,
    SettingsUpdateResultSerializer,
)
from ozonprice.services import api_secret_generate, api_secret_is_set, runtime_settings_update, secret_mask

ACCOUNT_PARAMETER = OpenApiParameter(
    "account",
    OpenApiTypes.STR,
    description=gettext_lazy("The account: its id, name or Client-Id. May be left out when there is one."),
)


class RuntimeSettingsApi(APIView):
    required = {
        "GET": Need("settings", ("ozonprice.view_runtimesettings",)),
        "PUT": Need("settings", ("ozonprice.change_runtimesettings",)),
    }

    @extend_schema(
        operation_id="settings_retrieve",
        summary=gettext_lazy("Read the runtime settings"),
        tags=["settings"],
        description=gettext_lazy(
            "Secrets are masked: the Ozon Api-Key shows its last 4 characters, the API key nothing."
        ),
        parameters=[ACCOUNT_PARAMETER],
        responses={200: RuntimeSettingsSerializer, **BAD_REQUEST, **AUTH_ERRORS},
    )
    def get(self, request: Request) -> Response:
        # The key's own accounts only (403 for another's): the answer holds its credentials, masked.
        account = request_account(request, request.query_params.get("account"))
        runtime = RuntimeSettings.load()
        monitor = account_run_name("monitor_products", account)
        last = task_last_run(name=monitor, success=True)
        data = {
            "account": account.pk,
            "monitoring_interval": runtime.monitoring_interval,
            "price_update_interval": runtime.price_update_interval,
            "ozon_client_id": account.client_id,
            "ozon_api_key": secret_mask(account.api_key),
            "front_price_api_url": account.front_price_api_url,
            "secret_key": "****" if api_secret_is_set() else "",
            "promo_guard_mode": account.promo_guard_mode,
            "guard_interval": runtime.guard_interval,
            "discount_requests_mode": account.discount_requests_mode,
            "discount_decline_comment": account.discount_decline_comment,
            "showcase_hold": account.showcase_hold,
            "showcase_max_uplift": account.showcase_max_uplift,
            "last_update": last.stopped if last else None,
            "next_update": schedule_next_run(name=monitor),
        }
        return Response(RuntimeSettingsSerializer(data).data)

    @extend_schema(
        operation_id="settings_update",
        summary=gettext_lazy("Change the runtime settings"),
        tags=["settings"],
        description=gettext_lazy(
            "Absent fields keep their value; a blank ozon_api_key keeps the stored key. `account` names the "
            "account whose settings change (may be left out when there is one). "
            "New intervals reschedule the background tasks at once. Unknown fields are refused."
        ),
        request=RuntimeSettingsUpdateSerializer,
        responses={200: SettingsUpdateResultSerializer, **BAD_REQUEST, **AUTH_ERRORS},
    )
    def put(self, request: Request) -> Response:
        serializer = RuntimeSettingsUpdateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        values = dict(serializer.validated_data)
        account = request_account(request, values.pop("account", None))
        # The SPEC's names for the account's credentials; the rest are the account's own field names.
        own = {ACCOUNT_SETTINGS[name]: values.pop(name) for name in list(values) if name in ACCOUNT_SETTINGS}
        try:
            with transaction.atomic():
                changed = account_update(account=account, **own)
                update = runtime_settings_update(**values)
        except DjangoValidationError as error:
            # The model names its fields; the answer names the request's.
            spec_name = {field: name for name, field in ACCOUNT_SETTINGS.items()}
            raise serializers.ValidationError(
                {spec_name.get(field, field): messages for field, messages in error.message_dict.items()}
            ) from error
        if not (update.changed or changed):
            message = _("Nothing to change")
        elif update.rescheduled:
            message = _("Settings saved; the tasks were rescheduled")
        else:
            message = _("Settings saved")
        return Response(SettingsUpdateResultSerializer({"status": "success", "message": message}).data)


class GenerateSecretApi(APIView):
    required = {"POST": Need("settings", ("ozonprice.change_runtimesettings",))}

    @extend_schema(
        operation_id="settings_generate_secret",
        summary=gettext_lazy("Make a new API key"),
        tags=["settings"],
        description=gettext_lazy(
            "The key is shown in this answer only; its hash is stored. The previous key stops working."
        ),
        request=None,
        responses={200: GeneratedSecretSerializer, **AUTH_ERRORS},
    )
    def post(self, request: Request) -> Response:
        secret = api_secret_generate()
        response = Response(GeneratedSecretSerializer({"status": "success", "secret_key": secret}).data)
        response["Cache-Control"] = "no-store"
        return response
