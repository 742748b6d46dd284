"""The floor of bench_export.py: write given cell values to an xlsx file, and nothing else.

    python bench/floor_xlsx.py CELLS.pickle OUT.xlsx MODE [RUNS]

CELLS.pickle holds [(sheet title, [row tuple, ...]), ...] as read back from an exported
workbook; a value of STYLED_BLANK marks an empty cell that carries a format there. MODE:

* ``xlsxwriter``: XlsxWriter in ``constant_memory`` mode, every value with the plain
  write_string / write_number / write_datetime call, no formats, no empty cells (the floor);
* ``xlsxwriter-styled``: the same with one shared bordered format on every value and on
  every formerly styled empty cell (what any styled export pays XlsxWriter, for reference);
* ``openpyxl``: openpyxl in write-only mode, ``ws.append`` per row (for reference).

Prints the best of RUNS runs (default 3) as "<cpu seconds> <wall seconds>". Shares no code with
inspector.
"""

from __future__ import annotations

import pickle
import sys
import time

STYLED_BLANK = "\x00styled-blank\x00"


def xlsxwriter_floor(data: list, path: str, styled: bool) -> None:
    import xlsxwriter

    book = xlsxwriter.Workbook(path, {"constant_memory": True})
    fmt = book.add_format({"border": 1, "text_wrap": True}) if styled else None
    for title, rows in data:
        sheet = book.add_worksheet(title)
        write_string, write_number = sheet.write_string, sheet.write_number
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                if value is None:
                    continue
                if value.__class__ is str:
                    if value == STYLED_BLANK:
                        if styled:
                            sheet.write_blank(r, c, None, fmt)
                    else:
                        write_string(r, c, value, fmt)
                elif isinstance(value, (int, float)):
                    write_number(r, c, value, fmt)
                else:
                    sheet.write_datetime(r, c, value, fmt)
    book.close()


def openpyxl_floor(data: list, path: str) -> None:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    for title, rows in data:
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append([None if v == STYLED_BLANK else v for v in row])
    book.save(path)


def main() -> None:
    source, target, mode = sys.argv[1:4]
    runs = int(sys.argv[4]) if len(sys.argv) > 4 else 3
    with open(source, "rb") as handle:
        data = pickle.load(handle)
    best_cpu = best_wall = float("inf")
    for _ in range(runs):
        wall, cpu = time.perf_counter(), time.process_time()
        if mode == "openpyxl":
            openpyxl_floor(data, target)
        else:
            xlsxwriter_floor(data, target, styled=mode == "xlsxwriter-styled")
        best_cpu = min(best_cpu, time.process_time() - cpu)
        best_wall = min(best_wall, time.perf_counter() - wall)
    print(f"{best_cpu:.4f} {best_wall:.4f}")


if __name__ == "__main__":
    main()
