"""Setting up an audit: sample the population, assign reviewers, hand each reviewer a link token.

:func:`new_audit` puts the pure steps together (:func:`~toolkit.audit.sampling.draw_sample`, then
:func:`~toolkit.audit.assignment.assign_reviewers` on the sampled items) and returns the
:class:`~toolkit.audit.model.Audit` to store. :func:`parse_reviewers` reads a reviewers list (CSV bytes).
"""

from __future__ import annotations

import csv
import io
import random
import secrets
from collections.abc import Sequence

from toolkit.audit.assignment import assign_reviewers
from toolkit.audit.model import Audit, AuditItem, Reviewer
from toolkit.audit.sampling import draw_sample
from toolkit.errors import AuditError
from toolkit.packs import Pack

__all__ = [
    "REVIEWER_HEADERS",
    "demo_reviewers",
    "new_audit",
    "parse_reviewers",
    "reviewers_csv",
    "unknown_units",
]

#: accepted headers of a reviewers file, per column
REVIEWER_HEADERS: dict[str, tuple[str, ...]] = {
    "name": ("name", "姓名", "评查人员", "评查人", "reviewer"),
    "unit": ("unit", "单位", "所在单位", "unit_code"),
}
MAX_REVIEWERS = 500


def new_audit(
    *,
    name: str,
    pack: str,
    source: str,
    population: Sequence[AuditItem],
    reviewers: Sequence[Reviewer],
    seed: int,
    by: Sequence[str] = (),
    rate: float | None = None,
    min_per_stratum: int = 0,
    confidence: float | None = None,
    margin: float = 0.05,
    k: int = 2,
) -> Audit:
    """Sample ``population``, assign ``k`` reviewers to every sampled item, and return the new audit.

    The sample and the assignment are seeded (the same inputs and seed give the same audit, apart from its
    id and the reviewers' link tokens, which are random).

    Raises
    ------
    AuditError
        Bad sampling parameters, an empty name or population.
    AssignmentInfeasible
        Too few reviewers outside some unit; the message names it.
    """
    if not name.strip():
        raise AuditError("name: give the audit a name")
    sample = draw_sample(
        population,
        seed=seed,
        by=by,
        rate=rate,
        min_per_stratum=min_per_stratum,
        confidence=confidence,
        margin=margin,
    )
    chosen = set(sample.item_ids)
    items = tuple(item for item in population if item.id in chosen)
    assignment = assign_reviewers(items, reviewers, k=k, seed=seed)
    return Audit(
        id="AU-" + secrets.token_hex(4).upper(),
        name=name.strip(),
        pack=pack,
        source=source,
        items=items,
        reviewers=tuple(reviewers),
        sample=sample,
        assignment=assignment,
        tokens={r.name: secrets.token_urlsafe(12) for r in reviewers},
    )


def _decode(raw: bytes, source: str) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise AuditError(f"{source}: not UTF-8 or GB18030 text; save it as CSV in UTF-8")


def parse_reviewers(raw: bytes, source: str = "reviewers.csv") -> tuple[Reviewer, ...]:
    """Reviewers from a CSV file's bytes: a header row with a name and a unit column, one reviewer a row.

    The unit may be the unit's code or its name as the pack writes it. Raises :class:`AuditError` naming
    the file, row and column for an unreadable file, a missing column, an empty cell or a name given twice.
    """
    text = _decode(raw, source)
    numbered = [
        (n, row)
        for n, row in enumerate(csv.reader(io.StringIO(text)), start=1)
        if any(c.strip() for c in row)
    ]
    if not numbered:
        raise AuditError(f"{source}: the file is empty")
    header_row, header_cells = numbered[0]
    header = [cell.strip().lower() for cell in header_cells]
    index: dict[str, int] = {}
    for key, names in REVIEWER_HEADERS.items():
        found = [i for i, cell in enumerate(header) if cell in names]
        if not found:
            raise AuditError(
                f"{source}: row {header_row}: no {key} column (headers found: {', '.join(header_cells)}; "
                f"use one of {', '.join(names)})"
            )
        index[key] = found[0]
    reviewers: list[Reviewer] = []
    seen: dict[str, int] = {}
    problems: list[str] = []
    for number, row in numbered[1:]:
        cells = {key: row[i].strip() if i < len(row) else "" for key, i in index.items()}
        for key, value in cells.items():
            if not value:
                problems.append(f"{source}: row {number}: {key} is empty")
        if not all(cells.values()):
            continue
        if cells["name"] in seen:
            problems.append(
                f"{source}: row {number}: name {cells['name']} is already on row {seen[cells['name']]}"
            )
            continue
        seen[cells["name"]] = number
        reviewers.append(Reviewer(cells["name"], cells["unit"]))
    if problems:
        raise AuditError("\n".join(problems))
    if not reviewers:
        raise AuditError(f"{source}: no reviewers listed")
    if len(reviewers) > MAX_REVIEWERS:
        raise AuditError(f"{source}: {len(reviewers)} reviewers, more than {MAX_REVIEWERS}")
    return tuple(reviewers)


def demo_reviewers(pack: Pack, seed: int = 2025, count: int = 8) -> tuple[Reviewer, ...]:
    """``count`` made-up reviewers, one per unit, from the pack's town commissions and offices (seeded)."""
    rng = random.Random(f"{seed}|demo-reviewers")
    j = pack.jurisdiction
    units = [t.commission.code for t in j.towns] + [o.code for o in j.offices]
    chosen = rng.sample(units, min(count, len(units)))
    words = pack.words
    names: set[str] = set()
    out: list[Reviewer] = []
    for unit in chosen:
        while True:
            name = rng.choice(words.surnames) + rng.choice(words.given_any)
            if name not in names:
                break
        names.add(name)
        out.append(Reviewer(name, unit))
    return tuple(out)


def unknown_units(reviewers: Sequence[Reviewer], pack: Pack) -> list[str]:
    """The units of ``reviewers`` the pack knows neither as a code nor as a name (likely misspelt).

    Such a reviewer is never "from" any audited unit, so nothing stops them reviewing their own unit's
    items: callers warn about these.
    """
    j = pack.jurisdiction
    names = {j.name(code) for code in j.codes()}
    return sorted({r.unit for r in reviewers if not j.has(r.unit) and r.unit not in names})


def reviewers_csv(reviewers: Sequence[Reviewer]) -> str:
    """Reviewers as the CSV text :func:`parse_reviewers` reads (header ``name,unit``)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["name", "unit"])
    for r in reviewers:
        writer.writerow([r.name, r.unit])
    return buffer.getvalue()
