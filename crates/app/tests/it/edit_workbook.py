"""Edits a workbook as a user does in Excel, with openpyxl: sets cells and saves.

    edit_workbook.py IN.xlsx OUT.xlsx SHEET!CELL=VALUE ...

A VALUE that reads as a number is written as a number, one that starts with "=" as a formula,
an empty one clears the cell, anything else as text. openpyxl saves formulas without their
computed values, as programs that do not calculate do: the reader must compute sums itself.
"""

import sys

import openpyxl


def main() -> None:
    source, target, *edits = sys.argv[1:]
    book = openpyxl.load_workbook(source)
    for edit in edits:
        place, value = edit.split("=", 1)
        sheet, cell = place.rsplit("!", 1)
        if value == "":
            book[sheet][cell].value = None
            continue
        if value.startswith("="):
            book[sheet][cell].value = value
            continue
        try:
            number = int(value)
        except ValueError:
            try:
                number = float(value)
            except ValueError:
                number = None
        book[sheet][cell].value = value if number is None else number
    book.save(target)


if __name__ == "__main__":
    main()
