"""Where an outcome's "where to go next" links lead (tree:ID, checklist:ID, page:SLUG), for the
navigator and every outcome shown: one place, so both send people to the same pages."""

from __future__ import annotations

from flask import current_app, url_for
from flask_login import current_user

from dpup.web.auth import can, who_can

LINK_VIEWS = {
    "tree": lambda target: url_for("assessments.new", tree=target),
    "checklist": lambda target: url_for("checklists.show", checklist_id=target),
    "page": lambda target: url_for("main.page", slug=target),
}
# What each kind of link needs; someone without it is told who can, and is never sent to a 403.
LINK_NEEDS = {"tree": "assessments.edit", "checklist": "checklists.use"}


def outcome_link(link: str) -> tuple[str | None, str, str]:
    """(address or None, title, a note such as who can do it for them)."""
    kind, _, target = link.partition(":")
    lib = current_app.extensions["dpup.library"]
    titles = {"tree": lib.trees, "checklist": lib.checklists, "page": lib.pages}
    item = titles.get(kind, {}).get(target)
    if item is None:  # (a link in an old pinned version to something since removed: named, not linked)
        return None, target, ""
    title = item.title
    needs = LINK_NEEDS.get(kind)
    if needs is None or can(needs) or not current_user.is_authenticated:  # (logging in comes first)
        return LINK_VIEWS[kind](target), title, ""
    if kind == "tree":
        return url_for("trees.show", tree_id=target), title, f"see its questions; {who_can(needs)} can start it"
    return None, title, f"ask {who_can(needs)} to go through it with you"
