#!/usr/bin/env python3
"""Writes the SYNTHETIC bokslut ledger of styr's example municipality (issue 22):
examples/haninge-kf-2021/ledger/kommun-2021.se, a SIE 4 file (CP437, #KSUMMA) for the whole
municipality with balance accounts (#IB/#UB 0 and -1, #RES 0 and -1) and vouchers across 2021
(taxes, grants, fees, wages, other costs, depreciation, investments, a sale of land with a
realisationsvinst, interest, a new loan and an amortisation, an unrealised gain on securities,
a pension provision), so that every financial statement renders, the balance sheet balances and
the cash flow ties. Nothing here is Haninge's: every figure is invented.

Figures (MSEK), for checking the statements by hand:
  2021 RR: intäkter 612 (of which realisationsvinst 12), kostnader -5 600, avskrivningar -210,
  skatteintäkter 4 360, statsbidrag 955, finansiella intäkter 11 (of which orealiserad 3),
  finansiella kostnader -45: årets resultat 83.
  2021 KFA: löpande 328, investering -430, finansiering 200: årets kassaflöde 98
  (bank 415 -> 513).
  2020 (year -1): årets resultat 112.

Run: python3 scripts/gen_kommun_sie.py   (then: styr sie check <file>)
"""

import zlib
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "examples/haninge-kf-2021/ledger/kommun-2021.se"

ACCOUNTS = [
    ("1010", "Immateriella anläggningstillgångar", "T"),
    ("1110", "Mark och byggnader", "T"),
    ("1119", "Ackumulerade avskrivningar, byggnader", "T"),
    ("1120", "Pågående nyanläggningar", "T"),
    ("1210", "Maskiner och inventarier", "T"),
    ("1219", "Ackumulerade avskrivningar, inventarier", "T"),
    ("1310", "Aktier och andelar i koncernföretag", "T"),
    ("1410", "Exploateringsfastigheter", "T"),
    ("1510", "Kundfordringar", "T"),
    ("1710", "Förutbetalda kostnader och upplupna intäkter", "T"),
    ("1810", "Kortfristiga placeringar", "T"),
    ("1930", "Bank", "T"),
    ("2010", "Eget kapital", "S"),
    ("2050", "Resultatutjämningsreserv", "S"),
    ("2210", "Avsättningar för pensioner", "S"),
    ("2290", "Andra avsättningar", "S"),
    ("2310", "Långfristiga lån", "S"),
    ("2440", "Leverantörsskulder", "S"),
    ("2910", "Övriga kortfristiga skulder", "S"),
    ("3110", "Taxor och avgifter", "I"),
    ("3710", "Realisationsvinster, mark", "I"),
    ("5110", "Löner", "K"),
    ("5410", "Pensionskostnader", "K"),
    ("6110", "Övriga verksamhetskostnader", "K"),
    ("6810", "Avskrivningar, byggnader", "K"),
    ("6820", "Avskrivningar, inventarier", "K"),
    ("8010", "Skatteintäkter", "I"),
    ("8210", "Generella statsbidrag och utjämning", "I"),
    ("8410", "Ränteintäkter", "I"),
    ("8480", "Orealiserade vinster, värdepapper", "I"),
    ("8510", "Räntekostnader", "K"),
]

M = 1_000_000

# Opening balances of 2020 (year -1), kr, debit positive.
IB_PREV = {
    "1010": 20 * M, "1110": 6500 * M, "1210": 400 * M, "1310": 300 * M, "1410": 150 * M,
    "1510": 250 * M, "1710": 300 * M, "1810": 100 * M, "1930": 400 * M,
    "2010": -3000 * M, "2050": -100 * M, "2210": -500 * M, "2290": -50 * M,
    "2310": -3500 * M, "2440": -400 * M, "2910": -870 * M,
}
# 2020's movements of the balance accounts and its results (year -1).
MOVE_PREV = {
    "1119": -170 * M, "1219": -25 * M, "1120": 380 * M, "1210": 45 * M, "1510": 5 * M,
    "1930": 15 * M, "2210": -20 * M, "2310": -100 * M, "2440": -10 * M, "2910": -8 * M,
}
RES_PREV = {
    "3110": -580 * M, "5110": 3450 * M, "5410": 20 * M, "6110": 1950 * M, "6810": 170 * M,
    "6820": 25 * M, "8010": -4200 * M, "8210": -980 * M, "8410": -7 * M, "8510": 40 * M,
}


def spread(total, months=12):
    """Whole kronor per month, the remainder in the last."""
    each = total // months
    return [each] * (months - 1) + [total - each * (months - 1)]


def vouchers():
    """(date, text, [(account, amount kr)]) for 2021."""
    out = []
    tax, grants = spread(4360 * M), spread(955 * M)
    wages, other = spread(3575 * M), spread(2000 * M)
    buildings = spread(400 * M)
    for m in range(1, 13):
        d = lambda day: f"2021{m:02d}{day:02d}"
        out.append((d(20), f"Skatteintäkter {m:02d}", [("1930", tax[m - 1]), ("8010", -tax[m - 1])]))
        out.append((d(20), f"Statsbidrag och utjämning {m:02d}",
                    [("1930", grants[m - 1]), ("8210", -grants[m - 1])]))
        out.append((d(5), f"Fakturerade taxor och avgifter {m:02d}",
                    [("1510", 50 * M), ("3110", -50 * M)]))
        paid = 49 * M if m <= 10 else 50 * M
        out.append((d(28), f"Inbetalningar från kunder {m:02d}", [("1930", paid), ("1510", -paid)]))
        if m < 12:
            out.append((d(25), f"Löner {m:02d}", [("5110", wages[m - 1]), ("1930", -wages[m - 1])]))
        else:
            out.append((d(25), "Löner 12 med upplupna löner",
                        [("5110", wages[11]), ("1930", -(wages[11] - 20 * M)), ("2910", -20 * M)]))
        out.append((d(10), f"Leverantörsfakturor {m:02d}",
                    [("6110", other[m - 1]), ("2440", -other[m - 1])]))
        pay = 165 * M if m < 12 else 170 * M
        out.append((d(27), f"Betalning av leverantörsskulder {m:02d}", [("2440", pay), ("1930", -pay)]))
        out.append((d(28), f"Avskrivningar {m:02d}",
                    [("6810", 15 * M), ("1119", -15 * M), ("6820", 2_500_000), ("1219", -2_500_000)]))
        out.append((d(15), f"Investeringar i byggnader {m:02d}",
                    [("1120", buildings[m - 1]), ("1930", -buildings[m - 1])]))
        if m % 3 == 0:
            out.append((d(16), f"Inköp av inventarier kvartal {m // 3}",
                        [("1210", 12_500_000), ("1930", -12_500_000)]))
            out.append((d(30), f"Ränteintäkter kvartal {m // 3}", [("1930", 2 * M), ("8410", -2 * M)]))
            out.append((d(30), f"Räntekostnader kvartal {m // 3}",
                        [("8510", 11_250_000), ("1930", -11_250_000)]))
        if m == 3:
            out.append((d(15), "Nytt lån", [("1930", 300 * M), ("2310", -300 * M)]))
        if m == 6:
            out.append((d(15), "Försäljning av mark (realisationsvinst)",
                        [("1930", 20 * M), ("1110", -8 * M), ("3710", -12 * M)]))
        if m == 12:
            out.append((d(15), "Amortering", [("2310", 100 * M), ("1930", -100 * M)]))
            out.append((d(31), "Marknadsvärdering av placeringar",
                        [("1810", 3 * M), ("8480", -3 * M)]))
            out.append((d(31), "Avsättning för pensioner", [("5410", 25 * M), ("2210", -25 * M)]))
    out.sort(key=lambda v: v[0])
    return out


def kr(amount):
    return f"{amount}.00"


class Writer:
    def __init__(self):
        self.lines = []
        self.crc = 0
        self.summing = False

    def record(self, label, *fields):
        """fields: ("q", text) quoted, ("n", text) bare, ("list", "") an empty object list."""
        parts = [label]
        for kind, text in fields:
            if kind == "q":
                parts.append('"' + text.replace('"', '\\"') + '"')
            elif kind == "list":
                parts.append("{}")
            else:
                parts.append(text)
        self.lines.append(" ".join(parts))
        if self.summing:
            self.crc = zlib.crc32(label.encode("cp437"), self.crc)
            for kind, text in fields:
                if kind != "list":
                    self.crc = zlib.crc32(text.encode("cp437"), self.crc)

    def raw(self, line):
        self.lines.append(line)


def main():
    account_names = [a for a, _, _ in ACCOUNTS]
    ub_prev = {a: IB_PREV.get(a, 0) + MOVE_PREV.get(a, 0) for a in account_names if a < "3"}
    result_prev = -sum(RES_PREV.values())
    ib = dict(ub_prev)
    ib["2010"] -= result_prev  # last year's result carried to eget kapital
    movement = {}
    for _, _, rows in vouchers():
        assert sum(a for _, a in rows) == 0
        for account, amount in rows:
            movement[account] = movement.get(account, 0) + amount
    ub = {a: ib.get(a, 0) + movement.get(a, 0) for a in account_names if a < "3"}
    res = {a: movement.get(a, 0) for a in account_names if a >= "3"}
    assert sum(ib.values()) == 0 and sum(IB_PREV.values()) == 0

    w = Writer()
    w.record("#FLAGGA", ("n", "0"))
    w.raw("#KSUMMA")
    w.summing = True
    w.record("#PROGRAM", ("q", "styr scripts/gen_kommun_sie.py"), ("q", "1"))
    w.record("#FORMAT", ("n", "PC8"))
    w.record("#GEN", ("n", "20220215"))
    w.record("#SIETYP", ("n", "4"))
    w.record("#PROSA", ("q", "SYNTETISKA DATA: bokslutsfil för hela exempelkommunen i styr "
                              "(issue 22); inte Haninges bokföring"))
    w.record("#ORGNR", ("q", "212000-0000"))
    w.record("#FNAMN", ("q", "Haninge kommun (syntetiska data)"))
    w.record("#RAR", ("n", "0"), ("n", "20210101"), ("n", "20211231"))
    w.record("#RAR", ("n", "-1"), ("n", "20200101"), ("n", "20201231"))
    w.record("#VALUTA", ("q", "SEK"))
    for account, name, kind in ACCOUNTS:
        w.record("#KONTO", ("n", account), ("q", name))
        w.record("#KTYP", ("n", account), ("n", kind))
    for year, table in ((0, ib), (-1, IB_PREV)):
        for account in sorted(table):
            if table[account]:
                w.record("#IB", ("n", str(year)), ("n", account), ("n", kr(table[account])))
    for year, table in ((0, ub), (-1, ub_prev)):
        for account in sorted(table):
            if table[account]:
                w.record("#UB", ("n", str(year)), ("n", account), ("n", kr(table[account])))
    for year, table in ((0, res), (-1, RES_PREV)):
        for account in sorted(table):
            if table[account]:
                w.record("#RES", ("n", str(year)), ("n", account), ("n", kr(table[account])))
    for number, (date, text, rows) in enumerate(vouchers(), start=1):
        w.record("#VER", ("q", "A"), ("q", str(number)), ("n", date), ("q", text))
        w.raw("{")
        for account, amount in rows:
            w.record("#TRANS", ("n", account), ("list", ""), ("n", kr(amount)))
        w.raw("}")
    w.summing = False
    w.raw(f"#KSUMMA {w.crc}")
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_bytes(("\r\n".join(w.lines) + "\r\n").encode("cp437"))
    print(f"wrote {OUT} ({len(w.lines)} lines); result 2021 = {-sum(res.values())} kr, "
          f"2020 = {result_prev} kr; bank {ib['1930']} -> {ub['1930']}")


if __name__ == "__main__":
    main()
