"""An assessment's history in words a reviewer reads: lives with the reports, which print it too."""

from dpup.reports.history import described  # noqa: F401
