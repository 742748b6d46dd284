"""English: workspace, scoring engine, answers files, unit and round commands."""

MESSAGES: dict[str, str] = {
    "problem.count": "{text} ({count} {per})",
    "problem.separator": "; ",
}
