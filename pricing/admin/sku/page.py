"""The SKU page's extras: the price chart, the history, open changes and "why this price"."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django.db.models import F
from django.utils import formats, timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from catalog.models import Sku
from ozonprice.accounts import account_resolve
from ozonprice.models import ShowcaseSource
from pricing.charts import Series, price_chart_svg
from pricing.models import OPEN_STATUSES, PriceChange, PriceHistory, Reason
from pricing.rules import can_activate, showcase_hold_cap
from pricing.services.edits import refusal_message, targets_check
from pricing.services.hold import EXACT_SOURCES, showcase_hold_on

# History rows on the chart and in the table.
HISTORY_ROWS = 100
COLORS = {"price": "#1565c0", "old_price": "#9e9e9e", "showcase": "#ef6c00", "mrpc": "#2e7d32"}


def _money(value) -> str:
    return formats.number_format(value, 0, use_l10n=True, force_grouping=True) + " ₽"


def _percent(value: Decimal) -> str:
    """A percentage to one decimal, without a trailing ",0"."""
    value = value.quantize(Decimal("0.1"), ROUND_HALF_UP)
    return formats.number_format(value, 0 if value == value.to_integral_value() else 1, use_l10n=True)


def price_chart(sku: Sku, history: list[PriceHistory]) -> str:
    """Price, crossed-out price, showcase and MRPC over time, oldest first, ending now."""
    rows = sorted(history, key=lambda h: (h.timestamp, h.id))
    now = timezone.now()
    price, old, showcase, mrpc = [], [], [], []

    def crossed(value):
        return value if value else None  # 0 means "no crossed-out price": a gap, not a line at zero

    if rows:
        first = rows[0]
        price.append((first.timestamp, first.price_before))
        old.append((first.timestamp, crossed(first.old_price_before)))
    for row in rows:
        price.append((row.timestamp, row.new_price))
        old.append((row.timestamp, crossed(row.new_old_price)))
        mrpc.append((row.timestamp, row.mrpc))
        showcase.append((row.timestamp, row.showcase_price))
    start = rows[0].timestamp if rows else (sku.synced_at or now)
    if not rows:
        price.append((start, sku.price))
        old.append((start, crossed(sku.old_price)))
        mrpc.append((start, sku.mrpc))
    price.append((now, sku.price))
    old.append((now, crossed(sku.old_price)))
    mrpc.append((now, sku.mrpc))
    if sku.front_price is not None:
        showcase.append((sku.front_price_timestamp or now, sku.front_price))
    # Drawn in this order: MRPC's dashes stay visible on top of a price that equals it.
    series = [
        Series(_("Crossed-out price"), COLORS["old_price"], old, dash="3 4"),
        Series(_("Price on Ozon"), COLORS["price"], price),
        Series(_("MRPC"), COLORS["mrpc"], mrpc, dash="8 6"),
        Series(_("Showcase price"), COLORS["showcase"], showcase, dots=True),
    ]
    svg = price_chart_svg(
        series,
        title=_("Prices of %(sku)s over time") % {"sku": sku.offer_id},
        format_time=lambda t: formats.date_format(timezone.localtime(t), "d.m H:i"),
        format_price=lambda v: formats.number_format(Decimal(str(v)), 0, use_l10n=True, force_grouping=True),
        empty_text=_("No prices yet"),
    )
    return mark_safe(svg)  # noqa: S308 - built from numbers and escaped text only (pricing.charts)


def why_this_price(sku: Sku) -> list[str]:
    """One sentence per fact a manager needs to read the SKU's prices."""
    lines = []
    if not sku.mrpc:
        lines.append(_("No MRPC: ozonprice does not set this product's price."))
    else:
        try:
            targets = targets_check(sku.mrpc, sku.discount)
        except ValueError as error:
            targets = None
            lines.append(_("The discount cannot be shown: %(error)s") % {"error": error})
        if targets is not None:
            if targets.old_price:
                lines.append(
                    _(
                        "Rule: price = MRPC %(mrpc)s; crossed-out price = MRPC / (1 − %(discount)s %%) = %(old)s; "
                        "buyers see −%(shown)s %%."
                    )
                    % {
                        "mrpc": _money(targets.price),
                        "discount": formats.number_format(sku.discount, use_l10n=True),
                        "old": _money(targets.old_price),
                        "shown": targets.shown_discount(),
                    }
                )
            else:
                lines.append(
                    _("Rule: price = MRPC %(mrpc)s, no discount: no crossed-out price.")
                    % {"mrpc": _money(targets.price)}
                )
    if sku.front_price is not None:
        source = (
            ShowcaseSource(sku.front_price_source).label
            if sku.front_price_source in ShowcaseSource.values
            else sku.front_price_source or "—"
        )
        when = (
            formats.date_format(timezone.localtime(sku.front_price_timestamp), "DATETIME_FORMAT")
            if sku.front_price_timestamp
            else "—"
        )
        line = _("Showcase: %(price)s from «%(source)s», %(when)s.") % {
            "price": _money(sku.front_price),
            "source": source,
            "when": when,
        }
        if sku.mrpc and sku.front_price < sku.mrpc:
            line += " " + _("That is %(gap)s below MRPC.") % {"gap": _money(sku.mrpc - sku.front_price)}
        lines.append(line)
    else:
        lines.append(_("No showcase price yet."))
    lines.extend(showcase_hold_lines(sku))
    if sku.active:
        lines.append(_("Price maintenance is on: ozonprice holds these prices on Ozon."))
    else:
        refusal = can_activate(available=sku.available, mrpc=sku.mrpc, front_price=sku.front_price)
        lines.append(
            _("Price maintenance is off.")
            + (
                " " + _("It cannot be switched on: %(reason)s.") % {"reason": refusal_message(refusal)}
                if refusal
                else ""
            )
        )
    return lines


def showcase_hold_lines(sku: Sku) -> list[str]:
    """What the showcase hold does for this SKU: nothing to say when it is off and the price is MRPC.

    The hold's switch, bound and showcase source are the SKU's account's.
    """
    account = sku.account if sku.account_id is not None else account_resolve()
    if not sku.mrpc or not showcase_hold_on(sku, default=account.showcase_hold):
        return []
    origin = _("set for this SKU") if sku.showcase_hold is not None else _("the account's setting")
    cap = showcase_hold_cap(sku.mrpc, account.showcase_max_uplift)
    bound = {"max": _percent(account.showcase_max_uplift), "cap": _money(cap)}
    if account.showcase_source not in EXACT_SOURCES:
        return [
            _(
                "Showcase hold is on (%(origin)s), but the showcase source «%(source)s» is only an upper bound of "
                "what buyers see: the hold acts only on an exact source, so MRPC is held."
            )
            % {"origin": origin, "source": ShowcaseSource(account.showcase_source).label}
        ]
    if sku.price is None or sku.price <= sku.mrpc:
        return [
            _(
                "Showcase hold is on (%(origin)s): if a marketplace discount pulls the showcase under MRPC, "
                "the price is raised so that buyers see MRPC, by at most %(max)s %% (to %(cap)s)."
            )
            % {"origin": origin, **bound}
        ]
    raise_row = (
        PriceHistory.objects.filter(sku=sku, reason=Reason.SHOWCASE_HOLD, new_price__gt=F("price_before"))
        .order_by("-timestamp", "-id")
        .first()
    )
    seen = raise_row.showcase_price if raise_row is not None and raise_row.showcase_price is not None else None
    line = _(
        "Showcase hold (%(origin)s): the showcase showed %(seen)s, under MRPC %(mrpc)s, so the price is "
        "raised by %(uplift)s %% to %(price)s (price × MRPC / showcase, rounded up); it never goes above "
        "MRPC + %(max)s %% = %(cap)s."
    ) % {
        "origin": origin,
        "seen": _money(seen) if seen is not None else "—",
        "mrpc": _money(sku.mrpc),
        "uplift": _percent((sku.price / sku.mrpc - 1) * 100),
        "price": _money(sku.price),
        **bound,
    }
    if sku.price >= cap:
        line += " " + _("The raise is at its bound: the showcase may still be under MRPC.")
    return [line, _("When the marketplace discount ends, the price steps back down to MRPC.")]


def sku_page_context(sku: Sku) -> dict:
    history = list(PriceHistory.objects.filter(sku=sku).order_by("-timestamp", "-id")[:HISTORY_ROWS])
    return {
        "price_chart": price_chart(sku, history),
        "price_history": history,
        "open_changes": list(PriceChange.objects.filter(sku=sku, status__in=OPEN_STATUSES).order_by("-created_at")),
        "last_changes": list(
            PriceChange.objects.filter(sku=sku).exclude(status__in=OPEN_STATUSES).order_by("-created_at")[:10]
        ),
        "why_this_price": why_this_price(sku),
    }
