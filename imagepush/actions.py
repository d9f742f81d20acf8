"""The intermediate form of the SKU list's bulk action "Push images to Ozon".

Per selected SKU the form holds the ordered image URLs (pre-filled with the
pictures Ozon holds now, as the last sync or push saw them), a primary and a
color image, checked by the same validation as the API. A valid submit is
handed to the caller's `start` (the action in `pricing.admin.sku.image_push`
records the pushes and runs them as a background job with a progress page).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _

from imagepush.validation import PushRequest, image_push_validate
from ozonprice.models import RuntimeSettings

# One page of forms, and one Ozon import call.
MAX_SKUS = 100
TEMPLATE = "admin/imagepush/push_images.html"


class SkuPicturesForm(forms.Form):
    sku = forms.IntegerField(widget=forms.HiddenInput)
    images = forms.CharField(
        label=_("Images"),
        widget=forms.Textarea(attrs={"rows": 5, "cols": 100}),
        help_text=_("One URL per line, the main image first. They replace all of the product's pictures."),
    )
    primary_image = forms.CharField(
        label=_("Primary image"), required=False, help_text=_("Empty: the first image is the main one.")
    )
    color_image = forms.CharField(
        label=_("Color image"), required=False, help_text=_("Empty: the product has no color image afterwards.")
    )

    def __init__(self, *args, images_limit: int, product_ids: dict[int, int], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.images_limit = images_limit
        self.product_ids = product_ids

    def clean(self) -> dict:
        super().clean()
        data = self.cleaned_data
        if self.errors:
            return data
        if data["sku"] not in self.product_ids:
            raise forms.ValidationError(_("This SKU was not selected."))
        validation = image_push_validate(
            data={
                "product_id": self.product_ids[data["sku"]],
                "images": [line.strip() for line in data["images"].splitlines() if line.strip()],
                "primary_image": data["primary_image"].strip(),
                "color_image": data["color_image"].strip(),
            },
            images_limit=self.images_limit,
        )
        for entry in validation.errors:
            field = entry["field"] if entry["field"] in self.fields else None
            where = _("line %(line)d: ") % {"line": entry["index"] + 1} if entry["index"] is not None else ""
            url = f" ({entry['url']})" if entry["url"] else ""
            self.add_error(field, f"{where}{entry['reason']}{url}")
        if validation.ok:
            data["request"] = validation.request
        return data


PushFormSet = forms.formset_factory(SkuPicturesForm, extra=0, max_num=MAX_SKUS, absolute_max=MAX_SKUS)


Start = Callable[[Sequence[tuple[Any, PushRequest]]], HttpResponse | None]


def push_images_form(modeladmin, request, queryset, *, start: Start) -> HttpResponse | None:
    """The form for the selected SKUs; on a valid submit, `start((sku, request) pairs)` answers."""
    skus = list(
        queryset.order_by("id").only("id", "product_id", "offer_id", "name", "images", "primary_image", "color_image")[
            : MAX_SKUS + 1
        ]
    )
    if len(skus) > MAX_SKUS:
        modeladmin.message_user(request, _("Select at most %(max)d SKUs per push.") % {"max": MAX_SKUS}, messages.ERROR)
        return None
    by_id = {sku.id: sku for sku in skus}
    form_kwargs = {
        "images_limit": RuntimeSettings.load().images_limit,
        "product_ids": {sku.id: sku.product_id for sku in skus},
    }
    if "apply" in request.POST:
        formset = PushFormSet(request.POST, form_kwargs=form_kwargs)
        if formset.is_valid():
            return start([(by_id[form.cleaned_data["sku"]], form.cleaned_data["request"]) for form in formset.forms])
    else:
        formset = PushFormSet(initial=[_initial(sku) for sku in skus], form_kwargs=form_kwargs)
    rows = [(form, by_id.get(_sku_id(form))) for form in formset.forms]
    context = {
        **modeladmin.admin_site.each_context(request),
        "title": _("Push images to Ozon"),
        "opts": modeladmin.model._meta,
        "formset": formset,
        "rows": rows,
        "skus": skus,
        "action_checkbox_name": ACTION_CHECKBOX_NAME,
        "images_limit": form_kwargs["images_limit"],
    }
    return TemplateResponse(request, TEMPLATE, context)


def _initial(sku) -> dict:
    images = list(sku.images or [])
    return {
        "sku": sku.id,
        "images": "\n".join(images),
        # The first image is the main one already: only a different main image needs naming.
        "primary_image": sku.primary_image if sku.primary_image and images[:1] != [sku.primary_image] else "",
        "color_image": sku.color_image,
    }


def _sku_id(form) -> int | None:
    value = form["sku"].value()
    try:
        return int(value)
    except (TypeError, ValueError):
        return None
