"""WTForms forms. Question forms are built from the tree node, so a new tree needs no new form."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    EmailField,
    HiddenField,
    PasswordField,
    RadioField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Email, EqualTo, Length, Optional, Regexp, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from dpup.engine import QuestionNode
from dpup.engine.model import AnswerKind
from dpup.engine.walk import MAX_TEXT
from dpup.security.passwords import MIN_LENGTH, SUGGESTED_LENGTH, password_problems
from dpup.storage.models import Role


def _at_most(characters: int) -> Length:
    """The length limit in dpup's words, not the library's."""
    return Length(max=characters, message=f"Keep this to {characters:,} characters or fewer (it has %(length)d). "
                                          "Shorten it, or put the detail in a document and say where it is.")


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class DetailsForm(FlaskForm):
    """What an assessment is about. ``version`` refuses a save over someone else's newer one."""

    initiative = StringField(
        "Initiative or project being assessed",
        validators=[DataRequired("Enter the name of the initiative you are assessing."), _at_most(200)],
    )
    description = TextAreaField("Short description", validators=[Optional(), _at_most(5000)])
    version = HiddenField()


class StartForm(DetailsForm):
    version = None  # a new assessment has no version yet
    trees = MultiCheckboxField("Which parts of DPUP will you assess?",
                               validators=[DataRequired("Choose at least one assessment.")])


class ProfileStartForm(DetailsForm):
    """With an "About this work" profile, the trees are recommended from its answers, not ticked here."""

    version = None


class TreesForm(FlaskForm):
    """The pre-screen: the trees to cover. Each one's reason field is read by name ("reason-<tree id>")."""

    trees = MultiCheckboxField("Which assessments will you do?",
                               validators=[DataRequired("Choose at least one assessment.")])
    version = HiddenField()


def _optional_text():
    return [Optional(), _at_most(MAX_TEXT)]


class QuestionForm(FlaskForm):
    """The fields every question has; the answer field is added per node by ``question_form``."""

    note = TextAreaField("Note (optional)", validators=_optional_text(),
                         description="Anything a reviewer should know: evidence, context, who you asked.")
    reason = TextAreaField("Reason", validators=_optional_text())
    action_owner = StringField("Who will do the action? (optional)", validators=[Optional(), _at_most(200)])
    action_due = StringField(
        "Due date (optional)",
        validators=[Optional(), Regexp(r"^\d{4}-\d{2}-\d{2}$", message="Write the date as YYYY-MM-DD.")],
        description="As YYYY-MM-DD, for example 2027-03-31.",
    )
    version = HiddenField()


def question_form(node: QuestionNode, **kwargs) -> QuestionForm:
    return _form_class(node)(**kwargs)


# One form class per question node, built the first time it is asked (building a WTForms class is
# a good part of a question page's cost). Keyed by identity; the entry holds the node, so the id
# cannot be reused while the entry exists.
_form_classes: dict[int, tuple[QuestionNode, type[QuestionForm]]] = {}


def _form_class(node: QuestionNode) -> type[QuestionForm]:
    cached = _form_classes.get(id(node))
    if cached is None or cached[0] is not node:
        cached = _form_classes[id(node)] = (node, _build_form_class(node))
    return cached[1]


def _build_form_class(node: QuestionNode) -> type[QuestionForm]:
    class Form(QuestionForm):
        pass

    label = node.prompt
    choices = [SelectChoice(o.value, o.display) for o in node.options]
    if node.kind == AnswerKind.TEXT:
        Form.answer = TextAreaField(label, validators=[_at_most(MAX_TEXT)])
    elif node.kind == AnswerKind.SEVERAL_OF:
        Form.answer = MultiCheckboxField(label, choices=choices, validate_choice=False)
    else:
        Form.answer = RadioField(label, choices=choices, validate_choice=False)
    asking = [o for o in node.options if o.ask_reason]
    if asking:
        Form.reason = TextAreaField(
            asking[0].ask_reason, validators=_optional_text(),
            description="Only needed if you answer " + " or ".join(f"“{o.display}”" for o in asking) + ".")
    return Form


def needs_reason(node: QuestionNode) -> bool:
    return any(o.ask_reason for o in node.options)


def raises_action(node: QuestionNode) -> bool:
    return any(o.finding and o.finding.action for o in node.options)


# --- Accounts ---


class NewPassword:
    """WTForms validator applying the password rules, with the person's own details as context."""

    def __call__(self, form, field):
        problems = password_problems(field.data or "", *getattr(form, "context", ()), *form.typed_context())
        if problems:
            raise ValidationError(problems[0])


class _PasswordSetting(FlaskForm):
    password = PasswordField(
        "New password", validators=[DataRequired("Enter a password."), NewPassword()],
        description=f"At least {MIN_LENGTH} characters; {SUGGESTED_LENGTH} or more is better. "
                    "A few unrelated words make a strong, memorable password.",
        render_kw={"autocomplete": "new-password"},
    )
    confirm = PasswordField("Type the new password again", render_kw={"autocomplete": "new-password"},
                            validators=[EqualTo("password", "The two passwords are not the same.")])

    def __init__(self, *args, context: tuple[str, ...] = (), **kwargs):
        super().__init__(*args, **kwargs)
        self.context = context

    def typed_context(self) -> tuple[str, ...]:
        return ()


class SetPasswordForm(_PasswordSetting):
    pass


class PasswordForm(_PasswordSetting):
    current_password = PasswordField("Current password", validators=[DataRequired("Enter your current password.")],
                                     render_kw={"autocomplete": "current-password"})
    FIELD_ORDER = ("current_password", "password", "confirm")


class LoginForm(FlaskForm):
    email = EmailField("Email address", validators=[DataRequired("Enter your email address."), _at_most(254)],
                       render_kw={"autocomplete": "username"})
    password = PasswordField("Password", validators=[DataRequired("Enter your password.")],
                             render_kw={"autocomplete": "current-password"})


class FirstRunForm(_PasswordSetting):
    organisation = StringField("Organisation name", validators=[DataRequired("Enter your organisation's name."),
                                                                _at_most(200)])
    name = StringField("Your name", validators=[DataRequired("Enter your name."), _at_most(200)])
    email = EmailField("Your email address", validators=[DataRequired("Enter your email address."),
                                                         Email("Enter an email address like name@example.org."),
                                                         _at_most(254)], render_kw={"autocomplete": "username"})

    privacy_officer = BooleanField("I will also do the privacy assessments (privacy officer)", default=True,
                                   description="Leave this ticked if you will start, review and sign off "
                                               "assessments yourself. You can invite others later.")
    FIELD_ORDER = ("organisation", "name", "email", "password", "confirm", "privacy_officer")

    def typed_context(self) -> tuple[str, ...]:
        return (self.organisation.data or "", self.name.data or "", self.email.data or "")


ROLE_CHOICES = [SelectChoice(r.value, r.label) for r in Role]


def _roles_field():
    return MultiCheckboxField("Roles", choices=ROLE_CHOICES, validators=[DataRequired("Choose at least one role.")],
                              description="Tick every role the person has: in a small organisation one person "
                                          "can be, say, both administrator and privacy officer.")


class InviteForm(FlaskForm):
    name = StringField("Name", validators=[DataRequired("Enter the person's name."), _at_most(200)])
    email = EmailField("Email address", validators=[DataRequired("Enter their email address."),
                                                    Email("Enter an email address like name@example.org."),
                                                    _at_most(254)])
    role = _roles_field()


class RoleForm(FlaskForm):
    role = _roles_field()
    active = BooleanField("Account is active")


class SettingsForm(FlaskForm):
    public_checklists = BooleanField("Let people use the frontline checklists without logging in",
                                     description="Through your organisation's checklist link. Results can "
                                                 "only be saved by people who are logged in.")
    separate_approver = BooleanField("Two-person review: someone other than the person who submitted an "
                                     "assessment must approve it",
                                     description="Leave this off if only one person in your organisation "
                                                 "can approve assessments.")

    SETTINGS = ("public_checklists", "separate_approver")


class ReviewForm(FlaskForm):
    decision = RadioField("Your decision", choices=[SelectChoice("approve", "Approve and sign off"),
                                                    SelectChoice("changes", "Ask for changes")],
                          validators=[DataRequired("Choose approve or ask for changes.")])
    comment = TextAreaField("Comments for the privacy officer", validators=[Optional(), _at_most(MAX_TEXT)],
                            description="Needed if you ask for changes.")


class ActionForm(FlaskForm):
    """A form with only the CSRF token, for buttons that change state (submit, log out, new version)."""
