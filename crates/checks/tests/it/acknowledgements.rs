//! Acknowledgements read from a package: the finding they name reports as acknowledged; one
//! that names no current error is itself a warning; a blank reason refuses the package.

use crate::example_files;
use styr_checks::{Severity, check};

fn with_acknowledgements(text: &str) -> Result<styr_domain::Plan, Vec<styr_package::Diagnostic>> {
    let mut files = example_files();
    files.insert("acknowledgements.toml", text.to_owned());
    styr_package::read_files(&files)
}

#[test]
fn an_acknowledged_finding_is_noted_not_an_error() {
    let plan = with_acknowledgements(
        "[[acknowledgement]]\n\
         finding = \"total:budget/operating/sammanstallning.csv:summa:2020\"\n\
         reason = \"Summan är tryckt så i källan\"\n\
         by = \"controller\"\n\
         at = \"2026-11-27T10:00:00Z\"\n\
         \n\
         [[acknowledgement]]\n\
         finding = \"total:budget/operating/ksf.csv:summa:2021\"\n\
         reason = \"Gammal kvittens\"\n\
         by = \"controller\"\n\
         at = \"2026-11-27T10:00:00Z\"\n",
    )
    .unwrap();
    let report = check(&plan);
    let noted: Vec<(Severity, &str)> = report
        .findings
        .iter()
        .filter(|f| {
            f.file == "budget/operating/sammanstallning.csv" || f.file == "acknowledgements.toml"
        })
        .map(|f| (f.severity, f.id.as_str()))
        .collect();
    assert_eq!(
        noted,
        vec![
            (
                Severity::Warning,
                "ack:acknowledgements.toml:total:budget/operating/ksf.csv:summa:2021"
            ),
            (
                Severity::Acknowledged,
                "total:budget/operating/sammanstallning.csv:summa:2020"
            ),
        ]
    );
    let text = styr_checks::render_report(&report);
    assert!(
        text.contains(
            "kvitterad budget/operating/sammanstallning.csv:6: Sammanställning (tkr): Summa \
         Kommunstyrelsen 2020 stämmer inte (skillnad −1 434 tkr) (angivet 228 600 tkr, beräknat \
         230 034 tkr) — kvitterad av controller 2026-11-27T10:00:00Z: Summan är tryckt så i källan"
        ),
        "{text}"
    );
    assert!(
        text.ends_with("8 fel, 6 varningar, 10 info, 1 kvitterade, 2 förslag till rättelse\n"),
        "{text}"
    );
}

#[test]
fn a_blank_reason_refuses_the_package() {
    let diagnostics = with_acknowledgements(
        "[[acknowledgement]]\nfinding = \"x\"\nreason = \" \"\nby = \"c\"\nat = \"2026-11-27\"\n",
    )
    .unwrap_err();
    let found: Vec<(&str, u32, &str)> = diagnostics
        .iter()
        .map(|d| (d.file.as_str(), d.line, d.field.as_str()))
        .collect();
    assert_eq!(found, vec![("acknowledgements.toml", 3, "reason")]);
}
