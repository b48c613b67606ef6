"""Walking every tree of one assessment, so that each question is asked once.

Trees read one another's answers ("about-this-work:who" in a condition). The profile is walked
first, then every tree after the trees it reads (``dpup validate`` refuses a loop), each walk
handed what the trees before it answered on their paths. Still facts in, walks out: nothing is
stored here, so changing a profile answer re-walks every tree the next time it is read.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from dpup.engine.model import Answer, Tree
from dpup.engine.walk import Walk, holds, walk

PROFILE = "profile"


# Per tree (by identity; the entry holds the tree so its id is not reused): the trees it reads. Every
# question page asks, and the answer is fixed for a loaded tree.
_read_cache: dict[int, tuple[Tree, frozenset[str]]] = {}


def trees_read(tree: Tree) -> frozenset[str]:
    """The other trees whose answers ``tree`` reads, in its routes and its known answers."""
    cached = _read_cache.get(id(tree))
    if cached is None or cached[0] is not tree:
        cached = _read_cache[id(tree)] = (tree, frozenset(_trees_read(tree)))
    return cached[1]


def _trees_read(tree: Tree) -> set[str]:
    found: set[str] = set()
    for node in tree.questions:
        for route in node.routes:
            found |= route.when.trees_read()
        for rule in node.known_from:
            found |= rule.when.trees_read()
    found.discard(tree.id)
    return found


def walk_order(trees: Mapping[str, Tree]) -> list[str]:
    """The order to walk ``trees`` in: a profile first, then each tree after the trees it reads,
    otherwise in the order given. A tree that reads a tree not in the assessment simply finds
    nothing there, and asks."""
    order: list[str] = []
    visiting: set[str] = set()

    def visit(tree_id: str) -> None:
        if tree_id in order or tree_id not in trees or tree_id in visiting:
            return  # (a loop is refused by dpup validate; here it is only not followed round)
        visiting.add(tree_id)
        for other in sorted(trees_read(trees[tree_id])):
            visit(other)
        order.append(tree_id)

    for tree_id in sorted(trees, key=lambda t: trees[t].kind != PROFILE):  # (a stable sort: the given order)
        visit(tree_id)
    return order


def walk_assessment(trees: Mapping[str, Tree], answers: Mapping[str, Mapping[str, Answer]],
                    only: Iterable[str] | None = None) -> dict[str, Walk]:
    """Every tree's walk (or only those named in ``only``, and the trees they read), by tree id."""
    wanted = None if only is None else with_what_they_read(trees, set(only))
    known: dict[str, Answer] = {}
    walks: dict[str, Walk] = {}
    for tree_id in walk_order(trees):
        if wanted is not None and tree_id not in wanted:
            continue
        walks[tree_id] = walk(trees[tree_id], answers.get(tree_id, {}), known)
        known.update(walks[tree_id].facts)
    return walks


def with_what_they_read(trees: Mapping[str, Tree], wanted: set[str]) -> set[str]:
    """``wanted`` and every tree they read, directly or through another."""
    todo, found = list(wanted), set()
    while todo:
        tree_id = todo.pop()
        if tree_id in found or tree_id not in trees:
            continue
        found.add(tree_id)
        todo += trees_read(trees[tree_id])
    return found


def recommended(profile: Tree, profile_walk: Walk) -> dict[str, str]:
    """The trees the profile's answers call for, each with why: {tree id: reason}. Several reasons for
    one tree are joined, so nobody is told the same tree twice."""
    answers = {s.node.id: s.answer for s in profile_walk.steps}
    reasons: dict[str, list[str]] = {}
    for rule in profile.recommends:
        if holds(rule.when, answers):
            reasons.setdefault(rule.tree, [])
            if rule.because not in reasons[rule.tree]:
                reasons[rule.tree].append(rule.because)
    return {tree_id: " ".join(because) for tree_id, because in reasons.items()}
