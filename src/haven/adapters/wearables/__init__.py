"""Wearable file parsers: Apple Health, Fitbit, Google Fit and the generic CSV, recognised
and read by ``files.read_wearable_file`` (docs/monitoring.md, "Importing wearable data")."""
