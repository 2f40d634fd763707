"""Masking the reporter's personal data: names, phones and ID numbers, listed or found in free text, and
whole generated dossiers (50 seeds) in which no particular of the reporter survives."""

from __future__ import annotations

import copy
import json
from datetime import date

import pytest

from toolkit.audit.masking import (
    Masker,
    mask_document_dict,
    mask_dossier,
    mask_id_number,
    mask_name,
    mask_personal,
    mask_phone,
    masked_item_view,
    personal_of_case,
)
from toolkit.audit.model import AuditItem, DossierRef
from toolkit.domain.codes import Level
from toolkit.generate.cases import CaseGenerator
from toolkit.generate.pick import pick_dossier


@pytest.mark.parametrize(
    ("name", "masked"),
    [("张三丰", "张**"), ("李四", "李*"), ("王", "*"), ("欧阳修", "欧**"), (" 曹天波 ", "曹**"), ("", "")],
)
def test_names_keep_only_their_first_character(name: str, masked: str) -> None:
    assert mask_name(name) == masked


@pytest.mark.parametrize(
    ("number", "masked"),
    [
        ("13812341234", "138****1234"),
        ("138-1234-1234", "138-****-1234"),
        ("+86 138 1234 1234", "+86 138 **** 1234"),
        ("0571-88886666", "0571-******66"),
        ("057188886666", "0571******66"),
        ("010-12345678", "010-******78"),
        ("02112345678", "021******78"),
        ("(0795)6123456", "(0795)*****56"),
        ("12345", "***45"),
        ("1234", "****"),
    ],
)
def test_phones_keep_a_few_digits(number: str, masked: str) -> None:
    assert mask_phone(number) == masked


@pytest.mark.parametrize(
    ("number", "masked"),
    [
        ("36110319770901491X", "361*************1X"),
        ("361102197207112206", "361*************06"),
        ("361102720711220", "361**********20"),
        ("12345", "*****"),
    ],
)
def test_id_numbers_keep_first_3_and_last_2(number: str, masked: str) -> None:
    assert mask_id_number(number) == masked
    assert len(masked) == len(number)


def test_listed_values_are_masked_by_their_shape() -> None:
    assert mask_personal("36110319770901491X") == "361*************1X"
    assert mask_personal("13520284042") == "135****4042"
    assert mask_personal("0795-6123456") == "0795-*****56"
    assert mask_personal("曹天波") == "曹**"


def test_the_masker_replaces_listed_particulars_everywhere() -> None:
    masker = Masker(["曹天波", "13520284042", "36110319770901491X", "", "  "])
    text = "举报人曹天波(身份证号36110319770901491X)，联系电话13520284042。曹天波称……"
    assert masker(text) == "举报人曹**(身份证号361*************1X)，联系电话135****4042。曹**称……"
    assert masker.personal == ("36110319770901491X", "13520284042", "曹天波")


def test_longer_particulars_are_replaced_first() -> None:
    masker = Masker(["张三", "张三丰"])
    assert masker("张三丰和张三") == "张**和张*"


def test_unlisted_numbers_in_free_text_are_masked() -> None:
    masker = Masker(())
    text = (
        "证人王五(电话139 1234 5678)说，会计的手机是15011112222，座机0795-6123456，"
        "另有(010)87654321；其身份证号110101199001011234。"
    )
    assert masker(text) == (
        "证人王五(电话139 **** 5678)说，会计的手机是150****2222，座机0795-*****56，"
        "另有(010)******21；其身份证号110*************34。"
    )


def test_other_numbers_are_left_alone() -> None:
    masker = Masker(())
    text = (
        "清纪信登〔2025〕0674号，2025年7月25日(2025-07-25)收到，金额63500元，"
        "卡号6222138123412345678，共12345678910111213人次"
    )
    assert masker(text) == text


def test_a_mobile_inside_a_longer_digit_run_is_not_a_mobile() -> None:
    assert Masker(())("编号913812341234") == "编号913812341234"
    assert Masker(())("编号a13812341234b") == "编号a138****1234b"


def _document() -> dict[str, object]:
    return {
        "id": "d1",
        "type": "registration",
        "title": "曹天波来信登记表",
        "date": "2025-03-05",
        "fields": [
            {"key": "reporter", "label": "举报人", "value": "曹天波", "data": "曹天波"},
            {"key": "phone", "label": "联系电话", "value": "13520284042", "data": "13520284042"},
            {"key": "count", "label": "件数", "value": "1", "data": None},
        ],
        "paragraphs": ["曹天波反映……", "证人电话15011112222"],
    }


def test_a_document_dict_is_masked_without_changing_the_input() -> None:
    doc = _document()
    before = copy.deepcopy(doc)
    masked = mask_document_dict(doc, Masker(["曹天波", "13520284042"]))
    assert doc == before
    assert masked == {
        "id": "d1",
        "type": "registration",
        "title": "曹**来信登记表",
        "date": "2025-03-05",
        "fields": [
            {"key": "reporter", "label": "举报人", "value": "曹**", "data": "曹**"},
            {"key": "phone", "label": "联系电话", "value": "135****4042", "data": "135****4042"},
            {"key": "count", "label": "件数", "value": "1", "data": None},
        ],
        "paragraphs": ["曹**反映……", "证人电话150****2222"],
    }


def test_codes_made_by_the_toolkit_are_not_masked() -> None:
    public = {"id": "dossier-a13812341234", "pack": "default@1.0.0", "level": "medium", "documents": []}
    assert mask_dossier(public, Masker(())) == public


def test_the_item_view_is_masked_and_has_no_personal_data() -> None:
    item = AuditItem(
        id="QH-2025-0001",
        unit="t_liulin",
        unit_name="柳林镇纪委",
        category="accusation",
        status="closed",
        problem_type="gift_money",
        channel="letter",
        received=date(2025, 3, 5),
        summary="曹天波(13520284042)反映某村干部收受礼金",
        personal=("曹天波", "13520284042", "36110319770901491X"),
        fields=(("举报人", "曹天波"), ("身份证号", "36110319770901491X"), ("证人电话", "15011112222")),
        dossier=DossierRef(7, "medium"),
    )
    view = masked_item_view(item)
    assert set(view) == {
        "id",
        "unit_name",
        "category",
        "status",
        "problem_type",
        "channel",
        "received",
        "summary",
        "fields",
    }
    assert view["summary"] == "曹**(135****4042)反映某村干部收受礼金"
    assert view["fields"] == [
        ["举报人", "曹**"],
        ["身份证号", "361*************1X"],
        ["证人电话", "150****2222"],
    ]
    assert view["received"] == "2025-03-05" and view["unit_name"] == "柳林镇纪委"
    text = json.dumps(view, ensure_ascii=False)
    for value in item.personal:
        assert value not in text
    assert "seed" not in text and "dossier" not in text


def test_personal_of_case_gives_the_reporters_particulars(generator: CaseGenerator) -> None:
    cases = [generator.case(seed, 0, Level.MEDIUM) for seed in range(30)]
    named = [c for c in cases if c.reporter.name]
    anonymous = [c for c in cases if c.reporter.name is None]
    assert named and anonymous
    for case in named:
        r = case.reporter
        assert personal_of_case(case) == tuple(v for v in (r.name, r.phone, r.id_number) if v)
    for case in anonymous:
        assert personal_of_case(case) == ()


def test_no_particular_of_the_reporter_survives_in_a_masked_dossier(generator: CaseGenerator) -> None:
    shown = 0
    for seed in range(50):
        dossier = pick_dossier(generator, seed, Level.MEDIUM)
        case = generator.case(dossier.seed, dossier.index, dossier.level)
        assert case.id == dossier.case_id
        personal = personal_of_case(case)
        masker = Masker(personal)
        public = dossier.public_dict()
        before = json.dumps(public, ensure_ascii=False)
        after = json.dumps(mask_dossier(public, masker), ensure_ascii=False)
        assert json.dumps(public, ensure_ascii=False) == before, "the input is not changed"
        for value in personal:
            assert value not in after, (seed, value)
            if value in before:
                shown += 1
                assert mask_personal(value) in after, (seed, value)
        masked = mask_dossier(public, masker)
        assert [d["id"] for d in masked["documents"]] == [d.id for d in dossier.documents]
    assert shown > 20, "the reporter's particulars should appear in many dossiers"
