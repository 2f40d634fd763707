"""The web apps: ipywidgets components composed into pages that Voila serves.

This package is the only place that imports ipywidgets. Each app is a function returning a
:class:`~toolkit.ui.frame.Page`; a notebook in ``notebooks/`` displays its ``.widget``.

The apps are imported on first use (PEP 562), so a page's kernel loads only its own app: the contest
page does not pay for the audit desk's pandas and statistics.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from toolkit.lazy import lazy_names

if TYPE_CHECKING:
    from toolkit.ui.audit_desk import audit_desk_app
    from toolkit.ui.audit_review import audit_app
    from toolkit.ui.board import board_app
    from toolkit.ui.console import console_app
    from toolkit.ui.contest import contest_app
    from toolkit.ui.faults import faults_app
    from toolkit.ui.home import home_app
    from toolkit.ui.intake import intake_app
    from toolkit.ui.ledger_page import ledger_app
    from toolkit.ui.trainer import trainer_app

#: app function -> the module that defines it
_APPS = {
    "audit_app": "audit_review",
    "audit_desk_app": "audit_desk",
    "board_app": "board",
    "console_app": "console",
    "contest_app": "contest",
    "faults_app": "faults",
    "home_app": "home",
    "intake_app": "intake",
    "ledger_app": "ledger_page",
    "trainer_app": "trainer",
}

__all__ = [
    "audit_app",
    "audit_desk_app",
    "board_app",
    "console_app",
    "contest_app",
    "faults_app",
    "home_app",
    "intake_app",
    "ledger_app",
    "trainer_app",
]

__getattr__, __dir__ = lazy_names(__name__, _APPS)
