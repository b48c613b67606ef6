"""Forms of the organisation's DPUP self-assessment. The level choices come from the framework
file, so a new level or criterion needs no new form."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import HiddenField, IntegerField, RadioField, SelectField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, NumberRange, Optional

from dpup.engine.maturity import Criterion, Framework
from dpup.storage.maturity import MAX_EVIDENCE, MAX_NOTE
from dpup.web.forms import _at_most

NOT_RATED = ""


class StartSelfAssessmentForm(FlaskForm):
    year = IntegerField("Year", validators=[InputRequired("Enter the year this self-assessment is for."),
                                            NumberRange(2000, 2100, "Enter a year such as 2026.")])


class RatingForm(FlaskForm):
    FIELD_ORDER = ("level", "target", "note", "evidence")
    level = RadioField("Which level best describes us today?", default=NOT_RATED, validators=[Optional()])
    target = SelectField("The level we aim for next", default=NOT_RATED, validate_choice=True)
    note = TextAreaField("Why this level (what we do, and what is missing)", validators=[Optional(),
                                                                                         _at_most(MAX_NOTE)])
    evidence = TextAreaField("Evidence: what we could show someone who asked, and where it is",
                             validators=[Optional(), _at_most(MAX_EVIDENCE)])
    version = HiddenField()


def rating_form(framework: Framework, criterion: Criterion, **kwargs) -> RatingForm:
    form = RatingForm(**kwargs)
    form.level.choices = [SelectChoice(lv.id, f"{lv.label}: {criterion.levels[lv.id]}") for lv in framework.levels] + [
        SelectChoice(NOT_RATED, "Not rated yet")]
    form.target.choices = [SelectChoice(NOT_RATED, "One level up (the default)")] + [
        SelectChoice(lv.id, lv.label) for lv in framework.levels]
    return form
