"""Blueprints, one per area, registered by the app factory."""

from flask import Flask


def register(app: Flask) -> None:
    from dpup.web import auth
    from dpup.web.views import (actions, admin, assessments, checklists, documents, health, main, maturity,
                                navigator, reports, scope, trees)

    for module in (main, auth, admin, assessments, scope, checklists, navigator, trees, reports, actions, documents,
                   maturity, health):
        app.register_blueprint(module.bp)
