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
