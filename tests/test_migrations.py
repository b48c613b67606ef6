"""The migrations produce exactly the models' schema, on SQLite and on PostgreSQL (TEST_DATABASE_URL).

This module's ``app`` fixture runs every migration into an empty database (other tests get a copy of
one migrated at the start of the session); Alembic's autogenerate comparison against the models'
metadata must then find nothing to do. A model changed without a migration (or a migration that
differs from its model) fails here with the differences listed.
"""

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, text
from sqlalchemy.exc import IntegrityError

import dpup.storage.models  # noqa: F401  (every model registered on the metadata)
from dpup.storage.db import db
from dpup.storage.models import AnswerRecord
from dpup.storage.setup import MIGRATIONS_DIR, upgrade_database
from dpup.web.app import create_app
from tests.conftest import TEST_CONTENT, TEST_TREES, make_app


@pytest.fixture
def app(tmp_path):
    """Every migration, run by this test into an empty database (not the session's migrated copy)."""
    app = make_app(tmp_path, run_migrations=True, TREES_DIR=str(TEST_TREES), CONTENT_DIR=str(TEST_CONTENT))
    yield app
    with app.app_context():
        db.engine.dispose()


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


def test_a_row_that_points_at_nothing_is_refused(app):
    """Foreign keys hold on SQLite as on PostgreSQL (SQLite checks them only when asked)."""
    with app.app_context():
        db.session.add(AnswerRecord(assessment_id=987654, tree_id="journey", node_id="purpose", value="yes"))
        with pytest.raises(IntegrityError):
            db.session.commit()
        db.session.rollback()


def test_upgrading_a_database_with_answers_keeps_every_answer(tmp_path):
    """SQLite migrations rebuild tables; with foreign keys on, that must not cascade-delete answers."""
    app = create_app({"TESTING": True, "SECRET_KEY": "x", "TREES_DIR": str(TEST_TREES),
                      "CONTENT_DIR": str(TEST_CONTENT), "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'old.sqlite'}"})
    with app.app_context():
        upgrade(directory=MIGRATIONS_DIR, revision="ece2f3e70f9e")  # before the assessment table was rebuilt
        with db.engine.begin() as conn:
            conn.execute(text("INSERT INTO organisation (id, public_id, name, public_checklists, created_at) "
                              "VALUES (1, 'org1', 'Trust', 0, '2026-01-01')"))
            conn.execute(text("INSERT INTO tree_version (content_hash, tree_id, path, source, created_at) "
                              "VALUES ('h1', 'journey', 'journey.yaml', 'id: journey', '2026-01-01')"))
            conn.execute(text("INSERT INTO assessment (id, public_id, organisation_id, organisation_name, initiative, "
                              "description, created_at, updated_at, version, status, review_comment, signed_off_by, "
                              "signed_off_role, revision) VALUES (1, 'a1', 1, 'Trust', 'Kept', '', '2026-01-01', "
                              "'2026-01-01', 1, 'draft', '', '', '', 1)"))
            conn.execute(text("INSERT INTO assessment_tree (assessment_id, tree_id, content_hash, position) "
                              "VALUES (1, 'journey', 'h1', 0)"))
            for node in ("purpose", "personal", "matching"):
                conn.execute(text("INSERT INTO answer (assessment_id, tree_id, node_id, value, note, reason, "
                                  "action_owner, action_due, updated_at) VALUES (1, 'journey', :node, '\"yes\"', "
                                  "'', '', '', '', '2026-01-01')"), {"node": node})
        upgrade_database()
        with db.engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM answer")).scalar() == 3
            assert conn.execute(text("SELECT count(*) FROM assessment_tree")).scalar() == 1
            assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1  # on again for the app
        db.engine.dispose()
