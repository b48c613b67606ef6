"""The WSGI entry point for production servers: ``gunicorn dpup.wsgi:app`` (see the README).

Configuration comes only from environment variables (``DATABASE_URL``, ``DPUP_SECRET_KEY``...).
Run ``dpup db upgrade`` once before starting or after upgrading: workers never migrate the database
themselves, so several of them, or several hosts, can start at once against one PostgreSQL.
"""

import logging
import os

from dpup.web.app import create_app

if not os.environ.get("DPUP_SECRET_KEY"):
    logging.getLogger("dpup").warning(
        "DPUP_SECRET_KEY is not set: using the key in the instance folder, which only works on one host. "
        "Set the same DPUP_SECRET_KEY on every host behind a load balancer.")

# The knowledge files were validated with the release (`dpup validate`, the tests); workers skip the
# slow path-by-path verdict-rule check so that they start in a fraction of a second.
app = create_app({"CHECK_VERDICT_RULE": False})
