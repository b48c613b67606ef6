"""What an assessment's pages and the self-assessment's pages share: submitting for review, recording
the reviewer's decision under the two-person rule, a change that lost a race with someone else's, and
the page that edits one of its actions. Each blueprint says what its document is called and how its
page is shown; what is rated, and what must be finished before submitting, stay with it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from dpup.storage import actions as store_actions
from dpup.storage import review
from dpup.storage.columns import Reviewed, Status
from dpup.storage.models import ActionItem
from dpup.web.action_forms import ActionEditForm
from dpup.web.auth import requires
from dpup.web.forms import ReviewForm


def as_int(value) -> int:
    """A form's version field as a number; anything else as -1, which no saved version matches."""
    try:
        return int(value)
    except (TypeError, ValueError):
        return -1


@dataclass(frozen=True)
class ReviewPages:
    """A blueprint's review steps. ``load`` finds the document by public id (or aborts 404) and
    ``show`` renders its page with a review form and a status code; the blueprint's page is ".show"."""

    noun: str  # what the messages call it: "assessment", "self-assessment"
    load: Callable[[str], Reviewed]
    show: Callable[[Reviewed, ReviewForm, int], object]

    def submit(self, document: Reviewed, not_ready: str | None):
        """Submit it for review, unless ``not_ready`` says what must be done first."""
        if not_ready:
            flash(not_ready)
        else:
            try:
                review.change_status(document, current_user, Status.SUBMITTED)
            except review.ConflictError:
                return self.changed_meanwhile(document.public_id)
            flash("Submitted for review. It cannot be changed while it is being reviewed.")
        return redirect(url_for(".show", public_id=document.public_id))

    def changed_meanwhile(self, public_id: str):
        """Someone else changed it at the same moment: nothing of this request was saved."""
        flash(f"Someone else changed this {self.noun} at the same moment, so your change was not saved. "
              "Here is how it stands now.")
        return self.show(self.load(public_id), ReviewForm(formdata=None), 409)

    def record_decision(self, public_id: str):
        """The reviewer approves and signs off, or asks for changes, saying what."""
        document = self.load(public_id)
        form = ReviewForm()
        if document.status != Status.SUBMITTED:
            abort(409)
        valid = form.validate_on_submit()
        if self._allowed(form, document) and valid:
            approve = form.decision.data == "approve"
            try:
                review.change_status(document, current_user, Status.APPROVED if approve else Status.CHANGES_REQUESTED,
                                     (form.comment.data or "").strip())
            except review.ConflictError:
                return self.changed_meanwhile(public_id)
            flash("Approved and signed off." if approve else "Sent back with your comments.")
            return redirect(url_for(".show", public_id=public_id))
        return self.show(document, form, 400)

    def add_review_route(self, bp: Blueprint) -> None:
        """POST <public id>/review, for reviewers only: the blueprint's "review" endpoint."""
        bp.add_url_rule("/<public_id>/review", "review", requires("assessments.review")(self.record_decision),
                        methods=["POST"])

    def _allowed(self, form: ReviewForm, document: Reviewed) -> bool:
        """The review rules the form's own validators cannot know; each broken one adds its error."""
        allowed = True
        if form.decision.data == "changes" and not (form.comment.data or "").strip():
            form.comment.errors = [*form.comment.errors, "Say what needs to change."]
            allowed = False
        if form.decision.data == "approve" and review.needs_another_approver(document, current_user):
            form.decision.errors = [*form.decision.errors, f"You submitted this {self.noun}, so someone else must "
                                                           "approve it. You can still ask for changes."]
            allowed = False
        return allowed


def action_edit_page(item: ActionItem, reload: Callable[[], ActionItem], saved_url: str, **page):
    """One action's owner, due date, status and note; ``reload`` reads it again after a save that lost
    a race (what was typed stays in the form). ``page`` goes to the template as it is."""
    form = ActionEditForm.for_item(item, store_actions.owners(current_user.organisation_id), request.method == "GET")
    conflict = False
    if form.validate_on_submit():
        try:
            store_actions.update(item, form.change(), as_int(form.version.data), current_user)
        except review.ConflictError:
            conflict = True
            item = reload()
            form.version.data = str(item.version)
        else:
            flash("Saved the action.")
            return redirect(saved_url)
    status = 409 if conflict else (400 if form.errors else 200)
    return render_template("actions/edit.html", item=item, form=form, conflict=conflict, **page), status
