"""Scoring forms (core/forms): what every form shares, and texts of forms added later.

The built-in forms' texts predate this file and stay where they were first written
(zh_score: the card and the input grammar; zh_selfassess: the template; zh_report: reports;
zh_core: ``indicators show``); a new form puts its texts here.
"""

MESSAGES = {
    "forms.missing_row": "找不到指标 {item} 的“{row}”行。请勿删除行，请用下发的自评表填写",
}
