"""Editing a copy of a pack in tests, and reading the problems loading it then reports."""

from __future__ import annotations

from pathlib import Path

import pytest

from toolkit.errors import PackFileError, PackInvalid
from toolkit.packs import load_pack


def edit(folder: Path, file: str, old: str, new: str, count: int = 1) -> int:
    """Replace ``old`` in a pack file; return the 1-based line where the change starts."""
    path = folder / file
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {file}"
    line = text[: text.index(old)].count("\n") + 1
    path.write_text(text.replace(old, new, count), encoding="utf-8")
    return line


def problems(folder: Path) -> list[PackFileError]:
    """Every problem loading the pack in ``folder`` reports (it must report some)."""
    with pytest.raises(PackInvalid) as info:
        load_pack(folder)
    assert info.value.problems, "PackInvalid without problems"
    return info.value.problems
