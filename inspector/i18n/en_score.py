"""English: guided interactive scoring (inspector score UNIT)."""

MESSAGES: dict[str, str] = {
    "scorer.kind.inspection": "inspection",
    "scorer.kind.self": "self-assessment",
    # the bar at the top of every screen
    "scorer.bar.unit": " {unit} ({group}) {kind}",
    "scorer.bar.progress": "item {n} of {total}  scored {answered}  total {score} ",
    "scorer.bar.review": "review  scored {answered}/{total} ",
    "scorer.bar.confirmed": "confirmed  scored {answered}/{total} ",
    # the item card
    "scorer.card.requirement": "Req.",
    "scorer.card.methods": "How",
    "scorer.card.evidence": "Docs",
    "scorer.card.basis": "Basis",
    "scorer.card.notes": "Notes",
    "scorer.card.rules": "Rules",
    "scorer.card.levels": "Levels",
    "scorer.card.direct": "Score",
    "scorer.card.self": "Self",
    "scorer.card.current": "Now",
    "scorer.card.pending": "Typed",
    "scorer.card.category": "{code} {name}",
    "scorer.card.points": " ({points} pts)",
    "scorer.card.law": "{title} ({version}), {article}",
    "scorer.card.article_sep": ", ",
    "scorer.card.list_sep": "; ",
    "scorer.card.score_of": "{score}/{max}",
    "scorer.card.full": " (full marks)",
    "scorer.card.deducted": ", rules {keys}",
    "scorer.card.level_chosen": ", {level}",
    "scorer.card.na": "not applicable: {reason}",
    "scorer.card.problem": "; problem: {text}",
    "scorer.card.problem_default": "; problem (default): {text}",
    "scorer.card.text_rectify": "; rectify: {text}",
    "scorer.card.text_evidence": "; evidence: {text}",
    "scorer.card.text_note": "; note: {text}",
    "scorer.card.text_deadline": "; deadline: {text}",
    "scorer.card.rule_fixed": "-{points}",
    "scorer.card.rule_per": "-{points} ea",
    "scorer.card.rule_per_note": " (per {per})",
    "scorer.card.rule_per_cap": " (per {per}, at most -{max})",
    "scorer.card.level_pts": "{points}",
    "scorer.card.direct_range": "scored directly: 0 to {max}, in steps of {step}",
    "scorer.card.rule_ids": "Rule ids: ",
    "scorer.card.na_allowed": "This item may be marked not applicable (/n reason).",
    # the hint line above the prompt
    "scorer.hint.full": "Enter full",
    "scorer.hint.keep": "Enter keep",
    "scorer.hint.keys": "a b2 deduct",
    "scorer.hint.levels": "a b c level",
    "scorer.hint.direct": "0–{max} score",
    "scorer.hint.equals": "= full",
    "scorer.hint.texts": "/p problem /r rectify",
    "scorer.hint.na": "/n N/A",
    "scorer.hint.back": "< back",
    "scorer.hint.info": "/i text",
    "scorer.hint.help": "? help",
    "scorer.hint.sep": "  ",
    # prompts (plain text: the line editor must know their width)
    "scorer.prompt.item": "{code}> ",
    "scorer.prompt.text": "> ",
    "scorer.prompt.goto": "go to item> ",
    "scorer.prompt.return": "Enter to return> ",
    "scorer.prompt.list": "item code to go there, Enter to return> ",
    "scorer.prompt.review": "review> ",
    # messages
    "scorer.start.resume": "Resuming: {answered} of {total} items scored; starting at {code}.",
    "scorer.start.complete": "Every item of this unit is scored; this is the review.",
    "scorer.start.confirmed": "This assessment is confirmed (locked). Changing an item or a veto, aggravated or bonus entry unlocks it, and the audit log records that.",
    "scorer.saved": "✓ {code} saved: ",
    "scorer.reopened": "Unlocked (--reopen); recorded in the audit log.",
    "scorer.wrapped": "{count} items still unscored; continuing at {code}.",
    "scorer.texts.pending": "Noted; saved together with the score.",
    "scorer.texts.dropped": "The item was not scored, so the text just typed was not saved.",
    "scorer.na.cancelled": "No reason given; the item was not marked not applicable.",
    "scorer.nav.first": "This is the first item.",
    "scorer.nav.not_applicable": "Item {code} does not apply to {unit}; there is nothing to score.",
    "scorer.nav.unknown": "There is no item {code} (this unit's items run from {first} to {last}; /l lists the unscored ones).",
    "scorer.ask.problem": "Problem found (now: {current})",
    "scorer.ask.rectify": "Rectification requirement (now: {current})",
    "scorer.ask.evidence": "Evidence seen (now: {current})",
    "scorer.ask.note": "Note (now: {current})",
    "scorer.ask.deadline": "Rectification deadline, YYYY-MM-DD (now: {current})",
    "scorer.ask.nothing": "none",
    "scorer.ask.how": "Type the new text and press Enter; Enter alone keeps it; - clears it (a problem returns to its default text).",
    "scorer.ask.na": "Why does the item not apply? (Enter alone cancels)",
    "scorer.bye.interrupted": "Interrupted. {answered} of {total} items are saved; resume with: {command}",
    "scorer.bye.eof": "Stopped. {answered} of {total} items are saved; resume with: {command}",
    "scorer.bye.quit": "{answered} of {total} items are saved. Resume with: {command}",
    "scorer.bye.confirmed": "The assessment of {unit} is still confirmed and locked.",
    "scorer.bye.unconfirmed": "\nEvery item is scored but the assessment is not confirmed yet: run {command} to review and confirm.",
    # input errors
    "scorer.input.alone": "Commands that move, show, help or quit go on a line of their own.",
    "scorer.input.two_scores": "One decision per line: /n (not applicable) cannot go with deductions or a score.",
    "scorer.input.want_score": "{text} is not a score. This item is scored directly: type a number from 0 to {max} in steps of {step}; Enter gives full marks.",
    "scorer.input.want_keys": "This item is scored by deduction rules: type rule keys ({keys}), with counts such as b2; Enter gives full marks.",
    "scorer.input.bad_keys": "Cannot read {text}: type rule keys ({keys}) with counts, such as a, b2, a c3; commands start with /, ? shows help.",
    "scorer.input.unknown_key": "This item has no rule key {key} (keys: {keys}).",
    "scorer.input.big_count": "The count for {key} is too large.",
    "scorer.input.no_level_points": "No level is worth {score} (levels are worth {points}).",
    "scorer.input.bad_level": "Cannot read {text}: type a level key ({keys}) or the points of a level.",
    # the review screen
    "scorer.review.col.category": "Category",
    "scorer.review.col.max": "Max",
    "scorer.review.col.score": "Score",
    "scorer.review.col.self": "Self",
    "scorer.review.col.gap": "Gap",
    "scorer.review.sum": "Sum",
    "scorer.review.normalised": "{applicable} of {total} points applicable, normalised; ",
    "scorer.review.aggravated": "aggravated -{points}; ",
    "scorer.review.bonus": "bonus +{points}; ",
    "scorer.review.total": "total {total}  grade {grade}",
    "scorer.review.vetoed": " (veto: {codes})",
    "scorer.review.rank": "  rank {rank} in {group} ({ranked} complete)",
    "scorer.review.unranked": "  (not ranked until complete)",
    "scorer.review.no_self": "  no self-assessment",
    "scorer.review.gap_flag": "  ⚑ gap {gap}: possibly untruthful self-assessment",
    "scorer.review.self_total": "  self-assessed {total} (gap {gap})",
    "scorer.review.problems": "Problems found ({count})",
    "scorer.review.no_problems": "No deductions.",
    "scorer.review.more": "… {count} more; /i shows the full score card",
    "scorer.review.na_entry": "{code} ({reason})",
    "scorer.review.na": "Not applicable: {entries}",
    "scorer.review.none": "none",
    "scorer.review.kind.veto": "Veto",
    "scorer.review.kind.aggravated": "Aggravated",
    "scorer.review.kind.bonus": "Bonus",
    "scorer.review.unscored": "{count} items unscored: {codes}",
    "scorer.review.ask_incomplete": "Confirming needs every item scored: /g CODE goes to an unscored item.",
    "scorer.review.hint": "Enter next  /g CODE change  < last item  /i card  /l unscored  /q quit  ? help",
    "scorer.review.bad_input": "Cannot read {text}: type y to confirm, or veto, aggravated or bonus codes; ? shows help.",
    "scorer.review.unknown_code": "There is no code {code} (codes: {known}). To change an item use /g CODE.",
    "scorer.review.ambiguous": "Code {code} names entries of more than one kind: write veto:{code}, agg:{code} or bonus:{code}.",
    "scorer.review.saved": "✓ Saved.",
    "scorer.review.item_command": "That command is for one item: go there first with /g CODE.",
    "scorer.review.incomplete": "Items still unscored: {codes}. Confirming needs every item scored.",
    "scorer.review.still_confirmed": "The assessment of {unit} is still confirmed; nothing changed.",
    "scorer.review.confirmed": "✓ Confirmed and locked: {unit}, {kind}, total {total}, grade {grade}, rank in group {rank}. To change it later, add --reopen.",
    # help and lists
    "scorer.help.title": "Scoring item by item: one line per item; Enter confirms and saves.",
    "scorer.help.start": (
        "Enter|full marks; on an item scored before, keep its result\n=|change to full marks"
    ),
    "scorer.help.deductions": "a  b2  a c3|deduct by rule key and count (a2, a×2, a*2, ac3 work too)",
    "scorer.help.direct": "2.5|the score of a directly scored item",
    "scorer.help.levels": "a  10|a level item: the level's key or its points",
    "scorer.help.item": (
        "/n reason|not applicable (where the item allows it)\n"
        "/p text|the problem found; /p alone edits it (default: the rules' text)\n"
        "/r text|rectification; also /e evidence, /m note, /d deadline YYYY-MM-DD\n"
        "b2 /p text|a score and texts on one line\n"
        "<  >|previous item, next item (skips it)\n"
        "/g 2.3|go to item 2.3 (or >2.3), then come back\n"
        "/l|the unscored items\n"
        "/i|the item's full text, with rule ids\n"
        "/v|review: summary, problems, self-assessment gap, confirm\n"
        "/q|quit; every scored item is already saved (after Ctrl-C or Ctrl-D too)\n"
        "?|this help\n"
        "|Full-width input and Chinese punctuation (、《》？) work: 、p means /p"
    ),
    "scorer.help.review": (
        "Enter|on the review: next step, check the veto, aggravated and bonus entries\n"
        "y|on the last step: confirm and lock (every item must be scored); changing it later needs --reopen\n"
        "V2|add a veto entry\n"
        "A1×2  B1|add aggravated or bonus entries with counts (A1*2 and A1 2 work too)\n"
        "-A1|remove an entry (or A1×0)\n"
        "/g 2.3|change item 2.3, then come back to the review\n"
        "<|on the last step: back to the review; on the review: back to the last item\n"
        "/i|the full score card (every item with its problem)\n"
        "/l|list the unscored items\n"
        "/q|quit without confirming (every scored item is saved)\n"
        "?|this help"
    ),
    "scorer.bar.finish": "confirm  scored {answered}/{total} ",
    "scorer.prompt.finish": "confirm> ",
    "scorer.review.self_incomplete": "  self-assessment incomplete ({answered}/{total})",
    "scorer.review.next": "Enter: check the veto, aggravated and bonus entries, then confirm.",
    "scorer.finish.head.aggravated": "Aggravated deductions (off the total)",
    "scorer.finish.head.bonus": "Bonus (at most {cap} in all)",
    "scorer.finish.ask": "Does any of these apply? Type the codes (V2, A1×2; -A1 removes). If none does, type y to confirm and lock.",
    "scorer.finish.hint": "y confirm  V2 A1×2 add  -A1 remove  < review  /g CODE change  /q quit  ? help",
    "scorer.finish.enter": "Type y to confirm and lock; type the codes of any entry that applies first; < goes back to the review.",
    "scorer.finish.nothing": "This indicator set has no veto, aggravated or bonus entries.",
    "scorer.list.title": "{count} of {total} items unscored",
}
