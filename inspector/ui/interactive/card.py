"""The item card: everything an inspector needs to score one item, fitted to the terminal.

The card is built as lines of ``Text`` (wrapped here, see ``wrap``), so its height is known
before it is printed. When the terminal is short, the less urgent sections (methods,
evidence, legal basis, notes, then the requirement) are cut to fewer lines, each cut ending
in "…"; the rules, levels or score range, the current result and the self-assessment are
kept whole. ``/i`` shows everything.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.cells import cell_len
from rich.text import Text

from inspector.core.forms import FULL, NA, form_of, registered
from inspector.core.indicators.model import Category, IndicatorSet, Item, localized
from inspector.core.scoring import ItemResult, fmt, problem_text
from inspector.i18n import tl
from inspector.ui.interactive.wrap import clip, hang, pad_to, truncate, wrap

# Text is wrapped this many cells short of the terminal width: a terminal that draws
# "ambiguous width" punctuation (“ ” … ·) double wide then still has room for it.
SLACK = 2
RULE_POINTS_MAX = 10


def say(lang: str, key: str, **params: object) -> str:
    return tl(lang, key, **params)


def loc(obj: object, field: str, lang: str) -> str:
    return str(localized(obj, field, lang))


def label_width(lang: str) -> int:
    """One width for every card's labels, the scoring forms' included, so that cards line up."""
    labels = [say(lang, f"scorer.card.{k}") for k in LABELS]
    labels += [form.card_label(lang) for form in registered()]
    return max(cell_len(label) for label in labels) + 1


LABELS = (
    "requirement",
    "methods",
    "evidence",
    "basis",
    "notes",
    "self",
    "current",
    "pending",
)


def basis_text(indicators: IndicatorSet, item: Item, lang: str) -> str:
    """The legal basis in one line: each law once, with its version and the articles cited."""
    articles: dict[str, list[str]] = {}
    for basis in item.basis:
        articles.setdefault(basis.law, []).append(loc(basis, "article", lang))
    parts = []
    for key, cited in articles.items():
        law = indicators.law(key)
        article = say(lang, "scorer.card.article_sep").join(cited)
        if law is None:
            parts.append(f"{key} {article}")
        else:
            parts.append(
                say(
                    lang,
                    "scorer.card.law",
                    title=loc(law, "title", lang),
                    version=loc(law, "version", lang),
                    article=article,
                )
            )
    return say(lang, "scorer.card.list_sep").join(parts)


def _list(values: object, lang: str) -> str:
    return say(lang, "scorer.card.list_sep").join(str(v) for v in values or [])  # type: ignore[attr-defined]


def _item_list(item: Item, field: str, lang: str) -> list[str]:
    value = localized(item, field, lang)
    return list(value) if isinstance(value, list) else []


def score_of(result: ItemResult | None, item: Item, lang: str) -> str:
    if result is None or result.score is None:
        return ""
    return say(lang, "scorer.card.score_of", score=fmt(result.score), max=fmt(item.points))


def describe(item: Item, result: ItemResult, lang: str) -> Text:
    """One answer in words: score, how it was reached, and the texts recorded with it."""
    answer = result.answer
    text = Text()
    if answer is None:
        return text
    if answer.form == NA:
        text.append(say(lang, "scorer.card.na", reason=answer.na_reason or ""), "bold")
    else:
        text.append(score_of(result, item, lang), "bold")
        form = form_of(item)
        if answer.form == FULL:
            text.append(say(lang, "scorer.card.full"))
        elif answer.form == form.answer_key:
            text.append(form.describe(item, answer.value, lang))
        problem = problem_text(item, result, lang)
        if problem:
            key = "scorer.card.problem" if answer.problem else "scorer.card.problem_default"
            text.append(say(lang, key, text=problem))
    for field in ("rectify", "evidence", "note", "deadline"):
        value = getattr(answer, field)
        if value:
            text.append(say(lang, f"scorer.card.text_{field}", text=value))
    return text


def pending_text(texts: dict[str, str], lang: str) -> Text:
    text = Text()
    for field, value in texts.items():
        key = "scorer.card.problem" if field == "problem" else f"scorer.card.text_{field}"
        text.append(say(lang, key, text=value).lstrip("；; ·　"))
        text.append(" ")
    text.rstrip()
    return text


def scoring_blocks(item: Item, width: int, lang: str) -> list[list[Text]]:
    """The item's scoring section as its form gives it (rules, levels, a score range), one
    block of lines per entry: ``label key [id] points text``, or the text beside the label."""
    lw = label_width(lang)
    form = form_of(item)
    entries = form.card(item, lang)
    keyed = [e for e in entries if e.key is not None]
    points = [
        e.short if cell_len(e.points) > RULE_POINTS_MAX and e.short is not None else e.points
        for e in keyed
    ]
    pw = max((cell_len(p) for p in points), default=0) + 1
    tagged = any(e.tag for e in keyed)
    tw = max(cell_len(e.tag or "") for e in keyed) + 1 if tagged else 0
    blocks = []
    shown = 0
    for i, entry in enumerate(entries):
        label = form.card_label(lang) if i == 0 else ""
        if entry.key is None:
            blocks.append(hang(label, Text(entry.text), width, lw))
            continue
        head = pad_to(Text(label, "bold"), lw)
        head.append(entry.key, "bold cyan")
        head.append(" ")
        if tagged:
            head.append(pad_to(Text(entry.tag or "", "dim"), tw))
        head.append(pad_to(Text(points[shown], "yellow"), pw))
        shown += 1
        body = Text(entry.text)
        if entry.note:
            body.append(entry.note, "dim")
        blocks.append(_beside(head, body, width))
    return blocks


def _beside(head: Text, body: Text, width: int) -> list[Text]:
    indent = cell_len(head.plain)
    lines = wrap(body, max(width - indent, 8))
    return [(head if i == 0 else Text(" " * indent)) + line for i, line in enumerate(lines)]


@dataclass(frozen=True)
class CardInput:
    """What the card shows besides the item itself."""

    category: Category
    item: Item
    indicators: IndicatorSet
    bar: Text
    current: ItemResult | None  # None when unscored
    own: ItemResult | None  # the unit's self-assessment of this item, for the inspector
    pending: dict[str, str]
    message: Text | None
    hint: Text
    lang: str


def title_lines(category: Category, item: Item, width: int, lang: str) -> list[Text]:
    title = Text()
    title.append(
        say(lang, "scorer.card.category", code=category.code, name=loc(category, "name", lang)),
        "dim",
    )
    title.append(" › ", "dim")
    title.append(f"{item.code} {loc(item, 'name', lang)}", "bold")
    title.append(say(lang, "scorer.card.points", points=fmt(item.points)), "bold")
    return clip(wrap(title, width), 2, width)


@dataclass
class _Block:
    lines: list[Text]
    minimum: int
    shown: int = 0


def item_screen(card: CardInput, width: int, height: int) -> tuple[list[Text], bool]:
    """The card's lines, at most ``height - 1`` (the prompt takes the last line), and whether
    anything had to be cut (then ``/i`` shows the whole text)."""
    lang = card.lang
    item = card.item
    w = max(width - SLACK, 20)
    lw = label_width(lang)

    def section(key: str, body: str | Text) -> list[Text]:
        text = body if isinstance(body, Text) else Text(body)
        return hang(say(lang, f"scorer.card.{key}"), text, w, lw) if text.plain else []

    requirement = _Block(section("requirement", loc(item, "requirement", lang)), 1)
    methods = _Block(section("methods", _list(_item_list(item, "methods", lang), lang)), 0)
    evidence = _Block(section("evidence", _list(_item_list(item, "evidence", lang), lang)), 0)
    basis = _Block(section("basis", basis_text(card.indicators, item, lang)), 1)
    notes_value = localized(item, "notes", lang)
    notes = _Block(section("notes", str(notes_value) if notes_value else ""), 0)
    rules = [_Block(lines, 1) for lines in scoring_blocks(item, w, lang)]
    own = _Block(
        section("self", describe(item, card.own, lang))
        if card.own is not None and card.own.answered
        else [],
        1,
    )
    current = _Block(
        section("current", describe(item, card.current, lang))
        if card.current is not None and card.current.answered
        else [],
        1,
    )
    pending = _Block(
        section("pending", pending_text(card.pending, lang)) if card.pending else [], 1
    )

    top = [truncate(card.bar, width), *title_lines(card.category, item, w, lang)]
    bottom = []
    if card.message is not None:
        bottom += clip(wrap(card.message, w), 2, w)
    bottom.append(truncate(card.hint, w))
    budget = max(height - 1, 6) - len(top) - len(bottom)

    order = [requirement, methods, evidence, basis, notes, *rules, own, current, pending]
    # Most urgent first: what to score with, then what was decided, then the context.
    growth: list[tuple[_Block, int]] = [
        *[(block, len(block.lines)) for block in rules],
        (current, 3),
        (pending, 2),
        (own, 2),
        (requirement, 3),
        (notes, 2),
        (basis, 2),
        (evidence, 1),
        (methods, 1),
        (requirement, 99),
        (notes, 99),
        (current, 99),
        (own, 99),
        (basis, 99),
        (evidence, 99),
    ]
    for block in order:
        block.shown = min(block.minimum, len(block.lines))
    spare = budget - sum(block.shown for block in order)
    # a very short terminal: drop context sections before anything to score with; the rules,
    # the unit's self-assessment and the input line stay (the title and message shrink first)
    for block in (methods, evidence, notes, basis, requirement):
        if spare >= 0:
            break
        spare += block.shown
        block.shown = 0
    top, bottom, spare = _squeeze(top, bottom, spare)
    for block, cap in growth:
        want = min(cap, len(block.lines)) - block.shown
        if want > 0 and spare > 0:
            give = min(want, spare)
            block.shown += give
            spare -= give
    body: list[Text] = []
    clipped = False
    for block in order:
        if block.shown < len(block.lines):
            clipped = True
        body += clip(block.lines, block.shown, w)
    return top + body + bottom, clipped


def _squeeze(top: list[Text], bottom: list[Text], spare: int) -> tuple[list[Text], list[Text], int]:
    """Still short of lines: the message to its last line, then the title to its first."""
    if spare < 0 and len(bottom) > 2:
        cut = min(len(bottom) - 2, -spare)
        bottom = bottom[cut:]
        spare += cut
    if spare < 0 and len(top) > 2:
        cut = min(len(top) - 2, -spare)
        top = top[: len(top) - cut]
        spare += cut
    return top, bottom, spare


def detail_lines(card: CardInput, width: int) -> list[Text]:
    """Everything about the item, unabridged (the ``/i`` screen)."""
    lang = card.lang
    item = card.item
    w = max(width - SLACK, 20)
    lw = label_width(lang)
    lines = [truncate(card.bar, width)]
    title = Text(
        say(
            lang,
            "scorer.card.category",
            code=card.category.code,
            name=loc(card.category, "name", lang),
        )
        + " › ",
        "dim",
    )
    title.append(f"{item.code} {loc(item, 'name', lang)}", "bold")
    title.append(say(lang, "scorer.card.points", points=fmt(item.points)), "bold")
    lines += wrap(title, w)

    def section(key: str, body: str | Text) -> None:
        text = body if isinstance(body, Text) else Text(body)
        if text.plain:
            lines.extend(hang(say(lang, f"scorer.card.{key}"), text, w, lw))

    section("requirement", loc(item, "requirement", lang))
    section("methods", _list(_item_list(item, "methods", lang), lang))
    for i, evidence in enumerate(_item_list(item, "evidence", lang)):
        label = say(lang, "scorer.card.evidence") if i == 0 else ""
        lines.extend(hang(label, Text(f"{i + 1}. {evidence}"), w, lw))
    for i, basis in enumerate(item.basis):
        law = card.indicators.law(basis.law)
        text = (
            say(
                lang,
                "scorer.card.law",
                title=loc(law, "title", lang),
                version=loc(law, "version", lang),
                article=loc(basis, "article", lang),
            )
            if law is not None
            else f"{basis.law} {loc(basis, 'article', lang)}"
        )
        lines.extend(hang(say(lang, "scorer.card.basis") if i == 0 else "", Text(text), w, lw))
    notes = localized(item, "notes", lang)
    if notes:
        section("notes", str(notes))
    for block in scoring_blocks(item, w, lang):
        lines += block
    details = form_of(item).card_details(item, lang)
    if details:
        lines += hang("", Text(details, "dim"), w, lw)
    if item.na_allowed:
        lines += hang("", Text(say(lang, "scorer.card.na_allowed"), "dim"), w, lw)
    if card.own is not None and card.own.answered:
        section("self", describe(item, card.own, lang))
    if card.current is not None and card.current.answered:
        section("current", describe(item, card.current, lang))
    if card.pending:
        section("pending", pending_text(card.pending, lang))
    return lines
