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
                         for label, finding, target in _branches(node, vocabulary, findings)]
        return item

    return build(tree.start)


def _branches(node: QuestionNode, vocabulary: Vocabulary, findings: dict):
    for route in node.routes:
        yield describe(route.when, vocabulary, findings), None, route.next
    for option in node.options:
        if option.next:
            finding = option.finding and f"{vocabulary.label(option.finding.severity)}: {option.finding.text}"
            yield f"“{option.display}”", finding, option.next
    if node.next:
        others = [o for o in node.options if not o.next]
        label = "Any answer" if not node.options or len(others) == len(node.options) else "Any other answer"
        yield label, None, node.next


def describe(condition: Condition, vocabulary: Vocabulary, findings: dict) -> str:
    """A route's condition in words, where it is about findings; answer rules stay general."""
    if condition.worst is not None:
        return f"If a finding so far is “{vocabulary.label(condition.worst)}” or more serious"
    if condition.raised is not None:
        found = findings.get(condition.raised)
        return f"If this was found: “{found.text if found else condition.raised}”"
    return "If the earlier answers match a rule"


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
