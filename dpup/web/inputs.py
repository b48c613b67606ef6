"""Submitted text never carries NUL characters.

No one types U+0000, browsers do not send it from a text box, and PostgreSQL cannot store it in a
text column (psycopg refuses the whole statement), while SQLite would keep it. So it is removed
from every query-string and form value (and name) as the request is parsed, and the same input
is stored the same way on both databases instead of failing on one of them.
"""

from __future__ import annotations

from flask import Flask, Request
from werkzeug.datastructures import ImmutableMultiDict, MultiDict


def _without_nul(value):
    return value.replace("\x00", "") if isinstance(value, str) else value


class TextMultiDict(ImmutableMultiDict):
    """``request.args`` and ``request.form``: Werkzeug's immutable multi-dict, minus NUL characters."""

    def __init__(self, mapping=None):
        pairs = MultiDict(mapping).items(multi=True)
        super().__init__([(_without_nul(key), _without_nul(value)) for key, value in pairs])


class TextRequest(Request):
    parameter_storage_class = TextMultiDict


def init_app(app: Flask) -> None:
    app.request_class = TextRequest
