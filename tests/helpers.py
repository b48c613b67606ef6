"""Helpers for driving forms through the test client the way a browser does, CSRF token included."""

import re
from html import unescape

CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"|name="csrf_token" value="([^"]+)"')


def csrf_token(html: str) -> str:
    match = CSRF.search(html)
    assert match, "the page has no CSRF token"
    return match.group(1) or match.group(2)


def form_value(html: str, name: str) -> str | None:
    match = re.search(rf'<input[^>]*name="{name}"[^>]*value="([^"]*)"', html) or re.search(
        rf'<input[^>]*value="([^"]*)"[^>]*name="{name}"', html)
    return unescape(match.group(1)) if match else None


def submit(client, url: str, data: dict, follow_redirects: bool = False):
    """GET the form, then POST it with its CSRF token and hidden version, as a browser would."""
    page = client.get(url)
    assert page.status_code == 200, (url, page.status_code)
    html = page.get_data(as_text=True)
    fields = {"csrf_token": csrf_token(html)}
    version = form_value(html, "version")
    if version is not None:
        fields["version"] = version
    fields.update(data)
    return client.post(url, data=fields, follow_redirects=follow_redirects)


def text_of(response) -> str:
    """The page's visible text, tags removed and whitespace folded, for asserting what a person reads."""
    html = response.get_data(as_text=True)
    html = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", html, flags=re.S)
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())
