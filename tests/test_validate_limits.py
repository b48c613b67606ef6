"""`dpup validate` on hostile or huge files: iterative, linear, bounded, and never a traceback."""

from pathlib import Path

from dpup.engine import load_library
from dpup.engine.validate import MAX_FILE_BYTES
from dpup.engine.yamlfile import parse_yaml
from tests.conftest import TEST_CONTENT, TEST_TREES
from tests.test_validate import GOOD_HEADER, OUTCOME


def problems(path: Path) -> list[str]:
    return [str(p) for p in load_library(TEST_TREES, TEST_CONTENT, only=path).problems]


def chain(count: int, last: str = "end") -> str:
    return "".join(f"  - id: q{i}\n    type: question\n    prompt: Is it so?\n    kind: text\n"
                   f"    next: {f'q{i + 1}' if i < count else last}\n" for i in range(1, count + 1))


def test_a_chain_of_two_thousand_questions_validates(tmp_path):
    path = tmp_path / "t.yaml"
    path.write_text(GOOD_HEADER + "nodes:\n" + chain(2000) + OUTCOME)
    assert problems(path) == []


def test_a_cycle_at_the_end_of_a_long_chain_is_reported(tmp_path):
    path = tmp_path / "t.yaml"
    path.write_text(GOOD_HEADER + "nodes:\n" + chain(2000, last="q1999") + OUTCOME)
    found = problems(path)
    assert any("cycle: q1999 -> q2000 -> q1999" in p for p in found), found[:5]


def test_a_checklist_whose_items_are_not_a_list_is_a_problem_not_a_crash(tmp_path):
    (tmp_path / "checklists").mkdir()
    path = tmp_path / "checklists" / "c.yaml"
    path.write_text("id: c\ntitle: C\naudience: All\nsummary: s\nversion: '1'\nsources: [{title: x}]\n"
                    "items: 5\nresult: {all_clear: a, not_clear: b}\n")
    found = problems(path)
    assert any("items" in p for p in found), found


def test_every_unknown_key_is_listed_with_its_own_line(tmp_path):
    path = tmp_path / "t.yaml"
    count = 5000
    path.write_text(GOOD_HEADER + "".join(f"k{i}: 1\n" for i in range(count)) + "nodes:\n" + chain(1) + OUTCOME)
    found = [p for p in problems(path) if "unknown key" in p]
    assert len(found) == count
    first_line = GOOD_HEADER.count("\n") + 1
    assert found[0].endswith(f"unknown key 'k0' (line {first_line})")
    assert found[-1].endswith(f"unknown key 'k{count - 1}' (line {first_line + count - 1})")


class CountingList(list):
    reads = 0

    def __iter__(self):
        CountingList.reads += 1
        return super().__iter__()


def test_problems_are_located_without_rescanning_the_mapping_each_time():
    """A mapping's keys are read once however many problems are located in it (it took 258 s to
    locate 100,000 unknown keys when each was found by a scan of the whole mapping)."""
    document = parse_yaml("".join(f"k{i}: {i}\n" for i in range(500)))
    document.root.value = CountingList(document.root.value)
    lines = [document.line_of((f"k{i}",)) for i in range(500)]
    assert lines == list(range(1, 501))
    assert CountingList.reads <= 1


def test_a_file_too_large_to_be_a_tree_is_refused_unread(tmp_path):
    path = tmp_path / "t.yaml"
    path.write_text(GOOD_HEADER + "nodes:\n" + OUTCOME + "#" * MAX_FILE_BYTES)
    assert problems(path) == [f"{path}:(file): the file is larger than {MAX_FILE_BYTES:,} bytes"]
