"""flaskr-style fixtures: an app on a fresh in-memory database, a client and a CLI runner."""

from pathlib import Path

import pytest

from dpup.storage.db import db
from dpup.web.app import create_app

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture
def app(tmp_path):
    app = create_app({
        "TESTING": True,
        "SQLALCHEMY_DATABASE_URI": "sqlite://",
        "SECRET_KEY": "test",
        "WTF_CSRF_ENABLED": True,
    })
    app.instance_path = str(tmp_path)
    with app.app_context():
        from dpup.storage.setup import upgrade_database

        upgrade_database()
    yield app
    with app.app_context():
        db.engine.dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()
