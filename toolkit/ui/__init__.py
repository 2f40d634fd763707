"""The web apps: ipywidgets components composed into pages that Voila serves.

This package is the only place that imports ipywidgets. Each app is a function returning a
:class:`~toolkit.ui.frame.Page`; a notebook in ``notebooks/`` displays its ``.widget``.
"""

from __future__ import annotations

from toolkit.ui.audit_desk import audit_desk_app
from toolkit.ui.audit_review import audit_app
from toolkit.ui.board import board_app
from toolkit.ui.console import console_app
from toolkit.ui.contest import contest_app
from toolkit.ui.faults import faults_app
from toolkit.ui.home import home_app
from toolkit.ui.intake import intake_app
from toolkit.ui.ledger_app import ledger_app
from toolkit.ui.trainer import trainer_app

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
