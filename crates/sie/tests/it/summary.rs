//! The summary value: JSON and text renderings.

use crate::common::*;
use styr_sie::*;

#[test]
fn summary_of_bl_administration() {
    let o = read_outcome(&sample("bl_administration_BL0001_typ4.SE"));
    let s = Summary::from_outcome(&o);
    assert_eq!(s.program.as_deref(), Some("BL Administration"));
    assert_eq!(s.program_version.as_deref(), Some("2011.2.102"));
    assert_eq!(s.org_nr.as_deref(), Some("556265-1892"));
    assert_eq!(s.sie_type, Some(4));
    assert_eq!(s.fiscal_years.len(), 2);
    assert_eq!(s.fiscal_years[0].start, "2009-07-01");
    assert_eq!(
        (
            s.counts.accounts,
            s.counts.dimensions,
            s.counts.objects,
            s.counts.vouchers,
            s.counts.transactions,
            s.counts.budgets
        ),
        (117, 3, 23, 84, 405, 24)
    );
    assert_eq!((s.counts.added_rows, s.counts.struck_rows), (6, 3));
    assert_eq!(
        (
            s.diagnostic_counts.errors,
            s.diagnostic_counts.warnings,
            s.diagnostic_counts.infos
        ),
        (0, 17, 0)
    );

    let v: serde_json::Value = serde_json::from_str(&s.to_json()).expect("valid JSON");
    assert_eq!(v["program"], "BL Administration");
    assert_eq!(v["company_name"], "SEEE Speak Easy Executive English AB");
    assert_eq!(v["sie_type"], 4);
    assert_eq!(v["encoding"], "cp437");
    assert_eq!(v["checksum"]["status"], "absent");
    assert_eq!(v["counts"]["budgets"], 24);
    assert_eq!(v["counts"]["transactions"], 405);
    assert_eq!(v["fiscal_years"][1]["end"], "2009-06-30");
    assert_eq!(v["diagnostics"][0]["severity"], "warning");
    assert_eq!(v["diagnostics"][0]["kind"], "encoding_fallback");
    assert_eq!(v["diagnostics"][0]["line"], 40);

    let text = s.to_text();
    assert!(
        text.starts_with("program:      BL Administration 2011.2.102\n"),
        "{text}"
    );
    assert!(
        text.contains("fiscal year   0: 2009-07-01 .. 2010-06-30\n"),
        "{text}"
    );
    assert!(text.contains("accounts 117, dimensions 3, objects 23, vouchers 84, transactions 405 (+6 added, 3 struck), budget rows 24"), "{text}");
    assert!(
        text.contains("  rad 40: varning encoding: fältet \"Å1\""),
        "{text}"
    );
}

#[test]
fn summary_reports_checksum_and_encoding() {
    let s = Summary::from_outcome(&read_outcome(&sample("visma_compact_SIE4_ksumma.se")));
    assert!(s.to_text().contains("checksum:     verified (2215893042)"));
    let v: serde_json::Value = serde_json::from_str(&s.to_json()).expect("json");
    assert_eq!(v["checksum"]["status"], "verified");
    assert_eq!(v["checksum"]["value"], 2_215_893_042u32);
    let s = Summary::from_outcome(&read_outcome(&sample(
        "visma_adm_underdim_utf8_corrupted.SE",
    )));
    assert!(s.to_text().contains("encoding:     UTF-8"));
}

#[test]
fn summary_of_nothing() {
    let (f, d) = read(b"");
    let s = Summary::new(&f, &d);
    let v: serde_json::Value = serde_json::from_str(&s.to_json()).expect("json");
    assert_eq!(v["program"], serde_json::Value::Null);
    assert_eq!(v["diagnostic_counts"]["errors"], 1);
    assert!(s.to_text().contains("fiscal years: -"));
}
