"""How long does start-up spend loading and validating the knowledge base? Prints figures; not a test.

Each run calls ``dpup.engine.load_library`` on the bundled decision_trees/ and content/ (every tree,
checklist, the vocabulary and every content page: YAML parsed, models built, every node validated,
links between files checked) and ``raise_for_problems()``, exactly as the app factory does. Prints
the median, minimum and maximum over N runs in one process (imports already done), and the median
wall time of a whole new Python process that imports dpup and loads the library, over a few runs.

Target (issue 6): median under 300 ms on a 2-core machine. Loads here skip the verdict rule, as
production workers do (dpup/wsgi.py); the rule's search over every path of every tree, run by
`dpup validate`, `dpup run` and the tests, is timed once on its own.

    .venv/bin/python benchmarks/startup_bench.py [--runs N] [--processes N]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from dpup import config  # noqa: E402
from dpup.engine import load_library, verdict_rule  # noqa: E402

TARGET_MS = 300
IN_NEW_PROCESS = (
    "import time; t = time.perf_counter(); from pathlib import Path; from dpup import config; "
    "from dpup.engine import load_library; "
    "load_library(Path(config.TREES_DIR), Path(config.CONTENT_DIR), verdict_rule=False).raise_for_problems(); "
    "print((time.perf_counter() - t) * 1000)"
)


def load():
    library = load_library(Path(config.TREES_DIR), Path(config.CONTENT_DIR), verdict_rule=False)
    library.raise_for_problems()
    return library


def verdict_rule_ms(library) -> tuple[float, str]:
    """The verdict-rule search over every tree once, uncached, and the slowest tree."""
    per_tree = {}
    for tree in library.trees.values():
        start = time.perf_counter()
        verdict_rule._search(tree)
        per_tree[tree.id] = (time.perf_counter() - start) * 1000
    slowest = max(per_tree, key=per_tree.get)
    return sum(per_tree.values()), f"{slowest} {per_tree[slowest]:.0f} ms"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=21, help="loads in this process (default 21)")
    parser.add_argument("--processes", type=int, default=5, help="new Python processes (default 5; 0 to skip)")
    args = parser.parse_args()

    library = load()  # the first load also pays for imports and pydantic's first validations
    times = []
    for _ in range(max(1, args.runs)):
        start = time.perf_counter()
        load()
        times.append((time.perf_counter() - start) * 1000)
    median = statistics.median(times)
    files = len(library.trees) + len(library.checklists) + len(library.pages) + 1
    questions = sum(len(t.questions) for t in library.trees.values())
    print(f"Knowledge base: {len(library.trees)} trees ({questions} questions), {len(library.checklists)} checklists, "
          f"{len(library.pages)} content pages and the vocabulary ({files} files)")
    print(f"Load and validate, median of {len(times)} runs: {median:.1f} ms "
          f"(min {min(times):.1f}, max {max(times):.1f})  target < {TARGET_MS} ms: "
          f"{'met' if median < TARGET_MS else 'NOT met'}")

    total, slowest = verdict_rule_ms(library)
    print(f"Verdict rule over every path of every tree (dpup validate, dpup run, tests; not workers): "
          f"{total:.0f} ms (slowest: {slowest})")

    if args.processes > 0:
        whole, inside = [], []
        for _ in range(args.processes):
            start = time.perf_counter()
            out = subprocess.run([sys.executable, "-c", IN_NEW_PROCESS], cwd=ROOT, check=True,
                                 capture_output=True, text=True, timeout=120).stdout
            whole.append((time.perf_counter() - start) * 1000)
            inside.append(float(out.strip().splitlines()[-1]))
        print(f"New process, median of {len(whole)}: imports + load + validate {statistics.median(inside):.1f} ms; "
              f"whole process incl. interpreter start {statistics.median(whole):.1f} ms")
    print(f"(load average now: {', '.join(f'{x:.2f}' for x in os.getloadavg())} on {os.cpu_count()} CPUs)")


if __name__ == "__main__":
    main()
