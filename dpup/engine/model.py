"""Typed, immutable models of the knowledge files.

Strict on purpose (``extra="forbid"``): a misspelt key is an error the author sees, not a
setting that is silently ignored. The JSON Schema for tree files is generated from these models
(``dpup schema``), so an editor can check a tree as it is typed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Literal, Union

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, model_validator

from dpup.engine.levels import STANDARD_ANSWERS, AnswerKind, Basis, Severity, Verdict  # noqa: F401 (re-exported)

Id = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]*$", max_length=80)]
# A question in this tree ("consent"), or in another tree of the same assessment ("about-this-work:consent").
QuestionRef = Annotated[str, Field(pattern=r"^([a-z0-9][a-z0-9-]*:)?[a-z0-9][a-z0-9-]*$", max_length=161)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class Tags(Strict):
    """What a question, item or finding serves: DPUP principles and guideline, and related frameworks."""

    principles: tuple[Id, ...] = ()
    guideline: Id | None = None
    ipps: tuple[str, ...] = ()
    five_safes: tuple[Id, ...] = ()
    tikanga: tuple[Id, ...] = ()


class Source(Strict):
    title: str
    url: str | None = None


class Finding(Tags):
    """A gap an answer can reveal. Current trees name one from the findings catalogue by id; tree
    versions pinned before the catalogue existed carry theirs inline (no id and no basis)."""

    id: Id | None = None
    severity: Severity
    basis: Basis | None = Field(default=None, description="law: an Act requires it; good_practice: DPUP asks it.")
    law: str | None = Field(default=None, description="The provision, for basis law, e.g. 'Privacy Act 2020, s 22, IPP 1'.")
    text: str = Field(min_length=1)
    action: str | None = None

    @model_validator(mode="after")
    def _serious_findings_say_what_to_do(self):
        if self.severity.rank >= Severity.ACTION_REQUIRED.rank and not self.action:
            raise ValueError(f"a finding of severity '{self.severity}' must say what to do ('action')")
        if self.basis == Basis.LAW and not self.law:
            raise ValueError("a finding whose basis is the law must name the provision ('law')")
        return self


# --- Conditions: a small declarative language over earlier answers. Never Python eval. ---


class AnswerRef(Strict):
    node: QuestionRef
    value: str


class Condition(Strict):
    """Exactly one of: all, any, not, equals, includes, answered, raised, worst.

    ``raised: ID`` holds when that catalogue finding has been raised on the path so far, and
    ``worst: SEVERITY`` when the most serious finding raised so far is at least that serious.
    Routing outcomes on findings (rather than on many answers) keeps the verdict rule true by
    construction and lets ``dpup validate`` check every path quickly.
    """

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    all: tuple[Condition, ...] | None = None
    any: tuple[Condition, ...] | None = None
    not_: Condition | None = Field(default=None, alias="not")
    equals: AnswerRef | None = None
    includes: AnswerRef | None = None
    answered: QuestionRef | None = None
    raised: Id | None = None
    worst: Severity | None = None

    @model_validator(mode="after")
    def _exactly_one(self):
        given = [name for name in type(self).model_fields if getattr(self, name) is not None]
        if len(given) != 1:
            raise ValueError("a condition needs exactly one of: all, any, not, equals, includes, answered, "
                             "raised, worst")
        return self

    def parts(self) -> list[Condition]:
        """This condition and every condition inside it."""
        inner = self.all or self.any or ((self.not_,) if self.not_ is not None else ())
        return [self, *(p for c in inner for p in c.parts())]

    def references(self) -> list[AnswerRef | str]:
        """Every answer this condition looks at, for validation."""
        return [ref for c in self.parts() if (ref := c.equals or c.includes or c.answered)]

    def trees_read(self) -> set[str]:
        """The other trees this condition looks at (through "tree:question" references)."""
        return {tree for ref in self.references() if (tree := split_ref(ref)[0])}

    def findings_read(self) -> list[str]:
        """Every catalogue finding this condition asks about."""
        return [c.raised for c in self.parts() if c.raised]


def split_ref(ref: AnswerRef | str) -> tuple[str | None, str]:
    """"about-this-work:consent" -> ("about-this-work", "consent"); "consent" -> (None, "consent")."""
    name = ref if isinstance(ref, str) else ref.node
    tree, _, node = name.rpartition(":")
    return tree or None, node


class Route(Strict):
    when: Condition
    next: Id


class KnownAnswer(Strict):
    """An answer a question takes without being asked, because another tree of the assessment (the
    "About this work" profile, usually) already says it: ``when`` looks only at those other trees."""

    when: Condition
    answer: str | tuple[str, ...] = Field(description="The option value (a list for a several-of question).")

    @property
    def values(self) -> tuple[str, ...]:
        return self.answer if isinstance(self.answer, tuple) else (self.answer,)


class Recommendation(Strict):
    """The profile's pre-screen: this tree is recommended when ``when`` holds, ``because`` …"""

    tree: Id
    when: Condition
    because: str = Field(min_length=1, description="Why, in words the person will read: 'you will share …'.")


class Option(Strict):
    value: str = Field(min_length=1, max_length=80)
    label: str | None = None
    next: Id | None = None
    finding: Finding | Id | None = Field(
        default=None, description="The id of a finding in the findings catalogue that this answer raises."
    )
    ask_reason: str | None = Field(
        default=None, description="If set, choosing this option asks for a reason with this prompt."
    )
    exclusive: bool = Field(
        default=False, description="For several-of questions: this option (such as 'None of these') cannot be "
                                   "chosen together with any other."
    )

    @property
    def display(self) -> str:
        """What the option says: its label (yes, no and na get theirs from the vocabulary on load)."""
        return self.label or self.value


class QuestionNode(Tags):
    id: Id
    type: Literal["question"]
    prompt: str = Field(min_length=1)
    help: str = ""
    why: str | None = Field(default=None, description="Content page explaining why we ask, e.g. principles/he-tangata")
    kind: AnswerKind
    options: tuple[Option, ...] = ()
    next: Id | None = None
    routes: tuple[Route, ...] = ()
    required: bool = False
    known_from: tuple[KnownAnswer, ...] = Field(
        default=(), description="Answers this question takes from other trees of the assessment without asking "
                                "it: the first whose condition holds.")

    def option(self, value: str) -> Option | None:
        return next((o for o in self.options if o.value == value), None)

    def successors(self) -> list[str]:
        found = [r.next for r in self.routes] + [o.next for o in self.options if o.next]
        if self.next:
            found.append(self.next)
        return list(dict.fromkeys(found))


class OutcomeNode(Strict):
    id: Id
    type: Literal["outcome"]
    verdict: Verdict
    title: str = Field(min_length=1)
    body: str = Field(min_length=1, description="What this outcome means (Markdown).")
    actions: tuple[str, ...] = ()
    principles: tuple[Id, ...] = ()
    guideline: Id | None = None
    links: tuple[str, ...] = Field(
        default=(), description="Where to go next: tree:ID, checklist:ID or page:SLUG."
    )
    help_from: tuple[Id, ...] = Field(
        default=(), description="Who can help, as pages under help/ (e.g. privacy-officer); needed on stop and seek-advice outcomes."
    )

    def successors(self) -> list[str]:
        return []



Node = Annotated[Union[QuestionNode, OutcomeNode], Field(discriminator="type")]


class Tree(Strict):
    id: Id
    kind: Literal["assessment", "profile"] = Field(
        default="assessment", description="profile: the 'About this work' questions every assessment starts with; "
                                          "other trees read its answers, and it recommends trees ('recommends').")
    title: str
    guideline: Id | None = None
    version: str
    summary: str
    audience: str = ""
    principles: tuple[Id, ...] = ()
    sources: tuple[Source, ...] = Field(min_length=1)
    licence: str = "CC BY 4.0"
    start: Id
    nodes: tuple[Node, ...] = Field(min_length=1)
    recommends: tuple[Recommendation, ...] = Field(
        default=(), description="For a profile: which trees the work needs, when, and why.")
    pinned_findings: dict[Id, Finding] = Field(
        default_factory=dict,
        description="Written by dpup, never by hand: the catalogue findings a pinned version used.",
    )
    _nodes_by_id: dict = PrivateAttr(default_factory=dict)
    # Where the tree came from, set by the loader (never written in the file).
    _source: FileSource | None = PrivateAttr(default=None)

    @property
    def file(self) -> FileSource:
        return self._source

    def model_post_init(self, context) -> None:
        self._nodes_by_id = {n.id: n for n in self.nodes}

    def node(self, node_id: str) -> QuestionNode | OutcomeNode | None:
        return self._nodes_by_id.get(node_id)

    @property
    def questions(self) -> list[QuestionNode]:
        return [n for n in self.nodes if isinstance(n, QuestionNode)]

    @property
    def outcomes(self) -> list[OutcomeNode]:
        return [n for n in self.nodes if isinstance(n, OutcomeNode)]


class ChecklistItem(Tags):
    id: Id
    text: str = Field(min_length=1)
    help: str = ""
    why: str | None = None
    required: bool = True
    allow_na: bool = False
    if_no: str | None = Field(default=None, description="What to do when this item cannot be ticked.")


class ChecklistResult(Strict):
    all_clear: str
    not_clear: str


class Checklist(Strict):
    id: Id
    title: str
    audience: str
    summary: str
    when_to_use: str = ""
    guideline: Id | None = None
    principles: tuple[Id, ...] = ()
    version: str
    sources: tuple[Source, ...] = Field(min_length=1)
    licence: str = "CC BY 4.0"
    items: tuple[ChecklistItem, ...] = Field(min_length=1)
    result: ChecklistResult
    _source: FileSource | None = PrivateAttr(default=None)

    @property
    def file(self) -> FileSource:
        return self._source

    def item(self, item_id: str) -> ChecklistItem | None:
        return next((i for i in self.items if i.id == item_id), None)


@dataclass(frozen=True)
class FileSource:
    """The file a tree or checklist was read from: its path, text and content hash (its version)."""

    path: str
    text: str
    content_hash: str


class Answer(Strict):
    """One answer to one question, as stored: a value, a note and the extras some answers need."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    value: str | tuple[str, ...]
    note: str = ""
    reason: str = ""
    action_owner: str = ""
    action_due: str = ""

    @property
    def values(self) -> tuple[str, ...]:
        return self.value if isinstance(self.value, tuple) else (self.value,)


class Term(Strict):
    id: str
    name: str
    meaning: str = ""
    page: str | None = None


class ReportWords(Strict):
    """The wording reports use for their verdict sentence, a finding's basis and the fine print."""

    bases: dict[Literal["law", "good_practice", "not_recorded"], str] = Field(
        description="How a finding's basis reads: required by law, DPUP good practice, or (old findings) not recorded.")
    overall: dict[Literal["unfinished", "stop", "seek_advice", "action_required", "proceed"], str] = Field(
        description="The brief's verdict on the initiative, by the most serious finding; 'unfinished' may "
                    "use {left} and {total}.")
    default_decision: str = Field(min_length=1, description="What the board is asked, when the privacy officer "
                                                            "has not written it.")
    disclaimer: str = Field(min_length=1)

    @model_validator(mode="after")
    def _all_worded(self) -> ReportWords:
        for kind, members in (("bases", ("law", "good_practice", "not_recorded")),
                              ("overall", ("unfinished", "stop", "seek_advice", "action_required", "proceed"))):
            missing = [m for m in members if not getattr(self, kind).get(m)]
            if missing:
                raise ValueError(f"report {kind} has no wording for {', '.join(missing)}")
        return self


class Vocabulary(Strict):
    """The names trees may refer to: principles, guidelines and related frameworks."""

    principles: tuple[Term, ...]
    guidelines: tuple[Term, ...]
    ipps: tuple[Term, ...] = ()
    five_safes: tuple[Term, ...] = ()
    tikanga: tuple[Term, ...] = ()
    maori_terms: tuple[str, ...] = Field(default=(), description="Māori words and phrases to mark lang=mi.")
    answers: dict[str, str] = Field(description="The words for the standard answers yes, no and na.")
    verdicts: dict[Verdict, str] = Field(description="What each outcome verdict is called on screen and in reports.")
    severities: dict[Severity, str] = Field(description="What each finding severity is called.")
    report: ReportWords

    @model_validator(mode="after")
    def _every_verdict_and_severity_has_words(self) -> Vocabulary:
        for kind, members in (("answers", STANDARD_ANSWERS), ("verdicts", Verdict), ("severities", Severity)):
            missing = [m for m in members if not getattr(self, kind).get(m)]
            if missing:
                raise ValueError(f"{kind} has no wording for {', '.join(missing)}")
        return self

    def with_answer_words(self, option: Option) -> Option:
        """The option, labelled in the vocabulary's words when it is a standard answer without a label."""
        if option.label or option.value not in self.answers:
            return option
        return option.model_copy(update={"label": self.answers[option.value]})

    def label(self, member: Verdict | Severity) -> str:
        """What a verdict or a severity is called."""
        return self.verdicts[member] if isinstance(member, Verdict) else self.severities[member]

    def outcome_heading(self, node: OutcomeNode) -> str:
        """"Verdict: title", or just the title when it already says the verdict."""
        verdict = self.label(node.verdict)
        return node.title if node.title.lower().startswith(verdict.lower()) else f"{verdict}: {node.title}"

    def ids(self, kind: str) -> set[str]:
        return {t.id for t in getattr(self, kind)}

    def term(self, kind: str, term_id: str) -> Term | None:
        return next((t for t in getattr(self, kind) if t.id == term_id), None)

    def maori_words(self) -> tuple[str, ...]:
        """Every Māori word or phrase to mark for screen readers: principle and tikanga names too."""
        names = [t.name for t in self.principles + self.tikanga]
        return tuple(dict.fromkeys([*self.maori_terms, *names]))
