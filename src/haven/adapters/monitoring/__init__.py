"""Monitoring adapters: daily features and the deterioration detector in polars, the cohort
directory reader, the cohort simulator and the evaluation (docs/monitoring.md)."""
