"""The DPUP self-assessment at scale. Prints figures; not a test.

1. The maturity report PDF (brief and full record, ``render_maturity_pdf``) of a full self-assessment
   of the bundled framework (20 criteria), compared with a signed-off previous year, with 100
   evidence notes (five a criterion, each a sentence or two) and a note on every criterion.
   Target (issue 17): median under 200 ms.
2. The self-assessment page (``GET /maturity/ID``, with the evidence from the organisation's records
   beside the criteria) for an organisation with 100 assessments and 500 actions, and for one with
   10,000 assessments and 50,000 actions (spread over five years; actions of the last eighteen months
   in every status and older ones mostly finished, one in ten still open; two checklist results and
   three to five audit events an assessment), in the same database, through Flask's test client,
   logged in as each organisation's privacy officer, requested in turns. Target: the large
   organisation within 1.5x of the small one.

    .venv/bin/python benchmarks/maturity_bench.py [--runs N] [--database-url postgresql://...] [--out DIR]

It runs on a new SQLite file in a temporary folder, or on the database given (migrations applied;
the organisations this run adds stay: use a throwaway database). ``--out`` also writes the PDF.
"""

from __future__ import annotations

import argparse
import logging
import re
import secrets
import statistics
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import insert, select, text  # noqa: E402

from dpup.reports.maturity_pdf import render_maturity_pdf  # noqa: E402
from dpup.security.passwords import hash_password  # noqa: E402
from dpup.storage import maturity as store  # noqa: E402
from dpup.storage.db import db, driver_url  # noqa: E402
from dpup.storage.models import (ActionItem, Assessment, AuditEvent, ChecklistRecord, Organisation,  # noqa: E402
                                 Role, Status, User)
from dpup.storage.setup import upgrade_database  # noqa: E402
from dpup.web.app import create_app  # noqa: E402

PASSWORD = "kowhai tui ruru harakeke 2026"
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"|value="([^"]+)"[^>]*name="csrf_token"')
YEAR = 2026
BATCH = 5_000
SEVERITIES = ("advisory", "action_required", "seek_advice", "stop", "action_required")
ACTION_STATUSES = ("open", "done", "open", "not_needed", "risk_accepted")
STATUSES = (Status.DRAFT, Status.SUBMITTED, Status.APPROVED, Status.APPROVED, Status.CHANGES_REQUESTED)


def status_of(created: datetime, n: int) -> str:
    """Actions of the last year in every status; older ones mostly finished, as a register that is
    worked looks (one in ten still open), so the open set follows current work, not all history."""
    if created >= datetime(YEAR - 1, 7, 1) or n % 10 == 0:
        return ACTION_STATUSES[n % 5]
    return ("done", "risk_accepted", "not_needed", "done")[n % 4]


def officer(app, name: str) -> tuple[int, int, str]:
    with app.app_context():
        organisation = Organisation(name=name)
        email = f"officer-{secrets.token_hex(4)}@maturity-bench.example"
        user = User(organisation=organisation, name=f"{name} officer", email=email,
                    role=f"{Role.ADMINISTRATOR.value} {Role.PRIVACY_OFFICER.value}", password_hash=hash_password(PASSWORD))
        db.session.add(user)
        db.session.commit()
        return organisation.id, user.id, email


def fill(app, organisation_id: int, user_id: int, assessments: int, actions_each: int) -> None:
    """Assessments over five years, each with actions, checklist results and audit events, in bulk."""
    start = datetime(YEAR - 4, 1, 1)
    span = timedelta(days=5 * 365)
    with app.app_context():
        done = 0
        while done < assessments:
            n = min(BATCH // max(actions_each, 1), assessments - done)
            rows = [{"public_id": secrets.token_urlsafe(16), "organisation_id": organisation_id,
                     "created_by_id": user_id, "organisation_name": "Bench", "initiative": f"Initiative {i}",
                     "description": "", "created_at": start + span * i / assessments,
                     "updated_at": start + span * i / assessments + timedelta(days=1 + i % 20), "version": 1,
                     "status": STATUSES[i % len(STATUSES)].value, "review_comment": "", "signed_off_by": "",
                     "signed_off_role": "", "revision": 1, "previous_id": None,
                     "signed_off_at": (start + span * i / assessments + timedelta(days=1 + i % 20)
                                       if STATUSES[i % len(STATUSES)] == Status.APPROVED else None)}
                    for i in range(done, done + n)]
            ids = db.session.execute(insert(Assessment).returning(Assessment.id, Assessment.public_id,
                                                                  Assessment.created_at, Assessment.status), rows).all()
            actions, checklists, events = [], [], []
            for k, (aid, public_id, at, status) in enumerate(ids):
                for j in range(actions_each):
                    actions.append({"public_id": secrets.token_urlsafe(16), "assessment_id": aid,
                                    "organisation_id": organisation_id, "key": f"finding-{j}", "text": "Do the thing",
                                    "finding": "A gap", "severity": SEVERITIES[(k + j) % 5], "trees": [],
                                    "owner_name": "", "due": (at + timedelta(days=60 + 9 * j)).date(),
                                    "status": status_of(at, k + j), "reason": "", "note": "", "version": 1,
                                    "created_at": at, "updated_at": at})
                checklists += [{"organisation_id": organisation_id, "user_id": user_id,
                                "checklist_id": ("consent-conversation", "before-sharing")[(k + m) % 2],
                                "checklist_hash": "x", "all_clear": (k + m) % 3 == 0,
                                "to_do": [] if (k + m) % 3 == 0 else ["purpose", "tell"][: 1 + (k + m) % 2],
                                "created_at": at + timedelta(hours=m)} for m in range(2)]
                target = f"assessment:{public_id}"
                events += [{"organisation_id": organisation_id, "actor": "bench", "action": "answer_changed",
                            "target": target, "before": None, "after": {"node": "x"}, "at": at} for _ in range(3)]
                if status in ("submitted", "approved", "changes_requested"):
                    events.append({"organisation_id": organisation_id, "actor": "bench", "action": "status_changed",
                                   "target": target, "before": None, "after": {"status": "submitted"},
                                   "at": at + timedelta(days=1)})
                if status == "approved":
                    events.append({"organisation_id": organisation_id, "actor": "bench", "action": "status_changed",
                                   "target": target, "before": None, "after": {"status": "approved"},
                                   "at": at + timedelta(days=1 + (done + k) % 20)})
            for model, batch in ((ActionItem, actions), (ChecklistRecord, checklists), (AuditEvent, events)):
                if batch:
                    db.session.execute(insert(model), batch)
            db.session.commit()
            done += n
        db.session.execute(text("ANALYZE"))
        db.session.commit()


def start_self_assessment(app, user_id: int, notes: bool = False) -> str:
    """A self-assessment for YEAR, every criterion rated; with ``notes``, a signed-off previous year
    and a note and five evidence notes on every criterion (100 in all)."""
    with app.app_context():
        user = db.session.get(User, user_id)
        framework = app.extensions["dpup.library"].maturity
        levels = [lv.id for lv in framework.levels]
        if notes:
            before = store.start(framework, user, YEAR - 1)
            for n, c in enumerate(framework.criteria):
                store.save_rating(before, c.id, store.RatingChange(levels[n % 3], "", "Last year's note.", ""),
                                  before.version, user)
            store.change_status(before, user, Status.SUBMITTED)
            store.change_status(before, user, Status.APPROVED)
        sa = store.start(framework, user, YEAR)
        for n, c in enumerate(framework.criteria):
            evidence = "\n".join(f"Evidence note {k + 1} for {c.id}: board minutes of {k + 3} March, the register "
                                 f"export and the kaimahi training log for the second quarter." for k in range(5))
            note = ("We moved because the practice is now written down, checked each quarter and reported to the "
                    "board; whānau feedback shaped the new forms.") if notes else ""
            store.save_rating(sa, c.id, store.RatingChange(levels[(n + 1) % 3], "", note, evidence if notes else ""),
                              sa.version, user)
        store.make_actions(framework, sa, user)
        return sa.public_id


def login(app, email: str):
    client = app.test_client()
    page = client.get("/login").get_data(as_text=True)
    match = CSRF.search(page)
    response = client.post("/login", data={"csrf_token": match.group(1) or match.group(2), "email": email,
                                           "password": PASSWORD})
    assert response.status_code == 302, response.status_code
    return client


def timed(fn, runs: int) -> tuple[float, float]:
    for _ in range(min(5, runs)):
        fn()
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), sorted(times)[int(0.95 * (len(times) - 1))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--database-url")
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    folder = tempfile.mkdtemp(prefix="dpup-maturity-bench-")
    url = driver_url(args.database_url) if args.database_url else f"sqlite:///{folder}/bench.sqlite"
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": secrets.token_hex(32)})
    logging.getLogger("dpup.requests").setLevel(logging.WARNING)
    with app.app_context():
        upgrade_database()
        print(f"database: {db.engine.dialect.name}")

    # 1. The report PDF.
    _, pdf_user, _ = officer(app, "Report Bench Trust")
    public_id = start_self_assessment(app, pdf_user, notes=True)
    with app.app_context():
        from dpup.reports.maturity_model import build
        from dpup.storage.maturity_evidence import gather
        sa = db.session.scalar(select(store.SelfAssessment).where(store.SelfAssessment.public_id == public_id))
        library = app.extensions["dpup.library"]
        previous = store.previous_signed_off(sa.organisation_id, sa.year)
        evidence = gather(sa.organisation_id, sa.year, date(YEAR, 11, 30))
        report = build(library, library.maturity, sa, previous, evidence)
        notes = sum(len(c.evidence.splitlines()) for c in report.criteria)
        pdf = render_maturity_pdf(report)
        median, p95 = timed(lambda: render_maturity_pdf(report), args.runs)
        brief_median, _ = timed(lambda: render_maturity_pdf(report, full=False), args.runs)
        whole, _ = timed(lambda: render_maturity_pdf(build(library, library.maturity, sa, previous, gather(
            sa.organisation_id, sa.year, date(YEAR, 11, 30)))), args.runs)
    pages = pdf.count(b"/Type /Page") - pdf.count(b"/Type /Pages")
    print(f"\nmaturity report PDF, {len(report.criteria)} criteria, {notes} evidence notes, {pages} pages, "
          f"{len(pdf) // 1024} KiB")
    print(f"  brief and full record  median {median:.1f} ms  p95 {p95:.1f} ms  (target < 200 ms)")
    print(f"  brief only             median {brief_median:.1f} ms")
    print(f"  evidence queries, report model and PDF together  median {whole:.1f} ms")
    if args.out:
        args.out.mkdir(parents=True, exist_ok=True)
        (args.out / "maturity-report.pdf").write_bytes(pdf)

    # 2. The self-assessment page, small and large organisation, requested in turns so that load from
    # elsewhere on the machine falls on both alike.
    pages = {}
    for label, assessments, actions_each in (("100 assessments, 500 actions", 100, 5),
                                             ("10,000 assessments, 50,000 actions", 10_000, 5)):
        org_id, user_id, email = officer(app, f"Page Bench {label}")
        started = time.perf_counter()
        fill(app, org_id, user_id, assessments, actions_each)
        print(f"\nfilled: {label} in {time.perf_counter() - started:.1f} s")
        pages[label] = (login(app, email), f"/maturity/{start_self_assessment(app, user_id)}")
    times = {label: [] for label in pages}
    for n in range(args.runs + 5):
        for label, (client, path) in pages.items():
            started = time.perf_counter()
            response = client.get(path)
            elapsed = (time.perf_counter() - started) * 1000
            assert response.status_code == 200, response.status_code
            if n >= 5:  # the first requests compile templates and fill caches
                times[label].append(elapsed)
    medians = []
    for label, values in times.items():
        medians.append(statistics.median(values))
        print(f"self-assessment page, {label}: median {medians[-1]:.1f} ms, "
              f"p95 {sorted(values)[int(0.95 * (len(values) - 1))]:.1f} ms")
    print(f"ratio large/small: {medians[1] / medians[0]:.2f} (target <= 1.5)")
    with app.app_context():
        db.engine.dispose()


if __name__ == "__main__":
    main()
