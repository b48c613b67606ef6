"""Which database the tests use: in-memory SQLite, or PostgreSQL when TEST_DATABASE_URL is set.

``TEST_DATABASE_URL`` names a PostgreSQL database the tests may wipe (``.ci/postgres start`` makes
one). Each test gets it with an empty schema, then the app fixtures run every migration into it, so
the migrations are exercised on each run. Browser tests use a schema of their own (through
``search_path``), so a test that wipes ``public`` never touches the live server's data.
"""

from __future__ import annotations

import os

import sqlalchemy as sa
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool

from dpup.storage.db import driver_url

TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL", "").strip()


def on_postgresql() -> bool:
    return bool(TEST_DATABASE_URL)


def clean_database_url(schema: str = "public") -> str:
    """A URL to an empty database for one test (or one browser session)."""
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
