"""Template filters and globals."""

from datetime import datetime

from flask import Flask
from markupsafe import Markup

from dpup.markup import render_markdown


def init_app(app: Flask) -> None:
    app.jinja_env.filters["markdown"] = lambda text: Markup(render_markdown(text))  # nosec B704: nh3-sanitised
    app.jinja_env.filters["datetime"] = _datetime
    app.jinja_env.globals["zip"] = zip


def _datetime(value: datetime | None) -> str:
    return value.strftime("%-d %B %Y, %-I:%M %p UTC") if value else ""
