"""Blueprints, one per area, registered by the app factory."""

from flask import Flask


def register(app: Flask) -> None:
    from dpup.web.views import assessments, main

    app.register_blueprint(main.bp)
    app.register_blueprint(assessments.bp)
