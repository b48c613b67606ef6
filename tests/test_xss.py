"""Stored XSS: a list of payloads in every free-text field comes out inert in HTML and Markdown
(the PDF is covered in test_reports.py)."""

from html.parser import HTMLParser

import markdown as md

from tests.test_flow import answer, question_url
from tests.helpers import submit

PAYLOADS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(2)>",
    "<svg/onload=alert(3)>",
    "\"><iframe src=javascript:alert(4)>",
    "[click](javascript:alert(5))",
    "<a href='javascript:alert(6)'>x</a>",
    "{{ 7*7 }} {% raw %}",
    "<style>body{display:none}</style>",
]
FORBIDDEN_TAGS = {"script", "img", "svg", "iframe", "style", "object", "embed"}


class Elements(HTMLParser):
    """Every element the browser would build, with its attributes: what an attacker would need."""

    def __init__(self, html: str):
        super().__init__()
        self.found: list[tuple[str, dict]] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, dict(attrs)))


def problems(html: str) -> list[str]:
    found = []
    for tag, attrs in Elements(html).found:
        if tag in FORBIDDEN_TAGS:
            found.append(f"<{tag}>")
        for name, value in attrs.items():
            if name.startswith("on") or (value or "").strip().lower().startswith("javascript:"):
                found.append(f"<{tag} {name}={value}>")
    return found


def all_fields(client, payload: str) -> str:
    response = submit(client, "/assessments/new", {"initiative": f"Initiative {payload}",
                                                   "description": f"Description {payload}", "trees": ["journey"]})
    public_id = response.location.split("/")[2]
    answer(client, public_id, "purpose", answer="no", note=f"Note {payload}", action_owner=f"Owner {payload}",
           action_due="2027-01-01")
    answer(client, public_id, "personal", answer="identifying")
    answer(client, public_id, "why-identifying", answer=f"Text {payload}")
    answer(client, public_id, "matching", answer="na", reason=f"Reason {payload}")
    return public_id


def test_payloads_are_inert_in_every_page_and_the_markdown(client):
    for payload in PAYLOADS:
        public_id = all_fields(client, payload)
        pages = [client.get(url).get_data(as_text=True) for url in (
            f"/assessments/{public_id}", f"/assessments/{public_id}/report", "/assessments/",
            f"/assessments/{public_id}/trees/journey/summary", question_url(public_id, "purpose"))]
        for html in pages:
            assert problems(html) == [], payload
        if "7*7" in payload:
            assert "{{ 7*7 }}" in pages[1]  # shown as typed, never evaluated as a template
        rendered = md.markdown(client.get(f"/assessments/{public_id}/report.md").get_data(as_text=True))
        assert problems(rendered) == [], payload


def test_the_checker_catches_a_real_injection():
    assert problems('<p>hi<img src=x onerror=alert(1)></p><a href="javascript:x">') != []
