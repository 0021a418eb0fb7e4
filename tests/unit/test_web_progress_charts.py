"""The progress page's chart specifications: data plotly.js draws, checked without a browser."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from itertools import pairwise

from haven.content import instruments
from haven.web.pages.progress_charts import date_format, mood_chart, score_chart

WHEN = datetime(2026, 3, 1, 9, 30, tzinfo=UTC)


def _chart(instrument_id: str, totals: list[int]) -> dict[str, object]:
    instrument = instruments()[instrument_id]
    return score_chart(
        instrument=instrument,
        points=[(WHEN + timedelta(days=14 * n), total) for n, total in enumerate(totals)],
        title="t",
        y_title="Score",
        band_label=lambda code: code.upper(),
    )


def test_score_bands_are_labelled_strips_that_cover_every_possible_total() -> None:
    chart = _chart("phq9", [16, 11, 7])
    layout = chart["layout"]
    assert isinstance(layout, dict)
    strips = sorted((s["y0"], s["y1"]) for s in layout["shapes"])
    assert strips[0][0] == -0.5
    assert strips[-1][1] == 27.5
    assert all(a[1] == b[0] for a, b in pairwise(strips))
    assert [a["text"] for a in layout["annotations"]] == [
        "MINIMAL",
        "MILD",
        "MODERATE",
        "MODERATELY_SEVERE",
        "SEVERE",
    ]


def test_the_calmest_colour_sits_on_the_healthy_end_whichever_way_the_scale_runs() -> None:
    phq9 = _chart("phq9", [5])["layout"]
    who5 = _chart("who5", [60])["layout"]
    assert isinstance(phq9, dict)
    assert isinstance(who5, dict)
    lowest_phq9 = min(phq9["shapes"], key=lambda s: s["y0"])["fillcolor"]
    highest_who5 = max(who5["shapes"], key=lambda s: s["y0"])["fillcolor"]
    assert lowest_phq9 == highest_who5


def test_times_reach_plotly_in_utc_without_a_zone_and_a_lone_point_gets_a_padded_axis() -> None:
    chart = _chart("gad7", [9])
    trace = chart["data"][0]  # type: ignore[index]
    assert trace["x"] == ["2026-03-01 09:30:00"]
    assert chart["layout"]["xaxis"]["range"] == [  # type: ignore[index]
        "2026-02-26 09:30:00",
        "2026-03-04 09:30:00",
    ]


def test_a_chart_is_plain_json_with_no_share_button() -> None:
    chart = mood_chart(
        days=[(date(2026, 3, 1), 4.5), (date(2026, 3, 2), 6.0)],
        title="Mood",
        y_title="Mood",
        low="very low",
        high="very good",
        dates=date_format("es"),
    )
    text = json.dumps(chart)
    assert "sendChartToCloud" in chart["layout"]["modebar"]["remove"]  # type: ignore[index]
    assert "%d/%m/%Y" in text
    assert date_format("en") == "%-d %b %Y"
