"""The pure-Python engine: load, validate and walk DPUP decision trees and checklists.

Nothing here imports Flask or SQLAlchemy, so the engine can be used and tested on its own.
"""

from dpup.engine.library import Library, LibraryError, load_library
from dpup.engine.model import (
    Answer,
    Checklist,
    OutcomeNode,
    QuestionNode,
    Severity,
    Tree,
)
from dpup.engine.problems import Problem
from dpup.engine.walk import AnswerError, RaisedFinding, Walk, parse_answer, walk

__all__ = [
    "Answer",
    "AnswerError",
    "Checklist",
    "Library",
    "LibraryError",
    "OutcomeNode",
    "Problem",
    "QuestionNode",
    "RaisedFinding",
    "Severity",
    "Tree",
    "Walk",
    "load_library",
    "parse_answer",
    "walk",
]
