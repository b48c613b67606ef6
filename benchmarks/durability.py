"""Durability under concurrent answers and under faults, through gunicorn. Prints figures; not a test.

Issue 6, item 6. For each database (a new SQLite file in a temporary folder, then, with
--database-url, that PostgreSQL database) it:

 1. applies the migrations (`dpup db upgrade`, as in production) and creates, directly in the
    database, an organisation, one privacy officer per client, and assessments of the
    purpose-matters tree whose first questions are already answered (first option each, a reason
    where the option asks for one), so every client can answer any of them;
 2. starts gunicorn (`dpup.wsgi:app`, 2 workers, the production command's threads) on a free
    127.0.0.1 port, with DATABASE_URL and DPUP_SECRET_KEY in its environment;
 3. runs 20 client threads, each logged in through the login form as its own privacy officer.
    Each one, until the time is up, picks an assessment (the one all clients share, or its own) and
    one of its answered questions, GETs the question form (CSRF token and the hidden `version`),
    and POSTs the first option again with a note no other write has (`dur-<run>-<client>-<n>`);
 4. phase "load": no faults. Phase "load + faults": the same load, while it `kill -9`s a gunicorn
    worker a few times (the master starts a new one), then the master itself; its orphaned workers
    finish and exit, and gunicorn is started again on the same port, as a supervisor would;
 5. after each phase, with no request in flight, checks the database against what the clients
    were told:
      - attempts: POSTs sent; commits: answered 302; conflicts: answered 409 (a save against an
        older version, refused: nothing overwritten); errors: any other answer (5xx, 400...);
        in doubt: the connection broke after the POST was sent (a killed worker), so the client
        does not know whether it was saved; unavailable: no connection (gunicorn restarting);
      - "database is locked": lines saying so in gunicorn's log (must be 0);
      - acknowledged answers missing: a 302-acknowledged save whose audit event (written in the
        same transaction as the answer) is not in the database (must be 0);
      - lost updates (must be 0): for each (assessment, question), the saves known to be committed
        (acknowledged, or in doubt but found in the audit trail) are ordered by the assessment
        version they were made against (each commit bumps it by one, so these are unique and
        ordered); the answer in the database must be the last of them, with the first option's
        value. Two commits made against the same version, or an assessment whose version did not
        move by exactly the number of committed saves, count as lost updates too;
      - integrity failures: rows from `PRAGMA integrity_check` other than "ok" (SQLite; must be 0).
Then it prints a table per database, and exits with 1 if any figure that must be 0 is not.

    .venv/bin/python benchmarks/durability.py [--load-seconds 20] [--fault-seconds 35]
                                              [--clients 20] [--database-url postgresql://...]

With --database-url the script adds a new organisation, accounts and assessments to that database
and deletes them at the end; nothing else in it is touched. `.ci/postgres start DIR` makes a
throwaway server (note: it runs with fsync off, which a killed gunicorn cannot notice, but a
killed or powered-off database server could). Everything stays on loopback; about 80 seconds per
database by default.
"""

from __future__ import annotations

import argparse
import http.client
import logging
import os
import random
import re
import secrets
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from html import unescape
from http.cookies import SimpleCookie
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

HOST = "127.0.0.1"
TREE = "purpose-matters"
QUESTIONS = 6  # the first questions on the path taken by first-option answers
PASSWORD = "kowhai tui ruru harakeke 2026"  # a throwaway database's only
SHARED_SHARE = 0.4  # how often a client answers the assessment everyone shares (else its own)
REQUEST_TIMEOUT = 20.0
CSRF = re.compile(r'<input[^>]*name="csrf_token"[^>]*value="([^"]+)"|<input[^>]*value="([^"]+)"[^>]*name="csrf_token"')
VERSION = re.compile(r'<input[^>]*name="version"[^>]*value="([^"]*)"|<input[^>]*value="([^"]*)"[^>]*name="version"')
LOCKED = "database is locked"


# ---------------------------------------------------------------- gunicorn

def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def children(pid: int) -> list[int]:
    """Processes whose parent is ``pid`` (gunicorn's workers, for its master)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            if ppid == pid:
                found.append(int(entry.name))
    return found


def alive(pid: int) -> bool:
    try:
        state = (Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state not in ("Z", "X")


class Gunicorn:
    """One gunicorn for dpup, started and restarted on the same port; every process it had is ours."""

    def __init__(self, env: dict, workdir: Path, workers: int, threads: int) -> None:
        self.env, self.workers, self.threads = env, workers, threads
        self.port = free_port()
        self.base = f"http://{HOST}:{self.port}"
        self.log = workdir / "gunicorn.log"
        self.process: subprocess.Popen | None = None
        self.orphans: list[int] = []

    def start(self) -> None:
        command = [sys.executable, "-m", "gunicorn", "--workers", str(self.workers), "--threads", str(self.threads),
                   "--bind", f"{HOST}:{self.port}", "--chdir", str(ROOT), "--graceful-timeout", "10",
                   "dpup.wsgi:app"]
        with self.log.open("ab") as out:
            self.process = subprocess.Popen(command, env=self.env, stdout=out, stderr=subprocess.STDOUT, cwd=ROOT)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"gunicorn exited with {self.process.returncode}:\n{self.log_text()[-3000:]}")
            if len(children(self.process.pid)) >= self.workers and self._healthy():
                return
            time.sleep(0.2)
        raise SystemExit(f"no answer from gunicorn within 60 s:\n{self.log_text()[-3000:]}")

    def _healthy(self) -> bool:
        try:
            conn = http.client.HTTPConnection(HOST, self.port, timeout=2)
            conn.request("GET", "/healthz")
            ok = conn.getresponse().status == 200
            conn.close()
            return ok
        except OSError:
            return False

    def kill_worker(self) -> int | None:
        workers = children(self.process.pid)
        if not workers:
            return None
        victim = random.choice(workers)
        os.kill(victim, signal.SIGKILL)
        return victim

    def kill_master_and_restart(self) -> tuple[float, float]:
        """kill -9 the master; its workers notice and exit (or are killed after 15 s); start again.

        Returns the seconds the orphaned workers took to exit, and then gunicorn to start again."""
        started = time.monotonic()
        workers = children(self.process.pid)
        os.kill(self.process.pid, signal.SIGKILL)
        self.process.wait()
        deadline = time.monotonic() + 15
        while any(alive(pid) for pid in workers) and time.monotonic() < deadline:
            time.sleep(0.1)
        for pid in workers:  # gunicorn's own workers, orphaned: a supervisor would end them too
            if alive(pid):
                self.orphans.append(pid)
                os.kill(pid, signal.SIGKILL)
        orphans_gone = time.monotonic()
        self.start()
        return orphans_gone - started, time.monotonic() - orphans_gone

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            workers = children(self.process.pid)
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
            deadline = time.monotonic() + 10
            while any(alive(pid) for pid in workers) and time.monotonic() < deadline:
                time.sleep(0.1)

    def log_text(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""


# ---------------------------------------------------------------- a client

class Unavailable(Exception):
    """No connection could be made: nothing was sent."""


class InDoubt(Exception):
    """The connection broke after the request was sent: it may or may not have been handled."""


@dataclass
class Response:
    status: int
    location: str
    body: str


class Client:
    """A person in a browser: one new connection a request, the session cookie kept."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, fields: dict | None = None) -> Response:
        conn = http.client.HTTPConnection(HOST, self.port, timeout=REQUEST_TIMEOUT)
        try:
            try:
                conn.connect()
            except OSError as exc:
                raise Unavailable(str(exc)) from exc
            headers = {"Connection": "close"}
            if self.cookies:
                headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
            body = None
            if fields is not None:
                body = urllib.parse.urlencode(fields, doseq=True)
                headers["Content-Type"] = "application/x-www-form-urlencoded"
            try:
                conn.request(method, path, body=body, headers=headers)
                response = conn.getresponse()
                text = response.read().decode("utf-8", errors="replace")
            except (OSError, http.client.HTTPException) as exc:
                raise InDoubt(str(exc)) from exc
            for header in response.msg.get_all("Set-Cookie") or []:
                cookie = SimpleCookie()
                cookie.load(header)
                for name, morsel in cookie.items():
                    if morsel.value and morsel["max-age"] != "0":
                        self.cookies[name] = morsel.value
                    else:
                        self.cookies.pop(name, None)
            return Response(response.status, response.getheader("Location") or "", text)
        finally:
            conn.close()

    def login(self, email: str) -> None:
        for _ in range(5):
            try:
                page = self.request("GET", "/login")
                done = self.request("POST", "/login", {"csrf_token": field_value(CSRF, page.body),
                                                       "email": email, "password": PASSWORD})
            except (Unavailable, InDoubt):
                time.sleep(0.5)
                continue
            if done.status == 302:
                return
            raise SystemExit(f"logging in as {email} answered {done.status}")
        raise SystemExit(f"could not log in as {email}")


def field_value(pattern: re.Pattern, html: str) -> str | None:
    match = pattern.search(html)
    return unescape(match.group(1) or match.group(2)) if match else None


# ---------------------------------------------------------------- what the clients saw

@dataclass(frozen=True)
class Write:
    client: int
    assessment: str  # public id
    node: str
    note: str
    seen_version: int
    outcome: str  # "committed" (302), "conflict" (409), "in_doubt", "error"


@dataclass
class Tally:
    attempts: int = 0
    commits: int = 0
    conflicts: int = 0
    errors: int = 0
    in_doubt: int = 0
    unavailable: int = 0
    get_failures: int = 0
    statuses: Counter = field(default_factory=Counter)
    post_ms: list = field(default_factory=list)


class Load:
    """The client threads; their writes are kept for the checks (over every phase of one database)."""

    def __init__(self, server: Gunicorn, setup: dict, run_id: str, clients: int) -> None:
        self.server, self.setup, self.run_id = server, setup, run_id
        self.clients = [Client(server.port) for _ in range(clients)]
        self.writes: list[Write] = []
        self.lock = threading.Lock()
        self.sequence = 0

    def log_in(self) -> None:
        threads = [threading.Thread(target=c.login, args=(self.setup["emails"][i],)) for i, c in enumerate(self.clients)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        if any("session" not in c.cookies for c in self.clients):
            raise SystemExit("a client is not logged in")

    def run(self, seconds: float) -> Tally:
        tally = Tally()
        stop_at = time.monotonic() + seconds
        threads = [threading.Thread(target=self._client, args=(i, stop_at, tally)) for i in range(len(self.clients))]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        return tally

    def _client(self, index: int, stop_at: float, tally: Tally) -> None:
        client = self.clients[index]
        rng = random.Random(f"{self.run_id}-{index}")
        shared, own = self.setup["shared"], self.setup["own"][index]
        while time.monotonic() < stop_at:
            assessment = shared if rng.random() < SHARED_SHARE else own
            node = rng.choice(self.setup["questions"])
            path = f"/assessments/{assessment}/trees/{TREE}/questions/{node}"
            try:
                page = client.request("GET", path)
            except Unavailable:
                with self.lock:
                    tally.unavailable += 1
                time.sleep(0.05)
                continue
            except InDoubt:
                with self.lock:
                    tally.get_failures += 1
                continue
            token, version = field_value(CSRF, page.body), field_value(VERSION, page.body)
            if page.status != 200 or not token or not version:
                with self.lock:
                    tally.get_failures += 1
                    tally.statuses[f"GET {page.status}"] += 1
                if page.status == 302 and "/login" in page.location:
                    client.login(self.setup["emails"][index])
                continue
            with self.lock:
                self.sequence += 1
                note = f"dur-{self.run_id}-{index:02d}-{self.sequence:06d}"
            fields = {"csrf_token": token, "version": version, "note": note, **self.setup["answers"][node]}
            started = time.perf_counter()
            try:
                done = client.request("POST", path, fields)
            except Unavailable:
                with self.lock:
                    tally.unavailable += 1
                continue
            except InDoubt:
                outcome, status = "in_doubt", None
            else:
                status = done.status
                if status == 302 and f"/assessments/{assessment}/trees/" in done.location:
                    outcome = "committed"
                elif status == 409:
                    outcome = "conflict"
                else:
                    outcome = "error"
            ms = (time.perf_counter() - started) * 1000
            with self.lock:
                tally.attempts += 1
                self.writes.append(Write(index, assessment, node, note, int(version), outcome))
                if outcome == "committed":
                    tally.commits += 1
                    tally.post_ms.append(ms)
                elif outcome == "conflict":
                    tally.conflicts += 1
                    tally.post_ms.append(ms)
                elif outcome == "in_doubt":
                    tally.in_doubt += 1
                else:
                    tally.errors += 1
                    tally.statuses[f"POST {status}"] += 1


# ---------------------------------------------------------------- the database, directly

def path_answers(library) -> tuple[list[str], dict[str, dict], dict]:
    """The first QUESTIONS questions on the first-option path, their form fields and engine answers."""
    from dpup.engine import parse_answer, walk
    from dpup.engine.model import AnswerKind

    tree = library.trees[TREE]
    answers, fields = {}, {}
    for _ in range(QUESTIONS):
        node = walk(tree, answers).current
        if node is None:
            break
        value = "We need it to run the service we are funded for." if node.kind == AnswerKind.TEXT else node.options[0].value
        option = node.option(value) if node.options else None
        reason = "The service cannot be delivered without it." if option and option.ask_reason else ""
        answers[node.id] = parse_answer(node, value, reason=reason)
        fields[node.id] = {"answer": value, **({"reason": reason} if reason else {})}
    return list(answers), fields, answers


def set_up(app, run_id: str, clients: int) -> dict:
    """An organisation, one privacy officer a client, a shared assessment and one for each client."""
    from dpup.security.passwords import hash_password
    from dpup.storage import assessments as store
    from dpup.storage.db import db
    from dpup.storage.models import Organisation, Role, User

    library = app.extensions["dpup.library"]
    questions, fields, answers = path_answers(library)
    hashed = hash_password(PASSWORD)
    with app.app_context():
        organisation = Organisation(name=f"Durability Trust {run_id}")
        users = [User(organisation=organisation, name=f"Officer {i:02d}", email=f"officer{i:02d}-{run_id}@durability.example",
                      role=Role.PRIVACY_OFFICER, password_hash=hashed) for i in range(clients)]
        db.session.add_all(users)
        db.session.commit()
        created = []
        for i, user in enumerate([users[0], *users]):
            assessment = store.start_assessment(library, user, "Shared assessment" if i == 0 else f"Officer {i - 1:02d}'s",
                                                "Durability benchmark", [TREE])
            for node_id, answer in answers.items():
                answer = answer.model_copy(update={"note": f"setup-{run_id}"})
                store.save_answer(assessment, TREE, node_id, answer, assessment.version, user)
            created.append(assessment.public_id)
        setup = {"organisation_id": organisation.id, "emails": [u.email for u in users],
                 "shared": created[0], "own": created[1:], "questions": questions, "answers": fields,
                 "values": {n: a.value for n, a in answers.items()}, "versions": versions(organisation.id)}
        db.session.remove()
        db.engine.dispose()
    return setup


def versions(organisation_id: int) -> dict[str, int]:
    from sqlalchemy import select

    from dpup.storage.db import db
    from dpup.storage.models import Assessment

    return dict(db.session.execute(select(Assessment.public_id, Assessment.version)
                                   .where(Assessment.organisation_id == organisation_id)).all())


@dataclass
class Check:
    missing_acknowledged: int = 0
    lost_updates: int = 0
    in_doubt_committed: int = 0
    integrity_failures: int | None = None
    details: list = field(default_factory=list)


def check(app, setup: dict, run_id: str, writes: list[Write], sqlite_file: Path | None) -> Check:
    """Compare the database with what the clients were told (no request may be in flight)."""
    from sqlalchemy import select

    from dpup.storage.db import db
    from dpup.storage.models import AnswerRecord, Assessment, AuditEvent

    result = Check()
    with app.app_context():
        organisation_id = setup["organisation_id"]
        stored = {(pid, node): (value, note) for pid, node, value, note in db.session.execute(
            select(Assessment.public_id, AnswerRecord.node_id, AnswerRecord.value, AnswerRecord.note)
            .join(AnswerRecord.assessment).where(Assessment.organisation_id == organisation_id,
                                                 AnswerRecord.tree_id == TREE)).all()}
        committed_notes = Counter()
        for (after,) in db.session.execute(select(AuditEvent.after).where(
                AuditEvent.organisation_id == organisation_id, AuditEvent.action == "answer_changed")).all():
            note = (after or {}).get("note", "")
            if note.startswith(f"dur-{run_id}-"):
                committed_notes[note] += 1
        final_versions = versions(organisation_id)
        db.session.remove()
        db.engine.dispose()

    by_note = {w.note: w for w in writes}
    for note, count in committed_notes.items():
        write = by_note.get(note)
        if write is None or count > 1:
            result.lost_updates += 1
            result.details.append(f"audit has a save no client made, or twice: {note} ({count})")
        elif write.outcome == "conflict":
            result.lost_updates += 1
            result.details.append(f"a save refused as a conflict was committed all the same: {note}")
    # A save the client was not told about (connection broke, or an error page) may have been
    # committed: then it is one of the saves the database must end with, in its place in the order.
    committed = [w for w in writes if w.outcome == "committed" or (w.outcome != "conflict" and w.note in committed_notes)]
    result.in_doubt_committed = sum(1 for w in writes if w.outcome == "in_doubt" and w.note in committed_notes)
    for w in writes:
        if w.outcome == "committed" and w.note not in committed_notes:
            result.missing_acknowledged += 1
            result.details.append(f"acknowledged save missing: {w.note} on {w.assessment}/{w.node}")

    per_assessment = defaultdict(list)
    per_question = defaultdict(list)
    for w in committed:
        per_assessment[w.assessment].append(w.seen_version)
        per_question[(w.assessment, w.node)].append(w)
    for assessment, seen in per_assessment.items():
        duplicates = [v for v, n in Counter(seen).items() if n > 1]
        if duplicates:
            result.lost_updates += len(duplicates)
            result.details.append(f"{assessment}: two saves committed against version(s) {duplicates[:5]}")
    for assessment, start in setup["versions"].items():
        moved = final_versions.get(assessment, start) - start
        if moved != len(per_assessment.get(assessment, [])):
            result.lost_updates += 1
            result.details.append(f"{assessment}: version moved by {moved}, "
                                  f"but {len(per_assessment.get(assessment, []))} saves were committed")
    for (assessment, node), saves in per_question.items():
        last = max(saves, key=lambda w: w.seen_version)
        value, note = stored.get((assessment, node), (None, None))
        expected = setup["values"][node]
        expected = list(expected) if isinstance(expected, tuple) else expected
        if note != last.note or value != expected:
            result.lost_updates += 1
            result.details.append(f"{assessment}/{node}: the database has {note!r}, the last committed save "
                                  f"was {last.note!r} (against version {last.seen_version})")

    if sqlite_file is not None:
        conn = sqlite3.connect(sqlite_file)
        try:
            rows = [r[0] for r in conn.execute("PRAGMA integrity_check").fetchall()]
        finally:
            conn.close()
        result.integrity_failures = sum(1 for r in rows if r != "ok")
        result.details += [f"integrity_check: {r}" for r in rows if r != "ok"][:10]
    return result


def remove(app, setup: dict) -> None:
    """Delete what this run added to a database that is not ours."""
    from sqlalchemy import delete, select

    from dpup.storage.db import db
    from dpup.storage.models import (
        AnswerRecord,
        Assessment,
        AssessmentTree,
        AuditEvent,
        Organisation,
        User,
    )

    with app.app_context():
        organisation_id = setup["organisation_id"]
        ids = select(Assessment.id).where(Assessment.organisation_id == organisation_id).scalar_subquery()
        db.session.execute(delete(AnswerRecord).where(AnswerRecord.assessment_id.in_(ids)))
        db.session.execute(delete(AssessmentTree).where(AssessmentTree.assessment_id.in_(ids)))
        db.session.execute(delete(Assessment).where(Assessment.organisation_id == organisation_id))
        db.session.execute(delete(AuditEvent).where(AuditEvent.organisation_id == organisation_id))
        db.session.execute(delete(User).where(User.organisation_id == organisation_id))
        db.session.execute(delete(Organisation).where(Organisation.id == organisation_id))
        db.session.commit()
        db.session.remove()
        db.engine.dispose()


# ---------------------------------------------------------------- one database

@dataclass
class Phase:
    name: str
    seconds: float
    tally: Tally
    check: Check
    locked: int
    tracebacks: int
    worker_kills: int = 0
    master_kills: int = 0
    downtime: float = 0.0


def faults(server: Gunicorn, seconds: float, worker_kills: int, events: dict) -> None:
    """During the load: kill -9 a worker every few seconds, then the master, then start again."""
    step = seconds / (worker_kills + 3)
    try:
        for _ in range(worker_kills):
            time.sleep(step)
            if server.kill_worker() is not None:
                events["worker_kills"] += 1
        time.sleep(step)
        events["master_kills"] += 1
        events["orphans_exit"], events["restart"] = server.kill_master_and_restart()
        events["downtime"] += events["orphans_exit"] + events["restart"]
    except BaseException as exc:  # noqa: BLE001  (reported after the load, not lost in a thread)
        events["error"] = f"fault injection failed: {exc}"


def run_database(label: str, url: str, args, workdir: Path, sqlite_file: Path | None) -> list[Phase]:
    from dpup.web.app import create_app

    run_id = secrets.token_hex(3)
    env = {**os.environ, "DATABASE_URL": url, "DPUP_SECRET_KEY": secrets.token_hex(32), "PYTHONDONTWRITEBYTECODE": "1"}
    env.pop("DPUP_DATABASE_URL", None)
    print(f"\n== {label} ==", flush=True)
    dpup = Path(sys.executable).with_name("dpup")  # this virtualenv's command, else the one on PATH
    upgrade = subprocess.run([str(dpup) if dpup.exists() else "dpup", "db", "upgrade"], env=env, cwd=ROOT, check=False,
                             capture_output=True, text=True, timeout=120)
    if upgrade.returncode != 0:
        raise SystemExit(f"`dpup db upgrade` failed:\n{upgrade.stdout}{upgrade.stderr}")
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": env["DPUP_SECRET_KEY"]})
    logging.getLogger("dpup.requests").setLevel(logging.WARNING)
    setup = set_up(app, run_id, args.clients)
    if sqlite_file is not None:
        with sqlite3.connect(sqlite_file) as conn:
            mode = conn.execute("PRAGMA journal_mode").fetchone()[0]
        print(f"SQLite file journal_mode={mode} (set by dpup on connect, with busy_timeout)")
    server = Gunicorn(env, workdir, args.workers, args.threads)
    phases = []
    try:
        server.start()
        print(f"gunicorn on {server.base}: {args.workers} workers x {args.threads} threads; "
              f"{args.clients} clients logging in", flush=True)
        load = Load(server, setup, run_id, args.clients)
        load.log_in()

        log_at = len(server.log_text())
        print(f"phase 1: load, {args.load_seconds:.0f} s", flush=True)
        tally = load.run(args.load_seconds)
        log = server.log_text()[log_at:]
        phases.append(Phase("load", args.load_seconds, tally, check(app, setup, run_id, load.writes, sqlite_file),
                            log.count(LOCKED), log.count("Traceback")))

        log_at = len(server.log_text())
        print(f"phase 2: load + faults, {args.fault_seconds:.0f} s: kill -9 a worker {args.worker_kills} times, "
              f"then the master, and restart", flush=True)
        events = {"worker_kills": 0, "master_kills": 0, "downtime": 0.0}
        injector = threading.Thread(target=faults, args=(server, args.fault_seconds, args.worker_kills, events))
        injector.start()
        tally = load.run(args.fault_seconds)
        injector.join()
        if "error" in events:
            print(events["error"])
        elif "restart" in events:
            print(f"master killed: its orphaned workers exited in {events['orphans_exit']:.1f} s, "
                  f"then gunicorn was up again in {events['restart']:.1f} s", flush=True)
        server.stop()  # nothing in flight, no process holding the database: then check
        log = server.log_text()[log_at:]
        phases.append(Phase("load + faults", args.fault_seconds, tally,
                            check(app, setup, run_id, load.writes, sqlite_file),
                            log.count(LOCKED), log.count("Traceback"), events["worker_kills"],
                            events["master_kills"], events["downtime"]))
        if server.orphans:
            print(f"note: {len(server.orphans)} orphaned worker(s) had to be killed after the master died")
    finally:
        server.stop()
        if sqlite_file is None and not args.keep:
            remove(app, setup)
    return phases


# ---------------------------------------------------------------- report

def percentile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, round(p * len(ordered) + 0.5) - 1))]


def table(label: str, phases: list[Phase]) -> bool:
    rows = [
        ("seconds of load", lambda p: f"{p.seconds:.0f}"),
        ("answers attempted (POSTs)", lambda p: p.tally.attempts),
        ("committed (302)", lambda p: p.tally.commits),
        ("refused as conflict (409)", lambda p: p.tally.conflicts),
        ("errors (5xx, other status)", lambda p: p.tally.errors),
        ("in doubt (connection broke)", lambda p: p.tally.in_doubt),
        ("  of which committed (all phases)", lambda p: p.check.in_doubt_committed),
        ("unavailable (no connection)", lambda p: p.tally.unavailable),
        ("question page failures", lambda p: p.tally.get_failures),
        ("commits per second", lambda p: f"{p.tally.commits / p.seconds:.1f}"),
        ("POST p50 / p95 ms", lambda p: f"{statistics.median(p.tally.post_ms or [float('nan')]):.0f} / "
                                         f"{percentile(p.tally.post_ms, 0.95):.0f}"),
        ("worker kills / master kills", lambda p: f"{p.worker_kills} / {p.master_kills}"),
        ("seconds with no server", lambda p: f"{p.downtime:.1f}"),
        ("tracebacks in gunicorn's log", lambda p: p.tracebacks),
        ('"database is locked" (must be 0)', lambda p: p.locked),
        ("lost updates (must be 0)", lambda p: p.check.lost_updates),
        ("acknowledged missing (must be 0)", lambda p: p.check.missing_acknowledged),
        ("integrity_check failures (must be 0)",
         lambda p: "n/a" if p.check.integrity_failures is None else p.check.integrity_failures),
    ]
    print(f"\n{label}")
    print(f"  {'':<38}" + "".join(f"{p.name:>16}" for p in phases))
    for name, value in rows:
        print(f"  {name:<38}" + "".join(f"{value(p)!s:>16}" for p in phases))
    ok = True
    for p in phases:
        bad = p.locked + p.check.lost_updates + p.check.missing_acknowledged + (p.check.integrity_failures or 0)
        ok = ok and bad == 0
        for line in p.check.details[:10]:
            print(f"  ! {p.name}: {line}")
        for status, n in p.tally.statuses.most_common(5):
            print(f"  ({p.name}: {n} x {status})")
    print(f"  {'PASS' if ok else 'FAIL'}: every figure that must be 0 is {'0' if ok else 'not 0'}")
    return ok


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--load-seconds", type=float, default=20, help="phase 1, load only (default 20)")
    parser.add_argument("--fault-seconds", type=float, default=35, help="phase 2, load with faults (default 35)")
    parser.add_argument("--clients", type=int, default=20, help="client threads (default 20)")
    parser.add_argument("--worker-kills", type=int, default=3, help="kill -9 of a worker in phase 2 (default 3)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (default 2)")
    parser.add_argument("--threads", type=int, default=int(os.environ.get("DPUP_THREADS", "4")),
                        help="gunicorn threads per worker (default: DPUP_THREADS or 4, as in production)")
    parser.add_argument("--database-url", help="also run on this database (PostgreSQL), after SQLite")
    parser.add_argument("--keep", action="store_true", help="keep this run's data in --database-url")
    args = parser.parse_args()
    args.load_seconds = max(2.0, min(args.load_seconds, 600))
    args.fault_seconds = max(8.0, min(args.fault_seconds, 600))
    args.clients = max(1, min(args.clients, 100))
    args.worker_kills = max(0, min(args.worker_kills, 20))

    started = time.monotonic()
    results = []
    with tempfile.TemporaryDirectory(prefix="dpup-durability-") as tmp:
        workdir = Path(tmp) / "sqlite"
        workdir.mkdir()
        database = workdir / "durability.sqlite"
        results.append(("SQLite (WAL, busy timeout)", run_database("SQLite", f"sqlite:///{database}", args,
                                                                   workdir, database)))
        if args.database_url:
            from sqlalchemy.engine import make_url

            from dpup.storage.db import driver_url

            url = driver_url(args.database_url)
            workdir = Path(tmp) / "postgresql"
            workdir.mkdir()
            name = make_url(url)
            results.append((f"PostgreSQL ({name.host}:{name.port}/{name.database})",
                            run_database("PostgreSQL", url, args, workdir, None)))

    print(f"\nDurability: {args.clients} clients through gunicorn ({args.workers} workers x {args.threads} threads) "
          f"on 127.0.0.1; {SHARED_SHARE:.0%} of saves on the assessment all share, the rest on each client's own; "
          f"{len(results)} database(s) in {time.monotonic() - started:.0f} s")
    passed = [table(label, phases) for label, phases in results]  # every table printed, then the verdict
    sys.exit(0 if all(passed) else 1)


if __name__ == "__main__":
    main()
