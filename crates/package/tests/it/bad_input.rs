//! Bad input: each case names file, line and field, and nothing of the package is returned.

use crate::example_dir;
use styr_package::{Diagnostic, Files, read_files};

fn example_files() -> Files {
    Files::load(&example_dir()).expect("example loads")
}

/// Replaces the first occurrence of `from` in `file` and reads the package.
fn read_with(file: &str, from: &str, to: &[u8]) -> Vec<Diagnostic> {
    let mut files = example_files();
    let bytes = files.files.get_mut(file).expect("file exists");
    let text = String::from_utf8(bytes.clone()).expect("utf-8");
    let at = text
        .find(from)
        .unwrap_or_else(|| panic!("{from:?} not in {file}"));
    let mut changed = bytes[..at].to_vec();
    changed.extend_from_slice(to);
    changed.extend_from_slice(&bytes[at + from.len()..]);
    *bytes = changed;
    match read_files(&files) {
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
fn malformed_toml_names_its_line() {
    let diagnostics = read_with(
        "budget.toml",
        "year = 2021\namount = 247000",
        b"year = 2021\namount = = 247000",
    );
    assert_eq!(
        places(&diagnostics),
        vec![("budget.toml".into(), 12, String::new())]
    );
    assert!(
        diagnostics[0].message.starts_with("ogiltig TOML"),
        "{}",
        diagnostics[0]
    );
}

#[test]
fn unknown_toml_key_is_an_error_not_ignored() {
    let diagnostics = read_with(
        "styr.toml",
        "code = \"0136\"",
        b"code = \"0136\"\nkod = \"0136\"",
    );
    assert_eq!(
        places(&diagnostics),
        vec![("styr.toml".into(), 11, String::new())]
    );
    assert!(diagnostics[0].message.contains("kod"), "{}", diagnostics[0]);
}

#[test]
fn malformed_csv_row_names_its_line() {
    let diagnostics = read_with(
        "budget/investment.csv",
        "IT-investeringar,line,",
        b"IT-investeringar,line,,,",
    );
    assert_eq!(
        places(&diagnostics),
        vec![("budget/investment.csv".into(), 3, String::new())]
    );
    assert_eq!(
        diagnostics[0].message,
        "raden har 10 fält men rubrikraden har 8"
    );
}

#[test]
fn number_with_a_stray_character_names_line_and_column() {
    let diagnostics = read_with("budget/operating/ksf.csv", "89636", b"89 636x");
    assert_eq!(
        places(&diagnostics),
        vec![("budget/operating/ksf.csv".into(), 2, "2020".into())]
    );
    assert!(
        diagnostics[0].message.contains("89 636x"),
        "{}",
        diagnostics[0]
    );
}

#[test]
fn percent_sign_in_indicator_value_is_rejected() {
    let diagnostics = read_with("indicator_values.csv", "80.9", b"80.9%");
    assert_eq!(diagnostics.len(), 1);
    assert_eq!(diagnostics[0].file, "indicator_values.csv");
    assert_eq!(diagnostics[0].field, "value");
}

#[test]
fn missing_column_is_named() {
    let diagnostics = read_with("indicators.csv", ",kolada_kpi,", b",kpi,");
    assert_eq!(
        places(&diagnostics),
        vec![
            ("indicators.csv".into(), 1, "kolada_kpi".into()),
            ("indicators.csv".into(), 1, "kpi".into())
        ]
    );
}

#[test]
fn indicator_for_a_goal_that_does_not_exist() {
    let diagnostics = read_with("indicators.csv", "bostader,mal2,", b"bostader,mal9,");
    assert_eq!(
        places(&diagnostics),
        vec![("indicators.csv".into(), 3, "goal".into())]
    );
    assert_eq!(diagnostics[0].message, "målet mal9 finns inte");
}

#[test]
fn duplicate_id_is_reported_at_the_second() {
    let diagnostics = read_with("assignments.csv", "ks2020_2,", b"ks2020_1,");
    // The second row is now a duplicate, and what named the old id points nowhere.
    assert_eq!(
        places(&diagnostics),
        vec![
            ("assignment_mentions.csv".into(), 6, "assignment".into()),
            ("assignment_status.csv".into(), 3, "assignment".into()),
            ("assignments.csv".into(), 5, "id".into()),
        ]
    );
    assert_eq!(diagnostics[2].message, "uppdraget ks2020_1 finns redan");
}

#[test]
fn non_utf8_file_names_the_line() {
    let diagnostics = read_with("narrative/risk.md", "Utfallet", b"Utfallet \xe5r");
    assert_eq!(diagnostics.len(), 1);
    assert_eq!(diagnostics[0].file, "narrative/risk.md");
    assert!(
        diagnostics[0].message.contains("UTF-8"),
        "{}",
        diagnostics[0]
    );
    assert!(diagnostics[0].line >= 1);
}

#[test]
fn invalid_id_characters() {
    let diagnostics = read_with("assignments.csv", "ks2020_2,", b"KS-2020-2,");
    assert_eq!(
        places(&diagnostics),
        vec![("assignments.csv".into(), 5, "id".into())]
    );
}

#[test]
fn bad_claim_markup_names_line_and_column() {
    let diagnostics = read_with(
        "narrative/driftbudget.md",
        "{= frame@2021}",
        b"{= frame@20x1}",
    );
    assert_eq!(diagnostics.len(), 1);
    assert_eq!(
        (diagnostics[0].file.as_str(), diagnostics[0].line),
        ("narrative/driftbudget.md", 1)
    );
    assert!(
        diagnostics[0].field.starts_with("kolumn "),
        "{}",
        diagnostics[0]
    );
}

#[test]
fn every_problem_is_reported_not_just_the_first() {
    let mut files = example_files();
    for (file, from, to) in [
        ("indicators.csv", "bostader,mal2,", "bostader,mal9,"),
        ("budget/operating/ksf.csv", "89636", "8963x"),
    ] {
        let text = String::from_utf8(files.files[file].clone())
            .unwrap()
            .replacen(from, to, 1);
        files.insert(file, text);
    }
    let diagnostics = read_files(&files).unwrap_err();
    // Reference problems are looked for once the files themselves read cleanly.
    assert_eq!(
        places(&diagnostics),
        vec![("budget/operating/ksf.csv".into(), 2, "2020".into())]
    );
}

#[test]
fn stray_file_is_not_silently_ignored() {
    let mut files = example_files();
    files.insert("budget/operating/extra.csv", "id,name\n".into());
    let diagnostics = read_files(&files).unwrap_err();
    assert_eq!(
        places(&diagnostics),
        vec![("budget/operating/extra.csv".into(), 0, String::new())]
    );
}

#[test]
fn ledger_mapping_problems_name_file_line_and_field() {
    let mut files = example_files();
    files.insert(
        "ledger/accounts.csv",
        "from,to,ansvar,target,note\n\
         4a,5,,exclude,\n\
         7,3,,exclude,\n\
         3,7,1000,op.fortroende.nix,\n\
         3,7,1000,op.sammanstallning.ksf,\n\
         3,7,,budget,\n"
            .into(),
    );
    files.insert(
        "ledger/units.csv",
        "object,unit,name\n1100,nix,\n1100,ksf,\n".into(),
    );
    files.insert("ledger/projects.csv", "object,project\nP1,summa\n".into());
    files.insert(
        "ledger/profiles.csv",
        "line,jan,feb,mar,apr,maj,jun,jul,aug,sep,okt,nov,dec\n\
         op.ksf.ksf,1,1,1,1,1,1,1,1,1,1,1,-1\n\
         op.ksf.trygghet,0,0,0,0,0,0,0,0,0,0,0,0\n"
            .into(),
    );
    files.insert("ledger/notes.txt", "anteckningar".into());
    let diagnostics = read_files(&files).unwrap_err();
    let found: Vec<String> = diagnostics.iter().map(ToString::to_string).collect();
    assert_eq!(
        found,
        vec![
            "ledger/accounts.csv:2: fält from: \"4a\" är inte ett kontonummer (1–5 siffror)",
            "ledger/accounts.csv:3: fält to: intervallet 7–3 är tomt: from ska vara högst to",
            "ledger/accounts.csv:6: fält target: \"budget\" är inte op.TABELL.RAD, inv, expl, fin.RAD eller exclude",
            "ledger/notes.txt: filen hör inte till paketformatet (se docs/plan-format.md)",
            "ledger/profiles.csv:2: fält dec: \"-1\" är inte en vikt (ett heltal 0 eller större)",
            "ledger/profiles.csv:3: fält jan: minst en månad måste ha en vikt över 0",
        ]
    );
    // With those fixed, the references are checked.
    files.insert(
        "ledger/accounts.csv",
        "from,to,ansvar,target,note\n3,7,1000,op.fortroende.nix,\n3,7,1000,op.sammanstallning.ksf,\n"
            .into(),
    );
    files.insert(
        "ledger/profiles.csv",
        "line,jan,feb,mar,apr,maj,jun,jul,aug,sep,okt,nov,dec\n\
         inv.vattenplan,1,1,1,1,1,1,1,1,1,1,1,1\n\
         inv.vattenplan,1,1,1,1,1,1,1,1,1,1,1,2\n"
            .into(),
    );
    files.files.remove("ledger/notes.txt");
    let diagnostics = read_files(&files).unwrap_err();
    let found: Vec<String> = diagnostics.iter().map(ToString::to_string).collect();
    assert_eq!(
        found,
        vec![
            "ledger/accounts.csv:2: fält target: budgetraden op.fortroende.nix finns inte (en rad av kind line i en driftbudgettabell som inte är sammanställningen)",
            "ledger/accounts.csv:3: fält target: budgetraden op.sammanstallning.ksf finns inte (en rad av kind line i en driftbudgettabell som inte är sammanställningen)",
            "ledger/profiles.csv:3: fält line: inv.vattenplan har redan en profil",
            "ledger/projects.csv:2: fält project: investeringsprojektet inv.summa finns inte i budget/investment.csv",
            "ledger/units.csv:2: fält unit: enheten nix finns inte",
            "ledger/units.csv:3: fält object: objektet \"1100\" har redan en enhet",
        ]
    );
}

#[test]
fn a_ledger_export_beside_the_mapping_is_not_plan_data() {
    let files = example_files();
    assert!(files.get("ledger/ks-2021.se").is_some());
    let plan = read_files(&files).expect("reads");
    assert_eq!(plan.ledger.rules.len(), 25);
    assert_eq!(plan.ledger.units.len(), 7);
    assert_eq!(plan.ledger.projects.len(), 7);
    assert_eq!(plan.ledger.profiles.len(), 8);
    let written = styr_package::write_files(&plan);
    assert_eq!(written.get("ledger/ks-2021.se"), None);
    assert!(written.get("ledger/accounts.csv").is_some());
}

#[test]
fn internal_control_names_its_line_and_field() {
    let cases: [(&str, &[u8], u32, &str, &str); 7] = [
        // An assessment off the 4 × 4 scale.
        (
            "year = 2019\nlikelihood = 3",
            b"year = 2019\nlikelihood = 5",
            0,
            "likelihood",
            "ska vara 1–4",
        ),
        // Two assessments for one year.
        (
            "year = 2020\nlikelihood = 4",
            b"year = 2019\nlikelihood = 4",
            0,
            "year",
            "en bedömning per år, äldst först",
        ),
        (
            "colour = \"#f5e17a\"",
            b"colour = \"gul\"",
            28,
            "colour",
            "\"gul\" är ingen färg (#rrggbb)",
        ),
        (
            "periods = [\"2021-08\", \"2021-12\"]",
            b"periods = [\"2021-08\", \"2021-13\"]",
            136,
            "periods",
            "\"2021-13\" är inte en månad (ÅÅÅÅ-MM)",
        ),
        (
            "due = \"2021-03-31\"",
            b"due = \"31/3 2021\"",
            237,
            "due",
            "\"31/3 2021\" är inte ett datum (ÅÅÅÅ-MM-DD)",
        ),
        (
            "reason = \"Uppgiften ingår i den nya digitaliseringsstrategin (dig_a1)\"\n",
            b"",
            278,
            "reason",
            "avslutad utan åtgärd kräver ett skäl (reason)",
        ),
        // A reference is reported at the line of the item's id, as every reference is.
        (
            "owner = \"ekonomiavdelningen\"",
            b"owner = \"ekonomi\"",
            103,
            "owner",
            "enheten ekonomi finns inte",
        ),
    ];
    for (from, to, line, field, message) in cases {
        let diagnostics = read_with("control.toml", from, to);
        assert_eq!(diagnostics.len(), 1, "{from}: {diagnostics:?}");
        let found = &diagnostics[0];
        assert_eq!(
            (
                found.file.as_str(),
                found.field.as_str(),
                found.message.as_str()
            ),
            ("control.toml", field, message),
            "{from}"
        );
        if line > 0 {
            assert_eq!(found.line, line, "{from}");
        }
    }
}

/// A typed value refused at the reader: the one message of its type, at the value's file, line
/// and field; nothing of the package is returned.
#[test]
fn typed_values_are_refused_at_their_field() {
    for (file, from, to, line, field, message) in [
        (
            "followup.toml",
            "month = \"2021-04\"",
            &b"month = \"2021-4\""[..],
            45,
            "month",
            "\"2021-4\" är inte en månad (ÅÅÅÅ-MM)".to_owned(),
        ),
        (
            "document.toml",
            "show = [\"goal.mal1\"]",
            b"show = [\"goal.mal1\", \"tabell\"]",
            87,
            "show",
            format!(
                "blocket \"tabell\" är okänt (kända block: {})",
                styr_domain::document::SHOW_BLOCK_NAMES.join(", ")
            ),
        ),
        (
            "document.toml",
            "show = [\"org\"]",
            b"show = [\"op.KSF\"]",
            70,
            "show",
            "blocket \"op.KSF\" är okänt (kända block: op.<tabell>, inv, exp, fin, fin_summary, \
             frame_change, frame_calculation, goal.<mål>, priorities.<mål>, assignments.<avsnitt>, audits, risks, \
             controls, org)"
                .to_owned(),
        ),
    ] {
        let diagnostics = read_with(file, from, to);
        assert_eq!(
            places(&diagnostics),
            [(file.to_owned(), line, field.to_owned())],
            "{file}: {diagnostics:?}"
        );
        assert_eq!(diagnostics[0].message, message);
    }
}

/// Personnel hours and measures (issue 22): every bad row names file, line and field.
#[test]
fn personnel_hours_that_do_not_add_up_name_their_field() {
    let hours = "personal/timmar.csv";
    let row = "ksf,2019-01,kvinna,-29,4144,147,58,true";
    let cases: [(&str, &str, &str); 6] = [
        // Sjukfrånvaro above the working time.
        (
            "ksf,2019-01,kvinna,-29,4144,4145,58,true",
            "sjuk_timmar",
            "större än ordinarie",
        ),
        // Long-term above sick.
        (
            "ksf,2019-01,kvinna,-29,4144,147,148,true",
            "langtid_timmar",
            "större än sjukfrånvaron",
        ),
        (
            "nosuchunit,2019-01,kvinna,-29,4144,147,58,true",
            "unit",
            "finns inte",
        ),
        (
            "ksf,2019-01,okänd,-29,4144,147,58,true",
            "gender",
            "kvinna, man",
        ),
        (
            "ksf,2019-01,kvinna,20-29,4144,147,58,true",
            "age_group",
            "-29, 30-49, 50-",
        ),
        (
            "ksf,2019-13,kvinna,-29,4144,147,58,true",
            "month",
            "inte en månad",
        ),
    ];
    for (bad, field, message) in cases {
        let diagnostics = read_with(hours, row, bad.as_bytes());
        assert_eq!(
            places(&diagnostics),
            vec![(hours.to_owned(), 2, field.to_owned())],
            "{bad}"
        );
        assert!(
            diagnostics[0].message.contains(message),
            "{}",
            diagnostics[0]
        );
    }
    let diagnostics = read_with(hours, "4144,147", b"4144,-147");
    assert_eq!(
        places(&diagnostics)[0],
        (hours.to_owned(), 2, "sjuk_timmar".to_owned())
    );
    let staff = "personal/anstallda.csv";
    let diagnostics = read_with(
        staff,
        "ksf,2019-01,kvinna,175,9,175.5",
        b"ksf,2019-01,kvinna,175,9,185.5",
    );
    assert_eq!(
        places(&diagnostics),
        vec![(staff.to_owned(), 2, "arsarbetare".to_owned())]
    );
    let diagnostics = read_with(
        staff,
        "ksf,2019-01,kvinna,175,9,",
        b"ksf,2019-01,kvinna,175,x,",
    );
    assert_eq!(
        places(&diagnostics),
        vec![(staff.to_owned(), 2, "visstid".to_owned())]
    );
}

#[test]
fn a_measure_for_an_unknown_unit_is_refused() {
    let file = "matt/matt.csv";
    let diagnostics = read_with(file, "arenden_ks,ksf,", b"arenden_ks,nosuchunit,");
    assert_eq!(
        places(&diagnostics),
        vec![(file.to_owned(), 2, "unit".to_owned())]
    );
    let budget = "matt/budget.csv";
    let diagnostics = read_with(budget, "arenden_ks,2021,", b"okant_matt,2021,");
    assert_eq!(
        places(&diagnostics),
        vec![(budget.to_owned(), 2, "measure".to_owned())]
    );
    let diagnostics = read_with(budget, "arenden_ks,2021,", b"arenden_ks,21,");
    assert_eq!(
        places(&diagnostics),
        vec![(budget.to_owned(), 2, "period".to_owned())]
    );
}

#[test]
fn a_figures_computed_expression_that_does_not_read_is_named() {
    let file = "followup.toml";
    let diagnostics = read_with(
        file,
        "computed = \"personal.sjukfranvaro.ksf@2019\"",
        b"computed = \"personal.sjukfranvaro.ksf@19\"",
    );
    let places = places(&diagnostics);
    assert_eq!(places.len(), 1, "{diagnostics:?}");
    assert_eq!(
        (places[0].0.as_str(), places[0].2.as_str()),
        (file, "computed")
    );
}

#[test]
fn statement_mapping_problems_name_file_line_and_field() {
    let mut files = example_files();
    files.insert(
        "redovisning/kommunbas.csv",
        "from,to,line,tag,note\n\
         1x,1,br.t.kassa,,\n\
         3,3,rr.nettokostnader,,\n\
         37,37,rr.intakter,reavinst,\n\
         4,7,rr.kostnader,,\n"
            .into(),
    );
    files.insert(
        "redovisning/budget.csv",
        "line,year,amount\nrr.nix,2021,1\nrr.intakter,21,\nrr.kostnader,2021,-5\n".into(),
    );
    files.insert(
        "redovisning/balanskrav.csv",
        "year,item,amount,note\n2021,rur,10,\n2020,balanskravsresultat,,\n".into(),
    );
    let diagnostics = read_files(&files).unwrap_err();
    let found: Vec<String> = diagnostics.iter().map(ToString::to_string).collect();
    assert_eq!(
        found,
        vec![
            "redovisning/balanskrav.csv:2: fält item: \"rur\" är inte en av rur_reservering, rur_ianspratagande, balanskravsresultat",
            "redovisning/balanskrav.csv:3: fält amount: beloppet (tkr) saknas",
            "redovisning/budget.csv:2: fält line: \"rr.nix\" är ingen rad med egen budget (en av rr.intakter, rr.kostnader, rr.avskrivningar, rr.skatteintakter, rr.statsbidrag, rr.finansiella_intakter, rr.finansiella_kostnader, rr.extraordinara, br.t.immateriella, br.t.mark_byggnader, br.t.maskiner, br.t.ovriga_materiella, br.t.finansiella, br.t.infrastruktur, br.t.forrad, br.t.fordringar, br.t.placeringar, br.t.kassa, br.ek.rur, br.ek.ovrigt, br.av.pensioner, br.av.ovriga, br.s.langfristiga, br.s.kortfristiga)",
            "redovisning/budget.csv:3: fält amount: beloppet (tkr) saknas",
            "redovisning/budget.csv:3: fält year: \"21\" är inte ett år (fyra siffror)",
            "redovisning/kommunbas.csv:2: fält from: \"1x\" är inte ett kontonummer (1–5 siffror)",
            "redovisning/kommunbas.csv:3: fält line: \"rr.nettokostnader\" är ingen rad att kontera på (en av rr.intakter, rr.kostnader, rr.avskrivningar, rr.skatteintakter, rr.statsbidrag, rr.finansiella_intakter, rr.finansiella_kostnader, rr.extraordinara, br.t.immateriella, br.t.mark_byggnader, br.t.maskiner, br.t.ovriga_materiella, br.t.finansiella, br.t.infrastruktur, br.t.forrad, br.t.fordringar, br.t.placeringar, br.t.kassa, br.ek.rur, br.ek.ovrigt, br.av.pensioner, br.av.ovriga, br.s.langfristiga, br.s.kortfristiga)",
            "redovisning/kommunbas.csv:4: fält tag: \"reavinst\" är inte en av realisationsvinst, realisationsforlust_undantag, orealiserad_vardepapper",
        ]
    );
}

#[test]
fn kfs_statement_files_are_written_back_byte_for_byte() {
    let dir = example_dir().join("../haninge-kf-2021");
    let files = Files::load(&dir).expect("KF's example loads");
    let plan = read_files(&files).expect("reads");
    assert_eq!(plan.statements.rules.len(), 24);
    assert_eq!(plan.statements.budget.len(), 5);
    assert_eq!(plan.statements.balance_items.len(), 4);
    let written = styr_package::write_files(&plan);
    for path in [
        "redovisning/kommunbas.csv",
        "redovisning/budget.csv",
        "redovisning/balanskrav.csv",
    ] {
        assert_eq!(
            String::from_utf8_lossy(written.get(path).expect("written")),
            String::from_utf8_lossy(files.get(path).expect("in the example")),
            "{path}"
        );
    }
    // The bokslut file beside them is not plan data.
    assert!(files.get("ledger/kommun-2021.se").is_some());
    assert_eq!(written.get("ledger/kommun-2021.se"), None);
}
