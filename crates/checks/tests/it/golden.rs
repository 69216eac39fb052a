//! Each case changes the example a little and states exactly which findings appear or vanish.

use crate::example_files;
use rust_decimal::Decimal;
use styr_checks::{Finding, Severity, check_plan};

/// Every finding after replacing `from` with `to` in `file` (once).
fn findings_after(file: &str, from: &str, to: &str) -> Vec<Finding> {
    let mut files = example_files();
    let text = String::from_utf8(files.files[file].clone()).unwrap();
    assert!(text.contains(from), "{from:?} not in {file}");
    files.insert(file, text.replacen(from, to, 1));
    let plan = styr_package::read_files(&files).expect("still a valid package");
    check_plan(&plan)
}

/// Error findings as (file:line check) after replacing `from` with `to` in `file`.
fn errors_after(file: &str, from: &str, to: &str) -> Vec<String> {
    findings_after(file, from, to)
        .into_iter()
        .filter(|f| f.severity == Severity::Error)
        .map(|f| format!("{}:{} {}", f.file, f.line, f.check))
        .collect()
}

fn baseline() -> Vec<String> {
    errors_after("styr.toml", "format = 1", "format = 1")
}

fn without(mut list: Vec<String>, item: &str) -> Vec<String> {
    let index = list
        .iter()
        .position(|f| f == item)
        .unwrap_or_else(|| panic!("{item} not in {list:?}"));
    list.remove(index);
    list
}

fn with(mut list: Vec<String>, item: &str) -> Vec<String> {
    list.push(item.to_owned());
    list.sort();
    list
}

fn sorted(mut list: Vec<String>) -> Vec<String> {
    list.sort();
    list
}

#[test]
fn correcting_a_printed_total_clears_its_finding() {
    let after = errors_after("budget/operating/sammanstallning.csv", "228600", "230034");
    assert_eq!(
        sorted(after),
        sorted(without(
            baseline(),
            "budget/operating/sammanstallning.csv:6 total"
        ))
    );
}

#[test]
fn a_line_that_changes_breaks_its_total_and_the_reference_to_it() {
    // Kommunfullmäktige 2021: 3 513 → 3 514 breaks the table's Summa and the summary's line.
    let after = errors_after("budget/operating/fortroende.csv", "3461,3513", "3461,3514");
    let expected = with(
        with(baseline(), "budget/operating/fortroende.csv:13 total"),
        "budget/operating/sammanstallning.csv:2 ref",
    );
    assert_eq!(sorted(after), expected);
}

#[test]
fn a_part_that_does_not_add_up() {
    // Pensionärsrådet 35 → 36 tkr: the parts no longer make 120, and the text's "35 tkr" is off.
    let after = errors_after("budget/operating/fortroende.csv", ",35\n", ",36\n");
    let expected = with(
        with(baseline(), "budget/operating/fortroende.csv:4 part"),
        "narrative/driftbudget.md:15 claim",
    );
    assert_eq!(sorted(after), expected);
}

#[test]
fn frame_against_the_summary() {
    let after = errors_after("budget.toml", "amount = 247000", "amount = 246000");
    // The ramberäkning computes 247 000 too: it disagrees with the changed frame as well.
    let expected = with(
        with(
            with(baseline(), "budget.toml:11 frame"),
            "narrative/driftbudget.md:1 claim",
        ),
        "budget.toml:11 calc",
    );
    assert_eq!(sorted(after), expected);
}

#[test]
fn exploitation_row_income_plus_cost_is_net() {
    let after = errors_after("budget/exploitation.csv", "0,-2600,-2600", "0,-2600,-2500");
    let expected = with(
        with(baseline(), "budget/exploitation.csv:3 row"),
        "budget/exploitation.csv:38 total",
    );
    assert_eq!(sorted(after), expected);
}

#[test]
fn hedged_claim_within_rounding_passes_and_exact_one_fails() {
    // "cirka 14 mnkr" for 13,825 passes; "14,0 mnkr" without hedge would need 13,95–14,05.
    let after = errors_after(
        "narrative/exploateringsbudget.md",
        "[cirka 14 mnkr]",
        "[14,0 mnkr]",
    );
    assert_eq!(
        sorted(after),
        with(baseline(), "narrative/exploateringsbudget.md:1 claim")
    );
    let after = errors_after(
        "narrative/exploateringsbudget.md",
        "[cirka 14 mnkr]",
        "[13,8 mnkr]",
    );
    assert_eq!(sorted(after), sorted(baseline()));
}

#[test]
fn claim_on_a_missing_figure_is_an_error() {
    let after = errors_after(
        "narrative/driftbudget.md",
        "{= frame@2021}",
        "{= frame@2022}",
    );
    assert_eq!(
        sorted(after),
        with(baseline(), "narrative/driftbudget.md:1 claim")
    );
}

const ADJUSTED_2020: &str = "; bas = \"justerad budget 2020\"}";

fn dec(text: &str) -> Decimal {
    text.parse().unwrap()
}

#[test]
fn a_claim_measured_from_a_version_the_data_lacks_is_a_warning_with_the_columns_figure() {
    // The example's 28,4 mnkr is measured from "den justerade budgeten 2020"; the plan holds
    // only the proposal for 2021, whose 2020 column gives 16,966 mnkr.
    let findings = findings_after("styr.toml", "format = 1", "format = 1");
    let warning = findings
        .iter()
        .find(|f| f.message.starts_with("«28,4 mnkr»"))
        .expect("the frame change claim");
    assert_eq!(warning.severity, Severity::Warning);
    assert_eq!(
        (warning.file.as_str(), warning.line),
        ("narrative/driftbudget.md", 3)
    );
    assert_eq!(
        warning.message,
        "«28,4 mnkr» kan inte verifieras: justerad budget 2020 finns inte i data; \
         mot kolumnen Budget 2020 blir förändringen 17,0 mnkr"
    );
    assert_eq!(
        (warning.stated, warning.computed, warning.unit.as_str()),
        (Some(dec("28.4")), Some(dec("16.97")), "mnkr")
    );
    // A base the data lacks is a warning even where the columns happen to agree (19,5 mnkr).
    let reserve = findings
        .iter()
        .find(|f| f.message.starts_with("«19,5 mnkr»"))
        .expect("the reserve claim");
    assert_eq!(reserve.severity, Severity::Warning);
    assert!(reserve.message.ends_with("blir förändringen 19,5 mnkr"));
    // Without the base, the same claim is an error against the columns.
    let after = errors_after("narrative/driftbudget.md", ADJUSTED_2020, "}");
    assert_eq!(
        sorted(after),
        with(baseline(), "narrative/driftbudget.md:3 claim")
    );
}

#[test]
fn a_comparison_measured_from_a_missing_version_says_whether_the_columns_hold() {
    let findings = findings_after(
        "narrative/driftbudget.md",
        "op.gemensamma.smohf@2020}",
        "op.gemensamma.smohf@2020; bas = \"justerad budget 2020\"}",
    );
    let warning = findings
        .iter()
        .find(|f| f.message.starts_with("«oförändrad»"))
        .unwrap();
    assert_eq!(warning.severity, Severity::Warning);
    assert_eq!(
        warning.message,
        "«oförändrad» kan inte verifieras: justerad budget 2020 finns inte i data; \
         mot kolumnen Budget 2020 gäller: Södertörns miljö- och hälsoskyddsförbund 2021 (7 770 tkr) \
         är inte lika med Södertörns miljö- och hälsoskyddsförbund 2020 (7 759 tkr)"
    );
}

#[test]
fn a_claim_whose_base_is_the_plans_own_version_is_checked_as_before() {
    // By id and by name: the 28,4 mnkr is then checked against the data, and fails.
    for base in [
        "; bas = ks_2021_proposal}",
        "; bas = \"Kommunstyrelsens förslag till fördelning av ram 2021\"}",
    ] {
        let after = errors_after("narrative/driftbudget.md", ADJUSTED_2020, base);
        assert_eq!(
            sorted(after),
            with(baseline(), "narrative/driftbudget.md:3 claim"),
            "{base}"
        );
    }
    // A claim that holds, with the plan's version as its base, gives no finding.
    let findings = findings_after(
        "narrative/driftbudget.md",
        "{= frame@2021}",
        "{= frame@2021; bas = ks_2021_proposal}",
    );
    assert!(
        !findings
            .iter()
            .any(|f| f.file == "narrative/driftbudget.md" && f.line == 1),
        "{findings:?}"
    );
}
