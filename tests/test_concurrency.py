"""What an attacker or two busy people see when requests arrive at the same moment: limits that
hold, exactly one winner, and never a 500. Each test fires real concurrent requests (see
tests/concurrency.py), on SQLite and on PostgreSQL."""

from collections import Counter

from dpup.storage.db import db
from dpup.storage.models import Organisation, User
from tests.concurrency import burst, shared_app  # noqa: F401  (fixture)
from tests.conftest import PASSWORD, make_people
from tests.helpers import csrf_token


def _login_form(app, address="192.0.2.1"):
    client = app.test_client()
    page = client.get("/login", environ_base={"REMOTE_ADDR": address}).get_data(as_text=True)
    return client, csrf_token(page)


def _try_login(prepared, email, password, address="192.0.2.1"):
    client, token = prepared
    response = client.post("/login", data={"csrf_token": token, "email": email, "password": password},
                           environ_base={"REMOTE_ADDR": address})
    return response.status_code


def test_parallel_wrong_passwords_check_at_most_five_per_account(shared_app):
    people = make_people(shared_app, "Trust", "own")
    addresses = [f"198.51.100.{n}" for n in range(4)]  # four bursts from four addresses, as the probe did
    statuses = burst(40, lambda i: _login_form(shared_app, addresses[i % 4]),
                     lambda i, form: _try_login(form, people["board"], f"wrong guess {i}", addresses[i % 4]))
    assert Counter(statuses) == {400: 5, 429: 35}  # five passwords checked, the rest refused unchecked
    assert _try_login(_login_form(shared_app, "203.0.113.50"), people["board"], PASSWORD,
                      "203.0.113.50") == 429  # locked, even with the right password from elsewhere


def test_parallel_guesses_from_one_address_check_at_most_twenty(shared_app):
    # Forty real accounts, one guess each, so only the address limit applies (and every check is of
    # a real, test-cheap hash: 40 checks of the production-strength dummy hash would only load the CPU).
    from dpup.security.passwords import hash_password

    with shared_app.app_context():
        organisation, hashed = Organisation(name="Trust"), hash_password(PASSWORD)
        db.session.add_all(User(organisation=organisation, name=f"Person {i}", email=f"person{i}@trust.example",
                                role="frontline", password_hash=hashed) for i in range(40))
        db.session.commit()
    statuses = burst(40, lambda i: _login_form(shared_app),
                     lambda i, form: _try_login(form, f"person{i}@trust.example", "not the password"))
    assert Counter(statuses) == {400: 20, 429: 20}  # and no 500 from two first failures at once


def test_parallel_setup_creates_exactly_one_organisation_and_administrator(shared_app):
    def prepare(i):
        client = shared_app.test_client()
        return client, csrf_token(client.get("/setup").get_data(as_text=True))

    def fire(i, prepared):
        client, token = prepared
        return client.post("/setup", data={"csrf_token": token, "organisation": f"Trust {i}", "name": f"Admin {i}",
                                           "email": f"admin{i}@trust.example", "password": PASSWORD,
                                           "confirm": PASSWORD}).status_code

    statuses = burst(12, prepare, fire)
    assert Counter(statuses) == {302: 1, 404: 11}
    with shared_app.app_context():
        assert db.session.query(Organisation).count() == 1 and db.session.query(User).count() == 1
