"""Fuzzing pack files: whatever one YAML file of a pack holds, loading it succeeds or names the problem.

A copy of ``scenarios/default`` is made once per module; each example overwrites one of its files with a
mutation of the original (random text or bytes, a truncation, a deleted key, a scalar of another type) and
puts the original back afterwards. :func:`toolkit.packs.load_pack` must then return a pack or raise
:class:`~toolkit.errors.PackError` whose problems name a pack file; any other exception is a bug.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from toolkit.errors import PackError, PackFileError, PackInvalid
from toolkit.packs import load_pack
from toolkit.packs.loader import FILES
from toolkit.packs.yamlio import PathKey, load_yaml

SCENARIOS = Path(__file__).resolve().parents[2] / "scenarios"
YAML_NAMES = tuple(f"{name}.yaml" for name in FILES)
FUZZ = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])

#: scalars of every type a YAML file can hold, to put where another type was
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**40), max_value=2**40),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=20),
)
VALUES = st.one_of(
    SCALARS,
    st.lists(SCALARS, max_size=3),
    st.dictionaries(st.text(max_size=8), SCALARS, max_size=3),
)


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A writable copy of the default pack, named ``default`` as its pack.yaml requires."""
    target = tmp_path_factory.mktemp("fuzz-packs") / "default"
    shutil.copytree(SCENARIOS / "default", target)
    return target


def _original(name: str) -> bytes:
    return (SCENARIOS / "default" / name).read_bytes()


def _paths(data: Any, prefix: PathKey = ()) -> Iterator[PathKey]:
    """Every key path and sequence index below ``data``."""
    if isinstance(data, dict):
        items: list[tuple[str | int, Any]] = list(data.items())
    elif isinstance(data, list):
        items = list(enumerate(data))
    else:
        return
    for key, value in items:
        yield (*prefix, key)
        yield from _paths(value, (*prefix, key))


def _scalar_paths(data: Any) -> list[PathKey]:
    return [p for p in _paths(data) if not isinstance(_get(data, p), (dict, list))]


def _get(data: Any, path: PathKey) -> Any:
    for part in path:
        data = data[part]
    return data


def _parses(content: bytes) -> bool:
    """True when ``content`` is UTF-8 YAML holding a mapping (so its own file need not be blamed)."""
    try:
        return isinstance(yaml.safe_load(content.decode("utf-8")), dict)
    except (UnicodeDecodeError, yaml.YAMLError):
        return False


def _check_load(folder: Path, name: str, content: bytes) -> None:
    """Write ``content`` as ``name``, load the pack, put the original back."""
    path = folder / name
    path.write_bytes(content)
    try:
        load_pack(folder)
    except PackInvalid as exc:
        assert exc.problems, "PackInvalid without problems"
        for problem in exc.problems:
            assert isinstance(problem, PackFileError)
            assert problem.file in YAML_NAMES, problem.describe()
            assert problem.describe().startswith(problem.file)
            assert problem.message.strip()
        if not _parses(content):
            assert name in {p.file for p in exc.problems}, str(exc)
        assert "Traceback" not in str(exc)
    except PackError as exc:
        assert any(n in str(exc) for n in YAML_NAMES), str(exc)
    finally:
        path.write_bytes(_original(name))


def _truncated(name: str, cut: float) -> bytes:
    raw = _original(name)
    return raw[: int(len(raw) * cut)]


def _spliced(name: str, at: float, junk: bytes) -> bytes:
    raw = _original(name)
    i = int(len(raw) * at)
    return raw[:i] + junk + raw[i:]


@FUZZ
@given(name=st.sampled_from(YAML_NAMES), mutation=st.data())
def test_a_file_replaced_by_random_text_or_bytes(folder: Path, name: str, mutation: st.DataObject) -> None:
    """Random text, random bytes (often not UTF-8), the file cut short or with junk spliced in."""
    kind = mutation.draw(st.sampled_from(["text", "bytes", "truncated", "spliced"]), label="kind")
    if kind == "text":
        content = mutation.draw(st.text(max_size=200), label="text").encode("utf-8")
    elif kind == "bytes":
        content = mutation.draw(st.binary(max_size=200), label="bytes")
    elif kind == "truncated":
        content = _truncated(name, mutation.draw(st.floats(0, 1), label="cut"))
    else:
        at = mutation.draw(st.floats(0, 1), label="at")
        content = _spliced(name, at, mutation.draw(st.binary(min_size=1, max_size=8), label="junk"))
    _check_load(folder, name, content)


def _dump(data: Any) -> bytes:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False).encode("utf-8")


def _type_name(value: Any) -> str:
    return "bool" if isinstance(value, bool) else type(value).__name__


@FUZZ
@given(name=st.sampled_from(YAML_NAMES), mutation=st.data())
def test_a_key_deleted_or_a_value_of_another_type(folder: Path, name: str, mutation: st.DataObject) -> None:
    """Load one file, delete a key (or sequence item) or give a scalar another type, write it back."""
    data = load_yaml(SCENARIOS / "default" / name).data
    if mutation.draw(st.booleans(), label="delete"):
        path = mutation.draw(st.sampled_from(list(_paths(data))), label="path")
        parent = _get(data, path[:-1])
        del parent[path[-1]]
    else:
        path = mutation.draw(st.sampled_from(_scalar_paths(data)), label="path")
        old = _type_name(_get(data, path))
        new = mutation.draw(VALUES.filter(lambda v: _type_name(v) != old), label="value")
        _get(data, path[:-1])[path[-1]] = new
    _check_load(folder, name, _dump(data))


def test_a_control_character_is_a_pack_error(folder: Path) -> None:
    try:
        with pytest.raises(PackInvalid) as info:
            (folder / "pack.yaml").write_bytes(b"\x1f")
            load_pack(folder)
        assert "pack.yaml" in str(info.value)
    finally:
        (folder / "pack.yaml").write_bytes(_original("pack.yaml"))
