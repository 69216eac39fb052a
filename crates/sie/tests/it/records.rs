//! Every record type of the 4B spec, and the value rules (amounts, dates, accounts).

use crate::common::*;
use styr_sie::*;

#[test]
fn identification_records() {
    let text = "#FLAGGA 1\n#PROGRAM \"Ekonomi\" \"2.1\"\n#FORMAT PC8\n#GEN 20240131 \"AB\"\n#SIETYP 3\n\
#PROSA \"Budget 2025\"\n#FTYP KOMMUN\n#FNR \"HAN\"\n#ORGNR 212000-0142 1 2\n#BKOD 84111\n\
#ADRESS \"Kansliet\" \"Box 1\" \"136 81 Haninge\" \"08-123\"\n#FNAMN \"Haninge kommun\"\n\
#RAR 0 20250101 20251231\n#RAR -1 20240101 20241231\n#TAXAR 2026\n#OMFATTN 20251231\n\
#KPTYP \"Kommun-Bas 26\"\n#VALUTA SEK\n";
    let (f, d) = read(&cp437(text));
    assert!(d.is_empty(), "{d:?}");
    assert_eq!(f.flag, 1);
    assert_eq!(
        f.program,
        Some(Program {
            name: "Ekonomi".into(),
            version: "2.1".into()
        })
    );
    assert_eq!(
        f.generated
            .as_ref()
            .map(|g| (g.date.to_string(), g.sign.as_str())),
        Some(("20240131".into(), "AB"))
    );
    assert_eq!(f.sie_type, Some(SieType::Type3));
    assert_eq!(f.prosa.as_deref(), Some("Budget 2025"));
    assert_eq!(f.company_type.as_deref(), Some("KOMMUN"));
    assert_eq!(f.company_id.as_deref(), Some("HAN"));
    assert_eq!(
        f.org_nr,
        Some(OrgNr {
            number: "212000-0142".into(),
            acquisition: "1".into(),
            activity: "2".into()
        })
    );
    assert_eq!(f.sni_code.as_deref(), Some("84111"));
    assert_eq!(
        f.address.as_ref().map(|a| a.postal.as_str()),
        Some("136 81 Haninge")
    );
    assert_eq!(f.company_name.as_deref(), Some("Haninge kommun"));
    assert_eq!(f.fiscal_years.len(), 2);
    assert_eq!(f.fiscal_years[1].index, -1);
    assert_eq!(f.fiscal_years[1].start, Date::new(2024, 1, 1).unwrap());
    assert_eq!(f.tax_year, Some(2026));
    assert_eq!(f.balances_until, Date::new(2025, 12, 31));
    assert_eq!(f.chart_type.as_deref(), Some("Kommun-Bas 26"));
    assert_eq!(f.currency.as_deref(), Some("SEK"));
}

#[test]
fn chart_records_in_any_order_and_account_lengths() {
    // #SRU/#KTYP before #KONTO is allowed (order inside a group is free).
    let (f, d) = read_body(
        "#SRU 40100 7201\n#KTYP 40100 K\n#KONTO 40100 \"Löner ansvar 40100\"\n#ENHET 40100 st\n#SRU 40100 7202\n",
    );
    assert!(d.is_empty(), "{d:?}");
    let a = &f.accounts[&AccountNo::parse("40100").unwrap()];
    assert_eq!(a.name, "Löner ansvar 40100");
    assert_eq!(a.kind, Some(AccountType::Cost));
    assert_eq!(a.unit, "st");
    assert_eq!(a.sru, vec!["7201".to_string(), "7202".to_string()]);
    // 3-, 4- and 5-digit accounts all live side by side.
    let lens: Vec<usize> = f.accounts.keys().map(|k| k.as_str().len()).collect();
    assert_eq!(lens, vec![4, 4, 5, 5, 3]);
}

#[test]
fn account_number_rules() {
    let (f, d) = read_body(
        "#KONTO 12a4 \"x\"\n#KONTO 123456 \"sex siffror\"\n#KONTO 0301 \"ledande nolla\"\n",
    );
    assert_eq!(
        kinds(&d),
        vec![
            (DiagnosticKind::InvalidAccount, HEADER_LINES + 1),
            (DiagnosticKind::InvalidAccount, HEADER_LINES + 2)
        ]
    );
    assert_eq!(d[0].severity, Severity::Error);
    assert_eq!(d[1].severity, Severity::Warning);
    assert!(
        f.accounts
            .contains_key(&AccountNo::parse("123456").unwrap())
    );
    assert!(f.accounts.contains_key(&AccountNo::parse("0301").unwrap()));
    assert_eq!(f.accounts.len(), 6);
}

#[test]
fn amounts_are_exact_ore() {
    assert_eq!(Amount::parse("-1243.50"), Ok(Amount(-124350)));
    assert_eq!(Amount::parse("3411.8"), Ok(Amount(341180)));
    assert_eq!(Amount::parse("0"), Ok(Amount(0)));
    assert_eq!(Amount::parse("-0.01"), Ok(Amount(-1)));
    assert_eq!(Amount::parse("92233720368547758.07"), Ok(Amount(i64::MAX)));
    for bad in [
        "",
        "-",
        "+5",
        "1,50",
        "1.234",
        "1.",
        ".5",
        "1e3",
        " 1",
        "1 000",
        "92233720368547758.08",
        "--1",
        "0x10",
    ] {
        assert!(Amount::parse(bad).is_err(), "{bad:?} should be rejected");
    }
    assert_eq!(Amount(-124350).to_string(), "-1243.50");
    assert_eq!(Amount(5).to_string(), "0.05");
    assert_eq!(Amount(i64::MIN).to_string(), "-92233720368547758.08");
}

#[test]
fn malformed_amounts_are_reported_with_line() {
    let (f, d) = read_body("#IB 0 1930 1,50\n#UB 0 1930 1.234\n#RES 0 3010 +5\n#IB 0 3010 12.5\n");
    assert_eq!(
        kinds(&d),
        vec![
            (DiagnosticKind::MalformedAmount, HEADER_LINES + 1),
            (DiagnosticKind::MalformedAmount, HEADER_LINES + 2),
            (DiagnosticKind::MalformedAmount, HEADER_LINES + 3),
        ]
    );
    assert!(
        d.iter()
            .all(|d| d.severity == Severity::Error && d.field.as_deref().is_some())
    );
    assert_eq!(f.opening_balances.len(), 1);
    assert_eq!(f.opening_balances[0].amount, Amount(1250));
}

#[test]
fn dates_are_validated() {
    assert!(Date::parse("20240229").is_ok());
    assert!(Date::parse("20230229").is_err());
    assert!(Date::parse("21000229").is_err());
    assert!(Date::parse("20000229").is_ok());
    for bad in [
        "20211341",
        "20210001",
        "20210100",
        "2021010",
        "202101011",
        "2021-1-1",
        "abcdefgh",
        "２０２１０１０１",
    ] {
        assert!(Date::parse(bad).is_err(), "{bad:?}");
    }
    assert!(Period::parse("202513").is_err());
    assert_eq!(
        Period::parse("202512").map(|p| p.iso()),
        Ok("2025-12".to_string())
    );
}

#[test]
fn balance_records() {
    let body = "#DIM 1 \"Ansvar\"\n#OBJEKT 1 \"40100\" \"Skola\"\n\
#IB 0 1930 1000.00 3\n#UB 0 1930 1500\n#RES 0 3010 -500\n#IB -1 1930 900\n\
#OIB 0 1930 {1 \"40100\"} 10\n#OUB 0 1930 {1 \"40100\"} 20\n";
    let (f, d) = read_body(body);
    assert!(d.is_empty(), "{d:?}");
    assert_eq!(f.opening_balances.len(), 2);
    assert_eq!(f.opening_balances[0].amount, Amount(100000));
    assert_eq!(f.opening_balances[1].year, -1);
    assert_eq!(f.closing_balances[0].amount, Amount(150000));
    assert_eq!(f.results[0].amount, Amount(-50000));
    assert_eq!(
        f.object_opening_balances[0].objects,
        vec![ObjectRef::new(1, "40100")]
    );
    assert_eq!(f.object_closing_balances[0].amount, Amount(2000));
}

#[test]
fn psaldo_and_pbudget_are_monthly_movements_per_key() {
    let body = "#DIM 1 \"Ansvar\"\n#OBJEKT 1 \"0123\" \"x\"\n\
#PBUDGET 0 200801 3010 {} -1243.50 -415\n#PBUDGET 0 200801 801 {1 \"0123\"} 3411.80\n\
#PSALDO 0 200808 1930 { } 1243.50 123\n#PSALDO -1 200708 1930 {} 1\n";
    let (f, d) = read_body(body);
    assert!(d.is_empty(), "{d:?}");
    assert_eq!(f.period_budgets.len(), 2);
    let b = &f.period_budgets[0];
    assert_eq!(
        (b.year, b.period.to_string(), b.account.as_str(), b.amount),
        (0, "200801".into(), "3010", Amount(-124350))
    );
    assert_eq!(b.quantity.as_ref().map(|q| q.as_str()), Some("-415"));
    assert_eq!(f.period_budgets[1].objects, vec![ObjectRef::new(1, "0123")]);
    assert_eq!(f.period_balances.len(), 2);
    assert_eq!(f.period_balances[1].year, -1);
}

#[test]
fn type2_ignores_rows_with_objects() {
    let text = "#FLAGGA 0\n#PROGRAM X 1\n#FORMAT PC8\n#GEN 20240101\n#SIETYP 2\n#FNAMN X\n#RAR 0 20240101 20241231\n#OMFATTN 20241231\n\
#KONTO 3010 X\n#PSALDO 0 202401 3010 {} -5\n#PSALDO 0 202401 3010 {1 \"A\"} -5\n#PBUDGET 0 202401 3010 {1 \"A\"} -7\n";
    let (f, d) = read(&cp437(text));
    assert_eq!(f.period_balances.len(), 1);
    assert_eq!(f.period_budgets.len(), 0);
    // Object rows ignored (info); dimension 1 and object A were still referenced.
    let k: Vec<_> = d.iter().map(|d| (d.kind, d.line, d.severity)).collect();
    assert_eq!(
        k,
        vec![
            (DiagnosticKind::UndeclaredDimension, 11, Severity::Warning),
            (DiagnosticKind::UndeclaredObject, 11, Severity::Warning),
            (DiagnosticKind::IgnoredForType, 11, Severity::Info),
            (DiagnosticKind::IgnoredForType, 12, Severity::Info),
        ]
    );
}

#[test]
fn dimensions_underdimensions_and_objects() {
    let body = "#DIM 20 \"Verksamhet\"\n#UNDERDIM 21 \"Underverksamhet\" 20\n#OBJEKT 20 \"01\" \"Skola\"\n#OBJEKT 21 \"0101\" \"Förskola\"\n\
#UNDERDIM 22 \"Utan förälder\" 30\n#OBJEKT 23 \"x\" \"odeklarerad\"\n#DIM 20 \"igen\"\n#OBJEKT 20 \"01\" \"igen\"\n";
    let (f, d) = read_body(body);
    assert_eq!(f.dimensions.len(), 3);
    assert_eq!(f.dimensions[&21].parent, Some(20));
    assert_eq!(f.dimensions[&20].name, "Verksamhet");
    assert_eq!(f.objects.len(), 3);
    assert_eq!(f.objects[&ObjectRef::new(20, "01")], "Skola");
    let l = HEADER_LINES;
    assert_eq!(
        kinds(&d),
        vec![
            (DiagnosticKind::UndeclaredDimension, l + 5),
            (DiagnosticKind::UndeclaredDimension, l + 6),
            (DiagnosticKind::Duplicate, l + 7),
            (DiagnosticKind::Duplicate, l + 8),
        ]
    );
}

#[test]
fn objects_used_without_dim_warn_once_per_dimension() {
    let body = "#OBJEKT 1 \"A\" \"a\"\n#VER A 1 20240105\n{\n#TRANS 1930 {1 \"A\"} 1\n#TRANS 3010 {1 \"A\"} -1\n}\n";
    let (_, d) = read_body(body);
    assert_eq!(
        kinds(&d),
        vec![(DiagnosticKind::UndeclaredDimension, HEADER_LINES + 1)]
    );
    assert!(d[0].message.contains("reserverat"));
}
