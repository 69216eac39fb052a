//! `styr audit list` reads as Swedish sentences with names for every kind of change the command
//! line can make (imports, reports of each kind, period closing and reopening, versions, the
//! year's rollover, acknowledgements, users, API keys, Kolada), with times in Swedish local
//! time to the minute; `--format json` keeps the stored keys.

use crate::{add_user, example_dir, stderr, stdout, styr};
use std::path::PathBuf;

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

/// The stored keys and English words a reader must not see in the log's text.
const KEYS: &[&str] = &[
    "report ",
    "import ",
    "close ",
    "reopen ",
    "decide ",
    "acknowledge ",
    "put user",
    "create token",
    " forecast ",
    " outcome ",
    " status ks",
    " assessment ",
    " control ",
    " audit_action ",
    "changed=",
    "unchanged=",
    "rows=",
    "kind",
    "rollover",
    "state:",
    "role:",
    "units:",
    "finding:",
    "reason:",
    "decision:",
    "decided",
    "proposal",
    "Annan ändring",
    "haninge/",
];

#[test]
fn the_audit_log_describes_every_kind_of_change_in_swedish() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("styr.db").to_str().unwrap().to_owned();
    let example = example_dir();
    let kolada = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../kolada/tests/data");
    let actor = ["--db", db.as_str(), "--actor", "anna"];
    let with = |args: &[&str]| -> Vec<String> {
        args.iter()
            .chain(actor.iter())
            .map(|arg| (*arg).to_owned())
            .collect()
    };
    let run = |args: Vec<String>| {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        run_ok(&args)
    };
    run(with(&["import", example.to_str().unwrap()]));
    let ledger = example.join("ledger/ks-2021.se");
    run(with(&["actuals", "import", ledger.to_str().unwrap()]));
    run(with(&[
        "followup",
        "status",
        "2020 KS 3",
        "Påbörjad",
        "--period",
        "2021-08",
    ]));
    run(with(&[
        "followup",
        "indicator",
        "bostader",
        "412",
        "--period",
        "2021-08",
    ]));
    run(with(&[
        "followup",
        "assess",
        "mal1",
        "Uppfyllt",
        "--period",
        "2021-08",
        "--motivation",
        "Bra",
    ]));
    run(with(&[
        "followup",
        "forecast",
        "op.ksf.trygghet",
        "16000",
        "--period",
        "2021-10",
        "--comment",
        "Lägre",
    ]));
    let october = example.join("followup/oktober-2021.csv");
    run(with(&["followup", "import", october.to_str().unwrap()]));
    run(with(&[
        "control",
        "result",
        "ikp21_attest",
        "Med brister",
        "--period",
        "2021-08",
        "--finding",
        "Saknas",
        "--action",
        "Rutin",
    ]));
    run(with(&[
        "control",
        "action",
        "gdpr_a1",
        "Genomförd",
        "--period",
        "2021-08",
        "--evidence",
        "Klar",
    ]));
    run(with(&["period", "close", "2021-04"]));
    run(with(&[
        "period",
        "reopen",
        "2021-04",
        "--reason",
        "Rättelse",
    ]));
    run(with(&[
        "kolada",
        "import",
        kolada.join("v3_N00914_page1.json").to_str().unwrap(),
        kolada.join("v3_N00914_page2.json").to_str().unwrap(),
    ]));
    run(with(&[
        "check",
        "--ack",
        "ref:budget.toml:ramforandring:trygghet",
        "--reason",
        "Tryckt så",
    ]));
    run(with(&[
        "version",
        "decide",
        "--decision",
        "kf_2020_11_09_185",
    ]));
    run(with(&[
        "version",
        "adjust",
        "tillagg_1",
        "--name",
        "Tilläggsbudget 1",
    ]));
    run(with(&[
        "year", "rollover", "2022", "--force", "--reason", "Prov",
    ]));
    assert!(add_user(&db, &["bertil", "--role", "reporter", "--unit", "ksf"]).success());
    run_ok(&["token", "create", "bertil", "--db", &db]);

    let log = run_ok(&["audit", "list", "--db", &db]);
    let rows: Vec<&str> = log
        .lines()
        .filter(|line| !line.starts_with("    "))
        .collect();
    assert_eq!(rows.len(), 18, "{log}");
    for line in log.lines() {
        for key in KEYS {
            assert!(!line.contains(key), "{key:?} i {line:?}\n{log}");
        }
    }
    for row in &rows {
        // "2026-12-06 05:08 anna …": Swedish local time to the minute.
        let (date, rest) = row.split_at(16);
        assert!(
            date.len() == 16 && date.as_bytes()[10] == b' ' && date.as_bytes()[13] == b':',
            "{row}"
        );
        assert!(!rest.starts_with(':'), "{row}");
    }
    for expected in [
        "Importerade planen «Kommunstyrelsens förslag",
        "Importerade bokföringen för 212000-0000",
        "Rapporterade status för uppdraget «2020 KS 3",
        "Rapporterade utfall för indikatorn «Nybyggda",
        "Rapporterade målbedömning för målet «",
        "Rapporterade prognos för budgetraden «Åtgärder för ökad trygghet",
        "Importerade uppföljningsfilen ",
        "Rapporterade resultat för kontrollen «Attesträtter i ekonomisystemet»",
        "Rapporterade läget för åtgärden «",
        "Stängde perioden Delårsrapport 1 per april 2021 (2021-04)",
        "Öppnade perioden Delårsrapport 1 per april 2021 (2021-04): Rättelse",
        "Hämtade värden från Kolada",
        "Kvitterade fyndet ref:budget.toml:ramforandring:trygghet",
        "Beslutade budgetversionen «Kommunstyrelsens förslag",
        "Skapade den justerade budgetversionen «Tilläggsbudget 1»",
        "Skapade nästa års plan «",
        "Lade till eller ändrade användaren bertil",
        "Skapade en API-nyckel åt bertil",
        "    –  →  2021-08 uppdraget «2020 KS 3",
        "    status: öppen  →  status: stängd",
        "    slag: förslag  →  slag: beslutad; beslut: kf_2020_11_09_185",
        "    –  →  roll: reporter; enheter: ksf; namn: –",
        "    –  →  fynd: ref:budget.toml:ramforandring:trygghet; skäl: Tryckt så",
        "(1 ändrad)",
    ] {
        assert!(log.contains(expected), "{expected:?} saknas i\n{log}");
    }

    // JSON keeps the stored keys for scripts and the API.
    let json: serde_json::Value =
        serde_json::from_str(&run_ok(&["audit", "list", "--db", &db, "--format", "json"])).unwrap();
    let actions: Vec<&str> = json
        .as_array()
        .unwrap()
        .iter()
        .map(|row| row["action"].as_str().unwrap())
        .collect();
    assert!(
        actions.contains(&"report forecast haninge/ks/2021-10/op.ksf.trygghet"),
        "{actions:?}"
    );
    assert!(
        actions.contains(&"close period haninge/ks/2021-04"),
        "{actions:?}"
    );
}
