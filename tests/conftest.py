"""flaskr-style fixtures: an app on a fresh in-memory database, a client and a CLI runner.

``app`` uses the small, stable knowledge base in tests/data, so web tests do not change when the
bundled content is edited; ``bundled_app`` uses the real decision_trees/ and content/.
"""

from pathlib import Path

import pytest

from dpup import config
from dpup.storage.db import db
from dpup.storage.setup import upgrade_database
from dpup.web.app import create_app

DATA = Path(__file__).resolve().parent / "data"
TEST_TREES = DATA / "trees"
TEST_CONTENT = DATA / "content"


def make_app(tmp_path, **settings):
    app = create_app({
        "TESTING": True,
        "SQLALCHEMY_DATABASE_URI": "sqlite://",
        "SECRET_KEY": "test-secret",
        **settings,
    })
    app.instance_path = str(tmp_path)
    with app.app_context():
        upgrade_database()
    return app


@pytest.fixture
def app(tmp_path):
    app = make_app(tmp_path, TREES_DIR=str(TEST_TREES), CONTENT_DIR=str(TEST_CONTENT))
    yield app
    with app.app_context():
        db.engine.dispose()


@pytest.fixture
def bundled_app(tmp_path):
    app = make_app(tmp_path, TREES_DIR=config.TREES_DIR, CONTENT_DIR=config.CONTENT_DIR)
    yield app
    with app.app_context():
        db.engine.dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()
