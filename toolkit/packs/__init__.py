"""Scenario packs: load, validate and look up the data every generator and scorer uses."""

from __future__ import annotations

from toolkit.packs.loader import load_pack, resolve_pack, validate_pack
from toolkit.packs.meta import PackMeta, read_pack_meta
from toolkit.packs.model import Pack, ProblemType

__all__ = ["Pack", "PackMeta", "ProblemType", "load_pack", "read_pack_meta", "resolve_pack", "validate_pack"]
