"""A pack's identity (name, version, titles) read from ``pack.yaml`` alone, without validating the pack.

Pages that only show which pack is in use read this: it is fast (no schema validation, no word lists),
and the server has already validated the whole pack when it started.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from toolkit.errors import PackFileError
from toolkit.packs.yamlio import load_yaml


@dataclass(frozen=True, slots=True)
class PackMeta:
    """Name, version and titles of a pack."""

    name: str
    version: str
    title_zh: str
    title_en: str

    @property
    def ref(self) -> str:
        return f"{self.name}@{self.version}"

    def title(self, lang: str = "zh") -> str:
        return self.title_en if lang == "en" else self.title_zh


def read_pack_meta(name_or_path: str | Path) -> PackMeta:
    """The identity of the pack at ``name_or_path`` (a folder or a pack name)."""
    from toolkit.packs.loader import resolve_pack

    doc = load_yaml(resolve_pack(name_or_path) / "pack.yaml")
    data: Any = doc.data
    try:
        title = data["title"]
        return PackMeta(str(data["name"]), str(data["version"]), str(title["zh"]), str(title["en"]))
    except (KeyError, TypeError) as exc:
        raise PackFileError(doc.file, f"pack.yaml lacks {exc}; run xfkit validate on the pack") from None
