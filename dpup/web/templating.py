"""Template filters and globals."""

from flask import Flask, current_app
from markupsafe import Markup, escape

from dpup.localtime import format_date, format_datetime
from dpup.markup import mark_language, render_markdown
from dpup.web.links import outcome_link


def init_app(app: Flask) -> None:
    app.jinja_env.filters["markdown"] = lambda text: _marked(render_markdown(text))
    app.jinja_env.filters["mi"] = lambda text: _marked(str(escape(text or "")))
    # Stored in UTC, shown in New Zealand time (DPUP_TIMEZONE), with the zone.
    app.jinja_env.filters["datetime"] = lambda value: format_datetime(value, current_app.config["TIMEZONE"])
    app.jinja_env.filters["date"] = lambda value: format_date(value, current_app.config["TIMEZONE"])
    # Verdicts, severities and standard answers in the words of vocabulary.yaml
    app.jinja_env.filters["label"] = lambda member: _vocabulary().label(member)
    app.jinja_env.filters["outcome_heading"] = lambda outcome: _vocabulary().outcome_heading(outcome)
    app.jinja_env.filters["answer_words"] = lambda value: _vocabulary().answers[value]  # yes, no, na
    app.jinja_env.globals["zip"] = zip
    app.jinja_env.globals["outcome_link"] = outcome_link


def _vocabulary():
    return current_app.extensions["dpup.library"].vocabulary


def _marked(safe_html: str) -> Markup:
    """Safe HTML (escaped or nh3-sanitised) with Māori words marked lang="mi" for screen readers."""
    words = _vocabulary().maori_words()
    # The input is already escaped or nh3-sanitised, so Markup is safe here.
    return Markup(mark_language(safe_html, words))  # nosec B704
