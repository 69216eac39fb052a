//! The checks across plans (`styr_checks::municipality`) on the example municipality read from
//! disk: KF, KS, Barn- och utbildningsnämnden, Socialnämnden and Haninge Bostäder AB. Each rule
//! holds on the examples, and one change to a copy breaks it.

use std::path::PathBuf;
use styr_checks::municipality::{check, duplicate_plans};
use styr_checks::{Finding, Severity};
use styr_domain::Plan;
use styr_package::{Files, read_files};

const BODIES: [&str; 4] = ["ks", "bun", "son", "bostader"];

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

fn plan(name: &str) -> Plan {
    read(&files(name))
}

/// The package `name` with the first `from` in `file` replaced by `to`.
fn changed(name: &str, file: &str, from: &str, to: &str) -> Plan {
    let mut files = files(name);
    let bytes = files.files.get_mut(file).expect("file exists");
    let text = String::from_utf8(bytes.clone()).expect("utf-8");
    assert!(text.contains(from), "{from:?} not in {file}");
    *bytes = text.replacen(from, to, 1).into_bytes();
    read(&files)
}

fn bodies_with(name: &str, replacement: Plan) -> Vec<Plan> {
    BODIES
        .iter()
        .map(|body| {
            if *body == name {
                replacement.clone()
            } else {
                plan(body)
            }
        })
        .collect()
}

fn of(findings: &[Finding], check: &str) -> Vec<Finding> {
    findings
        .iter()
        .filter(|f| f.check == check)
        .cloned()
        .collect()
}

fn texts(findings: &[Finding]) -> String {
    findings
        .iter()
        .map(|f| format!("{}:{}: [{}] {}", f.file, f.line, f.check, f.describe()))
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn the_example_municipality_passes_every_rule() {
    let bodies: Vec<Plan> = BODIES.iter().map(|body| plan(body)).collect();
    let findings = check(&plan("kf"), &bodies);
    let serious: Vec<Finding> = findings
        .iter()
        .filter(|f| f.severity != Severity::Info)
        .cloned()
        .collect();
    assert!(serious.is_empty(), "{}", texts(&serious));
    // The bodies with a frame but no plan in the example are said, not passed over.
    let no_plan: Vec<&str> = findings
        .iter()
        .filter(|f| f.check == "no_plan")
        .map(|f| f.id.rsplit(':').nth(1).unwrap())
        .collect();
    assert_eq!(
        no_plan,
        ["an", "kfn", "sbn", "revisionen"],
        "{}",
        texts(&findings)
    );
}

#[test]
fn the_council_result_is_about_two_percent_of_tax_and_grants() {
    let council = plan("kf");
    let budget = council.council.as_ref().expect("KF has council.toml");
    assert!(budget.synthetic);
    let year = budget.year(2021).expect("2021");
    let income = year.tax_revenue + year.grants;
    let percent = year.result.tkr() * rust_decimal::Decimal::ONE_HUNDRED / income.tkr();
    assert!(
        (rust_decimal::Decimal::new(18, 1)..=rust_decimal::Decimal::new(22, 1)).contains(&percent),
        "{percent} %"
    );
    let ks = budget
        .frame(&styr_domain::Id::parse("ks").unwrap(), 2021)
        .unwrap();
    assert_eq!(ks.amount.whole_tkr(), Some(247_000));
}

#[test]
fn a_kf_frame_off_by_one_tkr_is_an_error_with_both_figures_and_the_decision() {
    let council = changed("kf", "council.toml", "amount = 247000", "amount = 247001");
    let bodies: Vec<Plan> = BODIES.iter().map(|body| plan(body)).collect();
    let findings = check(&council, &bodies);
    let allocation = of(&findings, "allocation");
    // KS's operating total, its own frame and its ramberäkning each miss KF's frame.
    assert_eq!(allocation.len(), 3, "{}", texts(&findings));
    for finding in &allocation {
        assert_eq!(finding.severity, Severity::Error);
        assert!(
            finding.message.contains("247 000 tkr"),
            "{}",
            finding.message
        );
        assert!(
            finding.message.contains("247 001 tkr"),
            "{}",
            finding.message
        );
        assert!(
            finding.message.contains("KF 2020-11-09 § 185"),
            "{}",
            finding.message
        );
    }
    // The summed operating budget, at KS's summary table, and KS's own stated frame.
    let places: Vec<(String, u32)> = allocation
        .iter()
        .map(|f| (f.file.clone(), f.line))
        .collect();
    assert!(
        places.iter().any(|(file, _)| file == "budget.toml"),
        "{places:?}"
    );
    // The frames no longer give the stated result either.
    let result = of(&findings, "result");
    assert_eq!(result.len(), 1, "{}", texts(&findings));
    assert!(
        result[0].message.contains("106 999 tkr"),
        "{}",
        result[0].message
    );
    assert!(
        result[0].message.contains("107 000 tkr"),
        "{}",
        result[0].message
    );
    assert!(result[0].message.contains("KF 2020-11-09 § 185"));
    assert_eq!(result[0].file, "council.toml");
}

#[test]
fn a_nämnd_allocation_that_misses_its_frame_is_an_error() {
    let bun = changed(
        "bun",
        "budget/operating/sammanstallning.csv",
        "grundskola,Grundskola och fritidshem,line,,,1350000",
        "grundskola,Grundskola och fritidshem,line,,,1350001",
    );
    let findings = check(&plan("kf"), &bodies_with("bun", bun));
    let allocation = of(&findings, "allocation");
    assert_eq!(allocation.len(), 1, "{}", texts(&findings));
    let message = &allocation[0].message;
    assert!(
        message.starts_with("Barn- och utbildningsnämndens fördelning 2021"),
        "{message}"
    );
    assert!(message.contains("2 600 001 tkr"), "{message}");
    assert!(message.contains("2 600 000 tkr"), "{message}");
    assert!(message.contains("KF 2020-11-09 § 185"), "{message}");
    assert_eq!(allocation[0].file, "budget.toml");
}

#[test]
fn a_stated_result_that_the_parts_do_not_give_is_an_error() {
    let council = changed("kf", "council.toml", "result = 107000", "result = 107500");
    let bodies: Vec<Plan> = BODIES.iter().map(|body| plan(body)).collect();
    let result = of(&check(&council, &bodies), "result");
    assert_eq!(result.len(), 1);
    assert!(
        result[0]
            .message
            .contains("= 107 000 tkr, men angivet resultat är 107 500 tkr")
    );
    assert_eq!(
        (result[0].stated, result[0].computed),
        (Some(107_500.into()), Some(107_000.into()))
    );
}

#[test]
fn kfs_result_below_its_own_financial_goal_is_a_warning_with_the_amounts() {
    let bodies: Vec<Plan> = BODIES.iter().map(|body| plan(body)).collect();
    assert!(of(&check(&plan("kf"), &bodies), "financial_goal").is_empty());
    let council = changed(
        "kf",
        "council.toml",
        "result_share = \"2.0\"",
        "result_share = \"2.1\"",
    );
    let goal = of(&check(&council, &bodies), "financial_goal");
    assert_eq!(goal.len(), 1);
    assert_eq!(goal[0].severity, Severity::Warning);
    assert_eq!(
        goal[0].message,
        "kommunfullmäktiges budget 2021: Resultatet 107 000 tkr är 4 300 tkr under det finansiella \
         målet (2,1 % av skatteintäkter och generella statsbidrag = 111 300 tkr)"
    );
}

#[test]
fn a_goal_whose_parent_kf_does_not_have_is_an_error_at_its_line() {
    let son = changed(
        "son",
        "goals.toml",
        "parent = \"mal3\"",
        "parent = \"mal9\"",
    );
    let findings = check(&plan("kf"), &bodies_with("son", son));
    let parent = of(&findings, "parent");
    assert_eq!(parent.len(), 1, "{}", texts(&findings));
    assert_eq!(parent[0].severity, Severity::Error);
    assert_eq!(
        (parent[0].file.as_str(), parent[0].line),
        ("goals.toml", 13)
    ); // the goal's id line
    assert!(
        parent[0]
            .message
            .starts_with("parent: målet sn_mal1 i Socialnämndens plan")
    );
    assert!(parent[0].message.contains("mal9"));
}

#[test]
fn a_kf_goal_no_body_breaks_down_is_a_warning() {
    // Without Socialnämnden nobody breaks down goal 5.
    let bodies: Vec<Plan> = ["ks", "bun", "bostader"].iter().map(|b| plan(b)).collect();
    let findings = check(&plan("kf"), &bodies);
    let cascade = of(&findings, "cascade");
    assert_eq!(cascade.len(), 1, "{}", texts(&findings));
    assert_eq!(cascade[0].severity, Severity::Warning);
    assert!(
        cascade[0].message.starts_with("KF-målet 5 "),
        "{}",
        cascade[0].message
    );
    // … and its frame is unchecked, which is said.
    assert!(
        of(&findings, "no_plan")
            .iter()
            .any(|f| f.message.starts_with("Socialnämnden har"))
    );
}

#[test]
fn a_company_below_the_owners_requirement_is_an_error() {
    let company = changed(
        "bostader",
        "company.toml",
        "result_before_tax = 42000",
        "result_before_tax = 39000",
    );
    let findings = check(&plan("kf"), &bodies_with("bostader", company));
    let allocation = of(&findings, "allocation");
    assert_eq!(allocation.len(), 1, "{}", texts(&findings));
    let message = &allocation[0].message;
    assert!(
        message.starts_with("Haninge Bostäder AB:s budgeterade resultat"),
        "{message}"
    );
    assert!(
        message.contains("39 000 tkr") && message.contains("40 000 tkr"),
        "{message}"
    );
    assert_eq!(allocation[0].file, "company.toml");
}

#[test]
fn two_packages_claiming_the_same_plan_are_named_both() {
    let ks = plan("ks");
    let bun = plan("bun");
    let findings = duplicate_plans(&[
        ("examples/haninge-ks-2021", &ks),
        ("examples/haninge-bun-2021", &bun),
        ("kopia/haninge-ks-2021", &ks),
    ]);
    assert_eq!(findings.len(), 1, "{}", texts(&findings));
    let finding = &findings[0];
    assert_eq!(finding.severity, Severity::Error);
    assert_eq!(finding.file, "kopia/haninge-ks-2021/styr.toml");
    assert!(
        finding.message.contains("examples/haninge-ks-2021"),
        "{}",
        finding.message
    );
    assert!(
        finding
            .message
            .contains("samma plan i kommunen haninge: budgetversionen ks_2021_proposal")
    );
    // Another version id, but a second proposal of the same body and year.
    let mut again = plan("ks");
    again.budget.version.id = styr_domain::Id::parse("ks_2021_andra").unwrap();
    let findings = duplicate_plans(&[("a", &ks), ("b", &again)]);
    assert_eq!(findings.len(), 1, "{}", texts(&findings));
    assert!(
        findings[0]
            .message
            .contains("organet ks, år 2021 och versionens slag (förslag)"),
        "{}",
        findings[0].message
    );
    assert!(duplicate_plans(&[("a", &ks), ("b", &bun)]).is_empty());
}

#[test]
fn the_koncern_adds_the_company_by_its_share_less_the_eliminations() {
    let consolidated = styr_domain::koncern::consolidate(&plan("kf"), &[plan("bostader")], 2021);
    assert_eq!(
        consolidated.municipal_result.and_then(|m| m.whole_tkr()),
        Some(107_000)
    );
    assert_eq!(consolidated.companies.len(), 1);
    assert_eq!(
        consolidated.companies[0].share.and_then(|m| m.whole_tkr()),
        Some(42_000)
    );
    assert_eq!(consolidated.eliminations.whole_tkr(), Some(3_000));
    // 107 000 + 42 000 × 100 % − 3 000.
    assert_eq!(
        consolidated.result.and_then(|m| m.whole_tkr()),
        Some(146_000)
    );
}

#[test]
fn a_ramberakning_that_does_not_reach_the_kf_frame_is_an_error_naming_both() {
    // 2,5 % PKV: KS's calculation gives 248 093 while KF's frame (and KS's own) is 247 000.
    let ks = changed(
        "ks",
        "budget/frame_calculation.csv",
        "(PKV 2021),2.0",
        "(PKV 2021),2.5",
    );
    let findings = check(&plan("kf"), &bodies_with("ks", ks));
    let allocation = of(&findings, "allocation");
    assert_eq!(allocation.len(), 1, "{}", texts(&findings));
    assert_eq!(allocation[0].id, "allocation:budget.toml:ks:2021:calc");
    assert!(
        allocation[0].describe().contains(
            "Kommunstyrelsens ramberäkning 2021 (justerad budget 2020 218 600 tkr med \
             förändringar) ger 248 093 tkr, men KF:s ram är 247 000 tkr (KF 2020-11-09 § 185)"
        ),
        "{}",
        allocation[0].describe()
    );
    // The example's own calculation reaches the frame: no finding.
    let findings = check(&plan("kf"), &bodies_with("ks", plan("ks")));
    assert!(
        of(&findings, "allocation").is_empty(),
        "{}",
        texts(&findings)
    );
}

/// The justerad budget 2020 as a plan of its own (version `ks_2020_justerad`, frame 2020).
fn base_version(frame_2020: i64) -> Plan {
    let mut base = plan("ks");
    base.budget.version.id = styr_domain::Id::parse("ks_2020_justerad").unwrap();
    base.budget.frame_calculation = None;
    base.budget.frames[0].year = 2020;
    base.budget.frames[0].amount = styr_domain::Money::from_tkr(frame_2020).unwrap();
    base
}

#[test]
fn the_base_is_checked_against_the_base_versions_frame_when_it_is_held() {
    use styr_checks::municipality::{check_all, check_bases};
    let ks = plan("ks");
    // Held and equal: nothing, and the plan's own "kan inte kontrolleras" is gone.
    let held = base_version(218_600);
    assert!(check_bases(&[&ks, &held]).is_empty());
    let report = check_all(&[ks.clone(), held]);
    let own = &report.reports[0].1.findings;
    assert!(
        !own.iter().any(|f| f.id == "calc:budget.toml:2021:base"),
        "{own:?}"
    );
    // Held and different: an error with both figures.
    let findings = check_bases(&[&ks, &base_version(218_000)]);
    assert_eq!(findings.len(), 1);
    assert_eq!(findings[0].severity, Severity::Error);
    assert!(
        findings[0].describe().contains(
            "ramberäkningen 2021 utgår från justerad budget 2020 med 218 600 tkr, men ramen \
             2020 i versionen ks_2020_justerad är 218 000 tkr"
        ),
        "{}",
        findings[0].describe()
    );
    // Not held: the plan's own check says it cannot be verified.
    let report = check_all(std::slice::from_ref(&ks));
    assert!(
        report.reports[0]
            .1
            .findings
            .iter()
            .any(|f| f.id == "calc:budget.toml:2021:base" && f.severity == Severity::Info)
    );
}

#[test]
fn an_anslagsforandring_for_a_body_without_a_frame_is_an_error_at_its_line() {
    let bodies: Vec<Plan> = BODIES.iter().map(|body| plan(body)).collect();
    assert!(of(&check(&plan("kf"), &bodies), "appropriation").is_empty());
    let council = changed(
        "kf",
        "council.toml",
        "body = \"kfn\"\nyear = 2021\namount = 1500",
        "body = \"nix\"\nyear = 2021\namount = 1500",
    );
    let found = of(&check(&council, &bodies), "appropriation");
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].severity, Severity::Error);
    assert_eq!(found[0].file, "council.toml");
    assert!(
        found[0]
            .message
            .contains("gäller nix som inte har någon ram från kommunfullmäktige för 2021"),
        "{}",
        found[0].message
    );
}
