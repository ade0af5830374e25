"""Writes the legacy .xls example (BIFF8, as NHSO's REP downloads are) from the cells that
`cargo run -p kongtun-eclaim --example statement_files -- examples examples/statements`
dumps to twin/*.json, with xlwt (pip install xlwt). Run from the repository root:

    python3 examples/statements/make_xls.py

The .xls is committed: the tests and CI read it and need neither Python nor xlwt.
"""
import json
import pathlib

import xlwt

HERE = pathlib.Path(__file__).parent
for source in sorted((HERE / "twin").glob("*.json")):
    book = xlwt.Workbook(encoding="utf-8")
    date = xlwt.easyxf(num_format_str="dd/mm/yyyy")
    for sheet in json.loads(source.read_text(encoding="utf-8")):
        ws = book.add_sheet(sheet["name"])
        for r, row in enumerate(sheet["rows"]):
            for c, cell in enumerate(row):
                kind = cell[0]
                if kind == "t":
                    ws.write(r, c, cell[1])
                elif kind == "n":
                    ws.write(r, c, cell[1])
                elif kind == "d":
                    ws.write(r, c, cell[1], date)
    target = HERE / (source.stem + ".xls")
    book.save(str(target))
    print(target)
