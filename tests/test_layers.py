"""The pure core imports no widgets, no database and no web stack (checked in a fresh interpreter)."""

from __future__ import annotations

import subprocess
import sys

PURE = (
    "toolkit.domain",
    "toolkit.rules",
    "toolkit.generate",
    "toolkit.scoring",
    "toolkit.audit",
    "toolkit.competition",
    "toolkit.errors",
)
FORBIDDEN = ("ipywidgets", "sqlalchemy", "voila", "tornado", "IPython", "openpyxl")


def test_pure_packages_import_no_ui_or_database() -> None:
    code = (
        "import sys\n"
        f"for name in {PURE!r}:\n"
        "    __import__(name)\n"
        "import toolkit.generate.cases, toolkit.generate.ledger\n"
        "import toolkit.generate.history, toolkit.generate.batch\n"
        "import toolkit.generate.conversation, toolkit.generate.lookup, toolkit.generate.pick\n"
        "import toolkit.domain.conversation, toolkit.scoring.intake\n"
        "import toolkit.domain.dossier, toolkit.scoring.findings, toolkit.generate.dossiers\n"
        "import toolkit.rules.ledger_cards, toolkit.packs, toolkit.packs.rules\n"
        "import toolkit.generate.routing, toolkit.generate.checker, toolkit.generate.defects\n"
        "import toolkit.audit.sampling, toolkit.audit.assignment, toolkit.audit.agreement\n"
        "import toolkit.audit.review, toolkit.audit.results, toolkit.audit.masking\n"
        "import toolkit.audit.population, toolkit.audit.setup\n"
        "import toolkit.competition.items, toolkit.competition.timing, toolkit.competition.leaderboard\n"
        "import toolkit.competition.analysis, toolkit.generate.quiz, toolkit.scoring.quiz\n"
        f"print(','.join(m for m in {FORBIDDEN!r} if m in sys.modules))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "", f"pure core pulled in: {result.stdout.strip()}"
