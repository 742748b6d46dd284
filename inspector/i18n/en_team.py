"""English: team inspections (who scores, teams and assignments, versions, merge, conflicts,
items to verify)."""

MESSAGES: dict[str, str] = {
    # who is scoring
    "team.whoami.help": "Show the inspector's name and where it comes from.",
    "team.whoami.env": "Inspector: {name} (from INSPECTOR_USER)",
    "team.whoami.config": "Inspector: {name} (from the settings file {config})",
    "team.whoami.system": (
        "Inspector: {name} (the system user; set yours with inspector config set inspector NAME)"
    ),
    "team.config.help": "This user's settings (the inspector's name).",
    "team.config.set.help": "Save a setting, e.g. inspector config set inspector 王磊",
    "team.arg.key": "The setting (inspector).",
    "team.arg.value": "Its value.",
    "team.config.saved": "Saved {key} = {value} ({path})",
    "team.config_key": 'There is no setting "{key}"; known: {known}',
    "team.config_bad": "The settings file {path} cannot be read: {detail} (fix or remove it)",
    # teams and assignments
    "team.help": "Inspection teams: add, list.",
    "team.add.help": "Add a team or members to it, e.g. inspector team add 第一督查组 --members 王磊,李娜",
    "team.list.help": "List the teams, their members and their units.",
    "team.arg.team": "The team's name.",
    "team.arg.units": "Units by name or code (one or more).",
    "team.opt.members": "Members' names, separated by commas.",
    "team.opt.categories": "Only these categories (comma-separated codes, e.g. 3,4); default all.",
    "team.added": 'Team "{team}": {members}',
    "team.list.none": "No teams yet. Add one with inspector team add NAME --members A,B.",
    "team.col.team": "Team",
    "team.col.members": "Members",
    "team.col.units": "Units",
    "team.assign.help": "Assign units to a team, e.g. inspector assign 第一督查组 市财政局 市教育局",
    "team.assigned": 'Assigned to "{team}": {count} change(s).',
    "team.unknown": 'There is no team "{name}". Close or known: {known}',
    "team.unknown_category": 'There is no category "{code}". Known: {known}',
    "team.unknown_item": 'There is no item "{item}". Close: {known}',
    "team.not_yours": (
        '"{unit}" is assigned to {teams}, and "{who}" is not a member (close member names:'
        " {close}). Add --force to record it anyway."
    ),
    "team.opt.force_team": "Record even where the unit is assigned to another team (--answers).",
    "team.opt.if_version": "Record only if the assessment is still at this version (show --json).",
    "team.if_version_answers": "--if-version goes with --answers only.",
    "team.none": "(none)",
    # versions
    "team.version_changed": (
        '"{unit}" was changed (version {expected} → {current}); nothing recorded.'
        " Read it again with show --json before recording."
    ),
    "team.adjustments_changed.veto": "The veto entries were changed by someone else since they were shown.",
    "team.adjustments_changed.aggravated": "The aggravated-deduction entries were changed by someone else since they were shown.",
    "team.adjustments_changed.bonus": "The bonus entries were changed by someone else since they were shown.",
    "team.item_changed": "Item {item} was changed by someone else since it was shown.",
    "team.confirm_conflicts": (
        '"{unit}" has unresolved merge conflicts ({items}) and cannot be confirmed.'
        " See inspector conflicts."
    ),
    "team.confirm_marked": (
        '"{unit}" has items marked to verify ({items}) and cannot be confirmed.'
        " Verify them and clear the marks (/k -)."
    ),
    # the scorer
    "team.scorer.bar.who": " · {who}",
    "team.scorer.ask_name": 'No inspector\'s name is set on this machine. Your name (Enter keeps "{fallback}"):',
    "team.scorer.name_prompt": "Name> ",
    "team.scorer.name_saved": "Saved the inspector's name: {name} (change it with inspector config set inspector)",
    "team.scorer.other_team": '"{unit}" is assigned to {teams}; you ({who}) are not a member.',
    "team.scorer.other_team_prompt": "Score it anyway? Type y to go on, Enter to leave> ",
    "team.scorer.holder": "{who} ({host}, since {since})",
    "team.scorer.lease": 'Note: {holders} is scoring "{unit}" too. Saves of the same item are checked, never silently overwritten.',
    "team.scorer.adjustments_changed": "The {kind} entries were changed by someone else since this screen was shown; not saved. Recorded now: {entries}. To change them, enter them again from there.",
    "team.scorer.changed": "✗ Item {code} was changed by someone else since this card was shown; not saved.",
    "team.scorer.mine": "Mine ({who})",
    "team.scorer.theirs": "Theirs ({who}, {at})",
    "team.scorer.changed_prompt": "k keep mine · t take theirs · e edit> ",
    "team.scorer.changed_again": "Type k, t or e.",
    "team.scorer.taken": "Took the other decision on {code}.",
    "team.scorer.edit": "{code} shows the latest decision; type yours again.",
    "team.scorer.marked": "Marked {code} to verify.",
    "team.scorer.unmarked": "Cleared the mark on {code}.",
    "team.scorer.ask_mark": "What to verify (- clears the mark):",
    "team.scorer.drafted": "Not scored: the text typed is kept as a draft and comes back on this item.",
    "team.scorer.draft_restored": "The draft text of this item is back; it is saved with the score.",
    "team.scorer.list.marked": "To verify: {count}",
    "team.status.marked": "to verify {items}",
    "team.status.conflicts": "{count} conflict(s)",
    # merge
    "merge.help": "Merge other laptops' workspaces (same round), e.g. inspector merge team2.db",
    "merge.arg.others": "The workspace files to merge in (only read, never changed).",
    "merge.opt.dry_run": "Only list what would be merged; change nothing.",
    "merge.nothing": "{path}: nothing new; the workspace is unchanged (merged before, or the same).",
    "merge.done": (
        "Merged {path}: {units} new unit(s), {assessments} assessment(s), {items} item(s);"
        " {same} the same, {conflicts} conflict(s); {audit} log entries, {ledger} ledger rows."
    ),
    "merge.dry_run": (
        "Dry run of {path} (nothing changed): {units} new unit(s), {assessments} assessment(s),"
        " {items} item(s); {same} the same, {conflicts} conflict(s); {audit} log entries,"
        " {ledger} ledger rows."
    ),
    "merge.unconfirmed": "{count} confirmed assessment(s) reopened: the two sides differ.",
    "merge.see_conflicts": "Units with conflicts: {units}. See inspector conflicts; settle with inspector resolve.",
    "merge.old_schema": (
        "{path} is an older workspace (schema {version}, now {current}). Open it once with this"
        " program (e.g. inspector status --db {path}) and merge again."
    ),
    "merge.same_file": "{path} is this workspace; it cannot be merged with itself.",
    "merge.no_uri": "{path} cannot be opened read-only (this SQLite has no URI file names).",
    "merge.other_set": (
        '{path}: round "{round}" uses another indicator set (theirs {theirs}…, here {mine}…);'
        " refused."
    ),
    "merge.unit_code": '{path}: the unit "{unit}" has another code (theirs {theirs}, here {mine}); refused.',
    "merge.being_written": "{path} is being written by another process here ({who}, pid {pid}). End that session first.",
    # conflicts
    "conflicts.help": "List the items the merged sides decided differently, side by side.",
    "conflicts.arg.unit": "Only this unit.",
    "conflicts.none": "No unresolved conflicts.",
    "conflicts.col.unit": "Unit",
    "conflicts.col.item": "Item",
    "conflicts.col.mine": "Here",
    "conflicts.col.theirs": "Theirs (source)",
    "conflicts.how": "Settle with: inspector resolve UNIT ITEM --take mine|theirs",
    "resolve.help": "Settle a conflict: keep this workspace's decision (mine) or take theirs.",
    "resolve.arg.item": "The item's code (or veto, aggravated, bonus).",
    "resolve.opt.take": "mine keeps this workspace's decision, theirs takes the other.",
    "resolve.done.mine": "Settled: {unit} {item} keeps this workspace's decision.",
    "resolve.done.theirs": "Settled: {unit} {item} takes the other decision.",
    "team.no_conflict": '"{unit}" has no unresolved conflict on "{item}". Conflicts: {known}',
    "team.bad_take": '--take is mine or theirs, not "{take}".',
    # the leadership workbook's cover
    "team.report.section": "Inspection teams",
    "team.report.line": "{team} ({members}): {units}",
    "merge.being_written_now": "{path} is being written by another process (a write is under way); nothing was changed here. Merge it once that is done.",
    "team.scorer.conflict": "Merge conflict: theirs ({who}, {at}, from {source}) ",
    "team.scorer.conflict_how": "; /take theirs, /mine keeps this one, or score it again",
    "team.scorer.no_conflict": "{code} has no merge conflict.",
    "team.show.scorers": "Scored by: {scorers}",
    "team.show.scorer": "{who} ({count} items)",
    "team.show.scorer_items": "{who} ({items})",
}
