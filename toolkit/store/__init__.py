"""Storage of submissions, scores, the audit log and competitions (SQLite by default, PostgreSQL by URL).

The only package that imports SQLAlchemy; everything else calls :class:`Store` and gets frozen
dataclasses back.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from toolkit.lazy import lazy_names
from toolkit.store.url import default_url

if TYPE_CHECKING:
    from toolkit.store.api import AUDIT_APP, AuditRecord, Event, Score, Scored, Store, Submission
    from toolkit.store.contest import CONTEST_APP, CompetitionRecord, Contestant
    from toolkit.store.engine import make_engine, mask_url
    from toolkit.store.migrations import LATEST, current_version, migrate

# SQLAlchemy is loaded with the first of these names a caller asks for, not with the package: knowing the
# store's URL (default_url) must not cost a page's kernel the database library
_LAZY = {
    **dict.fromkeys(("AUDIT_APP", "AuditRecord", "Event", "Score", "Scored", "Store", "Submission"), "api"),
    **dict.fromkeys(("CONTEST_APP", "CompetitionRecord", "Contestant"), "contest"),
    **dict.fromkeys(("make_engine", "mask_url"), "engine"),
    **dict.fromkeys(("LATEST", "current_version", "migrate"), "migrations"),
}

__all__ = [
    "AUDIT_APP",
    "CONTEST_APP",
    "LATEST",
    "AuditRecord",
    "CompetitionRecord",
    "Contestant",
    "Event",
    "Score",
    "Scored",
    "Store",
    "Submission",
    "current_version",
    "default_url",
    "make_engine",
    "mask_url",
    "migrate",
]

__getattr__, __dir__ = lazy_names(__name__, _LAZY)
