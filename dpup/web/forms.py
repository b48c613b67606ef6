"""WTForms forms. Question forms are built from the tree node, so a new tree needs no new form."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import (
    HiddenField,
    RadioField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, Optional, Regexp
from wtforms.widgets import CheckboxInput, ListWidget

from dpup.engine import QuestionNode
from dpup.engine.model import AnswerKind
from dpup.engine.walk import MAX_TEXT


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class StartForm(FlaskForm):
    organisation = StringField("Organisation", validators=[DataRequired("Enter your organisation's name."), Length(max=200)])
    initiative = StringField(
        "Initiative or project being assessed",
        validators=[DataRequired("Enter the name of the initiative you are assessing."), Length(max=200)],
    )
    description = TextAreaField("Short description", validators=[Optional(), Length(max=5000)])
    trees = MultiCheckboxField("Which parts of DPUP will you assess?",
                               validators=[DataRequired("Choose at least one assessment.")])


class QuestionForm(FlaskForm):
    """The fields every question has; the answer field is added per node by ``question_form``."""

    note = TextAreaField("Note (optional)", validators=[Optional(), Length(max=MAX_TEXT)],
                         description="Anything a reviewer should know: evidence, context, who you asked.")
    reason = TextAreaField("Reason", validators=[Optional(), Length(max=MAX_TEXT)])
    action_owner = StringField("Who will do the action? (optional)", validators=[Optional(), Length(max=200)])
    action_due = StringField(
        "Due date (optional)",
        validators=[Optional(), Regexp(r"^\d{4}-\d{2}-\d{2}$", message="Write the date as YYYY-MM-DD.")],
        description="As YYYY-MM-DD, for example 2027-03-31.",
    )
    version = HiddenField()


def question_form(node: QuestionNode, **kwargs) -> QuestionForm:
    class Form(QuestionForm):
        pass

    label = node.prompt
    choices = [(o.value, o.display) for o in node.options]
    if node.kind == AnswerKind.TEXT:
        Form.answer = TextAreaField(label, validators=[Length(max=MAX_TEXT)])
    elif node.kind == AnswerKind.SEVERAL_OF:
        Form.answer = MultiCheckboxField(label, choices=choices, validate_choice=False)
    else:
        Form.answer = RadioField(label, choices=choices, validate_choice=False)
    form = Form(**kwargs)
    asking = [o for o in node.options if o.ask_reason]
    if asking:
        form.reason.label.text = asking[0].ask_reason
        form.reason.description = "Only needed if you answer " + " or ".join(f"“{o.display}”" for o in asking) + "."
    return form


def needs_reason(node: QuestionNode) -> bool:
    return any(o.ask_reason for o in node.options)


def raises_action(node: QuestionNode) -> bool:
    return any(o.finding and o.finding.action for o in node.options)
