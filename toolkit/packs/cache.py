"""A validated pack, kept on disk so that every page's kernel does not validate it again.

:func:`load_pack` reads eleven YAML files with line tracking and checks them against JSON Schemas; the
schema library alone takes seconds to import. A page's kernel only needs the result, so
:func:`cached_pack` keeps the built :class:`~toolkit.packs.model.Pack` as a pickle named after a digest
of everything it was built from: the pack's files, and the toolkit's own source that reads and models
them. Any change to either gives another name, so a stale pack is never used; ``xfkit serve`` fills the
cache before the first page opens.

The cache folder is ``$XFKIT_CACHE``, else ``$XDG_CACHE_HOME/xfkit``, else ``~/.cache/xfkit``. It holds
pickles, which run code when read: it must be writable only by the account that runs the server (as
the toolkit's own files are). A cache that cannot be read or written is skipped, never an error.
"""

from __future__ import annotations

import copyreg
import hashlib
import logging
import os
import pickle
import tempfile
from pathlib import Path
from types import MappingProxyType
from typing import Any

import toolkit
from toolkit.packs.loader import load_pack, resolve_pack
from toolkit.packs.model import Pack

__all__ = ["cache_dir", "cached_pack", "pack_digest"]

log = logging.getLogger("xfkit.packs")

#: the toolkit's folders whose code decides what a loaded pack holds
_CODE_DIRS = ("packs", "domain", "rules", "schemas")
_TOOLKIT = Path(toolkit.__file__).resolve().parent


def cache_dir() -> Path:
    """Where validated packs are kept."""
    explicit = os.environ.get("XFKIT_CACHE")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "xfkit"


def pack_digest(folder: Path) -> str:
    """A digest of the pack's files and of the code that builds a pack from them."""
    digest = hashlib.sha256(toolkit.__version__.encode())
    for base, pattern in [(folder, "*"), *((_TOOLKIT / d, "*.py") for d in _CODE_DIRS)]:
        for path in sorted(base.rglob(pattern)):
            if path.is_file() and "__pycache__" not in path.parts:
                digest.update(str(path.relative_to(base)).encode())
                digest.update(path.read_bytes())
    digest.update(b"".join(p.read_bytes() for p in sorted((_TOOLKIT / "schemas").glob("*.json"))))
    return digest.hexdigest()[:32]


def _proxy(data: dict[Any, Any]) -> MappingProxyType[Any, Any]:
    return MappingProxyType(data)


def _reduce_proxy(proxy: MappingProxyType[Any, Any]) -> tuple[Any, tuple[dict[Any, Any]]]:
    return _proxy, (dict(proxy),)


class _Pickler(pickle.Pickler):
    # a pack's lookup tables are read-only mappings, which pickle cannot write by itself
    dispatch_table = {**copyreg.dispatch_table, MappingProxyType: _reduce_proxy}


def _write(path: Path, pack: Pack) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".pack-", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            _Pickler(handle, protocol=pickle.HIGHEST_PROTOCOL).dump(pack)
        os.replace(tmp, path)  # whole or not at all: a reader never sees half a file
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def cached_pack(path: str | Path) -> Pack:
    """The pack at ``path`` (a folder or pack name), from the cache when it holds this very pack.

    A pack that fails validation raises exactly as :func:`load_pack` does, and is never cached.
    """
    folder = resolve_pack(path)
    try:
        target = cache_dir() / f"pack-{folder.name}-{pack_digest(folder)}.pickle"
    except OSError:
        log.warning("could not read the pack %s to make its digest; loading it directly", folder)
        return load_pack(folder)
    try:
        with target.open("rb") as handle:
            loaded = pickle.load(handle)
        if isinstance(loaded, Pack):
            return loaded
        log.warning("the pack cache %s did not hold a pack; it is rebuilt", target)
    except FileNotFoundError:
        pass
    except Exception:
        log.warning("the pack cache %s could not be read; it is rebuilt", target, exc_info=True)
    pack = load_pack(folder)
    try:
        _write(target, pack)
    except OSError as exc:
        log.warning("could not keep the validated pack in %s: %s", target.parent, exc)
    return pack
