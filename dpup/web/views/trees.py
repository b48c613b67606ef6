"""The tree explorer: every question, branch and outcome of a tree on one page, for reviewers."""

from flask import Blueprint, abort, render_template

from dpup.engine.outline import outline
from dpup.web.auth import public
from dpup.web.views.main import library

bp = Blueprint("trees", __name__, url_prefix="/trees")


@bp.get("/<tree_id>")
@public
def show(tree_id: str):
    tree = library().trees.get(tree_id)
    if tree is None:
        abort(404)
    vocabulary = library().vocabulary
    return render_template("trees/show.html", tree=tree, outline=outline(tree, vocabulary), vocabulary=vocabulary)


@bp.get("/coverage")
@public
def coverage_page():
    from dpup.engine.coverage import coverage

    lib = library()
    return render_template("trees/coverage.html", coverage=coverage(lib), vocabulary=lib.vocabulary)
