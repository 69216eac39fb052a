//! Every real sample (copies in tests/data, from shared/data/sie) is read without panic, with the
//! counts from SOURCES.txt / formats.md §1.9 and exactly the diagnostics
//! that each file's quirks justify.

use crate::common::*;
use styr_sie::*;

fn counts(f: &SieFile) -> [usize; 10] {
    [
        f.accounts.len(),
        f.dimensions.len(),
        f.objects.len(),
        f.vouchers.len(),
        f.counted_transactions(),
        f.opening_balances.len(),
        f.closing_balances.len(),
        f.results.len(),
        f.period_balances.len(),
        f.period_budgets.len(),
    ]
}

fn kinds_with_severity(d: &[Diagnostic]) -> Vec<(Severity, DiagnosticKind, usize)> {
    d.iter().map(|d| (d.severity, d.kind, d.line)).collect()
}

#[test]
fn the_sample_folder_holds_exactly_the_files_tested_here() {
    let mut names: Vec<String> = std::fs::read_dir(sample_path(""))
        .expect("sample folder")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .filter(|n| n != "SOURCES.txt")
        .collect();
    names.sort();
    assert_eq!(names, SAMPLES.to_vec());
}

#[test]
fn every_sample_balances_voucher_by_voucher() {
    for name in SAMPLES {
        let (f, d) = read(&sample(name));
        assert!(
            !d.iter()
                .any(|d| d.kind == DiagnosticKind::UnbalancedVoucher),
            "{name}"
        );
        assert!(f.vouchers.iter().all(|v| v.counted_sum() == 0), "{name}");
    }
}

#[test]
fn avendo_budget_actuals_cost_centres_projects() {
    let o = read_outcome(&sample("avendo_transaktioner_ovnbolag_sie4.se"));
    let f = &o.file;
    assert!(o.diagnostics.is_empty(), "{:?}", o.diagnostics);
    assert_eq!(o.encoding, FileEncoding::Cp437);
    assert_eq!(o.checksum, ChecksumStatus::Absent);
    assert_eq!(counts(f), [567, 3, 14, 163, 671, 55, 62, 104, 705, 1248]);
    assert_eq!(
        f.company_name.as_deref(),
        Some("Övningsbolaget AB (Ekonomi 60)")
    );
    assert_eq!(
        f.program,
        Some(Program {
            name: "Avendo".into(),
            version: "5.20".into()
        })
    );
    assert_eq!(
        f.fiscal_years.iter().map(|y| y.index).collect::<Vec<_>>(),
        vec![0, -1]
    );
    assert_eq!(
        f.dimensions.keys().copied().collect::<Vec<_>>(),
        vec![1, 6, 7]
    );
    // SOURCES.txt says some PSALDO rows carry object lists; in the bytes all
    // 705 are `{}` (objects only occur on #TRANS rows, 73 of them "Nord").
    assert!(f.period_balances.iter().all(|p| p.objects.is_empty()));
    assert!(f.period_budgets.iter().all(|p| p.objects.is_empty()));
    let nord = f
        .vouchers
        .iter()
        .flat_map(|v| &v.rows)
        .filter(|r| r.object_in(1) == Some("Nord"))
        .count();
    assert_eq!(nord, 73);
    // 1248 budget rows are 52 accounts x 12 months x 2 years (index 0 and -1).
    let accounts: std::collections::BTreeSet<_> =
        f.period_budgets.iter().map(|p| &p.account).collect();
    assert_eq!(accounts.len(), 52);
    assert_eq!(
        f.period_budgets.iter().filter(|p| p.year == -1).count(),
        624
    );
}

#[test]
fn bl_administration_rtrans_btrans_latin1_object() {
    let o = read_outcome(&sample("bl_administration_BL0001_typ4.SE"));
    let f = &o.file;
    assert_eq!(counts(f), [117, 3, 23, 84, 405, 54, 54, 26, 0, 24]);
    assert_eq!(f.rows_of_kind(RowKind::Added), 6);
    assert_eq!(f.rows_of_kind(RowKind::AddedDuplicate), 6);
    assert_eq!(f.rows_of_kind(RowKind::Struck), 3);
    assert_eq!(f.rows_of_kind(RowKind::Normal), 399);
    assert_eq!(
        (
            f.object_opening_balances.len(),
            f.object_closing_balances.len()
        ),
        (6, 21)
    );
    assert_eq!(f.vouchers.iter().filter(|v| v.series == "#").count(), 12);
    assert_eq!(f.fiscal_years[0].start, Date::new(2009, 7, 1).unwrap());
    // The Latin-1 object id "\xC51" is "Å1".
    assert_eq!(f.objects[&ObjectRef::new(6, "Å1")], "årsta");
    // Voucher A 8: three struck rows and two zero RTRANS rows.
    let a8 = f
        .vouchers
        .iter()
        .find(|v| v.series == "A" && v.number == "8")
        .expect("A 8");
    assert_eq!(a8.counted_rows().count(), 2);
    assert_eq!(a8.rows.len(), 7);
    // Diagnostics: the Latin-1 field (line 40) and 16 objects used in vouchers
    // that no #OBJEKT declares (e.g. dimension-1 object "1010" on line 624).
    let d = &o.diagnostics;
    assert_eq!(d.len(), 17);
    assert_eq!(
        kinds_with_severity(&d[..1]),
        vec![(Severity::Warning, DiagnosticKind::EncodingFallback, 40)]
    );
    assert!(
        d[1..]
            .iter()
            .all(|d| d.kind == DiagnosticKind::UndeclaredObject && d.severity == Severity::Warning)
    );
    assert_eq!(d[1].line, 624);
    assert!(
        d[1].message.contains("\"1010\" i dimension 1"),
        "{}",
        d[1].message
    );
    assert_eq!(d.last().map(|d| d.line), Some(819));
}

#[test]
fn visma_compact_with_ksumma() {
    let o = read_outcome(&sample("visma_compact_SIE4_ksumma.se"));
    let f = &o.file;
    assert!(o.diagnostics.is_empty(), "{:?}", o.diagnostics);
    assert_eq!(counts(f), [301, 2, 6, 286, 949, 47, 50, 61, 0, 0]);
    assert_eq!(
        o.checksum,
        ChecksumStatus::Verified {
            value: 2_215_893_042
        }
    );
    // Every TRANS carries the optional quantity written as 0.00.
    let rows: Vec<&TransRow> = f.vouchers.iter().flat_map(|v| &v.rows).collect();
    assert!(
        rows.iter()
            .all(|r| r.quantity.as_ref().map(|q| q.as_str()) == Some("0.00"))
    );
    assert!(rows.iter().all(|r| r.date.is_some()));
    assert_eq!(f.objects[&ObjectRef::new(6, "SÄLJ")], "Försäljning");
}

#[test]
fn kapell_type2_budget_only() {
    let o = read_outcome(&sample("kapell_sie2_budget.si"));
    let f = &o.file;
    assert_eq!(counts(f), [1, 0, 0, 0, 0, 0, 0, 0, 0, 12]);
    assert_eq!(f.sie_type, Some(SieType::Type2));
    assert_eq!(
        f.program,
        Some(Program {
            name: "Kapell".into(),
            version: "6.72b".into()
        })
    );
    assert_eq!(
        f.accounts[&AccountNo::parse("3041").unwrap()].name,
        "Försäljning tjänst 25%"
    );
    let months: Vec<String> = f.period_budgets.iter().map(|p| p.period.iso()).collect();
    assert_eq!(months.first().map(String::as_str), Some("2009-09"));
    assert_eq!(months.last().map(String::as_str), Some("2010-08"));
    assert!(
        f.period_budgets
            .iter()
            .all(|p| p.amount == Amount(-100_000_000) && p.year == 0)
    );
    // Type 2 requires #OMFATTN, which this file lacks.
    assert_eq!(
        kinds_with_severity(&o.diagnostics),
        vec![(Severity::Warning, DiagnosticKind::TypeConformance, 1)]
    );
    assert_eq!(o.diagnostics[0].record, "#OMFATTN");
}

#[test]
fn pyramid_column_aligned_four_dimensions() {
    let o = read_outcome(&sample("pyramid_sie4_4dims.se"));
    let f = &o.file;
    assert_eq!(counts(f), [492, 4, 15, 8, 22, 10, 10, 8, 0, 0]);
    assert_eq!(
        f.dimensions.keys().copied().collect::<Vec<_>>(),
        vec![1, 6, 7, 8]
    );
    assert_eq!(f.dimensions[&8].name, "Företag");
    assert_eq!(
        (
            f.rows_of_kind(RowKind::Added),
            f.rows_of_kind(RowKind::Struck)
        ),
        (1, 1)
    );
    assert_eq!(f.org_nr, None);
    assert_eq!(
        f.address.as_ref().map(|a| a.street.as_str()),
        Some("Traktorvägen 14")
    );
    let first = &f.vouchers[0];
    assert_eq!(
        (first.series.as_str(), first.number.as_str()),
        ("M", "1000")
    );
    assert_eq!(
        first.rows[1].quantity.as_ref().map(|q| q.as_str()),
        Some("3.00")
    );
    // The only diagnostic: the empty `#ORGNR ` on line 7.
    assert_eq!(
        kinds_with_severity(&o.diagnostics),
        vec![(Severity::Warning, DiagnosticKind::MissingField, 7)]
    );
}

#[test]
fn gks3_underdim_ids_clash_with_reserved_dims() {
    let o = read_outcome(&sample("gks3_underdim_qmarks.SI"));
    let f = &o.file;
    assert_eq!(counts(f), [9, 14, 14, 74, 756, 0, 0, 0, 0, 0]);
    assert!(f.fiscal_years.is_empty());
    assert_eq!(f.company_name.as_deref(), Some("AB Danag?rds Grafiska"));
    // #UNDERDIM 01..20 under dimension 1; "01" is dimension 1 itself.
    assert_eq!(
        f.dimensions[&1],
        Dimension {
            name: "Resultatenhet".into(),
            parent: None
        }
    );
    assert_eq!(
        f.dimensions[&3],
        Dimension {
            name: "Bildrepro".into(),
            parent: Some(1)
        }
    );
    assert_eq!(
        f.dimensions
            .values()
            .filter(|d| d.parent == Some(1))
            .count(),
        13
    );
    let v = &f.vouchers[0];
    assert_eq!((v.series.as_str(), v.number.as_str()), ("K", "408307"));
    assert_eq!(
        kinds_with_severity(&o.diagnostics),
        vec![(Severity::Warning, DiagnosticKind::Duplicate, 9)]
    );
    assert!(
        o.diagnostics[0]
            .message
            .contains("dimension 1 är redan deklarerad av #DIM 1")
    );
}

#[test]
fn visma_utf8_corrupted_with_underdim() {
    let o = read_outcome(&sample("visma_adm_underdim_utf8_corrupted.SE"));
    let f = &o.file;
    assert_eq!(o.encoding, FileEncoding::Utf8);
    assert_eq!(counts(f), [530, 4, 39, 295, 1330, 51, 53, 119, 0, 0]);
    assert_eq!(f.flag, 1);
    assert_eq!(f.company_name.as_deref(), Some("\u{FFFD}vningsbolaget AB"));
    assert_eq!(
        f.dimensions[&61],
        Dimension {
            name: "Kubernetesdrift".into(),
            parent: Some(6)
        }
    );
    assert_eq!(f.dimensions[&62].parent, Some(6));
    // `#TRANS 3041 {1 Nord 61 0036} -33000.00`
    let row = f
        .vouchers
        .iter()
        .flat_map(|v| &v.rows)
        .find(|r| r.object_in(61) == Some("0036"))
        .expect("sub-dimension row");
    assert_eq!(
        (row.account.as_str(), row.object_in(1), row.amount),
        ("3041", Some("Nord"), Amount(-3_300_000))
    );
    assert_eq!(
        kinds_with_severity(&o.diagnostics),
        vec![
            (Severity::Warning, DiagnosticKind::EncodingMismatch, 2),
            (Severity::Warning, DiagnosticKind::EncodingLoss, 6),
            (Severity::Warning, DiagnosticKind::UndeclaredObject, 2285),
        ]
    );
    assert!(o.diagnostics[1].message.starts_with("430 rad(er)"));
    assert!(o.diagnostics[2].message.contains("\"0037\" i dimension 6"));
}
