"""The manager's inputs, item by item: one bad item never fails the others."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from catalog.models import Sku
from ozonprice.converters import INT64_MAX
from ozonprice.db import rows_update
from ozonprice.exceptions import NotFoundError
from ozonprice.inputs import is_ascii_digits, looks_numeric
from ozonprice.models import Account
from pricing.rules import CENT, MAX_DISCOUNT, DiscountError, Refusal, Targets, can_activate, targets_for

MAX_MRPC = Decimal("9999999999.99")  # the column's 12 digits, 2 decimals
# Ids per `IN (…)` query: far below SQLite's 32766 parameters.
CHUNK = 1000


def discount_range_message() -> str:
    # A function, not a constant: the message is read in the language of the request that needs it.
    return _("discount must be from 0 to less than 90, with at most 2 decimals")


REFUSALS = {
    Refusal.NOT_AVAILABLE: lambda: _("Product is not available"),
    Refusal.NO_MRPC: lambda: _("MRPC is not set"),
    Refusal.NO_SHOWCASE_PRICE: lambda: _("No showcase price"),
}


class SkuNotFound(NotFoundError):
    """No SKU has this product id: the API's shared handler answers 404."""


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


def skus_by_reference(references: list[str], *, account: Account | None = None) -> dict[str, Sku]:
    """Find SKUs by Ozon SKU or by seller article (offer_id), one query; of `account` when given."""
    # Only ASCII digits within 64 bits can be an Ozon SKU: `str.isdigit()` is also true
    # for "²" or "٢٠", which `int()` refuses or reads, and a longer number overflows the column.
    numeric = [int(r) for r in references if is_ascii_digits(r) and int(r) <= INT64_MAX]
    rows = Sku.objects.filter(Q(sku__in=numeric) | Q(offer_id__in=references))
    if account is not None:
        rows = rows.filter(account=account)
    found: dict[str, Sku] = {}
    for row in rows:
        if row.sku is not None:
            found.setdefault(str(row.sku), row)
        found.setdefault(row.offer_id, row)
    return found


def looks_numeric_text(value: str) -> bool:
    """Digits `Decimal()` would read but a person did not type as a plain number ("٢٠", "２０", "2_0")."""
    text = value.strip()
    return "_" in text or looks_numeric(text.replace(".", "").replace(",", "").lstrip("+-"))


def parse_decimal(value: Any, *, name: str) -> Decimal:
    if isinstance(value, bool) or value is None or isinstance(value, (list, dict)):
        raise ValueError(_("%(name)s must be a number") % {"name": name})
    if isinstance(value, str) and looks_numeric_text(value):
        raise ValueError(_("%(name)s must be a number") % {"name": name})
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        raise ValueError(_("%(name)s must be a number") % {"name": name}) from None
    if not number.is_finite():
        raise ValueError(_("%(name)s must be a number") % {"name": name})
    return number


def discount_error_message(error: DiscountError) -> str:
    """The one message refusing a discount, wherever it is refused (input, preview, the price run)."""
    mrpc, discount = error.mrpc, error.discount
    if error.out_of_range():
        return discount_range_message()
    if error.smallest is None:
        return _("Ozon accepts no discount at MRPC %(mrpc)s") % {"mrpc": mrpc}
    if discount < error.smallest:
        return _(
            "A %(discount)s%% discount is too small for Ozon at MRPC %(mrpc)s: the smallest that works is %(smallest)s%%"
        ) % {
            "discount": discount,
            "mrpc": mrpc,
            "smallest": error.smallest,
        }
    return _(
        "A %(discount)s%% discount is too big for Ozon at MRPC %(mrpc)s: the largest that works is %(largest)s%%"
    ) % {
        "discount": discount,
        "mrpc": mrpc,
        "largest": error.largest,
    }


def mrpc_check(value: Any) -> Decimal:
    """A valid MRPC from the manager's input, or ValueError with the reason."""
    mrpc = parse_decimal(value, name="mrpc")
    if mrpc <= 0:
        raise ValueError(_("mrpc must be greater than zero"))
    if mrpc > MAX_MRPC or mrpc != mrpc.quantize(CENT):
        raise ValueError(_("mrpc must have at most 2 decimals and 10 digits before the point"))
    return mrpc


def discount_check(value: Any) -> Decimal:
    """A valid discount from the manager's input, or ValueError with the reason."""
    discount = parse_decimal(value, name="discount")
    if not 0 <= discount < MAX_DISCOUNT or discount != discount.quantize(CENT):
        raise ValueError(discount_range_message())
    return discount


def targets_check(mrpc: Decimal | None, discount: Decimal) -> Targets | None:
    """What Ozon would be sent for this pair (None without MRPC); ValueError if Ozon would refuse it."""
    if not mrpc:
        return None
    try:
        return targets_for(mrpc, discount)
    except DiscountError as error:
        raise ValueError(discount_error_message(error)) from None


def sku_mrpc_set(*, items: list[dict[str, Any]], dry_run: bool = False, account: Account | None = None) -> EditResult:
    """Set MRPC per item `{sku, mrpc}`; `sku` is the Ozon SKU or the seller article.

    `dry_run` validates and reports exactly the same, and saves nothing.
    """
    return sku_inputs_set(
        items=[{"sku": item.get("sku", ""), "mrpc": item.get("mrpc")} for item in items],
        dry_run=dry_run,
        account=account,
    )


def sku_discount_set(
    *, items: list[dict[str, Any]], dry_run: bool = False, account: Account | None = None
) -> EditResult:
    """Set the shown discount per item `{sku, discount}`; refuses discounts Ozon would reject."""
    return sku_inputs_set(
        items=[{"sku": item.get("sku", ""), "discount": item.get("discount")} for item in items],
        dry_run=dry_run,
        account=account,
    )


def sku_inputs_set(
    *,
    items: list[dict[str, Any]],
    dry_run: bool = False,
    rows: dict[str, Sku] | None = None,
    account: Account | None = None,
) -> EditResult:
    """Set MRPC and/or discount per item `{sku, mrpc?, discount?}`, checked together.

    A key left out keeps the SKU's value; the pair that results must pass
    Ozon's rules. Each updated entry carries `targets` (what maintenance would
    send, None without MRPC), `row` (the SKU; untouched in a dry run) and
    `pair` (the MRPC and discount that result). `rows` are SKUs the caller has loaded already, by reference
    (the admin's selection): they are not looked up again.
    """
    result = EditResult()
    found: dict[str, Sku] = dict(rows or {})
    references = [str(item.get("sku", "")).strip() for item in items]
    for start in range(0, len(references), CHUNK // 2):  # each reference may be used twice in the query
        missing = [r for r in references[start : start + CHUNK // 2] if r not in found]
        if missing:
            found.update(skus_by_reference(missing, account=account))
    changed: dict[int, Sku] = {}
    seen: set[int] = set()
    for item, reference in zip(items, references, strict=True):
        row = found.get(reference)
        try:
            if row is None:
                raise ValueError(_("Unknown SKU"))
            if row.pk in seen:
                # By Ozon SKU and by article in one request: the first item wins, the repeat is reported.
                raise ValueError(_("This SKU is named more than once in the request"))
            seen.add(row.pk)
            mrpc = mrpc_check(item["mrpc"]) if "mrpc" in item else row.mrpc
            discount = discount_check(item["discount"]) if "discount" in item else row.discount
            targets = targets_check(mrpc, discount)
        except ValueError as error:
            result.errors.append({"sku": reference, "error": str(error)})
            continue
        entry: dict[str, Any] = {"sku": reference}
        if "mrpc" in item:
            entry["mrpc"] = mrpc
        if "discount" in item:
            entry["discount"] = discount
            entry["old_price"] = targets.old_price if targets else None
        if "mrpc" in item and "discount" not in item:
            entry["message"] = _("MRPC set")
        elif mrpc:
            entry["message"] = _("Discount set") if "mrpc" not in item else _("MRPC and discount set")
        else:
            entry["message"] = _("Discount set; old price follows once MRPC is set")
        entry["targets"], entry["row"], entry["pair"] = targets, row, (mrpc, discount)
        if not dry_run:
            row.mrpc, row.discount = mrpc, discount
            changed[row.pk] = row
        result.updated.append(entry)
    if not dry_run:
        _save(list(changed.values()), ["mrpc", "discount"])
    return result


def _save(rows: list[Sku], fields: list[str]) -> None:
    if rows:
        with transaction.atomic():
            rows_update(rows, fields)


def sku_get(product_id: int | str, *, account: Account | None = None) -> Sku:
    rows = Sku.objects.all() if account is None else Sku.objects.filter(account=account)
    try:
        return rows.get(product_id=int(product_id))
    except (Sku.DoesNotExist, ValueError, TypeError):
        raise SkuNotFound(_("Unknown product %(product_id)s") % {"product_id": product_id}) from None


def sku_activate(*, product_id: int | str, account: Account | None = None) -> Sku:
    """Switch price maintenance on, or raise ActivationRefused with the reason."""
    sku = sku_get(product_id, account=account)
    refusal = can_activate(available=sku.available, mrpc=sku.mrpc, front_price=sku.front_price)
    if refusal is not None:
        raise ActivationRefused(refusal_message(refusal))
    if not sku.active:
        sku.active = True
        sku.save(update_fields=["active"])
    return sku


def sku_deactivate(*, product_id: int | str, account: Account | None = None) -> Sku:
    sku = sku_get(product_id, account=account)
    if sku.active:
        sku.active = False
        sku.save(update_fields=["active"])
    return sku


def sku_update(
    *, product_id: int | str, mrpc: Any = None, active: bool | None = None, account: Account | None = None
) -> Sku:
    """`PUT /api/products/{id}`: MRPC and/or the maintenance switch; all or nothing."""
    sku = sku_get(product_id, account=account)
    with transaction.atomic():
        if mrpc is not None:
            # The row itself: another account may have a SKU with the same article.
            result = sku_inputs_set(items=[{"sku": sku.offer_id, "mrpc": mrpc}], rows={sku.offer_id: sku})
            if result.errors:
                raise ValueError(result.errors[0]["error"])
        if active is True:
            sku = sku_activate(product_id=product_id, account=sku.account)
        elif active is False:
            sku = sku_deactivate(product_id=product_id, account=sku.account)
    sku.refresh_from_db()
    return sku


def price_changes_approve(*, change_ids: list[int], actor: str) -> int:
    """Release quarantine-size changes for the next maintenance run; returns how many."""
    from pricing.models import ChangeStatus
    from pricing.selectors import price_changes_held

    return price_changes_held(change_ids=change_ids).update(status=ChangeStatus.PLANNED, approved_by=actor[:150])


@dataclass
class ActivationResult:
    activated: list[Sku] = field(default_factory=list)
    already: int = 0
    refused: list[tuple[Sku, str]] = field(default_factory=list)


def skus_activate(*, product_ids: list[int]) -> ActivationResult:
    """Switch price maintenance on for many SKUs; each refused one keeps its reason."""
    result = ActivationResult()
    for sku in _skus_in_chunks(
        product_ids, "id", "product_id", "offer_id", "name", "available", "mrpc", "front_price", "active"
    ):
        refusal = can_activate(available=sku.available, mrpc=sku.mrpc, front_price=sku.front_price)
        if refusal is not None:
            result.refused.append((sku, refusal_message(refusal)))
        elif sku.active:
            result.already += 1
        else:
            result.activated.append(sku)
    ids = [sku.pk for sku in result.activated]
    with transaction.atomic():
        for start in range(0, len(ids), CHUNK):
            Sku.objects.filter(pk__in=ids[start : start + CHUNK]).update(active=True)
    return result


def skus_deactivate(*, product_ids: list[int]) -> int:
    """Switch price maintenance off; returns how many SKUs were on."""
    ids = list(product_ids)
    with transaction.atomic():
        return sum(
            Sku.objects.filter(product_id__in=ids[start : start + CHUNK], active=True).update(active=False)
            for start in range(0, len(ids), CHUNK)
        )


def _skus_in_chunks(product_ids: list[int], *fields: str) -> Iterator[Sku]:
    """The SKUs of `product_ids`, read CHUNK ids per query (every database's parameter limit allows that)."""
    ids = list(product_ids)
    for start in range(0, len(ids), CHUNK):
        yield from Sku.objects.filter(product_id__in=ids[start : start + CHUNK]).only(*fields).order_by("id")
