"""Where the store is, without SQLAlchemy: the default URL and the setting that overrides it.

Kept apart from :mod:`toolkit.store.engine` so that a page can know its store's URL without loading the
database library before it needs it (see :class:`toolkit.ui.practice.StoreOnUse`).
"""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["DEFAULT_FILE", "ENV_VAR", "default_url"]

#: environment variable that overrides the default database URL
ENV_VAR = "XFKIT_DB"
#: file name of the default SQLite database inside the data folder
DEFAULT_FILE = "xfkit.sqlite3"


def default_url(data_dir: Path) -> str:
    """The database URL to use when none is given.

    Parameters
    ----------
    data_dir
        Folder for the default SQLite file (the server passes ``<cwd>/data``).

    Returns
    -------
    str
        ``$XFKIT_DB`` if set and not empty, else ``sqlite:///<data_dir>/xfkit.sqlite3`` (absolute path).
    """
    env = os.environ.get(ENV_VAR, "").strip()
    if env:
        return env
    return "sqlite:///" + (data_dir.resolve() / DEFAULT_FILE).as_posix()
