"""The rectification sheet: its columns, its rows, and the cells a unit fills in.

One row per problem, found on the way back by the problem's number in a hidden column (never
by position), so a row moved by sorting still reads right and a row deleted or inserted is
named. The unit fills in only its own columns: status (整改中 / 已整改), completion date,
responsible department and person, measures, evidence. Everything else is the office's and
locked.
"""

from __future__ import annotations

LAYOUT_VERSION = "1"

# Columns of the ledger sheet (letters as a spreadsheet shows them).
NUMBER, ITEM, PROBLEM, REQUIREMENT, DEADLINE = "A", "B", "C", "D", "E"
STATUS, COMPLETED, DEPARTMENT, PERSON, MEASURES, EVIDENCE = "F", "G", "H", "I", "J", "K"
RECHECK, KEY = "L", "M"  # KEY is hidden
COLUMNS = (
    NUMBER,
    ITEM,
    PROBLEM,
    REQUIREMENT,
    DEADLINE,
    STATUS,
    COMPLETED,
    DEPARTMENT,
    PERSON,
    MEASURES,
    EVIDENCE,
    RECHECK,
    KEY,
)
INPUT_COLUMNS = (STATUS, COMPLETED, DEPARTMENT, PERSON, MEASURES, EVIDENCE)
INDEX = {letter: i for i, letter in enumerate(COLUMNS)}

TITLE_ROW = 1
SUBTITLE_ROW = 2
HEADER_ROW = 3
FIRST_BODY_ROW = 4
HEADER_KEY = "key"
MAX_ROWS = 3000

# What the unit may choose as a status, by the key the ledger stores (every language's
# words are read back, so a workbook re-saved on a machine set to English still reads).
UNIT_STATUSES = ("in_progress", "done")

# Limits of what a unit types (the office's own screens show every character).
MAX_NAME = 100  # department, person
MAX_TEXT = 4000  # measures, evidence
MAX_EVIDENCE = 200  # evidence lines
EARLIEST = "2000-01-01"  # a completion date before this is a typing mistake
