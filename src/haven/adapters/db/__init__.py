"""Storage on SQLAlchemy 2: SQLite by default, PostgreSQL for scale."""
