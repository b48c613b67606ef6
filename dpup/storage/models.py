"""What is stored: assessments, the trees they use (pinned by version) and answers by node id."""

from __future__ import annotations

from datetime import date, datetime

from enum import StrEnum

from sqlalchemy import JSON, Boolean, CheckConstraint, Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy import false as sa_false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from dpup.storage.columns import Reviewed, Status, new_public_id, utcnow  # noqa: F401  (Status: imported from here too)
from dpup.storage.db import db


class Role(StrEnum):
    ADMINISTRATOR = "administrator"
    PRIVACY_OFFICER = "privacy_officer"
    FRONTLINE = "frontline"
    BOARD = "board"

    @property
    def label(self) -> str:
        return {"administrator": "Administrator", "privacy_officer": "Privacy officer",
                "frontline": "Frontline worker", "board": "Board viewer"}[self.value]


def parse_roles(stored: str | None) -> frozenset[Role]:
    """The roles in a stored ``role`` value; an unknown word (from a newer dpup, say) is ignored."""
    known = {r.value for r in Role}
    return frozenset(Role(word) for word in (stored or "").replace(",", " ").split() if word in known)


def join_roles(roles) -> str:
    """Roles as stored: space-separated, in Role order, each once."""
    chosen = {Role(r) for r in roles}
    return " ".join(r.value for r in Role if r in chosen)


class Organisation(db.Model):
    __tablename__ = "organisation"
    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(String(32), unique=True, default=new_public_id)
    name: Mapped[str] = mapped_column(String(200))
    # Whether frontline checklists may be used without logging in, through the organisation's link.
    public_checklists: Mapped[bool] = mapped_column(Boolean, default=False)
    # Two-person review: whoever submits an assessment cannot also approve it. Off by default, as
    # many small providers have only one privacy officer.
    separate_approver: Mapped[bool] = mapped_column(Boolean, default=False, server_default=sa_false())
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class User(db.Model):
    __tablename__ = "user_account"
    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(String(32), unique=True, default=new_public_id)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    # Every role the person has, space-separated in Role order ("administrator privacy_officer"): in a
    # small organisation the administrator is often the privacy officer too. One column rather than a
    # table, so loading the person on every request stays one query; see ``roles``.
    role: Mapped[str] = mapped_column(String(100))
    password_hash: Mapped[str | None] = mapped_column(String(200), nullable=True)
    # Bumped on logout and password change: every session issued before is refused.
    session_version: Mapped[int] = mapped_column(Integer, default=1)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(nullable=True)

    # Every page names the person's organisation: load it with the person, in the same query.
    organisation: Mapped[Organisation] = relationship(lazy="joined")

    # Flask-Login: the id in the session carries the session version, so old sessions stop working.
    is_authenticated = True
    is_anonymous = False

    @property
    def is_active(self) -> bool:
        return self.active and self.password_hash is not None

    def get_id(self) -> str:
        return f"{self.public_id}.{self.session_version}"

    @property
    def roles(self) -> frozenset[Role]:
        return parse_roles(self.role)

    def has_role(self, role: Role) -> bool:
        return role in self.roles

    @property
    def role_label(self) -> str:
        """"Administrator and privacy officer"."""
        labels = [r.label for r in Role if r in self.roles]
        return " and ".join([labels[0], *(label.lower() for label in labels[1:])]) if labels else ""


class AuditEvent(db.Model):
    __tablename__ = "audit_event"
    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id"), index=True, nullable=True)
    actor: Mapped[str] = mapped_column(String(254))
    action: Mapped[str] = mapped_column(String(60))
    target: Mapped[str] = mapped_column(String(200), default="")
    before: Mapped[object | None] = mapped_column(JSON, nullable=True)
    after: Mapped[object | None] = mapped_column(JSON, nullable=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)

    # One assessment's (or self-assessment's) events: its history, and when each review began for the
    # self-assessment's evidence. Read by seeking, not by scanning the organisation's whole trail.
    __table_args__ = (Index("ix_audit_event_organisation_target_at", "organisation_id", "target", "at"),)


class LoginThrottle(db.Model):
    """Attempts per key (a client address, an email typed at login, a user changing their password)
    in the current window, shared by every worker and host; see dpup/web/throttle.py."""

    __tablename__ = "login_throttle"
    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    window_start: Mapped[datetime] = mapped_column(default=utcnow)


class ChecklistRecord(db.Model):
    """A frontline checklist result: who and when, never the service user's details."""

    __tablename__ = "checklist_record"
    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    checklist_id: Mapped[str] = mapped_column(String(80))
    checklist_hash: Mapped[str] = mapped_column(String(64))
    all_clear: Mapped[bool] = mapped_column(Boolean)
    to_do: Mapped[object] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    user: Mapped[User] = relationship()

    # The self-assessment's evidence counts one organisation's checklist use in a year.
    __table_args__ = (Index("ix_checklist_record_organisation_created", "organisation_id", "created_at",
                            "checklist_id", "all_clear"),)


class KeptForm(db.Model):
    """What a person had typed into a form when their session timed out, kept until they log in
    again and see it back in the same form (never saved as an answer without their say)."""

    __tablename__ = "kept_form"
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    path: Mapped[str] = mapped_column(String(500))
    fields: Mapped[object] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class TreeVersion(db.Model):
    """The exact text of a tree file an assessment was answered against, so it reads the same later."""

    __tablename__ = "tree_version"
    content_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    tree_id: Mapped[str] = mapped_column(String(80), index=True)
    path: Mapped[str] = mapped_column(String(300))
    source: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Assessment(Reviewed, db.Model):
    __tablename__ = "assessment"
    audit_kind = "assessment"
    organisation_name: Mapped[str] = mapped_column(String(200))
    initiative: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    # A new version of an approved assessment is a copy (``previous_id``); the old one stays readable.
    revision: Mapped[int] = mapped_column(Integer, default=1)
    # The privacy officer's own words for the board brief, written before submitting and reviewed
    # like any answer; and which findings (by action key) lead the brief's priorities.
    recommendation: Mapped[str] = mapped_column(Text, default="", server_default="")
    decision_sought: Mapped[str] = mapped_column(Text, default="", server_default="")
    lead_findings: Mapped[list] = mapped_column(JSON, default=list)
    # The pre-screen: {tree id: {"recommended": why or "", "chosen": bool, "reason": the person's why}},
    # for every tree offered. None until chosen (and for assessments started with trees ticked directly).
    scope: Mapped[dict | None] = mapped_column(JSON, nullable=True)

    trees: Mapped[list[AssessmentTree]] = relationship(
        back_populates="assessment", order_by="AssessmentTree.position", cascade="all, delete-orphan"
    )
    answers: Mapped[list[AnswerRecord]] = relationship(
        back_populates="assessment", cascade="all, delete-orphan"
    )
    actions: Mapped[list[ActionItem]] = relationship(
        back_populates="assessment", cascade="all, delete-orphan", order_by="ActionItem.id"
    )
    documents: Mapped[list[DocumentDraft]] = relationship(
        back_populates="assessment", cascade="all, delete-orphan", order_by="DocumentDraft.id"
    )

    # The assessments list (store.visible_to): one organisation's, most recently changed first. With
    # this index the page is read in order from the index instead of sorting the whole organisation.
    # It also serves every lookup by organisation, so organisation_id needs no index of its own.
    __table_args__ = (Index("ix_assessment_organisation_updated", "organisation_id", "updated_at", "id"),
                      # The same list filtered by status ("waiting for review"), read in order too.
                      Index("ix_assessment_organisation_status_updated", "organisation_id", "status", "updated_at",
                            "id"),
                      # The self-assessment's evidence: the initiatives an organisation assessed in a year.
                      Index("ix_assessment_organisation_created", "organisation_id", "created_at", "status"))

    def answers_for(self, tree_id: str) -> dict[str, AnswerRecord]:
        return {a.node_id: a for a in self.answers if a.tree_id == tree_id}


class AssessmentTree(db.Model):
    """One tree an assessment covers, pinned to the version it was started with."""

    __tablename__ = "assessment_tree"
    __table_args__ = (UniqueConstraint("assessment_id", "tree_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessment.id", ondelete="CASCADE"), index=True)
    tree_id: Mapped[str] = mapped_column(String(80))
    content_hash: Mapped[str] = mapped_column(ForeignKey("tree_version.content_hash"))
    position: Mapped[int] = mapped_column(default=0)

    assessment: Mapped[Assessment] = relationship(back_populates="trees")
    tree_version: Mapped[TreeVersion] = relationship()


class AnswerRecord(db.Model):
    __tablename__ = "answer"
    __table_args__ = (UniqueConstraint("assessment_id", "tree_id", "node_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessment.id", ondelete="CASCADE"), index=True)
    tree_id: Mapped[str] = mapped_column(String(80))
    node_id: Mapped[str] = mapped_column(String(80))
    value: Mapped[object] = mapped_column(JSON)
    note: Mapped[str] = mapped_column(Text, default="")
    reason: Mapped[str] = mapped_column(Text, default="")
    action_owner: Mapped[str] = mapped_column(String(200), default="")
    action_due: Mapped[str] = mapped_column(String(40), default="")
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    assessment: Mapped[Assessment] = relationship(back_populates="answers")


class ActionStatus(StrEnum):
    OPEN = "open"
    DONE = "done"
    RISK_ACCEPTED = "risk_accepted"
    NOT_NEEDED = "not_needed"

    @property
    def label(self) -> str:
        return {"open": "Open", "done": "Done", "risk_accepted": "Risk accepted",
                "not_needed": "No longer needed"}[self.value]


class ActionItem(db.Model):
    """An action a finding asks for, as a record of the assessment: who does it, by when, and how it
    ended. One per finding (``key``: the catalogue id, or the words of an old inline finding). When
    no answer raises its finding any more it is marked "no longer needed", never deleted.

    Or a gap of the organisation's maturity self-assessment (``self_assessment_id``; ``key`` is the
    criterion id): every item belongs to exactly one of the two, so the register lists both."""

    __tablename__ = "action_item"
    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(String(32), unique=True, default=new_public_id)
    assessment_id: Mapped[int | None] = mapped_column(ForeignKey("assessment.id", ondelete="CASCADE"), index=True,
                                                      nullable=True)
    self_assessment_id: Mapped[int | None] = mapped_column(ForeignKey("self_assessment.id", ondelete="CASCADE"),
                                                           index=True, nullable=True)
    # Copied from the assessment so the organisation's register is one indexed read.
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"))
    key: Mapped[str] = mapped_column(String(500))
    text: Mapped[str] = mapped_column(Text)  # the action, in the catalogue's words
    finding: Mapped[str] = mapped_column(Text, default="")  # the finding's words, for the register
    severity: Mapped[str] = mapped_column(String(30))
    trees: Mapped[list] = mapped_column(JSON, default=list)  # the trees whose answers raise it now
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), nullable=True)
    owner_name: Mapped[str] = mapped_column(String(200), default="")  # someone without an account
    due: Mapped[date | None] = mapped_column(Date, nullable=True)
    status: Mapped[str] = mapped_column(String(20), default=ActionStatus.OPEN)
    reason: Mapped[str] = mapped_column(Text, default="")  # why a risk was accepted
    note: Mapped[str] = mapped_column(Text, default="")  # how it was done, or anything else
    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    assessment: Mapped[Assessment | None] = relationship(back_populates="actions")
    self_assessment: Mapped["SelfAssessment | None"] = relationship(back_populates="actions")  # noqa: F821
    owner: Mapped[User | None] = relationship()

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (UniqueConstraint("assessment_id", "key"),
                      UniqueConstraint("self_assessment_id", "key"),
                      # The self-assessment's evidence: each of a year's assessments' most serious finding,
                      # read from the index alone.
                      Index("ix_action_item_assessment_severity", "assessment_id", "status", "severity"),
                      CheckConstraint("(assessment_id IS NULL) <> (self_assessment_id IS NULL)", name="one_owner"),
                      # The register: one organisation's actions of a status, soonest due first; and of
                      # any status. Its pages seek along these in (due, id) order.
                      Index("ix_action_item_register", "organisation_id", "status", "due", "id"),
                      Index("ix_action_item_register_any_status", "organisation_id", "due", "id"))

    @property
    def owner_label(self) -> str:
        return self.owner.name if self.owner else self.owner_name

    @property
    def source_title(self) -> str:
        """What the item belongs to, as the register and its CSV name it."""
        if self.assessment is not None:
            return self.assessment.initiative
        return f"DPUP self-assessment {self.self_assessment.year}" if self.self_assessment else ""


class DocumentDraft(db.Model):
    """A document drafted from the assessment's answers (a privacy notice, say), as the privacy officer
    has edited it since. ``facts`` holds the answers it was drafted from, so the page can tell when
    one has changed; the text is never rewritten unless the person asks for a new draft."""

    __tablename__ = "document_draft"
    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessment.id", ondelete="CASCADE"), index=True)
    document_id: Mapped[str] = mapped_column(String(80))  # the template's id: content/documents/<id>.md
    title: Mapped[str] = mapped_column(String(200))  # the template's title when drafted
    text: Mapped[str] = mapped_column(Text, default="")
    te_reo: Mapped[bool] = mapped_column(Boolean, default=False)  # te reo Māori greetings and headings
    facts: Mapped[dict] = mapped_column(JSON, default=dict)  # {"tree:question": {"value": …, "note": …}}
    drafted_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    updated_by: Mapped[str] = mapped_column(String(200), default="")  # a name, kept if the account goes
    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)

    assessment: Mapped[Assessment] = relationship(back_populates="documents")

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (UniqueConstraint("assessment_id", "document_id"),)


from dpup.storage.maturity_models import MaturityRating, SelfAssessment  # noqa: E402, F401  (registered with the rest)
