"""How fast are the reports on a large assessment? Prints figures; it is not a test.

Builds, in a temporary SQLite app with the bundled knowledge base, one assessment that covers every
bundled assessment tree (the "where to start" navigator is not an assessment, and "About this work" is
left out so every question is asked), each answered along the path with the most findings found by
seeded random walks with valid answers, with a 5,000-character note (with
macrons) on every answer. Then prints the median time over N runs of building the report model and
rendering it as Markdown, HTML and PDF, and the PDF's page count. If WeasyPrint is installed it also
renders the same HTML report with WeasyPrint and prints how many times slower that is.

Targets (issue 4): the reportlab PDF under 300 ms on a 2-core machine, and at least 5x faster than
WeasyPrint on the same report. Targets (issue 13): the board brief at most 4 pages and under 100 ms as
PDF; the full record under 300 ms as PDF; Word (brief and full record) under 300 ms; the action
register's first, middle and last page with 10,000 actions within 1.2x of the same pages with 1,000.

    .venv/bin/python benchmarks/report_bench.py [--runs N] [--out DIR]
"""

from __future__ import annotations

import argparse
import io
import logging
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from dpup import config
from dpup.engine import parse_answer, walk
from dpup.engine.model import AnswerKind
from dpup.engine.walk import AnswerError

NAVIGATOR = "where-to-start"
NOTE = ("Kaitiakitanga: we look after this information as a steward that whānau, hapū and iwi can trust. "
        "The purpose was agreed at a hui with kaumātua and the service's clinical lead; we will revisit it. ")


def note(i: int) -> str:
    text = f"Note {i}. " + NOTE * (5000 // len(NOTE) + 1)
    return text[:5000]


def _candidates(node, rng: random.Random) -> list[list[str]]:
    if node.kind == AnswerKind.TEXT:
        return [["We need it to plan services with whānau; see the purpose statement."]]
    values = [o.value for o in node.options]
    if node.kind == AnswerKind.SEVERAL_OF:
        k = rng.randint(1, len(values))
        return [rng.sample(values, k)]
    return [[rng.choice(values)]]


def longest_answers(tree, tries: int = 300, seed: int = 4) -> dict:
    """Valid answers along the path with the most findings found (the longest breaks ties): the heaviest
    report a tree can give, for the brief's page limit and the renderers' speed."""
    rng = random.Random(seed)
    best, best_key = {}, (-1, -1)
    for _ in range(tries):
        answers = {}
        while True:
            w = walk(tree, answers)
            node = w.current
            if node is None:
                break
            values = _candidates(node, rng)[0]
            try:
                answers[node.id] = parse_answer(node, values, note="", reason="It does not apply here.",
                                                action_owner="Privacy officer", action_due="2027-06-30")
            except AnswerError:
                answers[node.id] = parse_answer(node, [node.options[0].value], reason="It does not apply here.")
        w = walk(tree, answers)
        key = (len(w.findings), len(w.steps))
        if key > best_key:
            best, best_key = answers, key
    return best


def build(app, tries: int = 300):
    """The benchmark's full assessment: every bundled tree answered along the longest path found,
    with 5,000-character notes (tests/test_brief_full_assessment.py builds it too, with fewer tries)."""
    from dpup.engine import Answer
    from dpup.storage import actions
    from dpup.storage import assessments as store
    from dpup.storage.db import db
    from dpup.storage.models import Organisation, User

    library = app.extensions["dpup.library"]
    # Every assessment tree, without "About this work": each tree is answered on its own, every question
    # asked, as an assessment started before the profile was.
    tree_ids = [t for t, tree in library.trees.items() if t != NAVIGATOR and tree.kind != "profile"]
    officer = User(organisation=Organisation(name="Te Whare Hauora o Ngā Whānau Trust"), name="Mere Tāwhiri",
                   email="privacy@example.org.nz", role="privacy_officer", password_hash=None)
    db.session.add(officer)
    db.session.commit()
    assessment = store.start_assessment(library, officer, "Whānau wellbeing data platform",
                                        "A shared platform for whānau wellbeing data across our services.", tree_ids)
    count = 0
    for tree_id in tree_ids:
        for node_id, answer in longest_answers(library.trees[tree_id], tries).items():
            count += 1
            answer = Answer(value=answer.value, note=note(count), reason=answer.reason,
                            action_owner=answer.action_owner, action_due=answer.action_due)
            store.save_answer(assessment, tree_id, node_id, answer, assessment.version, officer)
    actions.sync(library, assessment, officer.email)  # as viewing the report does
    db.session.commit()
    return assessment, len(tree_ids), count


CPU: dict[str, float] = {}


def median_ms(fn, runs: int, name: str = "") -> tuple[float, object]:
    """Median wall-clock time of ``fn`` over ``runs`` (and, in CPU[name], its median CPU time)."""
    times, cpu, result = [], [], None
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), time.process_time()
        result = fn()
        times.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
    CPU[name] = statistics.median(cpu)
    return statistics.median(times), result


def add_actions(assessment, count: int, start: int) -> None:
    """``count`` more action items in the assessment's organisation, with due dates over two years
    (a tenth with none) and a mix of statuses, as a busy organisation's register would hold."""
    from datetime import date, timedelta

    from sqlalchemy import insert

    from dpup.storage.db import db
    from dpup.storage.models import ActionItem, new_public_id

    rng = random.Random(start)
    statuses = ["open"] * 6 + ["done"] * 2 + ["risk_accepted", "not_needed"]
    rows = [{"public_id": new_public_id(), "assessment_id": assessment.id,
             "organisation_id": assessment.organisation_id, "key": f"bench-{i}", "text": f"Bench action {i}.",
             "finding": f"Bench finding {i}.", "severity": "action_required", "trees": [],
             "owner_name": rng.choice(["Aroha", "Mere", "Tama", "Board secretary"]),
             "due": None if i % 10 == 0 else date(2026, 1, 1) + timedelta(days=rng.randint(0, 730)),
             "status": rng.choice(statuses), "reason": "", "note": "", "version": 1}
            for i in range(start, start + count)]
    db.session.execute(insert(ActionItem), rows)
    db.session.commit()


def register_bench(app, runs: int) -> None:
    """The register page (open actions, 50 a page) of an organisation with 1,000 actions and of one
    with 10,000, each as its signed-in privacy officer asks for it: the first page, a middle page
    reached by following "Next page" from the first, and the "Last page" link. The two
    organisations' requests alternate, so a busy moment on a shared machine slows both alike."""
    import re as regex
    from html import unescape

    from dpup.security.passwords import hash_password
    from dpup.storage import assessments as store
    from dpup.storage.db import db
    from dpup.storage.models import Organisation, User

    def fetch(client, url: str, **form):
        # Each request in an app context of its own, as in a server: the benchmark's own context
        # would otherwise share flask-login's user (kept on g) between the two officers' clients.
        with app.app_context():
            return client.post(url, data=form) if form else client.get(url)

    library = app.extensions["dpup.library"]
    tree = next(t for t in library.trees if t != NAVIGATOR)
    pages = {}
    for total in (1_000, 10_000):
        officer = User(organisation=Organisation(name=f"Register of {total:,}"), name="Aroha Rangi",
                       email=f"register-{total}@example.org.nz", role="privacy_officer",
                       password_hash=hash_password("bench-password-kōwhai-42"))
        db.session.add(officer)
        db.session.commit()
        add_actions(store.start_assessment(library, officer, "Register", "Actions for the register.", [tree]),
                    total, 0)
        client = app.test_client()
        token = regex.search(r'name="csrf_token"[^>]*value="([^"]+)"', fetch(client, "/login").get_data(as_text=True))
        signed_in = fetch(client, "/login", csrf_token=token.group(1), email=officer.email,
                          password="bench-password-kōwhai-42")
        assert signed_in.status_code == 302, "could not sign in"
        links = ["/actions"]
        while True:  # every page's link, as a person following "Next page" would reach it
            found = regex.search(r'<a href="([^"]+)"[^>]*>Next page</a>', fetch(client, links[-1]).get_data(as_text=True))
            if not found:
                break
            links.append(unescape(found.group(1)))
        pages[total] = client, {"first": "/actions", "middle": links[len(links) // 2], "last": "/actions?page=last"}
    figures: dict[tuple[int, str], list[float]] = {}
    for label in ("first", "middle", "last"):
        for _ in range(runs + 1):  # the first round warms up and is not counted
            for total, (client, urls) in pages.items():
                start = time.perf_counter()
                response = fetch(client, urls[label])
                elapsed = (time.perf_counter() - start) * 1000
                assert response.status_code == 200, response.status_code
                figures.setdefault((total, label), []).append(elapsed)
    print(f"Action register page (open actions, 50 a page, signed in, through Flask's test client), median of {runs}:")
    for label in ("first", "middle", "last"):
        small, large = (statistics.median(figures[total, label][1:]) for total in (1_000, 10_000))
        print(f"  {label:6}  1,000 actions {small:6.1f} ms   10,000 actions {large:6.1f} ms   ratio "
              f"{large / small:4.2f}  target <= 1.2x: {'met' if large <= 1.2 * small else 'NOT met'}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--out", type=Path, help="also write report.pdf, report.md and report.html here")
    parser.add_argument("--no-weasyprint", action="store_true", help="skip the WeasyPrint comparison (slow)")
    args = parser.parse_args()

    from flask import render_template
    from pypdf import PdfReader

    from dpup.reports.markdown import render_markdown
    from dpup.reports.model import build_report
    from dpup.reports.pdf import render_pdf
    from dpup.reports.pdf_brief import render_brief_pdf
    from dpup.reports.word import render_brief_docx, render_record_docx
    from dpup.storage.setup import upgrade_database
    from dpup.web.app import create_app

    with tempfile.TemporaryDirectory() as tmp:
        app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp}/bench.sqlite", "SECRET_KEY": "bench",
                          "TREES_DIR": config.TREES_DIR, "CONTENT_DIR": config.CONTENT_DIR})
        app.instance_path = tmp
        with app.app_context():
            upgrade_database()
            assessment, trees, answers = build(app)
            library = app.extensions["dpup.library"]
            report = build_report(library, assessment)
            print(f"Assessment: {trees} trees, {answers} answers with 5,000-character notes, "
                  f"{report.findings_total} findings, {len(report.action_plan)} actions, "
                  f"{report.unused_total} unused answers")

            # Each is run once before timing: templates compiled, fonts loaded, as in a running server.
            def page():
                with app.test_request_context(f"/assessments/{assessment.public_id}/report"):
                    return render_template("assessments/report.html", report=report, standalone=True)

            for warm_up in (lambda: build_report(library, assessment), lambda: render_markdown(report), page,
                            lambda: render_pdf(report), lambda: render_brief_pdf(report),
                            lambda: render_brief_docx(report), lambda: render_record_docx(report)):
                warm_up()
            model_ms, _ = median_ms(lambda: build_report(library, assessment), args.runs)
            md_ms, md = median_ms(lambda: render_markdown(report), args.runs)
            html_ms, html = median_ms(page, args.runs)
            pdf_ms, pdf = median_ms(lambda: render_pdf(report), args.runs, "pdf")
            pages = len(PdfReader(io.BytesIO(pdf)).pages)

            print(f"Median of {args.runs} runs:")
            print(f"  report model  {model_ms:8.1f} ms")
            print(f"  Markdown      {md_ms:8.1f} ms  ({len(md.encode()):,} bytes)")
            print(f"  HTML          {html_ms:8.1f} ms  ({len(html.encode()):,} bytes)")
            print(f"  PDF           {pdf_ms:8.1f} ms  ({len(pdf):,} bytes, {pages} pages; CPU time {CPU['pdf']:.1f} ms)"
                  f"  target < 300 ms: {'met' if pdf_ms < 300 else 'NOT met'}")
            brief_ms, brief = median_ms(lambda: render_brief_pdf(report), args.runs, "brief")
            brief_pages = len(PdfReader(io.BytesIO(brief)).pages)
            print(f"  Board brief PDF {brief_ms:6.1f} ms  ({len(brief):,} bytes, {brief_pages} pages)  targets "
                  f"<= 4 pages: {'met' if brief_pages <= 4 else 'NOT met'}, < 100 ms: "
                  f"{'met' if brief_ms < 100 else 'NOT met'}")
            for name, render in (("Brief Word", render_brief_docx), ("Record Word", render_record_docx)):
                ms, docx = median_ms(lambda render=render: render(report), args.runs)
                print(f"  {name:13} {ms:8.1f} ms  ({len(docx):,} bytes)  target < 300 ms: "
                      f"{'met' if ms < 300 else 'NOT met'}")
            print(f"  (load average now: {', '.join(f'{x:.2f}' for x in os.getloadavg())} on {os.cpu_count()} CPUs)")

            try:
                if args.no_weasyprint:
                    raise ImportError
                import weasyprint

                logging.getLogger("weasyprint").setLevel(logging.ERROR)  # it warns about CSS it does not support
            except ImportError:
                print("No WeasyPrint comparison (not installed, or --no-weasyprint): pip install weasyprint to compare.")
            else:
                # The page's own stylesheets (dpup.css, and print.css for print media), read from disk.
                static = Path(app.static_folder).as_uri()
                printable = html.replace('href="/static/', f'href="{static}/')
                wp_runs = max(1, min(args.runs, 3))
                wp_ms, wp_pdf = median_ms(lambda: weasyprint.HTML(string=printable).write_pdf(), wp_runs, "weasyprint")
                wp_pages = len(PdfReader(io.BytesIO(wp_pdf)).pages)
                ratio = wp_ms / pdf_ms
                print(f"  WeasyPrint    {wp_ms:8.1f} ms  ({len(wp_pdf):,} bytes, {wp_pages} pages; CPU time "
                      f"{CPU['weasyprint']:.1f} ms; median of {wp_runs}, version {weasyprint.__version__})")
                print(f"  reportlab is {ratio:.1f}x faster than WeasyPrint; target >= 5x: "
                      f"{'met' if ratio >= 5 else 'NOT met'}")

            register_bench(app, max(args.runs, 15))

            if args.out:
                args.out.mkdir(parents=True, exist_ok=True)
                (args.out / "brief.pdf").write_bytes(brief)
                (args.out / "report.pdf").write_bytes(pdf)
                (args.out / "report.md").write_text(md, encoding="utf-8")
                (args.out / "report.html").write_text(html, encoding="utf-8")
                print(f"Wrote report.pdf, report.md and report.html to {args.out}")
        from dpup.storage.db import db

        with app.app_context():
            db.engine.dispose()


if __name__ == "__main__":
    main()
