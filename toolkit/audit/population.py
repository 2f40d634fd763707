"""The population an audit samples from: rows of an imported ledger, or generated dossiers.

A ledger row becomes an :class:`~toolkit.audit.model.AuditItem` with the row's fields (codes, translated on
the page) and the reporter's name as personal data to mask. A generated dossier becomes an item that
remembers how to rebuild the dossier (seed and level); its answer key is rebuilt on the server when a report
calibrates reviewers, and never stored with the audit.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

from toolkit.audit.model import Audit, AuditItem, DossierRef, Review
from toolkit.domain.codes import ItemStatus, Level
from toolkit.domain.dossier import Dossier
from toolkit.domain.models import Case
from toolkit.errors import AuditError, GenerationError
from toolkit.generate.cases import CaseGenerator
from toolkit.generate.dossiers import build_dossier
from toolkit.generate.pick import MAX_TRIES, pick_dossier
from toolkit.packs import Pack

if TYPE_CHECKING:
    import pandas as pd

    from toolkit.audit.results import AuditResults

__all__ = [
    "LEDGER_FIELDS",
    "dossier_item",
    "dossier_population",
    "ledger_population",
    "rebuild",
    "rebuild_all",
    "results_for",
]

#: ledger columns shown to a reviewer for a ledger item, in this order (labels come from the catalogue)
LEDGER_FIELDS: tuple[str, ...] = (
    "received",
    "channel",
    "reporter_name",
    "accused_name",
    "accused_unit",
    "category",
    "problem_type",
    "flags",
    "route_action",
    "handler_unit",
    "deadline",
    "due",
    "status",
    "closed",
)

#: the most dossiers one audit may generate (each takes about a millisecond, and a page lists them all)
MAX_DOSSIERS = 2000


# pandas is imported where a ledger frame is read: the reviewer's page never needs it (about 30 MB)
def _day(value: Any) -> date | None:
    import pandas as pd

    return None if pd.isna(value) else pd.Timestamp(value).date()


def _text(value: Any) -> str:
    import pandas as pd

    if isinstance(value, pd.Timestamp):
        return value.date().isoformat()
    return "" if value is None or (not isinstance(value, str) and pd.isna(value)) else str(value)


def ledger_population(frame: pd.DataFrame, pack: Pack) -> tuple[AuditItem, ...]:
    """Every row of a canonical ledger frame (:mod:`toolkit.ledger.frame`) as an audit item.

    The audited unit is the row's handling unit; the reporter's name is the personal data to mask.
    """
    items: list[AuditItem] = []
    for record in frame.to_dict("records"):
        unit = str(record["handler_unit"])
        reporter = _text(record["reporter_name"])
        items.append(
            AuditItem(
                id=str(record["id"]),
                unit=unit,
                unit_name=pack.jurisdiction.name(unit) if pack.jurisdiction.has(unit) else unit,
                category=str(record["category"]),
                status=str(record["status"]),
                problem_type=str(record["problem_type"]),
                channel=str(record["channel"]),
                received=_day(record["received"]),
                summary=_text(record["summary"]),
                personal=(reporter,) if reporter else (),
                fields=tuple((key, _text(record[key])) for key in LEDGER_FIELDS),
            )
        )
    return tuple(items)


def dossier_item(dossier: Dossier, case: Case, pack: Pack, ref: DossierRef | None = None) -> AuditItem:
    """The audit item for a generated dossier of ``case``."""
    from toolkit.audit.masking import personal_of_case

    unit = case.truth.route.unit
    return AuditItem(
        id=dossier.id,
        unit=unit,
        unit_name=pack.jurisdiction.name(unit) if pack.jurisdiction.has(unit) else unit,
        category=str(case.truth.category),
        status=str(ItemStatus.CLOSED),
        problem_type=case.truth.problem_type,
        channel=str(case.channel),
        received=case.received_at.date(),
        summary="",
        personal=personal_of_case(case),
        dossier=ref or DossierRef(dossier.seed, str(dossier.level), dossier.index, len(dossier.answer_key)),
    )


#: planted defects per dossier of an audit population, drawn uniformly (0: a clean file)
AUDIT_DEFECTS: tuple[int, ...] = (0, 1, 1, 2, 2, 3)


def dossier_population(pack: Pack, seed: int, count: int) -> tuple[tuple[AuditItem, ...], dict[str, Dossier]]:
    """``count`` generated dossiers of one seed (levels mixed, 0–3 planted defects each) as audit items.

    Returns the items and the dossiers by item id (answer keys included: keep them on the server).
    The same pack, seed and count give the same items everywhere. All cases come from the one seed, so the
    history ledger they are checked against is built once.
    """
    if not 1 <= count <= MAX_DOSSIERS:
        raise AuditError(f"dossiers: give between 1 and {MAX_DOSSIERS}, not {count}")
    gen = CaseGenerator(pack)
    rng = random.Random(f"{seed}|audit-population")
    levels = tuple(Level)
    items: list[AuditItem] = []
    dossiers: dict[str, Dossier] = {}
    index = 0
    while len(items) < count:
        level, defects = rng.choice(levels), rng.choice(AUDIT_DEFECTS)
        for _ in range(MAX_TRIES):
            index += 1
            try:
                dossier = build_dossier(gen, seed, index, defects=defects, level=level)
                break
            except GenerationError:
                continue
        else:
            raise AuditError(
                f"dossiers: no dossier with {defects} defect(s) near case {index} of seed {seed}"
            )
        case = gen.case(seed, index, level)
        item = dossier_item(dossier, case, pack, DossierRef(seed, str(level), index, defects))
        items.append(item)
        dossiers[item.id] = dossier
    return tuple(items), dossiers


def rebuild(item: AuditItem, gen: CaseGenerator) -> Dossier | None:
    """The dossier behind a generated item, rebuilt from its seed (None for a ledger item)."""
    ref = item.dossier
    if ref is None:
        return None
    if ref.defects is None:
        return pick_dossier(gen, ref.seed, Level(ref.level))
    return build_dossier(gen, ref.seed, ref.index, defects=ref.defects, level=Level(ref.level))


def rebuild_all(items: Sequence[AuditItem], gen: CaseGenerator) -> dict[str, Dossier]:
    """The dossiers behind every generated item, by item id."""
    out: dict[str, Dossier] = {}
    for item in items:
        dossier = rebuild(item, gen)
        if dossier is not None:
            out[item.id] = dossier
    return out


def results_for(audit: Audit, reviews: Sequence[Review], pack: Pack) -> AuditResults:
    """The audit's results with reviewer calibration against the answer keys of its generated dossiers."""
    from toolkit.audit.results import audit_results

    dossiers = rebuild_all(audit.items, CaseGenerator(pack))
    keys = {item_id: dossier.answer_key for item_id, dossier in dossiers.items()}
    dimensions = {code: str(t.dimension) for code, t in pack.defects.types.items()}
    return audit_results(audit, reviews, pack.audit_rubric, answer_keys=keys, defect_dimensions=dimensions)
