"""Which database the tests use: in-memory SQLite, or PostgreSQL when TEST_DATABASE_URL is set.

``TEST_DATABASE_URL`` names a PostgreSQL database the tests may wipe (``.ci/postgres start`` makes
one), on a server where they may create and drop databases of their own.

Every migration runs once per test session, into a database kept as a template; each test then
gets a fresh copy of it: on PostgreSQL a new database made with ``CREATE DATABASE ... TEMPLATE``
and dropped after the test, on SQLite an in-memory database (or a file, for tests that share one
between connections) the template is copied into with SQLite's backup API. A copy is exactly what
the migrations built, and takes milliseconds where running them took about a second a test.
tests/test_migrations.py still runs every migration into an empty database (``clean_database_url``)
on each run, on both databases.

Browser tests use a schema of their own in the ``TEST_DATABASE_URL`` database (through
``search_path``), so a test that wipes ``public`` never touches the live server's data.
"""

from __future__ import annotations

import itertools
import os
import sqlite3
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool

from dpup.storage.db import driver_url

TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL", "").strip()
TEST_DATA = Path(__file__).resolve().parent / "data"

_sqlite_template: sqlite3.Connection | None = None  # migrated, in memory (also for SQLite files in PostgreSQL runs)
_postgresql_template: str | None = None  # the migrated database's name
_copies: list[str] = []  # PostgreSQL databases made for the current test
_numbers = itertools.count(1)


def on_postgresql() -> bool:
    return bool(TEST_DATABASE_URL)


def clean_database_url(schema: str = "public") -> str:
    """A URL to an empty database (no migrations run) for one test or one browser session."""
    if not TEST_DATABASE_URL:
        return "sqlite://"
    url = driver_url(TEST_DATABASE_URL)
    engine = sa.create_engine(url, poolclass=NullPool)
    try:
        with engine.begin() as conn:
            # A connection left in a transaction would make DROP wait forever: fail loudly instead.
            conn.execute(sa.text("SET LOCAL lock_timeout = '20s'"))
            conn.execute(sa.text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
            conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    finally:
        engine.dispose()
    if schema == "public":
        return url
    return make_url(url).update_query_dict({"options": f"-csearch_path={schema}"}).render_as_string(hide_password=False)


def migrated_database_url() -> str:
    """A URL to a fresh database with every migration applied, for one test.

    On SQLite this is an empty in-memory database: call ``copy_migrated_sqlite`` on the app's engine
    to fill it. On PostgreSQL it is a new database, dropped by ``drop_test_copies`` after the test.
    """
    if not TEST_DATABASE_URL:
        return "sqlite://"
    name = f"{_database_name()}_copy_{os.getpid()}_{next(_numbers)}"
    _run_outside_transactions(f'CREATE DATABASE "{name}" TEMPLATE "{_migrated_postgresql()}"')
    _copies.append(name)
    return make_url(driver_url(TEST_DATABASE_URL)).set(database=name).render_as_string(hide_password=False)


def copy_migrated_sqlite(engine: sa.Engine) -> None:
    """Copy the migrated template into the in-memory SQLite database behind ``engine`` (one shared
    connection: Flask-SQLAlchemy gives in-memory SQLite a StaticPool)."""
    connection = engine.raw_connection()
    try:
        _migrated_sqlite().backup(connection.driver_connection)
    finally:
        connection.close()


def migrated_sqlite_file(path: Path) -> str:
    """The URL of a new SQLite file at ``path`` holding a copy of the migrated template, for tests
    that need a file several connections can share."""
    target = sqlite3.connect(path)
    try:
        _migrated_sqlite().backup(target)
    finally:
        target.close()
    return f"sqlite:///{path}"


def drop_test_copies() -> None:
    """Drop the PostgreSQL databases made for the test that just ended (its connections too)."""
    while _copies:
        _run_outside_transactions(f'DROP DATABASE IF EXISTS "{_copies.pop()}" WITH (FORCE)')


def drop_migrated_template() -> None:
    global _postgresql_template
    if _postgresql_template:
        _run_outside_transactions(f'DROP DATABASE IF EXISTS "{_postgresql_template}" WITH (FORCE)')
    _postgresql_template = None


def _migrated_sqlite() -> sqlite3.Connection:
    """Every migration, run once per session into the in-memory database SQLite copies are made from."""
    global _sqlite_template
    if _sqlite_template is None:
        memory = sqlite3.connect(":memory:", check_same_thread=False)
        _run_every_migration("sqlite://", keep=memory)
        _sqlite_template = memory
    return _sqlite_template


def _migrated_postgresql() -> str:
    """Every migration, run once per session into the database PostgreSQL copies are made from."""
    global _postgresql_template
    if _postgresql_template is None:
        name = f"{_database_name()}_migrated_{os.getpid()}"
        _run_outside_transactions(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        _run_outside_transactions(f'CREATE DATABASE "{name}"')
        url = make_url(driver_url(TEST_DATABASE_URL)).set(database=name).render_as_string(hide_password=False)
        _run_every_migration(url, keep=None)
        _postgresql_template = name
    return _postgresql_template


def _run_every_migration(url: str, keep: sqlite3.Connection | None) -> None:
    """Migrate the database at ``url``; for in-memory SQLite, back the result up into ``keep`` (the
    database lives only as long as the engine's connection)."""
    from dpup.storage.db import db
    from dpup.storage.setup import upgrade_database
    from dpup.web.app import create_app

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "migrations only",
                      "TREES_DIR": str(TEST_DATA / "trees"), "CONTENT_DIR": str(TEST_DATA / "content")})
    with app.app_context():
        try:
            upgrade_database()
            if keep is not None:
                connection = db.engine.raw_connection()
                try:
                    connection.driver_connection.backup(keep)
                finally:
                    connection.close()
        finally:
            db.engine.dispose()  # a template database must have no connections to be copied


def _database_name() -> str:
    return make_url(driver_url(TEST_DATABASE_URL)).database


def _run_outside_transactions(statement: str) -> None:
    """CREATE and DROP DATABASE cannot run in a transaction block."""
    engine = sa.create_engine(driver_url(TEST_DATABASE_URL), poolclass=NullPool, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            conn.execute(sa.text(statement))
    finally:
        engine.dispose()


def drop_schema(schema: str) -> None:
    if not TEST_DATABASE_URL or schema == "public":
        return
    engine = sa.create_engine(driver_url(TEST_DATABASE_URL), poolclass=NullPool)
    try:
        with engine.begin() as conn:
            conn.execute(sa.text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
    finally:
        engine.dispose()


def describe() -> str:
    if not TEST_DATABASE_URL:
        return "SQLite (in memory)"
    url = make_url(driver_url(TEST_DATABASE_URL))
    return f"PostgreSQL ({url.host}:{url.port}/{url.database})"
