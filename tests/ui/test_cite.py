"""A Chinese page names a source's gaps and the pack's own rules in Chinese; an English page as written."""

from __future__ import annotations

from toolkit.packs import Pack
from toolkit.ui.cite import cited


def test_unverified_and_the_rules_file_read_in_chinese(pack: Pack) -> None:
    source = "《信访工作条例》(2022)第三十四条(条号unverified)；本训练包 rules.yaml lead_close 的延期规定"
    zh = cited(source, "zh", pack)
    assert zh == "《信访工作条例》(2022)第三十四条(条号未核实)；本训练包规则“问题线索办结”的延期规定"
    assert cited(source, "en", pack) == source
    assert cited("见本训练包 rules.yaml routing(纪检监察干部)", "zh") == "见本训练包分办规则(纪检监察干部)"
    assert cited("本训练包 rules.yaml", "zh") == "本训练包规则文件"
    assert cited("rules.yaml nope", "zh", pack) == "规则文件"


def test_no_source_of_the_default_pack_shows_latin_words_on_a_chinese_page(pack: Pack) -> None:
    import re

    sources = [r.source for r in (*pack.rules.deadlines, *pack.rules.disabled)]
    sources += [t.source for t in pack.defects.types.values()]
    sources += [q.source for q in pack.quiz.questions]
    sources += [f.rule.source for f in pack.intake_rubric.fields.values()]
    sources += [s.rule.source for d in pack.audit_rubric.dimensions for s in d.subitems]
    sources += [f.source for f in pack.replies.faults.values()]
    left = {w for s in sources for w in re.findall(r"[A-Za-z]{3,}", cited(s, "zh", pack))}
    assert not left, left
