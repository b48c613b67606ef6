"""SQLite as several gunicorn workers share it: every connection waits for a busy database rather
than failing with "database is locked", and the file uses write-ahead logging, so readers never
wait for a writer (benchmarks/durability.py checks both under load and kill -9)."""

from sqlalchemy import text

from dpup.storage.db import SQLITE_BUSY_TIMEOUT_MS, db
from tests.conftest import TEST_CONTENT, TEST_TREES, make_app


def test_sqlite_file_uses_wal_and_a_busy_timeout(tmp_path):
    app = make_app(tmp_path, SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'shared.sqlite'}",
                   TREES_DIR=str(TEST_TREES), CONTENT_DIR=str(TEST_CONTENT))
    with app.app_context():
        try:
            with db.engine.connect() as first, db.engine.connect() as second:
                for conn in (first, second):
                    assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
                    assert conn.execute(text("PRAGMA busy_timeout")).scalar() == SQLITE_BUSY_TIMEOUT_MS
        finally:
            db.engine.dispose()
