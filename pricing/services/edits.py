"""The manager's inputs, item by item: one bad item never fails the others."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from catalog.models import Sku
from ozonprice.db import rows_update
from pricing.rules import CENT, MAX_DISCOUNT, DiscountError, Refusal, can_activate, targets_for

MAX_MRPC = Decimal("9999999999.99")  # the column's 12 digits, 2 decimals

REFUSALS = {
    Refusal.NOT_AVAILABLE: lambda: _("Product is not available"),
    Refusal.NO_MRPC: lambda: _("MRPC is not set"),
    Refusal.NO_SHOWCASE_PRICE: lambda: _("No showcase price"),
}


class SkuNotFound(LookupError):
    pass


class ActivationRefused(ValueError):
    """The SKU may not be activated; the message is the reason for the manager."""


@dataclass
class EditResult:
    updated: list[dict[str, Any]] = field(default_factory=list)
    errors: list[dict[str, str]] = field(default_factory=list)

    @property
    def status(self) -> str:
        if not self.errors:
            return "success"
        return "partial" if self.updated else "error"


def refusal_message(refusal: Refusal) -> str:
    return REFUSALS[refusal]()


def skus_by_reference(references: list[str]) -> dict[str, Sku]:
    """Find SKUs by Ozon SKU or by seller article (offer_id), one query."""
    numeric = [int(r) for r in references if r.isdigit()]
    rows = Sku.objects.filter(Q(sku__in=numeric) | Q(offer_id__in=references))
    found: dict[str, Sku] = {}
    for row in rows:
        if row.sku is not None:
            found.setdefault(str(row.sku), row)
        found.setdefault(row.offer_id, row)
    return found


def parse_decimal(value: Any, *, name: str) -> Decimal:
    if isinstance(value, bool) or value is None or isinstance(value, (list, dict)):
        raise ValueError(_("%(name)s must be a number") % {"name": name})
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        raise ValueError(_("%(name)s must be a number") % {"name": name}) from None
    if not number.is_finite():
        raise ValueError(_("%(name)s must be a number") % {"name": name})
    return number


def discount_error_message(error: DiscountError, *, mrpc: Decimal, discount: Decimal) -> str:
    if error.smallest is None:
        return _("Ozon accepts no discount at MRPC %(mrpc)s") % {"mrpc": mrpc}
    if discount < error.smallest:
        return _("A %(discount)s%% discount is too small for Ozon at MRPC %(mrpc)s: the smallest that works is %(smallest)s%%") % {
            "discount": discount, "mrpc": mrpc, "smallest": error.smallest,
        }
    return _("A %(discount)s%% discount is too big for Ozon at MRPC %(mrpc)s: the largest that works is %(largest)s%%") % {
        "discount": discount, "mrpc": mrpc, "largest": error.largest,
    }


def sku_mrpc_set(*, items: list[dict[str, Any]]) -> EditResult:
    """Set MRPC per item `{sku, mrpc}`; `sku` is the Ozon SKU or the seller article."""
    result = EditResult()
    found = skus_by_reference([str(item.get("sku", "")).strip() for item in items])
    changed: list[Sku] = []
    for item in items:
        reference = str(item.get("sku", "")).strip()
        row = found.get(reference)
        try:
            if row is None:
                raise ValueError(_("Unknown SKU"))
            mrpc = parse_decimal(item.get("mrpc"), name="mrpc")
            if mrpc <= 0:
                raise ValueError(_("mrpc must be greater than zero"))
            if mrpc > MAX_MRPC or mrpc != mrpc.quantize(CENT):
                raise ValueError(_("mrpc must have at most 2 decimals and 10 digits before the point"))
            if row.discount:
                try:
                    targets_for(mrpc, row.discount)
                except DiscountError as error:
                    raise ValueError(discount_error_message(error, mrpc=mrpc, discount=row.discount)) from None
        except ValueError as error:
            result.errors.append({"sku": reference, "error": str(error)})
            continue
        row.mrpc = mrpc
        changed.append(row)
        result.updated.append({"sku": reference, "mrpc": mrpc, "message": _("MRPC set")})
    _save(changed, ["mrpc"])
    return result


def sku_discount_set(*, items: list[dict[str, Any]]) -> EditResult:
    """Set the shown discount per item `{sku, discount}`; refuses discounts Ozon would reject."""
    result = EditResult()
    found = skus_by_reference([str(item.get("sku", "")).strip() for item in items])
    changed: list[Sku] = []
    for item in items:
        reference = str(item.get("sku", "")).strip()
        row = found.get(reference)
        try:
            if row is None:
                raise ValueError(_("Unknown SKU"))
            discount = parse_decimal(item.get("discount"), name="discount")
            if not 0 <= discount < MAX_DISCOUNT or discount != discount.quantize(CENT):
                raise ValueError(_("discount must be from 0 to less than 90, with at most 2 decimals"))
            old_price = None
            if row.mrpc:
                try:
                    old_price = targets_for(row.mrpc, discount).old_price
                except DiscountError as error:
                    raise ValueError(discount_error_message(error, mrpc=row.mrpc, discount=discount)) from None
        except ValueError as error:
            result.errors.append({"sku": reference, "error": str(error)})
            continue
        row.discount = discount
        changed.append(row)
        message = _("Discount set") if row.mrpc else _("Discount set; old price follows once MRPC is set")
        result.updated.append({"sku": reference, "discount": discount, "old_price": old_price, "message": message})
    _save(changed, ["discount"])
    return result


def _save(rows: list[Sku], fields: list[str]) -> None:
    if rows:
        with transaction.atomic():
            rows_update(rows, fields)


def sku_get(product_id: int | str) -> Sku:
    try:
        return Sku.objects.get(product_id=int(product_id))
    except (Sku.DoesNotExist, ValueError, TypeError):
        raise SkuNotFound(_("Unknown product %(product_id)s") % {"product_id": product_id}) from None


def sku_activate(*, product_id: int | str) -> Sku:
    """Switch price maintenance on, or raise ActivationRefused with the reason."""
    sku = sku_get(product_id)
    refusal = can_activate(available=sku.available, mrpc=sku.mrpc, front_price=sku.front_price)
    if refusal is not None:
        raise ActivationRefused(refusal_message(refusal))
    if not sku.active:
        sku.active = True
        sku.save(update_fields=["active"])
    return sku


def sku_deactivate(*, product_id: int | str) -> Sku:
    sku = sku_get(product_id)
    if sku.active:
        sku.active = False
        sku.save(update_fields=["active"])
    return sku


def sku_update(*, product_id: int | str, mrpc: Any = None, active: bool | None = None) -> Sku:
    """`PUT /api/products/{id}`: MRPC and/or the maintenance switch; all or nothing."""
    sku = sku_get(product_id)
    with transaction.atomic():
        if mrpc is not None:
            result = sku_mrpc_set(items=[{"sku": sku.offer_id, "mrpc": mrpc}])
            if result.errors:
                raise ValueError(result.errors[0]["error"])
        if active is True:
            sku = sku_activate(product_id=product_id)
        elif active is False:
            sku = sku_deactivate(product_id=product_id)
    sku.refresh_from_db()
    return sku


def price_changes_approve(*, change_ids: list[int], actor: str) -> int:
    """Release quarantine-size changes for the next maintenance run; returns how many."""
    from pricing.models import ChangeStatus, PriceChange

    return PriceChange.objects.filter(pk__in=change_ids, status=ChangeStatus.HELD).update(
        status=ChangeStatus.PLANNED, approved_by=actor[:150]
    )
