"""Administrators: the organisation's people, roles, settings and audit log."""

from flask import Blueprint, Response, abort, flash, redirect, render_template, url_for
from flask_login import current_user
from sqlalchemy import func, select

from dpup.storage import audit
from dpup.storage.db import db
from dpup.storage.models import Role, User, join_roles
from dpup.web.auth import invite_link, requires, reset_password
from dpup.web.forms import ActionForm, InviteForm, RoleForm, SettingsForm
from dpup.web.views.main import library

bp = Blueprint("admin", __name__, url_prefix="/admin")
EMAIL_TAKEN = ("That email address cannot be used for a new account. If the person is not in the list "
               "below, ask them for another address.")


def _people():
    return list(db.session.scalars(select(User).where(User.organisation_id == current_user.organisation_id)
                                   .order_by(User.name)))


@bp.route("/users", methods=["GET", "POST"])
@requires("users.manage")
def users():
    form = InviteForm()
    link = None
    if form.validate_on_submit():
        email = form.email.data.strip().lower()
        if db.session.scalar(select(func.count()).select_from(User).where(func.lower(User.email) == email)):
            # Emails are unique across this dpup (people log in with them). The refusal cannot be
            # hidden, but its words never say whether the account is here or in another
            # organisation; the attempt is audited, so probing for addresses shows. (README)
            audit.record(current_user.email, "user_invite_refused", current_user.organisation_id, "",
                         after={"email": email})
            db.session.commit()
            form.email.errors = [EMAIL_TAKEN]
        else:
            officers_before = _privacy_officers()
            user = User(organisation_id=current_user.organisation_id, name=form.name.data.strip(), email=email,
                        role=join_roles(form.role.data))
            db.session.add(user)
            db.session.flush()
            audit.record(current_user.email, "user_invited", current_user.organisation_id, f"user:{user.public_id}",
                         after={"email": email, "name": user.name, "role": user.role})
            _two_person_review_once_there_are_two(officers_before)
            db.session.commit()
            link = invite_link(user)
            form = InviteForm(formdata=None)
    status = 400 if form.errors else 200
    return render_template("admin/users.html", form=form, people=_people(), invite=link), status


def _privacy_officers() -> int:
    return sum(1 for p in _people() if p.active and p.has_role(Role.PRIVACY_OFFICER))


def _two_person_review_once_there_are_two(officers_before: int) -> None:
    """Two-person review is off while one privacy officer has to do everything; it comes on, once,
    when the organisation gets its second (the administrator can switch it off again in Settings)."""
    organisation = current_user.organisation
    if officers_before < 2 <= _privacy_officers() and not organisation.separate_approver:
        organisation.separate_approver = True
        audit.record(current_user.email, "settings_changed", organisation.id, f"organisation:{organisation.public_id}",
                     before={"separate_approver": False}, after={"separate_approver": True,
                                                                 "why": "second privacy officer"})
        flash("Your organisation now has two privacy officers, so two-person review is on: whoever submits an "
              "assessment cannot also approve it. You can change this in Organisation settings.")


def _leaves_no_administrator(person: User, roles: list[str], active: bool) -> bool:
    """Whether this change would leave the organisation with no active administrator."""
    if Role.ADMINISTRATOR in roles and active:
        return False
    return not any(p.active and p.has_role(Role.ADMINISTRATOR) for p in _people() if p.id != person.id)


def _person(public_id: str) -> User:
    user = db.session.scalar(select(User).where(User.public_id == public_id,
                                                User.organisation_id == current_user.organisation_id))
    if user is None:
        abort(404)
    return user


@bp.route("/users/<public_id>", methods=["GET", "POST"])
@requires("users.manage")
def user(public_id: str):
    person = _person(public_id)
    form = RoleForm(data={"role": [r.value for r in Role if r in person.roles], "active": person.active})
    if form.validate_on_submit():
        if person.id == current_user.id and not form.active.data:
            form.active.errors = ["You cannot switch off your own account."]
        elif _leaves_no_administrator(person, form.role.data, form.active.data):
            form.role.errors = [f"{person.name} is the organisation's only administrator, so they stay one: "
                                "make someone else an administrator first."]
        else:
            officers_before = _privacy_officers()
            before = {"role": person.role, "active": person.active}
            person.role, person.active = join_roles(form.role.data), form.active.data
            changed = before != {"role": person.role, "active": person.active}
            if changed and person.id != current_user.id:
                person.session_version += 1  # their sessions end, so the new roles apply at once
            audit.record(current_user.email, "user_changed", person.organisation_id, f"user:{person.public_id}",
                         before=before, after={"role": person.role, "active": person.active})
            _two_person_review_once_there_are_two(officers_before)
            db.session.commit()
            flash(f"Saved the changes to {person.name}'s account.")
            return redirect(url_for(".users"))
    invite = invite_link(person) if person.password_hash is None else None
    return render_template("admin/user.html", form=form, person=person, invite=invite,
                           action_form=ActionForm()), 400 if form.errors else 200


@bp.post("/users/<public_id>/reset-password")
@requires("users.manage")
def reset_user_password(public_id: str):
    """For someone who has forgotten their password: it stops working, their sessions end, and the
    administrator gets a one-time link (valid for a week) to pass on, as with an invitation."""
    person = _person(public_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    if person.id == current_user.id:
        flash("To change your own password, use Change password.")
        return redirect(url_for(".user", public_id=public_id))
    reset_password(person, current_user.email)
    flash(f"{person.name}'s password no longer works. Give them the link below to choose a new one.")
    return redirect(url_for(".user", public_id=public_id))


@bp.route("/settings", methods=["GET", "POST"])
@requires("users.manage")
def settings():
    organisation = current_user.organisation
    form = SettingsForm(obj=organisation)
    if form.validate_on_submit():
        before = {name: getattr(organisation, name) for name in form.SETTINGS}
        for name in form.SETTINGS:
            setattr(organisation, name, form[name].data)
        audit.record(current_user.email, "settings_changed", organisation.id, f"organisation:{organisation.public_id}",
                     before=before, after={name: getattr(organisation, name) for name in form.SETTINGS})
        db.session.commit()
        flash("Settings saved.")
        return redirect(url_for(".settings"))
    return render_template("admin/settings.html", form=form, organisation=organisation,
                           checklists=list(library().checklists.values()))


@bp.get("/audit.csv")
@requires("audit.read")
def audit_csv():
    events = audit.events_for(current_user.organisation_id)
    audit.record(current_user.email, "audit_exported", current_user.organisation_id, "audit")
    db.session.commit()
    return Response(audit.as_csv(events), mimetype="text/csv",
                    headers={"Content-Disposition": 'attachment; filename="dpup-audit-log.csv"'})
