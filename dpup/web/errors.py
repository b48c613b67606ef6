"""Error pages that say what happened in plain words and never show a traceback."""

from flask import Flask, render_template
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, SecurityError

MESSAGES = {
    400: ("Something was wrong with that request", "Go back and try again."),
    403: ("You cannot see this page", "Your account does not have access to it."),
    404: ("Page not found", "The page, assessment or tree you asked for does not exist. Check the address."),
    405: ("That did not work", "This page cannot be used that way."),
    500: ("Sorry, something went wrong", "The problem has been logged. Your saved answers are safe."),
}


def init_app(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(error):
        return _page(400, "Your form expired", "For your security the form timed out or was sent from elsewhere. "
                     "Go back, reload the page and submit it again.")

    @app.errorhandler(SecurityError)
    def untrusted_host(error):
        # A Host header outside TRUSTED_HOSTS: no link can be built for it, so no page template.
        return "Bad request: this dpup does not answer to that host name.\n", 400, {"Content-Type": "text/plain"}

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        title, message = MESSAGES.get(error.code, (error.name, ""))
        return _page(error.code, title, message)

    @app.errorhandler(Exception)
    def unexpected(error: Exception):
        app.logger.exception("Unhandled error")
        return _page(500, *MESSAGES[500])


def _page(status: int, title: str, message: str):
    return render_template("errors/error.html", title=title, message=message), status
