"""How the sandbox judges one item of `/v1/product/import/prices`, as Ozon does.

Deliberately independent of the project's `pricing.rules`: the sandbox reads
Ozon's documented rules (docs/ozon-api.md §4, the Errors tag of the OpenAPI)
on its own, so the two check each other. Where Ozon's sources disagree, the
sandbox takes one reading and keeps it:

* `old_price` "0" resets the crossed-out price; any other `old_price` must be
  greater than `price` (`old_price_less_than_price`);
* the gap `old_price − price` must be **more than** 20 RUB when price ≤ 400,
  more than 5 % of `old_price` when 400 < price ≤ 10 000, more than 500 RUB
  above 10 000 (`discount_for_{low,average,top}_price_is_too_small`), and
  less than 90 % of `old_price` (`discount_too_big`);
* `min_price` may not exceed `price` (`price_less_than_min_auto_price`).

Money comes as strings with a decimal point and up to two decimals; anything
else is `invalid_price`, a minus sign is `price_negative`.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from ozonprice.sandbox.products import DemoProduct
from ozonprice.sandbox.routing import invalid_argument

ZERO = Decimal(0)
LOW_TIER_MAX, TOP_TIER_MIN = Decimal(400), Decimal(10_000)
LOW_TIER_GAP, TOP_TIER_GAP = Decimal(20), Decimal(500)
MID_TIER_SHARE, MAX_GAP_SHARE = Decimal("0.05"), Decimal("0.9")

MONEY_FIELDS = ("price", "old_price", "min_price", "net_price")
ENUM_FLAGS = ("auto_action_enabled", "auto_add_to_ozon_actions_list_enabled", "price_strategy_enabled")
ENUM_VALUES = frozenset({"UNKNOWN", "ENABLED", "DISABLED"})
BOOL_FLAGS = ("min_price_for_auto_actions_enabled", "manage_elastic_boosting_through_price")
CURRENCIES = frozenset({"RUB", "BYN", "KZT", "EUR", "USD", "CNY"})
VATS = {Decimal(v): v for v in ("0", "0.05", "0.07", "0.1", "0.2", "0.22")}

_MONEY = re.compile(r"-?\d+(\.\d{1,2})?")


def error(code: str, message: str) -> dict[str, str]:
    return {"code": code, "message": message}


def check_request_item(item: Any, position: int) -> None:
    """What protobuf would refuse for the whole request (400): wrong types, unknown enum values."""
    where = f"prices[{position}]"
    if not isinstance(item, dict):
        raise invalid_argument(f"{where}: expected an object")
    product_id = item.get("product_id")
    if product_id is not None and not (type(product_id) is int or (type(product_id) is str and product_id.isdigit())):
        raise invalid_argument(f"{where}.product_id: invalid value {product_id!r}")
    for name in ("offer_id", "currency_code", "vat"):
        if item.get(name) is not None and not isinstance(item[name], str):
            raise invalid_argument(f"{where}.{name}: expected a string")
    for name in ENUM_FLAGS:
        if item.get(name) is not None and item[name] not in ENUM_VALUES:
            raise invalid_argument(
                f"{where}.{name}: invalid value {item[name]!r}; expected one of {sorted(ENUM_VALUES)}"
            )
    for name in BOOL_FLAGS:
        if item.get(name) is not None and not isinstance(item[name], bool):
            raise invalid_argument(f"{where}.{name}: expected true or false")


def _money(item: dict[str, Any], name: str) -> tuple[Decimal | None, dict[str, str] | None]:
    """(value, None), (None, None) when absent or empty, or (None, error)."""
    raw = item.get(name)
    if raw is None or raw == "":
        return None, None
    if not isinstance(raw, str) or not _MONEY.fullmatch(raw.strip()):
        return None, error(
            "invalid_price", f"{name}: invalid value {raw!r}: a string with a decimal point and up to two decimals"
        )
    value = Decimal(raw.strip())
    if value < ZERO:
        return None, error("price_negative", f"{name} must not be negative, got {raw}")
    return value, None


def check_item(item: dict[str, Any], current: DemoProduct) -> tuple[dict[str, Any], list[dict[str, str]]]:
    """The catalogue changes an accepted item makes, and the item's errors (none = accepted)."""
    values: dict[str, Decimal] = {}
    errors = []
    for name in MONEY_FIELDS:
        value, problem = _money(item, name)
        if problem:
            errors.append(problem)
        elif value is not None:
            values[name] = value
    if errors:
        return {}, errors
    price = values.get("price", current.price)
    old_price = values.get("old_price", current.old_price)
    min_price = values.get("min_price", current.min_price)
    if price == ZERO:
        errors.append(error("invalid_price", "price must be greater than zero"))
    elif old_price > ZERO:
        errors.extend(_gap_errors(price, old_price))
    if min_price > price:
        errors.append(
            error("price_less_than_min_auto_price", f"price {price} must not be less than min_price {min_price}")
        )
    errors.extend(_other_errors(item, current))
    if errors:
        return {}, errors
    changes: dict[str, Any] = dict(values)
    if item.get("currency_code"):
        changes["currency_code"] = item["currency_code"]
    if item.get("vat"):
        changes["vat"] = VATS[Decimal(item["vat"])]
    for name in ("auto_action_enabled", "auto_add_to_ozon_actions_list_enabled"):
        if item.get(name) in ("ENABLED", "DISABLED"):
            changes[name] = item[name] == "ENABLED"
    return changes, []


def _gap_errors(price: Decimal, old_price: Decimal) -> list[dict[str, str]]:
    if old_price <= price:
        return [error("old_price_less_than_price", f"old_price {old_price} must be greater than price {price}")]
    gap = old_price - price
    errors = []
    if price <= LOW_TIER_MAX:
        if gap <= LOW_TIER_GAP:
            errors.append(
                error(
                    "discount_for_low_price_is_too_small",
                    f"when price is 400 or less, old_price must exceed it by more than 20 RUB (gap {gap})",
                )
            )
    elif price <= TOP_TIER_MIN:
        if gap <= MID_TIER_SHARE * old_price:
            errors.append(
                error(
                    "discount_for_average_price_is_too_small",
                    f"when price is from 400 to 10000, the gap to old_price must be more than 5% of old_price (gap {gap})",
                )
            )
    elif gap <= TOP_TIER_GAP:
        errors.append(
            error(
                "discount_for_top_price_is_too_small",
                f"when price is over 10000, old_price must exceed it by more than 500 RUB (gap {gap})",
            )
        )
    if gap >= MAX_GAP_SHARE * old_price:
        errors.append(error("discount_too_big", f"the discount must be less than 90% of old_price (gap {gap})"))
    return errors


def _other_errors(item: dict[str, Any], current: DemoProduct) -> list[dict[str, str]]:
    errors = []
    currency = item.get("currency_code")
    if currency and currency not in CURRENCIES:
        errors.append(error("invalid_currency_code", f"currency_code {currency!r} is not one of {sorted(CURRENCIES)}"))
    elif currency and currency != current.currency_code:
        errors.append(
            error(
                "invalid_currency_code",
                f"currency_code {currency} does not match the account's currency {current.currency_code}",
            )
        )
    vat = item.get("vat")
    if vat:
        try:
            known = Decimal(vat) in VATS
        except (ArithmeticError, TypeError):  # not a number; a signalling NaN cannot be hashed
            known = False
        if not known:
            errors.append(error("invalid_vat", f"vat {vat!r} is not one of {', '.join(VATS.values())}"))
    return errors
