"""The scoring session: one card per applicable item, saved item by item, then the review.

Every confirmed item is written at once (one transaction, see ``app.recording.save``), so an
interrupt, an end of input or a killed process loses at most the line being typed. Input is
read with ``input()`` (or an injected reader), never with terminal-specific calls, so the
flow runs wherever Python's ``input`` does.
"""

from __future__ import annotations

import contextlib
import re
import shlex
from collections.abc import Callable
from pathlib import Path

from rich.console import Console
from rich.text import Text

from inspector.app import queries, recording
from inspector.app import team as team_app
from inspector.app.locking import may_change
from inspector.app.types import Kind, Round, StoredAssessment, Unit, Workspace
from inspector.app.workspaces import db_path
from inspector.core.answers import check_adjustment, check_answer, check_decision
from inspector.core.assessment import FULL, AdjustmentKind, ItemAnswer
from inspector.core.forms import Reason, canonical, form_of, registered
from inspector.core.indicators.model import Adjustment, Category, Item
from inspector.core.scoring import UnitResult, default_problem, fmt, score_item, score_unit
from inspector.errors import ConflictError
from inspector.i18n import get_language, t
from inspector.ui.interactive.card import (
    SLACK,
    CardInput,
    describe,
    detail_lines,
    item_screen,
)
from inspector.ui.interactive.parse import (
    CONFIRM_WORDS,
    CategoryNotApplicable,
    Command,
    Entry,
    Full,
    InputError,
    NotApplicable,
    Scored,
    Scoring,
    entry_text,
    normalise,
    parse_entries,
    parse_item_line,
    split_commands,
)
from inspector.ui.interactive.review import (
    ReviewInput,
    entries,
    finish_screen,
    review_screen,
)
from inspector.ui.interactive.review import entry_text as recorded_entry
from inspector.ui.interactive.wrap import hang, truncate, wrap

Reader = Callable[[str], str]
REVIEW = -1  # "return to the review screen" as a position
EXIT_OK = 0
EXIT_INTERRUPTED = 130


class _Quit(Exception):
    pass


class _Edit(Exception):
    """Back to the card of an item someone else changed, to edit it."""


def _prefill_reader(read: Reader) -> Callable[[str, str], str]:
    """A reader that offers ``text`` for editing where GNU readline (or libedit) is loaded;
    elsewhere (Windows) the prompt names the current text and Enter keeps it."""
    try:
        import readline
    except ImportError:  # pragma: no cover - Windows
        return lambda prompt, _text: read(prompt)
    if read is not input:
        return lambda prompt, _text: read(prompt)

    def prefilled(prompt: str, text: str) -> str:
        readline.set_startup_hook(lambda: readline.insert_text(text))
        try:
            return read(prompt)
        finally:
            readline.set_startup_hook(None)

    return prefilled


class Session:
    def __init__(
        self,
        ws: Workspace,
        round_: Round,
        unit: Unit,
        kind: Kind,
        who: str,
        command: str,
        reopen: bool,
        console: Console,
        read: Reader,
        resume_hint: str,
    ) -> None:
        self.ws = ws
        self.round = round_
        self.unit = unit
        self.kind = kind
        self.who = who
        self.command = command
        self.reopen = reopen
        self.console = console
        self.read = read
        self.read_prefilled = _prefill_reader(read)
        self.resume_hint = resume_hint
        self.lang = get_language()
        self.indicators = round_.indicators
        tags = set(unit.tags)
        self.applicable: list[tuple[Category, Item]] = [
            (c, i) for c, i in self.indicators.items() if i.applies(unit.group, tags)
        ]
        self.pos = 0
        self.mode = "item"
        self.return_to: int | None = None
        self.pending: dict[str, str] = {}
        self.message: Text | None = None
        self.reopened_now = False
        self.stored = StoredAssessment(kind)
        self.own = StoredAssessment("self")
        self.result: UnitResult | None = None
        self.own_result: UnitResult | None = None
        self.today = recording.round_today(ws, round_)
        self.armed: str | None = None  # the item whose full marks wait for a second Enter
        self.versions: dict[str, int] = {}  # each item's version as its card shows it
        self.marks: dict[str, team_app.Mark] = {}
        self.pending_code: str | None = None  # the item whose draft ``pending`` holds
        self.lease: int | None = None
        self.conflicts: dict[str, team_app.ConflictView] = {}
        self.refresh()

    # --- state -------------------------------------------------------------------------------

    def refresh(self) -> None:
        self.stored = queries.assessment(self.ws, self.round, self.unit, self.kind)
        self.versions = {
            code: v.version
            for code, v in team_app.item_versions(self.ws, self.round, self.unit, self.kind).items()
        }
        self.marks = team_app.marks(self.ws, self.round, self.unit, self.kind)
        self.conflicts = (
            {v.target: v for v in team_app.conflicts(self.ws, self.round.name, self.unit.name)[1]}
            if self.kind == "inspection"
            else {}
        )
        self.result = score_unit(
            self.indicators, self.unit.group, self.unit.tags, self.stored.assessment
        )
        if self.kind == "inspection":
            self.own = queries.assessment(self.ws, self.round, self.unit, "self")
            self.own_result = (
                score_unit(self.indicators, self.unit.group, self.unit.tags, self.own.assessment)
                if self.own.items
                else None
            )

    def answer(self, item: Item) -> ItemAnswer | None:
        stored = self.stored.items.get(item.code)
        return stored.answer if stored is not None else None

    def unscored(self) -> list[Item]:
        return [item for _, item in self.applicable if item.code not in self.stored.items]

    def answered(self) -> int:
        return len(self.applicable) - len(self.unscored())

    def first_unscored(self) -> int | None:
        return next(
            (
                n
                for n, (_, item) in enumerate(self.applicable)
                if item.code not in self.stored.items
            ),
            None,
        )

    # --- output ------------------------------------------------------------------------------

    def show(self, lines: list[Text]) -> None:
        if self.console.is_terminal:
            self.console.clear()
        self.console.print(Text("\n").join(lines), no_wrap=True, overflow="crop")

    def say(self, text: Text) -> None:
        """A message below the screen, wrapped the way the cards are."""
        width = max(self.console.width - SLACK, 20)
        self.console.print(Text("\n").join(wrap(text, width)), no_wrap=True, overflow="crop")

    def note(self, key: str, style: str = "green", /, **params: object) -> None:
        self.message = Text(t(key, **params), style)

    def error(self, key: str, /, **params: object) -> None:
        self.message = Text("✗ " + t(key, **params), "bold red")

    def bar(self, extra: str) -> Text:
        width = max(self.console.width - SLACK, 20)
        left = t(
            "scorer.bar.unit",
            unit=self.unit.name,
            group=self.unit.group,
            kind=t(f"scorer.kind.{self.kind}"),
        ) + t("team.scorer.bar.who", who=self.who)
        if len_cells(left) + len_cells(extra) + 2 > width:  # cut the name, never a figure
            left = truncate(Text(left), max(width - len_cells(extra) - 2, 1)).plain
        gap = max(width - len_cells(left) - len_cells(extra), 2)
        return Text(left + " " * gap + extra, "reverse")

    # --- the session -------------------------------------------------------------------------

    def run(self) -> int:
        try:
            self.start()
            while True:
                if self.mode in ("review", "finish"):
                    if self.review_step():
                        return EXIT_OK
                else:
                    self.item_step()
        except KeyboardInterrupt:
            with contextlib.suppress(OSError):
                self.console.print()
            self.farewell("scorer.bye.interrupted")
            return EXIT_INTERRUPTED
        except EOFError:
            with contextlib.suppress(OSError):
                self.console.print()
            self.farewell("scorer.bye.eof")
            return EXIT_OK
        except _Quit:
            self.farewell("scorer.bye.quit")
            return EXIT_OK
        finally:
            self.end_lease()

    def start(self) -> None:
        may_change(self.ws, self.round, self.unit, self.kind, reopen=self.reopen)
        self.start_team()
        first = self.first_unscored()
        if self.stored.confirmed:
            self.mode = "review"
            self.note("scorer.start.confirmed", "yellow")
        elif first is None:
            self.mode = "review"
            if self.applicable:
                self.note("scorer.start.complete", "yellow")
        elif self.answered():
            self.pos = first
            self.note(
                "scorer.start.resume",
                "yellow",
                answered=self.answered(),
                total=len(self.applicable),
                code=self.applicable[first][1].code,
            )

    def farewell(self, key: str) -> None:
        # the workspace may be gone with the terminal; say what we can
        with contextlib.suppress(Exception):
            self.refresh()
        text = t(
            key,
            answered=self.answered(),
            total=len(self.applicable),
            unit=self.unit.name,
            command=self.resume_hint,
        )
        if self.stored.confirmed:
            text = t("scorer.bye.confirmed", unit=self.unit.name)
        elif not self.unscored() and self.applicable:
            text += t("scorer.bye.unconfirmed", command=self.resume_hint)
        with contextlib.suppress(OSError):  # a terminal that was closed cannot be told
            self.say(Text(text))

    # --- what a team can trust -------------------------------------------------------------

    def progress(self) -> str:
        """ "第 5/29 项  暂计 97.37（已评 4/29）": provisional until every item is scored."""
        assert self.result is not None
        done = not self.unscored()
        params = {
            "n": self.pos + 1,
            "total": len(self.applicable),
            "answered": self.answered(),
            "score": fmt(self.result.total),
        }
        text = t("trust.bar.total" if done else "trust.bar.provisional", **params)
        if len_cells(text) + 4 > self.console.width:  # a narrow terminal: the figures only
            text = t("trust.bar.short_total" if done else "trust.bar.short", **params)
        return text

    def decision(self, item: Item, answer: ItemAnswer) -> tuple[ItemAnswer, list[Reason]]:
        """``core.answers.check_decision`` for an inspection; a score below full that has no
        problem text asks for one here (an empty answer keeps the item as it was)."""
        if self.kind != "inspection":
            return answer, []
        before = self.answer(item)
        reasons = check_decision(item, canonical(item, answer), self.today, before)
        if reasons and all(key == "trust.problem_needed" for key, _ in reasons):
            self.say(Text(t("trust.ask.problem", item=item.code), "bold"))
            typed = self.read_prefilled(t("scorer.prompt.text"), "").strip()
            if typed:
                answer = answer.with_texts(problem=typed)
                reasons = check_decision(item, canonical(item, answer), self.today, before)
        return answer, reasons

    def enter_needs_a_second_look(self, item: Item) -> bool:
        """Enter on an unscored item gives full marks at once, unless the unit's own
        assessment took points or a text is waiting: then it asks once (Enter confirms)."""
        own = self.own_result.item(item.code) if self.own_result is not None else None
        own_lost = own is not None and own.answered and not own.na and own.lost > 0
        if not own_lost and not self.pending:
            return False
        self.armed = item.code
        reason = "trust.enter.self" if own_lost else "trust.enter.draft"
        lost = fmt(own.lost) if own is not None and own_lost else ""
        self.note(reason, "bold yellow", item=item.code, lost=lost)
        return True

    # --- team: leases, other teams' units, versions, marks and drafts -------------------------

    def start_team(self) -> None:
        """Ask before scoring another team's unit; take a lease on the unit and say who else
        has it open."""
        if self.kind == "inspection":
            others = team_app.other_team(self.ws, self.round, self.unit, self.who)
            if others:
                self.say(
                    Text(
                        t(
                            "team.scorer.other_team",
                            unit=self.unit.name,
                            teams="、".join(others),
                            who=self.who,
                        ),
                        "bold yellow",
                    )
                )
                if normalise(self.read(t("team.scorer.other_team_prompt"))) not in CONFIRM_WORDS:
                    raise _Quit
        self.lease, holders = team_app.open_lease(
            self.ws, self.round, self.unit, self.kind, self.who
        )
        if holders:
            names = "、".join(
                t("team.scorer.holder", who=h.who, host=h.host, since=h.started_at[11:16])
                for h in holders
            )
            self.note("team.scorer.lease", "bold yellow", unit=self.unit.name, holders=names)

    def end_lease(self) -> None:
        if self.lease is not None:
            with contextlib.suppress(Exception):  # the workspace may be gone with the session
                team_app.close_lease(self.ws, self.lease)
            self.lease = None

    def renew_lease(self) -> None:
        if self.lease is not None:
            with contextlib.suppress(Exception):  # a busy workspace: renewed on the next line
                team_app.renew_lease(self.ws, self.lease)

    def load_draft(self, item: Item) -> None:
        """Arriving on an unscored item, bring back the texts typed on it before."""
        if self.pending_code == item.code:
            return
        self.pending_code = item.code
        self.pending = {}
        if item.code not in self.stored.items:
            draft = team_app.drafts(self.ws, self.round, self.unit, self.kind).get(item.code)
            if draft:
                self.pending = dict(draft)
                if self.message is None:
                    self.note("team.scorer.draft_restored", "yellow")

    def keep_draft(self, item: Item) -> None:
        team_app.save_draft(
            self.ws, self.round, self.unit, self.kind, item.code, self.pending, self.who
        )

    def mark(self, item: Item, note: str) -> None:
        """``/k 文字`` marks the item 待核实 with a note; ``/k -`` clears the mark."""
        text = note.strip()
        if not text:
            current = self.marks.get(item.code)
            self.say(Text(t("team.scorer.ask_mark"), "bold"))
            text = self.read_prefilled(t("scorer.prompt.text"), current.note if current else "")
            text = text.strip()
            if not text:
                self.note("scorer.na.cancelled", "yellow")
                return
        cleared = text == "-"
        team_app.set_mark(
            self.ws,
            self.round,
            self.unit,
            self.kind,
            item.code,
            None if cleared else text,
            self.who,
            self.command,
        )
        self.refresh()
        self.note(
            "team.scorer.unmarked" if cleared else "team.scorer.marked", "yellow", code=item.code
        )

    def show_conflict(self, item: Item) -> None:
        """On the card of an item in conflict after a merge, the other side's decision."""
        view = self.conflicts.get(item.code)
        if view is None or self.message is not None:
            return
        category = next(c for c, i in self.applicable if i.code == item.code)
        theirs = view.theirs
        text = Text(
            t(
                "team.scorer.conflict",
                who=theirs.by,
                at=theirs.at.replace("T", " ")[:16],
                source=Path(view.source).name,
            ),
            "bold yellow",
        )
        if theirs.answer is not None:
            scored = score_item(item, category, theirs.answer, True)
            text.append_text(describe(item, scored, self.lang))
        text.append(t("team.scorer.conflict_how"), "yellow")
        self.message = text

    def settle(self, item: Item, take: str, quiet: bool = False) -> None:
        """``/take`` or ``/mine`` on an item in conflict (``inspector resolve`` in the scorer)."""
        if item.code not in self.conflicts:
            if not quiet:
                self.error("team.scorer.no_conflict", code=item.code)
            return
        side = "theirs" if take == "take" else take
        team_app.resolve(
            self.ws, self.round.name, self.unit.name, item.code, side, self.who, self.command
        )
        self.refresh()
        if not quiet:
            self.note(f"resolve.done.{side}", "green", unit=self.unit.name, item=item.code)

    def changed_elsewhere(
        self, item: Item, mine: ItemAnswer, error: team_app.ItemChanged
    ) -> ItemAnswer | None:
        """Someone saved this item since its card was shown: show both decisions and let
        the inspector keep theirs (returns the answer to save over it), take the other, or
        edit (both return None)."""
        theirs = error.theirs
        category = next(c for c, i in self.applicable if i.code == item.code)

        def words(answer: ItemAnswer | None) -> Text:
            if answer is None:
                return Text(t("team.none"))
            return describe(item, score_item(item, category, answer, True), self.lang)

        width = max(self.console.width - SLACK, 20)
        mine_line = Text(t("team.scorer.mine", who=self.who)) + words(mine)
        theirs_line = Text(
            t(
                "team.scorer.theirs",
                who=theirs.scored_by if theirs else "—",
                at=(theirs.scored_at.replace("T", " ")[:16] if theirs else "—"),
            )
        ) + words(theirs.answer if theirs else None)
        lines = [Text(t("team.scorer.changed", code=item.code), "bold red")]
        lines += wrap(mine_line, width) + wrap(theirs_line, width)
        self.show(lines)
        while True:
            choice = normalise(self.read(t("team.scorer.changed_prompt")))
            if choice in ("k", "keep", "保留"):
                return mine
            if choice in ("t", "take", "采用"):
                self.refresh()
                self.note("team.scorer.taken", "yellow", code=item.code)
                return None
            if choice in ("e", "edit", "编辑"):
                self.refresh()
                self.note("team.scorer.edit", "yellow", code=item.code)
                self.return_to = None
                raise _Edit
            self.say(Text(t("team.scorer.changed_again"), "yellow"))

    # --- item cards --------------------------------------------------------------------------

    def card(self) -> CardInput:
        category, item = self.applicable[self.pos]
        assert self.result is not None
        current = self.result.item(item.code)
        own = self.own_result.item(item.code) if self.own_result is not None else None
        progress = self.progress()
        return CardInput(
            category=category,
            item=item,
            indicators=self.indicators,
            bar=self.bar(progress),
            current=current if current is not None and current.answered else None,
            own=own if own is not None and own.answered else None,
            pending=dict(self.pending),
            message=self.message,
            hint=self.hint(item),
            lang=self.lang,
        )

    def hint(self, item: Item, clipped: bool = False) -> Text:
        form = form_of(item)
        full = "scorer.hint.full" if form.scored else "format.hint.nothing_found"
        parts = [t("scorer.hint.keep" if self.answer(item) else full)]
        parts.append(form.hint(item, self.lang))
        if self.answer(item):
            parts.append(t("scorer.hint.equals"))
        parts.append(t("scorer.hint.texts"))
        if item.na_allowed:
            parts.append(t("scorer.hint.na"))
        category = next((c for c, i in self.applicable if i is item), None)
        if category is not None and category.na_allowed:
            parts.append(t("format.hint.category_na"))
        parts.append(t("scorer.hint.back"))
        if clipped:
            parts.append(t("scorer.hint.info"))
        parts.append(t("scorer.hint.help"))
        return Text(t("scorer.hint.sep").join(parts), "dim")

    def item_step(self) -> None:
        self.renew_lease()
        self.load_draft(self.applicable[self.pos][1])
        self.show_conflict(self.applicable[self.pos][1])
        card = self.card()
        lines, clipped = item_screen(card, self.console.width, self.console.height)
        if clipped:
            lines[-1] = truncate(self.hint(card.item, True), self.console.width - SLACK)
        self.show(lines)
        self.message = None
        raw = self.read(t("scorer.prompt.item", code=card.item.code))
        try:
            line = parse_item_line(raw, card.item)
        except InputError as exc:
            if word_meant(raw) is not None:  # "q", "退出", "help": point to /q and ?
                self.error(f"trust.word.{word_meant(raw)}", word=raw.strip())
            else:
                self.error(exc.key, **keyed(card.item, exc.params))
            return
        armed, self.armed = self.armed, None
        if line.command is not None:
            self.navigate(line.command, card)
            return
        category, item = self.applicable[self.pos]
        current = self.answer(item)
        settle = [name for name, _ in line.texts if name in ("take", "mine")]
        if settle:
            self.settle(item, settle[-1])
            return
        marks = [value for name, value in line.texts if name == "mark"]
        if marks:
            self.mark(item, marks[-1])
            line = type(line)(line.scoring, tuple(x for x in line.texts if x[0] != "mark"))
            if line.empty:
                return
        texts: dict[str, str | None] = {}
        for name, value in line.texts:
            texts[name] = value if value else self.ask_text(item, name, current)
        scoring = line.scoring
        if isinstance(scoring, CategoryNotApplicable):
            self.category_na(category, scoring.reason)
            return
        if isinstance(scoring, NotApplicable):
            if not item.na_allowed:
                self.error("answer.na_not_allowed", item=item.code)
                return
            if not scoring.reason:
                reason = self.ask_na_reason(current)
                if not reason:
                    self.note("scorer.na.cancelled", "yellow")
                    return
                scoring = NotApplicable(reason)
        if scoring is None and not line.texts:
            if current is not None and not self.pending:
                self.advance()
                return
            if current is None and armed != item.code and self.enter_needs_a_second_look(item):
                return
            base = current if current is not None else FULL
            self.commit(category, item, self.with_texts(item, base, dict(self.pending)))
            return
        if scoring is None:
            if current is None:
                for name, value in texts.items():
                    if value == "-":
                        self.pending.pop(name, None)
                    elif value:
                        self.pending[name] = value
                self.keep_draft(item)
                if self.pending:
                    self.note("scorer.texts.pending", "yellow")
                return
            answer = self.with_texts(item, current, texts)
            if answer != current:
                self.commit(category, item, answer, advance=False)
            return
        answer = self.build(item, scoring, current)
        answer = self.with_texts(item, answer, {**self.pending, **texts})
        self.commit(category, item, answer)

    def category_na(self, category: Category, reason: str) -> None:
        """``/nc 理由``: every applicable item of the category N/A, saved in one go."""
        if not category.na_allowed:
            self.error("format.scorer.category_na_not_allowed", code=category.code)
            return
        if not reason:
            name = str(self.category_name(category))
            self.say(Text(t("format.scorer.ask_category_na", code=category.code, name=name)))
            reason = self.read_prefilled(t("scorer.prompt.text"), "").strip()
            if not reason:
                self.note("scorer.na.cancelled", "yellow")
                return
        members = [item for c, item in self.applicable if c is category]
        answers: dict[str, ItemAnswer | None] = {}
        for item in members:
            current = self.answer(item)
            kept = current.texts() if current is not None else {}
            lasting = {k: v for k, v in kept.items() if k in ("evidence", "note")}
            answers[item.code] = ItemAnswer("na", na_reason=reason, **lasting)
        self.save(items=answers)
        self.pending = {}
        self.message = Text(
            t("format.scorer.category_na_saved", code=category.code, count=len(members)), "green"
        )
        self.reopen_notice()
        last = max(n for n, (c, _) in enumerate(self.applicable) if c is category)
        self.pos = last
        self.advance()

    def category_name(self, category: Category) -> object:
        from inspector.core.indicators.model import localized

        return localized(category, "name", self.lang)

    def build(self, item: Item, scoring: Scoring, current: ItemAnswer | None) -> ItemAnswer:
        kept = current.texts() if current is not None else {}
        lasting = {k: v for k, v in kept.items() if k in ("evidence", "note")}
        if isinstance(scoring, Full):
            return ItemAnswer("full", **lasting)
        if isinstance(scoring, NotApplicable):
            return ItemAnswer("na", na_reason=scoring.reason, **lasting)
        assert isinstance(scoring, Scored)
        return ItemAnswer(form_of(item).answer_key, scoring.value, **kept)

    def with_texts(
        self, item: Item, answer: ItemAnswer, texts: dict[str, str | None]
    ) -> ItemAnswer:
        """``answer`` with texts applied: None leaves a field, "-" clears it. A problem typed
        exactly as its default is stored as the default (None), as an answers file would."""
        changes: dict[str, str | None] = {}
        for name, value in texts.items():
            if value is None:
                continue
            changes[name] = None if value.strip() == "-" else value.strip() or None
        result = answer.with_texts(**changes) if changes else answer
        if result.problem is not None:
            category = next(c for c, i in self.applicable if i.code == item.code)
            scored = score_item(item, category, result.with_texts(problem=None), True)
            if result.problem == default_problem(item, scored, self.lang):
                result = result.with_texts(problem=None)
        return result

    def commit(
        self, category: Category, item: Item, answer: ItemAnswer, advance: bool = True
    ) -> None:
        reasons = check_answer(item, canonical(item, answer), True)
        if not reasons:
            answer, reasons = self.decision(item, answer)
        if reasons:
            self.message = Text(
                "✗ " + "；".join(t(key, **keyed(item, params)) for key, params in reasons),
                "bold red",
            )
            return
        try:
            self.save(items={item.code: answer}, expect={item.code: self.versions.get(item.code)})
        except team_app.ItemChanged as changed:
            try:
                kept = self.changed_elsewhere(item, answer, changed)
            except _Edit:
                return
            if kept is None:
                self.pending = {}
                if advance:
                    self.advance()
                return
            self.save(items={item.code: kept})
        if item.code in self.conflicts:  # decided with both shown: this decision stands
            self.settle(item, "mine", quiet=True)
        self.pending = {}
        assert self.result is not None
        result = self.result.item(item.code)
        summary = describe(item, result, self.lang) if result is not None else Text()
        self.message = Text(t("scorer.saved", code=item.code), "green")
        self.message.append_text(summary)
        self.reopen_notice()
        if advance:
            self.advance()

    def save(
        self,
        items: dict[str, ItemAnswer | None] | None = None,
        adjustments: dict[AdjustmentKind, dict[str, int]] | None = None,
        expect: dict[str, int | None] | None = None,
        expect_adjustments: dict[AdjustmentKind, dict[str, int]] | None = None,
    ) -> None:
        """Save at once (one transaction); with ``--reopen``, a confirmed assessment is
        reopened first (audited) and the change says so. ``expect``: the versions the
        items had when shown (an item changed since is refused, ``team_app.ItemChanged``)."""
        saved = recording.save(
            self.ws,
            self.round,
            self.unit,
            self.kind,
            who=self.who,
            command=self.command,
            reopen=self.reopen,
            items=items,
            adjustments=adjustments,
            expect=expect,
            expect_adjustments=expect_adjustments,
        )
        if saved.reopened:
            self.reopened_now = True
        self.refresh()

    def reopen_notice(self) -> None:
        """Put "unlocked" in front of the message about the change that unlocked it."""
        if self.reopened_now:
            self.reopened_now = False
            notice = Text(t("scorer.reopened") + " ", "bold yellow")
            self.message = notice + self.message if self.message is not None else notice

    def advance(self) -> None:
        if self.return_to is not None:
            target, self.return_to = self.return_to, None
            if target == REVIEW:
                self.mode = "review"
                return
            self.pos = target
        else:
            self.pos += 1
        if self.pos >= len(self.applicable):
            first = self.first_unscored()
            if first is None:
                self.mode = "review"
            else:
                self.pos = first
                extra = Text(
                    " "
                    + t(
                        "scorer.wrapped",
                        count=len(self.unscored()),
                        code=self.applicable[first][1].code,
                    ),
                    "yellow",
                )
                if self.message is None:
                    self.message = extra
                else:
                    self.message.append_text(extra)

    def leave_item(self) -> None:
        if self.pending:  # kept as a draft (saved as typed), brought back on return
            self.pending = {}
            self.pending_code = None
            self.note("team.scorer.drafted", "yellow")

    # --- asking for texts -----------------------------------------------------------------

    def ask_text(self, item: Item, name: str, current: ItemAnswer | None) -> str | None:
        existing = self.pending.get(name) or (getattr(current, name) if current else None)
        default = None
        if name == "problem" and current is not None:
            category = next(c for c, i in self.applicable if i.code == item.code)
            default = default_problem(
                item, score_item(item, category, current.with_texts(problem=None), True), self.lang
            )
        shown = existing or default
        self.say(Text(t(f"scorer.ask.{name}", current=shown or t("scorer.ask.nothing")), "bold"))
        self.say(Text(t("scorer.ask.how"), "dim"))
        answer = self.read_prefilled(t("scorer.prompt.text"), shown or "")
        if not answer.strip():
            return None
        if shown and answer.strip() == shown:
            return None
        return answer

    def ask_na_reason(self, current: ItemAnswer | None) -> str:
        existing = current.na_reason if current is not None and current.na_reason else ""
        self.say(Text(t("scorer.ask.na"), "bold"))
        return self.read_prefilled(t("scorer.prompt.text"), existing).strip()

    # --- navigation --------------------------------------------------------------------------

    def navigate(self, command: Command, card: CardInput | None) -> None:
        name = command.name
        if name == "quit":
            raise _Quit
        if name == "help":
            self.page(self.help_lines())
        elif name == "info" and card is not None:
            self.page(detail_lines(card, self.console.width))
        elif name == "info":
            self.review_card()
        elif name == "list":
            self.list_screen()
        elif name == "review":
            self.leave_item()
            self.mode = "review"
            self.return_to = None
        elif name == "back":
            self.leave_item()
            self.return_to = None
            if self.mode == "finish":
                self.mode = "review"
            elif self.mode == "review":
                self.mode = "item"
                self.pos = len(self.applicable) - 1
            elif self.pos == 0:
                self.note("scorer.nav.first", "yellow")
            else:
                self.pos -= 1
        elif name == "skip":
            self.leave_item()
            if self.mode == "item":
                self.advance()
        elif name == "goto":
            code = command.arg or self.read(t("scorer.prompt.goto")).strip()
            self.goto(code)

    def goto(self, code: str) -> bool:
        wanted = normalise(code)
        for n, (_, item) in enumerate(self.applicable):
            if normalise(item.code) == wanted:
                self.leave_item()
                self.return_to = REVIEW if self.mode != "item" else self.pos
                if self.return_to == n:
                    self.return_to = None
                self.mode = "item"
                self.pos = n
                return True
        other = self.indicators.item(code.strip())
        if other is not None:
            self.error("scorer.nav.not_applicable", code=other.code, unit=self.unit.name)
        else:
            self.error(
                "scorer.nav.unknown",
                code=code,
                first=self.applicable[0][1].code if self.applicable else "—",
                last=self.applicable[-1][1].code if self.applicable else "—",
            )
        return False

    def page(self, lines: list[Text]) -> None:
        """A screen to read; Enter returns."""
        self.show(lines)
        self.read(t("scorer.prompt.return"))

    def help_lines(self) -> list[Text]:
        width = max(self.console.width - SLACK, 20)
        lines: list[Text] = [Text(t("scorer.help.title"), "bold")]
        if self.mode == "item":  # each scoring form the set uses explains its own input
            used = {form_of(item).key for _, item in self.applicable}
            forms = [form.help(self.lang) for form in registered() if form.key in used]
            entries = [t("scorer.help.start"), *forms, t("scorer.help.item")]
            if any(c.na_allowed for c, _ in self.applicable):
                entries.append(t("format.help.category_na"))
        else:
            entries = [t("scorer.help.review")]
        rows = [entry.partition("|") for entry in "\n".join(entries).split("\n")]
        column = min(max(len_cells(key) for key, _, _ in rows) + 2, width // 3)
        for key, _, meaning in rows:
            lines += hang(Text(key, "bold cyan"), Text(meaning), width, column)
        return lines

    def list_screen(self) -> None:
        width = max(self.console.width - SLACK, 20)
        height = max(self.console.height - 3, 4)
        remaining = self.unscored()
        lines: list[Text] = [
            Text(t("scorer.list.title", count=len(remaining), total=len(self.applicable)), "bold")
        ]
        entries_ = [Text(f"{item.code} ") + Text(str(self.item_name(item))) for item in remaining]
        entries_ += self.marked_entries()
        if len(entries_) <= height:
            lines += [truncate(e, width) for e in entries_]
        else:
            half = (len(entries_) + 1) // 2
            col = width // 2
            for left, right in zip(entries_[:half], [*entries_[half:], Text()], strict=False):
                row = truncate(left, col - 1)
                row.append(" " * (col - len_cells(row.plain)))
                row.append_text(truncate(right, col - 1))
                lines.append(row)
        self.show(lines)
        code = self.read(t("scorer.prompt.list")).strip()
        if code:
            self.goto(code)

    def marked_entries(self) -> list[Text]:
        """The items marked 待核实, for the list screen."""
        if not self.marks:
            return []
        found = [Text(t("team.scorer.list.marked", count=len(self.marks)), "bold")]
        for code, mark in self.marks.items():
            found.append(Text(f"{code} ", "yellow") + Text(mark.note))
        return found

    def item_name(self, item: Item) -> str:
        from inspector.core.indicators.model import localized

        return str(localized(item, "name", self.lang))

    # --- review ------------------------------------------------------------------------------

    def review_input(self) -> ReviewInput:
        view = queries.view_of(self.ws, self.round, self.unit)
        state = (
            "scorer.bar.confirmed"
            if self.stored.confirmed
            else "scorer.bar.finish"
            if self.mode == "finish"
            else "scorer.bar.review"
        )
        extra = t(state, answered=self.answered(), total=len(self.applicable))
        return ReviewInput(view, self.kind, self.bar(extra), self.message, self.lang)

    def review_step(self) -> bool:
        """One prompt of the review (or of the final checklist); True once confirmed."""
        finishing = self.mode == "finish"
        inp = self.review_input()
        if finishing:
            lines = finish_screen(inp, self.console.width, self.console.height)
        else:
            lines, _ = review_screen(inp, self.unscored(), self.console.width, self.console.height)
        self.show(lines)
        self.message = None
        raw = self.read(t("scorer.prompt.finish" if finishing else "scorer.prompt.review"))
        head, commands = split_commands(raw)
        text = normalise(head)
        if commands:
            if text or len(commands) > 1:
                self.error("scorer.input.alone")
                return False
            name, arg = commands[0]
            if name in (
                "problem",
                "rectify",
                "evidence",
                "note",
                "deadline",
                "na",
                "skip",
                "mark",
                "take",
                "mine",
            ):
                self.error("scorer.review.item_command")
                return False
            self.navigate(Command(name, arg), None)
            return False
        if text in ("?", "？"):
            self.page(self.help_lines())
            return False
        if text == "<":
            self.navigate(Command("back"), None)
            return False
        if text.startswith((">", "@")) and len(text) > 1:
            self.goto(text[1:].strip())
            return False
        if not text and finishing:
            self.note("scorer.finish.enter", "yellow")
            return False
        if not text or text in CONFIRM_WORDS:
            if self.unscored():
                codes = "、".join(i.code for i in self.unscored())
                self.error("scorer.review.incomplete", codes=codes)
                return False
            if finishing:
                return self.confirm()
            self.mode = "finish"
            return False
        catalogue = [(kind, entry.code) for kind, entry in entries(self.indicators)]
        meant = word_meant(head)
        if meant is not None and not any(code == head.strip() for _, code in catalogue):
            self.error(f"trust.word.{meant}", word=head.strip())
            return False
        try:
            typed = parse_entries(entry_text(head), catalogue)
        except InputError as exc:
            self.error(exc.key, **exc.params)
            return False
        self.apply_entries(typed)
        return False

    def apply_entries(self, typed: list[Entry]) -> None:
        current = {k: self.stored.adjustments(k) for k in ("veto", "aggravated", "bonus")}
        changed: dict[str, dict[str, int]] = {}
        for entry in typed:
            if entry.count:
                pool = [e for kind, e in entries(self.indicators) if kind == entry.kind]
                if entry.kind == "veto":
                    if entry.count > 1:
                        self.error("answer.count_once", rule=entry.code, count=entry.count)
                        return
                else:
                    adjustments = [e for e in pool if isinstance(e, Adjustment)]
                    reason = check_adjustment(adjustments, entry.code, entry.count)
                    if reason is not None:
                        self.error(reason[0], **reason[1])
                        return
            values = changed.setdefault(entry.kind, dict(current[entry.kind]))
            if entry.count:
                values[entry.code] = entry.count
            else:
                values.pop(entry.code, None)
        if not changed:
            return
        try:
            self.save(adjustments=changed, expect_adjustments={k: current[k] for k in changed})
        except team_app.AdjustmentsChanged as other:
            # saved elsewhere since this screen was read: nothing is saved over it
            self.refresh()
            entries_now = "、".join(
                recorded_entry(self.indicators, other.adjustment, code, n, self.lang)
                for code, n in other.theirs.items()
            )
            self.error(
                "team.scorer.adjustments_changed",
                kind=t(f"scorer.review.kind.{other.adjustment}"),
                entries=entries_now or t("scorer.review.none"),
            )
            return
        self.note("scorer.review.saved")
        self.reopen_notice()

    def confirm(self) -> bool:
        missing = self.unscored()
        if missing:
            self.error("scorer.review.incomplete", codes="、".join(i.code for i in missing))
            return False
        if self.stored.confirmed:
            self.say(Text(t("scorer.review.still_confirmed", unit=self.unit.name), "bold"))
            return True
        try:
            confirmed = recording.confirm(
                self.ws, self.round, self.unit, self.kind, who=self.who, command=self.command
            )
        except ConflictError as exc:  # open conflicts or items marked 待核实
            self.message = Text("✗ " + exc.message(), "bold red")
            self.mode = "review"
            return False
        self.refresh()
        assert self.result is not None
        rank = confirmed.standing.rank if self.kind == "inspection" else None
        self.say(
            Text(
                t(
                    "scorer.review.confirmed",
                    unit=self.unit.name,
                    kind=t(f"scorer.kind.{self.kind}"),
                    total=fmt(self.result.total),
                    grade=self.grade_name(self.result.grade),
                    rank=rank if rank is not None else "—",
                ),
                "bold green",
            )
        )
        return True

    def grade_name(self, name: str) -> str:
        from inspector.core.indicators.model import localized

        grade = self.indicators.grade(name)
        return str(localized(grade, "name", self.lang)) if grade is not None else name

    def review_card(self) -> None:
        from inspector.ui.views import score_card

        review = self.review_input()
        self.show([])
        self.console.print(score_card(review.view, self.kind))
        self.read(t("scorer.prompt.return"))


WORDS = {
    "q": "quit",
    "quit": "quit",
    "exit": "quit",
    "退出": "quit",
    "help": "help",
    "帮助": "help",
    "h": "help",
}


def word_meant(raw: str) -> str | None:
    """ "quit" or "help" for a word typed without its slash (``q``, ``退出``, ``帮助``)."""
    return WORDS.get(normalise(raw))


def keyed(item: Item, params: dict[str, object]) -> dict[str, object]:
    """A message's parameters with rule ids as the card's keys (r1 → a)."""
    keys = form_of(item).card_keys(item)
    if not keys:
        return params
    return {
        name: keys.get(value, value)
        if name in ("rule", "other") and isinstance(value, str)
        else value
        for name, value in params.items()
    }


def len_cells(text: str) -> int:
    from rich.cells import cell_len

    return cell_len(text)


def resume_command(ws: Workspace, unit: Unit, kind: Kind, round_name: str | None) -> str:
    parts = ["inspector", "score", unit.name]
    if kind == "self":
        parts.append("--self")
    if round_name:
        parts += ["--round", round_name]
    try:
        same = Path(ws.path).resolve() == db_path().resolve()
    except OSError:
        same = False
    if not same:
        parts += ["--db", str(ws.path)]
    return " ".join(_quote(p) for p in parts)


def _quote(word: str) -> str:
    """Quote for a shell only when needed: Chinese unit names stay readable."""
    return word if re.fullmatch(r"[^\s'\"\\$`!*?;&|<>(){}\[\]#~]+", word) else shlex.quote(word)


def run_scorer(
    ws: Workspace,
    round_name: str | None,
    unit_name: str,
    kind: Kind,
    *,
    reopen: bool = False,
    who: str,
    command: str | None = None,
    console: Console | None = None,
    read: Reader | None = None,
    ask_name: bool = False,
) -> int:
    """Score ``unit_name`` interactively; returns the exit code (0, or 130 after Ctrl-C).

    ``console`` and ``read`` default to the terminal and ``input``; tests pass their own.
    With ``ask_name`` (no name was ever set on this machine), the inspector's name is asked
    for first, and kept for the next sessions (``config set inspector``).
    """
    from inspector.ui.console import command_line, terminal

    if ask_name:
        who = _ask_name(console or Console(highlight=False, emoji=False), read or input, who)

    round_ = queries.find_round(ws, round_name)
    unit = queries.find_unit(ws, unit_name)
    if read is None:
        with contextlib.suppress(ImportError):  # line editing and history, where available
            import readline  # noqa: F401
    session = Session(
        ws,
        round_,
        unit,
        kind,
        who,
        command or command_line(),
        reopen,
        console or terminal(),
        read or input,
        resume_command(ws, unit, kind, round_name),
    )
    return session.run()


def _ask_name(console: Console, read: Reader, fallback: str) -> str:
    """The inspector's name, asked once on a machine where none is set (Enter keeps
    ``fallback``, and asks again next time)."""
    from inspector.app.actors import set_config
    from inspector.errors import InspectorError, ProblemsError

    console.print(Text(t("team.scorer.ask_name", fallback=fallback), "bold"))
    while True:
        try:
            typed = read(t("team.scorer.name_prompt")).strip()
        except (EOFError, KeyboardInterrupt):
            return fallback
        if not typed:
            return fallback
        try:
            name = set_config("inspector", typed)
        except ProblemsError as exc:
            console.print(Text("✗ " + "；".join(exc.lines()), "bold red"))
            continue
        except InspectorError as exc:
            console.print(Text("✗ " + exc.message(), "bold red"))
            continue
        console.print(Text(t("team.scorer.name_saved", name=name), "green"))
        return name
