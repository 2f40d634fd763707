"""Read YAML keeping the line of every value, so errors can name ``file:line: field``.

Timestamps stay strings (the schemas check their shape and the loader parses them), duplicate keys are
errors rather than silently overwritten, and only plain YAML types are built (``SafeLoader``).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from toolkit.errors import PackFileError

PathKey = tuple[str | int, ...]


class _Loader(yaml.SafeLoader):
    """SafeLoader without the implicit timestamp type: dates stay ISO strings."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


@dataclass(frozen=True, slots=True)
class YamlDoc:
    """A parsed YAML file with the line (1-based) of every mapping key and sequence item."""

    file: str
    data: Any
    lines: dict[PathKey, int]

    def line(self, path: PathKey) -> int | None:
        """The line of ``path``, or of its nearest ancestor that has one."""
        probe = tuple(path)
        while probe:
            if probe in self.lines:
                return self.lines[probe]
            probe = probe[:-1]
        return self.lines.get((), None)

    def error(self, path: PathKey, message: str) -> PackFileError:
        return PackFileError(self.file, message, line=self.line(path), field=format_path(path))


def format_path(path: PathKey) -> str:
    """``("towns", 2, "code")`` → ``towns[2].code``."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def load_yaml(path: Path, display: str | None = None) -> YamlDoc:
    """Parse ``path``; raise :class:`PackFileError` with the line for syntax errors and duplicate keys."""
    name = display or path.name
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise PackFileError(name, "file is missing") from None
    except UnicodeDecodeError as exc:
        raise PackFileError(name, f"not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    loader: _Loader | None = None
    try:
        loader = _Loader(text)  # PyYAML checks for characters YAML does not allow as it is built
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        problem = " ".join(p for p in (exc.context, exc.problem) if p)
        raise PackFileError(name, f"YAML syntax error: {problem}", line=line) from None
    except yaml.YAMLError as exc:
        raise PackFileError(name, f"YAML error: {exc}") from None
    finally:
        if loader is not None:
            loader.dispose()
    lines: dict[PathKey, int] = {}
    if node is not None:
        lines[()] = node.start_mark.line + 1
        _walk(node, (), lines, name)
    return YamlDoc(name, data, lines)


def _walk(node: yaml.Node, path: PathKey, lines: dict[PathKey, int], name: str) -> None:
    if isinstance(node, yaml.MappingNode):
        seen: set[str] = set()
        for key_node, value_node in node.value:
            key = str(key_node.value)
            if key in seen:
                raise PackFileError(
                    name,
                    f"duplicate key {key!r}",
                    line=key_node.start_mark.line + 1,
                    field=format_path((*path, key)),
                )
            seen.add(key)
            child = (*path, key)
            lines[child] = key_node.start_mark.line + 1
            _walk(value_node, child, lines, name)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            child = (*path, index)
            lines[child] = item.start_mark.line + 1
            _walk(item, child, lines, name)
