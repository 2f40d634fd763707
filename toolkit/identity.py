"""Who the person at a page is when a JupyterHub runs the servers: the hub's login name.

JupyterHub starts each user's ``xfkit serve --hub`` with ``JUPYTERHUB_USER`` in its environment; the
server's kernels inherit it, and nothing a browser sends can change it. ``xfkit serve --hub`` also sets
``XFKIT_HUB=1``: the login name is honoured only then, so a plain ``xfkit serve`` started from a shell that
happens to have ``JUPYTERHUB_USER`` set behaves exactly as without a hub (name and resume code, link
tokens). Pure: no UI, no Voila, no JupyterHub imports.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping

__all__ = ["HUB_FLAG_ENV", "HUB_USER_ENV", "hub_reviewer", "hub_user", "under_hub"]

#: set by JupyterHub's spawner in the single-user server's environment (inherited by its kernels)
HUB_USER_ENV = "JUPYTERHUB_USER"
#: set to "1" by ``xfkit serve --hub`` (:mod:`toolkit.hub`) for the server and its kernels
HUB_FLAG_ENV = "XFKIT_HUB"


def under_hub(env: Mapping[str, str] | None = None) -> bool:
    """Whether this process runs in a server started with ``xfkit serve --hub``."""
    return (os.environ if env is None else env).get(HUB_FLAG_ENV, "") == "1"


def hub_user(env: Mapping[str, str] | None = None) -> str | None:
    """The hub login name of this server's owner, or ``None`` without a hub (or with an empty name)."""
    env = os.environ if env is None else env
    if not under_hub(env):
        return None
    name = env.get(HUB_USER_ENV, "").strip()
    return name or None


def _fold(text: str) -> str:
    return text.strip().casefold()


def hub_reviewer(user: str, reviewers: Iterable[str]) -> str | None:
    """The audit reviewer a hub login is: the reviewer whose name equals the login name.

    JupyterHub lower-cases login names by default, so the comparison ignores case (and surrounding
    spaces); the reviewer's name as written in the audit is returned. ``None`` when no reviewer matches,
    or when two reviewers' names differ only in case (ambiguous: nobody is let in).
    """
    wanted = _fold(user)
    if not wanted:
        return None
    found = [name for name in reviewers if _fold(name) == wanted]
    return found[0] if len(found) == 1 else None
