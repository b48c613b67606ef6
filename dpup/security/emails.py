"""What counts as an email address: the same rule as the web forms (WTForms' Email validator uses
email-validator too), for accounts made from the command line or an import file."""

from __future__ import annotations

from email_validator import EmailNotValidError, validate_email


def is_email(text: str) -> bool:
    try:
        validate_email(text, check_deliverability=False)  # no DNS look-ups: dpup may run offline
    except EmailNotValidError:
        return False
    return True
