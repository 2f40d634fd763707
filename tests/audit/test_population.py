"""The population of an audit: rows of an imported ledger, or generated dossiers rebuilt from their seeds."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from toolkit.audit.model import AuditItem, Deduction, Review, Reviewer
from toolkit.audit.population import (
    LEDGER_FIELDS,
    dossier_population,
    ledger_population,
    rebuild,
    results_for,
)
from toolkit.audit.setup import new_audit
from toolkit.domain.dossier import Dossier
from toolkit.errors import AuditError
from toolkit.generate.cases import CaseGenerator
from toolkit.generate.ledger import ledger_items
from toolkit.ledger.export import write_ledger, write_ledger_frame
from toolkit.ledger.importer import read_ledger
from toolkit.packs import Pack

# town codes: no generated item is ever handled by a town itself, so these reviewers may review anything
OUTSIDERS = (Reviewer("甲", "t01"), Reviewer("乙", "t02"), Reviewer("丙", "t03"))

Population = tuple[tuple[AuditItem, ...], dict[str, Dossier]]


@pytest.fixture(scope="module")
def frame(tmp_path_factory: pytest.TempPathFactory, generator: CaseGenerator, pack: Pack) -> pd.DataFrame:
    path = tmp_path_factory.mktemp("ledger") / "ledger.csv"
    write_ledger(ledger_items(generator, 4, 120), pack, path)
    return read_ledger(path, pack)


@pytest.fixture(scope="module")
def dossiers(pack: Pack) -> Population:
    return dossier_population(pack, 5, 12)


def test_one_item_per_ledger_row(frame: pd.DataFrame, pack: Pack) -> None:
    items = ledger_population(frame, pack)
    assert [i.id for i in items] == list(frame["id"])
    records = frame.to_dict("records")
    named = 0
    for item, row in zip(items, records, strict=True):
        assert item.unit == row["handler_unit"]
        assert item.unit_name == pack.jurisdiction.name(row["handler_unit"])
        assert (item.category, item.status, item.channel) == (row["category"], row["status"], row["channel"])
        assert item.problem_type == row["problem_type"]
        assert item.received == row["received"].date()
        assert item.summary == row["summary"]
        assert item.dossier is None
        assert [key for key, _ in item.fields] == list(LEDGER_FIELDS)
        if row["reporter_name"]:
            named += 1
            assert item.personal == (row["reporter_name"],)
            assert "anonymous" not in row["flags"]
        else:
            assert item.personal == ()
            assert "anonymous" in row["flags"]
    assert 0 < named < len(items)  # both kinds occur


def test_ledger_fields_keep_empty_values_empty(frame: pd.DataFrame, pack: Pack) -> None:
    open_rows = frame[frame["closed"].isna()]
    assert len(open_rows) > 0
    items = {i.id: i for i in ledger_population(open_rows, pack)}
    for item in items.values():
        fields = dict(item.fields)
        assert fields["closed"] == ""
        assert "nan" not in fields.values() and "NaT" not in fields.values()


def test_dossier_population_is_reproducible(dossiers: Population, pack: Pack) -> None:
    items, by_id = dossiers
    again, _ = dossier_population(pack, 5, 12)
    other, _ = dossier_population(pack, 6, 12)
    assert len(items) == 12 == len({i.id for i in items})
    assert [i.to_dict() for i in again] == [i.to_dict() for i in items]
    assert {i.id for i in other}.isdisjoint(i.id for i in items)
    assert set(by_id) == {i.id for i in items}
    assert any(by_id[i.id].answer_key for i in items)


def test_each_dossier_item_rebuilds_its_dossier(
    dossiers: Population,
    pack: Pack,
) -> None:
    items, by_id = dossiers
    gen = CaseGenerator(pack)
    for item in items:
        assert item.dossier is not None
        dossier = rebuild(item, gen)
        assert dossier is not None
        assert dossier.id == item.id
        assert dossier.to_dict() == by_id[item.id].to_dict()
        assert item.unit_name == pack.jurisdiction.name(item.unit)


def test_dossier_items_carry_no_fields_and_no_answer_key(
    dossiers: Population,
) -> None:
    items, by_id = dossiers
    for item in items:
        data = item.to_dict()
        assert data["fields"] == [] and data["summary"] == ""
        shown = json.dumps(data["fields"], ensure_ascii=False)
        assert not any(value in shown for value in item.personal)
        whole = json.dumps(data, ensure_ascii=False)
        assert "answer_key" not in whole
        for planted in by_id[item.id].answer_key:
            assert planted.defect not in whole


def test_a_ledger_item_rebuilds_nothing(frame: pd.DataFrame, pack: Pack, generator: CaseGenerator) -> None:
    assert rebuild(ledger_population(frame.head(1), pack)[0], generator) is None


@pytest.mark.parametrize("count", [0, -1, 2001])
def test_dossier_count_is_bounded(pack: Pack, count: int) -> None:
    with pytest.raises(AuditError, match="dossiers"):
        dossier_population(pack, 5, count)


def test_naming_a_planted_defect_counts_as_found(
    dossiers: Population,
    pack: Pack,
) -> None:
    items, by_id = dossiers
    audit = new_audit(
        name="校准",
        pack=pack.ref,
        source="dossiers:12",
        population=items,
        reviewers=OUTSIDERS,
        seed=5,
        rate=1.0,
        k=2,
    )
    item = next(i for i in audit.items if by_id[i.id].answer_key)
    planted = by_id[item.id].answer_key
    target = planted[0].defect
    # a sub-item of a rubric dimension that covers none of the planted defects: only the name can match
    rubric = pack.audit_rubric
    kinds = {code: str(t.dimension) for code, t in pack.defects.types.items()}
    covered = {getattr(rubric.dimension_for_defect(kinds[p.defect]), "code", "") for p in planted}
    dimension = next(d for d in rubric.dimensions if d.code not in covered)
    subitem = dimension.subitems[0].code

    naming, silent = audit.assignment.pairs[item.id]
    reviews = [
        Review(item.id, naming, (Deduction(subitem, 1.0, "见登记表", defect=target),), done=True),
        Review(item.id, silent, (Deduction(subitem, 1.0, "见登记表"),), done=True),
    ]
    results = results_for(audit, reviews, pack)
    calibration = {c.reviewer: c for c in results.calibration}
    assert set(calibration) == {naming, silent}
    found = calibration[naming]
    assert (found.items, found.planted) == (1, len(planted))
    assert found.found == sum(p.defect == target for p in planted) >= 1
    assert found.false_deductions == 0
    missed = calibration[silent]
    assert (missed.items, missed.planted, missed.found, missed.false_deductions) == (1, len(planted), 0, 1)


def test_ledger_audits_have_no_calibration(frame: pd.DataFrame, pack: Pack) -> None:
    population = ledger_population(frame, pack)
    audit = new_audit(
        name="台账评查",
        pack=pack.ref,
        source="ledger:x.csv",
        population=population,
        reviewers=OUTSIDERS,
        seed=2,
        rate=0.05,
        k=2,
    )
    item = audit.items[0]
    reviews = [Review(item.id, name, done=True) for name in audit.assignment.pairs[item.id]]
    results = results_for(audit, reviews, pack)
    assert results.calibration == ()
    assert sum(r.complete for r in results.items) == 1


def test_ledger_file_round_trip_keeps_the_population(tmp_path: Path, frame: pd.DataFrame, pack: Pack) -> None:
    path = tmp_path / "again.csv"
    write_ledger_frame(frame, path, pack)
    again = ledger_population(read_ledger(path, pack), pack)
    assert again == ledger_population(frame, pack)
