"""How long does start-up spend loading and validating the knowledge base? Prints figures; not a test.

Each run calls ``dpup.engine.load_library`` on the bundled decision_trees/ and content/ (every tree,
checklist, the vocabulary and every content page: YAML parsed, models built, every node validated,
links between files checked) and ``raise_for_problems()``, exactly as the app factory does. Prints
the median, minimum and maximum over N runs in one process (imports already done), and the median
wall time of a whole new Python process that imports dpup and loads the library, over a few runs.

Target (issue 6): median under 300 ms on a 2-core machine.

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
from dpup.engine import load_library  # noqa: E402

TARGET_MS = 300
IN_NEW_PROCESS = (
    "import time; t = time.perf_counter(); from pathlib import Path; from dpup import config; "
    "from dpup.engine import load_library; "
    "load_library(Path(config.TREES_DIR), Path(config.CONTENT_DIR)).raise_for_problems(); "
    "print((time.perf_counter() - t) * 1000)"
)


def load():
    library = load_library(Path(config.TREES_DIR), Path(config.CONTENT_DIR))
    library.raise_for_problems()
    return library


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
