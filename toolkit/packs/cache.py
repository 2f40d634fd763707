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
from collections import deque
from collections.abc import Callable
from pathlib import Path
from types import MappingProxyType
from typing import Any, TypeVar

import toolkit
from toolkit.packs.loader import load_pack, resolve_pack
from toolkit.packs.model import Pack

__all__ = ["cache_dir", "cached_pack", "cached_pickle", "code_digest", "loaded_digest", "pack_digest"]

log = logging.getLogger("xfkit.packs")
T = TypeVar("T")

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
    digest = hashlib.sha256(code_digest(*_CODE_DIRS).encode())
    for path in sorted(folder.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            digest.update(str(path.relative_to(folder)).encode())
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


def _write(path: Path, value: object) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".cache-", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            _Pickler(handle, protocol=pickle.HIGHEST_PROTOCOL).dump(value)
        os.replace(tmp, path)  # whole or not at all: a reader never sees half a file
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def cached_pickle(name: str, kind: type[T], build: Callable[[], T]) -> T:
    """The ``kind`` kept in the cache as ``name``, else ``build()``, kept for next time.

    ``name`` must carry a digest of everything the value is built from. Whatever ``build`` raises is
    raised and nothing is kept; a cache that cannot be read or written is logged and skipped.
    """
    target = cache_dir() / name
    try:
        with target.open("rb") as handle:
            loaded = pickle.load(handle)
        if isinstance(loaded, kind):
            return loaded
        log.warning("the cache %s did not hold a %s; it is rebuilt", target, kind.__name__)
    except FileNotFoundError:
        pass
    except Exception:
        log.warning("the cache %s could not be read; it is rebuilt", target, exc_info=True)
    value = build()
    try:
        _write(target, value)
    except OSError as exc:
        log.warning("could not keep %s in %s: %s", name, target.parent, exc)
    return value


def code_digest(*folders: str) -> str:
    """A digest of the toolkit's version and the Python source in its ``folders``."""
    digest = hashlib.sha256(toolkit.__version__.encode())
    for folder in folders:
        for path in sorted((_TOOLKIT / folder).rglob("*.py")):
            if "__pycache__" not in path.parts:
                digest.update(str(path.relative_to(_TOOLKIT)).encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()[:32]


def loaded_digest(pack: Pack) -> str | None:
    """The digest of ``pack`` if :func:`cached_pack` gave this very object, else ``None``."""
    for kept, digest in _LOADED:
        if kept is pack:
            return digest
    return None


def cached_pack(path: str | Path) -> Pack:
    """The pack at ``path`` (a folder or pack name), from the cache when it holds this very pack.

    A pack that fails validation raises exactly as :func:`load_pack` does, and is never cached.
    """
    folder = resolve_pack(path)
    try:
        digest = pack_digest(folder)
    except OSError:
        log.warning("could not read the pack %s to make its digest; loading it directly", folder)
        return load_pack(folder)
    pack = cached_pickle(f"pack-{folder.name}-{digest}.pickle", Pack, lambda: load_pack(folder))
    _LOADED.append((pack, digest))
    return pack


#: the packs :func:`cached_pack` gave lately, with their digests (a page's kernel loads one)
_LOADED: deque[tuple[Pack, str]] = deque(maxlen=8)
