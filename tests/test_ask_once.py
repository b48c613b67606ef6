"""Ask once: no two questions put to a person in one assessment raise the same finding.

Checked over the bundled knowledge, for every pair of questions that name the same catalogue finding:
- in one tree, no path may ask both;
- in two trees, one of them must take its answer from elsewhere (``known_from``): from the profile,
  for every answer the profile can give (then it is never asked once the profile is answered), or
  from the other tree's question (then it is asked only when that tree is not in the assessment).
"""

from itertools import combinations
from pathlib import Path

from dpup import config
from dpup.engine import load_library
from dpup.engine.model import Answer, AnswerKind, QuestionNode, split_ref
from dpup.engine.walk import given_answer

LIBRARY = load_library(Path(config.TREES_DIR), Path(config.CONTENT_DIR), verdict_rule=False)
PROFILE = LIBRARY.profile
MAX_COMBINATIONS = 5_000


def _askers() -> dict[str, list[tuple[str, QuestionNode]]]:
    """For each finding, every question with an option that raises it."""
    found: dict[str, list[tuple[str, QuestionNode]]] = {}
    for tree in LIBRARY.trees.values():
        for node in tree.questions:
            for fid in {o.finding.id for o in node.options if o.finding is not None and o.finding.id}:
                found.setdefault(fid, []).append((tree.id, node))
    return found


def _answers(node: QuestionNode) -> list[Answer]:
    if node.kind != AnswerKind.SEVERAL_OF:
        return [Answer(value=o.value) for o in node.options]
    plain = [o.value for o in node.options if not o.exclusive]
    subsets = [tuple(v for i, v in enumerate(plain) if mask >> i & 1) for mask in range(1, 2 ** len(plain))]
    return [Answer(value=s) for s in subsets] + [Answer(value=(o.value,)) for o in node.options if o.exclusive]


def always_known(node: QuestionNode) -> bool:
    """Whether every answer the profile can give settles this question, so it is never asked."""
    if not node.known_from or PROFILE is None:
        return False
    read = {split_ref(ref) for rule in node.known_from for ref in rule.when.references()}
    if any(tree_id != PROFILE.id for tree_id, _ in read):
        return False
    combos: list[dict[str, Answer]] = [{}]
    for _, question_id in sorted(read):
        question = PROFILE.node(question_id)
        combos = [{**c, f"{PROFILE.id}:{question_id}": a} for c in combos for a in _answers(question)]
        assert len(combos) <= MAX_COMBINATIONS, f"{node.id} reads too many profile answers to check"
    return all(given_answer(node, combo)[0] is not None for combo in combos)


def _reads(node: QuestionNode, tree_id: str) -> bool:
    return any(split_ref(ref)[0] == tree_id for rule in node.known_from for ref in rule.when.references())


def _one_path_can_ask_both(tree_id: str, first: QuestionNode, second: QuestionNode) -> bool:
    tree = LIBRARY.trees[tree_id]

    def reaches(start: str, goal: str) -> bool:
        todo, seen = [start], set()
        while todo:
            node_id = todo.pop()
            if node_id == goal:
                return True
            if node_id in seen or tree.node(node_id) is None:
                continue
            seen.add(node_id)
            todo += tree.node(node_id).successors()
        return False

    return reaches(first.id, second.id) or reaches(second.id, first.id)


def test_no_two_asked_questions_raise_the_same_finding():
    problems = []
    for fid, askers in sorted(_askers().items()):
        asked = [(t, n) for t, n in askers if not always_known(n)]
        for (tree_a, a), (tree_b, b) in combinations(asked, 2):
            if tree_a == tree_b:
                if _one_path_can_ask_both(tree_a, a, b):
                    problems.append(f"{fid}: {tree_a}:{a.id} and {tree_a}:{b.id} can both be asked on one path")
            elif not (_reads(a, tree_b) or _reads(b, tree_a)):
                problems.append(f"{fid}: {tree_a}:{a.id} and {tree_b}:{b.id} are both asked; let one take "
                                "the other's answer (known_from)")
    assert not problems, "\n".join(problems)

