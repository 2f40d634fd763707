"""The audit organiser's desk (trainer-only): set up an audit, hand out links, follow it, download reports.

Two tabs. **New audit**: the population (the demo ledger, an uploaded ledger file, or generated dossiers),
the sample (stratified or not, by a rate with a minimum per stratum or by a confidence level and margin),
the reviewers (a CSV list: name and unit) and k; *Preview* shows the sample's formula and composition
against the population, *Create* stores the audit and lists every reviewer's personal link. **Progress and
report**: for a stored audit, each reviewer's progress and link, the report as the printable page shows it,
and downloads of the Excel workbook and the printable HTML report.

The server refuses this page without the trainer secret, and every action here checks the role again.
"""

from __future__ import annotations

import html
import os
import tempfile
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import ipywidgets as widgets  # type: ignore[import-untyped, unused-ignore]

from toolkit.audit.model import STRATA_KEYS, Audit, AuditItem, Reviewer, Sample
from toolkit.audit.population import dossier_population, ledger_population, results_for
from toolkit.audit.sampling import draw_sample
from toolkit.audit.setup import demo_reviewers, new_audit, parse_reviewers, reviewers_csv, unknown_units
from toolkit.errors import AssignmentInfeasible, AuditError
from toolkit.generate.cases import CaseGenerator
from toolkit.generate.pick import new_seed
from toolkit.i18n import t
from toolkit.packs import Pack
from toolkit.store import Store
from toolkit.ui.audit_item import code_label
from toolkit.ui.busy import Busy
from toolkit.ui.context import PageContext, require_trainer
from toolkit.ui.download import HTML_MIME, XLSX_MIME, data_link
from toolkit.ui.frame import Page
from toolkit.ui.picker import Picker
from toolkit.ui.practice import loaded_pack, practice_page

__all__ = ["AuditDesk", "audit_desk_app"]

APP = "audit_desk"
SOURCES = ("demo", "upload", "dossiers")
CONFIDENCES = (0.9, 0.95, 0.99)


class AuditDesk:
    """The organiser's desk; built by :func:`audit_desk_app` inside a :class:`Page`."""

    def __init__(self, page: Page, pack: Pack, gen: CaseGenerator, url: str, *, data_dir: Path) -> None:
        require_trainer(page.ctx)
        self.page = page
        self.pack = pack
        self.lang = lang = page.lang
        self.data_dir = data_dir
        self.store = Store.open(url)
        guard = page.messages.guard
        style = {"description_width": "9em"}
        wide = widgets.Layout(width="100%", max_width="40em")
        self.name = widgets.Text(
            value=t("desk.default_name", lang, day=date.today().isoformat()),
            description=t("desk.name", lang),
            style=style,
            layout=wide,
        )
        self.source = widgets.ToggleButtons(
            options=[(t(f"desk.source.{s}", lang), s) for s in SOURCES],
            value="demo",
            description=t("desk.source", lang),
            style=style,
        )
        self.upload = widgets.FileUpload(
            accept=".csv,.xlsx", multiple=False, description=t("desk.upload", lang)
        )
        self.dossiers = widgets.BoundedIntText(
            value=60, min=1, max=2000, description=t("desk.dossiers", lang), style=style
        )
        self.by = widgets.SelectMultiple(
            options=[(t(f"desk.by.{key}", lang), key) for key in STRATA_KEYS],
            value=("unit",),
            rows=len(STRATA_KEYS),
            description=t("desk.by", lang),
            style=style,
        )
        self.method = widgets.ToggleButtons(
            options=[
                (t("desk.method.rate", lang), "rate"),
                (t("desk.method.confidence", lang), "confidence"),
            ],
            value="rate",
            description=t("desk.method", lang),
            style=style,
        )
        self.rate = widgets.BoundedFloatText(
            value=0.1, min=0.01, max=1.0, step=0.01, description=t("desk.rate", lang), style=style
        )
        self.min_per_stratum = widgets.BoundedIntText(
            value=2, min=0, max=1000, description=t("desk.min_per_stratum", lang), style=style
        )
        self.confidence = widgets.Dropdown(
            options=[(f"{c:.0%}", c) for c in CONFIDENCES],
            value=0.95,
            description=t("desk.confidence", lang),
            style=style,
        )
        self.margin = widgets.BoundedFloatText(
            value=0.05, min=0.01, max=0.5, step=0.01, description=t("desk.margin", lang), style=style
        )
        self.seed = widgets.BoundedIntText(
            value=new_seed() % 1_000_000, min=0, max=2**40, description=t("desk.seed", lang), style=style
        )
        self.k = widgets.BoundedIntText(value=2, min=1, max=5, description=t("desk.k", lang), style=style)
        self.reviewers = widgets.Textarea(
            value=reviewers_csv(demo_reviewers(pack)),
            description=t("desk.reviewers", lang),
            style=style,
            layout=widgets.Layout(width="100%", max_width="40em", height="12em"),
        )
        self.busy = Busy(lang=lang)
        self.preview_button = widgets.Button(description=t("desk.preview", lang))
        self.create_button = widgets.Button(description=t("desk.create", lang), button_style="primary")
        self.preview_out = widgets.HTML()
        self.created = widgets.HTML()
        self.preview_button.on_click(guard(lambda _b: self.preview()))
        self.create_button.on_click(guard(lambda _b: self.create()))
        self.source.observe(lambda _c: self._show_source(), names="value")
        self.method.observe(lambda _c: self._show_method(), names="value")

        setup = widgets.VBox(
            children=(
                self.name,
                self.source,
                self.upload,
                self.dossiers,
                self.by,
                widgets.HTML(value=f'<p class="xf-hint">{html.escape(t("desk.by_hint", lang))}</p>'),
                self.method,
                self.rate,
                self.min_per_stratum,
                self.confidence,
                self.margin,
                self.seed,
                self.k,
                self.reviewers,
                widgets.HTML(value=f'<p class="xf-hint">{html.escape(t("desk.reviewers_hint", lang))}</p>'),
                widgets.HBox(children=(self.preview_button, self.create_button, self.busy.widget)),
                self.preview_out,
                self.created,
            )
        )
        setup.add_class("xf-start")

        self._pick = Picker(
            on_pick=guard(self.show),
            description=t("desk.pick", lang),
            style=style,
            layout=widgets.Layout(width="100%", max_width="46em"),
        )
        self.pick = self._pick.widget
        self.refresh_button = widgets.Button(description=t("desk.refresh", lang))
        self.progress = widgets.HTML()
        self.downloads = widgets.HTML()
        self.report = widgets.HTML()
        self.refresh_button.on_click(guard(lambda _b: self.show(str(self.pick.value or ""))))
        follow = widgets.VBox(
            children=(
                widgets.HBox(children=(self.pick, self.refresh_button)),
                self.progress,
                self.downloads,
                self.report,
            )
        )
        self.tabs = widgets.Tab(children=(setup, follow))
        self.tabs.titles = (t("desk.tab.new", lang), t("desk.tab.follow", lang))
        self.tabs.add_class("xf-tabs")
        page.body.children = (self.tabs,)
        self._show_source()
        self._show_method()
        self._list_audits()

    # -- the set-up form ---------------------------------------------------------------------------

    def _show_source(self) -> None:
        self.upload.layout.display = "" if self.source.value == "upload" else "none"
        self.dossiers.layout.display = "" if self.source.value == "dossiers" else "none"

    def _show_method(self) -> None:
        rate = self.method.value == "rate"
        self.rate.layout.display = "" if rate else "none"
        self.confidence.layout.display = self.margin.layout.display = "none" if rate else ""

    def _population(self) -> tuple[tuple[AuditItem, ...], str]:
        from toolkit.ledger.importer import read_ledger

        source = self.source.value
        if source == "dossiers":
            items, _ = dossier_population(self.pack, int(self.seed.value), int(self.dossiers.value))
            return items, f"dossiers:{int(self.dossiers.value)}"
        if source == "demo":
            path = self.data_dir / "demo" / "ledger.xlsx"
            if not path.is_file():
                raise AuditError(t("desk.no_demo", self.lang, path=str(path)))
            return ledger_population(read_ledger(path, self.pack), self.pack), "ledger:demo"
        files = self.upload.value
        if not files:
            raise AuditError(t("desk.no_upload", self.lang))
        upload = files[0]
        name = Path(str(upload["name"])).name
        suffix = Path(name).suffix.lower()
        if suffix not in (".csv", ".xlsx"):
            raise AuditError(t("desk.bad_upload", self.lang, name=name))
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / name
            path.write_bytes(bytes(upload["content"]))
            return ledger_population(read_ledger(path, self.pack), self.pack), f"ledger:{name}"

    def _sampling(self) -> dict[str, Any]:
        rate = self.method.value == "rate"
        return {
            "seed": int(self.seed.value),
            "by": tuple(self.by.value),
            "rate": float(self.rate.value) if rate else None,
            "min_per_stratum": int(self.min_per_stratum.value),
            "confidence": None if rate else float(self.confidence.value),
            "margin": float(self.margin.value),
        }

    def _sample_html(self, sample: Sample) -> str:
        lang = self.lang
        heads = [t(f"desk.by.{key}", lang) for key in sample.by] or [t("desk.stratum.all", lang)]
        head = "".join(f"<th>{html.escape(h)}</th>" for h in heads)
        rows = []
        for stratum in sample.strata:
            cells = [
                code_label(key, value, self.pack, lang)
                for key, value in zip(sample.by, stratum.key, strict=True)
            ]
            share = stratum.sample / stratum.population if stratum.population else 0
            rows.append(
                "".join(f"<td>{html.escape(c)}</td>" for c in (cells or [t("desk.stratum.all", lang)]))
                + f'<td class="xf-num">{stratum.population}</td><td class="xf-num">{stratum.sample}</td>'
                f'<td class="xf-num">{share:.0%}</td>'
            )
        cols = "".join(
            f"<th>{html.escape(t(f'desk.col.{c}', lang))}</th>" for c in ("population", "sample", "share")
        )
        rule = sample.rule
        return (
            f"<h3>{html.escape(t('desk.sample_title', lang, n=rule.size, total=rule.population))}</h3>"
            f"<p><code>{html.escape(rule.formula)}</code></p>"
            f'<table class="xf-table"><thead><tr>{head}{cols}</tr></thead>'
            f"<tbody>{''.join(f'<tr>{r}</tr>' for r in rows)}</tbody></table>"
        )

    def preview(self) -> None:
        """Draw the sample as set up and show its formula and composition (nothing is stored)."""
        require_trainer(self.page.ctx)
        with self.busy.working(self.preview_button, self.create_button):
            population, _ = self._population()
            sample = draw_sample(population, **self._sampling())
        self.preview_out.value = self._sample_html(sample)

    def create(self) -> None:
        """Sample, assign, store the audit, and list each reviewer's link."""
        require_trainer(self.page.ctx)
        reviewers = parse_reviewers(
            str(self.reviewers.value).encode("utf-8"), t("desk.reviewers_source", self.lang)
        )
        with self.busy.working(self.preview_button, self.create_button):
            population, source = self._population()
            try:
                audit = self._new_audit(population, source, reviewers)
            except AssignmentInfeasible as exc:
                self.page.messages.error(self._infeasible(exc))
                return
            self.store.add_audit(audit)
        self.preview_out.value = self._sample_html(audit.sample)
        unknown = unknown_units(reviewers, self.pack)
        note = t("desk.unknown_units", self.lang, units=", ".join(unknown))
        warning = f'<p class="xf-hint">{html.escape(note)}</p>' if unknown else ""
        self.created.value = (
            f"<h3>{html.escape(t('desk.created', self.lang, id=audit.id, n=len(audit.items)))}</h3>"
            + warning
            + self._links_html(audit, {})
        )
        self.page.messages.info(t("desk.created", self.lang, id=audit.id, n=len(audit.items)))
        self._list_audits(audit.id)

    def _new_audit(
        self, population: tuple[AuditItem, ...], source: str, reviewers: tuple[Reviewer, ...]
    ) -> Audit:
        return new_audit(
            name=str(self.name.value),
            pack=self.pack.ref,
            source=source,
            population=population,
            reviewers=reviewers,
            k=int(self.k.value),
            **self._sampling(),
        )

    def _infeasible(self, exc: AssignmentInfeasible) -> str:
        j = self.pack.jurisdiction
        unit = j.name(exc.unit) if j.has(exc.unit) else exc.unit
        if not unit:
            return str(exc)
        return t("desk.infeasible", self.lang, unit=unit, needed=exc.needed, available=exc.available)

    # -- following an audit ------------------------------------------------------------------------

    def _link(self, audit: Audit, reviewer: str) -> str:
        query = {"audit": audit.id, "r": audit.tokens[reviewer]}
        if self.lang != "zh":
            query["lang"] = self.lang
        return f"{self.page.ctx.base_url}voila/render/audit.ipynb?{urlencode(query)}"

    def _links_html(self, audit: Audit, progress: dict[str, tuple[int, int]]) -> str:
        lang = self.lang
        loads = audit.assignment.loads()
        j = self.pack.jurisdiction
        rows = []
        for r in audit.reviewers:
            unit = j.name(r.unit) if j.has(r.unit) else r.unit
            done, assigned = progress.get(r.name, (0, loads.get(r.name, 0)))
            link = self._link(audit, r.name)
            rows.append(
                f"<tr><td>{html.escape(r.name)}</td><td>{html.escape(unit)}</td>"
                f'<td class="xf-num">{done} / {assigned}</td>'
                f'<td><a href="{html.escape(link, quote=True)}" target="_blank" rel="noopener">'
                f"{html.escape(t('desk.open_link', lang))}</a> <code>{html.escape(link)}</code></td></tr>"
            )
        cols = "".join(
            f"<th>{html.escape(t(f'desk.col.{c}', lang))}</th>"
            for c in ("reviewer", "unit", "progress", "link")
        )
        return f'<table class="xf-table"><thead><tr>{cols}</tr></thead><tbody>{"".join(rows)}</tbody></table>'

    def _list_audits(self, select: str | None = None) -> None:
        records = self.store.audits()
        options = [(f"{r.name} ({r.id})", r.id) for r in records]
        self._pick.set(options, select if select is not None else (options[0][1] if options else None))
        if not options:
            self.progress.value = f'<p class="xf-hint">{html.escape(t("desk.no_audits", self.lang))}</p>'
        else:
            self.show(str(self.pick.value))

    def show(self, audit_id: str) -> None:
        """Progress, links, the report and its downloads for ``audit_id``."""
        from toolkit.reports.audit_html import audit_report_html
        from toolkit.reports.audit_workbook import audit_workbook_bytes

        require_trainer(self.page.ctx)
        if not audit_id:
            return
        audit = self.store.audit(audit_id)
        if audit is None:
            raise AuditError(t("desk.unknown_audit", self.lang, id=audit_id))
        pack = self.pack if audit.pack == self.pack.ref else loaded_pack(audit.pack.partition("@")[0])[0]
        with self.busy.working(self.refresh_button, self.pick):
            reviews = self.store.reviews(audit.id)
            results = results_for(audit, reviews, pack)
            report = audit_report_html(results, pack, lang=self.lang)
            workbook = audit_workbook_bytes(results, pack, reviews=reviews, lang=self.lang)
        done = sum(1 for r in results.items if r.complete)
        self.progress.value = (
            f"<h3>{html.escape(t('desk.progress', self.lang, done=done, total=len(results.items)))}</h3>"
            + self._links_html(audit, dict(results.progress))
        )
        self.downloads.value = (
            data_link(workbook, XLSX_MIME, f"{audit.id}.xlsx", t("desk.download.xlsx", self.lang))
            + " "
            + data_link(
                report.encode("utf-8"), HTML_MIME, f"{audit.id}.html", t("desk.download.html", self.lang)
            )
        )
        self.report.value = (
            f'<iframe class="xf-report-frame" title="{html.escape(t("desk.report", self.lang), quote=True)}" '
            f'srcdoc="{html.escape(report, quote=True)}"></iframe>'
        )


def audit_desk_app(
    ctx: PageContext | None = None, *, store: str | None = None, data_dir: str | None = None
) -> Page:
    """Build the audit organiser's desk; anyone who is not a trainer sees only the access-denied message."""
    folder = Path(data_dir if data_dir is not None else os.environ.get("XFKIT_DATA", "data"))
    return practice_page(
        lambda page, pack, gen, url: AuditDesk(page, pack, gen, url, data_dir=folder),
        code=APP,
        ctx=ctx,
        store=store,
    )
