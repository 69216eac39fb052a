//! Writer: read(write(x)) == x, for real files, a hand-built budget and generated models.

use crate::common::*;
use proptest::prelude::*;
use styr_sie::*;

fn roundtrip(f: &SieFile) -> ReadOutcome {
    let bytes = write_sie4(f).expect("writable");
    read_outcome(&bytes)
}

#[test]
fn real_files_round_trip_and_checksums_verify() {
    for name in SAMPLES.iter().filter(|n| !n.contains("utf8")) {
        let (f, _) = read(&sample(name));
        let o = roundtrip(&f);
        assert_eq!(o.file, f, "{name}");
        assert!(
            matches!(o.checksum, ChecksumStatus::Verified { .. }),
            "{name}"
        );
        assert_eq!(o.encoding, FileEncoding::Cp437, "{name}");
        assert!(
            !o.diagnostics.iter().any(|d| d.severity == Severity::Error),
            "{name}: {:?}",
            o.diagnostics
        );
    }
}

#[test]
fn lost_characters_cannot_be_written() {
    let (f, _) = read(&sample("visma_adm_underdim_utf8_corrupted.SE"));
    match write_sie4(&f) {
        Err(WriteError::Unencodable { ch, .. }) => assert_eq!(ch, '\u{FFFD}'),
        other => panic!("expected Unencodable, got {other:?}"),
    }
}

fn acc(s: &str) -> AccountNo {
    AccountNo::parse(s).expect("account")
}

/// A budget as styr would hand it back to the ledger: type 4 (budget rows are
/// optional there), 3- and 5-digit accounts, an ansvar dimension.
fn municipal_budget() -> SieFile {
    let mut f = SieFile {
        program: Some(Program {
            name: "styr".into(),
            version: "0.1.0".into(),
        }),
        generated: Some(Generated {
            date: Date::new(2025, 10, 1).unwrap(),
            sign: "styr".into(),
        }),
        sie_type: Some(SieType::Type4),
        company_name: Some("Haninge kommun".into()),
        org_nr: Some(OrgNr {
            number: "212000-0142".into(),
            ..OrgNr::default()
        }),
        fiscal_years: vec![FiscalYear {
            index: 0,
            start: Date::new(2026, 1, 1).unwrap(),
            end: Date::new(2026, 12, 31).unwrap(),
        }],
        chart_type: Some("Kommun-Bas 26".into()),
        ..SieFile::default()
    };
    for (no, name) in [
        ("801", "Allmän kommunalskatt"),
        ("30106", "Taxa förskola"),
        ("50110", "Löner \"tillsvidare\""),
    ] {
        f.accounts.insert(
            acc(no),
            Account {
                name: name.into(),
                kind: None,
                unit: String::new(),
                sru: vec![],
            },
        );
    }
    f.dimensions.insert(
        1,
        Dimension {
            name: "Ansvar".into(),
            parent: None,
        },
    );
    f.objects
        .insert(ObjectRef::new(1, "40100"), "Förskola Öster".into());
    for m in 1..=12u8 {
        f.period_budgets.push(PeriodAmount {
            year: 0,
            period: Period::new(2026, m).unwrap(),
            account: acc("50110"),
            objects: vec![ObjectRef::new(1, "40100")],
            amount: Amount(1_234_550),
            quantity: None,
        });
    }
    f.vouchers.push(Voucher {
        series: "B".into(),
        number: "1".into(),
        date: Date::new(2026, 1, 31).unwrap(),
        text: "Budgetomföring".into(),
        registered: None,
        sign: String::new(),
        rows: vec![
            TransRow {
                kind: RowKind::Normal,
                account: acc("30106"),
                objects: vec![ObjectRef::new(1, "40100")],
                amount: Amount(-50),
                date: None,
                text: String::new(),
                quantity: None,
                sign: String::new(),
            },
            TransRow {
                kind: RowKind::Normal,
                account: acc("801"),
                objects: vec![],
                amount: Amount(50),
                date: Date::new(2026, 1, 15),
                text: "rad".into(),
                quantity: Quantity::parse("1.5").ok(),
                sign: String::new(),
            },
        ],
    });
    f
}

#[test]
fn budget_is_written_as_cp437_with_ksumma_and_reads_back_equal() {
    let f = municipal_budget();
    let bytes = write_sie4(&f).expect("writable");
    let text = styr_sie::encoding::decode_cp437(&bytes);
    assert!(
        text.starts_with("#FLAGGA 0\r\n#KSUMMA\r\n#PROGRAM \"styr\" \"0.1.0\"\r\n#FORMAT PC8\r\n")
    );
    assert!(text.contains("#PBUDGET 0 202601 50110 {1 \"40100\"} 12345.50\r\n"));
    assert!(text.contains("#KONTO 50110 \"Löner \\\"tillsvidare\\\"\"\r\n"));
    assert!(text.contains("#TRANS 801 {} 0.50 20260115 \"rad\" 1.5\r\n"));
    assert!(bytes.contains(&0x99), "Ö is written as CP437 0x99");
    let o = read_outcome(&bytes);
    assert_eq!(o.file, f);
    assert!(o.diagnostics.is_empty(), "{:?}", o.diagnostics);
    assert!(matches!(o.checksum, ChecksumStatus::Verified { .. }));
}

#[test]
fn writer_refuses_what_sie_cannot_carry() {
    let mut f = SieFile {
        company_name: Some("Euro €".into()),
        ..SieFile::default()
    };
    assert!(matches!(
        write_sie4(&f),
        Err(WriteError::Unencodable { ch: '€', .. })
    ));
    f.company_name = Some("rad\nbrytning".into());
    assert!(matches!(
        write_sie4(&f),
        Err(WriteError::ControlCharacter { .. })
    ));
    f.company_name = Some("slutar med \\".into());
    assert!(matches!(write_sie4(&f), Err(WriteError::Unquotable { .. })));
    // Without spaces a trailing backslash is written bare and survives.
    f.company_name = Some("C:\\dir\\".into());
    let o = roundtrip(&f);
    assert_eq!(o.file.company_name.as_deref(), Some("C:\\dir\\"));
    f.company_name = Some("┼1".into());
    assert!(matches!(write_sie4(&f), Err(WriteError::Ambiguous { .. })));
    // CP437 "∩┐╜" is the byte sequence EF BF BD, i.e. UTF-8 for U+FFFD.
    f.company_name = Some("∩┐╜".into());
    assert_eq!(write_sie4(&f), Err(WriteError::LooksLikeUtf8));
}

// ------------------------------------------------------------ generated models

fn text() -> impl Strategy<Value = String> {
    "[a-zA-Z0-9 åäöÅÄÖé\"\\\\{}#.,:/-]{0,12}"
        .prop_filter("no trailing backslash", |s| !s.ends_with('\\'))
}

fn nonempty_id() -> impl Strategy<Value = String> {
    "[A-Za-z0-9Öö\" -]{1,6}"
}

fn account() -> impl Strategy<Value = AccountNo> {
    "[0-9]{3,5}".prop_map(|s| AccountNo::parse(&s).expect("digits"))
}

fn date() -> impl Strategy<Value = Date> {
    (1990u16..2040, 1u8..=12, 1u8..=28).prop_map(|(y, m, d)| Date::new(y, m, d).expect("valid"))
}

fn amount() -> impl Strategy<Value = Amount> {
    (-10_000_000_000i64..10_000_000_000).prop_map(Amount)
}

fn quantity() -> impl Strategy<Value = Option<Quantity>> {
    proptest::option::of(
        "-?[0-9]{1,4}(\\.[0-9]{1,3})?".prop_map(|s| Quantity::parse(&s).expect("numeric")),
    )
}

fn objects() -> impl Strategy<Value = Vec<ObjectRef>> {
    proptest::collection::btree_map(1u32..40, nonempty_id(), 0..3)
        .prop_map(|m| m.into_iter().map(|(d, o)| ObjectRef::new(d, o)).collect())
}

fn row(kind: RowKind) -> impl Strategy<Value = TransRow> {
    (
        account(),
        objects(),
        amount(),
        proptest::option::of(date()),
        text(),
        quantity(),
        text(),
    )
        .prop_map(
            move |(account, objects, amount, date, text, quantity, sign)| TransRow {
                kind,
                account,
                objects,
                amount,
                date,
                text,
                quantity,
                sign,
            },
        )
}

/// Rows: normal, struck, or an added row followed by its duplicate.
fn rows() -> impl Strategy<Value = Vec<TransRow>> {
    let unit = prop_oneof![
        row(RowKind::Normal).prop_map(|r| vec![r]),
        row(RowKind::Struck).prop_map(|r| vec![r]),
        row(RowKind::Added).prop_map(|r| {
            let mut dup = r.clone();
            dup.kind = RowKind::AddedDuplicate;
            dup.date = None;
            vec![r, dup]
        }),
    ];
    proptest::collection::vec(unit, 0..5).prop_map(|v| v.into_iter().flatten().collect())
}

fn voucher() -> impl Strategy<Value = Voucher> {
    (
        text(),
        text(),
        date(),
        text(),
        proptest::option::of(date()),
        text(),
        rows(),
    )
        .prop_map(
            |(series, number, date, text, registered, sign, rows)| Voucher {
                series,
                number,
                date,
                text,
                registered,
                sign,
                rows,
            },
        )
}

fn period_amount() -> impl Strategy<Value = PeriodAmount> {
    (
        -3i32..=0,
        date(),
        account(),
        objects(),
        amount(),
        quantity(),
    )
        .prop_map(
            |(year, d, account, objects, amount, quantity)| PeriodAmount {
                year,
                period: d.period(),
                account,
                objects,
                amount,
                quantity,
            },
        )
}

fn model() -> impl Strategy<Value = SieFile> {
    (
        (
            0u8..=1,
            proptest::option::of((text(), text())),
            proptest::option::of(text()),
            proptest::option::of(text()),
        ),
        proptest::collection::btree_map(
            account(),
            (
                text(),
                proptest::option::of(prop_oneof![
                    Just(AccountType::Asset),
                    Just(AccountType::Income)
                ]),
                proptest::collection::vec("[0-9]{4}", 0..2),
            ),
            0..6,
        ),
        proptest::collection::btree_map(1u32..40, (text(), proptest::option::of(1u32..40)), 0..4),
        proptest::collection::btree_map((1u32..40, nonempty_id()), text(), 0..4),
        proptest::collection::vec(period_amount(), 0..6),
        proptest::collection::vec(voucher(), 0..4),
        proptest::collection::vec((-2i32..=0, account(), amount(), quantity()), 0..4),
    )
        .prop_map(
            |((flag, program, name, prosa), accounts, dims, objs, budgets, vouchers, ibs)| {
                SieFile {
                    flag,
                    program: program.map(|(name, version)| Program { name, version }),
                    sie_type: Some(SieType::Type4),
                    company_name: name,
                    prosa,
                    accounts: accounts
                        .into_iter()
                        .map(|(k, (name, kind, sru))| {
                            (
                                k,
                                Account {
                                    name,
                                    kind,
                                    unit: String::new(),
                                    sru,
                                },
                            )
                        })
                        .collect(),
                    dimensions: dims
                        .into_iter()
                        .map(|(k, (name, parent))| (k, Dimension { name, parent }))
                        .collect(),
                    objects: objs
                        .into_iter()
                        .map(|((d, o), n)| (ObjectRef::new(d, o), n))
                        .collect(),
                    period_budgets: budgets,
                    opening_balances: ibs
                        .into_iter()
                        .map(|(year, account, amount, quantity)| Balance {
                            year,
                            account,
                            amount,
                            quantity,
                        })
                        .collect(),
                    vouchers,
                    ..SieFile::default()
                }
            },
        )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn generated_models_round_trip(f in model()) {
        let bytes = write_sie4(&f).expect("generated text is writable");
        let o = read_outcome(&bytes);
        prop_assert_eq!(&o.file, &f);
        prop_assert!(matches!(o.checksum, ChecksumStatus::Verified { .. }), "checksum verifies");
    }
}
