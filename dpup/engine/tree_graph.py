"""The shape of a tree: its links read from the raw file, so that a node that failed to parse still
takes part. Every walk here is iterative: a chain of thousands of questions must not exhaust
Python's stack."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class _Graph:
    """The links between nodes, read from the raw file so that a node that failed to parse
    still takes part (its own problems are reported separately)."""

    edges: dict[str, list[tuple[str, tuple]]] = field(default_factory=dict)
    outcomes: set[str] = field(default_factory=set)


def _raw_graph(raw_nodes: list) -> _Graph:
    graph = _Graph()
    for i, item in enumerate(raw_nodes):
        if not isinstance(item, dict) or not isinstance(item.get("id"), str) or item["id"] in graph.edges:
            continue
        edges = graph.edges[item["id"]] = []
        if item.get("type") == "outcome":
            graph.outcomes.add(item["id"])
        for key in ("routes", "options"):
            for j, sub in enumerate(item.get(key) or [] if isinstance(item.get(key), list) else []):
                if isinstance(sub, dict) and isinstance(sub.get("next"), str):
                    edges.append((sub["next"], ("nodes", i, key, j, "next")))
        if isinstance(item.get("next"), str):
            edges.append((item["next"], ("nodes", i, "next")))
    return graph


def check_graph(data: dict, add: Callable[..., None], file_node: str) -> None:
    """Next links, reachability, cycles and a reachable outcome, reported through ``add(node, reason, loc)``."""
    raw_nodes = data.get("nodes")
    if not isinstance(raw_nodes, list):
        return
    graph = _raw_graph(raw_nodes)
    for node_id, edges in graph.edges.items():
        for target, loc in edges:
            if target not in graph.edges:
                add(node_id, f"next node '{target}' does not exist", loc)
    start = data.get("start")
    if not isinstance(start, str) or start not in graph.edges:
        if isinstance(start, str):
            add(file_node, f"start node '{start}' does not exist", ("start",))
        return
    reachable = _reachable(graph, start)
    for node_id in graph.edges:
        if node_id not in reachable:
            add(node_id, "unreachable: no path from the start leads here")
    cycle = _find_cycle(graph)
    if cycle:
        add(cycle[0], "cycle: " + " -> ".join(cycle))
    elif not reachable & graph.outcomes:
        add(file_node, "no outcome can be reached from the start", ("start",))


def _successors(graph: _Graph, node_id: str) -> list[str]:
    return [t for t, _ in graph.edges.get(node_id, ()) if t in graph.edges]


def _reachable(graph: _Graph, start: str) -> set[str]:
    seen, todo = set(), [start]
    while todo:
        node_id = todo.pop()
        if node_id not in seen:
            seen.add(node_id)
            todo += _successors(graph, node_id)
    return seen


def _find_cycle(graph: _Graph) -> list[str] | None:
    """The first cycle found, as a path that ends where it starts. Depth-first with a stack of its
    own, not recursion: a long chain of questions must not exhaust Python's stack."""
    state: dict[str, int] = {}  # 1 = on the current path, 2 = done
    for root in graph.edges:
        if root in state:
            continue
        path, todo = [root], [iter(_successors(graph, root))]
        state[root] = 1
        while todo:
            nxt = next(todo[-1], None)
            if nxt is None:  # every successor of path[-1] explored
                state[path.pop()] = 2
                todo.pop()
            elif state.get(nxt) == 1:
                return path[path.index(nxt):] + [nxt]
            elif nxt not in state:
                state[nxt] = 1
                path.append(nxt)
                todo.append(iter(_successors(graph, nxt)))
    return None
