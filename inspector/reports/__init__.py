"""Excel reports: the leadership workbook of a round and the feedback workbook of one unit.

``data`` turns a round overview into plain rows (no openpyxl), ``book`` writes streamed sheets
in the official style, ``leadership`` and ``unit_feedback`` lay the sheets out, ``charts`` adds
the pictures, ``export`` chooses file names and saves atomically. Everything that reaches a cell
passes through ``inspector.io.xlsx_cells.write``.
"""
