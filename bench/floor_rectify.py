"""The floors of bench_rectify.py: bare work, sharing no code or settings with inspector.

    python bench/floor_rectify.py write CELLS.pickle OUT_DIR [RUNS]
    python bench/floor_rectify.py read FILE...

* ``write``: CELLS.pickle holds [(file name, [(sheet title, [row tuple, ...]), ...]), ...],
  the values of the rectification workbooks as read back; each workbook is written with
  XlsxWriter (its default mode), every value with the plain write_string / write_number /
  write_datetime call: no formats, no validations, no protection, no properties.
* ``read``: openpyxl in read-only mode, every row of every sheet of each file, values only.

Prints the best of three runs (or RUNS) as "<cpu seconds> <wall seconds>".
"""

from __future__ import annotations

import os
import pickle
import sys
import time


def write(data: list, folder: str) -> None:
    import xlsxwriter

    for name, sheets in data:
        book = xlsxwriter.Workbook(os.path.join(folder, name))
        for title, rows in sheets:
            sheet = book.add_worksheet(title)
            for r, row in enumerate(rows):
                for c, value in enumerate(row):
                    if value is None:
                        continue
                    if value.__class__ is str:
                        sheet.write_string(r, c, value)
                    elif isinstance(value, (int, float)):
                        sheet.write_number(r, c, value)
                    else:
                        sheet.write_datetime(r, c, value)
        book.close()


def read(paths: list[str]) -> None:
    from openpyxl import load_workbook

    for path in paths:
        book = load_workbook(path, read_only=True)
        for sheet in book.worksheets:
            for _ in sheet.iter_rows(values_only=True):
                pass
        book.close()


def main() -> None:
    mode = sys.argv[1]
    runs = 3
    if mode == "write":
        with open(sys.argv[2], "rb") as handle:
            data = pickle.load(handle)
        if len(sys.argv) > 4:
            runs = int(sys.argv[4])
    best_cpu = best_wall = float("inf")
    for _ in range(runs):
        wall, cpu = time.perf_counter(), time.process_time()
        if mode == "write":
            write(data, sys.argv[3])
        else:
            read(sys.argv[2:])
        best_cpu = min(best_cpu, time.process_time() - cpu)
        best_wall = min(best_wall, time.perf_counter() - wall)
    print(f"{best_cpu:.4f} {best_wall:.4f}")


if __name__ == "__main__":
    main()
