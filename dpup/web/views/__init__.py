"""Blueprints, one per area, registered by the app factory."""

from flask import Flask


def register(app: Flask) -> None:
    from dpup.web.views import assessments, checklists, main, navigator, reports, trees

    for module in (main, assessments, checklists, navigator, trees, reports):
        app.register_blueprint(module.bp)
