"""Re-inspection in the terminal (``inspector recheck UNIT``): one card per problem the unit
reported 已整改, one line per decision, each saved at once.

Keys: ``y`` [note] closes the problem (销号); ``n 原因`` sends it back (复查未通过, the reason is
asked for when missing); ``s`` skips it; ``<`` goes back to the previous card (a decision made
there may be changed); ``q`` quits; ``?`` shows help. Enter alone decides nothing. Ctrl-C,
an end of input or a closed terminal lose nothing decided; running the command again shows
the problems still awaiting re-inspection. Input is read with ``input()`` (or an injected
reader), like the scorer.
"""

from __future__ import annotations

import contextlib
import re
import shlex
import unicodedata
from collections.abc import Callable
from datetime import date
from pathlib import Path

from rich.console import Console
from rich.text import Text

from inspector.app import ledger as ledger_app
from inspector.app import queries, recheck
from inspector.app.types import LedgerEntry, Round, Unit, Workspace
from inspector.app.workspaces import db_path
from inspector.i18n import get_language, t
from inspector.text_rules import printable
from inspector.ui.interactive.card import SLACK
from inspector.ui.interactive.wrap import hang, wrap

Reader = Callable[[str], str]
EXIT_OK = 0
EXIT_INTERRUPTED = 130
EXIT_NOTHING = 1  # none of the problems named awaits re-inspection
LABELS = ("problem", "requirement", "deadline", "responsible", "measures", "completed", "evidence")


class _Quit(Exception):
    pass


def label_width() -> int:
    from rich.cells import cell_len

    words = [t(f"recheck.card.{name}") for name in (*LABELS, "previous", "state")]
    return max(cell_len(w) for w in words) + 1


class Session:
    def __init__(
        self,
        ws: Workspace,
        round_: Round,
        unit: Unit,
        queue: list[LedgerEntry],
        who: str,
        command: str,
        console: Console,
        read: Reader,
        resume_hint: str,
        day: date | None = None,
    ) -> None:
        self.ws = ws
        self.round = round_
        self.unit = unit
        self.queue = queue
        self.who = who
        self.command = command
        self.console = console
        self.read = read
        self.resume_hint = resume_hint
        self.day = day
        self.lang = get_language()
        self.pos = 0
        self.message: Text | None = None
        self.decided: dict[str, bool] = {}  # number -> passed, this session

    # --- output ------------------------------------------------------------------------------

    @property
    def width(self) -> int:
        return max(self.console.width - SLACK, 20)

    def show(self, lines: list[Text]) -> None:
        if self.console.is_terminal:
            self.console.clear()
        self.console.print(Text("\n").join(lines), no_wrap=True, overflow="crop")

    def say(self, text: Text) -> None:
        self.console.print(Text("\n").join(wrap(text, self.width)), no_wrap=True, overflow="crop")

    def bar(self) -> Text:
        from rich.cells import cell_len

        passed = sum(1 for v in self.decided.values() if v)
        left = t("recheck.bar.unit", unit=self.unit.name)
        right = t(
            "recheck.bar.progress",
            n=self.pos + 1,
            total=len(self.queue),
            passed=passed,
            failed=len(self.decided) - passed,
        )
        gap = max(self.width - cell_len(left) - cell_len(right), 2)
        return Text(left + " " * gap + right, "reverse")

    def card(self, entry: LedgerEntry) -> list[Text]:
        lang = self.lang
        width, labels = self.width, label_width()
        lines = [self.bar()]
        title = printable(f"{entry.number} · {entry.code} {entry.text('item', lang)}")
        if entry.lost:
            title += t("recheck.card.lost", lost=entry.lost)
        lines += wrap(Text(title, "bold"), width)

        def field(name: str, value: str | None, style: str = "") -> None:
            if value:  # what a unit typed never drives the terminal
                body = Text(printable(value), style)
                lines.extend(hang(t(f"recheck.card.{name}"), body, width, labels))

        field("problem", entry.text("problem", lang))
        field("requirement", entry.text("requirement", lang))
        field("deadline", entry.deadline)
        field("responsible", entry.responsible)
        field("measures", entry.measures or t("recheck.card.none"))
        field("completed", entry.completed_on)
        evidence = [
            f"{i}. {e.file}" + (t("rx.evidence.sep") + e.description if e.description else "")
            for i, e in enumerate(entry.evidence, start=1)
        ]
        field("evidence", "\n".join(evidence) or t("recheck.card.none"))
        if entry.recheck == "failed" and entry.status == "done":
            field("previous", t("recheck.card.previous_failed", note=entry.recheck_note or ""))
        field("state", self.state(entry), "bold")
        if self.message is not None:
            lines.extend(wrap(self.message, width))
        lines.append(Text(t("recheck.hint"), "dim"))
        return lines

    def state(self, entry: LedgerEntry) -> str:
        if entry.status == "closed":
            return t("recheck.state.closed", note=entry.recheck_note or "")
        if entry.failed_recheck:
            return t("recheck.state.failed", note=entry.recheck_note or "")
        return ledger_app.status_text(entry, self.lang)

    # --- the session -------------------------------------------------------------------------

    def current(self) -> LedgerEntry:
        """The entry at the current position, as stored now."""
        entry = self.queue[self.pos]
        fresh = ledger_app.find_entry(self.ws, self.round, self.unit, entry.number)
        self.queue[self.pos] = fresh
        return fresh

    def run(self) -> int:
        try:
            while self.pos < len(self.queue):
                self.step()
            self.farewell("recheck.bye.done")
            return EXIT_OK
        except KeyboardInterrupt:
            with contextlib.suppress(OSError):
                self.console.print()
            self.farewell("recheck.bye.interrupted")
            return EXIT_INTERRUPTED
        except EOFError:
            with contextlib.suppress(OSError):
                self.console.print()
            self.farewell("recheck.bye.eof")
            return EXIT_OK
        except _Quit:
            self.farewell("recheck.bye.quit")
            return EXIT_OK

    def farewell(self, key: str) -> None:
        passed = sum(1 for v in self.decided.values() if v)
        left = 0
        with contextlib.suppress(Exception):  # the workspace may be gone with the terminal
            left = len(recheck.pending(self.ws, self.round, self.unit))
        text = t(
            key,
            unit=self.unit.name,
            passed=passed,
            failed=len(self.decided) - passed,
            left=left,
            command=self.resume_hint,
        )
        with contextlib.suppress(OSError):
            self.say(Text(text))

    def step(self) -> None:
        entry = self.current()
        self.show(self.card(entry))
        self.message = None
        raw = self.read(t("recheck.prompt", number=entry.number))
        line = unicodedata.normalize("NFKC", raw).strip()
        word, _, rest = line.partition(" ")
        word = word.lower()
        rest = rest.strip()
        if not line:
            self.message = Text(t("recheck.enter_decides_nothing"), "yellow")
        elif word in ("<", "《"):
            if self.pos == 0:
                self.message = Text(t("recheck.first"), "yellow")
            else:
                self.pos -= 1
        elif word == "s":
            self.pos += 1
        elif word in ("q", "/q"):
            raise _Quit
        elif word in ("?", "？", "/h"):
            self.help()
        elif word == "y":
            self.save(entry, recheck.Decision(entry.number, True, rest or None))
        elif word == "n":
            reason = rest or self.read(t("recheck.prompt.reason")).strip()
            if not reason:
                self.message = Text(t("recheck.cancelled"), "yellow")
                return
            self.save(entry, recheck.Decision(entry.number, False, reason))
        else:
            self.message = Text("✗ " + t("recheck.unknown_input", text=line), "bold red")

    def save(self, entry: LedgerEntry, decision: recheck.Decision) -> None:
        from inspector.errors import InspectorError

        try:
            recheck.decide(
                self.ws,
                self.round,
                entry,
                decision,
                who=self.who,
                command=self.command,
                day=self.day,
            )
        except InspectorError as exc:
            self.message = Text("✗ " + exc.message(), "bold red")
            return
        self.decided[entry.number] = decision.passed
        key = "recheck.saved.passed" if decision.passed else "recheck.saved.failed"
        self.message = Text(t(key, number=entry.number), "green")
        self.pos += 1

    def help(self) -> None:
        self.show([Text(t("recheck.help_screen"))])
        self.read(t("recheck.prompt.return"))


def resume_command(ws: Workspace, unit: Unit, round_name: str | None) -> str:
    parts = ["inspector", "recheck", unit.name]
    if round_name:
        parts += ["--round", round_name]
    try:
        same = Path(ws.path).resolve() == db_path().resolve()
    except OSError:
        same = False
    if not same:
        parts += ["--db", str(ws.path)]
    plain = re.compile(r"[^\s'\"\\$`!*?;&|<>(){}\[\]#~]+")
    return " ".join(p if plain.fullmatch(p) else shlex.quote(p) for p in parts)


def queue_for(
    ws: Workspace, round_: Round, unit: Unit, numbers: list[str], console: Console
) -> list[LedgerEntry]:
    """The problems to re-inspect: those named (each one not awaiting re-inspection is
    explained and left out), else every one the unit reported 已整改."""
    if not numbers:
        return recheck.pending(ws, round_, unit)
    ledger_app.ensure_synced(ws, round_)
    queue = []
    for number in numbers:
        entry = ledger_app.find_entry(ws, round_, unit, number)
        if entry.status == "done" or recheck.correctable(ws, entry):
            queue.append(entry)
        else:
            state = ledger_app.status_text(entry, get_language())
            console.print(Text(t("recheck.not_done", number=entry.number, state=state), "yellow"))
    return queue


def run_recheck(
    ws: Workspace,
    round_name: str | None,
    unit_name: str,
    numbers: list[str],
    *,
    who: str,
    command: str | None = None,
    console: Console | None = None,
    read: Reader | None = None,
    day: date | None = None,
) -> int:
    """Re-inspect ``unit_name``'s rectified problems; returns the exit code (0, or 130 after
    Ctrl-C). ``console`` and ``read`` default to the terminal and ``input``."""
    from inspector.ui.console import command_line, terminal

    round_ = queries.find_round(ws, round_name)
    unit = queries.find_unit(ws, unit_name)
    console = console or terminal()
    queue = queue_for(ws, round_, unit, numbers, console)
    if not queue and numbers:
        return EXIT_NOTHING  # each problem named was explained above
    if not queue:
        counts = recheck.explain(ws, round_, unit)
        parts = t("sa.list_sep").join(
            t("ledger.count", status=t(f"ledger.status.{key}"), count=counts[key])
            for key in ("open", "in_progress", "failed", "done", "closed", "withdrawn")
            if counts.get(key)
        )
        console.print(Text(t("recheck.nothing", unit=unit.name, parts=parts or "—")))
        return EXIT_OK
    if read is None:
        with contextlib.suppress(ImportError):  # line editing and history, where available
            import readline  # noqa: F401
    session = Session(
        ws,
        round_,
        unit,
        queue,
        who,
        command or command_line(),
        console,
        read or input,
        resume_command(ws, unit, round_name),
        day,
    )
    return session.run()
