"""Team inspections: ``whoami``, ``config set``, ``team add|list``, ``assign``, ``merge``,
``conflicts`` and ``resolve``."""

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from inspector.i18n import t
from inspector.ui.cli.app import command, new_typer
from inspector.ui.cli.common import (
    db_option,
    inspector_option,
    json_option,
    round_option,
    self_option,
)

if TYPE_CHECKING:
    from inspector.app.team import Side


def _side(side: "Side") -> str:
    """One side of a conflict in words: the decision, the problem, who and when."""
    import json

    if side.entries is not None:
        text = "、".join(f"{k}×{n}" for k, n in sorted(side.entries.items())) or t("team.none")
    elif side.answer is None:
        return t("team.none")
    else:
        from inspector.core.forms import answer_to_dict

        data = answer_to_dict(side.answer)
        text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    who = f"{side.by} {side.at.replace('T', ' ')[:16]}".strip()
    return f"{text}\n{who}" if who else text


def register(app: typer.Typer) -> None:
    @command(app, "whoami", t("team.whoami.help"))
    def whoami(
        as_json: Annotated[bool, json_option()] = False,
    ) -> None:
        from rich.text import Text

        from inspector.app.team import whoami as who
        from inspector.ui.console import out, print_json

        me = who()
        if as_json:
            print_json({"inspector": me.name, "source": me.source, "config": me.config})
            return
        out().print(Text(t(f"team.whoami.{me.source}", name=me.name, config=me.config)))

    config_app = new_typer(t("team.config.help"))
    app.add_typer(config_app, name="config")

    @command(config_app, "set", t("team.config.set.help"))
    def config_set(
        key: Annotated[str, typer.Argument(help=t("team.arg.key"))],
        value: Annotated[str, typer.Argument(help=t("team.arg.value"))],
    ) -> None:
        from rich.text import Text

        from inspector.app.actors import config_path, set_config
        from inspector.ui.console import out

        stored = set_config(key, value)
        out().print(Text(t("team.config.saved", key=key, value=stored, path=config_path())))

    team_app = new_typer(t("team.help"))
    app.add_typer(team_app, name="team")

    @command(team_app, "add", t("team.add.help"))
    def team_add(
        name: Annotated[str, typer.Argument(help=t("team.arg.team"))],
        members: Annotated[str, typer.Option("--members", help=t("team.opt.members"))] = "",
        inspector: Annotated[str | None, inspector_option()] = None,
        db: Annotated[Path | None, db_option()] = None,
    ) -> None:
        from rich.text import Text

        from inspector.app.actors import acting
        from inspector.app.team import add_team
        from inspector.app.workspaces import opened
        from inspector.ui.console import command_line, out

        names = [m for m in members.replace("，", ",").replace("、", ",").split(",")]
        with opened(db) as ws:
            team = add_team(ws, name, names, acting(inspector), command_line())
        out().print(Text(t("team.added", team=team.name, members="、".join(team.members) or "—")))

    @command(team_app, "list", t("team.list.help"))
    def team_list(
        as_json: Annotated[bool, json_option()] = False,
        round_name: Annotated[str | None, round_option()] = None,
        db: Annotated[Path | None, db_option()] = None,
    ) -> None:
        from rich.table import Table
        from rich.text import Text

        from inspector.app.team import team_units
        from inspector.app.workspaces import opened
        from inspector.ui.console import out, print_json

        with opened(db) as ws:
            rows = team_units(ws, ws.round(round_name))
        if as_json:
            print_json(
                [{"team": r.name, "members": list(r.members), "units": list(r.units)} for r in rows]
            )
            return
        if not rows:
            out().print(Text(t("team.list.none")))
            return
        table = Table()
        for col in ("team", "members", "units"):
            table.add_column(t(f"team.col.{col}"), overflow="fold")
        for r in rows:
            table.add_row(Text(r.name), Text("、".join(r.members)), Text("、".join(r.units)))
        out().print(table)

    @command(app, "assign", t("team.assign.help"))
    def assign(
        team: Annotated[str, typer.Argument(help=t("team.arg.team"))],
        units: Annotated[list[str], typer.Argument(help=t("team.arg.units"))],
        categories: Annotated[
            str, typer.Option("--categories", help=t("team.opt.categories"))
        ] = "",
        inspector: Annotated[str | None, inspector_option()] = None,
        round_name: Annotated[str | None, round_option()] = None,
        db: Annotated[Path | None, db_option()] = None,
    ) -> None:
        from rich.text import Text

        from inspector.app.actors import acting
        from inspector.app.team import assign as assign_units
        from inspector.app.workspaces import opened
        from inspector.ui.console import command_line, out

        cats = categories.replace("，", ",").split(",") if categories else []
        with opened(db) as ws:
            changed = assign_units(
                ws, round_name, team, units, cats, acting(inspector), command_line()
            )
        out().print(Text(t("team.assigned", team=team, count=changed)))

    @command(app, "merge", t("merge.help"))
    def merge(
        others: Annotated[list[Path], typer.Argument(help=t("merge.arg.others"))],
        dry_run: Annotated[bool, typer.Option("--dry-run", help=t("merge.opt.dry_run"))] = False,
        inspector: Annotated[str | None, inspector_option()] = None,
        db: Annotated[Path | None, db_option()] = None,
    ) -> None:
        from rich.text import Text

        from inspector.app.actors import acting
        from inspector.app.merge import merge_one
        from inspector.app.workspaces import opened
        from inspector.ui.console import command_line, out

        console = out()
        with opened(db) as ws:
            who = acting(inspector)
            for path in others:
                merged = merge_one(ws, path, dry_run=dry_run, who=who, command=command_line())
                c = merged.counts
                if merged.nothing:
                    console.print(Text(t("merge.nothing", path=path)))
                    continue
                key = "merge.dry_run" if dry_run else "merge.done"
                console.print(
                    Text(
                        t(
                            key,
                            path=path,
                            units=c.units,
                            assessments=c.assessments,
                            items=c.items,
                            same=c.same,
                            conflicts=c.conflicts,
                            audit=c.audit,
                            ledger=c.ledger,
                        )
                    )
                )
                if c.unconfirmed:
                    console.print(Text(t("merge.unconfirmed", count=c.unconfirmed), "yellow"))
                if c.conflict_units:
                    units = "、".join(dict.fromkeys(c.conflict_units))
                    console.print(Text(t("merge.see_conflicts", units=units), "bold"))

    @command(app, "conflicts", t("conflicts.help"))
    def conflicts_cmd(
        unit: Annotated[str | None, typer.Argument(help=t("conflicts.arg.unit"))] = None,
        self_flag: Annotated[bool, self_option()] = False,
        as_json: Annotated[bool, json_option()] = False,
        round_name: Annotated[str | None, round_option()] = None,
        db: Annotated[Path | None, db_option()] = None,
    ) -> None:
        from rich.table import Table
        from rich.text import Text

        from inspector.app.team import conflicts
        from inspector.app.workspaces import opened
        from inspector.ui.console import out, print_json

        with opened(db) as ws:
            _, views = conflicts(ws, round_name, unit, "self" if self_flag else "inspection")
        if as_json:
            from inspector.core.forms import answer_to_dict

            def side(s: "Side") -> dict[str, object]:
                return {
                    "answer": answer_to_dict(s.answer) if s.answer is not None else None,
                    "entries": s.entries,
                    "by": s.by,
                    "at": s.at,
                }

            print_json(
                [
                    {
                        "unit": v.unit.name,
                        "item": v.target.lstrip("@"),
                        "mine": side(v.mine),
                        "theirs": side(v.theirs),
                        "source": v.source,
                    }
                    for v in views
                ]
            )
            return
        if not views:
            out().print(Text(t("conflicts.none")))
            return
        table = Table(show_lines=True)
        for col in ("unit", "item", "mine", "theirs"):
            table.add_column(t(f"conflicts.col.{col}"), overflow="fold")
        for v in views:
            table.add_row(
                Text(v.unit.name),
                Text(v.target.lstrip("@")),
                Text(_side(v.mine)),
                Text(_side(v.theirs) + "\n" + v.source),
            )
        out().print(table)
        out().print(Text(t("conflicts.how")))

    @command(app, "resolve", t("resolve.help"))
    def resolve(
        unit: Annotated[str, typer.Argument(help=t("arg.unit"))],
        item: Annotated[str, typer.Argument(help=t("resolve.arg.item"))],
        take: Annotated[str, typer.Option("--take", help=t("resolve.opt.take"))],
        self_flag: Annotated[bool, self_option()] = False,
        inspector: Annotated[str | None, inspector_option()] = None,
        round_name: Annotated[str | None, round_option()] = None,
        db: Annotated[Path | None, db_option()] = None,
    ) -> None:
        from rich.text import Text

        from inspector.app.actors import acting
        from inspector.app.team import resolve as resolve_one
        from inspector.app.workspaces import opened
        from inspector.ui.console import command_line, out

        with opened(db) as ws:
            resolve_one(
                ws,
                round_name,
                unit,
                item,
                take,
                acting(inspector),
                command_line(),
                "self" if self_flag else "inspection",
            )
        out().print(Text(t(f"resolve.done.{take}", unit=unit, item=item)))
