"""Import and export of MRPC and discount (CSV, XLSX) from the SKU list.

Import: upload → a preview of every line (the diff, or the error naming the
SKU and the reason) → save. The lines wait between the two steps in the
cache under a random token, tied to the user who uploaded them, with the
account whose SKUs they name (an SKU or article names a product within one
account only).
"""

from __future__ import annotations

import secrets
from datetime import datetime
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.admin import ModelAdmin
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, HttpResponseRedirect, StreamingHttpResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views import View

from ozonprice.admin_switcher import account_chosen, admin_accounts
from ozonprice.models import Account
from pricing.services.imports import (
    ImportFileError,
    ImportHasErrors,
    csv_lines,
    price_import_apply,
    price_import_preview,
    price_import_read,
    price_table_rows,
    xlsx_bytes,
)

# How long an uploaded file waits for its confirmation.
PENDING_SECONDS = 3600
# Rows of each kind listed on the preview; all are counted.
SHOWN_ROWS = 500
MAX_UPLOAD_BYTES = 20 * 1024 * 1024


class UploadForm(forms.Form):
    account = forms.ModelChoiceField(
        label=gettext_lazy("Ozon account"),
        queryset=Account.objects.order_by("name", "id"),
        help_text=gettext_lazy("The file's SKUs and articles are looked up among this account's products."),
    )
    file = forms.FileField(
        label=gettext_lazy("File"),
        help_text=gettext_lazy(
            "CSV or XLSX. The first row names the columns: «sku» (Ozon SKU) or «offer_id» (article), and "
            "«mrpc» and/or «discount». A blank cell keeps the SKU's value. An exported list is a ready template."
        ),
    )

    def __init__(self, *args, request, **kwargs):
        super().__init__(*args, **kwargs)
        accounts = admin_accounts(request)
        field = self.fields["account"]
        self.only_account = next(iter(accounts)) if len(accounts) == 1 else None
        if self.only_account is not None:
            # One account: nothing to choose (a form posted without it means that one); the page looks as before.
            field.widget, field.required, field.initial = forms.HiddenInput(), False, self.only_account
        else:
            # The account the manager works on in the admin; "all accounts": they must pick one.
            field.initial = account_chosen(request)

    def clean_account(self) -> Account:
        account = self.cleaned_data["account"]
        if account is None:
            # Only reached with one account (otherwise the field is required).
            assert self.only_account is not None, "the account field is required with several accounts"
            account = Account.objects.get(pk=self.only_account)
        return account

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("The file is bigger than 20 MB."))
        return upload


class _SkuAdminView(View):
    # Set by as_view(model_admin=...), which takes only names the class already has: hence the None.
    model_admin: ModelAdmin[Any] = None  # type: ignore[assignment]

    def check(self, request) -> None:
        if not self.model_admin.has_change_permission(request):
            raise PermissionDenied

    def changelist_url(self) -> str:
        return reverse("admin:catalog_sku_changelist")

    def render(self, request, template: str, **context) -> TemplateResponse:
        opts = self.model_admin.model._meta
        return TemplateResponse(
            request,
            template,
            {
                **self.model_admin.admin_site.each_context(request),
                "opts": opts,
                **context,
            },
        )


class ImportView(_SkuAdminView):
    template = "admin/catalog/sku/import.html"

    def get(self, request):
        self.check(request)
        form = UploadForm(request=request)
        return self.render(request, self.template, title=_("Import MRPC and discounts"), form=form)

    def post(self, request):
        self.check(request)
        if "token" in request.POST:
            return self.apply(request)
        form = UploadForm(request.POST, request.FILES, request=request)
        if not form.is_valid():
            return self.render(request, self.template, title=_("Import MRPC and discounts"), form=form)
        upload = form.cleaned_data["file"]
        try:
            lines = price_import_read(content=upload.read(), filename=upload.name)
        except ImportFileError as error:
            form.add_error("file", str(error))
            return self.render(request, self.template, title=_("Import MRPC and discounts"), form=form)
        account = form.cleaned_data["account"]
        token = secrets.token_urlsafe(16)
        pending = {"lines": lines, "filename": upload.name, "account_id": account.pk}
        cache.set(self._key(request, token), pending, PENDING_SECONDS)
        return self.preview(request, token, lines, upload.name, account)

    def preview(self, request, token, lines, filename, account: Account) -> TemplateResponse:
        preview = price_import_preview(lines=lines, account=account)
        return self.render(
            request,
            "admin/catalog/sku/import_preview.html",
            title=_("Import MRPC and discounts: check before saving"),
            token=token,
            filename=filename,
            account=account,
            several_accounts=len(admin_accounts(request)) > 1,
            preview=preview,
            lines=len(lines),
            errors=preview.errors[:SHOWN_ROWS],
            changes=preview.changes[:SHOWN_ROWS],
            errors_count=len(preview.errors),
            changes_count=len(preview.changes),
            shown=SHOWN_ROWS,
        )

    def apply(self, request):
        token = request.POST["token"]
        pending = cache.get(self._key(request, token))
        # The account may have been deleted since the upload (and an upload cached before accounts names none).
        account = Account.objects.filter(pk=pending.get("account_id")).first() if pending else None
        if pending is None or account is None:
            messages.error(request, _("This upload has expired: upload the file again."))
            return HttpResponseRedirect(reverse("admin:catalog_sku_import"))
        skip_errors = bool(request.POST.get("skip_errors"))
        try:
            result = price_import_apply(lines=pending["lines"], skip_errors=skip_errors, account=account)
        except ImportHasErrors as error:
            messages.error(request, str(error) + " " + _("Fix the file, or tick «Save the valid lines only»."))
            return self.preview(request, token, pending["lines"], pending["filename"], account)
        cache.delete(self._key(request, token))
        count = len(result.updated)
        messages.success(
            request,
            ngettext(
                "Imported %(filename)s: %(count)d SKU changed.",
                "Imported %(filename)s: %(count)d SKUs changed.",
                count,
            )
            % {"filename": pending["filename"], "count": count},
        )
        return HttpResponseRedirect(self.changelist_url())

    @staticmethod
    def _key(request, token: str) -> str:
        return f"price-import:{request.user.pk}:{token}"


class ExportView(_SkuAdminView):
    """The SKU list as it is filtered and searched on screen, as CSV or XLSX."""

    def get(self, request):
        if not self.model_admin.has_view_or_change_permission(request):
            raise PermissionDenied
        request.GET = request.GET.copy()
        fmt = request.GET.pop("format", ["csv"])[0]
        changelist = self.model_admin.get_changelist_instance(request)
        queryset = changelist.get_queryset(request)
        rows = price_table_rows(queryset=queryset)
        stamp = datetime.now().strftime("%Y%m%d-%H%M")  # noqa: DTZ005 - a file name in the server's time
        if fmt == "xlsx":
            response = HttpResponse(
                xlsx_bytes(rows), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            )
            response["Content-Disposition"] = f'attachment; filename="ozonprice-skus-{stamp}.xlsx"'
            return response
        stream = StreamingHttpResponse(csv_lines(rows), content_type="text/csv; charset=utf-8")
        stream["Content-Disposition"] = f'attachment; filename="ozonprice-skus-{stamp}.csv"'
        return stream
