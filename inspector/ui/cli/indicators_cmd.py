"""``inspector indicators validate|show|schema``."""

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from inspector.errors import ProblemsError
from inspector.i18n import get_language, t
from inspector.ui.cli.app import command, new_typer, report_problems
from inspector.ui.console import err, esc, out, print_json

if TYPE_CHECKING:
    from decimal import Decimal

    from inspector.core.indicators import LoadedSet
    from inspector.core.indicators.model import Item


def _scoring(item: "Item") -> str:
    from inspector.core.forms import form_of

    return form_of(item).summary(item, get_language())


def _applies(item: "Item") -> str:
    parts = []
    if item.applies_to is not None:
        parts += [*item.applies_to.groups, *item.applies_to.tags]
        if item.applies_to.any:
            parts.append(t("format.report.scope_any", names="/".join(item.applies_to.any)))
        if item.applies_to.except_:
            parts.append(t("format.report.scope_except", names="/".join(item.applies_to.except_)))
    if item.na_allowed:
        parts.append(t("indicators.applies.na_allowed"))
    return "、".join(parts) or t("indicators.applies.all")


def _per(per: str | None, cap: "Decimal | None") -> str:
    from inspector.decimals import plain

    bits = []
    if per:
        bits.append(t("indicators.per", per=per))
    if cap is not None:
        bits.append(t("indicators.max", max=plain(cap)))
    return f"（{'，'.join(bits)}）" if bits else ""


def render_set(loaded: "LoadedSet") -> None:
    from rich.table import Table
    from rich.text import Text

    from inspector.core.indicators.model import localized
    from inspector.decimals import plain

    s = loaded.indicators
    lang = get_language()
    console = out()
    console.print(
        Text(t("indicators.title", title=localized(s, "title", lang), version=s.version), "bold")
    )
    console.print(
        Text(
            t(
                "indicators.meta",
                issuer=localized(s, "issuer", lang),
                year=s.year,
                total=plain(s.total),
                hash=loaded.hash[:12],
            )
        )
    )
    notes = localized(s, "notes", lang)
    if notes:
        console.print(Text(t("format.show.notes", notes=notes)))
    for category in s.categories:
        table = Table(
            title=Text(
                f"{category.code} {localized(category, 'name', lang)}（{plain(category.points)}）"
            ),
            title_justify="left",
            expand=False,
        )
        table.add_column(t("indicators.col.code"), no_wrap=True)
        table.add_column(t("indicators.col.name"))
        table.add_column(t("indicators.col.points"), justify="right", no_wrap=True)
        table.add_column(t("indicators.col.scoring"))
        table.add_column(t("indicators.col.applies"))
        for item in category.items:
            table.add_row(
                Text(item.code),
                Text(str(localized(item, "name", lang))),
                plain(item.points),
                Text(_scoring(item)),
                Text(_applies(item)),
            )
        console.print(table)
    if s.veto:
        console.print(Text(t("indicators.veto"), "bold"))
        for veto in s.veto:
            grade = s.grade(veto.grade)
            grade_name = localized(grade, "name", lang) if grade else veto.grade
            effect = t(f"format.review.effect.{veto.effect}", grade=grade_name)
            console.print(Text(f"  {veto.code}  {localized(veto, 'text', lang)} → {effect}"))
    if s.aggravated:
        heading = t("indicators.aggravated")
        if s.aggravated_cap is not None:
            heading += f"（{t('format.report.aggravated_cap', cap=plain(s.aggravated_cap))}）"
        console.print(Text(heading, "bold"))
        for adj in s.aggravated:
            capped = t("format.report.grade_cap", grade=adj.grade_cap) if adj.grade_cap else ""
            console.print(
                Text(
                    f"  {adj.code}  {localized(adj, 'text', lang)}  −{plain(adj.points)}"
                    f"{_per(adj.per, adj.max)}{capped}"
                )
            )
        for rule in s.aggravated_grades:
            console.print(
                Text("  " + t("format.review.count_grades", count=rule.count, grade=rule.grade))
            )
    if s.bonus:
        heading = t("indicators.bonus", cap=plain(s.bonus.cap))
        if s.bonus_beyond_cap:
            heading = t("format.show.bonus_beyond", bonus=plain(s.bonus.cap), cap=plain(s.cap))
        console.print(Text(heading, "bold"))
        for adj in s.bonus.items:
            console.print(
                Text(
                    f"  {adj.code}  {localized(adj, 'text', lang)}  +{plain(adj.points)}"
                    f"{_per(adj.per, adj.max)}"
                )
            )
    console.print(Text(t("indicators.grades"), "bold"))
    for grade in sorted(s.grades, key=lambda g: g.min, reverse=True):
        upper = f" < {plain(grade.below)}" if grade.below is not None else ""
        console.print(Text(f"  {localized(grade, 'name', lang)}  ≥ {plain(grade.min)}{upper}"))


def register(app: typer.Typer) -> None:
    group = new_typer(t("indicators.help"))
    app.add_typer(group, name="indicators")

    @command(group, "validate", t("indicators.validate.help"))
    def validate(
        files: Annotated[list[Path], typer.Argument(help=t("arg.set_files"))],
    ) -> None:
        from inspector.core.indicators import load_set
        from inspector.decimals import plain

        failed = False
        for path in files:
            try:
                loaded = load_set(path)
            except ProblemsError as exc:
                failed = True
                report_problems(exc)
                err().print(esc(t("indicators.invalid", file=path, count=len(exc.problems))))
                continue
            s = loaded.indicators
            for warning in loaded.warnings:
                err().print(
                    esc(f"{warning.location}: {t('indicators.warning')}{warning.message()}")
                )
            out().print(
                esc(
                    t(
                        "indicators.valid",
                        file=path,
                        categories=len(s.categories),
                        items=sum(1 for _ in s.items()),
                        total=plain(s.total),
                        hash=loaded.hash[:12],
                    )
                )
            )
            if loaded.warnings:
                out().print(esc(t("indicators.warnings", file=path, count=len(loaded.warnings))))
        if failed:
            raise typer.Exit(1)

    @command(group, "show", t("indicators.show.help"))
    def show(
        file: Annotated[Path | None, typer.Argument(help=t("arg.set_file"))] = None,
        as_json: Annotated[bool, typer.Option("--json", help=t("opt.json"))] = False,
    ) -> None:
        from inspector.core.indicators import load_set

        loaded = load_set(file)
        if as_json:
            from inspector.core.indicators.views import set_json

            print_json(set_json(loaded))
        else:
            render_set(loaded)

    @command(group, "schema", t("indicators.schema.help"))
    def schema() -> None:
        from inspector.core.indicators.views import set_schema

        print_json(set_schema())
