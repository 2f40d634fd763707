"""The registry of apps the server may serve: one notebook each, who may open it, whether it exists yet.

Pure data: the server allows exactly these notebooks, the home page lists them. Titles and descriptions
are message keys in the catalogue (``toolkit/i18n``), never literal text.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class AppInfo:
    """One app: its code, its notebook under ``notebooks/``, and who may open it."""

    code: str
    notebook: str
    title_key: str
    summary_key: str
    audience_key: str
    trainer_only: bool = False
    available: bool = True
    #: served from a kernel started before the request (pages people open all at once: learners, contestants)
    preheat: bool = True


APPS: tuple[AppInfo, ...] = (
    AppInfo("home", "home.ipynb", "app.home.title", "app.home.summary", "app.home.audience"),
    AppInfo(
        "trainer",
        "trainer.ipynb",
        "app.trainer.title",
        "app.trainer.summary",
        "app.trainer.audience",
        trainer_only=True,
    ),
    AppInfo(
        "intake",
        "intake.ipynb",
        "app.intake.title",
        "app.intake.summary",
        "app.intake.audience",
    ),
    AppInfo(
        "faults",
        "faults.ipynb",
        "app.faults.title",
        "app.faults.summary",
        "app.faults.audience",
    ),
    AppInfo(
        "audit", "audit.ipynb", "app.audit.title", "app.audit.summary", "app.audit.audience", preheat=False
    ),
    AppInfo(
        "audit_desk",
        "audit_desk.ipynb",
        "app.audit_desk.title",
        "app.audit_desk.summary",
        "app.audit_desk.audience",
        trainer_only=True,
    ),
    AppInfo(
        "contest",
        "contest.ipynb",
        "app.contest.title",
        "app.contest.summary",
        "app.contest.audience",
    ),
    AppInfo(
        "console",
        "console.ipynb",
        "app.console.title",
        "app.console.summary",
        "app.console.audience",
        trainer_only=True,
    ),
    AppInfo(
        "board", "board.ipynb", "app.board.title", "app.board.summary", "app.board.audience", preheat=False
    ),
    AppInfo(
        "ledger",
        "ledger.ipynb",
        "app.ledger.title",
        "app.ledger.summary",
        "app.ledger.audience",
    ),
)


def app_by_notebook(notebook: str) -> AppInfo | None:
    """The app served from ``notebook`` (a file name such as ``home.ipynb``), if any."""
    for app in APPS:
        if app.notebook == notebook:
            return app
    return None


def served_apps() -> tuple[AppInfo, ...]:
    """The apps whose notebooks exist in this release."""
    return tuple(app for app in APPS if app.available)
