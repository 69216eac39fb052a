//! Internal control as a user runs it: the example's control results and audit actions
//! imported, the risk matrix as text and SVG, the year's results, the open recommendations with
//! overdue actions, and a result the rules refuse.

use crate::{example_dir, stderr, stdout, styr};
use std::path::Path;

fn run_ok(args: &[&str]) -> String {
    let output = styr(args);
    assert_eq!(
        output.status.code(),
        Some(0),
        "{args:?}: {}",
        stderr(&output)
    );
    stdout(&output)
}

fn with_control_results(dir: &Path) -> String {
    let db = dir.join("styr.db").to_str().unwrap().to_owned();
    let example = example_dir();
    run_ok(&["import", example.to_str().unwrap(), "--db", &db]);
    let file = example.join("followup/kontroll-2021.csv");
    let out = run_ok(&["followup", "import", file.to_str().unwrap(), "--db", &db]);
    assert!(
        out.ends_with("9 rader, 9 ändrade, 0 oförändrade\n"),
        "{out}"
    );
    db
}

#[test]
fn the_matrix_results_and_audits_of_the_example() {
    let temp = tempfile::tempdir().unwrap();
    let db = with_control_results(temp.path());

    let matrix = run_ok(&["control", "matrix", "--db", &db]);
    let expected = "\
Syntetiska exempeldata: riskbedömningarna, den interna kontrollplanen, kontrollresultaten och revisionens rekommendationer här är påhittade för exemplet och är inte kommunens egna uppgifter eller beslut.

Riskmatris 2021 — Haninge kommun (sannolikhet × konsekvens, antal risker per cell)

                        K1            K2            K3            K4
          S4       0 Medel         0 Hög  1 Mycket hög  0 Mycket hög
          S3         0 Låg       0 Medel         1 Hög  0 Mycket hög
          S2         1 Låg       0 Medel       0 Medel         1 Hög
          S1         0 Låg         0 Låg         0 Låg       0 Medel

  1. Underskott i lokalbanken (S4 × K3)
  2. Kostnader för evakuering vid ombyggnationer (S3 × K3)
  3. Uteblivna realisationsvinster från fastighetsförsäljningar (S2 × K4)
  4. Självrisker vid skador (S2 × K1)
";
    assert_eq!(matrix, expected);
    // 2019: only lokalbanken was assessed.
    let earlier = run_ok(&["control", "matrix", "--year", "2019", "--db", &db]);
    assert!(earlier.contains("  1. Underskott i lokalbanken (S3 × K3)\n"));
    assert!(earlier.contains("  4. Självrisker vid skador (ej bedömd)\n"));

    let svg_path = temp.path().join("matris.svg");
    let out = run_ok(&[
        "control",
        "matrix",
        "--format",
        "svg",
        "-o",
        svg_path.to_str().unwrap(),
        "--db",
        &db,
    ]);
    assert_eq!(out, "");
    let svg = std::fs::read_to_string(&svg_path).unwrap();
    assert!(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""));
    assert!(svg.contains("<title id=\"riskmatris-title\">Riskmatris 2021</title>"));
    assert!(svg.contains("<desc id=\"riskmatris-desc\">"));
    assert_eq!(
        svg.matches("<rect ").count(),
        16 + 4,
        "16 cells and 4 legend keys"
    );

    let results = run_ok(&["control", "results", "--db", &db]);
    assert_eq!(results.matches(": ej rapporterat").count(), 4, "{results}");
    assert!(results.contains("  2021-08: Med brister (röd)"));

    let audits = run_ok(&["control", "audits", "--today", "2021-09-30", "--db", &db]);
    assert!(audits.contains(
        "    ens_a2 Inför kostnadsuppföljning mot statsbidrag i delårsrapporterna: Pågår (senast 2021-04-30) FÖRSENAD\n"
    ));
    assert!(!audits.contains("gdpr_a1"), "done in August: {audits}");
    assert!(audits.ends_with("3 visade, 3 öppna av 8, 2 med försenade åtgärder\n"));
    let all = run_ok(&[
        "control",
        "audits",
        "--all",
        "--today",
        "2021-09-30",
        "--db",
        &db,
    ]);
    assert!(all.contains("      underlag: Förteckning över behandlingar 2021-08-20\n"));
    assert!(all.ends_with("8 visade, 3 öppna av 8, 2 med försenade åtgärder\n"));

    let json = run_ok(&[
        "control",
        "audits",
        "--format",
        "json",
        "--today",
        "2021-09-30",
        "--db",
        &db,
    ]);
    let value: serde_json::Value = serde_json::from_str(&json).unwrap();
    let open: Vec<&str> = value["recommendations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["recommendation"].as_str().unwrap())
        .collect();
    assert_eq!(open, ["ens_r2", "gdpr_r2", "dig_r1"]);
    let ens_a2 = &value["recommendations"][0]["actions"][0];
    assert_eq!(ens_a2["status"], "in_progress");
    assert_eq!(ens_a2["overdue"], true);
    assert_eq!(ens_a2["period"], "2021-04");
    assert_eq!(value["recommendations"][0]["case"], "KS 2019/492");
}

#[test]
fn a_result_the_rules_refuse_changes_nothing() {
    let temp = tempfile::tempdir().unwrap();
    let db = with_control_results(temp.path());
    let output = styr(&[
        "control",
        "result",
        "ikp21_evakuering",
        "Med brister",
        "--period",
        "2021-12",
        "--finding",
        "Två verifikationer på investering",
        "--db",
        &db,
    ]);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(
        stderr(&output),
        "action_plan: resultatet Med brister kräver en åtgärd\nfel: 1 fel; inget ändrades\n"
    );
    let output = styr(&[
        "control", "action", "dig_a1", "klar", "--period", "2021-12", "--db", &db,
    ]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("\"klar\" är ingen åtgärdsstatus"));
    let reported = run_ok(&[
        "control",
        "action",
        "dig_a1",
        "Pågår",
        "--period",
        "2021-12",
        "--comment",
        "Remiss till nämnderna",
        "--db",
        &db,
    ]);
    assert_eq!(
        reported,
        "2021-12 dig_a1: åtgärdsstatus: Pågår; kommentar: Remiss till nämnderna\n"
    );
}
