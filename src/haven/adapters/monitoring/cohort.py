"""Reading a cohort directory: ``DIR/members/<member_id>.csv`` in the generic import format
and ``DIR/episodes.csv`` (``member_id,onset_date,end_date``), the layout ``haven simulate
cohort`` writes and ``haven eval deterioration`` reads (docs/monitoring.md)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import polars as pl

from haven.adapters.monitoring.features import METRIC_TYPE
from haven.domain.monitoring import METRICS

__all__ = ["CohortError", "read_episodes", "read_observations"]

_TIMESTAMP = r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$"
_CSV_SCHEMA = {"timestamp": pl.String, "metric": pl.String, "value": pl.String, "unit": pl.String}


class CohortError(ValueError):
    """The directory or one of its files does not follow the documented format."""


def _problem(frame: pl.DataFrame) -> str | None:
    """The first row that breaks the format, described with its file and line."""
    known = pl.col("metric").is_in(list(METRICS))
    units = pl.col("metric").replace_strict(
        {m.name: m.unit for m in METRICS.values()}, default=None
    )
    low = pl.col("metric").replace_strict({m.name: m.low for m in METRICS.values()}, default=None)
    high = pl.col("metric").replace_strict({m.name: m.high for m in METRICS.values()}, default=None)
    number = pl.col("value").str.strip_chars().cast(pl.Float64, strict=False)
    checks = [
        (~pl.col("timestamp").str.contains(_TIMESTAMP).fill_null(False), "timestamp"),
        (~known.fill_null(False), "metric"),
        (known & (pl.col("unit") != units).fill_null(True), "unit"),
        (number.is_null() | ~number.is_between(low, high).fill_null(False), "value"),
    ]
    for bad, what in checks:
        hit = frame.with_row_index("line", offset=2).filter(bad).head(1)
        if hit.height:
            row = hit.row(0, named=True)
            return (
                f"{Path(row['path']).name} line {row['line']}: bad {what} "
                f"{row[what]!r} (metric {row['metric']!r})"
            )
    return None


def read_observations(directory: Path) -> pl.LazyFrame:
    """Every member file as observations for ``haven.adapters.monitoring.features``.

    The day a row counts for is the local date written in its timestamp (before the UTC
    offset). Raises ``CohortError`` naming the file and line of the first bad row.
    """
    folder = directory / "members"
    files = sorted(folder.glob("*.csv"))
    if not files:
        raise CohortError(f"{folder} holds no member files (<member_id>.csv)")
    frames = []
    for file in files:
        try:
            frame = pl.read_csv(file, schema=_CSV_SCHEMA).with_columns(
                path=pl.lit(str(file)), member_id=pl.lit(file.stem)
            )
        except (pl.exceptions.PolarsError, OSError) as error:
            raise CohortError(f"{file.name}: {error}") from error
        frames.append(frame)
    rows = pl.concat(frames)
    problem = _problem(rows)
    if problem is not None:
        raise CohortError(problem)
    return rows.lazy().select(
        "member_id",
        local=pl.col("timestamp")
        .str.slice(0, 19)
        .str.to_datetime("%Y-%m-%dT%H:%M:%S", strict=False, time_unit="us")
        .fill_null(
            pl.col("timestamp").str.slice(0, 16).str.to_datetime("%Y-%m-%dT%H:%M", time_unit="us")
        ),
        metric=pl.col("metric").cast(METRIC_TYPE),
        value=pl.col("value").str.strip_chars().cast(pl.Float64),
    )


def read_episodes(directory: Path) -> list[tuple[str, date, date]]:
    """``episodes.csv`` as (member_id, onset, end); an empty list where the file is absent."""
    path = directory / "episodes.csv"
    if not path.exists():
        return []
    try:
        frame = pl.read_csv(
            path, schema={"member_id": pl.String, "onset_date": pl.Date, "end_date": pl.Date}
        )
    except pl.exceptions.PolarsError as error:
        raise CohortError(f"episodes.csv: {error}") from error
    if frame.null_count().sum_horizontal().item():
        raise CohortError("episodes.csv: every row needs member_id, onset_date and end_date")
    return [(str(m), o, e) for m, o, e in frame.iter_rows()]
