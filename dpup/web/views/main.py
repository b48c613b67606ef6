"""The home page and the content pages."""

from flask import Blueprint, abort, current_app, render_template
from flask_login import current_user

from dpup.localtime import today
from dpup.storage import actions
from dpup.storage.waiting import waiting_for
from dpup.web.auth import can, no_users_yet, public

bp = Blueprint("main", __name__)

# The "Where do I start?" navigator is a tree like the others, but it is walked, not assessed.
NAVIGATOR = "where-to-start"


def library():
    return current_app.extensions["dpup.library"]


def trees_in_guideline_order():
    """Purpose Matters first, as DPUP puts it ("it all starts with why"): the vocabulary's order."""
    lib = library()
    order = [g.id for g in lib.vocabulary.guidelines]
    return sorted(lib.trees.values(), key=lambda t: (order.index(t.guideline) if t.guideline in order else len(order),
                                                     t.title))


def assessable_trees():
    return [t for t in trees_in_guideline_order() if t.id != NAVIGATOR and t.kind != "profile"]


@bp.get("/")
@public
def home():
    """Each person sees what they can do, and what waits for them; nothing they cannot open."""
    lib = library()
    waiting = waiting_for(current_user) if current_user.is_authenticated else None
    overdue = (actions.overdue(current_user.organisation_id, today(current_app.config["TIMEZONE"]))
               if can("assessments.edit") or can("users.manage") else [])
    return render_template("home.html", trees=assessable_trees(), navigator=lib.trees.get(NAVIGATOR),
                           checklists=list(lib.checklists.values()), waiting=waiting, overdue=overdue,
                           needs_setup=not current_user.is_authenticated and no_users_yet())


@bp.get("/pages/<path:slug>")
@public
def page(slug: str):
    found = library().pages.get(slug)
    if found is None:
        abort(404)
    return render_template("page.html", page=found)
