"""Runtime settings (a singleton: what is global to every account) and the task leases (read-only)."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.contrib.admin.options import ActionLocation
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

# Registers the Ozon accounts' page (and the header's account switcher URL) with this module.
from ozonprice import admin_accounts  # noqa: F401
from ozonprice.admin_base import AdminMixinBase, BoundedSearchMixin, ReadOnlyAdminMixin
from ozonprice.models import RuntimeSettings, TaskLease
from ozonprice.services import api_secret_is_set

# Stored secrets: never rendered back into the page.
SECRET_FIELDS = ("telegram_bot_token",)


class RuntimeSettingsForm(forms.ModelForm):
    """Secrets are password inputs: blank keeps the stored value, a tick clears it."""

    telegram_bot_token = forms.CharField(
        label=_("Telegram bot token"),
        required=False,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
        help_text=_("Leave blank to keep the stored token."),
    )
    clear_telegram_bot_token = forms.BooleanField(label=_("Remove the stored Telegram bot token"), required=False)

    class Meta:
        model = RuntimeSettings
        # Everything a manager may edit (API keys have their own page: ozonprice/admin_keys.py).
        fields = (
            "monitoring_interval",
            "price_update_interval",
            "verification_window",
            "deviation_threshold",
            "images_limit",
            "guard_interval",
            "notify_emails",
            "telegram_chat_id",
            "telegram_bot_token",
        )

    def clean(self):
        cleaned = super().clean()
        assert cleaned is not None  # ModelForm.clean returns cleaned_data
        for name in SECRET_FIELDS:
            if cleaned.get(f"clear_{name}"):
                cleaned[name] = ""
            elif not cleaned.get(name):
                cleaned[name] = getattr(self.instance, name)
        return cleaned


@admin.register(RuntimeSettings)
class RuntimeSettingsAdmin(admin.ModelAdmin):
    form = RuntimeSettingsForm
    list_display = ("__str__", "monitoring_interval", "price_update_interval", "updated_at")
    list_filter = ()
    search_fields = ()
    list_select_related = False
    readonly_fields = ("api_key_state", "updated_at")
    fieldsets = (
        (
            _("Schedule"),
            {"fields": ("monitoring_interval", "price_update_interval", "verification_window", "deviation_threshold")},
        ),
        # Credentials, the showcase source, the guard modes and dry run belong to each account (Ozon accounts).
        (_("Ozon"), {"fields": ("images_limit", "guard_interval")}),
        (
            _("Notifications"),
            {"fields": ("notify_emails", "telegram_chat_id", "telegram_bot_token", "clear_telegram_bot_token")},
        ),
        (_("REST API"), {"fields": ("api_key_state", "updated_at")}),
    )

    @admin.display(description=_("API key"))
    def api_key_state(self, obj: RuntimeSettings) -> str:
        if api_secret_is_set():
            return str(_("Set. Run `manage.py create_api_key` to replace it (the old key stops working)."))
        return str(_("Not set. Run `manage.py create_api_key` to make one."))

    def changelist_view(self, request, extra_context=None):
        # One row: the list is a detour, go straight to it.
        obj = RuntimeSettings.load()
        return HttpResponseRedirect(reverse("admin:ozonprice_runtimesettings_change", args=[obj.pk]))

    def has_add_permission(self, request) -> bool:
        return not RuntimeSettings.objects.exists()

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(TaskLease)
class TaskLeaseAdmin(BoundedSearchMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("name", "owner", "acquired_at", "locked_until")
    list_filter = ()
    search_fields = ("name",)
    list_select_related = False
    readonly_fields = ("name", "owner", "acquired_at", "locked_until")
    ordering = ("name",)


# --- django-q2: a Schedule's `func` is any dotted path, so whoever may add or
# change one may run arbitrary code (django-q2#121). Staff may look; only
# superusers may add, change, delete or resubmit. ---------------------------
class SuperuserWritesMixin(AdminMixinBase):
    def has_add_permission(self, request, *args) -> bool:
        return request.user.is_superuser and super().has_add_permission(request, *args)

    def has_change_permission(self, request, obj=None) -> bool:
        return request.user.is_superuser and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        return request.user.is_superuser and super().has_delete_permission(request, obj)

    def get_actions(self, request, action_location=ActionLocation.CHANGE_LIST):
        # "Resubmit selected tasks" re-runs a task: a write, for superusers only.
        return super().get_actions(request, action_location) if request.user.is_superuser else {}


def _restrict_django_q_admin() -> None:
    from django_q import admin as q_admin
    from django_q.models import Failure, OrmQ, Schedule, Success

    for model, base in (
        (Schedule, q_admin.ScheduleAdmin),
        (Success, q_admin.TaskAdmin),
        (Failure, q_admin.FailAdmin),
        (OrmQ, q_admin.QueueAdmin),
    ):
        if admin.site.is_registered(model):
            admin.site.unregister(model)
            admin.site.register(model, type(base.__name__, (SuperuserWritesMixin, base), {}))


_restrict_django_q_admin()


# The API keys' admin lives in its own module; importing it registers it.
from ozonprice import admin_keys  # noqa: E402, F401
