//! The ramberäkning in a package: read, written back, and every bad cell named.

use crate::example_dir;
use styr_domain::Money;
use styr_domain::budget::FrameLineKind;
use styr_package::{Diagnostic, Files, read_files, write_files};

const CSV: &str = "budget/frame_calculation.csv";

fn example_files() -> Files {
    Files::load(&example_dir()).expect("example loads")
}

fn with_lines(lines: &str) -> Files {
    let mut files = example_files();
    let text = format!("id,kind,label,percent,volume,unit_cost,amount,decision\n{lines}");
    files.files.insert(CSV.into(), text.into_bytes());
    files
}

fn problems(files: &Files) -> Vec<Diagnostic> {
    match read_files(files) {
        Ok(_) => panic!("a bad package was accepted"),
        Err(diagnostics) => diagnostics,
    }
}

fn places(diagnostics: &[Diagnostic]) -> Vec<(String, u32, String)> {
    diagnostics
        .iter()
        .map(|d| (d.file.clone(), d.line, d.field.clone()))
        .collect()
}

#[test]
fn the_example_computes_its_frame_from_the_justerad_budget() {
    let plan = read_files(&example_files()).expect("example reads");
    let calc = plan.budget.frame_calculation.expect("a frame calculation");
    assert_eq!(calc.year, 2021);
    assert_eq!(calc.base_label, "justerad budget 2020");
    assert_eq!(calc.base_amount, Money::from_tkr(218_600).unwrap());
    assert!(calc.synthetic);
    let kinds: Vec<FrameLineKind> = calc.lines.iter().map(|l| l.kind).collect();
    assert_eq!(
        kinds,
        [
            FrameLineKind::PriceWage,
            FrameLineKind::Priority,
            FrameLineKind::Priority,
            FrameLineKind::Efficiency
        ]
    );
    assert_eq!(calc.computed_frame(), Money::from_tkr(247_000));
    assert_eq!(calc.change(), Money::from_tkr(28_400));
}

#[test]
fn the_calculation_is_written_back_as_read() {
    let plan = read_files(&example_files()).expect("example reads");
    let written = write_files(&plan);
    assert_eq!(
        written.get(CSV),
        example_files().get(CSV),
        "the CSV is written as the example holds it"
    );
    let again = read_files(&written).expect("written package reads");
    assert_eq!(
        again.budget.frame_calculation.map(|c| c.lines),
        plan.budget.frame_calculation.map(|c| c.lines)
    );
}

#[test]
fn an_unknown_kind_is_named_at_its_line_and_field() {
    let files = with_lines("a,lon,Löner,2.0,,,,\n");
    let diagnostics = problems(&files);
    assert_eq!(places(&diagnostics), vec![(CSV.into(), 2, "kind".into())]);
    assert!(
        diagnostics[0].message.contains("pris_lon, demografi"),
        "{}",
        diagnostics[0]
    );
}

#[test]
fn a_percent_that_is_not_a_number_is_refused() {
    let files = with_lines("a,prioritering,X,,,,100,\nb,pris_lon,PKV,\"2,0\",,,,\n");
    let diagnostics = problems(&files);
    assert_eq!(
        places(&diagnostics),
        vec![(CSV.into(), 3, "percent".into())]
    );
    assert!(
        diagnostics[0].message.contains("inte ett tal"),
        "{}",
        diagnostics[0]
    );
}

#[test]
fn each_kind_needs_its_own_columns_and_refuses_the_others() {
    let files = with_lines(
        "pkv,pris_lon,PKV,,,,,\n\
         demo,demografi,Elever,1.5,40,,,\n\
         prio,prioritering,Trygghet,,,,,\n\
         eff,effektivisering,Besparing,,3,,-500,\n",
    );
    let diagnostics = problems(&files);
    assert_eq!(
        places(&diagnostics),
        vec![
            (CSV.into(), 2, "percent".into()),
            (CSV.into(), 3, "percent".into()),
            (CSV.into(), 3, "unit_cost".into()),
            (CSV.into(), 4, "amount".into()),
            (CSV.into(), 5, "amount".into()),
            (CSV.into(), 5, "volume".into()),
        ]
    );
    let messages: Vec<&str> = diagnostics.iter().map(|d| d.message.as_str()).collect();
    assert!(messages[0].contains("värde saknas"), "{}", messages[0]);
    assert!(messages[1].contains("lämna cellen tom"), "{}", messages[1]);
    assert!(messages[4].contains("positivt belopp"), "{}", messages[4]);
}

#[test]
fn an_amount_that_is_not_whole_tkr_is_named() {
    let files = with_lines("a,prioritering,X,,,,10.5,\n");
    let diagnostics = problems(&files);
    assert_eq!(places(&diagnostics), vec![(CSV.into(), 2, "amount".into())]);
}

#[test]
fn an_unknown_decision_and_a_repeated_id_are_named() {
    let files =
        with_lines("a,prioritering,X,,,,100,kf_1999\na,prioritering,Y,,,,100,kf_2020_11_09_185\n");
    let diagnostics = problems(&files);
    assert_eq!(
        places(&diagnostics),
        vec![
            (CSV.into(), 2, "decision".into()),
            (CSV.into(), 3, "id".into())
        ]
    );
}

#[test]
fn lines_without_the_base_in_budget_toml_are_refused() {
    let mut files = example_files();
    let budget = String::from_utf8(files.files["budget.toml"].clone()).unwrap();
    let cut = budget.find("[frame_calculation]").expect("the base");
    files
        .files
        .insert("budget.toml".into(), budget.as_bytes()[..cut].to_vec());
    let diagnostics = problems(&files);
    assert_eq!(places(&diagnostics), vec![(CSV.into(), 0, String::new())]);
    assert!(
        diagnostics[0].message.contains("[frame_calculation]"),
        "{}",
        diagnostics[0]
    );
}

#[test]
fn the_base_without_its_lines_is_refused() {
    let mut files = example_files();
    files.files.remove(CSV);
    let diagnostics = problems(&files);
    assert_eq!(places(&diagnostics)[0].0, CSV);
}
