"""``xfkit audit``: sample a ledger, assign cross reviewers, create an audit, write its report.

Each sub-command is one ``add_parser`` below and one ``cmd_audit_*`` function. Errors a person can cause
(a ledger with problems, a bad reviewers file, an impossible assignment, an unknown audit id) end in
one-line messages naming the file, row and field, and nothing is written.
"""

from __future__ import annotations

import argparse
import csv
import io
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from toolkit.cli import _seed, _Unusable, _whole, command_group, open_store
from toolkit.fileio import atomic_output

if TYPE_CHECKING:
    import pandas as pd

    from toolkit.audit.model import AuditItem, Reviewer, Sample
    from toolkit.packs import Pack

_k = _whole("k", 1, 10)
_min_per_stratum = _whole("min-per-stratum", 0, 100_000)
_dossier_count = _whole("dossiers", 1, 2000)


def _share(name: str, *, below_one: bool = False) -> Any:
    """An argparse type for a share in (0, 1], or in (0, 1) with ``below_one``."""

    def parse(text: str) -> float:
        try:
            value = float(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{name} must be a number such as 0.1, got {text!r}") from None
        if below_one and not 0 < value < 1:
            raise argparse.ArgumentTypeError(f"{name} must be above 0 and below 1, got {value}")
        if not 0 < value <= 1:
            raise argparse.ArgumentTypeError(f"{name} must be above 0 and at most 1, got {value}")
        return value

    return parse


def _strata(text: str) -> tuple[str, ...]:
    from toolkit.audit.model import STRATA_KEYS

    keys = tuple(k.strip() for k in text.split(",") if k.strip())
    unknown = [k for k in keys if k not in STRATA_KEYS]
    twice = sorted({k for k in keys if keys.count(k) > 1})
    if twice:
        raise argparse.ArgumentTypeError(f"{', '.join(twice)} given twice")
    if unknown:
        raise argparse.ArgumentTypeError(
            f"cannot stratify by {', '.join(unknown)}; use {', '.join(STRATA_KEYS)}"
        )
    return keys


def _sampling_options(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--by", type=_strata, default=(), metavar="KEYS", help="stratify by unit, category, status ..."
    )
    size = p.add_mutually_exclusive_group(required=True)
    size.add_argument("--rate", type=_share("rate"), help="share of each stratum to draw, e.g. 0.1")
    size.add_argument(
        "--confidence",
        type=_share("confidence", below_one=True),
        help="size by Cochran's formula for this confidence, e.g. 0.95",
    )
    p.add_argument(
        "--margin", type=_share("margin", below_one=True), default=0.05, help="margin of error (default 0.05)"
    )
    p.add_argument("--min-per-stratum", type=_min_per_stratum, default=0, help="minimum drawn per stratum")
    p.add_argument("--seed", type=_seed, required=True, help="seed of the draw and the assignment")
    p.add_argument("--pack", default="default", help="pack name or folder (default: default)")


def add_audit_parser(sub: Any) -> None:
    """The ``audit`` command group."""
    audit_sub = command_group(sub, "audit", "quality audits (质量评查): sample, assign reviewers, report")

    sample = audit_sub.add_parser(
        "sample",
        help="draw a seeded sample from a ledger file",
        description="Draw a sample of a ledger (.csv, .xlsx, .jsonl): by a rate per stratum with a minimum "
        "per stratum, or by Cochran's formula for a confidence level and margin (allocated to strata in "
        "proportion). Prints the formula with its numbers and the sample's composition against the "
        "population, and writes the sampled rows as a ledger file that 'xfkit audit assign' reads.",
    )
    sample.add_argument("population", type=Path, metavar="POPULATION", help="the ledger file to sample")
    _sampling_options(sample)
    sample.add_argument("--out", type=Path, required=True, help="the sample, as .csv or .xlsx")
    sample.set_defaults(run=cmd_audit_sample)

    assign = audit_sub.add_parser(
        "assign",
        help="assign each sampled item to k reviewers from other units",
        description="Give every item of a sample k different reviewers, none from the unit that handled it, "
        "with loads as even as the units allow (they differ by at most one where possible). The reviewers "
        "file is a CSV with a name and a unit column (姓名/name, 单位/unit; the unit as its code or name).",
    )
    assign.add_argument("sample", type=Path, metavar="SAMPLE", help="the sample (a ledger file)")
    assign.add_argument("--reviewers", type=Path, required=True, help="reviewers CSV")
    assign.add_argument("--k", type=_k, default=2, help="reviewers per item (default 2)")
    assign.add_argument("--seed", type=_seed, required=True, help="seed of the assignment")
    assign.add_argument("--pack", default="default", help="pack name or folder (default: default)")
    assign.add_argument("--out", type=Path, required=True, help="the assignment, as .csv")
    assign.set_defaults(run=cmd_audit_assign)

    create = audit_sub.add_parser(
        "create",
        help="create an audit in the store: sample, assign, and print each reviewer's link",
        description="Create an audit from a ledger file or from generated dossiers (--dossiers N; their "
        "answer keys let the report calibrate reviewers). Prints the audit id and each reviewer's link.",
    )
    source = create.add_mutually_exclusive_group(required=True)
    source.add_argument("--ledger", type=Path, help="population: a ledger file")
    source.add_argument("--dossiers", type=_dossier_count, help="population: this many generated dossiers")
    create.add_argument("--name", required=True, help="the audit's name")
    create.add_argument("--reviewers", type=Path, required=True, help="reviewers CSV")
    create.add_argument("--k", type=_k, default=2, help="reviewers per item (default 2)")
    create.add_argument("--db", help="store URL (default: $XFKIT_DB or the SQLite file under data/)")
    _sampling_options(create)
    create.set_defaults(run=cmd_audit_create)

    report = audit_sub.add_parser(
        "report",
        help="write an audit's report: Excel workbook (.xlsx) or printable HTML (.html)",
        description="Read an audit and its saved reviews from the store and write the report: scores and "
        "grades, agreement (Fleiss' kappa, Krippendorff's alpha), the disagreement list, reviewer "
        "calibration and the rectification list per unit.",
    )
    report.add_argument("audit_id", metavar="AUDIT_ID", help="the audit's id (AU-...)")
    report.add_argument("--out", type=Path, required=True, help="REPORT.xlsx or REPORT.html")
    report.add_argument("--db", help="store URL (default: $XFKIT_DB or the SQLite file under data/)")
    report.add_argument("--lang", choices=("zh", "en"), default="zh", help="report language (default zh)")
    report.set_defaults(run=cmd_audit_report)


def _read_ledger(path: Path, pack: Pack) -> pd.DataFrame:
    from toolkit.errors import LedgerInvalid
    from toolkit.ledger.importer import read_ledger

    try:
        return read_ledger(path, pack)
    except LedgerInvalid as exc:
        raise _Unusable(
            [*exc.lines(), f"{path}: {len(exc.problems)} problem(s); nothing was written"]
        ) from None


def _reviewers(path: Path, pack: Pack) -> tuple[Reviewer, ...]:
    from toolkit.audit.setup import parse_reviewers, unknown_units

    reviewers = parse_reviewers(path.read_bytes(), str(path))
    unknown = unknown_units(reviewers, pack)
    if unknown:
        print(
            f"xfkit: warning: {path}: the pack knows no unit {', '.join(unknown)}; those reviewers are taken "
            "to be from outside every audited unit",
            file=sys.stderr,
        )
    return reviewers


def _draw(items: Sequence[AuditItem], args: argparse.Namespace) -> Sample:
    from toolkit.audit.sampling import draw_sample

    return draw_sample(
        items,
        seed=args.seed,
        by=args.by,
        rate=args.rate,
        min_per_stratum=args.min_per_stratum,
        confidence=args.confidence,
        margin=args.margin,
    )


def _composition(sample: Sample, pack: Pack) -> list[str]:
    j = pack.jurisdiction

    def show(value: str) -> str:
        return j.name(value) if j.has(value) else value

    lines = [
        f"population {sample.rule.population}, sample {sample.rule.size} ({sample.rule.method})",
        sample.rule.formula,
        "",
        f"{'stratum':<28} {'population':>10} {'sample':>7}",
    ]
    for stratum in sample.strata:
        label = " / ".join(show(v) for v in stratum.key) or "(all)"
        lines.append(f"{label:<28} {stratum.population:>10} {stratum.sample:>7}")
    return lines


def cmd_audit_sample(args: argparse.Namespace) -> int:
    from toolkit.audit.population import ledger_population
    from toolkit.ledger.export import write_ledger_frame
    from toolkit.packs import load_pack

    if args.out.suffix.lower() not in (".csv", ".xlsx"):
        raise _Unusable([f"--out: {args.out}: a sample is written as .csv or .xlsx"])
    pack = load_pack(args.pack)
    frame = _read_ledger(args.population, pack)
    sample = _draw(ledger_population(frame, pack), args)
    chosen = set(sample.item_ids)
    rows = frame[frame["id"].isin(chosen)].reset_index(drop=True)
    print("\n".join(_composition(sample, pack)))
    n = write_ledger_frame(rows, args.out, pack)
    print(f"wrote {n} sampled items to {args.out}", file=sys.stderr)
    return 0


def cmd_audit_assign(args: argparse.Namespace) -> int:
    from toolkit.audit.assignment import assign_reviewers
    from toolkit.audit.population import ledger_population
    from toolkit.packs import load_pack

    if args.out.suffix.lower() != ".csv":
        raise _Unusable([f"--out: {args.out}: an assignment is written as .csv"])
    pack = load_pack(args.pack)
    items = ledger_population(_read_ledger(args.sample, pack), pack)
    reviewers = _reviewers(args.reviewers, pack)
    assignment = assign_reviewers(items, reviewers, k=args.k, seed=args.seed)
    unit_of = {r.name: r.unit for r in reviewers}
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["编号", "承办单位", "单位代码", "评查人员", "评查人员单位"])
    for item in items:
        for name in assignment.pairs[item.id]:
            writer.writerow([item.id, item.unit_name, item.unit, name, unit_of[name]])
    with atomic_output(args.out) as tmp:
        tmp.write_text(buffer.getvalue(), encoding="utf-8-sig")
    loads = assignment.loads()
    print(f"{len(items)} items × {args.k} reviewers over {len(reviewers)} reviewers; loads:")
    for r in reviewers:
        print(f"  {r.name} ({r.unit}): {loads.get(r.name, 0)}")
    print(f"wrote {sum(loads.values())} assignments to {args.out}", file=sys.stderr)
    return 0


def cmd_audit_create(args: argparse.Namespace) -> int:
    from toolkit.audit.population import dossier_population, ledger_population
    from toolkit.audit.setup import new_audit
    from toolkit.packs import load_pack

    pack = load_pack(args.pack)
    reviewers = _reviewers(args.reviewers, pack)
    if args.ledger is not None:
        population = ledger_population(_read_ledger(args.ledger, pack), pack)
        source = f"ledger:{args.ledger.name}"
    else:
        population, _ = dossier_population(pack, args.seed, args.dossiers)
        source = f"dossiers:{args.dossiers}"
    audit = new_audit(
        name=args.name,
        pack=pack.ref,
        source=source,
        population=population,
        reviewers=reviewers,
        seed=args.seed,
        by=args.by,
        rate=args.rate,
        min_per_stratum=args.min_per_stratum,
        confidence=args.confidence,
        margin=args.margin,
        k=args.k,
    )
    with open_store(args.db) as store:
        store.add_audit(audit)
    print("\n".join(_composition(audit.sample, pack)))
    print(f"\naudit {audit.id}: {len(audit.items)} items, {len(reviewers)} reviewers, k = {args.k}")
    loads = audit.assignment.loads()
    for r in reviewers:
        link = f"/voila/render/audit.ipynb?audit={audit.id}&r={audit.tokens[r.name]}"
        print(f"  {r.name} ({r.unit}, {loads.get(r.name, 0)} items): {link}")
    return 0


def cmd_audit_report(args: argparse.Namespace) -> int:
    from toolkit.audit.population import results_for
    from toolkit.cli import _scoring_pack
    from toolkit.reports.audit_html import audit_report_html
    from toolkit.reports.audit_workbook import write_audit_workbook

    suffix = args.out.suffix.lower()
    if suffix not in (".xlsx", ".html"):
        raise _Unusable([f"--out: {args.out}: a report is written as .xlsx or .html"])
    with open_store(args.db) as store:
        audit = store.audit(args.audit_id)
        if audit is None:
            known = ", ".join(r.id for r in store.audits()[:10]) or "none yet"
            raise _Unusable([f"AUDIT_ID: no audit {args.audit_id} in the store (audits: {known})"])
        reviews = store.reviews(audit.id)
    pack = _scoring_pack(None, audit.pack, audit.id)
    results = results_for(audit, reviews, pack)
    if suffix == ".xlsx":
        write_audit_workbook(results, pack, args.out, reviews=reviews, lang=args.lang)
    else:
        with atomic_output(args.out) as tmp:
            tmp.write_text(audit_report_html(results, pack, lang=args.lang), encoding="utf-8")
    done = sum(1 for r in results.items if r.complete)
    print(f"{audit.id} {audit.name}: {done}/{len(results.items)} items fully reviewed; wrote {args.out}")
    return 0
