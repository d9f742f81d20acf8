"""The API keys in the admin: list, add (the secret shown once), change scopes/accounts/expiry, revoke.

The hash is never a form field. A new key is made by `api_key_create`, the
one place secrets are drawn, and its secret is shown once in a message.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from ozonprice.admin_base import BoundedSearchMixin
from ozonprice.keys import api_key_create, api_key_refusal, api_key_revoke
from ozonprice.models import ApiKey, ApiScope

REVOKE_BUTTON = "_revoke"


class ApiKeyForm(forms.ModelForm):
    scopes = forms.MultipleChoiceField(label=_("scopes"), choices=ApiScope.choices, widget=forms.CheckboxSelectMultiple)

    class Meta:
        model = ApiKey
        fields = ("name", "scopes", "accounts", "all_accounts", "expires_at")
        widgets = {"accounts": forms.CheckboxSelectMultiple}

    def clean_expires_at(self):
        expires_at = self.cleaned_data.get("expires_at")
        if expires_at is not None and expires_at <= timezone.now() and expires_at != self.instance.expires_at:
            raise forms.ValidationError(_("The expiry must be in the future."))
        return expires_at


@admin.register(ApiKey)
class ApiKeyAdmin(BoundedSearchMixin, admin.ModelAdmin):
    form = ApiKeyForm
    list_display = (
        "name",
        "prefix_shown",
        "scopes_shown",
        "accounts_shown",
        "expires_at",
        "revoked_at",
        "last_used_at",
        "last_used_from",
    )
    list_filter = ()
    search_fields = ("name", "prefix")
    readonly_fields = (
        "prefix",
        "state",
        "state_or_revoke",
        "revoked_at",
        "last_used_at",
        "last_used_from",
        "created_by",
        "created_at",
    )
    actions = ("revoke",)

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("accounts")

    def get_fieldsets(self, request, obj=None):
        editable = ("name", "scopes", "accounts", "all_accounts", "expires_at")
        if obj is None:
            return ((None, {"fields": editable}),)
        # The revoke button only for who may change the key (a view-only page shows the state).
        state = "state_or_revoke" if self.has_change_permission(request, obj) else "state"
        used = ("prefix", state, "revoked_at", "last_used_at", "last_used_from", "created_by", "created_at")
        return ((None, {"fields": editable}), (_("Use"), {"fields": used}))

    @admin.display(description=_("prefix"), ordering="prefix")
    def prefix_shown(self, obj: ApiKey) -> str:
        # The migrated single key has none: its secret predates prefixes.
        return f"{obj.prefix}…" if obj.prefix else "—"

    @admin.display(description=_("scopes"))
    def scopes_shown(self, obj: ApiKey) -> str:
        return ", ".join(obj.scopes or [])

    @admin.display(description=_("accounts"))
    def accounts_shown(self, obj: ApiKey) -> str:
        if obj.all_accounts:
            return gettext("every account")
        return ", ".join(account.name for account in obj.accounts.all()) or "—"

    @admin.display(description=_("state"))
    def state(self, obj: ApiKey) -> str:
        return api_key_refusal(obj) or gettext("in use")

    @admin.display(description=_("state"))
    def state_or_revoke(self, obj: ApiKey):
        refusal = api_key_refusal(obj)
        if refusal:
            return refusal
        # A submit button of the change form itself (a form inside it would be invalid HTML); change_view acts on it.
        return format_html(
            '<button type="submit" name="{}" value="1" class="button">{}</button>',
            REVOKE_BUTTON,
            gettext("Revoke this key"),
        )

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if request.method == "POST" and REVOKE_BUTTON in request.POST:
            key = self.get_object(request, object_id)
            if key is None or not self.has_change_permission(request, key):
                raise PermissionDenied
            api_key_revoke(key=key)
            self.message_user(request, gettext("The key %(name)s was revoked.") % {"name": key.name})
            return HttpResponseRedirect(request.path)
        return super().change_view(request, object_id, form_url, extra_context)

    def save_model(self, request, obj: ApiKey, form, change: bool) -> None:
        if change:
            super().save_model(request, obj, form, change)
            return
        data = form.cleaned_data
        key, secret = api_key_create(
            name=data["name"],
            scopes=data["scopes"],
            accounts=data["accounts"],
            all_accounts=data["all_accounts"],
            expires_at=data["expires_at"],
            created_by=request.user.get_username(),
        )
        obj.pk, obj.prefix, obj.secret_hash, obj.created_at = key.pk, key.prefix, key.secret_hash, key.created_at
        obj._state.adding = False
        self.message_user(
            request,
            gettext("The secret of %(name)s, shown this once (header X-API-Key): %(secret)s")
            % {"name": key.name, "secret": secret},
            messages.WARNING,
        )

    def save_related(self, request, form, formsets, change: bool) -> None:
        if change:
            super().save_related(request, form, formsets, change)
        # A new key's accounts were set by api_key_create.

    @admin.action(description=_("Revoke the selected keys"), permissions=["change"])
    def revoke(self, request, queryset) -> None:
        keys = list(queryset.filter(revoked_at__isnull=True))
        for key in keys:
            api_key_revoke(key=key)
        self.message_user(
            request,
            ngettext("%(count)d key revoked.", "%(count)d keys revoked.", len(keys)) % {"count": len(keys)},
        )
