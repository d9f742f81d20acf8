"""The Ozon accounts in the admin: credentials (the key masked, write-only), per-account settings, a connection
test and the account's last runs."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from ozonprice.account_connection import account_connection_check
from ozonprice.account_runs import account_runs_last
from ozonprice.account_services import ACCOUNT_FIELDS
from ozonprice.admin_switcher import account_switch_view
from ozonprice.clients.outbound import validate_outbound_url
from ozonprice.models import Account
from ozonprice.services import secret_mask


class AccountForm(forms.ModelForm):
    """The Api-Key is a password input: never rendered back, blank keeps the stored key."""

    api_key = forms.CharField(
        label=gettext_lazy("Ozon Api-Key"),
        required=False,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
        help_text=gettext_lazy("Leave blank to keep the stored key."),
    )

    class Meta:
        model = Account
        fields = ACCOUNT_FIELDS  # what a manager may change: the same fields as `account_update`

    def clean_front_price_api_url(self) -> str:
        # A manager types it and the server calls it: no private addresses (SSRF).
        url = self.cleaned_data["front_price_api_url"]
        validate_outbound_url(url)
        return url

    def clean_api_key(self) -> str:
        key = self.cleaned_data.get("api_key", "").strip()
        if key:
            return key
        if not self.instance.pk or not self.instance.api_key:
            # A new account is of no use without its key: every run would fail on it.
            raise forms.ValidationError(_("Enter the account's Api-Key (Ozon seller account → Settings → API keys)."))
        return self.instance.api_key


@admin.register(Account)
class AccountAdmin(admin.ModelAdmin):
    form = AccountForm
    list_display = ("name", "client_id", "api_key_masked", "active", "sku_count", "last_runs_short")
    list_filter = ("active",)
    search_fields = ("name", "client_id")
    ordering = ("name",)
    readonly_fields = ("api_key_masked", "last_runs", "created_at", "updated_at")
    change_form_template = "admin/ozonprice/account/change_form.html"
    fieldsets = (
        (gettext_lazy("Credentials"), {"fields": ("name", "client_id", "api_key_masked", "api_key", "active")}),
        (
            gettext_lazy("Showcase price"),
            {"fields": ("showcase_source", "front_price_api_url", "front_price_seller_id")},
        ),
        (
            gettext_lazy("Storefront guard"),
            {
                "fields": (
                    "promo_guard_mode",
                    "discount_requests_mode",
                    "discount_decline_comment",
                    "showcase_hold",
                    "showcase_max_uplift",
                )
            },
        ),
        (gettext_lazy("Price maintenance"), {"fields": ("promo_guard", "dry_run")}),
        (gettext_lazy("Last runs"), {"fields": ("last_runs", "created_at", "updated_at")}),
    )

    def get_fieldsets(self, request, obj=None):
        if obj is None:
            # Nothing is stored or run yet: no masked key, no runs.
            return [
                (title, {**options, "fields": [f for f in options["fields"] if f not in self.readonly_fields]})
                for title, options in self.fieldsets
                if any(f not in self.readonly_fields for f in options["fields"])
            ]
        return self.fieldsets

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(sku_total=Count("skus"))

    @admin.display(description=gettext_lazy("Api-Key"))
    def api_key_masked(self, obj: Account) -> str:
        return secret_mask(obj.api_key) or "—"

    @admin.display(description=gettext_lazy("SKUs"), ordering="sku_total")
    def sku_count(self, obj: Account) -> int:
        return obj.sku_total  # type: ignore[attr-defined]  # annotated by get_queryset

    @admin.display(description=gettext_lazy("last runs"))
    def last_runs_short(self, obj: Account):
        runs = account_runs_last(account_ids=[obj.pk])[obj.pk]
        return format_html_join(
            " ",
            '<span class="job-status {}" title="{}">{}</span>',
            (
                (
                    "none" if run is None else ("job-done" if run.success else "job-failed"),
                    title if run is None else f"{title}: {run.summary}",
                    "—" if run is None else ("✓" if run.success else "✗"),
                )
                for _job, title, run in runs
            ),
        )

    @admin.display(description=gettext_lazy("last runs"))
    def last_runs(self, obj: Account):
        if obj.pk is None:
            return "—"
        rows = [
            (
                title,
                _("never") if run is None else run.stopped_at.strftime("%Y-%m-%d %H:%M"),
                "" if run is None else (_("OK") if run.success else _("failed")),
                "" if run is None else run.summary,
            )
            for _job, title, run in account_runs_last(account_ids=[obj.pk])[obj.pk]
        ]
        return format_html(
            '<table class="price-table" id="account-runs"><tbody>{}</tbody></table>',
            format_html_join("", "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>", rows),
        )

    def get_urls(self):
        own = [
            path("switch/", self.admin_site.admin_view(account_switch_view), name="ozonprice_account_switch"),
            path(
                "<int:object_id>/test-connection/",
                self.admin_site.admin_view(self.test_connection_view),
                name="ozonprice_account_test_connection",
            ),
        ]
        return own + super().get_urls()

    def test_connection_view(self, request, object_id: int):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        account = get_object_or_404(Account, pk=object_id)
        if not self.has_change_permission(request, account):
            # It sends the stored credentials to Ozon: for those who may change them.
            raise PermissionDenied
        check = account_connection_check(account=account)
        self.message_user(
            request,
            _("%(account)s: %(result)s") % {"account": account.name, "result": check.message},
            messages.SUCCESS if check.ok else messages.ERROR,
        )
        return HttpResponseRedirect(reverse("admin:ozonprice_account_change", args=[account.pk]))

    def delete_view(self, request, object_id, extra_context=None):
        account = self.get_object(request, object_id)
        if account is not None:
            skus = account.skus.count()
            if skus:
                self.message_user(
                    request,
                    ngettext(
                        "%(account)s has %(count)d SKU and cannot be deleted: its prices and history belong to it. "
                        "Untick “active” to pause it instead.",
                        "%(account)s has %(count)d SKUs and cannot be deleted: its prices and history belong to it. "
                        "Untick “active” to pause it instead.",
                        skus,
                    )
                    % {"account": account.name, "count": skus},
                    messages.ERROR,
                )
                return HttpResponseRedirect(reverse("admin:ozonprice_account_change", args=[account.pk]))
        return super().delete_view(request, object_id, extra_context)
