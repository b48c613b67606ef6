"""NUL characters are dropped from submitted text, so SQLite and PostgreSQL store the same thing."""

from werkzeug.datastructures import MultiDict

from dpup.web.inputs import TextMultiDict


def test_nul_is_removed_from_names_and_values_and_repeated_values_are_kept():
    parsed = TextMultiDict([("note", "a\x00b"), ("tr\x00ees", "x"), ("trees", "y\x00")])
    assert parsed["note"] == "ab"
    assert parsed.getlist("trees") == ["x", "y"]
    assert TextMultiDict(MultiDict({"a": ["1\x00", "2"]})).getlist("a") == ["1", "2"]
    assert TextMultiDict() == {}


def test_form_and_query_values_arrive_without_nul(app):
    with app.test_request_context("/?q=a%00b", method="POST", data={"note": "tab\there\x00 and NUL"}):
        from flask import request

        assert request.args["q"] == "ab"
        assert request.form["note"] == "tab\there and NUL"
