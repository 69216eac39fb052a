//! `styr alternative` as a user runs it (issue 21, item 5): create from KF's stored plan, a frame
//! that breaks the balance rule, a refused submit (exit 1, the margin on standard error), the
//! frame lowered, submitted, and `diff` as text, CSV and JSON.

use crate::{example_dir, stderr, stdout, styr};

#[test]
fn a_politicians_alternative_from_create_to_diff() {
    let folder = tempfile::tempdir().unwrap();
    let db = folder.path().join("alt.db");
    let db = db.to_str().unwrap();
    let kf = example_dir().join("../haninge-kf-2021");
    assert!(
        styr(&["import", kf.to_str().unwrap(), "--db", db])
            .status
            .success()
    );
    let run = |args: &[&str]| {
        let mut all = vec!["alternative"];
        all.extend_from_slice(args);
        all.extend_from_slice(&["--db", db, "--actor", "anna"]);
        styr(&all)
    };
    let created = run(&[
        "create",
        "--party",
        "Moderaterna",
        "--title",
        "Trygghet först",
    ]);
    assert!(created.status.success(), "{}", stderr(&created));
    assert!(stdout(&created).contains("resultat 107 000 tkr, marginal mot målet +1 000 tkr"));
    let raised = run(&["frame", "1", "sn", "927 000"]);
    assert!(
        stdout(&raised).contains("Resultatet 80 000 tkr är 26 000 tkr under det finansiella målet")
    );
    let refused = run(&["submit", "1"]);
    assert_eq!(refused.status.code(), Some(1));
    assert!(
        stderr(&refused).contains(
            "result: Resultatet 80 000 tkr är 26 000 tkr under det finansiella målet (2,0 % av \
             skatteintäkter och generella statsbidrag = 106 000 tkr)"
        ),
        "{}",
        stderr(&refused)
    );
    assert!(stdout(&run(&["list"])).contains("utkast"));
    assert!(run(&["frame", "1", "sn", "900500"]).status.success());
    let submitted = run(&["submit", "1"]);
    assert!(
        stdout(&submitted).contains("inlämnad"),
        "{}",
        stderr(&submitted)
    );
    let published = run(&["publish", "1"]);
    assert!(
        stdout(&published).contains("publicerad"),
        "{}",
        stderr(&published)
    );

    let text = stdout(&run(&["diff", "--year", "2021"]));
    assert!(text.contains("900 500 (+500)"), "{text}");
    assert!(text.contains("106 500 (−500)"), "{text}");
    let csv = stdout(&run(&["diff", "--format", "csv"]));
    assert!(csv.starts_with("year,column,alternative,row,id,label,amount,difference\n"));
    assert!(
        csv.contains(
            "2021,Moderaterna: Trygghet först,1,frame,sn,Socialnämnden,900500000,500000\n"
        ),
        "{csv}"
    );
    let json: serde_json::Value =
        serde_json::from_str(&stdout(&run(&["diff", "--format", "json"]))).unwrap();
    let result = json["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["kind"] == "result")
        .unwrap();
    assert_eq!(result["amounts"][1], serde_json::json!(106_500_000));
}
