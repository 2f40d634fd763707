"""Load and validate a scenario pack folder.

Each YAML file is parsed with line numbers, its ``schema_version`` checked, then validated against the
JSON Schema shipped in ``toolkit/schemas``; then cross-file checks run (codes that must exist, template slots
that must be known). Every problem is collected and reported together with file, line and field.
"""

from __future__ import annotations

import json
import os
import string
from collections import Counter
from collections.abc import Iterable, Mapping
from datetime import date, timedelta
from functools import cache, partial
from importlib import resources
from pathlib import Path
from types import MappingProxyType
from typing import Any, cast

from toolkit.domain.codes import CadreRole, Category, Disposal, ManagementLevel, Sex
from toolkit.domain.models import Cadre
from toolkit.errors import CalendarError, PackError, PackFileError, PackInvalid, SchemaVersionError
from toolkit.packs.defects import build_defects
from toolkit.packs.model import (
    DialogueStage,
    FactTemplate,
    Jurisdiction,
    Mix,
    Named,
    Office,
    Pack,
    ProblemType,
    Rules,
    Town,
    Unit,
    Village,
    WordLists,
)
from toolkit.packs.quiz import DueFn, build_quiz
from toolkit.packs.replies import build_replies
from toolkit.packs.rubrics import build_audit_rubric, build_findings_rubric, build_intake_rubric
from toolkit.packs.rules import build_rules
from toolkit.packs.yamlio import PathKey, YamlDoc, load_yaml
from toolkit.rules.calendar import WorkCalendar

SCHEMA_VERSION_MIN = 1
SCHEMA_VERSION_MAX = 1
FILES = (
    "pack",
    "jurisdiction",
    "people",
    "problems",
    "framing",
    "dialogue",
    "replies",
    "rules",
    "rubrics",
    "defects",
    "quiz",
)

BASE_SLOTS = frozenset(
    {
        "district",
        "city",
        "commission",
        "town",
        "village",
        "reporter_name",
        "accused_name",
        "accused_surname",
        "accused_post",
        "accused_unit_name",
        "accused_town",
        "year",
        "month",
        "day",
    }
)
ACCUSED_SLOTS = frozenset(s for s in BASE_SLOTS if s.startswith("accused_"))
FRAME_SLOTS = BASE_SLOTS | {"reporter_phone", "reporter_address", "problem_name", "superior"}
REPEAT_SLOTS = FRAME_SLOTS | {"prev_year", "prev_month"}
NEW_LEAD_SLOTS = REPEAT_SLOTS | {"evidence"}
DIALOGUE_SLOTS = FRAME_SLOTS | {"facts"}
DEADLINE_MARGIN_DAYS = 92


def default_pack_dirs() -> list[Path]:
    """Where pack names are looked up: ``$XFKIT_PACKS`` (os.pathsep list), ./scenarios, the source tree."""
    dirs = [Path(p) for p in os.environ.get("XFKIT_PACKS", "").split(os.pathsep) if p]
    dirs.append(Path.cwd() / "scenarios")
    dirs.append(Path(__file__).resolve().parents[2] / "scenarios")
    return dirs


def resolve_pack(name_or_path: str | Path) -> Path:
    """A pack folder from a path or a pack name."""
    candidate = Path(name_or_path)
    if candidate.is_dir():
        return candidate
    if isinstance(name_or_path, str) and os.sep not in name_or_path and "/" not in name_or_path:
        for base in default_pack_dirs():
            if (base / name_or_path / "pack.yaml").is_file():
                return base / name_or_path
    raise PackError(
        f"no pack folder {str(name_or_path)!r} (looked in: {', '.join(map(str, default_pack_dirs()))})"
    )


@cache
def _schema(name: str) -> dict[str, Any]:
    text = resources.files("toolkit.schemas").joinpath(f"pack.{name}.schema.json").read_text(encoding="utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


def validate_pack(path: str | Path) -> list[PackFileError]:
    """Every problem in the pack at ``path`` (empty when it is valid)."""
    try:
        load_pack(path)
    except PackInvalid as exc:
        return exc.problems
    except PackFileError as exc:
        return [exc]
    return []


def load_pack(path: str | Path) -> Pack:
    """Load the pack folder (or pack name) ``path``; raise :class:`PackInvalid` listing every problem."""
    folder = resolve_pack(path)
    problems: list[PackFileError] = []
    docs: dict[str, YamlDoc] = {}
    for name in FILES:
        try:
            doc = load_yaml(folder / f"{name}.yaml")
            _check_version(doc)
        except PackFileError as exc:
            problems.append(exc)
            continue
        schema_problems = _schema_errors(doc, _schema(name))
        if schema_problems:
            problems.extend(schema_problems)
        else:
            docs[name] = doc
    if problems:
        raise PackInvalid(folder.name, problems)
    builder = _Builder(docs)
    pack = builder.build(folder.name)
    if builder.problems:
        raise PackInvalid(folder.name, builder.problems)
    assert pack is not None
    return pack


def _check_version(doc: YamlDoc) -> None:
    if not isinstance(doc.data, dict):
        raise PackFileError(doc.file, "the file must be a mapping of fields", line=doc.line(()))
    version = doc.data.get("schema_version")
    if version is None:
        raise PackFileError(doc.file, "schema_version is missing", line=1, field="schema_version")
    if not isinstance(version, int) or isinstance(version, bool):
        raise doc.error(("schema_version",), f"must be a whole number, got {version!r}")
    if version < SCHEMA_VERSION_MIN:
        raise SchemaVersionError(
            doc.file,
            f"schema_version {version} is too old; this toolkit reads "
            f"{SCHEMA_VERSION_MIN}–{SCHEMA_VERSION_MAX}: update the pack (see docs/pack-format.md)",
            line=doc.line(("schema_version",)),
            field="schema_version",
        )
    if version > SCHEMA_VERSION_MAX:
        raise SchemaVersionError(
            doc.file,
            f"schema_version {version} is too new; this toolkit reads "
            f"{SCHEMA_VERSION_MIN}–{SCHEMA_VERSION_MAX}: upgrade xfkit to use this pack",
            line=doc.line(("schema_version",)),
            field="schema_version",
        )


def _schema_errors(doc: YamlDoc, schema: dict[str, Any]) -> list[PackFileError]:
    import jsonschema  # imported here: it is slow to import, and only validation needs it

    validator = jsonschema.Draft202012Validator(schema)
    out: list[PackFileError] = []
    for err in sorted(validator.iter_errors(doc.data), key=lambda e: list(map(str, e.absolute_path))):
        best = jsonschema.exceptions.best_match([err])
        path: PathKey = tuple(best.absolute_path)
        out.append(doc.error(path, _schema_message(best)))
    return out


def _schema_message(err: Any) -> str:
    """A jsonschema ValidationError in plainer words."""
    message = str(err.message)
    if err.validator == "required":
        return message.replace("is a required property", "is required")
    if err.validator == "additionalProperties":
        return message.replace("Additional properties are not allowed", "unknown field(s)")
    if err.validator == "enum":
        allowed = ", ".join(str(v) for v in cast(list[Any], err.validator_value))
        return f"{err.instance!r} is not one of: {allowed}"
    if err.validator == "pattern":
        return f"{err.instance!r} does not have the expected form ({err.validator_value})"
    return message


def slots_of(template: str) -> set[str]:
    """Names of the ``{slot}`` fields in a template; ValueError for malformed braces."""
    return {name for _, name, _, _ in string.Formatter().parse(template) if name is not None}


def _date(value: str) -> date:
    return date.fromisoformat(value)


def _due_fn(rules: Rules, calendar: WorkCalendar | None) -> DueFn | None:
    """How quiz.yaml's date questions recompute their deadline (None when the calendar could not be built)."""
    if calendar is None:
        return None
    cal = calendar

    def due(code: str, start: date, extended: bool) -> date:
        return rules.deadline(code).due(start, cal, extended=extended)

    return due


class _Builder:
    """Turns validated documents into a :class:`Pack`, collecting cross-file problems."""

    def __init__(self, docs: Mapping[str, YamlDoc]) -> None:
        self.docs = docs
        self.problems: list[PackFileError] = []

    def fail(self, file: str, path: PathKey, message: str) -> None:
        self.problems.append(self.docs[file].error(path, message))

    def build(self, folder: str) -> Pack | None:
        meta = self.docs["pack"].data
        if meta["name"] != folder:
            self.fail(
                "pack", ("name",), f"pack name {meta['name']!r} differs from its folder name {folder!r}"
            )
        received = self._window("received_window")
        history = self._window("history_window")
        juris = self._jurisdiction()
        words = self._words()
        cadres = self._cadres(juris)
        rules = self._rules(juris)
        problems = self._problems(juris, rules, cadres)
        framing = self._templates("framing")
        temperaments, stages = self._dialogue()
        replies = build_replies(
            self.docs["replies"],
            partial(self.fail, "replies"),
            temperaments=frozenset(t.code for t in temperaments),
            stages=frozenset(s.code for s in stages),
            problems=frozenset(p.code for p in problems),
        )
        intake_rubric = build_intake_rubric(self.docs["rubrics"], partial(self.fail, "rubrics"))
        findings_rubric = build_findings_rubric(self.docs["rubrics"], partial(self.fail, "rubrics"))
        audit_rubric = build_audit_rubric(self.docs["rubrics"], partial(self.fail, "rubrics"))
        defects = build_defects(self.docs["defects"], partial(self.fail, "defects"))
        calendar = self._calendar(rules)
        quiz = build_quiz(self.docs["quiz"], partial(self.fail, "quiz"), due=_due_fn(rules, calendar))
        if self.problems or calendar is None:
            return None
        self._check_window_covered(received, calendar, "received_window")
        self._check_window_covered(history, calendar, "history_window")
        if self.problems:
            return None
        return Pack(
            name=meta["name"],
            version=meta["version"],
            title_zh=meta["title"]["zh"],
            title_en=meta["title"]["en"],
            description=meta["description"],
            received_window=received,
            history_window=history,
            mix=self._mix(),
            jurisdiction=juris,
            words=words,
            cadres=cadres,
            problems=problems,
            framing=framing,
            temperaments=temperaments,
            stages=stages,
            replies=replies,
            rules=rules,
            intake_rubric=intake_rubric,
            findings_rubric=findings_rubric,
            audit_rubric=audit_rubric,
            defects=defects,
            quiz=quiz,
            calendar=calendar,
        )

    def _window(self, key: str) -> tuple[date, date]:
        raw = self.docs["pack"].data[key]
        try:
            start, end = _date(raw["from"]), _date(raw["to"])
        except ValueError as exc:
            self.fail("pack", (key,), f"not a real date: {exc}")
            return date(2025, 1, 1), date(2025, 1, 1)
        if end < start:
            self.fail("pack", (key, "to"), f"ends ({end}) before it starts ({start})")
        return start, end

    def _mix(self) -> Mix:
        m = self.docs["pack"].data["mix"]
        for key in ("channel", "category"):
            if not any(m[key].values()):
                self.fail("pack", ("mix", key), "at least one weight must be above zero")
        return Mix(
            channel=MappingProxyType(dict(m["channel"])),
            category=MappingProxyType(dict(m["category"])),
            anonymous=m["anonymous"],
            repeat=m["repeat"],
            no_substance=m["no_substance"],
            impersonation=m["impersonation"],
            vague=m["vague"],
            history_size=m["history_size"],
            unverifiable=m.get("unverifiable", 0.0),
            new_lead=m.get("new_lead", 0.0),
            repeat_by_channel=MappingProxyType(dict(m.get("repeat_by_channel", {}))),
            accused_level=MappingProxyType(dict(m.get("accused_level", {}))),
        )

    def _check_window_covered(self, window: tuple[date, date], calendar: WorkCalendar, key: str) -> None:
        # deadlines counted from the last day of the window must be computable too
        last = window[1] + timedelta(days=DEADLINE_MARGIN_DAYS)
        for year in range(window[0].year, last.year + 1):
            if year not in calendar.years:
                self.fail(
                    "pack",
                    (key,),
                    f"the year {year} (this window and the deadlines after it) has no holiday "
                    "data; add it to rules.yaml calendar_years or move the window",
                )
                return

    # -- jurisdiction -----------------------------------------------------------------------------
    def _jurisdiction(self) -> Jurisdiction:
        data = self.docs["jurisdiction"].data
        names: dict[str, str] = {}
        seen: dict[str, PathKey] = {}

        def register(code: str, name: str, path: PathKey) -> None:
            if code in seen:
                self.fail("jurisdiction", (*path, "code"), f"code {code!r} is used twice")
            seen[code] = path
            names[code] = name

        register(data["district"]["code"], data["district"]["name"], ("district",))
        for key in ("commission", "superior", "leadership"):
            register(data[key]["code"], data[key]["name"], (key,))
        towns: list[Town] = []
        town_of: dict[str, str] = {}
        for i, t in enumerate(data["towns"]):
            register(t["code"], t["name"], ("towns", i))
            register(t["commission"]["code"], t["commission"]["name"], ("towns", i, "commission"))
            town_of[t["code"]] = t["code"]
            town_of[t["commission"]["code"]] = t["code"]
            villages = []
            for j, v in enumerate(t["villages"]):
                register(v["code"], t["name"] + v["name"], ("towns", i, "villages", j))
                town_of[v["code"]] = t["code"]
                villages.append(Village(v["code"], v["name"], v["kind"], t["code"]))
            towns.append(
                Town(
                    t["code"],
                    t["name"],
                    t["kind"],
                    Named(t["commission"]["code"], t["commission"]["name"]),
                    tuple(villages),
                )
            )
        units = []
        for i, u in enumerate(data["units"]):
            register(u["code"], u["name"], ("units", i))
            units.append(Unit(u["code"], u["name"], u["short"]))
        offices = []
        supervisor: dict[str, str] = {}
        town_codes = {t.code for t in towns}
        unit_codes = {u.code for u in units}
        for i, o in enumerate(data["offices"]):
            register(o["code"], o["name"], ("offices", i))
            office = Office(
                o["code"], o["name"], o["role"], tuple(o.get("liaises", ())), tuple(o.get("units", ()))
            )
            offices.append(office)
            for key, valid in (("liaises", town_codes), ("units", unit_codes)):
                for j, code in enumerate(o.get(key, ())):
                    if code not in valid:
                        kind = "town" if key == "liaises" else "county unit"
                        self.fail("jurisdiction", ("offices", i, key, j), f"no {kind} with code {code!r}")
                    elif code in supervisor:
                        self.fail(
                            "jurisdiction",
                            ("offices", i, key, j),
                            f"{code!r} is already covered by office {supervisor[code]!r}",
                        )
                    else:
                        supervisor[code] = office.code
        for code in sorted((town_codes | unit_codes) - supervisor.keys()):
            path = seen[code]
            self.fail("jurisdiction", path, f"no office liaises with or supervises {code!r}")
        roles = Counter(o.role for o in offices)
        for role in ("petitions", "trial"):
            if roles[role] != 1:
                self.fail(
                    "jurisdiction",
                    ("offices",),
                    f"exactly one office with role {role!r} is needed, found {roles[role]}",
                )
        return Jurisdiction(
            district=data["district"]["name"],
            city=data["district"]["city"],
            commission=Named(data["commission"]["code"], data["commission"]["name"]),
            superior=Named(data["superior"]["code"], data["superior"]["name"]),
            leadership=Named(data["leadership"]["code"], data["leadership"]["name"]),
            towns=tuple(towns),
            offices=tuple(offices),
            units=tuple(units),
            _names=MappingProxyType(names),
            _town_of=MappingProxyType(town_of),
            _supervisor=MappingProxyType(supervisor),
        )

    # -- people -----------------------------------------------------------------------------------
    def _words(self) -> WordLists:
        d = self.docs["people"].data
        return WordLists(
            surnames=tuple(s["name"] for s in d["surnames"]),
            surname_weights=tuple(float(s["weight"]) for s in d["surnames"]),
            given_male=tuple(d["given_chars"]["male"]),
            given_female=tuple(d["given_chars"]["female"]),
            given_any=tuple(d["given_chars"]["any"]),
            area_codes=tuple(d["area_codes"]),
            mobile_prefixes=tuple(d["mobile_prefixes"]),
            landline_prefix=d["landline_prefix"],
        )

    def _cadres(self, juris: Jurisdiction) -> tuple[Cadre, ...]:
        out = []
        names: set[str] = set()
        unit_kinds = juris.workplace_kinds()
        for i, c in enumerate(self.docs["people"].data["cadres"]):
            if c["name"] in names:
                self.fail("people", ("cadres", i, "name"), f"cadre name {c['name']!r} is used twice")
            names.add(c["name"])
            if c["unit"] not in unit_kinds:
                self.fail(
                    "people",
                    ("cadres", i, "unit"),
                    f"no town, village, county unit, leadership or commission {c['unit']!r} "
                    "in jurisdiction.yaml",
                )
                continue
            out.append(
                Cadre(
                    name=c["name"],
                    sex=Sex(c["sex"]),
                    born=c["born"],
                    post=c["post"],
                    unit=c["unit"],
                    unit_name=juris.name(c["unit"]),
                    level=ManagementLevel(c["level"]),
                    town=juris.town_of(c["unit"]),
                    role=CadreRole(c["role"]) if "role" in c else None,
                )
            )
        return tuple(out)

    # -- problems ---------------------------------------------------------------------------------
    def _problems(
        self, juris: Jurisdiction, rules: Rules, cadres: tuple[Cadre, ...]
    ) -> tuple[ProblemType, ...]:
        out = []
        codes: set[str] = set()
        kinds = juris.workplace_kinds()
        handlers = {o.code for o in juris.offices} | {u.code for u in juris.units}
        for i, p in enumerate(self.docs["problems"].data["problem_types"]):
            at: PathKey = ("problem_types", i)
            if p["code"] in codes:
                self.fail("problems", (*at, "code"), f"problem type {p['code']!r} is defined twice")
            codes.add(p["code"])
            category = Category(p["category"])
            levels = tuple(ManagementLevel(x) for x in p["accused"]["levels"])
            unit_kinds = tuple(p["accused"].get("unit_kinds", ()))
            handler = p.get("handler")
            disposal_raw = p.get("disposal")
            if category is Category.ACCUSATION:
                if not levels:
                    self.fail(
                        "problems", (*at, "accused", "levels"), "an accusation needs at least one level"
                    )
                if disposal_raw is None:
                    self.fail(
                        "problems",
                        (*at, "disposal"),
                        "an accusation needs a disposal for specific and vague facts",
                    )
                elif not any(c.level in levels and kinds[c.unit] in unit_kinds for c in cadres):
                    self.fail(
                        "problems",
                        (*at, "accused"),
                        "no cadre in people.yaml has these levels and unit kinds",
                    )
            else:
                if handler is None:
                    self.fail("problems", (*at, "handler"), f"a {category.value} item needs a handler unit")
                if levels:
                    self.fail(
                        "problems", (*at, "accused", "levels"), f"a {category.value} item has no accused"
                    )
            if handler is not None and handler not in handlers:
                self.fail("problems", (*at, "handler"), f"no office or county unit with code {handler!r}")
            disposal = None
            if disposal_raw is not None:
                disposal = {k: Disposal(v) for k, v in disposal_raw.items()}
                for k, v in disposal.items():
                    if v not in rules.disposals:
                        self.fail(
                            "problems",
                            (*at, "disposal", k),
                            f"disposal {v.value!r} is not allowed by rules.yaml disposals",
                        )
            amount = None
            if "amount" in p:
                a = p["amount"]
                if a["min"] > a["max"]:
                    self.fail("problems", (*at, "amount"), f"min {a['min']} is above max {a['max']}")
                amount = (a["min"], a["max"], a["step"])
            event_days = (30, 420)
            if "event_days" in p:
                ev = p["event_days"]
                if ev["min"] > ev["max"]:
                    self.fail("problems", (*at, "event_days"), f"min {ev['min']} is above max {ev['max']}")
                event_days = (ev["min"], ev["max"])
            variables = {k: tuple(v) for k, v in p.get("vars", {}).items()}
            allowed = BASE_SLOTS | set(variables) | ({"amount"} if amount else set())
            if category is not Category.ACCUSATION:
                allowed -= ACCUSED_SLOTS
            facts = []
            for j, f in enumerate(p["facts"]):
                self._check_slots("problems", (*at, "facts", j, "text"), f["text"], allowed)
                facts.append(FactTemplate(f["specificity"], f["text"]))
            kinds_of_fact = {f.specificity for f in facts}
            if category is Category.ACCUSATION and not {"specific", "vague"} <= kinds_of_fact:
                self.fail(
                    "problems", (*at, "facts"), "an accusation needs both specific and vague fact templates"
                )
            if disposal is not None and "unverifiable" in kinds_of_fact and "unverifiable" not in disposal:
                self.fail(
                    "problems",
                    (*at, "disposal"),
                    "the problem has unverifiable fact templates but no disposal for them",
                )
            out.append(
                ProblemType(
                    code=p["code"],
                    name=p["name"],
                    category=category,
                    accused_levels=levels,
                    accused_unit_kinds=unit_kinds,
                    handler=handler,
                    disposal=MappingProxyType(disposal) if disposal is not None else None,
                    keywords=tuple(p["keywords"]),
                    vars=MappingProxyType(variables),
                    amount=amount,
                    facts=tuple(facts),
                    event_days=event_days,
                )
            )
        return tuple(out)

    def _check_slots(self, file: str, path: PathKey, template: str, allowed: Iterable[str]) -> None:
        try:
            used = slots_of(template)
        except ValueError as exc:
            self.fail(file, path, f"malformed template braces: {exc}")
            return
        unknown = sorted(used - set(allowed))
        if unknown:
            names = ", ".join("{" + u + "}" for u in unknown)
            self.fail(file, path, f"unknown template slot(s) {names}")

    # -- framing and dialogue ---------------------------------------------------------------------
    def _templates(self, file: str) -> Mapping[str, Any]:
        data = self.docs[file].data

        def walk(value: Any, path: PathKey) -> Any:
            if isinstance(value, dict):
                return MappingProxyType(
                    {k: walk(v, (*path, k)) for k, v in value.items() if k != "schema_version"}
                )
            if isinstance(value, list):
                return tuple(walk(v, (*path, i)) for i, v in enumerate(value))
            if isinstance(value, str):
                allowed = (
                    REPEAT_SLOTS
                    if path and path[0] == "repeat_hint"
                    else NEW_LEAD_SLOTS
                    if path and path[0] == "new_lead_hint"
                    else FRAME_SLOTS
                )
                self._check_slots(file, path, value, allowed)
            return value

        result: Mapping[str, Any] = walk(data, ())
        return result

    def _dialogue(self) -> tuple[tuple[Named, ...], tuple[DialogueStage, ...]]:
        data = self.docs["dialogue"].data
        temperaments = tuple(Named(t["code"], t["name"]) for t in data["temperaments"])
        tcodes = {t.code for t in temperaments}
        stages = []
        seen: set[str] = set()
        for i, s in enumerate(data["stages"]):
            at: PathKey = ("stages", i)
            if s["code"] in seen:
                self.fail("dialogue", (*at, "code"), f"stage {s['code']!r} appears twice")
            seen.add(s["code"])
            missing = tcodes - set(s["visitor"])
            # the identity stage may add lines for visitors who give no name
            extra = set(s["visitor"]) - tcodes - ({"anonymous"} if s["code"] == "identity" else set())
            if missing:
                self.fail(
                    "dialogue", (*at, "visitor"), f"no lines for temperament(s) {', '.join(sorted(missing))}"
                )
            if extra:
                self.fail("dialogue", (*at, "visitor"), f"unknown temperament(s) {', '.join(sorted(extra))}")
            for side in ("officer", "visitor"):
                for key, lines in s[side].items():
                    for j, line in enumerate(lines):
                        self._check_slots("dialogue", (*at, side, key, j), line, DIALOGUE_SLOTS)
            stages.append(
                DialogueStage(
                    s["code"],
                    MappingProxyType({k: tuple(v) for k, v in s["officer"].items()}),
                    MappingProxyType({k: tuple(v) for k, v in s["visitor"].items()}),
                )
            )
        if "facts" not in seen:
            self.fail(
                "dialogue", ("stages",), "a stage with code 'facts' is needed (the visitor states the facts)"
            )
        return temperaments, tuple(stages)

    # -- rules ------------------------------------------------------------------------------------
    def _rules(self, juris: Jurisdiction) -> Rules:
        problems = self.docs.get("problems")
        codes = frozenset(p["code"] for p in problems.data["problem_types"]) if problems is not None else None
        return build_rules(self.docs["rules"], juris, codes, partial(self.fail, "rules"))

    def _calendar(self, rules: Rules) -> WorkCalendar | None:
        try:
            return WorkCalendar(rules.calendar_years)
        except CalendarError as exc:
            self.fail("rules", ("calendar_years",), str(exc))
            return None
