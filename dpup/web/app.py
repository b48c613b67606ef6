"""The application factory."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from flask import Flask

from dpup import config
from dpup.engine import load_library
from dpup.localtime import zone
from dpup.storage.db import driver_url


def create_app(test_config: dict | None = None) -> Flask:
    app = Flask("dpup", template_folder=config.TEMPLATES_DIR, static_folder=config.STATIC_DIR,
                instance_relative_config=True)
    app.config.from_object(config)
    app.config.from_prefixed_env("DPUP")
    if test_config:
        app.config.update(test_config)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    app.config["SQLALCHEMY_DATABASE_URI"] = driver_url(app.config.get("SQLALCHEMY_DATABASE_URI") or _database_url(app))
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        app.config["SQLALCHEMY_ENGINE_OPTIONS"] = {**app.config["SQLALCHEMY_ENGINE_OPTIONS"], "pool_pre_ping": False}
        _create_private_sqlite_file(app.config["SQLALCHEMY_DATABASE_URI"], Path(app.instance_path))
    app.config.setdefault("SECRET_KEY", None) or _set_secret_key(app)
    zone(app.config["TIMEZONE"])  # an unknown DPUP_TIMEZONE stops the start with a clear message

    library = load_library(Path(app.config["TREES_DIR"]), Path(app.config["CONTENT_DIR"]),
                           verdict_rule=app.config["CHECK_VERDICT_RULE"])
    library.raise_for_problems()
    app.extensions["dpup.library"] = library

    from dpup.storage.db import db
    from dpup.storage.setup import MIGRATIONS_DIR
    from dpup.web import auth, errors, inputs, observability, security, templating, views
    from dpup.web.extensions import csrf, migrate

    db.init_app(app)
    migrate.init_app(app, db, directory=MIGRATIONS_DIR, render_as_batch=True)
    csrf.init_app(app)
    auth.init_app(app)
    security.init_app(app)
    templating.init_app(app)
    errors.init_app(app)
    views.register(app)
    inputs.init_app(app)
    observability.init_app(app)
    _trust_proxies(app)
    return app


def _trust_proxies(app: Flask) -> None:
    """Behind N load balancers or proxies (DPUP_TRUSTED_PROXIES=N), take the client's address and
    scheme from their X-Forwarded-* headers, so per-address login limits see the real client."""
    hops = int(app.config.get("TRUSTED_PROXIES") or 0)
    if hops:
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=0, x_prefix=0)


def _create_private_sqlite_file(url: str, instance_path: Path) -> None:
    """Create a new SQLite database file readable by its owner only (0600), as the secret key is.
    SQLite gives its -wal and -shm files the database file's permissions, so they follow. (An
    existing file is left as the operator set it.)"""
    from sqlalchemy.engine import make_url

    database = make_url(url).database
    if not database or database == ":memory:" or database.startswith("file:"):
        return
    path = Path(database)
    if not path.is_absolute():
        path = instance_path / path  # where Flask-SQLAlchemy puts a relative SQLite path
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))  # an empty file is an empty database
    except (FileExistsError, FileNotFoundError):  # there already, or no such folder (SQLite will say so)
        pass


def _database_url(app: Flask) -> str:
    return app.config.get("DATABASE_URL") or os.environ.get("DATABASE_URL") or f"sqlite:///{Path(app.instance_path) / 'dpup.sqlite'}"


def _set_secret_key(app: Flask) -> None:
    """Use the environment's key or one generated once into the instance folder (never in the repo)."""
    key_file = Path(app.instance_path) / "secret_key"
    if not key_file.exists():
        # Written whole then linked into place, so workers starting at once all read the same key.
        draft = key_file.with_name(f".secret_key.{os.getpid()}.{secrets.token_hex(4)}")
        draft.write_text(secrets.token_hex(32))
        draft.chmod(0o600)
        try:
            os.link(draft, key_file)
        except FileExistsError:
            pass
        finally:
            draft.unlink()
    app.config["SECRET_KEY"] = key_file.read_text().strip()
