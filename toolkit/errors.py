"""One exception tree for the whole toolkit.

Every error a person can cause derives from :class:`XfkitError`; the CLI and the UI turn
these into one-line messages instead of tracebacks::

    XfkitError
    ├── PackError                  a scenario pack cannot be used
    │   ├── PackFileError          one file is wrong: carries file, line and field
    │   │   └── SchemaVersionError schema_version too old or too new for this toolkit
    │   └── PackInvalid            several PackFileErrors collected over a whole pack
    ├── CalendarError              working-day arithmetic cannot be done
    │   └── CalendarRangeError     a date outside the years the holiday data covers
    ├── RuleError                  a deadline or card rule cannot be applied to the item given
    ├── GenerationError            the generator cannot satisfy a request (bad level, count ...)
    ├── AnswerInvalid              a learner's answer is malformed: carries one problem per field
    ├── LedgerInvalid              a ledger file cannot be imported: carries every LedgerProblem (row, column)
    ├── AccessDenied               the page or action needs a role (trainer) the visitor does not have
    ├── AuditError                 an audit cannot be set up or run as asked (sample size, reviewers ...)
    │   └── AssignmentInfeasible   too few reviewers outside a unit: names the unit and the numbers
    ├── ContestRefused             a competition action the server refuses (late, duplicate ...): a reason
    └── StoreError                 the submission store cannot do what was asked
        ├── StoreConfigError       bad database URL, unreachable server, unwritable folder, missing driver
        ├── StoreVersionError      the database schema is newer than this toolkit knows
        └── AppendOnlyViolation    an UPDATE or DELETE on submissions or scores (they are append-only)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any


class XfkitError(Exception):
    """Base of every error the toolkit raises on purpose."""


class PackError(XfkitError):
    """A scenario pack cannot be loaded or used."""


class PackFileError(PackError):
    """One problem in one pack file, located by file, line and field path."""

    def __init__(self, file: str, message: str, *, line: int | None = None, field: str = "") -> None:
        self.file = file
        self.line = line
        self.field = field
        self.message = message
        super().__init__(self.describe())

    def describe(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        return f"{where}: {self.field}: {self.message}" if self.field else f"{where}: {self.message}"


class SchemaVersionError(PackFileError):
    """A pack file's ``schema_version`` is not one this toolkit can read."""


class PackInvalid(PackError):
    """All problems found in a pack, so a trainer can fix them in one pass."""

    def __init__(self, pack: str, problems: Sequence[PackFileError]) -> None:
        self.pack = pack
        self.problems = list(problems)
        lines = "\n".join(f"  {p.describe()}" for p in self.problems)
        super().__init__(f"pack {pack!r} has {len(self.problems)} problem(s):\n{lines}")


class CalendarError(XfkitError):
    """Working-day arithmetic cannot be done."""


class CalendarRangeError(CalendarError):
    """A date lies outside the years for which holiday data is known."""


class RuleError(XfkitError):
    """A deadline or card rule cannot be applied."""


class GenerationError(XfkitError):
    """The generator cannot satisfy the request."""


class AnswerInvalid(XfkitError):
    """An answer that cannot be scored: each of ``problems`` names the field, e.g. ``route.unit: ...``."""

    def __init__(self, problems: Sequence[str]) -> None:
        self.problems = list(problems)
        lines = "\n".join(f"  {p}" for p in self.problems)
        super().__init__(f"the answer has {len(self.problems)} problem(s):\n{lines}")


@dataclass(frozen=True, slots=True)
class LedgerProblem:
    """One problem in a ledger file.

    ``row`` is the row number a person sees in a spreadsheet (the header is row 1 unless title rows come
    before it; for JSON lines the line number), ``None`` for the file as a whole; ``column`` is the
    column's header as the file writes it ("" when the problem is not about one column).
    """

    row: int | None
    column: str
    message: str

    def describe(self, file: str) -> str:
        """``file:row N: column: message`` (the parts that apply)."""
        where = file if self.row is None else f"{file}:row {self.row}"
        return f"{where}: {self.column}: {self.message}" if self.column else f"{where}: {self.message}"

    def to_dict(self) -> dict[str, Any]:
        return {"row": self.row, "column": self.column, "message": self.message}


class LedgerInvalid(XfkitError):
    """Every problem found in a ledger file. Nothing of the file was imported."""

    #: problems listed by ``str()``; the rest are counted
    SHOWN = 50

    def __init__(self, file: str, problems: Sequence[LedgerProblem]) -> None:
        self.file = file
        self.problems = list(problems)
        super().__init__(file, self.problems)

    def lines(self) -> list[str]:
        """Every problem as ``file:row N: column: message``."""
        return [p.describe(self.file) for p in self.problems]

    def __str__(self) -> str:
        n = len(self.problems)
        head = f"{self.file}: {n} problem{'s' if n != 1 else ''}; nothing was imported:"
        shown = [f"  {p.describe(self.file)}" for p in self.problems[: self.SHOWN]]
        more = [f"  … and {n - self.SHOWN} more"] if n > self.SHOWN else []
        return "\n".join([head, *shown, *more])


class StoreError(XfkitError):
    """The submission store cannot do what was asked."""


class StoreConfigError(StoreError):
    """The database URL cannot be used: bad dialect or syntax, unreachable server, unwritable folder."""


class StoreVersionError(StoreError):
    """The database carries a schema version newer than this toolkit's migrations."""


class AppendOnlyViolation(StoreError):
    """Something tried to change or remove a stored submission or score."""


class AccessDenied(XfkitError):
    """The page or action needs a role (such as trainer) that the visitor does not have."""


class AuditError(XfkitError):
    """An audit cannot be set up or run as asked: a bad sampling rate, an unknown stratum, no reviewers ..."""


class AssignmentInfeasible(AuditError):
    """Cross-review assignment is impossible: some unit's items have too few reviewers from other units.

    Attributes
    ----------
    unit
        The unit whose items cannot get enough reviewers ("" when the shortage is not one unit's).
    needed, available
        Reviewers each of its items needs (k) and reviewers outside it.
    """

    def __init__(self, message: str, *, unit: str = "", needed: int = 0, available: int = 0) -> None:
        self.unit = unit
        self.needed = needed
        self.available = available
        super().__init__(message)


class ContestRefused(XfkitError):
    """A competition action the server refuses: a late or duplicate submission, a round not running, a name
    already taken, a trainer action that does not fit the round's state.

    Attributes
    ----------
    reason
        A short code: ``"late"``, ``"duplicate"``, ``"not-running"``, ``"name-taken"``, ``"bad-pin"``,
        ``"bad-action"``, ``"unknown"``.
    """

    def __init__(self, reason: str, message: str) -> None:
        self.reason = reason
        super().__init__(message)
