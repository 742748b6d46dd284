"""The review screen: subtotals, total, grade and rank, problems found, the gap to the
self-assessment, and the veto, aggravated and bonus entries, fitted to the terminal."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from rich.cells import cell_len
from rich.text import Text

from inspector.app.types import Kind, UnitStatus, UnitView
from inspector.core.indicators.model import Adjustment, Aggravated, IndicatorSet, Item, Veto
from inspector.core.scoring import fmt, problem_text
from inspector.ui.interactive.card import SLACK, loc, say
from inspector.ui.interactive.wrap import clip, pad_to, truncate, wrap

NUMBER_WIDTH = 7


@dataclass(frozen=True)
class ReviewInput:
    view: UnitView
    kind: Kind
    bar: Text
    message: Text | None
    lang: str

    @property
    def status(self) -> UnitStatus:
        return self.view.status

    @property
    def indicators(self) -> IndicatorSet:
        return self.view.round.indicators


def signed(value: Decimal) -> str:
    text = fmt(value)
    return text if value < 0 else "0" if value == 0 else "+" + text


def entries(indicators: IndicatorSet) -> list[tuple[str, Veto | Adjustment]]:
    """Every veto, aggravated and bonus entry, with its kind, in the set's order."""
    found: list[tuple[str, Veto | Adjustment]] = [("veto", v) for v in indicators.veto]
    found += [("aggravated", a) for a in indicators.aggravated]
    if indicators.bonus is not None:
        found += [("bonus", b) for b in indicators.bonus.items]
    return found


def _row(cells: list[Text], widths: list[int]) -> Text:
    line = pad_to(truncate(cells[0], widths[0] - 1), widths[0])
    for cell, cw in zip(cells[1:], widths[1:], strict=True):
        line.append(" " * max(cw - cell_len(cell.plain), 0))
        line.append_text(cell)
    return line


def summary_table(inp: ReviewInput, width: int) -> list[Text]:
    lang = inp.lang
    indicators = inp.indicators
    result = inp.status.result(inp.kind)
    assert result is not None
    own = inp.status.self_result if inp.kind == "inspection" else None
    if own is not None and not own.complete:
        own = None  # unanswered items count as full marks: no fair comparison yet
    columns = ["max", "score"] + (["self", "gap"] if own is not None else [])
    widths = [width - NUMBER_WIDTH * len(columns)] + [NUMBER_WIDTH] * len(columns)
    header = [Text(say(lang, "scorer.review.col.category"), "bold")] + [
        Text(say(lang, f"scorer.review.col.{c}"), "bold") for c in columns
    ]
    lines = [_row(header, widths)]
    for i, (category, cat) in enumerate(zip(indicators.categories, result.categories, strict=True)):
        cells = [
            Text(
                say(
                    lang,
                    "scorer.card.category",
                    code=category.code,
                    name=loc(category, "name", lang),
                )
            ),
            Text(fmt(cat.max)),
            Text(fmt(cat.score), "bold"),
        ]
        if own is not None:
            own_cat = own.categories[i]
            cells += [Text(fmt(own_cat.score)), Text(signed(own_cat.score - cat.score))]
        lines.append(_row(cells, widths))
    cells = [
        Text(say(lang, "scorer.review.sum"), "bold"),
        Text(fmt(result.applicable)),
        Text(fmt(result.earned), "bold"),
    ]
    if own is not None:
        cells += [Text(fmt(own.earned)), Text(signed(own.earned - result.earned))]
    lines.append(_row(cells, widths))
    return lines


def totals_lines(inp: ReviewInput, width: int) -> list[Text]:
    lang = inp.lang
    indicators = inp.indicators
    result = inp.status.result(inp.kind)
    assert result is not None
    text = Text()
    if result.applicable != indicators.total:
        text.append(
            say(
                lang,
                "scorer.review.normalised",
                applicable=fmt(result.applicable),
                total=fmt(indicators.total),
            )
        )
    if result.aggravated:
        text.append(say(lang, "scorer.review.aggravated", points=fmt(result.aggravated)))
    if result.bonus:
        text.append(say(lang, "scorer.review.bonus", points=fmt(result.bonus)))
    grade_name = _grade_name(indicators, result.grade, lang)
    if not result.complete:  # provisional: no grade until every item is scored
        text.append(
            say(
                lang,
                "trust.review.provisional",
                total=fmt(result.total),
                answered=result.answered,
                to_answer=result.to_answer,
            ),
            "bold",
        )
    else:
        text.append(
            say(lang, "scorer.review.total", total=fmt(result.total), grade=grade_name), "bold"
        )
    if result.grade_by is not None and result.complete:
        band = _grade_name(indicators, result.banded, lang)
        key = f"format.review.grade_by.{result.grade_by}"
        text.append(say(lang, key, band=band, grade=grade_name), "bold red")
    if result.veto:
        text.append(say(lang, "scorer.review.vetoed", codes="、".join(result.veto)), "bold red")
    if inp.kind == "inspection":
        group = inp.status.unit.group
        ranked = inp.view.standing.ranked
        if inp.status.rank is not None:
            text.append(
                say(lang, "scorer.review.rank", rank=inp.status.rank, group=group, ranked=ranked)
            )
        else:
            text.append(say(lang, "scorer.review.unranked"))
        own = inp.status.self_result
        gap = inp.status.gap
        if own is None:
            text.append(say(lang, "scorer.review.no_self"))
        elif not own.complete:
            text.append(
                say(
                    lang,
                    "scorer.review.self_incomplete",
                    answered=own.answered,
                    total=own.to_answer,
                )
            )
        elif gap is not None:
            text.append(
                say(lang, "scorer.review.self_total", total=fmt(own.total), gap=signed(gap))
            )
            if abs(gap) >= indicators.self_gap_flag:
                text.append(say(lang, "scorer.review.gap_flag", gap=signed(gap)), "bold")
    return wrap(text, width)


def problem_lines(inp: ReviewInput, width: int) -> tuple[list[Text], list[Text]]:
    """One line per item that lost points (or has a problem text), and the N/A items."""
    lang = inp.lang
    result = inp.status.result(inp.kind)
    assert result is not None
    problems: list[Text] = []
    na: list[str] = []
    for _, item in inp.indicators.items():
        r = result.item(item.code)
        if r is None or not r.applies or not r.answered:
            continue
        if r.na:
            reason = r.answer.na_reason if r.answer else ""
            na.append(say(lang, "scorer.review.na_entry", code=item.code, reason=reason or ""))
            continue
        text = problem_text(item, r, lang)
        if r.lost <= 0 and not text:
            continue
        line = Text()
        line.append(pad_to(Text(item.code, "bold"), 5))
        line.append(pad_to(Text("-" + fmt(r.lost) if r.lost else "", "yellow"), 6))
        line.append(text or loc(item, "name", lang))
        problems.append(truncate(line, width))
    na_lines: list[Text] = []
    if na:
        body = Text(
            say(lang, "scorer.review.na", entries=say(lang, "scorer.card.list_sep").join(na))
        )
        na_lines = wrap(body, width)
    return problems, na_lines


def current_entries(inp: ReviewInput) -> dict[str, dict[str, int]]:
    stored = inp.status.stored if inp.kind == "inspection" else inp.status.stored_self
    return {kind: stored.adjustments(kind) for kind in ("veto", "aggravated", "bonus")}


def adjustment_summary(inp: ReviewInput) -> Text:
    """The entries recorded so far, in one line."""
    lang = inp.lang
    current = current_entries(inp)
    indicators = inp.indicators
    present = {
        "veto": bool(indicators.veto),
        "aggravated": bool(indicators.aggravated),
        "bonus": indicators.bonus is not None,
    }
    summary = Text()
    for kind in ("veto", "aggravated", "bonus"):
        if not present[kind]:
            continue
        chosen = current[kind]
        value = (
            "、".join(entry_text(indicators, kind, code, n, lang) for code, n in chosen.items())
            if chosen
            else say(lang, "scorer.review.none")
        )
        style = "bold red" if chosen and kind != "bonus" else "bold" if chosen else ""
        summary.append(say(lang, f"scorer.review.kind.{kind}") + " ", "bold")
        summary.append(value, style)
        summary.append("   ")
    summary.rstrip()
    return summary


def entry_text(indicators: IndicatorSet, kind: str, code: str, n: int, lang: str) -> str:
    """A recorded entry with its cap: "A1×2（最多扣10分）", "A1×3 → 已达上限，扣10分"."""
    typed = code if n == 1 else f"{code}×{n}"
    entry = next((e for k, e in entries(indicators) if k == kind and e.code == code), None)
    if not isinstance(entry, Adjustment) or entry.max is None or not entry.per_occurrence:
        return typed
    if entry.points * n > entry.max:
        return say(lang, "trust.cap_reached", typed=typed, points=fmt(entry.max))
    return typed + say(lang, "trust.review.cap_of", max=fmt(entry.max))


def _grade_name(indicators: IndicatorSet, name: str, lang: str) -> str:
    grade = indicators.grade(name)
    return loc(grade, "name", lang) if grade is not None else name


def _heading(indicators: IndicatorSet, kind: str, lang: str) -> str:
    if kind == "veto":
        return say(lang, "format.review.head.veto")
    if kind == "aggravated" and indicators.aggravated_cap is not None:
        return say(lang, "format.review.head.aggravated_cap", cap=fmt(indicators.aggravated_cap))
    cap = fmt(indicators.bonus.cap) if indicators.bonus is not None else ""
    if kind == "bonus" and indicators.bonus_beyond_cap:
        return say(lang, "format.review.head.bonus_beyond", bonus=cap, cap=fmt(indicators.cap))
    return say(lang, f"scorer.finish.head.{kind}", cap=cap)


def _effect(indicators: IndicatorSet, entry: Veto | Adjustment, lang: str) -> str:
    """What an entry does to the grade: each veto its own grade and effect, an aggravated
    entry its grade cap."""
    if isinstance(entry, Veto):
        grade = _grade_name(indicators, entry.grade, lang)
        return say(lang, f"format.review.effect.{entry.effect}", grade=grade)
    if isinstance(entry, Aggravated) and entry.grade_cap:
        grade = _grade_name(indicators, entry.grade_cap, lang)
        return say(lang, "format.review.effect.cap", grade=grade)
    return ""


def checklist(inp: ReviewInput, width: int) -> list[Text]:
    """Every veto, aggravated and bonus entry, one line each under its heading, ticked when
    recorded, with what each does to the grade."""
    lang = inp.lang
    indicators = inp.indicators
    current = current_entries(inp)
    amounts: dict[tuple[str, str], str] = {}
    for kind, entry in entries(indicators):
        if isinstance(entry, Adjustment):
            sign = "-" if kind == "aggravated" else "+"
            amount = sign + fmt(entry.points)
            if entry.per_occurrence:
                amount += "/" + loc(entry, "per", lang)
                if entry.max is not None:
                    amount += say(lang, "trust.review.cap", max=fmt(entry.max))
            amounts[(kind, entry.code)] = amount
    amount_width = max((cell_len(a) for a in amounts.values()), default=0) + 1
    lines: list[Text] = []
    heading = None
    listed = entries(indicators)
    for index, (kind, entry) in enumerate(listed):
        if kind != heading:
            heading = kind
            lines.append(truncate(Text(_heading(indicators, kind, lang), "bold"), width))
        n = current[kind].get(entry.code, 0)
        line = Text()
        line.append_text(pad_to(Text("✓" if n == 1 else f"×{n}" if n else "", "bold green"), 3))
        line.append(pad_to(Text(entry.code, "bold cyan"), 4))
        line.append(" ")
        if (kind, entry.code) in amounts:
            line.append_text(pad_to(Text(amounts[(kind, entry.code)], "yellow"), amount_width))
        effect = _effect(indicators, entry, lang)
        if effect:  # first, so that a narrow terminal cuts the text, not the effect
            line.append("[" + effect + "] ", "bold red" if kind == "veto" else "yellow")
        line.append(loc(entry, "text", lang), "bold" if n else "")
        lines.append(truncate(line, width))
        last_of_kind = index + 1 == len(listed) or listed[index + 1][0] != kind
        if kind == "aggravated" and last_of_kind:
            for rule in indicators.aggravated_grades:
                grade = _grade_name(indicators, rule.grade, lang)
                note = say(lang, "format.review.count_grades", count=rule.count, grade=grade)
                lines.append(truncate(Text("       " + note, "yellow"), width))
    return lines


def unscored_lines(unscored: list[Item], width: int, lang: str) -> list[Text]:
    if not unscored:
        return []
    codes = "、".join(item.code for item in unscored)
    text = Text(say(lang, "scorer.review.unscored", count=len(unscored), codes=codes), "bold red")
    return clip(wrap(text, width), 2, width)


def review_screen(
    inp: ReviewInput, unscored: list[Item], width: int, height: int
) -> tuple[list[Text], bool]:
    """The review lines (at most ``height - 1``) and whether something was left out."""
    lang = inp.lang
    w = max(width - SLACK, 30)
    top = [truncate(inp.bar, width), *summary_table(inp, w), *totals_lines(inp, w)]
    problems, na = problem_lines(inp, w)
    missing = unscored_lines(unscored, w, lang)
    ask_key = "scorer.review.next" if not unscored else "scorer.review.ask_incomplete"
    bottom = [
        *missing,
        *wrap(adjustment_summary(inp), w),
        *wrap(Text(say(lang, ask_key), "bold"), w),
    ]
    if inp.message is not None:
        bottom += clip(wrap(inp.message, w), 2, w)
    bottom.append(truncate(Text(say(lang, "scorer.review.hint"), "dim"), w))
    spare = max(height - 1, 8) - len(top) - len(bottom)
    head = Text(say(lang, "scorer.review.problems", count=len(problems)), "bold")
    middle: list[Text] = []
    cut = False
    if problems:
        take = min(len(problems), max(spare - 1, 1))
        shown = problems[:take]
        if take < len(problems):
            shown = problems[: max(take - 1, 0)]
            shown.append(
                Text(say(lang, "scorer.review.more", count=len(problems) - len(shown)), "dim")
            )
            cut = True
        middle += [head, *shown]
    else:
        middle.append(Text(say(lang, "scorer.review.no_problems"), "bold green"))
    spare -= len(middle)
    if na:
        if spare >= len(na):
            middle += na
        elif spare > 0:
            middle += clip(na, spare, w)
            cut = True
        else:
            cut = True
    return top + middle + bottom, cut


def finish_screen(inp: ReviewInput, width: int, height: int) -> list[Text]:
    """The last step: the checklist of veto, aggravated and bonus entries, then confirm."""
    lang = inp.lang
    w = max(width - SLACK, 30)
    top = [truncate(inp.bar, width), *totals_lines(inp, w)]
    bottom = wrap(Text(say(lang, "scorer.finish.ask"), "bold"), w)
    if inp.message is not None:
        bottom += clip(wrap(inp.message, w), 2, w)
    bottom.append(truncate(Text(say(lang, "scorer.finish.hint"), "dim"), w))
    spare = max(height - 1, 8) - len(top) - len(bottom)
    items = checklist(inp, w)
    if not items:
        items = [Text(say(lang, "scorer.finish.nothing"))]
    if len(items) > spare:
        items = clip(items, max(spare, 1), w)
    return top + items + bottom
