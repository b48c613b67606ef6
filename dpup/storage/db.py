"""The SQLAlchemy handle, with a naming convention so migrations get stable constraint names."""

import sqlite3

from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import MetaData, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase

# How long a SQLite connection waits for another process's write to finish before giving up with
# "database is locked" (gunicorn runs several workers, each with its own connections).
SQLITE_BUSY_TIMEOUT_MS = 5000


class Base(DeclarativeBase):
    metadata = MetaData(
        naming_convention={
            "ix": "ix_%(column_0_label)s",
            "uq": "uq_%(table_name)s_%(column_0_name)s",
            "ck": "ck_%(table_name)s_%(constraint_name)s",
            "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
            "pk": "pk_%(table_name)s",
        }
    )


db = SQLAlchemy(model_class=Base)


def driver_url(url: str) -> str:
    """The SQLAlchemy URL to use for ``url``: PostgreSQL always through psycopg 3.

    ``postgres://`` (as Heroku-style hosts give it), ``postgresql://`` and ``postgresql+psycopg2://``
    become ``postgresql+psycopg://``; a connection timeout of 10 seconds is added unless the URL
    sets one, so an unreachable database fails a request (and /healthz) instead of hanging it.
    Other URLs (SQLite) are returned unchanged.
    """
    from sqlalchemy.engine import make_url

    scheme, sep, rest = url.partition("://")
    if not sep or scheme.split("+")[0] not in ("postgres", "postgresql"):
        return url
    parsed = make_url(f"postgresql+psycopg://{rest}")
    if "connect_timeout" not in parsed.query:
        parsed = parsed.update_query_dict({"connect_timeout": "10"})
    return parsed.render_as_string(hide_password=False)


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, connection_record) -> None:
    """On every new SQLite connection: enforce foreign keys, wait for a busy database, and use
    write-ahead logging.

    SQLite checks foreign keys only when asked, per connection; PostgreSQL always does. Asking makes
    both refuse a row that points at nothing, so a mistake shows up on either database.

    WAL lets readers go on while one process writes (the rollback journal blocks them), and survives
    a killed process like the rollback journal does. It is a property of the file, kept once set; an
    in-memory database answers "memory" and stays as it is. The busy timeout comes first, so that
    several workers opening a new file at once wait for each other while it switches to WAL.
    """
    if not isinstance(dbapi_connection, sqlite3.Connection):
        return
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA journal_mode = WAL")
    finally:
        cursor.close()
