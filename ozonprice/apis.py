"""Runtime settings API: read (secrets masked), change, and a new API key. Thin views."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from ozonprice.auth import Need
from ozonprice.exceptions import AUTH_ERRORS, BAD_REQUEST
from ozonprice.models import RuntimeSettings
from ozonprice.selectors import schedule_next_run, task_last_run
from ozonprice.serializers import (
    GeneratedSecretSerializer,
    RuntimeSettingsSerializer,
    RuntimeSettingsUpdateSerializer,
    SettingsUpdateResultSerializer,
)
from ozonprice.services import api_secret_generate, api_secret_is_set, runtime_settings_update, secret_mask


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
        responses={200: RuntimeSettingsSerializer, **AUTH_ERRORS},
    )
    def get(self, request: Request) -> Response:
        runtime = RuntimeSettings.load()
        last = task_last_run(name="monitor_products", success=True)
        data = {
            "monitoring_interval": runtime.monitoring_interval,
            "price_update_interval": runtime.price_update_interval,
            "ozon_client_id": runtime.ozon_client_id,
            "ozon_api_key": secret_mask(runtime.ozon_api_key),
            "front_price_api_url": runtime.front_price_api_url,
            "secret_key": "****" if api_secret_is_set() else "",
            "promo_guard_mode": runtime.promo_guard_mode,
            "guard_interval": runtime.guard_interval,
            "discount_requests_mode": runtime.discount_requests_mode,
            "discount_decline_comment": runtime.discount_decline_comment,
            "showcase_hold": runtime.showcase_hold,
            "showcase_max_uplift": runtime.showcase_max_uplift,
            "last_update": last.stopped if last else None,
            "next_update": schedule_next_run(name="monitor_products"),
        }
        return Response(RuntimeSettingsSerializer(data).data)

    @extend_schema(
        operation_id="settings_update",
        summary=gettext_lazy("Change the runtime settings"),
        tags=["settings"],
        description=gettext_lazy(
            "Absent fields keep their value; a blank ozon_api_key keeps the stored key. "
            "New intervals reschedule the background tasks at once. Unknown fields are refused."
        ),
        request=RuntimeSettingsUpdateSerializer,
        responses={200: SettingsUpdateResultSerializer, **BAD_REQUEST, **AUTH_ERRORS},
    )
    def put(self, request: Request) -> Response:
        serializer = RuntimeSettingsUpdateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        update = runtime_settings_update(**serializer.validated_data)
        if not update.changed:
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
