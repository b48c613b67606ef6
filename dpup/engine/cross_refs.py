"""Checks on what trees read from one another: "tree:question" references, known answers and the
profile's recommendations. A reference to another tree can only be checked once every tree is
loaded, so these run over the whole library; each problem names the file and the node."""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from dpup.engine.assessment import PROFILE, trees_read
from dpup.engine.model import AnswerKind, AnswerRef, Condition, KnownAnswer, QuestionNode, Tree, split_ref
from dpup.engine.problems import Problem


def known_answer_problems(node: QuestionNode, rule: KnownAnswer) -> list[str]:
    """What is wrong with one ``known_from`` rule of ``node``, on its own."""
    problems = []
    local = [ref for ref in rule.when.references() if split_ref(ref)[0] is None]
    if local or not rule.when.references():
        problems.append("a 'known_from' condition may only read other trees' answers ('tree:question'); "
                        "this question would be asked before its own tree's answers are known")
    if node.kind == AnswerKind.TEXT:
        problems.append("a free-text question cannot take a known answer")
        return problems
    if len(rule.values) > 1 and node.kind != AnswerKind.SEVERAL_OF:
        problems.append(f"'known_from' gives several answers, but '{node.id}' takes one")
    for value in rule.values:
        option = node.option(value)
        if option is None:
            problems.append(f"'known_from' gives '{value}', which is not an option of '{node.id}'")
        elif option.ask_reason:
            problems.append(f"'known_from' gives '{value}', which asks for a reason: that answer must be asked")
    return problems


def check_cross_references(trees: Mapping[str, Tree]) -> list[Problem]:
    problems: list[Problem] = []
    for tree in trees.values():
        problems += _references(tree, trees)
        if tree.kind == PROFILE and trees_read(tree):
            problems.append(Problem(tree.file.path, tree.id, "the profile is asked first, so it cannot read other "
                                    "trees' answers"))
        if tree.recommends and tree.kind != PROFILE:
            problems.append(Problem(tree.file.path, tree.id, "only a profile (kind: profile) recommends trees"))
        for rule in tree.recommends:
            problems += _recommendation(tree, rule.tree, rule.when, trees)
    profiles = [t for t in trees.values() if t.kind == PROFILE]
    for extra in profiles[1:]:
        problems.append(Problem(extra.file.path, extra.id, f"a second profile: '{profiles[0].id}' is the profile"))
    problems += _loops(trees)
    return problems


def _conditions(tree: Tree) -> Iterator[tuple[str, Condition]]:
    for node in tree.questions:
        for route in node.routes:
            yield node.id, route.when
        for rule in node.known_from:
            yield node.id, rule.when


def _references(tree: Tree, trees: Mapping[str, Tree]) -> list[Problem]:
    problems = []
    for node_id, condition in _conditions(tree):
        for ref in condition.references():
            other_id, question_id = split_ref(ref)
            if other_id is None:
                continue
            reason = _reference_problem(tree, other_id, question_id, ref, trees)
            if reason:
                problems.append(Problem(tree.file.path, node_id, reason))
    return problems


def _reference_problem(tree: Tree, other_id: str, question_id: str, ref: AnswerRef | str,
                       trees: Mapping[str, Tree]) -> str | None:
    other = trees.get(other_id)
    if other_id == tree.id:
        return f"'{other_id}:{question_id}' names this tree: write just '{question_id}'"
    if other is None:
        return f"a condition reads tree '{other_id}', which does not exist"
    target = other.node(question_id)
    if not isinstance(target, QuestionNode):
        return f"a condition reads '{other_id}:{question_id}', which is not a question of '{other_id}'"
    if isinstance(ref, AnswerRef):
        if target.kind == AnswerKind.TEXT:
            return f"a condition compares '{other_id}:{question_id}', a free-text answer; use 'answered'"
        if not target.option(ref.value):
            return f"a condition expects '{ref.value}' from '{other_id}:{question_id}', which has no such option"
    return None


def _recommendation(profile: Tree, tree_id: str, when: Condition, trees: Mapping[str, Tree]) -> list[Problem]:
    problems = []
    target = trees.get(tree_id)
    if target is None or target.kind == PROFILE:
        problems.append(Problem(profile.file.path, tree_id, f"recommends '{tree_id}', which is not a tree"))
    for ref in when.references():
        other_id, question_id = split_ref(ref)
        if other_id is not None or not isinstance(profile.node(question_id), QuestionNode):
            problems.append(Problem(profile.file.path, tree_id, f"a recommendation reads '{question_id}', which is "
                                    "not a question of the profile: it can read only the profile's answers"))
    return problems


def _loops(trees: Mapping[str, Tree]) -> list[Problem]:
    """Trees reading each other round in a loop could never be walked in order."""
    problems, state = [], {}

    def visit(tree_id: str, trail: list[str]) -> None:
        if state.get(tree_id) == "done" or tree_id not in trees:
            return
        if state.get(tree_id) == "open":
            loop = trail[trail.index(tree_id):] + [tree_id]
            problems.append(Problem(trees[tree_id].file.path, tree_id,
                                    "trees read each other's answers in a loop: " + " -> ".join(loop)))
            return
        state[tree_id] = "open"
        for other in sorted(trees_read(trees[tree_id])):
            visit(other, trail + [tree_id])
        state[tree_id] = "done"

    for tree_id in trees:
        visit(tree_id, [])
    return problems
