"""Walking a tree: from the answers given so far to the path taken, the next question and findings.

Only answers are stored; the path is always recomputed from the start, so changing an earlier
answer can never leave a stale path behind. Answers to questions no longer on the path are kept
(the person may switch back) and reported as not in use.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from dpup.engine.model import (
    Answer,
    AnswerKind,
    Basis,
    Condition,
    Finding,
    OutcomeNode,
    QuestionNode,
    Severity,
    Tree,
)

MAX_TEXT = 10_000


class AnswerError(ValueError):
    """An answer that does not fit its question; the message is written for the person answering."""


def parse_answer(
    node: QuestionNode,
    values: list[str] | tuple[str, ...] | str,
    note: str = "",
    reason: str = "",
    action_owner: str = "",
    action_due: str = "",
) -> Answer:
    values = [values] if isinstance(values, str) else list(values)
    values = [v.strip() for v in values if v and v.strip()]
    if not values:
        raise AnswerError("Choose an answer." if node.options else "Write an answer.")
    if node.kind == AnswerKind.TEXT:
        if len(values[0]) > MAX_TEXT:
            raise AnswerError(f"Keep the answer under {MAX_TEXT:,} characters.")
        value: str | tuple[str, ...] = values[0]
    else:
        unknown = [v for v in values if not node.option(v)]
        if unknown:
            raise AnswerError("Choose one of the options shown.")
        if node.kind == AnswerKind.SEVERAL_OF:
            value = tuple(o.value for o in node.options if o.value in values)
            alone = [o for o in node.options if o.exclusive and o.value in value]
            if alone and len(value) > 1:
                raise AnswerError(f"“{alone[0].display}” cannot be chosen with other answers. "
                                  "Untick it, or untick the others.")
        elif len(values) > 1:
            raise AnswerError("Choose only one answer.")
        else:
            value = values[0]
    chosen = node.option(value) if isinstance(value, str) else None
    reason = reason.strip()
    if chosen and chosen.ask_reason and not reason:
        raise AnswerError(f"{chosen.ask_reason.rstrip('?')}? Give a short reason.")
    if not (chosen and chosen.ask_reason):
        reason = ""
    return Answer(value=value, note=note.strip(), reason=reason,
                  action_owner=action_owner.strip(), action_due=action_due.strip())


def answer_is_valid(node: QuestionNode, answer: Answer) -> bool:
    """Whether a stored answer still fits the question (a tree may have changed since)."""
    try:
        parse_answer(node, answer.values, reason=answer.reason)
    except AnswerError:
        return False
    return True


@dataclass(frozen=True)
class RaisedFinding:
    """A finding raised by an answer, with everything a report needs to show it."""

    tree_id: str
    node_id: str
    id: str | None  # the catalogue id; None for a finding written inline in an old pinned tree
    severity: Severity
    basis: Basis | None
    law: str | None
    text: str
    action: str | None
    principles: tuple[str, ...]
    guideline: str | None
    ipps: tuple[str, ...]
    action_owner: str = ""
    action_due: str = ""


@dataclass(frozen=True)
class Step:
    node: QuestionNode
    answer: Answer
    findings: tuple[RaisedFinding, ...]
    # Where the answer came from when the question was not asked: "about-this-work:who", say.
    known_from: str | None = None


@dataclass(frozen=True)
class Walk:
    tree: Tree
    steps: tuple[Step, ...]
    current: QuestionNode | None
    outcome: OutcomeNode | None
    unused: tuple[str, ...]

    @property
    def findings(self) -> list[RaisedFinding]:
        return [f for step in self.steps for f in step.findings]

    @property
    def is_complete(self) -> bool:
        return self.outcome is not None

    @property
    def facts(self) -> dict[str, Answer]:
        """What this walk tells later trees of the assessment: its answers on the path, as "tree:question"."""
        return {f"{self.tree.id}:{s.node.id}": s.answer for s in self.steps}

    @property
    def asked(self) -> list[Step]:
        """The steps whose question was put to the person (not known from another tree)."""
        return [s for s in self.steps if s.known_from is None]

    def step_for(self, node_id: str) -> Step | None:
        return next((s for s in self.steps if s.node.id == node_id), None)

    def previous(self, node_id: str | None) -> str | None:
        """The question asked before ``node_id`` (or before the outcome, if None); questions known from
        another tree are passed over, as they were never put to the person."""
        ids = [s.node.id for s in self.asked]
        if node_id is None or node_id not in ids:
            return ids[-1] if ids else None
        i = ids.index(node_id)
        return ids[i - 1] if i > 0 else None


def walk(tree: Tree, answers: Mapping[str, Answer], known: Mapping[str, Answer] | None = None) -> Walk:
    """The path ``answers`` take through ``tree``. ``known`` holds what other trees of the same
    assessment already answered, by "tree:question": a question that can take its answer from them
    (``known_from``) is not asked, and routes may read them."""
    known = known or {}
    steps: list[Step] = []
    # What routes may read: the other trees' answers, then this tree's answers on the path so far
    # (never answers left on other branches).
    facts: dict[str, Answer] = dict(known)
    node = tree.node(tree.start)
    # Validated trees have no cycles, so a path is never longer than the number of nodes.
    for _ in range(len(tree.nodes) + 1):
        if isinstance(node, OutcomeNode) or node is None:
            break
        answer, source = given_answer(node, known)
        if answer is None:
            answer = answers.get(node.id)
            if answer is None or not answer_is_valid(node, answer):
                break
        steps.append(Step(node, answer, tuple(_findings(tree, node, answer)), source))
        facts[node.id] = answer
        raised = [f for s in steps for f in s.findings]
        node = tree.node(next_node_id(node, answer, facts, raised))
    # An answer of the person's own to a question that is now known from elsewhere is kept, unused:
    # it counts again if the other tree's answer changes.
    asked = {s.node.id for s in steps if s.known_from is None}
    unused = tuple(n for n in answers if n not in asked and isinstance(tree.node(n), QuestionNode))
    return Walk(
        tree=tree,
        steps=tuple(steps),
        current=node if isinstance(node, QuestionNode) else None,
        outcome=node if isinstance(node, OutcomeNode) else None,
        unused=unused,
    )


def given_answer(node: QuestionNode, known: Mapping[str, Answer]) -> tuple[Answer | None, str | None]:
    """The answer another tree already gives this question, and the question it came from."""
    for rule in node.known_from:
        if holds(rule.when, known):
            value = rule.values if node.kind == AnswerKind.SEVERAL_OF else rule.values[0]
            source = next((ref if isinstance(ref, str) else ref.node for ref in rule.when.references()), None)
            return Answer(value=value), source
    return None, None


def next_node_id(node: QuestionNode, answer: Answer, answers: Mapping[str, Answer],
                 raised: Sequence[RaisedFinding | Finding] = ()) -> str | None:
    """Where an answer leads: the first route whose condition holds, else the option's or the question's next.

    ``raised`` is every finding raised on the path so far, this answer's included."""
    return route_or_default(node, answer, lambda condition: holds(condition, answers, raised))


def route_or_default(node: QuestionNode, answer: Answer, test: Callable[[Condition], bool]) -> str | None:
    """The first route whose condition passes ``test``, else the chosen option's or the question's next."""
    for route in node.routes:
        if test(route.when):
            return route.next
    chosen = node.option(answer.value) if isinstance(answer.value, str) else None
    return (chosen.next if chosen else None) or node.next


def holds(condition: Condition, answers: Mapping[str, Answer], raised: Sequence = ()) -> bool:
    if condition.all is not None:
        return all(holds(c, answers, raised) for c in condition.all)
    if condition.any is not None:
        return any(holds(c, answers, raised) for c in condition.any)
    if condition.not_ is not None:
        return not holds(condition.not_, answers, raised)
    if condition.raised is not None:
        return any(f.id == condition.raised for f in raised)
    if condition.worst is not None:
        return any(f.severity.rank >= condition.worst.rank for f in raised)
    if condition.answered is not None:
        return condition.answered in answers
    ref = condition.equals or condition.includes
    answer = answers.get(ref.node)
    if answer is None:
        return False
    if condition.equals is not None:
        return answer.value == ref.value
    return ref.value in answer.values


def _findings(tree: Tree, node: QuestionNode, answer: Answer):
    for value in answer.values:
        option = node.option(value)
        if option and option.finding:
            yield _raise(tree, node, option.finding, answer)


def _raise(tree: Tree, node: QuestionNode, finding: Finding, answer: Answer) -> RaisedFinding:
    return RaisedFinding(
        tree_id=tree.id,
        node_id=node.id,
        id=finding.id,
        severity=finding.severity,
        basis=finding.basis,
        law=finding.law,
        text=finding.text,
        action=finding.action,
        principles=finding.principles or node.principles or tree.principles,
        guideline=finding.guideline or node.guideline or tree.guideline,
        ipps=finding.ipps or node.ipps,
        action_owner=answer.action_owner if finding.action else "",
        action_due=answer.action_due if finding.action else "",
    )


# Per tree (by identity; the entry holds the tree so its id is not reused): questions left from each node.
_left_cache: dict[int, tuple[Tree, dict[str, tuple[int, int]]]] = {}


def questions_left(tree: Tree, node_id: str) -> tuple[int, int]:
    """The fewest and most questions from ``node_id`` (itself included) to an outcome, over every
    branch the tree has: for "question 6 of about 14". Worked out once per tree."""
    cached = _left_cache.get(id(tree))
    if cached is None or cached[0] is not tree:
        cached = _left_cache[id(tree)] = (tree, _count_left(tree))
    return cached[1].get(node_id, (1, 1))


def _count_left(tree: Tree) -> dict[str, tuple[int, int]]:
    """Shortest and longest question count to an outcome, without recursion (validated trees have no cycles)."""
    left: dict[str, tuple[int, int]] = {}
    for start in tree.nodes:
        stack, started = [(start.id, False)], set()
        while stack:
            node_id, expanded = stack.pop()
            node = tree.node(node_id)
            if node_id in left or node is None or (not expanded and node_id in started):
                continue  # (a node already started is on this path: only a broken tree loops back)
            started.add(node_id)
            if isinstance(node, OutcomeNode):
                left[node_id] = (0, 0)
                continue
            after = [n for n in node.successors() if tree.node(n) is not None]
            if not expanded:
                stack.append((node_id, True))
                stack.extend((n, False) for n in after if n not in left)
                continue
            spans = [left.get(n, (0, 0)) for n in after] or [(0, 0)]
            left[node_id] = (1 + min(s[0] for s in spans), 1 + max(s[1] for s in spans))
    return left
