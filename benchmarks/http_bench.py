"""Throughput and latency of dpup's question page under gunicorn, next to a bare Flask "hello world".

Prints figures; it is not a test. Everything stays on loopback (127.0.0.1) and every run is bounded
in time. Both apps run under the same gunicorn settings (2 workers, the production command's
threads) and are driven by wrk (Debian's `wrk` package) with 16 concurrent connections, one per
wrk thread, each for a fixed time:

  1. hello world         GET / of a bare Flask app (benchmarks/hello_app.py)
  2. logged-in floor     GET /healthz of dpup with a logged-in session: what every logged-in page costs
                         before its own work (the session, the person's account checked in the
                         database, one query), so the question page's figures can be read against it
  3. question page       GET of a question page of an assessment, logged in
  4. answer              each client GETs the question form (CSRF token and version), then POSTs an
                         answer, on an assessment of its own; the POST's figures are reported
  5. answer, contended   the same, but all 16 clients answer the same assessment: saves made against
                         an older version are refused with 409 Conflict, counted separately

dpup runs `dpup.wsgi:app` against a temporary SQLite database in WAL mode, set up by
`dpup db upgrade` as in production; request logs go to a file in the same temporary folder.
Latencies are measured per request inside wrk's Lua script (monotonic clock, milliseconds).

Targets (issue 6): the question page at least 40% of hello-world throughput, p95 under 50 ms.

    .venv/bin/python benchmarks/http_bench.py [--duration SECONDS] [--clients N] [--threads N]
                                              [--database-url postgresql://...]

With --database-url, dpup uses that database (PostgreSQL, say) instead of the temporary SQLite one:
it is upgraded and gets a benchmark organisation with new accounts; nothing else in it is touched.

Needs wrk (apt-get install wrk) and gunicorn (a dependency of dpup).
"""

from __future__ import annotations

import argparse
import http.cookiejar
import json
import os
import re
import secrets
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT))

HOST = "127.0.0.1"
TREE = "purpose-matters"
PASSWORD = "kowhai tui ruru harakeke 2026"  # a throwaway database's only
QUESTION_TARGET_RATIO = 0.40
P95_TARGET_MS = 50.0

# One script for every scenario. One connection per wrk thread, so a thread's globals are its
# connection's state: in "answer" mode it alternates GET (read token and version) and POST.
WRK_LUA = r"""
local ffi = require("ffi")
ffi.cdef[[
typedef struct { long tv_sec; long tv_nsec; } dpup_timespec;
int clock_gettime(int clk_id, dpup_timespec *tp);
]]
local ts = ffi.new("dpup_timespec")
local function now_ms()
  ffi.C.clock_gettime(1, ts)  -- CLOCK_MONOTONIC
  return tonumber(ts.tv_sec) * 1000 + tonumber(ts.tv_nsec) / 1e6
end

local function urlencode(s)
  return (s:gsub("[^%w%-%._~]", function(c) return string.format("%%%02X", string.byte(c)) end))
end

local all_threads = {}
local next_id = 0
function setup(thread)
  next_id = next_id + 1
  thread:set("id", next_id)
  table.insert(all_threads, thread)
end

function init(args)
  mode = args[1]
  local cfg = {}
  local f = assert(io.open(args[2], "r"))
  for line in f:lines() do table.insert(cfg, line) end
  f:close()
  cookie = cfg[1]
  answer_fields = cfg[2]
  local paths = {}
  for i = 3, #cfg do table.insert(paths, cfg[i]) end
  path = paths[((id - 1) % #paths) + 1]
  state = "get"
  lat_get, lat_post = {}, {}
  get_ok, get_other, post_ok, post_conflict, post_other, no_form = 0, 0, 0, 0, 0, 0
end

function request()
  started = now_ms()
  local headers = {}
  if cookie ~= "" then headers["Cookie"] = cookie end
  if state == "post" then
    headers["Content-Type"] = "application/x-www-form-urlencoded"
    local body = "csrf_token=" .. urlencode(token) .. "&version=" .. urlencode(version) .. "&" .. answer_fields
    return wrk.format("POST", path, headers, body)
  end
  return wrk.format("GET", path, headers)
end

function response(status, headers, body)
  local ms = now_ms() - started
  if state == "post" then
    table.insert(lat_post, ms)
    if status == 302 or status == 303 then post_ok = post_ok + 1
    elseif status == 409 then post_conflict = post_conflict + 1
    else post_other = post_other + 1 end
    state = "get"
    return
  end
  table.insert(lat_get, ms)
  if status == 200 then get_ok = get_ok + 1 else get_other = get_other + 1 end
  if mode == "answer" and status == 200 then
    token = body:match('<input[^>]-name="csrf_token"[^>]-value="([^"]+)"')
    version = body:match('<input[^>]-name="version"[^>]-value="([^"]*)"')
    if token and version then state = "post" else no_form = no_form + 1 end
  end
end

local function percentile(t, p)
  if #t == 0 then return -1 end
  table.sort(t)
  return t[math.max(1, math.ceil(#t * p))]
end

function done(summary, latency, requests)
  local get, post = {}, {}
  local counts = {get_ok = 0, get_other = 0, post_ok = 0, post_conflict = 0, post_other = 0, no_form = 0}
  for _, t in ipairs(all_threads) do
    for _, v in ipairs(t:get("lat_get")) do table.insert(get, v) end
    for _, v in ipairs(t:get("lat_post")) do table.insert(post, v) end
    for k, _ in pairs(counts) do counts[k] = counts[k] + t:get(k) end
  end
  local e = summary.errors
  io.write(string.format(
    'DPUP_RESULT {"duration_s": %.3f, "requests": %d, "get_n": %d, "get_p50": %.3f, "get_p95": %.3f, ' ..
    '"post_n": %d, "post_p50": %.3f, "post_p95": %.3f, "get_ok": %d, "get_other": %d, "post_ok": %d, ' ..
    '"post_conflict": %d, "post_other": %d, "no_form": %d, "socket_errors": %d, "timeouts": %d}\n',
    summary.duration / 1e6, summary.requests, #get, percentile(get, 0.50), percentile(get, 0.95),
    #post, percentile(post, 0.50), percentile(post, 0.95), counts.get_ok, counts.get_other, counts.post_ok,
    counts.post_conflict, counts.post_other, counts.no_form,
    e.connect + e.read + e.write, e.timeout))
end
"""


# ---------------------------------------------------------------- servers

def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


@dataclass
class Server:
    name: str
    process: subprocess.Popen
    base: str
    log: Path

    def cpu_seconds(self) -> float:
        """CPU time used so far by gunicorn's master and its workers (user + system)."""
        total = 0.0
        tick = os.sysconf("SC_CLK_TCK")
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if entry.name == str(self.process.pid) or fields[1] == str(self.process.pid):
                total += (int(fields[11]) + int(fields[12])) / tick
        return total

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)  # gunicorn: graceful shutdown of its workers
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)


def gunicorn(name: str, app: str, env: dict, workdir: Path, args) -> Server:
    port = free_port()
    log = workdir / f"{name}.log"
    command = [sys.executable, "-m", "gunicorn", "--workers", str(args.workers), "--threads", str(args.threads),
               "--bind", f"{HOST}:{port}", "--chdir", str(ROOT), "--pythonpath", str(HERE), app]
    with log.open("wb") as out:
        process = subprocess.Popen(command, env=env, stdout=out, stderr=subprocess.STDOUT, cwd=ROOT)
    server = Server(name, process, f"http://{HOST}:{port}", log)
    probe = "/healthz" if app.startswith("dpup") else "/"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"{name}: gunicorn exited with {process.returncode}:\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(server.base + probe, timeout=2) as response:
                if response.status == 200:
                    return server
        except OSError:
            time.sleep(0.2)
    server.stop()
    raise SystemExit(f"{name}: no answer from gunicorn within 60 s:\n{log.read_text()[-3000:]}")


# ---------------------------------------------------------------- set-up of dpup's side

def dpup_command(*args: str, env: dict) -> None:
    """Run the ``dpup`` command of this virtualenv; stop with its output if it fails."""
    done = subprocess.run([str(Path(sys.executable).with_name("dpup")), *args], env=env, cwd=ROOT,
                          capture_output=True, text=True, timeout=120)
    if done.returncode != 0:
        raise SystemExit(f"`dpup {' '.join(args[:2])}` failed ({done.returncode}):\n{done.stdout}{done.stderr}")


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


@dataclass
class Browser:
    """A tiny cookie-keeping HTTP client for the set-up (not for the load: wrk does that)."""

    base: str
    jar: http.cookiejar.CookieJar = field(default_factory=http.cookiejar.CookieJar)

    def open(self, path: str, data: dict | None = None, follow: bool = True) -> tuple[int, str, str]:
        handlers = [urllib.request.HTTPCookieProcessor(self.jar)] + ([] if follow else [NoRedirect()])
        opener = urllib.request.build_opener(*handlers)
        body = urllib.parse.urlencode(data, doseq=True).encode() if data is not None else None
        try:
            with opener.open(self.base + path, data=body, timeout=30) as response:
                return response.status, response.geturl(), response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.headers.get("Location", ""), error.read().decode(errors="replace")

    def token(self, html: str) -> str:
        match = re.search(r'<input[^>]*name="csrf_token"[^>]*value="([^"]+)"', html)
        if not match:
            raise SystemExit("set-up: the page has no CSRF token")
        return match.group(1)

    def cookie_header(self) -> str:
        return "; ".join(f"{c.name}={c.value}" for c in self.jar)


def create_accounts(env: dict) -> dict | None:
    """An organisation, its administrator (`dpup create-admin`) and a privacy officer who answers.

    Returns the officer's login, or None when this version of dpup has no accounts.
    """
    from dpup.storage import models

    if not hasattr(models, "User"):
        return None
    run = secrets.token_hex(4)  # new accounts on every run, so a shared database can be reused
    admin_email, officer_email = f"admin-{run}@bench.example", f"officer-{run}@bench.example"
    dpup_command("create-admin", "--organisation", "Bench Trust", "--name", "Bench Administrator",
                 "--email", admin_email, "--password", PASSWORD, env=env)
    from sqlalchemy import select

    from dpup.security.passwords import hash_password
    from dpup.storage.db import db
    from dpup.web.app import create_app

    app = create_app({"SQLALCHEMY_DATABASE_URI": env["DATABASE_URL"], "SECRET_KEY": env["DPUP_SECRET_KEY"]})
    with app.app_context():
        admin = db.session.scalar(select(models.User).where(models.User.email == admin_email))
        db.session.add(models.User(organisation_id=admin.organisation_id, name="Bench Officer", email=officer_email,
                                   role=models.Role.PRIVACY_OFFICER, password_hash=hash_password(PASSWORD)))
        db.session.commit()
        db.engine.dispose()
    return {"email": officer_email, "password": PASSWORD}


def first_question_answer(tree_id: str) -> tuple[str, dict]:
    """The first question of the tree and form fields for a valid answer that needs no reason."""
    from dpup import config
    from dpup.engine import load_library, walk
    from dpup.engine.model import AnswerKind

    tree = load_library(Path(config.TREES_DIR), Path(config.CONTENT_DIR)).trees[tree_id]
    node = walk(tree, {}).current
    if node.kind == AnswerKind.TEXT:
        return node.id, {"answer": "We need it to deliver the service we were funded for."}
    option = next(o for o in node.options if not o.ask_reason)
    return node.id, {"answer": option.value}


def prepare(base: str, env: dict, assessments: int) -> dict:
    """Everything a load client needs: a session cookie, question pages, and an answer to post.

    The one place to adapt when logging in or starting an assessment changes: it creates the
    accounts, logs in as the privacy officer, starts ``assessments`` assessments through the web
    form, and returns the cookie (with the CSRF secret in it), one question path per assessment,
    and the answer's form fields.
    """
    browser = Browser(base)
    login = create_accounts(env)
    if login is not None:
        status, _, page = browser.open("/login")
        status, where, page = browser.open("/login", {"csrf_token": browser.token(page), **login}, follow=False)
        if status not in (302, 303):
            raise SystemExit(f"set-up: logging in failed with {status}")
    node_id, answer = first_question_answer(TREE)
    paths = []
    for i in range(assessments):
        status, _, page = browser.open(f"/assessments/new?tree={TREE}")
        if status != 200:
            raise SystemExit(f"set-up: /assessments/new answered {status}")
        status, url, page = browser.open("/assessments/new", {
            "csrf_token": browser.token(page), "organisation": "Bench Trust",
            "initiative": f"Benchmark initiative {i + 1}", "description": "", "trees": TREE})
        url, page = answer_profile(browser, url, page)
        match = re.search(r"(/assessments/[\w-]+/trees/[\w-]+/questions/([\w-]+))$", url)
        if status != 200 or not match:
            raise SystemExit(f"set-up: starting an assessment ended at {status} {url}")
        paths.append(match.group(1))
        if match.group(2) != node_id:  # the first question asked is not the tree's first: a known one was skipped
            value = re.search(r'<input[^>]*name="answer"[^>]*value="([^"]*)"', page)
            answer = {"answer": value.group(1) if value else "We need it to deliver the service we were funded for."}
    status, _, page = browser.open(paths[0])  # the session now holds the CSRF secret: one cookie for all
    if status != 200 or "csrf_token" not in page:
        raise SystemExit(f"set-up: the question page answered {status}")
    return {"cookie": browser.cookie_header(), "paths": paths,
            "answer": urllib.parse.urlencode(answer), "logged_in": login is not None}


def answer_profile(browser: Browser, url: str, page: str) -> tuple[str, str]:
    """With an "About this work" profile, a new assessment starts there: answer each of its questions
    with its first option, choose the benchmark's tree on the pre-screen, and go to that tree's first
    question. The question page then reads the profile, as every real one does."""
    while re.search(r"/trees/[\w-]+/questions/[\w-]+$", url) and f"/trees/{TREE}/" not in url:
        value = re.search(r'<input[^>]*name="answer"[^>]*value="([^"]*)"', page)
        fields = {"csrf_token": browser.token(page), "version": _field(page, "version"),
                  "answer": value.group(1) if value else "Benchmark answer."}
        status, url, page = browser.open(_path(browser, url), fields)
        if status != 200:
            raise SystemExit(f"set-up: answering the profile ended at {status} {url}")
    if url.endswith("/trees"):  # the pre-screen
        recommended = re.findall(r'<input[^>]*checked[^>]*name="trees"[^>]*value="([^"]+)"'
                                 r'|<input[^>]*name="trees"[^>]*value="([^"]+)"[^>]*checked', page)
        chosen = {a or b for a, b in recommended} | {TREE}
        fields = {"csrf_token": browser.token(page), "version": _field(page, "version"), "trees": sorted(chosen),
                  f"reason-{TREE}": "The benchmark assesses this tree."}
        status, url, page = browser.open(_path(browser, url), fields)
        public_id = _path(browser, url).split("/")[2]
        status, url, page = browser.open(f"/assessments/{public_id}/trees/{TREE}")
    return url, page


def _path(browser: Browser, url: str) -> str:
    return url[len(browser.base):] if url.startswith(browser.base) else url


def _field(page: str, name: str) -> str:
    match = re.search(rf'<input[^>]*name="{name}"[^>]*value="([^"]*)"', page)
    return match.group(1) if match else ""


# ---------------------------------------------------------------- load

def run_wrk(server: Server, mode: str, cookie: str, answer: str, paths: list[str], args, workdir: Path) -> dict:
    """One scenario; the result also has the server's CPU time per request (robust to other load)."""
    cpu_before = server.cpu_seconds()
    result = _wrk(server.base, mode, cookie, answer, paths, args, workdir)
    result["cpu_ms_per_request"] = (server.cpu_seconds() - cpu_before) * 1000 / max(1, result["requests"])
    return result


def _wrk(base: str, mode: str, cookie: str, answer: str, paths: list[str], args, workdir: Path) -> dict:
    script = workdir / "bench.lua"
    script.write_text(WRK_LUA)
    config_file = workdir / f"wrk-{mode}-{secrets.token_hex(3)}.txt"
    config_file.write_text("\n".join([cookie, answer, *paths]) + "\n")
    command = ["wrk", "-t", str(args.clients), "-c", str(args.clients), "-d", f"{args.duration}s",
               "--timeout", "10s", "-s", str(script), base, "--", mode, str(config_file)]
    out = subprocess.run(command, capture_output=True, text=True, timeout=args.duration + 60)
    for line in out.stdout.splitlines():
        if line.startswith("DPUP_RESULT "):
            return json.loads(line.removeprefix("DPUP_RESULT "))
    raise SystemExit(f"wrk printed no result ({out.returncode}):\n{out.stdout}\n{out.stderr}")


def warm_up(base: str, path: str, cookie: str, count: int = 30) -> None:
    request = urllib.request.Request(base + path, headers={"Cookie": cookie} if cookie else {})
    for _ in range(count):
        with urllib.request.urlopen(request, timeout=30) as response:
            response.read()


def show(name: str, result: dict, kind: str, baseline: float | None = None) -> float:
    duration = result["duration_s"]
    n, p50, p95 = result[f"{kind}_n"], result[f"{kind}_p50"], result[f"{kind}_p95"]
    rate = n / duration
    ratio = f"  {rate / baseline:6.1%} of hello world" if baseline else ""
    print(f"  {name:<22} {rate:8.1f} req/s   p50 {p50:6.1f} ms   p95 {p95:6.1f} ms{ratio}")
    return rate


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--duration", type=int, default=10, help="seconds of load per scenario (default 10)")
    parser.add_argument("--clients", type=int, default=16, help="concurrent clients (default 16)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (default 2)")
    parser.add_argument("--database-url", help="use this database instead of a temporary SQLite file")
    parser.add_argument("--threads", type=int, default=int(os.environ.get("DPUP_THREADS", 4)),
                        help="gunicorn threads per worker (default: DPUP_THREADS or 4, as in production)")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is not installed: apt-get install -y wrk")
    args.duration = max(1, min(args.duration, 300))
    args.clients = max(1, min(args.clients, 256))

    with tempfile.TemporaryDirectory(prefix="dpup-http-bench-") as tmp:
        workdir = Path(tmp)
        database = workdir / "bench.sqlite"
        env = {**os.environ, "DATABASE_URL": args.database_url or f"sqlite:///{database}",
               "DPUP_SECRET_KEY": secrets.token_hex(32), "PYTHONDONTWRITEBYTECODE": "1"}
        env.pop("DPUP_DATABASE_URL", None)
        dpup_command("db", "upgrade", env=env)
        if args.database_url:
            from sqlalchemy.engine import make_url

            described = f"database {make_url(args.database_url).get_backend_name()}"
        else:
            with sqlite3.connect(database) as conn:  # WAL: readers never wait for the writer
                described = f"SQLite journal_mode={conn.execute('PRAGMA journal_mode=WAL').fetchone()[0]}"

        servers = []
        try:
            hello = gunicorn("hello", "hello_app:app", env, workdir, args)
            servers.append(hello)
            dpup = gunicorn("dpup", "dpup.wsgi:app", env, workdir, args)
            servers.append(dpup)
            setup = prepare(dpup.base, env, args.clients)
            cookie, answer, paths = setup["cookie"], setup["answer"], setup["paths"]

            print(f"gunicorn {args.workers} workers x {args.threads} threads on {HOST}; wrk {args.clients} "
                  f"connections, {args.duration} s per scenario; {described}; "
                  f"{'logged in as a privacy officer' if setup['logged_in'] else 'no accounts in this version'}")
            print(f"  {os.cpu_count()} CPUs, {date.today().isoformat()}, Python {sys.version.split()[0]}")
            warm_up(hello.base, "/", "")
            hello_result = run_wrk(hello, "get", "", "", ["/"], args, workdir)
            warm_up(dpup.base, paths[0], cookie)
            floor_result = run_wrk(dpup, "get", cookie, answer, ["/healthz"], args, workdir)
            page_result = run_wrk(dpup, "get", cookie, answer, paths, args, workdir)
            answer_result = run_wrk(dpup, "answer", cookie, answer, paths, args, workdir)
            contended = run_wrk(dpup, "answer", cookie, answer, paths[:1], args, workdir)
        finally:
            for server in servers:
                server.stop()

        print()
        baseline = show("hello world", hello_result, "get")
        show("logged-in floor", floor_result, "get", baseline)
        page_rate = show("question page (GET)", page_result, "get", baseline)
        show("answer (POST)", answer_result, "post", baseline)
        show("  its form (GET)", answer_result, "get", baseline)
        show("answer, contended", contended, "post", baseline)
        print()
        for name, result in (("hello world", hello_result), ("logged-in floor", floor_result),
                             ("question page", page_result), ("answer", answer_result),
                             ("answer, contended", contended)):
            print(f"  {name:<22} GET 200: {result['get_ok']:>7}  GET other: {result['get_other']:>4}  "
                  f"POST saved: {result['post_ok']:>6}  POST 409 conflict: {result['post_conflict']:>5}  "
                  f"POST other: {result['post_other']:>4}  socket errors: {result['socket_errors']}  "
                  f"timeouts: {result['timeouts']}")
        print()
        print("  server CPU time per request (user + system, all gunicorn processes; other load does not change it):")
        for name, result in (("hello world", hello_result), ("logged-in floor", floor_result),
                             ("question page", page_result), ("answer: GET + POST", answer_result),
                             ("answer, contended", contended)):
            print(f"  {name:<22} {result['cpu_ms_per_request']:6.2f} ms")
        cpu_ratio = hello_result["cpu_ms_per_request"] / max(page_result["cpu_ms_per_request"], 1e-9)
        ratio = page_rate / baseline
        p95 = page_result["get_p95"]
        print()
        print(f"Question page: {ratio:.1%} of hello-world throughput (target >= {QUESTION_TARGET_RATIO:.0%}: "
              f"{'met' if ratio >= QUESTION_TARGET_RATIO else 'NOT met'}), p95 {p95:.1f} ms (target < "
              f"{P95_TARGET_MS:.0f} ms: {'met' if p95 < P95_TARGET_MS else 'NOT met'})")
        print(f"  By CPU time per request, the question page costs {1 / cpu_ratio:.1f}x a hello world "
              f"({cpu_ratio:.1%} of its throughput on an otherwise idle machine).")
        post_p95 = answer_result["post_p95"]
        print(f"Answer POST: p95 {post_p95:.1f} ms (target < {P95_TARGET_MS:.0f} ms: "
              f"{'met' if post_p95 < P95_TARGET_MS else 'NOT met'})")
        bad = sum(r["get_other"] + r["post_other"] + r["socket_errors"] + r["timeouts"] + r["no_form"]
                  for r in (hello_result, floor_result, page_result, answer_result, contended))
        if bad:
            print(f"WARNING: {bad} unexpected responses or errors; see the server logs above the figures.")
            for server in servers:
                print(f"--- {server.name} log (last lines)")
                print("\n".join(server.log.read_text(errors="replace").splitlines()[-15:]))
        print(f"(load average now: {', '.join(f'{x:.2f}' for x in os.getloadavg())} on {os.cpu_count()} CPUs)")


if __name__ == "__main__":
    main()
