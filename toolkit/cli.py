"""The ``xfkit`` command.

Every error a person can cause ends in a one-line message on stderr and a non-zero exit, never a
traceback: exit 1 for problems with the data (an invalid pack), exit 2 for bad arguments and for input
files ``xfkit score`` cannot use (one line per problem, naming the file, line and field).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO, NoReturn, TypeVar

from toolkit import __version__
from toolkit.demo import DEMO_SEED
from toolkit.domain.codes import Level
from toolkit.errors import PackInvalid, XfkitError
from toolkit.fileio import atomic_output

if TYPE_CHECKING:
    from toolkit.packs import Pack
    from toolkit.scoring.findings import FindingsReport
    from toolkit.scoring.intake import ScoreReport
    from toolkit.store import Store

T = TypeVar("T")
EXIT_DATA = 1
EXIT_USAGE = 2


class _Parser(argparse.ArgumentParser):
    """argparse with one-line errors that point at ``--help``."""

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message} (see {self.prog} --help)\n")


def _whole(name: str, lo: int, hi: int | None = None) -> Callable[[str], int]:
    """An argparse type for a whole number ``name`` in ``lo..hi``, with a one-line message otherwise."""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{name} must be a whole number, got {text!r}") from None
        if hi is None and value < lo:
            raise argparse.ArgumentTypeError(f"{name} must be ≥ {lo}, got {value}")
        if hi is not None and not lo <= value <= hi:
            raise argparse.ArgumentTypeError(f"{name} must be between {lo} and {hi}, got {value}")
        return value

    return parse


_seed = _whole("seed", 0)
_count = _whole("count", 1, 10_000_000)
_workers = _whole("workers", 1, 64)
_defects = _whole("defects", 0, 20)


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a date as YYYY-MM-DD, got {text!r}") from None


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="xfkit",
        description="xfkit — 信访举报业务训练与质量评查工具箱: generate training cases and ledgers "
        "from scenario "
        "packs, and check packs.",
        epilog="Examples:\n"
        "  xfkit generate cases --pack default --seed 7 --count 20 --level easy --out cases.jsonl\n"
        "  xfkit generate ledger --pack default --seed 7 --count 500 --out ledger.xlsx\n"
        "  xfkit generate dossiers --pack default --seed 7 --count 20 --defects 3 --out dossiers.jsonl\n"
        "  xfkit validate scenarios/default\n"
        "  xfkit score intake --case cases.jsonl --id default-7-000003 --answer answer.json --json\n"
        "  xfkit score findings --dossiers dossiers.jsonl --id ID --findings findings.json --json\n"
        "  xfkit audit sample ledger.xlsx --by unit --rate 0.1 --min-per-stratum 2 --seed 1 --out s.csv\n"
        "  xfkit audit assign sample.csv --reviewers reviewers.csv --k 2 --seed 1 --out assignment.csv\n"
        "  xfkit audit report AU-1A2B3C4D --out report.xlsx\n"
        "  xfkit competition create --name N --seed 7 --rounds intake:5,quiz:20 --minutes 15,10\n"
        "  xfkit competition export CP-1A2B3C4D --out results.xlsx",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"xfkit {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    gen = sub.add_parser("generate", help="generate cases or a ledger from a pack")
    gen_sub = gen.add_subparsers(dest="what", metavar="WHAT", parser_class=_Parser)

    def common(p: argparse.ArgumentParser) -> None:
        p.add_argument(
            "--pack", default="default", help="pack name under scenarios/ or a pack folder (default: default)"
        )
        p.add_argument(
            "--seed", type=_seed, required=True, help="seed (whole number ≥ 0): same seed, same output"
        )
        p.add_argument("--count", type=_count, required=True, help="how many items")
        p.add_argument("--no-progress", action="store_true", help="no progress bar on stderr")

    cases = gen_sub.add_parser(
        "cases",
        help="intake cases as JSON lines (one case per line, with its answer key)",
        description="Generate intake cases. Each line of the output validates against "
        "toolkit/schemas/case.schema.json; the same pack version and seed give byte-identical output.",
    )
    common(cases)
    cases.add_argument(
        "--level",
        choices=["easy", "medium", "hard", "mixed"],
        default="mixed",
        help="difficulty; mixed rotates easy, medium, hard (default: mixed)",
    )
    cases.add_argument(
        "--out", type=Path, required=True, help="output file (.jsonl), or - for standard output"
    )
    cases.add_argument(
        "--workers",
        type=_workers,
        default=1,
        help="processes to generate with (output is the same for any number)",
    )
    cases.set_defaults(run=cmd_generate_cases)

    ledger = gen_sub.add_parser(
        "ledger",
        help="a ledger (台账) of historic items as .csv, .xlsx or .jsonl",
        description="Generate a ledger with units, statuses, received/closed dates and due dates "
        "from the pack's rules.",
    )
    common(ledger)
    ledger.add_argument(
        "--as-of",
        type=_date,
        default=None,
        help="the day the ledger is seen on (default: the last day of the pack's window)",
    )
    ledger.add_argument(
        "--out", type=Path, required=True, help="output file: .csv (UTF-8 with BOM), .xlsx or .jsonl"
    )
    ledger.set_defaults(run=cmd_generate_ledger)

    dossiers = gen_sub.add_parser(
        "dossiers",
        help="case dossiers (案卷) for fault finding as JSON lines (one per line, with its answer key)",
        description="Generate dossiers with planted defects from the pack's defect catalogue. Each line is "
        "a dossier: its documents and an answer_key list of {defect, document, location, shows_in, note} "
        "(empty for a clean dossier, --defects 0); the same pack version and seed give the same output.",
    )
    common(dossiers)
    dossiers.add_argument(
        "--defects",
        type=_defects,
        required=True,
        help="defects planted in each dossier, 0–20 (0: clean dossiers)",
    )
    dossiers.add_argument(
        "--level",
        choices=["easy", "medium", "hard"],
        default=None,
        help="difficulty (default: levels rotate easy, medium, hard by index)",
    )
    dossiers.add_argument(
        "--out", type=Path, required=True, help="output file (.jsonl), or - for standard output"
    )
    dossiers.set_defaults(run=cmd_generate_dossiers)

    history = gen_sub.add_parser(
        "history",
        help="the history ledger 查重 searches for a seed, as JSON lines",
        description="Write the earlier items that the cases of a seed may repeat or follow, as 查重 searches "
        "them: one item per line with its id, received_at, channel, reporter_name, accused (name, unit, "
        "unit_name), problem_type and summary. The same pack version and seed give the same output.",
    )
    history.add_argument(
        "--pack", default="default", help="pack name under scenarios/ or a pack folder (default: default)"
    )
    history.add_argument(
        "--seed", type=_seed, required=True, help="seed (whole number ≥ 0) of the cases it goes with"
    )
    history.add_argument(
        "--out", type=Path, required=True, help="output file (.jsonl), or - for standard output"
    )
    history.set_defaults(run=cmd_generate_history)

    _ledger_parser(sub)
    from toolkit.cli_audit import add_audit_parser
    from toolkit.cli_competition import add_competition_parser

    add_audit_parser(sub)
    add_competition_parser(sub)

    val = sub.add_parser(
        "validate",
        help="check a pack folder and print every problem",
        description="Check a scenario pack; prints each problem as file:line: field: message.",
    )
    val.add_argument("pack_dir", metavar="PACK_DIR", help="the pack folder (or a pack name)")
    val.set_defaults(run=cmd_validate)

    serve = sub.add_parser(
        "serve",
        help="serve the apps (Voila) on this machine",
        description="Serve the app notebooks with Voila: home page at /, trainer pages behind the secret "
        "printed at start. First run writes the demo data and creates the store.",
    )
    serve.add_argument(
        "--host",
        default="127.0.0.1",
        help="address to listen on (default 127.0.0.1; 0.0.0.0 for a training room)",
    )
    serve.add_argument("--port", type=_whole("port", 1, 65535), default=8866, help="port (default 8866)")
    serve.add_argument("--data", type=Path, default=Path("data"), help="data folder (default ./data)")
    serve.add_argument(
        "--db",
        default=None,
        help="database URL (default: $XFKIT_DB, else a SQLite file in the data folder); "
        "PostgreSQL: postgresql+psycopg://user:pass@host/db",
    )
    serve.add_argument("--pack", default="default", help="pack name or folder (default: default)")
    serve.add_argument(
        "--lang", choices=["zh", "en"], default="zh", help="default page language (default zh)"
    )
    serve.add_argument(
        "--trainer-secret",
        default=None,
        help="secret for trainer pages (default: $XFKIT_TRAINER_SECRET, else a new random one)",
    )
    serve.add_argument(
        "--cull-after",
        type=_whole("cull-after", 10, 86400),
        default=600,
        help="seconds after which an idle kernel with no page attached is shut down (default 600)",
    )
    serve.add_argument(
        "--max-kernels",
        type=_whole("max-kernels", 1, 100000),
        default=120,
        help="most kernels running at once, preheated ones included (70-110 MB each); past it a page gets "
        "a 'server busy, try again' page (HTTP 503) (default 120)",
    )
    serve.add_argument(
        "--contest-pool",
        type=_whole("contest-pool", 1, 10000),
        default=1,
        help="contest pages kept warm (each a ~90 MB kernel): set it to the number of contestants of a "
        "competition, so that they join without waiting for a kernel to start (default 1)",
    )
    serve.add_argument("--no-preheat", action="store_true", help="no preheated kernel for the home page")
    serve.add_argument("--notebooks", type=Path, default=None, help=argparse.SUPPRESS)
    serve.add_argument("--also-serve", action="append", default=[], help=argparse.SUPPRESS)
    serve.add_argument(
        "--hub",
        action="store_true",
        help="run as one user's server spawned by JupyterHub: the hub's login is the identity, base URL "
        "and port come from the spawner (deploy/README.md)",
    )
    serve.set_defaults(run=cmd_serve)

    score = sub.add_parser("score", help="score an answer against a generated case")
    score_sub = score.add_subparsers(dest="what", metavar="WHAT", parser_class=_Parser)
    intake = score_sub.add_parser(
        "intake",
        help="score an intake answer (registration form) against a case of a JSONL file",
        description="Score an intake answer. The answer is a JSON object shaped like a case's truth "
        "(toolkit/schemas/intake-answer.schema.json); the case is the line with --id in a file written by "
        "'xfkit generate cases'. Points and partial credit come from the pack's rubrics.yaml. "
        "Unusable input exits with status 2 and one line per problem.",
    )
    intake.add_argument("--case", type=Path, required=True, metavar="CASES.jsonl", help="generated cases")
    intake.add_argument("--id", required=True, metavar="CASE_ID", help="the id of the case answered")
    intake.add_argument("--answer", type=Path, required=True, metavar="ANSWER.json", help="the answer")
    intake.add_argument(
        "--pack",
        default=None,
        help="pack name or folder (default: the pack named in the case; a different version is warned of)",
    )
    intake.add_argument("--json", action="store_true", help="print the report as JSON")
    intake.set_defaults(run=cmd_score_intake)
    findings = score_sub.add_parser(
        "findings",
        help="score a reviewer's findings (互找茬) against a dossier of a JSONL file",
        description="Score fault-finding marks. The findings are a JSON list of {document, defect, note} "
        "(toolkit/schemas/findings.schema.json); the dossier is the line with --id in a file written by "
        "'xfkit generate dossiers'. A hit earns the defect type's severity (defects.yaml); false alarms "
        "and clean dossiers are priced by the findings section of rubrics.yaml. "
        "Unusable input exits with status 2 and one line per problem.",
    )
    findings.add_argument(
        "--dossiers", type=Path, required=True, metavar="DOSSIERS.jsonl", help="generated dossiers"
    )
    findings.add_argument("--id", required=True, metavar="DOSSIER_ID", help="the id of the dossier reviewed")
    findings.add_argument(
        "--findings", type=Path, required=True, metavar="FINDINGS.json", help="the reviewer's marks"
    )
    findings.add_argument(
        "--pack",
        default=None,
        help="pack name or folder (default: the pack named in the dossier; a different version is warned of)",
    )
    findings.add_argument("--json", action="store_true", help="print the report as JSON")
    findings.set_defaults(run=cmd_score_findings)

    demo = sub.add_parser(
        "demo",
        help="write demo data (cases and a ledger) into a folder",
        description="Generate the demo data set the apps start from.",
    )
    demo.add_argument("--out", type=Path, default=Path("data") / "demo", help="folder (default: data/demo)")
    demo.add_argument("--pack", default="default", help="pack name or folder (default: default)")
    demo.add_argument("--seed", type=_seed, default=DEMO_SEED, help=f"seed (default: {DEMO_SEED})")
    demo.set_defaults(run=cmd_demo)
    return parser


# -- xfkit ledger ---------------------------------------------------------------------------------


def open_store(url: str | None) -> Store:
    """The store at ``url``, else ``$XFKIT_DB``, else the SQLite file under ``data/`` (as ``xfkit serve``)."""
    from toolkit.store import Store, default_url

    return Store.open(url or default_url(Path("data")))


def command_group(sub: Any, name: str, help_text: str) -> Any:
    """A command with sub-commands (``xfkit ledger ...``); alone it prints its help and exits 2."""
    group = sub.add_parser(name, help=help_text)

    def group_help(_args: argparse.Namespace) -> int:
        group.print_help(sys.stderr)
        return EXIT_USAGE

    group.set_defaults(run=group_help)
    return group.add_subparsers(dest="what", metavar="WHAT", parser_class=_Parser)


def _ledger_parser(sub: Any) -> None:
    """The ``ledger`` command group; each sub-command is one ``ledger_sub.add_parser`` below."""
    ledger_sub = command_group(sub, "ledger", "check and summarise ledger (台账) files")

    imp = ledger_sub.add_parser(
        "import",
        help="check a ledger file (.csv, .xlsx, .jsonl) and summarise it",
        description="Read a ledger the way the dashboard does: CSV in UTF-8, UTF-8 with BOM or GBK/GB18030 "
        "(detected), Excel .xlsx, or the JSON lines of 'xfkit generate ledger'. Prints the rows per status "
        "and per handling unit, or every problem as FILE:row N: column: message and exits with status 2 "
        "(nothing is imported from a file with problems).",
    )
    imp.add_argument("file", type=Path, metavar="FILE", help="the ledger file")
    imp.add_argument("--pack", default="default", help="pack name or folder (default: default)")
    imp.add_argument("--json", action="store_true", help="print the summary (or the problems) as JSON")
    imp.set_defaults(run=cmd_ledger_import)

    cards = ledger_sub.add_parser(
        "cards",
        help="deadline cards (红橙黄牌督办) of a ledger on a given day: counts per colour and unit",
        description="Give every open item of a ledger its supervision card for the day --today, under the "
        "pack's card scheme (three: red overdue, orange at most half a month left, yellow at most a month "
        "left; four: red, yellow, blue, green), and print the counts per colour and per handling unit. "
        "Remaining time for the cards is counted in calendar days; working days left are counted for "
        "items on working-day limits, with Chinese public holidays and make-up working days (调休), and "
        "are reported as unknown for due dates in years without holiday data. Closed and filed items "
        "carry no card. A ledger with problems is not used: they are listed and the exit status is 2.",
    )
    cards.add_argument("ledger", type=Path, metavar="LEDGER", help="the ledger file (.csv, .xlsx, .jsonl)")
    cards.add_argument(
        "--today", type=_date, required=True, metavar="YYYY-MM-DD", help="the day the cards are for"
    )
    cards.add_argument(
        "--scheme",
        default="three",
        metavar="SCHEME",
        help="the pack's card scheme: three or four in the default pack (default: three)",
    )
    cards.add_argument("--pack", default="default", help="pack name or folder (default: default)")
    cards.add_argument("--json", action="store_true", help="print the counts as JSON")
    cards.add_argument(
        "--out",
        type=Path,
        metavar="FILE",
        help="also write every item with its card, days left, working days left and days overdue "
        "(.xlsx or .csv)",
    )
    cards.set_defaults(run=cmd_ledger_cards)


def cmd_ledger_import(args: argparse.Namespace) -> int:
    import json

    from toolkit.domain.codes import ItemStatus
    from toolkit.errors import LedgerInvalid
    from toolkit.ledger.importer import read_ledger
    from toolkit.packs import load_pack

    pack = load_pack(args.pack)
    try:
        frame = read_ledger(args.file, pack)
    except LedgerInvalid as exc:
        if args.json:
            problems = [p.to_dict() for p in exc.problems]
            print(json.dumps({"file": str(args.file), "ok": False, "problems": problems}, ensure_ascii=False))
            return EXIT_USAGE
        n = len(exc.problems)
        raise _Unusable([*exc.lines(), f"{args.file}: {n} problem(s); nothing was imported"]) from None
    statuses = frame["status"].value_counts()
    units = frame["handler_unit"].value_counts()
    notes: list[str] = frame.attrs.get("notes", [])
    if args.json:
        summary = {
            "file": str(args.file),
            "ok": True,
            "pack": pack.ref,
            "rows": len(frame),
            "status": {s.value: int(statuses.get(s.value, 0)) for s in ItemStatus},
            "units": {str(u): int(c) for u, c in units.items()},
            "notes": notes,
        }
        print(json.dumps(summary, ensure_ascii=False, indent=1))
        return 0
    j = pack.jurisdiction
    lines = [f"{args.file}: {len(frame)} rows, no problems (pack {pack.ref})", "", "by status:"]
    lines += [f"  {s.zh:<6} {s.value:<10} {int(statuses.get(s.value, 0)):>9}" for s in ItemStatus]
    lines += ["", f"by handling unit ({len(units)}):"]
    for unit, count in units.items():
        name = j.name(str(unit)) if j.has(str(unit)) else str(unit)
        lines.append(f"  {name}  {unit}  {int(count)}")
    if notes:
        lines += ["", "notes:", *(f"  {note}" for note in notes)]
    print("\n".join(lines))
    return 0


def cmd_ledger_cards(args: argparse.Namespace) -> int:
    import json

    from toolkit.domain.codes import CardColor
    from toolkit.errors import LedgerInvalid, PackError
    from toolkit.ledger.importer import read_ledger
    from toolkit.packs import load_pack
    from toolkit.rules.ledger_cards import card_counts, ledger_cards, unknown_workdays

    if args.out is not None and args.out.suffix.lower() not in (".csv", ".xlsx"):
        raise _Unusable([f"--out: {args.out}: cards are written as .xlsx or .csv"])
    pack = load_pack(args.pack)
    try:
        scheme = pack.rules.card_scheme(args.scheme)
    except PackError as exc:
        raise _Unusable([f"--scheme: {exc}"]) from None
    try:
        frame = read_ledger(args.ledger, pack)
    except LedgerInvalid as exc:
        n = len(exc.problems)
        raise _Unusable([*exc.lines(), f"{args.ledger}: {n} problem(s); no cards were given"]) from None
    cards = ledger_cards(frame, as_of=args.today, scheme=scheme, pack=pack)
    counts, per_unit = card_counts(cards, frame, scheme)
    unknown = unknown_workdays(cards)
    note = (
        f"note: {unknown} open item(s) on working-day limits are due in a year without holiday data, so "
        "their working days left are unknown (left empty in --out); their cards, counted in calendar "
        "days, are given (add the year's published schedule to the pack's rules.yaml calendar_years)"
    )
    j = pack.jurisdiction

    def unit_name(code: str) -> str:
        return j.name(code) if j.has(code) else code

    if args.json:
        summary = {
            "as_of": args.today.isoformat(),
            "scheme": scheme.code,
            "counts": counts,
            "units": {
                str(unit): {"name": unit_name(str(unit)), **{c: int(n) for c, n in row.items()}}
                for unit, row in per_unit.iterrows()
            },
            "unknown_workdays": unknown,
        }
        print(json.dumps(summary, ensure_ascii=False, indent=1))
        if unknown:
            print(f"xfkit: {note}", file=sys.stderr)
    else:
        colours = list(counts)
        ranked = per_unit.sort_values(colours, ascending=False, kind="stable") if colours else per_unit
        title = (
            f"{args.ledger} · {args.today.isoformat()} · {scheme.label('zh')} ({scheme.code}) · {pack.ref}"
        )
        opened = int(cards["is_open"].sum())
        print(
            _cards_table(
                [title, f"{len(frame)} items, {opened} open, {sum(counts.values())} with a card"],
                counts,
                [(f"{unit_name(str(u))} {u}", [int(n) for n in row]) for u, row in ranked.iterrows()],
            )
        )
        if unknown:
            print(f"\n{note}")
    if args.out is not None:
        from toolkit.i18n import t
        from toolkit.ledger.export import write_ledger_frame

        labels = {c.value: c.label("zh") for c in CardColor}
        extra: dict[str, list[Any]] = {t("ledger.col.card", "zh"): [labels.get(c, "") for c in cards["card"]]}
        for column in ("days_left", "workdays_left", "days_overdue"):
            values = cards[column].astype("object")
            extra[t(f"ledger.col.{column}", "zh")] = values.where(values.notna(), "").tolist()
        n = write_ledger_frame(frame, args.out, pack, extra=extra)
        print(f"wrote {n} items with their cards to {args.out}", file=sys.stderr)
    return 0


def _cards_table(head: list[str], counts: dict[str, int], units: list[tuple[str, list[int]]]) -> str:
    """``xfkit ledger cards`` as text: the head lines, counts per colour, then one row per unit."""
    from toolkit.domain.codes import CardColor

    labels = [CardColor(c).zh for c in counts]
    lines = [*head, ""]
    lines += [
        f"  {_pad(label, 6)} {c:<7} {n:>9}" for label, (c, n) in zip(labels, counts.items(), strict=True)
    ]
    width = max([_width(name) for name, _ in units] + [24])
    lines.append("")
    lines.append(f"  {_pad(f'by handling unit ({len(units)})', width)}" + "".join(f" {x:>4}" for x in labels))
    for name, row in units:
        lines.append(f"  {_pad(name, width)}" + "".join(f" {n:>6}" for n in row))
    return "\n".join(lines)


def _width(text: str) -> int:
    """Columns ``text`` takes in a terminal (CJK characters take two)."""
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * max(width - _width(text), 0)


# -- commands -------------------------------------------------------------------------------------


def cmd_generate_cases(args: argparse.Namespace) -> int:
    from toolkit.generate.batch import write_cases

    level = None if args.level == "mixed" else Level(args.level)

    def write(fh: BinaryIO) -> None:
        with _bar(args.count, "cases", args.no_progress or str(args.out) == "-") as bar:
            write_cases(args.pack, args.seed, args.count, level, fh, workers=args.workers, progress=bar)

    _write_atomically(args.out, ".jsonl", write)
    return 0


def cmd_generate_ledger(args: argparse.Namespace) -> int:
    from toolkit.generate.cases import CaseGenerator
    from toolkit.generate.ledger import ledger_items
    from toolkit.ledger.export import write_ledger
    from toolkit.packs import load_pack

    pack = load_pack(args.pack)
    items = ledger_items(CaseGenerator(pack), args.seed, args.count, args.as_of)
    n = write_ledger(_progress(items, args.count, "ledger", args.no_progress), pack, args.out)
    print(f"wrote {n} ledger items to {args.out}", file=sys.stderr)
    return 0


def cmd_generate_dossiers(args: argparse.Namespace) -> int:
    import orjson

    from toolkit.generate.cases import CaseGenerator
    from toolkit.generate.dossiers import dossiers
    from toolkit.packs import load_pack

    level = None if args.level is None else Level(args.level)

    def write(fh: BinaryIO) -> None:
        items = dossiers(
            CaseGenerator(load_pack(args.pack)), args.seed, args.count, defects=args.defects, level=level
        )
        quiet = args.no_progress or str(args.out) == "-"
        for dossier in _progress(items, args.count, "dossiers", quiet):
            fh.write(orjson.dumps(dossier.to_dict(), option=orjson.OPT_APPEND_NEWLINE))

    _write_atomically(args.out, ".jsonl", write)
    return 0


def cmd_generate_history(args: argparse.Namespace) -> int:
    import orjson

    from toolkit.generate.cases import CaseGenerator
    from toolkit.packs import load_pack

    pack = load_pack(args.pack)

    def write(fh: BinaryIO) -> None:
        for record in CaseGenerator(pack).history(args.seed):
            fh.write(orjson.dumps(record.to_dict(pack), option=orjson.OPT_APPEND_NEWLINE))

    _write_atomically(args.out, ".jsonl", write)
    if str(args.out) != "-":
        print(f"wrote {pack.mix.history_size} history items to {args.out}", file=sys.stderr)
    return 0


def cmd_validate(args: argparse.Namespace) -> int:
    from toolkit.packs import load_pack

    pack = load_pack(args.pack_dir)
    print(
        f"{pack.ref}: ok ({len(pack.problems)} problem types, {len(pack.cadres)} cadres, "
        f"{len(pack.jurisdiction.towns)} towns, {len(pack.rules.deadlines)} deadline rules)"
    )
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    import os

    from toolkit.serve import ServeOptions, run

    options = ServeOptions(
        host=args.host,
        port=args.port,
        data_dir=args.data.resolve(),
        db_url=args.db or os.environ.get("XFKIT_DB") or None,
        pack=args.pack,
        lang=args.lang,
        trainer_secret=args.trainer_secret or os.environ.get("XFKIT_TRAINER_SECRET") or None,
        cull_after=args.cull_after,
        cull_interval=max(1, min(60, args.cull_after // 5)),
        max_kernels=args.max_kernels,
        contest_pool=args.contest_pool,
        preheat=not args.no_preheat,
        notebooks_dir=args.notebooks,
        also_serve=tuple(args.also_serve),
        hub=args.hub,
    )
    return run(options)


def cmd_demo(args: argparse.Namespace) -> int:
    from toolkit.demo import write_demo_data

    print(write_demo_data(args.out, args.pack, args.seed).describe())
    return 0


class _Unusable(XfkitError):
    """Input files a command cannot use: one message per problem, each naming file, line or field."""

    def __init__(self, problems: Sequence[str]) -> None:
        self.problems = list(problems)
        super().__init__("; ".join(self.problems))


def cmd_score_intake(args: argparse.Namespace) -> int:
    import json

    from toolkit.errors import AnswerInvalid
    from toolkit.scoring.intake import AnswerKey, parse_answer, score_intake

    line_no, line = _find_item(args.case, args.id, "case")
    where = f"{args.case}:{line_no}"
    ref, seed = _pack_ref(line, where), line.get("seed")
    if not isinstance(seed, int) or isinstance(seed, bool):
        raise _Unusable([f"{where}: seed: expected a whole number, got {seed!r}"])
    if "truth" not in line:
        raise _Unusable([f"{where}: truth: is missing (cases from 'xfkit generate cases' carry it)"])
    try:
        truth = parse_answer(line["truth"])
    except AnswerInvalid as exc:
        problems = [
            p.replace("(answer)", "truth") if p.startswith("(") else f"truth.{p}" for p in exc.problems
        ]
        raise _Unusable([f"{where}: {p}" for p in problems]) from None
    data = _read_json(args.answer)
    pack = _scoring_pack(args.pack, ref, f"case {args.id}")
    try:
        answer = parse_answer(data, pack)
    except AnswerInvalid as exc:
        raise _Unusable([f"{args.answer}: {p}" for p in exc.problems]) from None
    report = score_intake(AnswerKey(args.id, seed, ref, truth), answer, pack)
    if args.json:
        print(json.dumps(report.to_dict(), ensure_ascii=False, indent=1))
    else:
        print(_report_table(report))
    return 0


def cmd_score_findings(args: argparse.Namespace) -> int:
    import json

    from toolkit.domain.dossier import Dossier
    from toolkit.errors import AnswerInvalid
    from toolkit.scoring.findings import parse_findings, score_findings

    line_no, line = _find_item(args.dossiers, args.id, "dossier")
    where = f"{args.dossiers}:{line_no}"
    ref = _pack_ref(line, where)
    if "answer_key" not in line:
        raise _Unusable(
            [f"{where}: answer_key: is missing (dossiers from 'xfkit generate dossiers' carry it)"]
        )
    try:
        dossier = Dossier.from_dict(line)
    except KeyError as exc:
        raise _Unusable([f"{where}: {exc.args[0]}: is missing"]) from None
    except (TypeError, ValueError, AttributeError) as exc:
        raise _Unusable([f"{where}: not a generated dossier ({exc})"]) from None
    data = _read_json(args.findings)
    pack = _scoring_pack(args.pack, ref, f"dossier {args.id}")
    try:
        marks = parse_findings(data, dossier, pack)
    except AnswerInvalid as exc:
        raise _Unusable([f"{args.findings}: {p}" for p in exc.problems]) from None
    try:
        report = score_findings(dossier, marks, pack)
    except ValueError as exc:  # the answer key names defect types this pack does not have
        raise _Unusable([f"{where}: answer_key: {exc}"]) from None
    if args.json:
        print(json.dumps(report.to_dict(), ensure_ascii=False, indent=1))
    else:
        print(_findings_table(report))
    return 0


def _pack_ref(line: dict[str, Any], where: str) -> str:
    """The ``name@version`` a generated item names; unusable input otherwise."""
    ref = line.get("pack")
    if not isinstance(ref, str) or "@" not in ref:
        raise _Unusable([f"{where}: pack: expected name@version, got {ref!r}"])
    return ref


def _scoring_pack(choice: str | None, ref: str, item: str) -> Pack:
    """The pack to score with: ``choice``, else the one ``ref`` names; another version is warned of."""
    from toolkit.packs import load_pack

    pack = load_pack(choice or ref.partition("@")[0])
    if pack.ref != ref:
        print(f"xfkit: warning: {item} was made with {ref}; scoring with {pack.ref}", file=sys.stderr)
    return pack


def _find_item(path: Path, item_id: str, what: str) -> tuple[int, dict[str, Any]]:
    """The 1-based line number and the object with id ``item_id`` in the JSON Lines file ``path``.

    ``what`` names the kind of item in messages ("case", "dossier").
    """
    import json

    count = 0
    try:
        with path.open(encoding="utf-8") as fh:
            for n, text in enumerate(fh, start=1):
                if not text.strip():
                    continue
                try:
                    data = json.loads(text)
                except json.JSONDecodeError as exc:
                    raise _Unusable(
                        [f"{path}:{n}: not valid JSON ({exc.msg} at column {exc.colno})"]
                    ) from None
                if not isinstance(data, dict) or "id" not in data:
                    raise _Unusable([f"{path}:{n}: not a generated {what} (a JSON object with an id)"])
                count += 1
                if data["id"] == item_id:
                    return n, data
    except FileNotFoundError:
        raise _Unusable([f"{path}: no such file"]) from None
    except UnicodeDecodeError as exc:
        raise _Unusable([f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start})"]) from None
    except IsADirectoryError:
        raise _Unusable([f"{path}: is a folder, not a file"]) from None
    raise _Unusable([f"{path}: no {what} with id {item_id!r} (the file holds {count} {what}(s))"])


def _read_json(path: Path) -> Any:
    """The JSON document in ``path``; problems as :class:`_Unusable` naming the file and line."""
    import json

    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise _Unusable([f"{path}: no such file"]) from None
    except IsADirectoryError:
        raise _Unusable([f"{path}: is a folder, not a file"]) from None
    except UnicodeDecodeError as exc:
        raise _Unusable([f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start})"]) from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise _Unusable([f"{path}:{exc.lineno}: not valid JSON ({exc.msg} at column {exc.colno})"]) from None


def _report_table(report: ScoreReport) -> str:
    """The report as a plain-text table: one row per item, the reason's verdict under it."""
    import json

    def show(value: object) -> str:
        return (
            "—"
            if value is None
            else value
            if isinstance(value, str)
            else json.dumps(value, ensure_ascii=False)
        )

    lines = [f"{report.case_id}  ({report.pack}, seed {report.seed})", ""]
    lines.append(f"{'field':<30} {'points':>13}  answer → key")
    for item in report.items:
        mark = "✓" if item.points >= item.max else ("✗" if item.points <= 0 else "~")
        pair = show(item.got) if item.got == item.expected else f"{show(item.got)} → {show(item.expected)}"
        lines.append(f"{mark} {item.field:<28} {item.points:>6g} / {item.max:<4g}  {pair}")
        lines.append(f"    {item.reason}({item.source})" if item.source else f"    {item.reason}")
    lines.append("")
    lines.append(
        f"total {report.total:g} / {report.max:g} ({report.percent:g}%), "
        f"grade {report.grade_label('zh')} ({report.grade})"
    )
    return "\n".join(lines)


def _findings_table(report: FindingsReport) -> str:
    """A findings report as plain text: one row per item, the reason (and explanation) under it."""
    lines = [f"{report.dossier_id}  ({report.pack}, seed {report.seed})", ""]
    lines.append(f"{'item':<36} {'points':>13}  mark")
    for item in report.items:
        mark = "✓" if item.kind.value in ("hit", "clean") else "✗"
        top = f"{item.max:<4g}" if item.max else "    "
        marked = f"#{item.mark_no} {item.mark.document}" if item.mark and item.mark_no else "—"
        lines.append(f"{mark} {item.field:<34} {item.points:>6g} / {top}  {marked}")
        lines.append(f"    {item.reason}({item.source})" if item.source else f"    {item.reason}")
        if item.explanation:
            lines.append(f"    说明：{item.explanation}")
    lines.append("")
    lines.append(
        f"total {report.total:g} / {report.max:g} ({report.percent:g}%), "
        f"grade {report.grade_label('zh')} ({report.grade}); "
        f"hits {report.hits}, misses {report.misses}, false alarms {report.false_alarms}"
    )
    return "\n".join(lines)


# -- helpers --------------------------------------------------------------------------------------


@contextmanager
def _bar(total: int, unit: str, quiet: bool) -> Iterator[Callable[[int], object] | None]:
    """A progress bar on stderr for long runs at a terminal; None otherwise."""
    if quiet or total < 2000 or not sys.stderr.isatty():
        yield None
        return
    from tqdm import tqdm

    with tqdm(total=total, unit=f" {unit}", file=sys.stderr, mininterval=0.5) as bar:
        yield bar.update


def _progress(items: Iterator[T], total: int, unit: str, quiet: bool) -> Iterator[T]:
    if quiet or total < 2000 or not sys.stderr.isatty():
        yield from items
        return
    from tqdm import tqdm

    yield from tqdm(items, total=total, unit=f" {unit}", file=sys.stderr, mininterval=0.5)


def _write_atomically(out: Path, suffix: str, write: Callable[[BinaryIO], None]) -> None:
    """Write ``out`` all or nothing (a temporary file renamed at the end), or stdout for ``-``."""
    if str(out) == "-":
        sys.stdout.flush()
        write(sys.stdout.buffer)
        sys.stdout.buffer.flush()
        return
    if out.suffix.lower() != suffix:
        raise XfkitError(f"{out}: this output is written as {suffix}; name the file *{suffix}")
    with atomic_output(out) as tmp, tmp.open("wb") as fh:
        write(fh)


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    run: Callable[[argparse.Namespace], int] | None = getattr(args, "run", None)
    if run is None:
        sub = {"generate": "generate", "score": "score"}.get(args.command or "", "")
        parser.parse_args([*([sub] if sub else []), "--help"])
        return EXIT_USAGE
    try:
        return run(args)
    except _Unusable as exc:
        for problem in exc.problems:
            print(f"xfkit: {problem}", file=sys.stderr)
        return EXIT_USAGE
    except PackInvalid as exc:
        print(f"xfkit: {exc}", file=sys.stderr)
        return EXIT_DATA
    except XfkitError as exc:
        print(f"xfkit: {exc}", file=sys.stderr)
        return EXIT_DATA
    except OSError as exc:
        print(f"xfkit: {exc.filename or ''}: {exc.strerror or exc}", file=sys.stderr)
        return EXIT_DATA
    except KeyboardInterrupt:
        print("xfkit: interrupted; nothing was written", file=sys.stderr)
        return 130


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
