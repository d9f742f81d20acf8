"""The price chart of a SKU page as inline SVG, drawn on the server (no script, no CDN).

Pure: series of (time, value) in, SVG markup out. Prices are step lines (a
price holds until the next change); the showcase price is a line of dots,
observations rather than settings.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from html import escape

Point = tuple[datetime, Decimal | None]


@dataclass(frozen=True)
class Series:
    name: str
    color: str
    points: Sequence[Point]
    step: bool = True
    dash: str = ""
    dots: bool = False


@dataclass(frozen=True)
class Frame:
    width: int = 960
    height: int = 280
    left: int = 72
    right: int = 16
    top: int = 16
    bottom: int = 56  # the time axis and the legend


def nice_ticks(low: float, high: float, count: int = 5) -> list[float]:
    """Round tick values covering [low, high]: steps of 1, 2 or 5 times a power of ten."""
    if high <= low:
        high = low + 1
    raw = (high - low) / count
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= raw)
    first = math.floor(low / step) * step
    ticks, value = [round(first, 6)], first
    while value < high:  # the last tick is at or above `high`: every value fits in the frame
        value += step
        ticks.append(round(value, 6))
    return ticks


def price_chart_svg(
    series: Sequence[Series],
    *,
    title: str,
    format_time: Callable[[datetime], str],
    format_price: Callable[[float], str],
    frame: Frame = Frame(),
    empty_text: str = "",
) -> str:
    values = [float(v) for s in series for _t, v in s.points if v is not None]
    times = [t for s in series for t, v in s.points if v is not None]
    width, height = frame.width, frame.height
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="price-chart" viewBox="0 0 {width} {height}" '
        f'role="img" aria-label="{escape(title)}"><title>{escape(title)}</title>'
    )
    if not values:
        return (
            head + f'<text x="{width / 2}" y="{height / 2}" text-anchor="middle" class="empty">'
            f"{escape(empty_text)}</text></svg>"
        )
    t0, t1 = min(times).timestamp(), max(times).timestamp()
    if t1 <= t0:
        t0, t1 = t0 - 3600, t1 + 3600
    ticks = nice_ticks(min(values) * 0.97, max(values) * 1.03)
    low, high = ticks[0], ticks[-1]
    plot_w = width - frame.left - frame.right
    plot_h = height - frame.top - frame.bottom

    def x(t: datetime) -> float:
        return frame.left + (t.timestamp() - t0) / (t1 - t0) * plot_w

    def y(v: Decimal | float) -> float:
        return frame.top + (1 - (float(v) - low) / (high - low)) * plot_h

    parts = [head, '<g class="grid">']
    for tick in ticks:
        parts.append(
            f'<line x1="{frame.left}" x2="{width - frame.right}" y1="{y(tick):.1f}" y2="{y(tick):.1f}"/>'
            f'<text x="{frame.left - 8}" y="{y(tick) + 4:.1f}" text-anchor="end">{escape(format_price(tick))}</text>'
        )
    bottom = frame.top + plot_h
    for i in range(5):
        t = datetime.fromtimestamp(t0 + (t1 - t0) * i / 4, tz=min(times).tzinfo)
        anchor = "start" if i == 0 else "end" if i == 4 else "middle"
        parts.append(f'<text x="{x(t):.1f}" y="{bottom + 18}" text-anchor="{anchor}">{escape(format_time(t))}</text>')
    parts.append("</g>")
    for s in series:
        parts.extend(_series(s, x, y))
    legend_x = frame.left
    for s in series:
        dash = f' stroke-dasharray="{s.dash}"' if s.dash else ""
        line = (
            f'<circle cx="{legend_x + 11}" cy="{height - 12}" r="4" fill="{s.color}"/>'
            if s.dots
            else f'<line x1="{legend_x}" x2="{legend_x + 22}" y1="{height - 12}" y2="{height - 12}" '
            f'stroke="{s.color}" stroke-width="3"{dash}/>'
        )
        parts.append(f'<g class="legend">{line}<text x="{legend_x + 28}" y="{height - 8}">{escape(s.name)}</text></g>')
        legend_x += 40 + 8 * len(s.name)
    parts.append("</svg>")
    return "".join(parts)


def _series(s: Series, x, y) -> list[str]:
    """Polylines for the runs of known values; a None breaks the line (e.g. no crossed-out price)."""
    dash = f' stroke-dasharray="{s.dash}"' if s.dash else ""
    out: list[str] = []
    run: list[tuple[float, float]] = []
    points = sorted(s.points, key=lambda p: p[0])
    if s.dots:
        for t, v in points:
            if v is not None:
                out.append(
                    f'<circle class="dot" cx="{x(t):.1f}" cy="{y(v):.1f}" r="3.5" fill="{s.color}">'
                    f"<title>{escape(s.name)}: {v}</title></circle>"
                )
        return out
    runs = []
    for t, v in points:
        if v is None:
            if run:
                runs.append(run)
            run = []
        else:
            run.append((x(t), y(v)))
    if run:
        runs.append(run)
    for run in runs:
        coords = []
        for i, (px, py) in enumerate(run):
            if s.step and i:
                coords.append(f"{px:.1f},{run[i - 1][1]:.1f}")
            coords.append(f"{px:.1f},{py:.1f}")
        out.append(
            f'<polyline fill="none" stroke="{s.color}" stroke-width="2.5"{dash} '
            f'stroke-linejoin="round" points="{" ".join(coords)}"/>'
        )
    return out
