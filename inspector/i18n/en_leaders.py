"""Messages of the leadership reports' summary, year over year, and the draft notice (English)."""

MESSAGES: dict[str, str] = {
    "trend.help": "Each unit's totals, grades and ranks over the rounds (the --from chain, or creation order)",
    "trend.arg.unit": "Only this unit (name or code), with its items compared by code",
    "trend.unit_absent": "Unit '{unit}' took part in none of these rounds",
    "trend.title": "Totals and ranks over the rounds",
    "trend.col.unit": "Unit",
    "trend.col.group": "Group",
    "trend.col.change": "Change",
    "trend.col.rank_change": "Rank change",
    "trend.col.code": "Code",
    "trend.col.item": "Item",
    "trend.cell": "{total} {grade} #{rank}",
    "trend.cell_unranked": "{total} (incomplete)",
    "trend.absent": "—",
    "trend.items_title": "{unit}: item scores (compared by item code)",
    "trend.single_round": "The workspace has one round ({round}): nothing to compare yet.",
    "leaders.unit.items_row": "Item points",
    "leaders.unit.total_row": "Total (normalised, with adjustments)",
}
