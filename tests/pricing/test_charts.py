"""The SKU page's chart: plain SVG from numbers, no script."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal

from pricing.charts import Series, nice_ticks, price_chart_svg

T0 = datetime(2026, 3, 1, 12, tzinfo=UTC)
D = Decimal


def chart(series, **kwargs) -> str:
    return price_chart_svg(
        series,
        title="Prices <ART-1>",
        format_time=lambda t: t.strftime("%d.%m"),
        format_price=lambda v: f"{v:.0f}",
        **kwargs,
    )


def test_ticks_are_round_numbers_covering_the_range():
    assert nice_ticks(930, 1420) == [900, 1000, 1100, 1200, 1300, 1400, 1500]
    assert nice_ticks(0, 0) == [0, 0.2, 0.4, 0.6, 0.8, 1.0]


def test_step_series_become_polylines_and_a_gap_breaks_the_line():
    price = Series("price", "#00f", [(T0, D("1000")), (T0 + timedelta(days=1), D("1100"))])
    old = Series(
        "old",
        "#999",
        [
            (T0, D("1300")),
            (T0 + timedelta(hours=5), None),
            (T0 + timedelta(days=1), D("1400")),
            (T0 + timedelta(days=2), D("1400")),
        ],
    )

    svg = chart([price, old])

    assert svg.count("<polyline") == 3  # price; old before the gap; old after it
    assert svg.startswith("<svg") and svg.endswith("</svg>")
    assert "<script" not in svg


def test_text_is_escaped_and_dots_carry_their_value():
    svg = chart([Series("showcase <b>", "#f80", [(T0, D("990"))], dots=True)])

    assert "Prices &lt;ART-1&gt;" in svg and "showcase &lt;b&gt;" in svg
    assert '<circle class="dot"' in svg and "showcase &lt;b&gt;: 990" in svg


def test_no_values_gives_the_empty_text():
    assert "nothing yet" in chart([Series("price", "#00f", [(T0, None)])], empty_text="nothing yet")
