"""Default settings. Every one can be overridden by an environment variable ``DPUP_<NAME>``
(Flask's ``from_prefixed_env``), e.g. ``DPUP_DATABASE_URL`` or ``DPUP_SECRET_KEY``."""

from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent

TREES_DIR = str(PROJECT_ROOT / "decision_trees")
CONTENT_DIR = str(PROJECT_ROOT / "content")
TEMPLATES_DIR = str(PROJECT_ROOT / "templates")
STATIC_DIR = str(Path(__file__).resolve().parent / "static")

SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_HTTPONLY = True
# Keep uploads and form posts small: the longest field is a 10,000-character note.
MAX_CONTENT_LENGTH = 1024 * 1024

# The address people use to reach dpup, as https://dpup.example.org (DPUP_BASE_URL): invitation and
# password links are built on it, never on the Host header a request brings. Unset, they use the
# request's host only when TRUSTED_HOSTS (DPUP_TRUSTED_HOSTS, a JSON list) has vouched for it, and
# are shown as a path otherwise.
BASE_URL = None

# Every time is stored in UTC and shown in this zone, with its name (DPUP_TIMEZONE).
TIMEZONE = "Pacific/Auckland"

# Sessions end after this long without a request, and after this long in all (see README).
SESSION_IDLE_MINUTES = 30
SESSION_ABSOLUTE_HOURS = 12
PERMANENT_SESSION_LIFETIME = 12 * 3600
# The cookie is re-sent only when the session changes (at most once a minute, see auth.py), not on
# every response.
SESSION_REFRESH_EACH_REQUEST = False

# Several workers or hosts share one database server that may restart or drop idle connections:
# test a pooled connection before using it rather than failing the request. (Not for SQLite: a
# local file has no connection to lose, and the test would cost every request a query.)
SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}

# The verdict rule (no outcome milder than the findings on its path) is checked over every path of
# every tree, which takes a second or two. `dpup validate`, `dpup run` and the tests check it;
# production workers (dpup/wsgi.py) start without it, since the same release was validated.
CHECK_VERDICT_RULE = True
