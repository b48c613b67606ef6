"""The verdict rule: no outcome is milder than the most serious finding raised on its path.

Checked over every path of a tree, not over sample answers. Paths are explored as states of
(node, most serious finding so far, the facts a later route can still look at); answers and
findings that no route downstream reads are forgotten, so the search stays small. A tree whose
last question picks its outcome from many separate answers can still have too many paths to
check: it is reported, and the fix is to route outcomes on findings (``worst:`` and ``raised:``
conditions), which also makes the rule hold by construction.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import combinations

from dpup.engine.model import Answer, AnswerKind, Finding, OutcomeNode, QuestionNode, Severity, Tree
from dpup.engine.problems import Problem
from dpup.engine.walk import next_node_id

# Past this many states a tree is reported as too tangled to check, rather than checked for minutes.
MAX_STATES = 50_000
# A "choose all that apply" question read by a route is tried with every combination of the
# options that routes read (others add only their findings).
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


def check_verdict_rule(tree: Tree) -> list[Problem]:
    answers_read, findings_read = _read_downstream(tree)
    values_read = _values_read(tree)
    problems: dict[tuple[str, str], Problem] = {}
    seen: set = set()
    todo = [(tree.start, None, {}, frozenset(), None)]
    while todo:
        node_id, worst, answers, raised, trail = todo.pop()
        node = tree.node(node_id)
        key = (node_id, worst.severity if worst else None, raised,
               frozenset((k, v.value) for k, v in answers.items()))
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
        for value, findings in _choices(node, values_read.get(node.id, set())):
            answer = Answer(value=value)
            on_path = {**answers, node.id: answer}
            now_raised = [*(_Raised(i) for i in raised), *findings]
            worse = worst
            for f in findings:
                if worse is None or f.severity.rank > worse.severity.rank:
                    worse = _Worst(f.severity, f.id or f.text, node.id)
            if worse:
                now_raised.append(_Raised(None, worse.severity))
            following = next_node_id(node, answer, on_path, now_raised)
            if following is None:
                continue
            keep, keep_findings = answers_read.get(following, frozenset()), findings_read.get(following, frozenset())
            shown = "(text)" if node.kind == AnswerKind.TEXT else value if isinstance(value, str) else "+".join(value)
            todo.append((following, worse, {k: a for k, a in on_path.items() if k in keep},
                         frozenset(f.id for f in now_raised if f.id in keep_findings),
                         _Trail(node.id, shown, trail)))
    return list(problems.values())


@dataclass(frozen=True)
class _Raised:
    """Enough of a raised finding for route conditions: its id and severity."""

    id: str | None
    severity: Severity = Severity.INFORMATION


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
    return [(tuple(o.value for o in options if o in g), _findings(g)) for g in groups if g]


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


def _read_downstream(tree: Tree) -> tuple[dict[str, frozenset[str]], dict[str, frozenset[str]]]:
    """For each node, the answers and the findings that a route at that node or after it can read."""
    answers_at, findings_at = {}, {}
    for n in tree.nodes:
        routes = getattr(n, "routes", ())
        answers_at[n.id] = {r if isinstance(r, str) else r.node for route in routes for r in route.when.references()}
        findings_at[n.id] = {f for route in routes for f in route.when.findings_read()}
    answers, findings = {}, {}
    # Trees are acyclic (checked before this runs), so a post-order walk settles every node.
    for node_id in _post_order(tree):
        a, f = set(answers_at[node_id]), set(findings_at[node_id])
        for nxt in tree.node(node_id).successors():
            a |= answers.get(nxt, frozenset())
            f |= findings.get(nxt, frozenset())
        answers[node_id], findings[node_id] = frozenset(a), frozenset(f)
    return answers, findings


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
