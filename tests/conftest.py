"""flaskr-style fixtures: an app on a fresh database, a client and a CLI runner.

The database is in-memory SQLite, or a database of its own on the PostgreSQL server named by
``TEST_DATABASE_URL``; either way a fresh copy, for each test, of one that every migration ran into
at the start of the session (see tests/database.py; tests/test_migrations.py runs them afresh).

``app`` uses the small, stable knowledge base in tests/data, so web tests do not change when the
bundled content is edited; ``bundled_app`` uses the real decision_trees/ and content/.
"""

import hashlib
from pathlib import Path

import pytest
from jinja2 import BytecodeCache

import dpup.web.app
from dpup import config
from dpup.engine import load_library
from dpup.security.passwords import use_fast_hashing_for_tests
from dpup.storage.db import db
from dpup.storage.setup import upgrade_database
from dpup.web.app import create_app
from tests.database import (
    TEST_DATA,
    clean_database_url,
    copy_migrated_sqlite,
    describe,
    drop_migrated_template,
    drop_test_copies,
    migrated_database_url,
    on_postgresql,
)

use_fast_hashing_for_tests()  # production parameters take ~170 ms a hash; see test_passwords_use_argon2id
DATA = TEST_DATA
TEST_TREES = DATA / "trees"
TEST_CONTENT = DATA / "content"


def make_app(tmp_path, run_migrations: bool = False, **settings):
    """An app on a fresh copy of the session's migrated database; on the database that ``settings``
    name, or on an empty one with ``run_migrations``, every migration runs instead."""
    copy = "SQLALCHEMY_DATABASE_URI" not in settings and not run_migrations
    if copy:
        settings["SQLALCHEMY_DATABASE_URI"] = migrated_database_url()
    elif "SQLALCHEMY_DATABASE_URI" not in settings:  # (emptying the test database only when it is used)
        settings["SQLALCHEMY_DATABASE_URI"] = clean_database_url()
    app = create_app({
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        "BASE_URL": "http://localhost",  # as an operator sets DPUP_BASE_URL; see test_tokens.py for unset
        **settings,
    })
    app.instance_path = str(tmp_path)
    app.jinja_env.bytecode_cache = COMPILED_TEMPLATES
    with app.app_context():
        if not copy:
            upgrade_database()
        elif not on_postgresql():
            copy_migrated_sqlite(db.engine)
    return app


@pytest.fixture(autouse=True)
def _drop_database_copies():
    """PostgreSQL: the databases made for a test go when it ends (after its apps, set up later)."""
    yield
    drop_test_copies()


@pytest.fixture(scope="session", autouse=True)
def _drop_migrated_template():
    yield
    drop_migrated_template()


class _CompiledTemplates(BytecodeCache):
    """Templates compiled once per session, not once per app: compiling them was most of the time a
    test spent on its first few pages. Jinja checks each template's source against its checksum
    before using the compiled code, so an edited template is compiled afresh. (Every test app has
    the same Jinja settings, filters and globals, which is what makes sharing safe.)"""

    def __init__(self):
        self._compiled: dict[str, bytes] = {}

    def load_bytecode(self, bucket) -> None:
        if bucket.key in self._compiled:
            bucket.bytecode_from_string(self._compiled[bucket.key])

    def dump_bytecode(self, bucket) -> None:
        self._compiled[bucket.key] = bucket.bytecode_to_string()


COMPILED_TEMPLATES = _CompiledTemplates()
_libraries: dict[tuple, object] = {}


def _library_files_digest(*folders: Path) -> str:
    digest = hashlib.sha256()
    for folder in folders:
        for path in sorted(Path(folder).rglob("*")):
            if path.is_file():
                digest.update(str(path).encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def _load_library_once(trees_dir: Path, content_dir: Path, only: Path | None = None, verdict_rule: bool = True):
    """Each app loads the same knowledge files, which takes seconds for the bundled ones (checking
    them is most of it): load each set of files once per session. The library is read-only (frozen
    models); a file changed since, as some tests do to copies in tmp_path, is loaded afresh."""
    key = (str(trees_dir), str(content_dir), str(only), verdict_rule, _library_files_digest(trees_dir, content_dir))
    if key not in _libraries:
        _libraries[key] = load_library(trees_dir, content_dir, only=only, verdict_rule=verdict_rule)
    return _libraries[key]


dpup.web.app.load_library = _load_library_once


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
