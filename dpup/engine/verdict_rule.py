"""The verdict rule: no outcome is milder than the most serious finding raised on its path.

Checked over every path of a tree, not over sample answers. Paths are explored as abstract states:
the node, the most serious finding so far, the earlier answers a later route can still read, and
which of the findings conditions a later route can still ask about are true. A condition such as
``any: [raised: a, raised: b, …]`` is one yes-or-no fact, whichever of its findings was raised, so
a last question that picks the outcome from many findings costs a handful of states, not
thousands. Trees that pick outcomes from many separate *answers* can still have too many paths to
check: they are reported, and the fix is to route outcomes on findings (``worst:``/``raised:``),
which also makes the rule hold by construction.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import combinations

from dpup.engine.model import (
    Answer,
    AnswerKind,
    Condition,
    Finding,
    OutcomeNode,
    QuestionNode,
    Severity,
    Tree,
    split_ref,
)
from dpup.engine.problems import Problem
from dpup.engine.walk import holds, route_or_default

# Past this many states a tree is reported as too tangled to check, rather than checked for minutes.
MAX_STATES = 50_000
# A "choose all that apply" question read by a route is tried with every combination of the
# options that routes read (the others add only their findings).
MAX_COMBINATION_OPTIONS = 12


@dataclass(frozen=True)
class _Worst:
    severity: Severity
    finding: str  # the catalogue id, or the text of an old inline finding
    node_id: str


@dataclass(frozen=True)
class _Trail:
    """The answers that led here, kept as a chain so that each step costs nothing to extend."""

    node_id: str
    value: str
    before: _Trail | None

    def answers(self) -> list[str]:
        out, trail = [], self
        while trail:
            out.append(f"{trail.node_id}={trail.value}")
            trail = trail.before
        return out[::-1]


@dataclass
class _Facts:
    """The finding conditions of a tree's routes, each a set of findings of which any one makes it true."""

    groups: list[frozenset[str]]
    of_condition: dict[int, int]  # id() of a condition object -> its group

    def switched_on(self, findings: list[Finding]) -> set[int]:
        ids = {f.id for f in findings if f.id}
        return {i for i, group in enumerate(self.groups) if group & ids}


@dataclass(frozen=True)
class _Choice:
    """One answer worth trying at a question, worked out once: what it raises and switches on."""

    shown: str
    answer: Answer
    worst: _Worst | None
    switches_on: frozenset[int]


# Trees already checked in this process, by file and content hash: tests and `dpup run` load the
# same knowledge many times, and the search is the slow part of loading it.
_checked: dict[tuple[str, str], list[Problem]] = {}


def check_verdict_rule(tree: Tree) -> list[Problem]:
    key = (_path(tree), tree.file.content_hash if tree.file else "")
    if key not in _checked or not key[1]:
        _checked[key] = _search(tree)
    return list(_checked[key])


def _search(tree: Tree) -> list[Problem]:
    facts = _finding_facts(tree)
    answers_read, facts_read, includes_read = _read_downstream(tree, facts)
    values_read = _values_read(tree)
    nodes = {n.id: n for n in tree.nodes}
    choices = {n.id: _prepared(n, values_read.get(n.id, set()), facts) for n in tree.questions}
    problems: dict[tuple[str, str], Problem] = {}
    seen: set = set()
    todo = [(tree.start, None, {}, frozenset(), None)]
    while todo:
        node_id, worst, answers, on, trail = todo.pop()
        node = nodes.get(node_id)
        key = (node_id, worst.severity if worst else None, on, frozenset((k, v.value) for k, v in answers.items()))
        if node is None or key in seen:
            continue
        seen.add(key)
        if len(seen) > MAX_STATES:
            return [Problem(_path(tree), tree.start, f"more than {MAX_STATES:,} distinct paths to check the verdict "
                            "rule: choose outcomes on findings raised ('worst:' or 'raised:' conditions) instead of "
                            "on many separate answers")]
        if isinstance(node, OutcomeNode):
            if worst and node.verdict.rank < worst.severity.least_verdict.rank:
                problems.setdefault((node.id, worst.finding), _problem(tree, node, worst, trail))
            continue
        for choice in choices[node_id]:
            on_path = {**answers, node_id: choice.answer}
            now_on = on | choice.switches_on
            worse = worst
            if choice.worst and (worst is None or choice.worst.severity.rank > worst.severity.rank):
                worse = choice.worst
            for following in _possible_next(node, choice.answer,
                                            lambda c: _holds(c, on_path, worse, now_on, facts)):
                keep, keep_facts = answers_read.get(following, frozenset()), facts_read.get(following, frozenset())
                kept = {k: _narrowed(a, k, includes_read.get(following)) for k, a in on_path.items() if k in keep}
                todo.append((following, worse, kept, now_on & keep_facts, _Trail(node_id, choice.shown, trail)))
    return list(problems.values())


def _prepared(node: QuestionNode, values_read: set[str], facts: _Facts) -> list[_Choice]:
    prepared = []
    for value, findings in _choices(node, values_read):
        worst = max(findings, key=lambda f: f.severity.rank, default=None)
        shown = "(text)" if node.kind == AnswerKind.TEXT else value if isinstance(value, str) else "+".join(value)
        prepared.append(_Choice(shown, Answer(value=value),
                                _Worst(worst.severity, worst.id or worst.text, node.id) if worst else None,
                                frozenset(facts.switched_on(findings))))
    return prepared


def _narrowed(answer: Answer, node_id: str, includes: dict[str, frozenset[str]] | None) -> Answer:
    """A "choose all that apply" answer keeps only the options a later ``includes:`` still asks about,
    so paths that differ only in options nobody will look at again become one state."""
    wanted = (includes or {}).get(node_id)
    if wanted is None or not isinstance(answer.value, tuple):
        return answer
    return Answer(value=tuple(v for v in answer.value if v in wanted))


def _possible_next(node: QuestionNode, answer: Answer, test) -> list[str]:
    """Where an answer can lead. A route that reads another tree's answer may or may not be taken
    (that tree is not walked here), so both ways are followed: more paths than real, never fewer."""
    found = []
    for route in node.routes:
        result = test(route.when)
        if result is not False:
            found.append(route.next)
        if result is True:
            return found
    following = route_or_default(node, answer, lambda c: False)
    return found + ([following] if following else [])


def _holds(condition: Condition, answers: dict, worst: _Worst | None, on: frozenset[int],
           facts: _Facts) -> bool | None:
    """Whether the condition holds on this path: True, False, or None when it depends on another tree."""
    group = facts.of_condition.get(id(condition))
    if group is not None:
        return group in on
    if condition.worst is not None:
        return worst is not None and worst.severity.rank >= condition.worst.rank
    if condition.all is not None:
        results = [_holds(c, answers, worst, on, facts) for c in condition.all]
        return False if False in results else (None if None in results else True)
    if condition.any is not None:
        results = [_holds(c, answers, worst, on, facts) for c in condition.any]
        return True if True in results else (None if None in results else False)
    if condition.not_ is not None:
        result = _holds(condition.not_, answers, worst, on, facts)
        return None if result is None else not result
    refs = condition.references()
    if refs and split_ref(refs[0])[0]:
        return None
    return holds(condition, answers)


def _finding_facts(tree: Tree) -> _Facts:
    """Each ``raised:`` condition, or ``any:`` made only of them, becomes one fact."""
    facts = _Facts([], {})

    def visit(condition: Condition, inside_group: bool) -> None:
        children = condition.all or condition.any or ((condition.not_,) if condition.not_ is not None else ())
        if condition.any and all(c.raised for c in condition.any):
            facts.of_condition[id(condition)] = _group(facts, frozenset(c.raised for c in condition.any))
            return
        if condition.raised and not inside_group:
            facts.of_condition[id(condition)] = _group(facts, frozenset({condition.raised}))
        for child in children:
            visit(child, False)

    for node in tree.questions:
        for route in node.routes:
            visit(route.when, False)
    return facts


def _group(facts: _Facts, ids: frozenset[str]) -> int:
    if ids not in facts.groups:
        facts.groups.append(ids)
    return facts.groups.index(ids)


def _path(tree: Tree) -> str:
    return tree.file.path if tree.file else tree.id


def _problem(tree: Tree, node: OutcomeNode, worst: _Worst, trail: _Trail | None) -> Problem:
    least = worst.severity.least_verdict
    path = ", ".join(trail.answers()) if trail else ""
    return Problem(
        _path(tree), node.id,
        f"verdict '{node.verdict}' is milder than finding '{worst.finding}' ({worst.severity}, raised at "
        f"'{worst.node_id}') allows: a path with it must end at '{least}' or more serious (for example: {path})",
    )


def _choices(node: QuestionNode, values_read: set[str]) -> list[tuple[object, list[Finding]]]:
    """Each answer worth trying, with the findings it raises."""
    if node.kind == AnswerKind.TEXT:
        return [("text", [])]
    options = list(node.options)
    if node.kind != AnswerKind.SEVERAL_OF:
        return [(o.value, _findings((o,))) for o in options]
    # Routes tell apart only the options they read; of the others, only the findings matter, and
    # one option at a time (or none) shows every finding that can be raised.
    read = [o for o in options if o.value in values_read][:MAX_COMBINATION_OPTIONS]
    others = [o for o in options if o not in read]
    extras = [()] + [(o,) for o in others]
    groups = {tuple(g) + e for size in range(len(read) + 1) for g in combinations(read, size) for e in extras}
    # An exclusive option ("None of these") is only ever chosen alone: the engine refuses the rest.
    possible = [g for g in groups if g and not (len(g) > 1 and any(o.exclusive for o in g))]
    return [(tuple(o.value for o in options if o in g), _findings(g)) for g in possible]


def _findings(options) -> list[Finding]:
    return [o.finding for o in options if isinstance(o.finding, Finding)]


def _values_read(tree: Tree) -> dict[str, set[str]]:
    """For each question, the option values that any route condition compares."""
    found: dict[str, set[str]] = {}
    for node in tree.questions:
        for route in node.routes:
            for ref in route.when.references():
                if not isinstance(ref, str):
                    found.setdefault(ref.node, set()).add(ref.value)
    return found


def _read_downstream(tree: Tree, facts: _Facts):
    """For each node, what a route at that node or after it can read: the answers, the finding
    facts, and, for answers read only through ``includes:``, which of their options."""
    answers_at, facts_at, includes_at, whole_at = {}, {}, {}, {}
    for n in tree.nodes:
        parts = [c for route in getattr(n, "routes", ()) for c in route.when.parts()]
        answers_at[n.id] = {c.answered or (c.equals or c.includes).node for c in parts
                            if c.answered or c.equals or c.includes}
        facts_at[n.id] = {facts.of_condition[id(c)] for c in parts if id(c) in facts.of_condition}
        includes_at[n.id] = {(c.includes.node, c.includes.value) for c in parts if c.includes}
        # An answer compared whole (equals) or only asked about (answered) is never narrowed.
        whole_at[n.id] = {c.answered or c.equals.node for c in parts if c.answered or c.equals}
    answers, read, includes, whole = {}, {}, {}, {}
    # Trees are acyclic (checked before this runs), so a post-order walk settles every node.
    for node_id in _post_order(tree):
        a, f = set(answers_at[node_id]), set(facts_at[node_id])
        i, w = set(includes_at[node_id]), set(whole_at[node_id])
        for nxt in tree.node(node_id).successors():
            a |= answers.get(nxt, frozenset())
            f |= read.get(nxt, frozenset())
            i |= includes.get(nxt, frozenset())
            w |= whole.get(nxt, frozenset())
        answers[node_id], read[node_id] = frozenset(a), frozenset(f)
        includes[node_id], whole[node_id] = frozenset(i), frozenset(w)
    narrowing = {
        node_id: {q: frozenset(v for q2, v in includes[node_id] if q2 == q)
                  for q in {q for q, _ in includes[node_id]} - whole[node_id]}
        for node_id in includes
    }
    return answers, read, narrowing


def _post_order(tree: Tree) -> list[str]:
    """Node ids ordered so that every node comes after all the nodes it leads to."""
    done, order = set(), []
    for root in (n.id for n in tree.nodes):
        stack = [(root, False)]
        while stack:
            node_id, expanded = stack.pop()
            if node_id in done or tree.node(node_id) is None:
                continue
            if expanded:
                done.add(node_id)
                order.append(node_id)
                continue
            stack.append((node_id, True))
            stack += [(n, False) for n in tree.node(node_id).successors() if n not in done]
    return order
