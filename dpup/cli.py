"""The ``dpup`` command: Flask's CLI around the app factory, plus dpup's own commands."""

from __future__ import annotations

import json
import logging
import os
import stat
import sys
from pathlib import Path

import click
from flask.cli import FlaskGroup, ScriptInfo, run_command

from dpup import config
from dpup.engine import LibraryError, load_library
from dpup.engine.documents import DOCUMENTS_DIR, load_document, load_documents
from dpup.engine.library import Library


def _create_app():
    from dpup.web.app import create_app

    return create_app()


def _library(only: Path | None = None) -> Library:
    trees = Path(os.environ.get("DPUP_TREES_DIR", config.TREES_DIR))
    content = Path(os.environ.get("DPUP_CONTENT_DIR", config.CONTENT_DIR))
    return load_library(trees, content, only=only)


def _fail_on_problems(library: Library) -> None:
    if library.problems:
        for problem in library.problems:
            click.echo(str(problem), err=True)
        click.echo(f"{len(library.problems)} problem(s) found.", err=True)
        sys.exit(1)


def write_private(path: Path, data: bytes) -> None:
    """Write a file only its owner can read (0600): reports and exports hold an organisation's
    assessments. A file that was there before is made private too, since it is replaced."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as f:
        if stat.S_ISREG(os.fstat(f.fileno()).st_mode):  # not a device such as /dev/stdout
            os.fchmod(f.fileno(), 0o600)
        f.write(data)


@click.group(cls=FlaskGroup, create_app=_create_app, add_default_commands=False)
def main() -> None:
    """dpup: DPUP decision trees, checklists and assessment reports."""


@main.command(with_appcontext=False)
@click.argument("path", required=False, type=click.Path(exists=True, path_type=Path))
def validate(path: Path | None) -> None:
    """Check the decision trees, checklists and content (or just PATH) and list every problem."""
    if path is not None and (path.suffix == ".md" or path.name == DOCUMENTS_DIR):
        _validate_documents(path.resolve())
        return
    try:
        library = _library(only=path.resolve() if path else None)
    except LibraryError as exc:
        _fail_on_problems(Library(vocabulary=None, problems=exc.problems))
    _fail_on_problems(library)
    for tree in library.trees.values():
        click.echo(
            f"ok  tree       {tree.id}: {len(tree.questions)} questions, {len(tree.outcomes)} outcomes"
            f" (version {tree.version}, {tree.file.content_hash})"
        )
    for checklist in library.checklists.values():
        click.echo(f"ok  checklist  {checklist.id}: {len(checklist.items)} items (version {checklist.version})")
    if library.findings:
        laws = sum(f.basis == "law" for f in library.findings.values())
        click.echo(f"ok  findings   {len(library.findings)} in the catalogue ({laws} required by law, "
                   f"{len(library.findings) - laws} good practice); the verdict rule holds on every path")
    if library.maturity is not None:
        m = library.maturity
        click.echo(f"ok  maturity   {m.id}: {len(m.sections)} sections, {len(m.criteria)} criteria "
                   f"(version {m.version}, {m.file.content_hash})")
    if path is None:
        click.echo(f"ok  content    {len(library.pages)} pages")
        click.echo(f"ok  documents  {len(library.documents)} templates")


def _validate_documents(path: Path) -> None:
    """Document templates alone (``dpup validate content/documents/privacy-notice.md``), checked
    against the bundled trees their placeholders name."""
    trees = Path(os.environ.get("DPUP_TREES_DIR", config.TREES_DIR))
    content = Path(os.environ.get("DPUP_CONTENT_DIR", config.CONTENT_DIR))
    library = load_library(trees, content, verdict_rule=False)
    if path.is_dir():
        documents, problems = load_documents(path, library.trees)
    else:
        template, problems = load_document(path, library.trees)
        documents = {template.id: template} if template else {}
    _fail_on_problems(Library(vocabulary=None, problems=problems))
    for template in documents.values():
        click.echo(f"ok  document   {template.id}: {template.title} (reading grade {template.meta.reading_grade} "
                   "or lower)")


@main.command(with_appcontext=False)
@click.argument("kind", type=click.Choice(["tree", "checklist", "findings"]), default="tree")
def schema(kind: str) -> None:
    """Print the JSON Schema of tree, checklist or findings-catalogue files, for editors."""
    from pydantic import BaseModel

    from dpup.engine.model import Checklist, Finding, Tree

    class FindingsFile(BaseModel):
        findings: list[Finding]

    model = {"tree": Tree, "checklist": Checklist, "findings": FindingsFile}[kind]
    click.echo(json.dumps(model.model_json_schema(), indent=2))


@main.command("run", params=run_command.params, help=run_command.help, with_appcontext=False)
@click.pass_context
def run(ctx: click.Context, **kwargs) -> None:
    """Validate the knowledge files, bring the database up to date, then serve."""
    from dpup.storage.setup import upgrade_database

    try:
        app = ctx.ensure_object(ScriptInfo).load_app()
    except LibraryError as exc:
        _fail_on_problems(Library(vocabulary=None, problems=exc.problems))
    with app.app_context():
        upgrade_database()
    _no_access_log_from_the_development_server()
    ctx.invoke(run_command, **kwargs)


def _no_access_log_from_the_development_server() -> None:
    """Werkzeug's server would print a line per request with the client's address and the full
    path, one-time tokens included. dpup's own request log already has every request, without
    either; the server's other messages (errors) keep their text, without the address."""
    from werkzeug.serving import WSGIRequestHandler

    from dpup.web.observability import redact_tokens

    def log(handler, kind: str, message: str, *args) -> None:
        if kind != "info":  # "info" is the access log; errors and warnings stay
            logging.getLogger("werkzeug").log(logging.getLevelName(kind.upper()), redact_tokens(message % args))

    WSGIRequestHandler.log = log


@main.group()
def tree() -> None:
    """Look at decision trees."""


@tree.command("show", with_appcontext=False)
@click.argument("tree_id")
def tree_show(tree_id: str) -> None:
    """Print every question, branch and outcome of TREE_ID as an outline."""
    from dpup.engine.outline import outline, outline_lines

    library = _library()
    found = library.trees.get(tree_id)
    if found is None:
        raise click.ClickException(f"no tree '{tree_id}'; there are: {', '.join(sorted(library.trees))}")
    click.echo("\n".join(outline_lines(outline(found, library.vocabulary))))


@main.command()
@click.argument("assessment_id")
@click.option("--format", "fmt", type=click.Choice(["pdf", "md", "html"]), default="pdf", show_default=True,
              help="Report format.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True, allow_dash=True, path_type=Path),
              required=True, help="File to write, or - for standard output.")
def report(assessment_id: str, fmt: str, output: Path) -> None:
    """Write the report of ASSESSMENT_ID (its public id, as in the web address) to a file."""
    from flask import current_app, render_template
    from sqlalchemy import select

    from dpup.reports.markdown import render_markdown
    from dpup.reports.model import build_report
    from dpup.reports.pdf import render_pdf
    from dpup.storage.db import db
    from dpup.storage.models import Assessment

    # Whoever runs the command has the server's database, every organisation's: the id is enough.
    assessment = db.session.scalar(select(Assessment).where(Assessment.public_id == assessment_id))
    if assessment is None:
        raise click.ClickException(f"no assessment with id '{assessment_id}'")
    built = build_report(current_app.extensions["dpup.library"], assessment, current_app.config["TIMEZONE"])
    if fmt == "pdf":
        data = render_pdf(built)
    elif fmt == "md":
        data = render_markdown(built).encode("utf-8")
    else:
        # A file opened on its own cannot fetch /static/: carry the styles inside it.
        static = Path(current_app.static_folder)
        css = (static / "dpup.css").read_text(encoding="utf-8")
        css += "\n@media print {\n" + (static / "print.css").read_text(encoding="utf-8") + "\n}\n"
        with current_app.test_request_context(f"/assessments/{assessment_id}/report"):
            data = render_template("assessments/report.html", report=built, standalone=True,
                                   inline_css=css).encode("utf-8")
    if str(output) == "-":
        sys.stdout.buffer.write(data)
        return
    write_private(output, data)
    click.echo(f"Wrote {output} ({len(data):,} bytes).", err=True)



@main.command("create-admin")
@click.option("--organisation", prompt="Organisation name")
@click.option("--name", prompt="Your name")
@click.option("--email", prompt="Email address")
@click.password_option("--password", prompt="Password (at least 8 characters; 15 or more is better)")
def create_admin(organisation: str, name: str, email: str, password: str) -> None:
    """Create an organisation and its first administrator (the command-line twin of /setup)."""
    from sqlalchemy import func, select

    from dpup.security.emails import is_email
    from dpup.security.passwords import password_problems
    from dpup.storage.db import db
    from dpup.storage.models import User
    from dpup.storage.setup import upgrade_database
    from dpup.web.auth import create_administrator

    upgrade_database()
    email = email.strip().lower()
    if not is_email(email):
        raise click.ClickException("Enter an email address like name@example.org.")
    if db.session.scalar(select(func.count()).select_from(User).where(func.lower(User.email) == email)):
        raise click.ClickException("Someone already has an account with that email address.")
    problems = password_problems(password, email, name, organisation)
    if problems:
        raise click.ClickException(problems[0])
    create_administrator(organisation.strip(), name.strip(), email, password)
    click.echo(f"Created {organisation.strip()} and its administrator and privacy officer {email}. Log in at /login.")


@main.command("export")
@click.option("--organisation", "organisation_ref", help="Organisation name or id (needed when there are several).")
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), required=True)
def export_command(organisation_ref: str | None, output: str) -> None:
    """Write an organisation's assessments (answers, notes, history, tree versions) to a JSON file."""
    from sqlalchemy import or_, select

    from dpup.storage.db import db
    from dpup.storage.models import Organisation
    from dpup.storage.transfer import export_organisation

    query = select(Organisation)
    if organisation_ref:
        query = query.where(or_(Organisation.public_id == organisation_ref, Organisation.name == organisation_ref))
    found = list(db.session.scalars(query))
    if len(found) != 1:
        names = ", ".join(f"{o.name} ({o.public_id})" for o in db.session.scalars(select(Organisation)))
        raise click.ClickException(f"name one organisation with --organisation; there are: {names or 'none'}")
    data = export_organisation(found[0])
    write_private(Path(output), json.dumps(data, ensure_ascii=False, indent=1).encode("utf-8"))
    click.echo(f"Exported {len(data['assessments'])} assessment(s) of {found[0].name} to {output}.")


@main.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
def import_command(file: str) -> None:
    """Load an export file into this dpup. All or nothing: a bad file changes nothing."""
    from flask import current_app
    from sqlalchemy.exc import SQLAlchemyError

    from dpup.storage.setup import upgrade_database
    from dpup.storage.transfer import TransferError, import_organisation

    upgrade_database()
    try:
        text = Path(file).read_text(encoding="utf-8")
        organisation, count = import_organisation(current_app.extensions["dpup.library"], text, "command line import")
    except (TransferError, UnicodeDecodeError) as exc:
        raise click.ClickException(f"{file} was not imported, and nothing was changed: {exc}") from exc
    except SQLAlchemyError as exc:  # a case the checks missed: the import rolled back as a whole
        raise click.ClickException(f"{file} was not imported, and nothing was changed: the database refused it "
                                   f"({type(getattr(exc, 'orig', None) or exc).__name__})") from exc
    click.echo(f"Imported {count} assessment(s) into {organisation.name}.")


@main.command("reset-password")
@click.argument("email")
def reset_password_command(email: str) -> None:
    """Reset EMAIL's password and print a one-time link to choose a new one (for when nobody who
    could do it from the People page can log in)."""
    from flask import current_app
    from sqlalchemy import func, select

    from dpup.storage.db import db
    from dpup.storage.models import User
    from dpup.web.auth import invite_link, reset_password

    user = db.session.scalar(select(User).where(func.lower(User.email) == email.strip().lower()))
    if user is None:
        raise click.ClickException(f"nobody has an account with the email address {email}")
    reset_password(user, "command line")
    with current_app.test_request_context():
        path = invite_link(user, external=False)
    click.echo(f"{user.name}'s password no longer works and their sessions have ended. To choose a new one,\n"
               f"they open this path on your dpup's address within 7 days (once): {path}")


if __name__ == "__main__":
    main()
