"""Forms of the document drafts: making (or re-making) a draft, and editing its text."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, TextAreaField
from wtforms.validators import Length

from dpup.storage.documents import MAX_TEXT


class DraftForm(FlaskForm):
    te_reo = BooleanField("Use te reo Māori greetings and headings",
                          description="For example “Kia ora” at the start. You can change any words afterwards.")
    version = HiddenField()


class DocumentTextForm(FlaskForm):
    text = TextAreaField(
        "The text of the document", validators=[Length(max=MAX_TEXT, message=f"Keep it under {MAX_TEXT:,} characters.")],
        description="Plain text. Start a line with # or ## for a heading, and with - or 1. for a list. "
                    "Places in [square brackets] still need your words.")
    version = HiddenField()
