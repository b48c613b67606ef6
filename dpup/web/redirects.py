"""Where to go after logging in: a path on this site, never another host.

The check looks at the string exactly as it will be sent. Browsers and Werkzeug both drop tabs and
line breaks from a URL (``/\t/evil.example`` becomes ``//evil.example``, another host), treat ``\\``
as ``/``, and a line break cannot go in a header at all; so rather than try to predict each
normalisation, only plain printable ASCII without backslashes is accepted. dpup's own addresses
never need anything else.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from flask import url_for

# "/" then anything printable but "\" or a second "/" straight away; at most 2,000 characters.
_SAME_SITE_PATH = re.compile(r"/(?![/\\])[!-\[\]-~]{0,1999}")


def safe_next(target: str | None) -> str:
    """``target`` if it is a path on this site, else the home page."""
    if target and _SAME_SITE_PATH.fullmatch(target):
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc:
            return target
    return url_for("main.home")
