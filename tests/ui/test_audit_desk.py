"""The audit organiser's desk: preview a sample, create an audit, follow it, download its reports."""

from __future__ import annotations

import base64
import io
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from tests.ui.pages import DESK_SECRET as SECRET
from tests.ui.pages import make_desk as make
from toolkit.audit.model import Deduction, Review
from toolkit.audit.population import dossier_population
from toolkit.audit.review import score_review
from toolkit.generate.cases import CaseGenerator
from toolkit.generate.ledger import ledger_items
from toolkit.ledger.export import write_ledger
from toolkit.packs import Pack
from toolkit.store import Store
from toolkit.ui.audit_desk import AuditDesk, audit_desk_app
from toolkit.ui.context import context_from_query


@pytest.fixture
def data_dir(tmp_path: Path, pack: Pack, generator: CaseGenerator) -> Path:
    folder = tmp_path / "data"
    (folder / "demo").mkdir(parents=True)
    write_ledger(ledger_items(generator, 3, 240), pack, folder / "demo" / "ledger.xlsx")
    return folder


@pytest.fixture
def db(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'desk.sqlite3'}"


def download(desk: AuditDesk, suffix: str) -> bytes:
    match = re.search(
        rf'download="[^"]+{re.escape(suffix)}" href="data:[^;]+(?:;charset=utf-8)?;base64,([^"]+)"',
        desk.downloads.value,
    )
    assert match, desk.downloads.value[:300]
    return base64.b64decode(match.group(1))


def test_preview_shows_the_formula_and_the_composition(
    pack: Pack, generator: CaseGenerator, db: str, data_dir: Path, text_of: Callable[[Any], str]
) -> None:
    desk = make(pack, generator, db, data_dir)
    desk.rate.value = 0.1
    desk.min_per_stratum.value = 2
    desk.preview_button.click()
    text = text_of(desk.preview_out)
    assert "⌈0.10 × N_h⌉" in text or "0.1" in text
    assert "信访室" in text or "纪委" in text  # strata labelled by unit name
    desk.method.value = "confidence"
    desk.preview_button.click()
    assert "n0 =" in text_of(desk.preview_out)
    with Store.open(db) as store:
        assert store.audits() == []  # a preview stores nothing


def test_creating_an_audit_stores_it_and_lists_every_reviewers_link(
    pack: Pack, generator: CaseGenerator, db: str, data_dir: Path
) -> None:
    desk = make(pack, generator, db, data_dir)
    desk.create_button.click()
    assert desk.page.messages.kind == "info", desk.page.messages.text
    with Store.open(db) as store:
        (record,) = store.audits()
        audit = store.audit(record.id)
    assert audit is not None
    links = re.findall(r'href="([^"]+audit\.ipynb\?[^"]+)"', desk.created.value)
    assert len(links) == len(audit.reviewers)
    for reviewer in audit.reviewers:
        assert any(f"r={audit.tokens[reviewer.name]}" in link for link in links)
    assert desk.pick.value == audit.id


def test_an_impossible_assignment_names_the_unit_and_stores_nothing(
    pack: Pack, generator: CaseGenerator, db: str, data_dir: Path
) -> None:
    desk = make(pack, generator, db, data_dir)
    desk.source.value = "dossiers"
    desk.dossiers.value = 30
    desk.rate.value = 1.0
    # a population with items the 信访室 handled (items logged and kept), so that the outsider below is the
    # only reviewer from another unit for them
    desk.seed.value = next(
        seed for seed in range(1, 50) if any(i.unit == "xfs" for i in dossier_population(pack, seed, 30)[0])
    )
    # every reviewer from the one unit that handles letters ... plus one outsider: k = 2 is impossible
    # for the items of that unit
    desk.reviewers.value = "name,unit\n甲,xfs\n乙,xfs\n丙,jc1\n"
    desk.create_button.click()
    assert desk.page.messages.kind == "error"
    assert "信访室" in desk.page.messages.text or "第一纪检监察室" in desk.page.messages.text
    with Store.open(db) as store:
        assert store.audits() == []


def test_a_bad_reviewers_list_names_the_row(
    pack: Pack, generator: CaseGenerator, db: str, data_dir: Path
) -> None:
    desk = make(pack, generator, db, data_dir)
    desk.reviewers.value = "name,unit\n甲,jc1\n甲,jc2\n"
    desk.create_button.click()
    assert desk.page.messages.kind == "error"
    assert "row 3" in desk.page.messages.text


def test_progress_and_downloads_follow_the_saved_reviews(
    pack: Pack, generator: CaseGenerator, db: str, data_dir: Path, text_of: Callable[[Any], str]
) -> None:
    desk = make(pack, generator, db, data_dir)
    desk.create_button.click()
    with Store.open(db) as store:
        audit = store.audit(store.audits()[0].id)
        assert audit is not None
        item = audit.items[0]
        for name in audit.assignment.pairs[item.id]:
            review = Review(item.id, name, (Deduction("facts_items_verified", 4, "依据不足"),), done=True)
            store.save_review(
                audit, review, lambda _s, r=review: score_review(r, pack.audit_rubric).to_dict()
            )
    desk.refresh_button.click()
    assert "1 / " in text_of(desk.progress)
    book = openpyxl.load_workbook(io.BytesIO(download(desk, ".xlsx")))
    assert len(book.sheetnames) >= 6
    report = download(desk, ".html").decode("utf-8")
    assert audit.name in report and item.id in report
    assert "http://" not in report and "https://" not in report
    assert "srcdoc=" in desk.report.value


def test_the_desk_report_says_a_leak_vetoed_the_item(
    pack: Pack, generator: CaseGenerator, db: str, data_dir: Path
) -> None:
    desk = make(pack, generator, db, data_dir)
    desk.create_button.click()
    with Store.open(db) as store:
        audit = store.audit(store.audits()[0].id)
        assert audit is not None
        item = audit.items[0]
        first, *others = audit.assignment.pairs[item.id]
        for name in (first, *others):
            leak = (
                (Deduction("confidentiality_identity", 1, "交办函写明了举报人姓名"),) if name == first else ()
            )
            review = Review(item.id, name, leak, done=True)
            store.save_review(
                audit, review, lambda _s, r=review: score_review(r, pack.audit_rubric).to_dict()
            )
    desk.refresh_button.click()
    vetoed = "不合格（否决项：举报人信息保密）"
    report = download(desk, ".html").decode("utf-8")
    assert vetoed in report and "一票否决的案件" in report
    book = openpyxl.load_workbook(io.BytesIO(download(desk, ".xlsx")))
    scores = {row[0]: row for row in book["评分"].iter_rows(min_row=2, values_only=True)}
    assert vetoed in scores[item.id]


def test_only_a_trainer_gets_the_desk(pack: Pack, db: str, data_dir: Path) -> None:
    page = audit_desk_app(
        context_from_query("", secret=SECRET, default="zh"), store=db, data_dir=str(data_dir)
    )
    assert page.messages.kind == "error"
    assert not page.body.children
