"""How long does the assessments list take with 1,000 and with 10,000 assessments? Prints figures; not a test.

The list (``GET /assessments/?page=N``, 50 a page, ``store.list_assessments``) is requested through
Flask's test client, in this process, by a privacy officer who logged in through the login form.
One organisation gets 1,000 assessments, bulk-inserted (SQLAlchemy ORM bulk INSERT, a few
thousand rows a statement), then 9,000 more, so 10,000 in all; after each step the script times:

  first page   ?page=1                  the page everyone opens
  deep page    ?page=20                 rows 951-1,000: the same offset at both sizes
  last page    ?page=20 / ?page=200     the end of the list (OFFSET grows with the list, by design
                                        of offset paging: shown for information)

The pages are requested in turns, 100 times each by default, and it prints the median and p95
wall-clock milliseconds, the median CPU milliseconds of this process (the app, and on SQLite the
database too: hardly touched by other work on the machine), the time of the page query alone, the
database's query plan, and the ratio 10k/1k of the medians (about 1 means the time does not grow
with the number of assessments). Target (issue 6): median under 50 ms at 10,000.

    .venv/bin/python benchmarks/list_bench.py [--runs N] [--database-url postgresql://...]

It always runs on a new SQLite file in a temporary folder (a file, not memory, as in production);
with --database-url it runs on that database too (PostgreSQL, e.g. `.ci/postgres start DIR`): the
migrations are applied to it, and the organisation, account and assessments this run adds are
deleted at the end; nothing else in it is touched.
"""

from __future__ import annotations

import argparse
import logging
import os
import re
import secrets
import statistics
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import delete, insert, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from dpup.security.passwords import hash_password  # noqa: E402
from dpup.storage import assessments as store  # noqa: E402
from dpup.storage.db import db, driver_url  # noqa: E402
from dpup.storage.models import Assessment, AuditEvent, Organisation, Role, Status, User  # noqa: E402
from dpup.storage.setup import upgrade_database  # noqa: E402
from dpup.web.app import create_app  # noqa: E402

PER_PAGE = 50
TARGET_MS = 50.0
PASSWORD = "kowhai tui ruru harakeke 2026"  # a throwaway account's only
SIZES = (1_000, 10_000)
DEEP_PAGE = 20  # rows 951-1,000: the last page at 1,000, the same offset at 10,000
BATCH = 2_000
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"|value="([^"]+)"[^>]*name="csrf_token"')
ROW = re.compile(r'<td><a href="/assessments/[\w-]+">')
STATUSES = (Status.DRAFT, Status.DRAFT, Status.SUBMITTED, Status.CHANGES_REQUESTED, Status.APPROVED)


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, round(p * len(ordered) + 0.5) - 1))]


class Bench:
    """One database: an app on it, an organisation, a logged-in privacy officer, assessments added in bulk."""

    def __init__(self, label: str, url: str, runs: int, cleanup: bool) -> None:
        self.label, self.runs, self.cleanup = label, runs, cleanup
        self.app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": secrets.token_hex(32)})
        logging.getLogger("dpup.requests").setLevel(logging.WARNING)  # one JSON line a request: not here
        self.run_id = secrets.token_hex(4)
        self.count = 0
        self.start = datetime(2026, 1, 1)
        with self.app.app_context():
            upgrade_database()
            organisation = Organisation(name=f"List Bench Trust {self.run_id}")
            self.email = f"officer-{self.run_id}@list-bench.example"
            user = User(organisation=organisation, name="List Bench Officer", email=self.email,
                        role=Role.PRIVACY_OFFICER, password_hash=hash_password(PASSWORD))
            db.session.add(user)
            db.session.commit()
            self.organisation_id, self.organisation_name = organisation.id, organisation.name
            self.user_id = user.id
        self.client = self.app.test_client()
        page = self.client.get("/login").get_data(as_text=True)
        match = CSRF.search(page)
        response = self.client.post("/login", data={"csrf_token": match.group(1) or match.group(2),
                                                     "email": self.email, "password": PASSWORD})
        if response.status_code != 302:
            raise SystemExit(f"{label}: logging in failed with {response.status_code}")

    def grow_to(self, size: int) -> float:
        """Insert assessments until the organisation has ``size``; returns the seconds it took."""
        started = time.perf_counter()
        with self.app.app_context():
            while self.count < size:
                n = min(BATCH, size - self.count)
                rows = []
                for i in range(self.count, self.count + n):
                    at = self.start + timedelta(minutes=7 * i)
                    status = STATUSES[i % len(STATUSES)]
                    rows.append({
                        "public_id": secrets.token_urlsafe(16), "organisation_id": self.organisation_id,
                        "created_by_id": self.user_id, "organisation_name": self.organisation_name,
                        "initiative": f"Initiative {i + 1}: sharing client outcomes with the funder",
                        "description": "A bulk-inserted assessment for the list benchmark.",
                        "created_at": at, "updated_at": at + timedelta(minutes=(i * 37) % 500),
                        "version": 1, "status": status.value, "review_comment": "", "signed_off_by": "",
                        "signed_off_role": "", "signed_off_at": None, "revision": 1, "previous_id": None,
                    })
                db.session.execute(insert(Assessment), rows)
                db.session.commit()
                self.count += n
            if db.engine.dialect.name == "postgresql":
                with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                    conn.execute(text("ANALYZE assessment"))
            else:
                db.session.execute(text("ANALYZE"))
                db.session.commit()
        return time.perf_counter() - started

    def time_pages(self, pages: list[int]) -> dict[int, tuple[list[float], list[float]]]:
        """Wall and CPU ms of each page's requests, taken in turns (page 1, 20, 200, 1, 20...), so a
        burst of load from elsewhere on the machine falls on every page alike."""
        paths = {page: (f"/assessments/?page={page}", min(PER_PAGE, max(0, self.count - (page - 1) * PER_PAGE)))
                 for page in pages}
        for _ in range(20):  # warm-up: first requests compile templates and fill caches
            for path, expected in paths.values():
                self._get(path, expected)
        times: dict[int, tuple[list[float], list[float]]] = {page: ([], []) for page in pages}
        for _ in range(self.runs):
            for page, (path, expected) in paths.items():
                wall, cpu = time.perf_counter(), time.process_time()
                self._get(path, expected)
                times[page][0].append((time.perf_counter() - wall) * 1000)
                times[page][1].append((time.process_time() - cpu) * 1000)
        return times

    def _get(self, path: str, expected_rows: int) -> None:
        response = self.client.get(path)
        html = response.get_data(as_text=True)
        if response.status_code != 200:
            raise SystemExit(f"{self.label}: {path} answered {response.status_code}")
        rows = len(ROW.findall(html))
        if rows != expected_rows:
            raise SystemExit(f"{self.label}: {path} listed {rows} assessments, expected {expected_rows}")

    def time_query(self, page: int) -> float:
        """Median ms of the page's query alone (store.list_assessments), without rendering."""
        with self.app.app_context():
            user = db.session.get(User, self.user_id)
            times = []
            for _ in range(max(5, self.runs // 2)):
                started = time.perf_counter()
                store.list_assessments(user, page)
                times.append((time.perf_counter() - started) * 1000)
                db.session.rollback()
            return statistics.median(times)

    def query_plan(self, page: int) -> list[str]:
        with self.app.app_context():
            user = db.session.get(User, self.user_id)
            query = store.visible_to(user).offset((page - 1) * PER_PAGE).limit(PER_PAGE + 1)
            compiled = query.compile(db.engine, compile_kwargs={"literal_binds": True})
            if db.engine.dialect.name == "postgresql":
                rows = db.session.execute(text(f"EXPLAIN {compiled}")).all()
                return [r[0] for r in rows]
            rows = db.session.execute(text(f"EXPLAIN QUERY PLAN {compiled}")).all()
            return [r[-1] for r in rows]

    def remove(self) -> None:
        """Delete what this run added (on a database that is not ours)."""
        with self.app.app_context():
            db.session.execute(delete(Assessment).where(Assessment.organisation_id == self.organisation_id))
            db.session.execute(delete(AuditEvent).where(AuditEvent.organisation_id == self.organisation_id))
            db.session.execute(delete(User).where(User.id == self.user_id))
            db.session.execute(delete(Organisation).where(Organisation.id == self.organisation_id))
            db.session.commit()
            db.engine.dispose()

    def close(self) -> None:
        with self.app.app_context():
            db.engine.dispose()


def run(label: str, url: str, runs: int, cleanup: bool) -> list[str]:
    """Measure one database; returns the lines of its part of the summary."""
    print(f"\n== {label} ==")
    bench = Bench(label, url, runs, cleanup)
    medians: dict[tuple[str, int], float] = {}
    try:
        for size in SIZES:
            seconds = bench.grow_to(size)
            last = -(-size // PER_PAGE)
            print(f"{size:>6,} assessments (inserted in {seconds:.1f} s)")
            pages = {"first page": 1, "deep page": DEEP_PAGE, "last page": last}
            times = bench.time_pages(list(dict.fromkeys(pages.values())))
            for name, page in pages.items():
                wall, cpu = times[page]
                median, p95 = statistics.median(wall), percentile(wall, 0.95)
                medians[(name, size)] = median
                query_ms = bench.time_query(page)
                flag = "" if median < TARGET_MS else "   ABOVE TARGET"
                print(f"  {name:<11} ?page={page:<4} median {median:6.2f} ms   p95 {p95:6.2f} ms   "
                      f"(CPU {statistics.median(cpu):5.2f} ms; query alone {query_ms:5.2f} ms){flag}")
            plan = bench.query_plan(1)
            print("  query plan, first page: " + " | ".join(line.strip() for line in plan))
        summary = []
        small, large = SIZES
        for name in ("first page", "deep page", "last page"):
            a, b = medians[(name, small)], medians[(name, large)]
            summary.append(f"  {label:<10} {name:<11} {a:8.2f} {b:9.2f} {b / a:9.2f}"
                           f"   {'yes' if b < TARGET_MS else 'NO'}")
        return summary
    finally:
        if cleanup:
            bench.remove()
        else:
            bench.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=100, help="timed requests per page and size (default 100)")
    parser.add_argument("--database-url", help="also run on this database (PostgreSQL), after SQLite")
    args = parser.parse_args()
    runs = max(5, min(args.runs, 2_000))

    print(f"Assessments list, {PER_PAGE} a page, through Flask's test client as a logged-in privacy officer; "
          f"{runs} timed requests per figure. Target: median under {TARGET_MS:.0f} ms, ratio 10k/1k about 1.")
    load_start = os.getloadavg()[0]
    summary = []
    with tempfile.TemporaryDirectory(prefix="dpup-list-bench-") as tmp:
        summary += run("SQLite", f"sqlite:///{Path(tmp) / 'list.sqlite'}", runs, cleanup=False)
    if args.database_url:
        url = make_url(driver_url(args.database_url))
        summary += run(url.get_backend_name(), url.render_as_string(hide_password=False), runs, cleanup=True)

    print(f"\nLoad average of this machine (1 min) at start {load_start:.1f}, at end {os.getloadavg()[0]:.1f}, "
          f"on {os.cpu_count()} CPUs: figures are wall-clock, so other work on the machine inflates them.")
    print(f"\nSummary (median ms){'':14}1,000    10,000   10k/1k   10k under {TARGET_MS:.0f} ms")
    print("\n".join(summary))


if __name__ == "__main__":
    main()
