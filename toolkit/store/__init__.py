"""Storage of submissions, scores, the audit log and competitions (SQLite by default, PostgreSQL by URL).

The only package that imports SQLAlchemy; everything else calls :class:`Store` and gets frozen
dataclasses back.
"""

from __future__ import annotations

from toolkit.store.api import AUDIT_APP, AuditRecord, Event, Score, Scored, Store, Submission
from toolkit.store.contest import CONTEST_APP, CompetitionRecord, Contestant
from toolkit.store.engine import default_url, make_engine, mask_url
from toolkit.store.migrations import LATEST, current_version, migrate

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
