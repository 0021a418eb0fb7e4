"""Chart specifications for the progress page: plotly.js figures as plain data, which the
page embeds as JSON and ``haven.js`` draws. No JavaScript is generated here.

A questionnaire's totals are drawn over its severity bands, shaded from the calmest band to
the most severe (reversed for scales where higher is better, such as the WHO-5), so a member
sees at a glance which band each score fell in. Mood is drawn on its 0-10 scale.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime, timedelta
from typing import Any

from haven.domain.instruments import Instrument

__all__ = ["date_format", "mood_chart", "score_chart"]

Figure = dict[str, Any]

# From calm to severe; light enough that the line and labels keep AA contrast over them.
_BAND_COLOURS = ("#dcefe3", "#eaf3d6", "#fbf1cf", "#fbe3cc", "#f7d6d3")
_LINE = "#235457"
_INK = "#1d2433"
_MUTED = "#4a4f5a"


# plotly.js is served without its locale files, so month names would stay English: other
# languages get day/month/year in figures.
_DATE_FORMATS = {"en": "%-d %b %Y"}
_NUMERIC_DATE = "%d/%m/%Y"
_MODEBAR_REMOVED = (
    "sendChartToCloud",
    "select2d",
    "lasso2d",
    "zoom2d",
    "pan2d",
    "zoomIn2d",
    "zoomOut2d",
    "autoScale2d",
    "resetScale2d",
)
# A lone point would otherwise get an axis measured in milliseconds.
_PAD = timedelta(days=3)


def date_format(locale: str) -> str:
    """The d3 time format for dates on axes and in tooltips, in ``locale``."""
    return _DATE_FORMATS.get(locale, _NUMERIC_DATE)


def _plotly_date(moment: date) -> str:
    """plotly.js reads dates without a time zone: times are given in UTC, as stored."""
    if isinstance(moment, datetime):
        if moment.tzinfo is not None:
            moment = moment.astimezone(UTC).replace(tzinfo=None)
        return moment.isoformat(sep=" ", timespec="seconds")
    return moment.isoformat()


def _x_range(moments: Sequence[date]) -> list[str]:
    return [_plotly_date(min(moments) - _PAD), _plotly_date(max(moments) + _PAD)]


def _band_colours(count: int, *, higher_is_worse: bool) -> list[str]:
    if count <= 1:
        return [_BAND_COLOURS[0]] * count
    last = len(_BAND_COLOURS) - 1
    picked = [_BAND_COLOURS[round(i * last / (count - 1))] for i in range(count)]
    return picked if higher_is_worse else picked[::-1]


def _layout(
    *,
    title: str,
    y_title: str,
    y_range: tuple[float, float],
    x_range: list[str],
    dates: str,
) -> Figure:
    return {
        "title": {"text": title, "font": {"size": 15}},
        "height": 340,
        "margin": {"l": 48, "r": 12, "t": 40, "b": 44},
        "showlegend": False,
        "paper_bgcolor": "#ffffff",
        "plot_bgcolor": "#ffffff",
        "font": {"family": "system-ui, sans-serif", "color": _INK, "size": 13},
        "xaxis": {
            "type": "date",
            "range": x_range,
            "tickformat": dates,
            "nticks": 6,
            "fixedrange": True,
            "gridcolor": "#ece9e3",
        },
        "yaxis": {
            "title": {"text": y_title},
            "range": list(y_range),
            "fixedrange": True,
            "zeroline": False,
            "gridcolor": "#ece9e3",
        },
        "hovermode": "closest",
        # Only "download as PNG" is useful here; "share" would upload the member's scores to
        # Plotly's cloud, and selection tools mean nothing on a fixed line of scores.
        "modebar": {"remove": list(_MODEBAR_REMOVED)},
    }


def score_chart(
    *,
    instrument: Instrument,
    points: Sequence[tuple[datetime, int]],
    title: str,
    y_title: str,
    band_label: Callable[[str], str],
    dates: str = _NUMERIC_DATE,
) -> Figure:
    """Totals over time (``points``: when, total) against the instrument's severity bands,
    each band a shaded strip labelled with ``band_label(code)``."""
    low, high = instrument.total_range
    higher_is_worse = instrument.change.higher_is_worse if instrument.change else True
    bands = sorted(instrument.bands, key=lambda band: band.min)
    colours = _band_colours(len(bands), higher_is_worse=higher_is_worse)
    # Bands hold whole-number totals, so each strip reaches half a point either side.
    shapes = [
        {
            "type": "rect",
            "xref": "paper",
            "x0": 0,
            "x1": 1,
            "yref": "y",
            "y0": max(band.min - 0.5, low - 0.5),
            "y1": min(band.max + 0.5, high + 0.5),
            "fillcolor": colour,
            "line": {"width": 0},
            "layer": "below",
        }
        for band, colour in zip(bands, colours, strict=True)
    ]
    annotations = [
        {
            "xref": "paper",
            "x": 0.01,
            "xanchor": "left",
            "yref": "y",
            "y": (band.min + band.max) / 2,
            "yanchor": "middle",
            "text": band_label(band.code),
            "showarrow": False,
            "font": {"size": 11, "color": _MUTED},
        }
        for band in bands
    ]
    layout = _layout(
        title=title,
        y_title=y_title,
        y_range=(low - 0.5, high + 0.5),
        x_range=_x_range([at for at, _ in points]),
        dates=dates,
    )
    layout["shapes"] = shapes
    layout["annotations"] = annotations
    return {
        "data": [
            {
                "type": "scatter",
                "mode": "lines+markers",
                "name": instrument.short_name,
                "x": [_plotly_date(at) for at, _ in points],
                "y": [total for _, total in points],
                "line": {"color": _LINE, "width": 3},
                "marker": {"size": 9, "color": _LINE},
                "hovertemplate": f"%{{x|{dates}}}: %{{y}}<extra></extra>",
            }
        ],
        "layout": layout,
    }


def mood_chart(
    *,
    days: Sequence[tuple[date, float]],
    title: str,
    y_title: str,
    low: str,
    high: str,
    dates: str = _NUMERIC_DATE,
) -> Figure:
    """Daily mean mood (0 worst to 10 best) over time, the scale's ends named."""
    layout = _layout(
        title=title,
        y_title=y_title,
        y_range=(-0.5, 10.5),
        x_range=_x_range([day for day, _ in days]),
        dates=dates,
    )
    layout["yaxis"]["tickvals"] = [0, 5, 10]
    layout["annotations"] = [
        {
            "xref": "paper",
            "x": 0.01,
            "xanchor": "left",
            "yref": "y",
            "y": value,
            "yanchor": anchor,
            "text": text,
            "showarrow": False,
            "font": {"size": 11, "color": _MUTED},
        }
        for value, anchor, text in ((0, "bottom", low), (10, "top", high))
    ]
    return {
        "data": [
            {
                "type": "scatter",
                "mode": "lines+markers",
                "x": [_plotly_date(day) for day, _ in days],
                "y": [mean for _, mean in days],
                "line": {"color": _LINE, "width": 2},
                "marker": {"size": 6, "color": _LINE},
                "hovertemplate": f"%{{x|{dates}}}: %{{y}}<extra></extra>",
            }
        ],
        "layout": layout,
    }
