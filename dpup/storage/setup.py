"""Creating and upgrading the database, always through the Alembic migrations."""

from pathlib import Path

from flask_migrate import upgrade

MIGRATIONS_DIR = str(Path(__file__).resolve().parent.parent / "migrations")


def upgrade_database() -> None:
    """Apply every migration not yet applied (creates a new SQLite file on first start)."""
    upgrade(directory=MIGRATIONS_DIR)
