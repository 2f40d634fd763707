"""The demo data set the apps start from: generated cases and a ledger, written all or nothing."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from toolkit.fileio import atomic_output

DEMO_SEED = 20250926
DEMO_CASES = 60
DEMO_LEDGER = 800


@dataclass(frozen=True, slots=True)
class DemoData:
    """Where the demo data went and what it holds."""

    pack_ref: str
    seed: int
    cases: Path
    ledger: Path
    case_count: int
    ledger_count: int

    def describe(self) -> str:
        return (
            f"demo data for {self.pack_ref} (seed {self.seed}): {self.case_count} cases in {self.cases}, "
            f"{self.ledger_count} ledger items in {self.ledger}"
        )


def demo_present(folder: Path) -> bool:
    return (folder / "cases.jsonl").is_file() and (folder / "ledger.xlsx").is_file()


def write_demo_data(folder: Path, pack: str = "default", seed: int = DEMO_SEED) -> DemoData:
    """Write ``cases.jsonl`` and ``ledger.xlsx`` for ``pack`` and ``seed`` into ``folder``."""
    from toolkit.generate.batch import write_cases
    from toolkit.generate.cases import CaseGenerator
    from toolkit.generate.ledger import ledger_items
    from toolkit.ledger.export import write_ledger
    from toolkit.packs import load_pack

    loaded = load_pack(pack)
    cases = folder / "cases.jsonl"
    with atomic_output(cases) as tmp, tmp.open("wb") as fh:
        write_cases(pack, seed, DEMO_CASES, None, fh)
    ledger = folder / "ledger.xlsx"
    n = write_ledger(ledger_items(CaseGenerator(loaded), seed, DEMO_LEDGER), loaded, ledger)
    return DemoData(loaded.ref, seed, cases, ledger, DEMO_CASES, n)
