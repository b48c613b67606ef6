"""How many questions does each expert scenario ask, before and after "ask once"? Prints figures; not a test.

Walks every case of the scenario suite (tests/scenarios/*.yaml) with the engine, as the web does: the
"About this work" profile first (its questions count), then each tree, each knowing what the trees
before it answered, so a question known from the profile is not counted. A checklist case counts its
items. "Before" is the same case as the suite held it at a baseline commit (default: 2cf9b9e, the
last commit before the profile), counted as the answers it gave then, which is the questions it was
asked: every case had to use all its answers. A case new since then has no "before".

Also prints each tree's longest path (questions, over every branch) now and at the baseline, and one
whole five-tree assessment (profile, Purpose Matters, Transparency and Choice, Sharing Value, Safe and
Respectful Use, Access to Information) now and on the trees of earlier commits, walked by each
commit's own engine (the answers those facts gave then are in benchmarks/data/five-trees-before.yaml).

    .venv/bin/python benchmarks/question_count.py [--baseline COMMIT]

Targets (issue 15): the total at most half of the baseline's; a full assessment of a typical NGO
programme sharing identifying data with a funder at most 45 questions.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import yaml  # noqa: E402

from dpup import config  # noqa: E402
from dpup.engine import load_library  # noqa: E402
from dpup.engine.walk import questions_left  # noqa: E402
from tests.test_scenarios import CASES, walk_scenario  # noqa: E402

BASELINE = "2cf9b9e"


def asked_now(scenario) -> int:
    if scenario.checklist:
        return len(scenario.answers)
    return sum(len(w.asked) for w in walk_scenario(scenario).values())


def baseline_cases(commit: str) -> dict[str, int]:
    """Questions each case asked at ``commit``, by "file:id"."""
    names = _git("ls-tree", "--name-only", commit, "tests/scenarios/").split()
    counts = {}
    for name in names:
        if not name.endswith(".yaml"):
            continue
        for case in yaml.safe_load(_git("show", f"{commit}:{name}"))["scenarios"]:
            counts[f"{Path(name).stem}:{case['id']}"] = len(case["answers"])
    return counts


def baseline_longest(commit: str, tree_ids) -> dict[str, int]:
    """Each tree's longest path at ``commit``, loaded from that commit's files."""
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        subprocess.run(f"git archive {commit} decision_trees content | tar -x -C {folder}", shell=True,
                       check=True, cwd=ROOT)
        # (today's vocabulary: the baseline's lacks words added since, which paths do not depend on)
        (Path(folder) / "decision_trees" / "vocabulary.yaml").write_text(
            (ROOT / "decision_trees" / "vocabulary.yaml").read_text(encoding="utf-8"), encoding="utf-8")
        library = load_library(Path(folder) / "decision_trees", Path(folder) / "content", verdict_rule=False)
        return {t: questions_left(tree, tree.start)[1] for t, tree in library.trees.items() if t in tree_ids}


# Walks one commit's trees with that commit's own engine (run in a checkout of the commit): prints
# how many answers the walks used, and fails if any tree is unfinished or any answer goes unused.
_OLD_WALKER = """
import json, sys
from pathlib import Path
from dpup.engine import load_library, parse_answer
from dpup.engine.walk import walk
library = load_library(Path("decision_trees"), Path("content"))
used = 0
for tree_id, given in json.loads(sys.argv[1]).items():
    tree = library.trees[tree_id]
    result = walk(tree, {q: parse_answer(tree.node(q), v) for q, v in given.items()})
    assert result.is_complete and not result.unused, (tree_id, result.unused)
    used += len(given)
print(used)
"""


def five_trees_before(data_file: Path) -> tuple[str, list[tuple[str, str, int]]]:
    """The case's id, and (commit, when, questions asked) for each earlier commit in ``data_file``."""
    import json
    import tempfile

    data = yaml.safe_load(data_file.read_text(encoding="utf-8"))
    counts = []
    for before in data["before"]:
        with tempfile.TemporaryDirectory() as folder:
            subprocess.run(f"git archive {before['commit']} dpup decision_trees content | tar -x -C {folder}",
                           shell=True, check=True, cwd=ROOT)
            out = subprocess.run([sys.executable, "-c", _OLD_WALKER, json.dumps(before["answers"])], cwd=folder,
                                 env={"PYTHONPATH": folder, "PATH": "/usr/bin:/bin"}, check=True,
                                 capture_output=True, text=True).stdout
        counts.append((before["commit"], before["when"], int(out.split()[-1])))
    return data["case"], counts


def _git(*args: str) -> str:
    return subprocess.run(["git", *args], cwd=ROOT, check=True, capture_output=True, text=True).stdout


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline", default=BASELINE)
    args = parser.parse_args()
    before = baseline_cases(args.baseline)
    rows, total_now, total_before, matched_now = [], 0, 0, 0
    for name, scenario in CASES:
        now = asked_now(scenario)
        then = before.get(name)
        total_now += now
        if then is not None:
            total_before += then
            matched_now += now
        subject = scenario.tree or scenario.checklist or "assessment: " + ", ".join(scenario.assessment)
        rows.append((name, subject, then, now))
    width = max(len(r[0]) for r in rows)
    print(f"{'case'.ljust(width)}  before  after  ({'profile included' })")
    for name, subject, then, now in rows:
        print(f"{name.ljust(width)}  {str(then if then is not None else '-').rjust(6)}  {str(now).rjust(5)}  {subject}")
    print(f"\nCases in both: {total_before} questions before, {matched_now} after "
          f"({matched_now / total_before:.0%} of before; target at most 50%).")
    print(f"Every case now: {total_now} questions.")
    for name, scenario in CASES:
        if scenario.assessment:
            print(f"Whole assessment {name}: {asked_now(scenario)} questions for {len(scenario.assessment)} trees "
                  f"and the profile (cap {scenario.expect.max_questions or '-'}).")
    case_id, earlier = five_trees_before(ROOT / "benchmarks" / "data" / "five-trees-before.yaml")
    now = next((asked_now(s) for name, s in CASES if name == case_id), None)
    print(f"\nA whole five-tree assessment ({case_id}), questions asked:")
    for commit, when, count in earlier:
        print(f"  {count:>3} at {commit}, {when}")
    print(f"  {now if now is not None else '-':>3} now" + (f" ({now / earlier[0][2]:.0%} of the first)" if now else ""))
    library = load_library(Path(config.TREES_DIR), Path(config.CONTENT_DIR), verdict_rule=False)
    then = baseline_longest(args.baseline, library.trees)
    print("\nLongest path over every branch (questions): tree, before, after")
    for tree_id, tree in library.trees.items():
        print(f"  {tree_id.ljust(28)} {str(then.get(tree_id, '-')).rjust(3)}  {questions_left(tree, tree.start)[1]:>3}")


if __name__ == "__main__":
    main()
