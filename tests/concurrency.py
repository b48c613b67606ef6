"""Real concurrent requests: several test clients, each in its own thread, released together by a
threading.Barrier, against an app whose database several connections can share at once (a SQLite
file, or the PostgreSQL test database). In-memory SQLite cannot serve: every thread would share its
one connection, and with it one transaction.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest

from dpup.storage.db import db
from tests.conftest import TEST_CONTENT, TEST_TREES, make_app
from tests.database import migrated_database_url, migrated_sqlite_file, on_postgresql

BURST_TIMEOUT = 60  # seconds a thread may wait at the barrier: a hang fails the test instead


@pytest.fixture
def shared_app(tmp_path):
    url = migrated_database_url() if on_postgresql() else migrated_sqlite_file(tmp_path / "shared.sqlite")
    # Enough connections for every thread of a burst at once, so that they really overlap.
    app = make_app(tmp_path, SQLALCHEMY_DATABASE_URI=url, TREES_DIR=str(TEST_TREES), CONTENT_DIR=str(TEST_CONTENT),
                   SQLALCHEMY_ENGINE_OPTIONS={"pool_size": 50, "max_overflow": 0, "pool_timeout": BURST_TIMEOUT})
    yield app
    with app.app_context():
        db.engine.dispose()


def burst(count: int, prepare: Callable[[int], object], fire: Callable[[int, object], object]) -> list:
    """Run ``prepare(i)`` in each of ``count`` threads (getting a form and its CSRF token, say), then
    ``fire(i, prepared)`` in all of them at the same moment; the results, in thread order. An
    exception in any thread fails the test."""
    barrier = threading.Barrier(count, timeout=BURST_TIMEOUT)
    results: list = [None] * count
    errors: list = []

    def run(i: int) -> None:
        try:
            prepared = prepare(i)
            barrier.wait()
            results[i] = fire(i, prepared)
        except BaseException as exc:  # noqa: BLE001 (reported by the test below)
            errors.append(exc)
            barrier.abort()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(BURST_TIMEOUT * 2)
    assert not errors, errors
    return results
