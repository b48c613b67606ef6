"""Forms of the action plan, the register's filters and the brief's words (kept apart from forms.py,
which builds the question forms)."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import HiddenField, RadioField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from dpup.storage.actions import MAX_NOTE, ActionChange, BadDate, parse_due
from dpup.storage.models import ActionStatus

MAX_WORDS = 2000


class DueDate(StringField):
    """``<input type="date">`` where the browser has one; typed 31/01/2027 or 2027-01-31 is taken too."""

    def process_formdata(self, valuelist):
        super().process_formdata(valuelist)
        self.typed = self.data or ""

    def pre_validate(self, form):
        try:
            self.parsed = parse_due(self.data or "")
        except BadDate as exc:
            raise ValidationError(str(exc)) from exc


class ActionEditForm(FlaskForm):
    owner_id = SelectField("Owner: a person in your organisation", choices=[], validate_choice=False)
    owner_name = StringField("Or someone without an account (their name or role)",
                             validators=[Optional(), Length(max=200)])
    due = DueDate("Due date", description="For example 31/01/2027.", render_kw={"type": "date"})
    status = RadioField("Status", choices=[SelectChoice(s.value, s.label) for s in ActionStatus],
                        validators=[InputRequired("Choose a status.")])
    reason = TextAreaField("Why the risk is accepted", validators=[Length(max=MAX_NOTE)],
                           description="Needed when the status is “Risk accepted”.")
    note = TextAreaField("Completion note", validators=[Optional(), Length(max=MAX_NOTE)])
    version = HiddenField()

    def validate_reason(self, field):
        if self.status.data == ActionStatus.RISK_ACCEPTED and not (field.data or "").strip():
            raise ValidationError("Say why the risk is accepted.")

    @classmethod
    def for_item(cls, item, people, fill: bool) -> ActionEditForm:
        """The form for one action item (an assessment's or a self-assessment's), filled from the item
        when ``fill`` (a GET), else from what was posted; owners are the organisation's ``people``."""
        form = cls(data={
            "owner_id": str(item.owner_id or ""), "owner_name": item.owner_name,
            "due": item.due.isoformat() if item.due else "", "status": item.status, "reason": item.reason,
            "note": item.note, "version": str(item.version)} if fill else None)
        form.owner_id.choices = [SelectChoice("", "Nobody in dpup (type a name below)")] + [
            SelectChoice(str(u.id), u.name) for u in people]
        form._people = people
        return form

    def change(self) -> ActionChange:
        """What was posted, as a change to the item."""
        chosen = next((u for u in self._people if str(u.id) == self.owner_id.data), None)
        return ActionChange(chosen.id if chosen else None, (self.owner_name.data or "").strip(), self.due.parsed,
                            ActionStatus(self.status.data), (self.reason.data or "").strip(),
                            (self.note.data or "").strip())


class BriefWordsForm(FlaskForm):
    decision_sought = TextAreaField("The decision the board is asked to make",
                                    validators=[Optional(), Length(max=MAX_WORDS)])
    recommendation = TextAreaField("Your recommendation", validators=[Optional(), Length(max=MAX_WORDS)])
    lead_findings = SelectMultipleField("Findings that lead the brief", choices=[], validate_choice=True,
                                        option_widget=CheckboxInput(), widget=ListWidget(prefix_label=False))
    version = HiddenField()

    def validate_lead_findings(self, field):
        if len(field.data or []) > 7:
            raise ValidationError("Choose at most 7 findings to lead the brief.")


class RegisterFilterForm(FlaskForm):
    class Meta:
        csrf = False  # a GET form: it changes nothing

    owner = StringField("Owner", validators=[Optional(), Length(max=200)])
    status = SelectField("Status", choices=[SelectChoice(s.value, s.label) for s in ActionStatus]
                         + [SelectChoice("any", "Any status")], default="open", validate_choice=False)
    due_by = DueDate("Due on or before", render_kw={"type": "date"})
    overdue = SelectField("Overdue", choices=[SelectChoice("", "Overdue or not"), SelectChoice("yes", "Overdue only")],
                          default="", validate_choice=False)
