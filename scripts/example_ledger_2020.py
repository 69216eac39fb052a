#!/usr/bin/env python3
"""Writes two SYNTHETIC (syntetiska) ledgers of the example (issue 22):

- ks-2020.se: Kommunstyrelsen's ledger for 2020, the previous year beside the example's 2021
  ledger (R17: the previous year's same period), with exploitation and finance rows;
- ks-2021-exploatering-finans.se: a sub-ledger (delbok, its own organisation number 212000-0001
  so that it is stored beside ks-2021.se, not over it) with 2021's exploitation and finance
  rows, which the generated ks-2021.se does not hold.

Not Haninge's bookkeeping. Round amounts on purpose, so that a test can compute the figures by
hand: every month 400 000 kr of arvoden on ansvar 1010, 5 000 000 kr of salaries and 1 500 000 kr
of social fees on 1100, 800 000 kr of bevakning on 1160, 250 000 kr of sales on 1110 (income),
a 9 000 000 kr fee to the fire brigade on 1900 in January, April, July and October; investments
1 000 000 kr a month on P7002 (IT), 500 000 kr in March, June, September and December on P7003
(Vattenplan), 20 000 kr in May and October on P7005 (kommunhuset).

Exploitation (ansvar 1500, dimension 6 E77055 Albyberg 1, E77090 Lillgården etapp 1) and
finance (ansvar 1800: interest income 8311 and costs 8411 → fin.finansiella) follow the
mapping in ledger/accounts.csv and ledger/projects.csv. 2020: Albyberg 1 sells land for
40 000 000 kr in June and has 1 500 000 kr of costs in February, May, August and November;
Lillgården 500 000 kr of costs in March and September; interest income 1 000 000 kr a month,
interest costs 2 000 000 kr in March, June, September and December. 2021 (the sub-ledger):
Albyberg 1 sells for 30 000 000 kr in May and has 2 000 000 kr of costs in March and July;
Lillgården sells for 12 000 000 kr in September and has 800 000 kr of costs in April; interest
income 1 100 000 kr a month (January–October), interest costs 2 100 000 kr in March, June and
September.

Run: python3 scripts/example_ledger_2020.py (writes both files into
examples/haninge-ks-2021/ledger/).
"""
from pathlib import Path

ACCOUNTS = [
    ("1510", "Kundfordringar", "T"),
    ("1930", "Bank", "T"),
    ("2440", "Leverantörsskulder", "S"),
    ("3490", "Övriga intäkter, försäljning av tjänster", "I"),
    ("4010", "Inköp av material, investeringar", "K"),
    ("4020", "Entreprenader, investeringar", "K"),
    ("40310", "Konsulttjänster, investeringar", "K"),
    ("51110", "Månadslön tillsvidareanställda", "K"),
    ("51150", "Arvoden förtroendevalda", "K"),
    ("56110", "Lagstadgade arbetsgivaravgifter", "K"),
    ("6470", "Bevakningstjänster", "K"),
    ("69810", "Medlemsavgift Södertörns brandförsvarsförbund", "K"),
]
OBJECTS = [
    (1, "1010", "Kommunstyrelsen, politisk verksamhet"),
    (1, "1100", "KSF ledning"),
    (1, "1110", "Kansliavdelningen"),
    (1, "1150", "Digitaliseringsavdelningen"),
    (1, "1160", "Trygghet och säkerhet"),
    (1, "1900", "Kommungemensamt"),
    (6, "P7002", "IT-investeringar"),
    (6, "P7003", "Vattenplan"),
    (6, "P7005", "Investeringar i kommunhuset"),
    (1, "1500", "Exploatering"),
    (1, "1800", "Finansförvaltning"),
    (6, "E77055", "Albyberg 1"),
    (6, "E77090", "Lillgården etapp1"),
]
EXTRA_ACCOUNTS = [
    ("3610", "Försäljning av mark och exploateringsfastigheter", "I"),
    ("6421", "Konsulttjänster, exploatering", "K"),
    ("8311", "Ränteintäkter", "I"),
    ("8411", "Räntekostnader", "K"),
]


def header(year, orgnr, name, prosa, accounts, objects):
    lines = [
        "#FLAGGA 0",
        '#PROGRAM "styr" "exempel"',
        "#FORMAT PC8",
        "#GEN 20210115",
        "#SIETYP 4",
        f'#PROSA "{prosa}"',
        f'#ORGNR "{orgnr}"',
        f'#FNAMN "{name}"',
        f"#RAR 0 {year}0101 {year}1231",
        '#VALUTA "SEK"',
    ]
    for number, account_name, kind in accounts:
        lines.append(f'#KONTO {number} "{account_name}"')
        lines.append(f"#KTYP {number} {kind}")
    lines += ['#DIM 1 "Ansvar"', '#DIM 6 "Projekt"']
    for dim, obj, object_name in objects:
        lines.append(f'#OBJEKT {dim} "{obj}" "{object_name}"')
    return lines


class Vouchers:
    def __init__(self, lines, year):
        self.lines, self.year, self.numbers = lines, year, {}

    def __call__(self, series, month, text, rows):
        lines = self.lines
        numbers = self.numbers
        assert sum(amount for _, _, amount in rows) == 0, text
        numbers[series] = numbers.get(series, 0) + 1
        lines.append(f'#VER "{series}" "{numbers[series]}" {self.year}{month:02d}25 "{text}"')
        lines.append("{")
        for account, objects, amount in rows:
            objs = " ".join(f'{d} "{o}"' for d, o in objects)
            lines.append(f"#TRANS {account} {{{objs}}} {amount:.2f}")
        lines.append("}")


def exploitation_and_finance(voucher, month, sales, costs, income, interest):
    """One month's exploitation and finance vouchers: sales and costs per project object."""
    for obj, amount in sales.get(month, []):
        voucher("EX", month, "Försäljning av mark", [
            ("3610", [(1, "1500"), (6, obj)], -amount),
            ("1930", [], amount),
        ])
    for obj, amount in costs.get(month, []):
        voucher("EX", month, "Exploateringsutgift", [
            ("6421", [(1, "1500"), (6, obj)], amount),
            ("2440", [], -amount),
        ])
    if income:
        voucher("FI", month, "Ränteintäkter", [
            ("8311", [(1, "1800")], -income),
            ("1930", [], income),
        ])
    if interest:
        voucher("FI", month, "Räntekostnader", [
            ("8411", [(1, "1800")], interest),
            ("1930", [], -interest),
        ])


def ledger_2020():
    lines = header(
        2020,
        "212000-0000",
        "Haninge kommun, kommunstyrelsen (syntetiska data)",
        "Syntetisk huvudbok 2020 för exemplet haninge-ks-2021; inte Haninges bokföring",
        ACCOUNTS + EXTRA_ACCOUNTS,
        OBJECTS,
    )
    voucher = Vouchers(lines, 2020)
    sales = {6: [("E77055", 40000000)]}
    costs = {
        2: [("E77055", 1500000)],
        3: [("E77090", 500000)],
        5: [("E77055", 1500000)],
        8: [("E77055", 1500000)],
        9: [("E77090", 500000)],
        11: [("E77055", 1500000)],
    }
    for month in range(1, 13):
        voucher("LO", month, "Löner", [
            ("51150", [(1, "1010")], 400000),
            ("51110", [(1, "1100")], 5000000),
            ("56110", [(1, "1100")], 1500000),
            ("1930", [], -6900000),
        ])
        voucher("LF", month, "Leverantörsfaktura", [
            ("6470", [(1, "1160")], 800000),
            ("2440", [], -800000),
        ])
        voucher("KF", month, "Kundfaktura", [
            ("3490", [(1, "1110")], -250000),
            ("1510", [], 250000),
        ])
        if month in (1, 4, 7, 10):
            voucher("LF", month, "Medlemsavgift", [
                ("69810", [(1, "1900")], 9000000),
                ("2440", [], -9000000),
            ])
        voucher("LF", month, "Investering IT", [
            ("4020", [(1, "1150"), (6, "P7002")], 1000000),
            ("2440", [], -1000000),
        ])
        if month in (3, 6, 9, 12):
            voucher("LF", month, "Investering vattenplan", [
                ("40310", [(1, "1900"), (6, "P7003")], 500000),
                ("2440", [], -500000),
            ])
        if month in (5, 10):
            voucher("LF", month, "Investering kommunhuset", [
                ("4010", [(1, "1900"), (6, "P7005")], 20000),
                ("2440", [], -20000),
            ])
        exploitation_and_finance(
            voucher, month, sales, costs, 1000000, 2000000 if month % 3 == 0 else 0
        )
    write("ks-2020.se", lines)


def ledger_2021_sub():
    lines = header(
        2021,
        "212000-0001",
        "Haninge kommun, exploatering och finansförvaltning (syntetisk delbok)",
        "Syntetisk delbok 2021 för exemplet haninge-ks-2021; inte Haninges bokföring",
        [a for a in ACCOUNTS if a[0] in ("1930", "2440")] + EXTRA_ACCOUNTS,
        [o for o in OBJECTS if o[1] in ("1500", "1800", "E77055", "E77090")],
    )
    voucher = Vouchers(lines, 2021)
    sales = {5: [("E77055", 30000000)], 9: [("E77090", 12000000)]}
    costs = {3: [("E77055", 2000000)], 4: [("E77090", 800000)], 7: [("E77055", 2000000)]}
    for month in range(1, 11):
        exploitation_and_finance(
            voucher, month, sales, costs, 1100000, 2100000 if month % 3 == 0 else 0
        )
    write("ks-2021-exploatering-finans.se", lines)


def write(name, lines):
    text = "\r\n".join(lines) + "\r\n"
    folder = Path(__file__).resolve().parent.parent / "examples/haninge-ks-2021/ledger"
    (folder / name).write_bytes(text.encode("cp437"))


ledger_2020()
ledger_2021_sub()
