"""The migrations produce exactly the models' schema, on SQLite and on PostgreSQL (TEST_DATABASE_URL).

The ``app`` fixture has already run every migration into an empty database; Alembic's autogenerate
comparison against the models' metadata must then find nothing to do. A model changed without a
migration (or a migration that differs from its model) fails here with the differences listed.
"""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade
from sqlalchemy import inspect

import dpup.storage.models  # noqa: F401  (every model registered on the metadata)
from dpup.storage.db import db
from dpup.storage.setup import MIGRATIONS_DIR, upgrade_database


def schema_differences() -> list:
    with db.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        return compare_metadata(context, db.metadata)


def test_migrations_match_the_models(app):
    with app.app_context():
        differences = schema_differences()
    assert differences == [], "migrations and models differ (run `flask db migrate`):\n" + "\n".join(
        map(repr, differences))


def test_every_model_table_is_created_by_the_migrations(app):
    with app.app_context():
        tables = set(inspect(db.engine).get_table_names())
    assert set(db.metadata.tables) <= tables
    assert "alembic_version" in tables


def test_downgrade_to_nothing_and_upgrade_again(app):
    with app.app_context():
        downgrade(directory=MIGRATIONS_DIR, revision="base")
        assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}
        upgrade_database()
        assert schema_differences() == []
