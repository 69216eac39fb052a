#!/usr/bin/env python3
"""Writes ks-2020.se: a SYNTHETIC (syntetisk) ledger of Kommunstyrelsen for 2020, the previous
year beside the example's 2021 ledger (issue 22, R17: the previous year's same period).

Not Haninge's bookkeeping. Round amounts on purpose, so that a test can compute the figures by
hand: every month 400 000 kr of arvoden on ansvar 1010, 5 000 000 kr of salaries and 1 500 000 kr
of social fees on 1100, 800 000 kr of bevakning on 1160, 250 000 kr of sales on 1110 (income),
a 9 000 000 kr fee to the fire brigade on 1900 in January, April, July and October; investments
1 000 000 kr a month on P7002 (IT), 500 000 kr in March, June, September and December on P7003
(Vattenplan), 20 000 kr in May and October on P7005 (kommunhuset).

Run: python3 scripts/example_ledger_2020.py (writes examples/haninge-ks-2021/ledger/ks-2020.se).
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
]


def main():
    lines = [
        "#FLAGGA 0",
        '#PROGRAM "styr" "exempel"',
        "#FORMAT PC8",
        "#GEN 20210115",
        "#SIETYP 4",
        '#PROSA "Syntetisk huvudbok 2020 för exemplet haninge-ks-2021; inte Haninges bokföring"',
        '#ORGNR "212000-0000"',
        '#FNAMN "Haninge kommun, kommunstyrelsen (syntetiska data)"',
        "#RAR 0 20200101 20201231",
        '#VALUTA "SEK"',
    ]
    for number, name, kind in ACCOUNTS:
        lines.append(f'#KONTO {number} "{name}"')
        lines.append(f"#KTYP {number} {kind}")
    lines += ['#DIM 1 "Ansvar"', '#DIM 6 "Projekt"']
    for dim, obj, name in OBJECTS:
        lines.append(f'#OBJEKT {dim} "{obj}" "{name}"')
    numbers = {}

    def voucher(series, month, text, rows):
        numbers[series] = numbers.get(series, 0) + 1
        lines.append(f'#VER "{series}" "{numbers[series]}" 2020{month:02d}25 "{text}"')
        lines.append("{")
        for account, objects, amount in rows:
            objs = " ".join(f'{d} "{o}"' for d, o in objects)
            lines.append(f"#TRANS {account} {{{objs}}} {amount:.2f}")
        lines.append("}")

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
    text = "\r\n".join(lines) + "\r\n"
    (Path(__file__).resolve().parent.parent / "examples/haninge-ks-2021/ledger/ks-2020.se").write_bytes(text.encode("cp437"))


main()
