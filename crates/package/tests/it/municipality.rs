//! The example municipality's packages (KF, nämnder, a company): they read, round-trip with
//! their new files and fields, and refuse bad input naming file, line and field.

use std::path::PathBuf;
use styr_domain::org::BodyKind;
use styr_domain::{Id, Plan};
use styr_package::{Diagnostic, Files, read_files, write_files};

const PACKAGES: [&str; 5] = ["kf", "ks", "bun", "son", "bostader"];

fn files(name: &str) -> Files {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../examples")
        .join(format!("haninge-{name}-2021"));
    Files::load(&dir).expect("example loads")
}

fn read(files: &Files) -> Plan {
    read_files(files).unwrap_or_else(|problems| {
        panic!(
            "{}",
            problems
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join("\n")
        )
    })
}

/// The package with the first `from` in `file` replaced, read: its diagnostics.
fn refused(name: &str, file: &str, from: &str, to: &str) -> Vec<Diagnostic> {
    let mut files = files(name);
    let bytes = files.files.get_mut(file).expect("file exists");
    let text = String::from_utf8(bytes.clone()).expect("utf-8");
    assert!(text.contains(from), "{from:?} not in {file}");
    *bytes = text.replacen(from, to, 1).into_bytes();
    match read_files(&files) {
        Ok(_) => panic!("a bad package was accepted"),
        Err(diagnostics) => diagnostics,
    }
}

fn id(text: &str) -> Id {
    Id::parse(text).unwrap()
}

#[test]
fn every_package_of_the_example_municipality_reads() {
    for name in PACKAGES {
        let plan = read(&files(name));
        assert_eq!(plan.municipality.id.as_str(), "haninge", "{name}");
        assert!(plan.body(&plan.document.body).is_some(), "{name}");
    }
    let versions: std::collections::BTreeSet<String> = PACKAGES
        .iter()
        .map(|name| read(&files(name)).budget.version.id.to_string())
        .collect();
    assert_eq!(versions.len(), PACKAGES.len(), "version ids are distinct");
}

#[test]
fn the_council_budget_the_company_and_the_goal_parents_are_read() {
    let kf = read(&files("kf"));
    let council = kf.council.as_ref().expect("council.toml");
    assert!(council.synthetic);
    assert_eq!(council.frames.len(), 9);
    assert_eq!(council.central_items.len(), 3);
    assert_eq!(council.eliminations[0].amount.whole_tkr(), Some(3_000));
    assert_eq!(council.years[0].tax_rate.to_string(), "19.83");
    assert_eq!(
        council
            .result_goal()
            .and_then(|goal| goal.share.map(|share| share.to_string())),
        Some("2.0".into())
    );
    assert_eq!(kf.goals.len(), 5);
    assert!(kf.budget.investment.is_absent() && kf.budget.finance.is_absent());
    let company = kf.body(&id("bostader")).unwrap();
    assert_eq!(company.kind, BodyKind::Company);
    assert_eq!(
        company.ownership_percent.map(|p| p.to_string()),
        Some("100".into())
    );

    let bostader = read(&files("bostader"));
    let budget = bostader.company.as_ref().expect("company.toml");
    assert_eq!(budget.years[0].result_before_tax.whole_tkr(), Some(42_000));
    assert_eq!(budget.years[0].investments.whole_tkr(), Some(350_000));

    let ks = read(&files("ks"));
    let parents: Vec<Option<&str>> = ks
        .goals
        .iter()
        .map(|g| g.parent.as_ref().map(Id::as_str))
        .collect();
    assert_eq!(parents, [Some("mal1"), Some("mal2"), Some("mal3")]);
    assert!(ks.council.is_none() && ks.company.is_none());
}

#[test]
fn write_read_write_is_byte_identical_for_every_package() {
    for name in PACKAGES {
        let plan = read(&files(name));
        let first = write_files(&plan);
        let again = read(&first);
        let second = write_files(&again);
        assert_eq!(
            first.files.keys().collect::<Vec<_>>(),
            second.files.keys().collect::<Vec<_>>(),
            "{name}"
        );
        for (path, bytes) in &first.files {
            assert_eq!(
                Some(bytes.as_slice()),
                second.get(path),
                "{name}: {path} differs"
            );
        }
        // The new data survives the trip (locations aside: written files have no comments).
        let strip = |plan: &Plan| {
            let mut plan = plan.clone();
            for frame in plan.council.iter_mut().flat_map(|c| c.frames.iter_mut()) {
                frame.at = Default::default();
            }
            for item in plan
                .council
                .iter_mut()
                .flat_map(|c| c.central_items.iter_mut())
            {
                item.at = Default::default();
            }
            for item in plan
                .council
                .iter_mut()
                .flat_map(|c| c.eliminations.iter_mut())
            {
                item.at = Default::default();
            }
            for year in plan.council.iter_mut().flat_map(|c| c.years.iter_mut()) {
                year.at = Default::default();
            }
            for year in plan.company.iter_mut().flat_map(|c| c.years.iter_mut()) {
                year.at = Default::default();
            }
            if let Some(c) = plan.council.as_mut() {
                c.at = Default::default();
                for goal in &mut c.financial_goals {
                    goal.at = Default::default();
                }
                for judgement in &mut c.geh_judgements {
                    judgement.at = Default::default();
                }
                for change in &mut c.appropriation_changes {
                    change.at = Default::default();
                }
            }
            if let Some(c) = plan.company.as_mut() {
                c.at = Default::default();
            }
            (
                plan.council,
                plan.company,
                plan.bodies
                    .iter()
                    .map(|b| (b.kind, b.ownership_percent))
                    .collect::<Vec<_>>(),
                plan.goals
                    .iter()
                    .map(|g| g.parent.clone())
                    .collect::<Vec<_>>(),
            )
        };
        assert_eq!(strip(&plan), strip(&again), "{name}");
    }
    // A plan without investment, exploitation and finance budgets writes none of their files.
    let kf = write_files(&read(&files("kf")));
    assert!(kf.get("budget/investment.csv").is_none());
    assert!(!String::from_utf8_lossy(kf.get("budget.toml").unwrap()).contains("[investment]"));
    assert!(kf.get("council.toml").is_some());
}

#[test]
fn a_company_without_ownership_is_refused_at_its_line_and_field() {
    let diagnostics = refused("bostader", "styr.toml", "ownership_percent = \"100\"\n", "");
    let found: Vec<(String, u32, String)> = diagnostics
        .iter()
        .map(|d| (d.file.clone(), d.line, d.field.clone()))
        .collect();
    assert_eq!(
        found,
        [("styr.toml".to_owned(), 25, "ownership_percent".to_owned())]
    );
    assert!(
        diagnostics[0].message.contains("bostader saknar ägarandel"),
        "{}",
        diagnostics[0]
    );
    // KF's plan lists the company too: the same rule there.
    let diagnostics = refused("kf", "styr.toml", "ownership_percent = \"100\"\n", "");
    assert_eq!(diagnostics.len(), 1);
    assert_eq!(diagnostics[0].field, "ownership_percent");
}

#[test]
fn an_ownership_that_is_not_a_share_or_not_a_company_is_refused() {
    let diagnostics = refused("bostader", "styr.toml", "\"100\"", "\"hundra\"");
    assert_eq!(diagnostics[0].field, "ownership_percent");
    assert!(
        diagnostics[0].message.contains("\"hundra\""),
        "{}",
        diagnostics[0]
    );
    let diagnostics = refused("bostader", "styr.toml", "\"100\"", "\"120\"");
    assert!(
        diagnostics[0].message.contains("högst 100"),
        "{}",
        diagnostics[0]
    );
    let diagnostics = refused(
        "bun",
        "styr.toml",
        "kind = \"board\"",
        "kind = \"board\"\nownership_percent = \"50\"",
    );
    assert_eq!(diagnostics[0].field, "ownership_percent");
    assert!(
        diagnostics[0].message.contains("är inget bolag"),
        "{}",
        diagnostics[0]
    );
}

#[test]
fn a_council_frame_for_an_unknown_body_or_twice_is_refused() {
    let diagnostics = refused("kf", "council.toml", "body = \"sbn\"", "body = \"okand\"");
    assert_eq!(
        (diagnostics[0].file.as_str(), diagnostics[0].field.as_str()),
        ("council.toml", "body")
    );
    assert!(diagnostics[0].message.contains("organet okand finns inte"));
    let diagnostics = refused("kf", "council.toml", "body = \"sbn\"", "body = \"kfn\"");
    assert_eq!(diagnostics[0].field, "year");
    assert!(
        diagnostics[0]
            .message
            .contains("ramen för kfn 2021 finns redan")
    );
    let diagnostics = refused(
        "kf",
        "council.toml",
        "tax_rate = \"19.83\"",
        "tax_rate = \"19,83\"",
    );
    assert_eq!(diagnostics[0].field, "tax_rate");
}

#[test]
fn a_financial_goal_that_is_not_a_percentage_is_refused_at_its_line() {
    for bad in ["\"2,0\"", "\"-1\"", "\"100\""] {
        let diagnostics = refused(
            "kf",
            "council.toml",
            "result_share = \"2.0\"",
            &format!("result_share = {bad}"),
        );
        assert_eq!(
            (diagnostics[0].file.as_str(), diagnostics[0].field.as_str()),
            ("council.toml", "result_share"),
            "{bad}"
        );
        assert!(diagnostics[0].line > 1, "{bad}: {:?}", diagnostics[0]);
        assert!(diagnostics[0].message.contains("ingen andel i procent"));
    }
}

#[test]
fn a_company_budget_in_a_plan_that_is_not_a_companys_is_refused() {
    let mut files = files("bun");
    files.insert(
        "company.toml",
        "[[year]]\nyear = 2021\nresult_before_tax = 1\ninvestments = 1\n".to_owned(),
    );
    let diagnostics = read_files(&files).expect_err("refused");
    assert_eq!(diagnostics[0].file, "company.toml");
    assert!(
        diagnostics[0].message.contains("bun är inget bolag"),
        "{}",
        diagnostics[0]
    );
}

#[test]
fn an_assignment_serves_a_goal_of_its_own_plan() {
    let bun = read(&files("bun"));
    let goals: Vec<Option<&str>> = bun
        .assignments
        .iter()
        .map(|a| a.goal.as_ref().map(Id::as_str))
        .collect();
    assert_eq!(goals, [Some("bun_mal1"), Some("bun_mal3")]);
    // KS's assignments.csv has no goal column: still read, none given.
    assert!(
        read(&files("ks"))
            .assignments
            .iter()
            .all(|a| a.goal.is_none())
    );
    let diagnostics = refused("bun", "assignments.csv", ",bun_mal3", ",mal4");
    assert_eq!(
        (
            diagnostics[0].file.as_str(),
            diagnostics[0].line,
            diagnostics[0].field.as_str()
        ),
        ("assignments.csv", 3, "goal")
    );
    assert!(
        diagnostics[0].message.contains("målet mal4 finns inte"),
        "{}",
        diagnostics[0]
    );
}

#[test]
fn a_budget_table_without_its_definition_is_refused_not_dropped() {
    // KS's package without `[investment]` but with budget/investment.csv: the file is named.
    let diagnostics = refused(
        "ks",
        "budget.toml",
        "[investment]\ntitle = \"Investeringsprojekt (tkr)\"\nunit = \"tkr\"\nbudget_year = 2021           # \"Budget 2021\"; 2022–2024 are \"Plan\"\ndecision = \"kf_2020_11_09_185\"",
        "",
    );
    assert!(
        diagnostics
            .iter()
            .any(|d| d.file == "budget/investment.csv" && d.message.contains("hör inte till")),
        "{diagnostics:?}"
    );
}

/// The line of the first `needle` in an example file (1-based).
fn line_of(name: &str, file: &str, needle: &str) -> u32 {
    let files = files(name);
    let text = String::from_utf8(files.files.get(file).unwrap().clone()).unwrap();
    let first = needle.lines().next().unwrap();
    text.lines().position(|l| l.contains(first)).unwrap() as u32 + 1
}

#[test]
fn the_geh_goals_judgements_and_anslagsforandringar_are_read_and_written_back() {
    let kf = read(&files("kf"));
    let council = kf.council.as_ref().unwrap();
    let kinds: Vec<&str> = council
        .financial_goals
        .iter()
        .map(|g| g.kind.code())
        .collect();
    assert_eq!(
        kinds,
        [
            "resultat",
            "sjalvfinansiering",
            "soliditet_ej_sjunkande",
            "verksamhet"
        ]
    );
    assert_eq!(council.geh_judgements.len(), 2);
    assert_eq!(council.appropriation_changes.len(), 4);
    assert_eq!(
        council.appropriation_changes[1].amount,
        styr_domain::Money::from_tkr(-1500).unwrap()
    );
    let ks = read(&files("ks"));
    let vattenplan = ks.budget.investment.project(&id("vattenplan")).unwrap();
    assert_eq!(vattenplan.outcome_until, Some(2019));
    assert_eq!(
        vattenplan.decided_total,
        styr_domain::Money::from_tkr(34_500).unwrap()
    );
    // Written back as read, in the same form.
    let written = write_files(&kf);
    let text = String::from_utf8(written.files.get("council.toml").unwrap().clone()).unwrap();
    assert!(text.contains("[[geh_goal]]") && text.contains("[[appropriation_change]]"));
    assert_eq!(write_files(&read(&written)), written);
    let written = write_files(&ks);
    assert_eq!(
        written.files.get("budget/investment_projects.csv"),
        files("ks").files.get("budget/investment_projects.csv")
    );
}

#[test]
fn bad_geh_and_anslagsforandring_input_names_file_line_and_field() {
    let cases = [
        (
            "kind = \"sjalvfinansiering\"",
            "kind = \"okand\"",
            "kind",
            "är inte en av",
        ),
        (
            "share = \"100\"",
            "share = \"hundra\"",
            "share",
            "ingen andel",
        ),
        (
            "kind = \"verksamhet\"\nshare = \"75\"",
            "kind = \"verksamhet\"",
            "share",
            "behöver en andel",
        ),
        (
            "kind = \"sjalvfinansiering\"",
            "kind = \"resultat\"",
            "kind",
            "[financial_goal]",
        ),
        (
            "period = \"2021-08\"",
            "period = \"2021-13\"",
            "period",
            "månad",
        ),
        (
            "verdict = \"delvis_uppfylld\"",
            "verdict = \"bra\"",
            "verdict",
            "är inte en av",
        ),
        (
            "date = \"2021-06-14\"",
            "date = \"2021-06-31\"",
            "date",
            "inget datum",
        ),
        (
            "date = \"2021-06-14\"",
            "date = \"2020-06-14\"",
            "date",
            "ligger inte i året",
        ),
        (
            "kind = \"tillaggsanslag\"",
            "kind = \"bidrag\"",
            "kind",
            "är inte en av",
        ),
    ];
    for (from, to, field, message) in cases {
        let diagnostics = refused("kf", "council.toml", from, to);
        assert_eq!(diagnostics.len(), 1, "{to}: {diagnostics:?}");
        let found = &diagnostics[0];
        assert_eq!(
            (found.file.as_str(), found.field.as_str()),
            ("council.toml", field),
            "{to}"
        );
        assert_eq!(found.line, line_of("kf", "council.toml", from), "{to}");
        assert!(found.message.contains(message), "{to}: {}", found.message);
    }
    let file = "budget/investment_projects.csv";
    for (from, to, field, message) in [
        (
            "vattenplan,34500",
            "okand,34500",
            "project",
            "inget projekt",
        ),
        ("vattenplan,34500", "vattenplan,34 5", "decided_total", ""),
        (
            ",2019,19800,",
            ",2021,19800,",
            "outcome_until",
            "före budgetåret",
        ),
        (",2019,19800,", ",,19800,", "outcome_until", "tillsammans"),
    ] {
        let diagnostics = refused("ks", file, from, to);
        assert_eq!(diagnostics.len(), 1, "{to}: {diagnostics:?}");
        assert_eq!(
            (diagnostics[0].file.as_str(), diagnostics[0].field.as_str()),
            (file, field),
            "{to}"
        );
        assert_eq!(diagnostics[0].line, 2, "{to}");
        assert!(diagnostics[0].message.contains(message), "{to}");
    }
}
