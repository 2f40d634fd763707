"""An imported ledger file, kept on disk like the validated pack.

The ledger page opens with the demo ledger that ``xfkit serve`` writes on its first run. Importing it
(openpyxl, every check of :func:`~toolkit.ledger.importer.read_ledger`) takes longer than the rest of the
page and leaves openpyxl in the kernel's memory. :func:`cached_ledger` keeps the imported frame in the
pack cache's folder, named after a digest of the file's bytes, the pack it was checked against and the
toolkit's code that reads it: a changed file, pack or toolkit is imported again. A file with problems
raises as :func:`read_ledger` does and is never kept.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import TYPE_CHECKING

from toolkit.packs import Pack
from toolkit.packs.cache import cache_dir, cached_pickle, code_digest, loaded_digest

if TYPE_CHECKING:
    import pandas as pd

    from toolkit.ledger.importer import Progress

__all__ = ["cache_entry", "cached_ledger", "is_cached", "warm_cache"]

#: the toolkit's folders whose code decides what an imported ledger holds (the pack's digest has the rest)
_CODE_DIRS = ("ledger",)


def cache_entry(path: Path, pack: Pack) -> str | None:
    """The cache's name for ``path`` read with ``pack``; ``None`` when there is none to give.

    Only a pack that :func:`~toolkit.packs.cache.cached_pack` gave has a digest to name the entry by, and
    an unreadable file has no bytes to name it by. Needs neither pandas nor the importer.
    """
    pack_key = loaded_digest(pack)
    if pack_key is None:
        return None
    try:
        data = path.read_bytes()
    except OSError:
        return None  # read_ledger names the file in its own message
    digest = hashlib.sha256(f"{pack_key}|{code_digest(*_CODE_DIRS)}|{path.suffix.lower()}|".encode())
    digest.update(data)
    return f"ledger-{digest.hexdigest()[:32]}.pickle"


def is_cached(path: Path, pack: Pack) -> bool:
    """Whether the cache already holds ``path`` read with ``pack`` (``xfkit serve`` asks, pandas-free)."""
    name = cache_entry(path, pack)
    return name is not None and (cache_dir() / name).is_file()


def cached_ledger(path: str | Path, pack: Pack, *, progress: Progress | None = None) -> pd.DataFrame:
    """:func:`read_ledger` of ``path``, from the cache when it holds this file read with this pack.

    With a pack that has no digest (see :func:`cache_entry`) or an unreadable file, the file is imported
    directly.
    """
    import pandas as pd

    from toolkit.ledger.importer import read_ledger

    path = Path(path)
    name = cache_entry(path, pack)
    if name is None:
        return read_ledger(path, pack, progress=progress)
    frame = cached_pickle(name, pd.DataFrame, lambda: read_ledger(path, pack, progress=progress))
    frame.attrs["source"] = path.name  # the same bytes may come under another name
    return frame


def warm_cache(path: str, pack_ref: str) -> str:
    """Import the ledger at ``path`` into the cache; ``""``, or the problem as a message.

    ``xfkit serve`` runs this in a child process before the first page opens, so the ledger page's first
    kernel reads the cache and the server itself never imports pandas.
    """
    from toolkit.errors import XfkitError
    from toolkit.packs.cache import cached_pack

    try:
        cached_ledger(path, cached_pack(pack_ref))
    except XfkitError as exc:
        return str(exc)
    return ""
