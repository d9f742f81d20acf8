"""The SKU list's "Push images to Ozon" action as the admin posts it: shared by its form's and its job's tests."""

from django.urls import reverse

from tests.factories import SkuFactory
from tests.fakes.pictures import FakePictures

SKUS = reverse("admin:catalog_sku_changelist")  # where the action is posted
ACTION = "push_images_to_ozon"
OLD = ["https://cdn.ozon.example/a/1.jpg", "https://cdn.ozon.example/a/2.jpg"]
COLOR = "https://cdn.ozon.example/a/color.jpg"


def skus_with_pictures(ozon: FakePictures | None = None) -> list:
    """Two SKUs holding OLD (the first the main one) and COLOR, on Ozon too when given its fake."""
    made = []
    for i in (1, 2):
        sku = SkuFactory(product_id=500 + i, offer_id=f"ART-{i}", images=OLD, primary_image=OLD[0], color_image=COLOR)
        if ozon is not None:
            ozon.add(sku.product_id, sku.offer_id, OLD, sku.color_image)
        made.append(sku)
    return made


def action_post(skus, **extra) -> dict:
    """The changelist's post of the action for `skus`."""
    return {"action": ACTION, "_selected_action": [s.pk for s in skus], **extra}


def form_data(skus, images_by_sku, color="") -> dict:
    """The push form submitted with `images_by_sku[sku.pk]` (a list of URLs) per SKU."""
    data = action_post(skus, apply="1")
    data.update({"form-TOTAL_FORMS": str(len(skus)), "form-INITIAL_FORMS": str(len(skus))})
    for i, sku in enumerate(skus):
        data[f"form-{i}-sku"] = str(sku.pk)
        data[f"form-{i}-images"] = "\n".join(images_by_sku[sku.pk])
        data[f"form-{i}-primary_image"] = ""
        data[f"form-{i}-color_image"] = color
    return data


def texts(response) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []
