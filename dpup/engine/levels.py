"""The levels findings and outcomes are graded on, and the kinds of answer a question takes."""

from __future__ import annotations

from enum import StrEnum


class Severity(StrEnum):
    """How serious a finding is, least to most."""

    INFORMATION = "information"
    ADVISORY = "advisory"
    ACTION_REQUIRED = "action_required"
    SEEK_ADVICE = "seek_advice"
    STOP = "stop"

    @property
    def rank(self) -> int:
        return _SEVERITY_RANKS[self]

    @property
    def least_verdict(self) -> Verdict:
        """The mildest outcome a path that raised this finding may end at (the verdict rule)."""
        return _LEAST_VERDICT[self]


class Basis(StrEnum):
    """Why a finding matters: the law requires it, or DPUP asks it as good practice."""

    LAW = "law"
    GOOD_PRACTICE = "good_practice"


# The answers of yes_no and yes_no_na questions and of checklist items; vocabulary.yaml words them.
STANDARD_ANSWERS = ("yes", "no", "na")


class AnswerKind(StrEnum):
    YES_NO = "yes_no"
    YES_NO_NA = "yes_no_na"
    ONE_OF = "one_of"
    SEVERAL_OF = "several_of"
    TEXT = "text"


class Verdict(StrEnum):
    """What an outcome tells the organisation to do. What each is called is in vocabulary.yaml."""

    PROCEED = "proceed"
    PROCEED_WITH_ACTIONS = "proceed_with_actions"
    SEEK_ADVICE = "seek_advice"
    STOP = "stop"

    @property
    def rank(self) -> int:
        return _VERDICT_RANKS[self]


# Ranks are read on every step of the verdict-rule check, so they are looked up, not recomputed.
_SEVERITY_RANKS = {s: i for i, s in enumerate(Severity)}
_VERDICT_RANKS = {v: i for i, v in enumerate(Verdict)}
_LEAST_VERDICT = {
    Severity.INFORMATION: Verdict.PROCEED,
    Severity.ADVISORY: Verdict.PROCEED,
    Severity.ACTION_REQUIRED: Verdict.PROCEED_WITH_ACTIONS,
    Severity.SEEK_ADVICE: Verdict.SEEK_ADVICE,
    Severity.STOP: Verdict.STOP,
}
