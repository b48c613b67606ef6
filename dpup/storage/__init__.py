"""Storage: SQLAlchemy models and the queries the web and report layers need."""
