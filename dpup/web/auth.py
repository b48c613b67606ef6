"""Logging in and out, sessions that really end, roles, and first-run set-up.

Flask's signed cookie cannot be revoked on its own, so the user id kept in the session carries the
user's ``session_version``; logging out or changing the password bumps it, and every cookie issued
before is refused from then on, by every worker and host (the version is in the database).
"""

from __future__ import annotations

import secrets
from datetime import timedelta
from functools import wraps

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_login import LoginManager, current_user, login_user, logout_user
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import bindparam, func, select, text

from dpup.security.passwords import DUMMY_HASH, hash_password, verify_password
from dpup.storage import audit
from dpup.storage.db import db
from dpup.storage.models import Organisation, Role, User, join_roles, utcnow
from dpup.web import kept_forms, throttle
from dpup.web.forms import FirstRunForm, LoginForm, PasswordForm, SetPasswordForm
from dpup.web.redirects import safe_next

bp = Blueprint("auth", __name__)
login_manager = LoginManager()
login_manager.login_view = "auth.login"
login_manager.login_message = "Log in to see that page."
login_manager.session_protection = None  # we regenerate the session ourselves and check versions

# What each role may do. Checked on every view (and so every route) through ``requires``.
PERMISSIONS = {
    "assessments.read": {Role.PRIVACY_OFFICER, Role.ADMINISTRATOR},
    "assessments.edit": {Role.PRIVACY_OFFICER},
    "assessments.review": {Role.PRIVACY_OFFICER},
    # The organisation's own DPUP self-assessment: rated by an administrator or a privacy officer,
    # reviewed and signed off as assessments are (assessments.review), read by the board once approved.
    "maturity.edit": {Role.PRIVACY_OFFICER, Role.ADMINISTRATOR},
    "reports.read_approved": {Role.PRIVACY_OFFICER, Role.ADMINISTRATOR, Role.BOARD},
    "checklists.use": {Role.FRONTLINE, Role.PRIVACY_OFFICER, Role.ADMINISTRATOR},
    "checklists.results_all": {Role.PRIVACY_OFFICER, Role.ADMINISTRATOR},  # the organisation's, not only one's own
    "users.manage": {Role.ADMINISTRATOR},
    "audit.read": {Role.ADMINISTRATOR},
}

ACCOUNT_LOCK_AFTER = 5
ACCOUNT_LOCK_FOR = timedelta(minutes=15)
ADDRESS_LIMIT = 20
ADDRESS_WINDOW = timedelta(minutes=15)
INVITE_VALID_FOR = timedelta(days=7)
# The idle time-out is kept to the minute: re-signing the session cookie on every request would
# cost every page a cookie write for no gain.
SEEN_AT_RESOLUTION = 60


def init_app(app) -> None:
    login_manager.init_app(app)
    app.before_request(_enforce_session_time_limits)
    app.jinja_env.globals["can"] = can
    app.jinja_env.globals["who_can"] = who_can
    app.jinja_env.globals["idle_minutes"] = app.config["SESSION_IDLE_MINUTES"]  # shown before it bites


# Every request runs this query: build it once (building a statement costs about as much as running it).
_USER_BY_PUBLIC_ID = select(User).where(User.public_id == bindparam("public_id"))


@login_manager.user_loader
def _load_user(session_id: str) -> User | None:
    public_id, _, version = session_id.partition(".")
    user = db.session.scalar(_USER_BY_PUBLIC_ID, {"public_id": public_id})
    if user is None or not user.is_active or str(user.session_version) != version:
        return None
    return user


def can(permission: str) -> bool:
    """Whether the person may: any one of their roles allowing it is enough."""
    return current_user.is_authenticated and not current_user.roles.isdisjoint(PERMISSIONS[permission])


def who_can(permission: str) -> str:
    """Whom to ask for something the person cannot do themselves: "a privacy officer"."""
    roles = [r for r in Role if r in PERMISSIONS[permission]]
    return " or ".join(f"{'an' if r.label[0] in 'AEIOU' else 'a'} {r.label.lower()}" for r in roles)


def requires(permission: str):
    """Log in first, then have a role with ``permission`` (403 otherwise)."""

    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if not can(permission):
                abort(403)
            return view(*args, **kwargs)

        wrapped.permission = permission
        return wrapped

    return decorator


def public(view):
    """Mark a view as open to everyone (the access-control tests list every route either way)."""
    view.public = True
    return view


def _enforce_session_time_limits():
    if not current_user.is_authenticated:
        return None
    now = utcnow().timestamp()
    idle = current_app.config["SESSION_IDLE_MINUTES"] * 60
    absolute = current_app.config["SESSION_ABSOLUTE_HOURS"] * 3600
    if now - session.get("seen_at", 0) > idle or now - session.get("login_at", 0) > absolute:
        kept = request.method == "POST" and kept_forms.keep_posted_form(current_user)
        _end_session(current_user, "session timed out", everywhere=False)
        flash("You were logged out because the session timed out. Log in again to continue."
              + (" What you typed has been kept: nothing was saved, and it will be back in the form." if kept else ""))
        return redirect(url_for("auth.login", next=request.full_path if request.method == "GET" else request.path))
    if now - session.get("seen_at", 0) >= SEEN_AT_RESOLUTION:
        session["seen_at"] = now
    return None


def _end_session(user: User, why: str, everywhere: bool = True) -> None:
    """Log out. ``everywhere`` also ends the user's other sessions (logging out does: a copied
    cookie must stop working); a time-out ends only the session that was idle or too old, since
    the person's other devices keep their own clocks."""
    if everywhere:
        user.session_version += 1
    audit.record(user.email, "logout", user.organisation_id, f"user:{user.public_id}", after={"why": why})
    db.session.commit()
    logout_user()
    session.clear()


def _client_address() -> str:
    return request.remote_addr or "unknown"


@bp.route("/login", methods=["GET", "POST"])
@public
def login():
    if no_users_yet():
        return redirect(url_for(".first_run"))
    form = LoginForm()
    if not form.validate_on_submit():
        return render_template("auth/login.html", form=form), 400 if form.errors else 200
    email = form.email.data.strip().lower()
    address_key, account_key = f"address:{_client_address()}", throttle.email_key(email)
    user = db.session.scalar(select(User).where(func.lower(User.email) == email))
    # Each attempt is counted before the password is checked (see throttle.py), per address and per
    # email typed, known or not: an unknown address is answered exactly as a known one, 429 included.
    if not throttle.take((address_key, ADDRESS_LIMIT, ADDRESS_WINDOW), (account_key, ACCOUNT_LOCK_AFTER, ACCOUNT_LOCK_FOR)):
        audit.record(email, "login_refused_rate_limit", user.organisation_id if user else None,
                     f"user:{user.public_id}" if user else "")
        db.session.commit()
        return render_template("auth/login.html", form=form, too_many=True), 429
    password_ok = verify_password(user.password_hash if user and user.password_hash else DUMMY_HASH,
                                  form.password.data)
    if not (user and user.is_active and password_ok):
        audit.record(email, "login_failed", user.organisation_id if user else None,
                     f"user:{user.public_id}" if user else "")
        throttle.forget_old(ADDRESS_WINDOW)
        db.session.commit()
        form.password.errors = ["The email address or password is not right."]
        return render_template("auth/login.html", form=form), 400
    throttle.forgive(address_key)  # the address limit counts failures only
    throttle.clear(account_key)  # as does the account's: a right password starts it again
    user.last_login_at = utcnow()
    audit.record(user.email, "login", user.organisation_id, f"user:{user.public_id}")
    db.session.commit()
    _start_session(user)
    kept_path = kept_forms.after_login(user)
    return redirect(safe_next(kept_path or request.args.get("next")))


def _start_session(user: User) -> None:
    session.clear()  # a fresh session on every login: nothing from before carries over
    login_user(user)
    now = utcnow().timestamp()
    session.update(login_at=now, seen_at=now, sid=secrets.token_urlsafe(16))
    session.permanent = True


@bp.post("/logout")
@public
def logout():
    if current_user.is_authenticated:
        _end_session(current_user, "logged out")
    flash("You have logged out.")
    return redirect(url_for(".login"))


def no_users_yet() -> bool:
    return db.session.scalar(select(func.count()).select_from(User)) == 0


@bp.route("/setup", methods=["GET", "POST"])
@public
def first_run():
    """A fresh install has no users: the first person creates the organisation and its administrator."""
    if not no_users_yet():
        abort(404)
    form = FirstRunForm()
    if form.validate_on_submit():
        _one_first_run_at_a_time()
        if not no_users_yet():  # someone else set up this dpup while the form was being filled in
            db.session.rollback()
            abort(404)
        user = create_administrator(form.organisation.data.strip(), form.name.data.strip(),
                                    form.email.data.strip().lower(), form.password.data,
                                    also_privacy_officer=form.privacy_officer.data)
        _start_session(user)
        flash(f"Your organisation and account are ready: you are its {user.role_label.lower()}.")
        return redirect(url_for("main.home"))
    return render_template("auth/first_run.html", form=form), 400 if form.errors else 200


# Any constant: PostgreSQL's advisory locks are numbered.
_FIRST_RUN_LOCK = 0x6470757001


def _one_first_run_at_a_time() -> None:
    """Until this transaction ends, hold a lock that every other first run also takes, so that of
    several set-ups posted at once the first creates the organisation and the rest find it made."""
    if db.engine.dialect.name == "postgresql":
        db.session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _FIRST_RUN_LOCK})
    else:
        # SQLite allows one writer at a time: a write, even one that changes nothing, takes that
        # lock now (the others wait for it, up to the busy timeout).
        db.session.execute(text("DELETE FROM login_throttle WHERE 1 = 0"))


def create_administrator(organisation_name: str, name: str, email: str, password: str,
                         also_privacy_officer: bool = True) -> User:
    """The first account. In a small organisation whoever installs dpup is also its privacy
    officer, so by default they get both roles and can start an assessment at once."""
    organisation = Organisation(name=organisation_name)
    roles = [Role.ADMINISTRATOR, *([Role.PRIVACY_OFFICER] if also_privacy_officer else [])]
    user = User(organisation=organisation, name=name, email=email, role=join_roles(roles),
                password_hash=hash_password(password))
    db.session.add(user)
    db.session.flush()
    audit.record(email, "organisation_created", organisation.id, f"organisation:{organisation.public_id}",
                 after={"name": organisation_name})
    audit.record(email, "user_created", organisation.id, f"user:{user.public_id}",
                 after={"email": email, "role": user.role})
    db.session.commit()
    return user


def _invites() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.secret_key, salt="dpup-invite")


def invite_link(user: User, external: bool = True) -> str:
    """The one-time link with which a person invited, or whose password was reset, chooses a password.

    Its address never comes from the request's Host header, which the sender chooses (a link to
    their own site would hand them the token): it is ``DPUP_BASE_URL``, or the request's host when
    Flask has checked it against ``DPUP_TRUSTED_HOSTS``, or else just the path."""
    path = url_for("auth.accept_invite", token=_invites().dumps([user.public_id, user.session_version]))
    base = (current_app.config.get("BASE_URL") or "").rstrip("/")
    if not external:
        return path
    if base:
        return base + path
    if current_app.config.get("TRUSTED_HOSTS"):
        return request.host_url.rstrip("/") + path  # Flask answers 400 to any other host
    return path


def reset_password(person: User, actor: str) -> None:
    """For a forgotten password: it stops working and every session ends; ``invite_link(person)``
    then lets the person choose a new one."""
    person.password_hash = None
    throttle.clear(throttle.email_key(person.email.lower()))  # they may log in as soon as they choose one
    person.session_version += 1
    audit.record(actor, "password_reset", person.organisation_id, f"user:{person.public_id}")
    db.session.commit()


@bp.route("/invite/<token>", methods=["GET", "POST"])
@public
def accept_invite(token: str):
    """A new user chooses their own password from the link an administrator gave them."""
    try:
        public_id, version = _invites().loads(token, max_age=int(INVITE_VALID_FOR.total_seconds()))
    except (SignatureExpired, BadSignature, ValueError):
        abort(404)
    user = db.session.scalar(_USER_BY_PUBLIC_ID, {"public_id": public_id})
    if user is None or not user.active:
        abort(404)
    if user.password_hash is not None or user.session_version != version:
        # A genuine link, used already (or replaced by a newer one): say so, and where to go instead.
        return render_template("auth/link_used.html"), 410
    form = SetPasswordForm(context=(user.email, user.name, user.organisation.name))
    if form.validate_on_submit():
        user.password_hash = hash_password(form.password.data)
        user.session_version += 1  # the invite link stops working
        action = "password_reset_completed" if user.last_login_at else "invite_accepted"
        audit.record(user.email, action, user.organisation_id, f"user:{user.public_id}")
        db.session.commit()
        _start_session(user)
        flash("Your password is set. Welcome.")
        return redirect(url_for("main.home"))
    return render_template("auth/set_password.html", form=form, user=user), 400 if form.errors else 200


@bp.route("/account/password", methods=["GET", "POST"])
def change_password():
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    form = PasswordForm(context=(current_user.email, current_user.name, current_user.organisation.name))
    user = current_user._get_current_object()
    if form.validate_on_submit():
        # The same budget of guesses as logging in: a stolen session must not become a way round it.
        account_key = throttle.email_key(user.email.lower())
        if not throttle.take((account_key, ACCOUNT_LOCK_AFTER, ACCOUNT_LOCK_FOR)):
            audit.record(user.email, "password_change_refused_rate_limit", user.organisation_id,
                         f"user:{user.public_id}")
            db.session.commit()
            return render_template("auth/change_password.html", form=form, too_many=True), 429
        if not verify_password(user.password_hash, form.current_password.data):
            audit.record(user.email, "password_change_failed", user.organisation_id, f"user:{user.public_id}")
            db.session.commit()
            form.current_password.errors = ["That is not your current password."]
        else:
            throttle.clear(account_key)
            user.password_hash = hash_password(form.password.data)
            user.session_version += 1  # every other session of this user ends now
            audit.record(user.email, "password_changed", user.organisation_id, f"user:{user.public_id}")
            db.session.commit()
            _start_session(user)
            flash("Your password has been changed. Other sessions have been logged out.")
            return redirect(url_for("main.home"))
    return render_template("auth/change_password.html", form=form), 400 if form.errors else 200
