"""Setting up an audit: reading a reviewers file, sampling and assigning in one step, link tokens."""

from __future__ import annotations

import secrets

import pytest

from toolkit.audit.model import Audit, AuditItem, Reviewer
from toolkit.audit.setup import demo_reviewers, new_audit, parse_reviewers, reviewers_csv
from toolkit.errors import AssignmentInfeasible, AuditError
from toolkit.packs import Pack

ZH = "姓名,单位\n张三,xfs\n李四,第一纪检监察室\n王五,t01_cdi\n"
EXPECTED = (Reviewer("张三", "xfs"), Reviewer("李四", "第一纪检监察室"), Reviewer("王五", "t01_cdi"))


@pytest.mark.parametrize(
    "raw",
    [ZH.encode("utf-8"), ZH.encode("utf-8-sig"), ZH.encode("gbk"), ZH.replace("\n", "\r\n").encode("gbk")],
    ids=["utf-8", "utf-8-bom", "gbk", "gbk-crlf"],
)
def test_reviewers_in_any_usual_encoding(raw: bytes) -> None:
    assert parse_reviewers(raw, "r.csv") == EXPECTED


@pytest.mark.parametrize(
    "text",
    [
        "name,unit\n张三,xfs\n李四,第一纪检监察室\n王五,t01_cdi\n",
        " Name , UNIT \n张三 , xfs\n李四,第一纪检监察室 \n王五,t01_cdi\n",
        "单位,备注,姓名\nxfs,,张三\n第一纪检监察室,组长,李四\nt01_cdi,,王五\n",
        "\n姓名,单位\n\n张三,xfs\n,\n李四,第一纪检监察室\n\n\n王五,t01_cdi\n\n",
    ],
    ids=["english", "padded", "other-order", "blank-lines"],
)
def test_reviewer_headers_and_blank_lines(text: str) -> None:
    assert parse_reviewers(text.encode("utf-8"), "r.csv") == EXPECTED


def test_reviewers_csv_reads_back() -> None:
    assert parse_reviewers(reviewers_csv(EXPECTED).encode("utf-8")) == EXPECTED


@pytest.mark.parametrize(
    ("text", "messages"),
    [
        ("name,department\n张三,xfs\n", ["名单.csv: row 1: no unit column"]),
        ("unit\nxfs\n", ["名单.csv: row 1: no name column"]),
        ("name,unit\n张三,xfs\n李四,\n", ["名单.csv: row 3: unit is empty"]),
        ("name,unit\n张三,xfs\n,jc1\n", ["名单.csv: row 3: name is empty"]),
        ("name,unit\n张三,xfs\n李四\n", ["名单.csv: row 3: unit is empty"]),
        ("name,unit\n张三,xfs\n李四,jc1\n张三,jc2\n", ["名单.csv: row 4: name 张三 is already on row 2"]),
        (
            "name,unit\n张三,xfs\n\n李四,\n张三,jc2\n",
            ["名单.csv: row 4: unit is empty", "名单.csv: row 5: name 张三 is already on row 2"],
        ),
        ("", ["名单.csv: the file is empty"]),
        ("name,unit\n\n", ["名单.csv: no reviewers listed"]),
    ],
    ids=[
        "no-unit",
        "no-name",
        "empty-unit",
        "empty-name",
        "short-row",
        "duplicate",
        "several",
        "empty",
        "header-only",
    ],
)
def test_reviewer_problems_name_file_and_row(text: str, messages: list[str]) -> None:
    with pytest.raises(AuditError) as exc:
        parse_reviewers(text.encode("utf-8"), "名单.csv")
    for message in messages:
        assert message in str(exc.value)
    assert len(str(exc.value).splitlines()) == len(messages)


def test_row_numbers_count_blank_lines_before_the_header() -> None:
    with pytest.raises(AuditError) as exc:
        parse_reviewers(b"\n\nname,unit\nA,xfs\nA,jc1\n", "r.csv")
    assert str(exc.value) == "r.csv: row 5: name A is already on row 4"


def test_a_file_that_is_not_text_is_refused() -> None:
    with pytest.raises(AuditError, match="r.csv"):
        parse_reviewers(b"\x81\xff\xfe\x00\x81", "r.csv")


# ---- new_audit ------------------------------------------------------------------------------------------

UNITS = {"u1": "第一单位", "u2": "第二单位", "u3": "第三单位", "u4": "第四单位"}
TEAM = (
    Reviewer("甲", "u1"),
    Reviewer("乙", "第二单位"),
    Reviewer("丙", "u3"),
    Reviewer("丁", "u4"),
    Reviewer("戊", "u9"),
    Reviewer("己", "u1"),
)


def population() -> list[AuditItem]:
    return [
        AuditItem(f"{unit}-{n:02d}", unit, name, category="ab"[n % 2])
        for unit, name in UNITS.items()
        for n in range(10)
    ]


def make(seed: int = 11, name: str = "第一轮交叉评查") -> Audit:
    return new_audit(
        name=name,
        pack="default@1.0.0",
        source="test",
        population=population(),
        reviewers=TEAM,
        seed=seed,
        by=("unit",),
        rate=0.3,
        min_per_stratum=2,
        k=2,
    )


def test_new_audit_assigns_every_sampled_item() -> None:
    audit = new_audit(
        name="  第一轮交叉评查 ",
        pack="default@1.0.0",
        source="ledger:x.csv",
        population=population(),
        reviewers=TEAM,
        seed=11,
        by=("unit",),
        rate=0.3,
        min_per_stratum=2,
        k=2,
    )
    assert audit.id.startswith("AU-") and audit.name == "第一轮交叉评查"
    assert (audit.pack, audit.source, audit.reviewers) == ("default@1.0.0", "ledger:x.csv", TEAM)
    chosen = set(audit.sample.item_ids)
    assert [i.id for i in audit.items] == [i.id for i in population() if i.id in chosen]
    assert len(audit.items) == audit.sample.rule.size == 12  # ⌈0.3 × 10⌉ = 3 from each of 4 units
    assert set(audit.assignment.pairs) == chosen and audit.assignment.k == 2
    by_name = {r.name: r for r in TEAM}
    for item in audit.items:
        names = audit.assignment.pairs[item.id]
        assert len(names) == 2 == len(set(names))
        assert not any(by_name[n].same_unit(item) for n in names)


def test_each_reviewer_gets_their_own_token() -> None:
    audit = new_audit(
        name="评查",
        pack="default@1.0.0",
        source="test",
        population=population(),
        reviewers=TEAM,
        seed=11,
        rate=0.5,
        k=2,
    )
    assert set(audit.tokens) == {r.name for r in TEAM}
    assert len(set(audit.tokens.values())) == len(TEAM)
    for name, token in audit.tokens.items():
        assert len(token) >= 16
        assert audit.reviewer_for(token) == name
    wrong = secrets.token_urlsafe(12)
    assert audit.reviewer_for(wrong) is None
    assert audit.reviewer_for("") is None
    assert audit.reviewer_for(audit.tokens["甲"][:-1]) is None
    assert audit.reviewer_for(audit.tokens["甲"] + "x") is None


def test_the_same_seed_gives_the_same_sample_and_assignment() -> None:
    first, again, other = make(11), make(11), make(12)
    assert first.sample == again.sample
    assert dict(first.assignment.pairs) == dict(again.assignment.pairs)
    assert first.items == again.items
    assert first.id != again.id
    assert set(first.tokens.values()).isdisjoint(again.tokens.values())
    assert first.sample.item_ids != other.sample.item_ids


@pytest.mark.parametrize("name", ["", "   ", "\t\n"])
def test_an_audit_needs_a_name(name: str) -> None:
    with pytest.raises(AuditError, match="name"):
        make(name=name)


def test_too_few_reviewers_outside_a_unit_is_refused() -> None:
    with pytest.raises(AssignmentInfeasible) as exc:
        new_audit(
            name="评查",
            pack="default@1.0.0",
            source="test",
            population=population(),
            reviewers=(Reviewer("甲", "u1"), Reviewer("乙", "u2")),
            seed=1,
            rate=0.5,
            k=2,
        )
    assert exc.value.unit in UNITS and exc.value.needed == 2 and exc.value.available == 1


def test_bad_sampling_parameters_are_audit_errors() -> None:
    with pytest.raises(AuditError):
        new_audit(
            name="评查",
            pack="default@1.0.0",
            source="test",
            population=population(),
            reviewers=TEAM,
            seed=1,
            by=("colour",),
            rate=0.5,
        )


# ---- demo reviewers -------------------------------------------------------------------------------------


def test_demo_reviewers_come_from_eight_units_of_the_pack(pack: Pack) -> None:
    team = demo_reviewers(pack)
    assert len(team) == 8
    assert len({r.name for r in team}) == 8
    assert len({r.unit for r in team}) == 8
    assert all(pack.jurisdiction.has(r.unit) for r in team)
    assert all(r.name.strip() == r.name and len(r.name) >= 2 for r in team)
    assert demo_reviewers(pack) == team
    assert parse_reviewers(reviewers_csv(team).encode("utf-8")) == team


def test_units_the_pack_does_not_know_are_reported(pack: Pack) -> None:
    from toolkit.audit.setup import unknown_units

    reviewers = (
        Reviewer("甲", "jc1"),
        Reviewer("乙", pack.jurisdiction.name("xfs")),
        Reviewer("丙", "第九监察室"),
    )
    assert unknown_units(reviewers, pack) == ["第九监察室"]
