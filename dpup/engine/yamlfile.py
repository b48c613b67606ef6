"""YAML reading with YAML 1.2 booleans and line numbers for error messages.

YAML 1.1 (PyYAML's default) turns bare ``yes``, ``no``, ``on`` and ``off`` into booleans, which
would silently change an option value ``yes`` into ``True``. Here only ``true``/``false`` are
booleans, so authors can write option values without quotes.
"""

import re
from dataclasses import dataclass, field

import yaml


# libyaml's parser where PyYAML was built with it (it is in the wheels): about ten times faster.
class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
    pass


# Drop YAML 1.1's bool resolver and add the YAML 1.2 one.
_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)


class YamlError(ValueError):
    def __init__(self, reason: str, line: int | None):
        super().__init__(reason)
        self.reason = reason
        self.line = line


@dataclass(frozen=True)
class YamlDocument:
    data: object
    root: yaml.Node | None
    # Each mapping's keys, indexed the first time a problem is located in it: a file with many
    # problems in one mapping is located in linear time, not by rescanning the mapping for each.
    _keys: dict[int, dict] = field(default_factory=dict, compare=False, repr=False)

    def line_of(self, loc: tuple) -> int | None:
        """The 1-based line of the deepest part of ``loc`` (keys and list indexes) found."""
        node, line = self.root, None
        for key in loc:
            if node is None:
                break
            line = node.start_mark.line + 1
            node = self._child(node, key)
        if node is not None:
            line = node.start_mark.line + 1
        return line

    def _child(self, node: yaml.Node, key) -> yaml.Node | None:
        if isinstance(node, yaml.MappingNode):
            keys = self._keys.get(id(node))
            if keys is None:
                keys = self._keys[id(node)] = {}
                for k, v in node.value:
                    if isinstance(k, yaml.ScalarNode):
                        keys.setdefault(k.value, v)  # the first of duplicate keys, as before
            return keys.get(key)
        if isinstance(node, yaml.SequenceNode) and isinstance(key, int) and key < len(node.value):
            return node.value[key]
        return None


def parse_yaml(text: str) -> YamlDocument:
    loader = _Loader(text)
    try:
        root = loader.get_single_node()  # parsed once: the node tree gives line numbers and the data
        data = loader.construct_document(root) if root is not None else None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        reason = f"YAML syntax error: {exc.problem or exc.context}"
        raise YamlError(reason, mark.line + 1 if mark else None) from exc
    except yaml.YAMLError as exc:
        raise YamlError(f"YAML syntax error: {exc}", None) from exc
    finally:
        loader.dispose()
    return YamlDocument(data, root)
