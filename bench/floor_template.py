"""The floor of ``template --all`` in bench_selfassess.py: write given cells to N xlsx files.

    python bench/floor_template.py CELLS.pickle OUTDIR COUNT

CELLS.pickle holds [(sheet title, [(row, column, kind, value, result), ...], [merges]), ...]
as read back from one generated template (rows and columns 0-based; kind "s" text, "n"
number, "b" bool, "f" formula with its stored result; a merge is (first_row, first_col,
last_row, last_col)). Each file gets the same cells, written by XlsxWriter in its default
mode (as the templates are: shared strings), with the plain typed write calls, no formats,
no column widths, no validations, no protection, no properties. Prints
"<cpu seconds> <wall seconds>" for writing the COUNT files. Shares no code with inspector.
"""

from __future__ import annotations

import os
import pickle
import sys
import time

import xlsxwriter


def write(data: list, path: str) -> None:
    book = xlsxwriter.Workbook(path)
    for title, cells, merges in data:
        sheet = book.add_worksheet(title)
        for first_row, first_col, last_row, last_col in merges:
            sheet.merge_range(first_row, first_col, last_row, last_col, "")
        for row, column, kind, value, result in cells:
            if kind == "s":
                sheet.write_string(row, column, value)
            elif kind == "n":
                sheet.write_number(row, column, value)
            elif kind == "b":
                sheet.write_boolean(row, column, value)
            else:
                sheet.write_formula(row, column, value, None, result)
    book.close()


def main() -> None:
    source, folder, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
    with open(source, "rb") as handle:
        data = pickle.load(handle)
    os.makedirs(folder, exist_ok=True)
    wall, cpu = time.perf_counter(), time.process_time()
    for n in range(count):
        write(data, os.path.join(folder, f"{n:05d}.xlsx"))
    print(f"{time.process_time() - cpu:.4f} {time.perf_counter() - wall:.4f}")


if __name__ == "__main__":
    main()
