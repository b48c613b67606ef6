"""flaskr-style fixtures: an app on a fresh database, a client and a CLI runner.

The database is in-memory SQLite, or the PostgreSQL database named by ``TEST_DATABASE_URL`` with
its schema emptied before each test (see tests/database.py); either way every migration runs.

``app`` uses the small, stable knowledge base in tests/data, so web tests do not change when the
bundled content is edited; ``bundled_app`` uses the real decision_trees/ and content/.
"""

from pathlib import Path

import pytest

from dpup import config
from dpup.security.passwords import use_fast_hashing_for_tests
from dpup.storage.db import db
from dpup.storage.setup import upgrade_database
from dpup.web.app import create_app
from tests.database import clean_database_url, describe, on_postgresql

use_fast_hashing_for_tests()  # production parameters take ~170 ms a hash; see test_passwords_use_argon2id
DATA = Path(__file__).resolve().parent / "data"
TEST_TREES = DATA / "trees"
TEST_CONTENT = DATA / "content"


def make_app(tmp_path, **settings):
    if "SQLALCHEMY_DATABASE_URI" not in settings:  # (emptying the test database only when it is used)
        settings["SQLALCHEMY_DATABASE_URI"] = clean_database_url()
    app = create_app({
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        "BASE_URL": "http://localhost",  # as an operator sets DPUP_BASE_URL; see test_tokens.py for unset
        **settings,
    })
    app.instance_path = str(tmp_path)
    with app.app_context():
        upgrade_database()
    return app


# Modules that never touch a database (the engine, the knowledge files, the scenarios) check the same
# thing on SQLite and on PostgreSQL: CI runs the suite on both, so they run in the SQLite run only.
DATABASE_FREE = {"test_scenarios", "test_walk", "test_validate", "test_validate_limits", "test_cross_refs",
                 "test_ask_once", "test_wording"}


def pytest_collection_modifyitems(config, items):
    if not on_postgresql():
        return
    for item in items:
        if item.module.__name__.rpartition(".")[2] in DATABASE_FREE:
            item.add_marker(pytest.mark.skip(reason="no database used: runs in the SQLite run"))


def pytest_report_header(config):
    return f"database: {describe()}"


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


PASSWORD = "correct horse battery staple"
ROLES = ("administrator", "privacy_officer", "frontline", "board")


def make_people(app, organisation_name: str, prefix: str) -> dict:
    """An organisation with one person in each role; emails like officer@<prefix>.example."""
    from dpup.security.passwords import hash_password
    from dpup.storage.models import Organisation, User

    hashed = hash_password(PASSWORD)
    with app.app_context():
        organisation = Organisation(name=organisation_name)
        people = {role: User(organisation=organisation, name=f"{role.replace('_', ' ').title()} {prefix}",
                             email=f"{role}@{prefix}.example", role=role, password_hash=hashed) for role in ROLES}
        db.session.add_all(people.values())
        db.session.commit()
        return {"organisation": organisation.public_id, **{role: user.email for role, user in people.items()}}


@pytest.fixture
def people(app):
    """Two organisations, each with an administrator, privacy officer, frontline worker and board viewer."""
    return {"own": make_people(app, "Te Whare Tiaki Trust", "own"), "other": make_people(app, "Other Trust", "other")}


def login(client, email: str, password: str = PASSWORD):
    from tests.helpers import csrf_token

    page = client.get("/login").get_data(as_text=True)
    response = client.post("/login", data={"csrf_token": csrf_token(page), "email": email, "password": password})
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    return client


def login_refused(client, email: str, password: str = PASSWORD) -> bool:
    from tests.helpers import csrf_token

    page = client.get("/login").get_data(as_text=True)
    response = client.post("/login", data={"csrf_token": csrf_token(page), "email": email, "password": password})
    return response.status_code != 302


@pytest.fixture
def login_as(app, people):
    """login_as("privacy_officer") or login_as("board", org="other"): a new, logged-in test client."""
    return lambda role, org="own": login(app.test_client(), people[org][role])


@pytest.fixture
def anon(app):
    """Someone who has not logged in."""
    return app.test_client()


@pytest.fixture
def client(login_as):
    """A privacy officer of the first organisation, logged in."""
    return login_as("privacy_officer")


@pytest.fixture
def runner(app):
    return app.test_cli_runner()
