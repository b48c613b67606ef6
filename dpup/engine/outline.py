"""A tree as a nested outline: each question with its branches, each branch leading to a node.

A node reached by more than one branch is shown in full once and referred to elsewhere, so the
outline stays finite and readable. The web explorer and ``dpup tree show`` both use it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from dpup.engine.model import Condition, Finding, OutcomeNode, QuestionNode, Tree, Vocabulary


@dataclass
class OutlineNode:
    node: QuestionNode | OutcomeNode
    branches: list[Branch] = field(default_factory=list)
    seen_before: bool = False
    verdict: str = ""  # an outcome's verdict, in the vocabulary's words


@dataclass
class Branch:
    label: str
    finding: str | None
    target: OutlineNode


def outline(tree: Tree, vocabulary: Vocabulary) -> OutlineNode:
    shown: set[str] = set()
    findings = {o.finding.id: o.finding for q in tree.questions for o in q.options
                if isinstance(o.finding, Finding) and o.finding.id}

    def build(node_id: str) -> OutlineNode:
        node = tree.node(node_id)
        if node_id in shown:
            return OutlineNode(node, seen_before=True)
        shown.add(node_id)
        if isinstance(node, OutcomeNode):
            return OutlineNode(node, verdict=vocabulary.label(node.verdict))
        item = OutlineNode(node)
        item.branches = [Branch(label, finding, build(target))
                         for label, finding, target in _branches(node, vocabulary, findings, tree)]
        return item

    return build(tree.start)


def _branches(node: QuestionNode, vocabulary: Vocabulary, findings: dict, tree: Tree | None = None):
    for route in node.routes:
        yield describe(route.when, vocabulary, findings, tree), None, route.next
    for option in node.options:
        if option.next:
            finding = option.finding and f"{vocabulary.label(option.finding.severity)}: {option.finding.text}"
            yield f"“{option.display}”", finding, option.next
    if node.next:
        others = [o for o in node.options if not o.next]
        label = "Any answer" if not node.options or len(others) == len(node.options) else "Any other answer"
        yield label, None, node.next


def describe(condition: Condition, vocabulary: Vocabulary, findings: dict, tree: Tree | None = None) -> str:
    """A route's condition in words a reader follows: "If …"."""
    return "If " + _words(condition, vocabulary, findings, tree)


def _words(condition: Condition, vocabulary: Vocabulary, findings: dict, tree: Tree | None) -> str:
    def each(parts, joiner):
        return joiner.join(_words(c, vocabulary, findings, tree) for c in parts)

    if condition.all is not None:
        return each(condition.all, ", and ")
    if condition.any is not None:
        return "either " + each(condition.any, ", or ")
    if condition.not_ is not None:
        inner = condition.not_
        if inner.equals is not None or inner.includes is not None:
            return _answer_words(inner, tree, negated=True)
        return "it is not so that " + _words(inner, vocabulary, findings, tree)
    if condition.worst is not None:
        return f"a finding so far is “{vocabulary.label(condition.worst)}” or more serious"
    if condition.raised is not None:
        found = findings.get(condition.raised)
        return f"this was found: “{found.text if found else condition.raised}”"
    if condition.answered is not None:
        return f"“{_prompt(tree, condition.answered)}” was answered"
    return _answer_words(condition, tree)


def _answer_words(condition: Condition, tree: Tree | None, negated: bool = False) -> str:
    ref = condition.equals or condition.includes
    question = tree.node(ref.node) if tree else None
    option = question.option(ref.value) if isinstance(question, QuestionNode) else None
    shown = option.display if option else ref.value
    if condition.equals is not None:
        verb = "was not" if negated else "was"
    else:
        verb = "does not include" if negated else "includes"
    return f"the answer to “{_prompt(tree, ref.node)}” {verb} “{shown}”"


def _prompt(tree: Tree | None, node_id: str) -> str:
    node = tree.node(node_id) if tree else None
    return node.prompt if isinstance(node, QuestionNode) else node_id


def outline_lines(item: OutlineNode, depth: int = 0) -> list[str]:
    """Plain-text outline for the terminal."""
    pad = "    " * depth
    node = item.node
    if item.seen_before:
        return [f"{pad}→ {node.id} (shown above)"]
    if isinstance(node, OutcomeNode):
        return [f"{pad}■ {node.id}: {item.verdict}: {node.title}"]
    lines = [f"{pad}? {node.id}: {node.prompt}  [{node.kind}]"]
    for branch in item.branches:
        extra = f"  ⚑ {branch.finding}" if branch.finding else ""
        lines.append(f"{pad}  {branch.label}{extra}")
        lines += outline_lines(branch.target, depth + 1)
    return lines
