"""Scoring forms (core/forms): what every form shares, and texts of forms added later.

The built-in forms' texts predate this file and stay where they were first written
(en_score: the card and the input grammar; en_selfassess: the template; en_report: reports;
en_core: ``indicators show``); a new form puts its texts here.
"""

MESSAGES = {
    "forms.missing_row": "the row “{row}” of item {item} is missing. Do not delete rows; fill in the workbook as sent",
}
