"""``xfkit competition``: create a practice competition in the store, export its results.

``create`` checks the rounds (kinds, item counts, minutes), stores the competition and prints its join code
and the pages' addresses; ``export`` writes the ranking, the scores per round and every answer to Excel.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from toolkit.cli import _seed, _Unusable, command_group, open_store
from toolkit.fileio import atomic_output

__all__ = ["add_competition_parser"]


def add_competition_parser(sub: Any) -> None:
    """The ``competition`` command group."""
    group = command_group(
        sub, "competition", "practice competitions (擂台赛): create one, export its results"
    )
    create = group.add_parser(
        "create",
        help="create a competition and print its join code",
        description="Create a competition from a pack and a seed: rounds of intake cases, fault-finding "
        "dossiers and quiz questions, each with its item count and minutes. Prints the join code and the "
        "addresses of the trainer's console, the contestants' page and the projector's leaderboard.",
    )
    create.add_argument("--name", required=True, help="the competition's name")
    create.add_argument("--pack", default="default", help="pack name or folder (default: default)")
    create.add_argument("--seed", type=_seed, required=True, help="seed every item follows from")
    create.add_argument(
        "--rounds", required=True, metavar="KIND:N,...", help="e.g. intake:5,findings:3,quiz:20"
    )
    create.add_argument("--minutes", required=True, metavar="M,...", help="minutes per round, e.g. 15,20,10")
    create.add_argument(
        "--variants", action="store_true", help="a different set of equal difficulty for each contestant"
    )
    create.add_argument("--db", help="store URL (default: $XFKIT_DB or the SQLite file under data/)")
    create.set_defaults(run=cmd_competition_create)

    export = group.add_parser(
        "export",
        help="write a competition's results to Excel",
        description="Write the ranking (ties broken by time used), the scores per round and every answer "
        "of a competition, by its id or join code, to an .xlsx file.",
    )
    export.add_argument("competition", metavar="ID", help="the competition's id (CP-...) or join code")
    export.add_argument("--out", type=Path, required=True, help="results.xlsx")
    export.add_argument("--db", help="store URL (default: $XFKIT_DB or the SQLite file under data/)")
    export.add_argument("--lang", choices=("zh", "en"), default="zh", help="language of the workbook")
    export.set_defaults(run=cmd_competition_export)


def cmd_competition_create(args: argparse.Namespace) -> int:
    from toolkit.competition.model import CompetitionSpec, parse_rounds, spec_problems
    from toolkit.competitions import create_competition
    from toolkit.errors import ContestRefused
    from toolkit.packs import load_pack

    try:
        rounds = parse_rounds(args.rounds, args.minutes)
    except ContestRefused as exc:
        raise _Unusable([f"--rounds/--minutes: {exc}"]) from None
    pack = load_pack(args.pack)
    spec = CompetitionSpec(
        name=args.name, pack=pack.name, seed=args.seed, rounds=rounds, variants=args.variants
    )
    problems = spec_problems(spec)
    if problems:
        raise _Unusable(problems)
    with open_store(args.db) as store:
        record = create_competition(store, spec, pack)
    print(f"competition {record.id} {record.name}: join code {record.code}")
    for n, r in enumerate(rounds, start=1):
        print(f"  round {n}: {r.kind}, {r.count} items, {r.minutes} minutes")
    print("  trainer console   /voila/render/console.ipynb?key=<trainer secret printed by xfkit serve>")
    print(f"  contestants       /voila/render/contest.ipynb?code={record.code}")
    print(f"  projector board   /voila/render/board.ipynb?code={record.code}")
    return 0


def cmd_competition_export(args: argparse.Namespace) -> int:
    from toolkit.competitions import export_bytes

    if args.out.suffix.lower() != ".xlsx":
        raise _Unusable([f"--out: {args.out}: results are written as .xlsx"])
    with open_store(args.db) as store:
        record = store.competition(args.competition) or store.competition_by_code(args.competition)
        if record is None:
            known = ", ".join(f"{r.id} ({r.code})" for r in store.competitions()[:10]) or "none yet"
            raise _Unusable([f"ID: no competition {args.competition} in the store (competitions: {known})"])
        data = export_bytes(store, record, lang=args.lang)
    with atomic_output(args.out) as tmp:
        tmp.write_bytes(data)
    print(f"{record.id} {record.name}: wrote {args.out}")
    return 0
