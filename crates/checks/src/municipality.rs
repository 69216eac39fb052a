//! Checks across the plans of one municipality: KF's plan (the one with a `council.toml`)
//! against the plans of its nämnder, styrelser and companies. One rule each:
//!
//! - `result`: per year of KF's budget, skatteintäkter + generella statsbidrag och utjämning +
//!   finansnetto − Σ the frames of the nämnder and styrelser − Σ the centrally held items equals
//!   the stated result (error; both figures and KF's decision). Companies' frames are the
//!   owner's requirement on their own result, outside the municipality's, and not counted.
//! - `financial_goal`: per year, KF's computed result meets the balance rule of alternative
//!   budgets (`styr_domain::alternative::balance`: ≥ 0 and ≥ the financial goal of
//!   council.toml); warning with the refusal's amounts. The proposal is held to its own goal.
//! - `allocation`: a nämnd's or styrelse's allocation of a year (its own computed operating
//!   total, `Budget::operating_total`) equals its KF frame, and so does the frame its own
//!   budget states for the year; a company's budgeted result before tax reaches its KF frame
//!   (the owner's requirement). Error, both figures and KF's decision. Years outside the body
//!   plan's own years are not compared.
//! - `parent`: a body's goal whose `parent` names a goal KF's plan does not have (error, at the
//!   goal's line in its goals.toml).
//! - `cascade`: a KF goal that no body's goal breaks down (warning).
//! - `no_plan`: a body with a KF frame whose plan is not among those checked (info: its
//!   allocation is not checked, which is said rather than passed over).
//! - `body`: a body plan of another municipality (error), or whose body KF's plan does not
//!   list (warning).
//! - `allocation` also holds a body's ramberäkning (its computed frame) against its KF frame.
//! - `base`: a ramberäkning's stated base against the frame of the base version it names, when
//!   that version's plan is among those checked ([`check_bases`]; in the plan's own report,
//!   [`check_plan_with_bases`]).
//!
//! Locations are those of the plans' own files (each plan's paths are relative to its
//! package); messages name the body. [`duplicate_plans`] is the import's check that two
//! packages do not claim the same plan.

use crate::finding::{Finding, Severity, figure};
use std::collections::BTreeSet;
use styr_domain::council::{BodyFrame, CouncilBudget};
use styr_domain::org::BodyKind;
use styr_domain::{Id, Location, Money, Plan};

fn tkr(money: Money) -> String {
    figure(money.tkr(), "tkr")
}

/// The printed reference of KF's decision behind a frame or the budget ("KF 2020-11-09 § 185"),
/// or the decision's id when KF's plan does not list it.
fn decision_text(council: &Plan, decision: Option<&Id>) -> String {
    let Some(id) = decision else {
        return "KF:s beslut anges inte".to_owned();
    };
    match council.decision(id) {
        Some(decision) => {
            let label = council
                .body(&decision.body)
                .map_or(decision.body.as_str(), |body| body.label());
            decision.reference(label)
        }
        None => id.to_string(),
    }
}

/// A body's name in a message: KF's name for it, else the body plan's own, else its id.
fn body_name(council: &Plan, body: &Id, plan: Option<&Plan>) -> String {
    council
        .body(body)
        .or_else(|| plan.and_then(|plan| plan.body(body)))
        .map_or_else(|| body.to_string(), |body| body.name.clone())
}

/// The Swedish genitive of a name: "Socialnämndens", "Haninge Bostäder AB:s", "Kommunens".
fn genitive(name: &str) -> String {
    match name.chars().last() {
        Some(c) if c.is_uppercase() || c.is_ascii_digit() => format!("{name}:s"),
        Some('s' | 'x' | 'z') => name.to_owned(),
        _ => format!("{name}s"),
    }
}

fn is_company(council: &Plan, plan: Option<&Plan>, body: &Id) -> bool {
    council
        .body(body)
        .or_else(|| plan.and_then(|plan| plan.body(body)))
        .is_some_and(|body| body.kind == BodyKind::Company)
}

/// Runs every cross-plan rule of this module. `council` is KF's plan; `bodies` are the other
/// plans of the municipality (KF's own plan among them is skipped). A council plan without a
/// `council.toml` has no frames to check against; its goals are still checked.
pub fn check(council: &Plan, bodies: &[Plan]) -> Vec<Finding> {
    let mut findings = Vec::new();
    let others: Vec<&Plan> = bodies
        .iter()
        .filter(|plan| plan.document.body != council.document.body)
        .collect();
    for plan in &others {
        check_body(council, plan, &mut findings);
    }
    if let Some(budget) = &council.council {
        check_result(council, budget, &mut findings);
        check_appropriations(council, budget, &mut findings);
        // KF's own frame (its own costs) is allocated in its own plan, not checked here.
        let own = &council.document.body;
        for frame in budget.frames.iter().filter(|frame| &frame.body != own) {
            let plan = others.iter().find(|plan| plan.document.body == frame.body);
            match plan {
                Some(plan) => check_allocation(council, budget, frame, plan, &mut findings),
                None => findings.push(
                    Finding::new(
                        Severity::Info,
                        &frame.at,
                        "no_plan",
                        format!(
                            "{} har en ram från KF för {} ({}) men ingen plan för organet har \
                             lästs in: fördelningen kontrolleras inte",
                            body_name(council, &frame.body, None),
                            frame.year,
                            tkr(frame.amount)
                        ),
                    )
                    .about(&format!("{}:{}", frame.body, frame.year)),
                ),
            }
        }
    }
    check_goals(council, &others, &mut findings);
    findings
}

/// Rule `base`: a frame calculation's stated base against the frame of the version it names
/// (`base_version`), for the year before the calculation's, when that version's plan is among
/// `plans` (of the same municipality). Differs: an error naming both; the version held but
/// without a frame for the year: a warning. A version not among them gives nothing here: the
/// plan's own check already says its base cannot be verified.
pub fn check_bases(plans: &[&Plan]) -> Vec<Finding> {
    let mut findings = Vec::new();
    for plan in plans {
        let Some(calc) = &plan.budget.frame_calculation else {
            continue;
        };
        let Some(version) = &calc.base_version else {
            continue;
        };
        let Some(base) = plans.iter().find(|other| {
            &other.budget.version.id == version && other.municipality.id == plan.municipality.id
        }) else {
            continue;
        };
        let year = calc.year - 1;
        let subject = format!("{}:{}", plan.document.body, calc.year);
        match base.budget.frame(year) {
            Some(frame) if frame.amount != calc.base_amount => findings.push(
                Finding::new(
                    Severity::Error,
                    &calc.at,
                    "base",
                    format!(
                        "ramberäkningen {} utgår från {} med {}, men ramen {year} i versionen \
                         {version} är {}",
                        calc.year,
                        calc.base_label,
                        tkr(calc.base_amount),
                        tkr(frame.amount)
                    ),
                )
                .figures(
                    Some(calc.base_amount.tkr()),
                    Some(frame.amount.tkr()),
                    "tkr",
                )
                .about(&subject),
            ),
            Some(_) => {}
            None => findings.push(
                Finding::new(
                    Severity::Warning,
                    &calc.at,
                    "base",
                    format!(
                        "ramberäkningen {} utgår från {} med {}, men versionen {version} \
                         anger ingen ram för {year}",
                        calc.year,
                        calc.base_label,
                        tkr(calc.base_amount)
                    ),
                )
                .figures(Some(calc.base_amount.tkr()), None, "tkr")
                .about(&subject),
            ),
        }
    }
    findings
}

/// One plan's own report, with its ramberäkning's base checked against the base version's
/// frame when that version's plan is among `others` (the plans of a folder, or versions loaded
/// from the database for the purpose): the plan's own "kan inte kontrolleras" then gives way to
/// the comparison ([`check_bases`]).
pub fn check_plan_with_bases(plan: &Plan, others: &[&Plan]) -> crate::Report {
    let mut report = crate::check(plan);
    let held: Vec<&Plan> = plan
        .budget
        .frame_calculation
        .as_ref()
        .and_then(|calc| calc.base_version.as_ref())
        .into_iter()
        .flat_map(|version| {
            others.iter().copied().filter(move |other| {
                &other.budget.version.id == version && other.municipality.id == plan.municipality.id
            })
        })
        .take(1)
        .collect();
    if let Some(base) = held.first() {
        report
            .findings
            .retain(|f| !(f.check == "calc" && f.id.ends_with(":base")));
        report.findings.extend(check_bases(&[plan, base]));
        report
            .findings
            .sort_by(|a, b| (&a.file, a.line).cmp(&(&b.file, b.line)));
    }
    report
}

/// A body plan belongs to KF's municipality and names a body KF's plan lists.
fn check_body(council: &Plan, plan: &Plan, findings: &mut Vec<Finding>) {
    let body = &plan.document.body;
    if plan.municipality.id != council.municipality.id {
        findings.push(
            Finding::new(
                Severity::Error,
                &plan.document.at,
                "body",
                format!(
                    "planen för {body} gäller kommunen {}, men kommunfullmäktiges plan gäller {}",
                    plan.municipality.id, council.municipality.id
                ),
            )
            .about(body.as_str()),
        );
    }
    if council.body(body).is_none() {
        findings.push(
            Finding::new(
                Severity::Warning,
                &plan.document.at,
                "body",
                format!("organet {body} finns inte bland kommunfullmäktiges organ (styr.toml)"),
            )
            .about(body.as_str()),
        );
    }
}

/// Rule `appropriation`: an anslagsförändring changes the frame KF gave a body for its year, so
/// the body must have one.
fn check_appropriations(council: &Plan, budget: &CouncilBudget, findings: &mut Vec<Finding>) {
    for change in &budget.appropriation_changes {
        if budget.frame(&change.body, change.year).is_none() {
            findings.push(
                Finding::new(
                    Severity::Error,
                    &change.at,
                    "appropriation",
                    format!(
                        "anslagsförändringen {} ({}) gäller {} som inte har någon ram från kommunfullmäktige för {}",
                        change.decision,
                        tkr(change.amount),
                        body_name(council, &change.body, None),
                        change.year
                    ),
                )
                .about(&format!("{}:{}:{}", change.body, change.year, change.decision)),
            );
        }
    }
}

/// Rule `result`: the stated result line of each year against its computed parts.
fn check_result(council: &Plan, budget: &CouncilBudget, findings: &mut Vec<Finding>) {
    for year in &budget.years {
        let Some(parts) = budget.result_parts(year.year, |body| is_company(council, None, body))
        else {
            continue;
        };
        let computed = parts.result();
        let balance = styr_domain::alternative::balance(&parts, budget.result_goal());
        if let Some(refusal) = balance.refusal() {
            findings.push(
                Finding::new(
                    Severity::Warning,
                    &year.at,
                    "financial_goal",
                    format!(
                        "kommunfullmäktiges budget {}: {}",
                        year.year,
                        refusal
                            .trim_end_matches("; förslaget kan inte lämnas in eller publiceras.")
                    ),
                )
                .about(&year.year.to_string()),
            );
        }
        if computed == year.result {
            continue;
        }
        findings.push(
            Finding::new(
                Severity::Error,
                &year.at,
                "result",
                format!(
                    "budgeterat resultat {}: skatteintäkter {} + generella statsbidrag och \
                     utjämning {} + finansnetto {} − nämndernas ramar {} − centralt budgeterade \
                     poster {} = {}, men angivet resultat är {} ({})",
                    year.year,
                    tkr(parts.tax_revenue),
                    tkr(parts.grants),
                    tkr(parts.financial_net),
                    tkr(parts.frames),
                    tkr(parts.central_items),
                    tkr(computed),
                    tkr(year.result),
                    decision_text(council, budget.decision.as_ref())
                ),
            )
            .figures(Some(year.result.tkr()), Some(computed.tkr()), "tkr")
            .about(&year.year.to_string()),
        );
    }
}

/// Rule `allocation`: a body's own figures for a year against KF's frame.
fn check_allocation(
    council: &Plan,
    budget: &CouncilBudget,
    frame: &BodyFrame,
    plan: &Plan,
    findings: &mut Vec<Finding>,
) {
    if !plan.document.years.contains(&frame.year) {
        return;
    }
    let name = body_name(council, &frame.body, Some(plan));
    let of = genitive(&name);
    let decision = decision_text(council, budget.frame_decision(frame));
    let subject = format!("{}:{}", frame.body, frame.year);
    let mut error = |at: &Location, stated: Option<Money>, message: String| {
        findings.push(
            Finding::new(Severity::Error, at, "allocation", message)
                .figures(stated.map(Money::tkr), Some(frame.amount.tkr()), "tkr")
                .about(&subject),
        );
    };
    if is_company(council, Some(plan), &frame.body) {
        let result = plan
            .company
            .as_ref()
            .and_then(|company| company.year(frame.year));
        match result {
            None => error(
                &frame.at,
                None,
                format!(
                    "{name} har ingen budget för {} (company.toml) att jämföra med ägarens \
                     resultatkrav {} ({decision})",
                    frame.year,
                    tkr(frame.amount)
                ),
            ),
            Some(year) if year.result_before_tax < frame.amount => error(
                &year.at,
                Some(year.result_before_tax),
                format!(
                    "{of} budgeterade resultat före skatt {} är {}, lägre än KF:s \
                     resultatkrav {} ({decision})",
                    frame.year,
                    tkr(year.result_before_tax),
                    tkr(frame.amount)
                ),
            ),
            Some(_) => {}
        }
        return;
    }
    match plan.budget.operating_total(frame.year) {
        None => error(
            &frame.at,
            None,
            format!(
                "{name} har ingen driftbudget för {} att jämföra med KF:s ram {} ({decision})",
                frame.year,
                tkr(frame.amount)
            ),
        ),
        Some(total) if total != frame.amount => {
            let at = plan
                .budget
                .operating
                .iter()
                .find(|table| table.summary)
                .or(plan.budget.operating.first())
                .map_or(&frame.at, |table| &table.at);
            error(
                at,
                Some(total),
                format!(
                    "{of} fördelning {} (summan av driftbudgeten) är {}, men KF:s ram är {} \
                     ({decision})",
                    frame.year,
                    tkr(total),
                    tkr(frame.amount)
                ),
            );
        }
        Some(_) => {}
    }
    if let Some(calc) = &plan.budget.frame_calculation
        && calc.year == frame.year
        && let Some(computed) = calc.computed_frame()
        && computed != frame.amount
    {
        findings.push(
            Finding::new(
                Severity::Error,
                &calc.at,
                "allocation",
                format!(
                    "{of} ramberäkning {} ({} {} med förändringar) ger {}, men KF:s ram är {} \
                     ({decision})",
                    frame.year,
                    calc.base_label,
                    tkr(calc.base_amount),
                    tkr(computed),
                    tkr(frame.amount)
                ),
            )
            .figures(Some(computed.tkr()), Some(frame.amount.tkr()), "tkr")
            .about(&format!("{subject}:calc")),
        );
    }
    if let Some(own) = plan.budget.frame(frame.year)
        && own.amount != frame.amount
    {
        findings.push(
            Finding::new(
                Severity::Error,
                &own.at,
                "allocation",
                format!(
                    "ramen {} i {of} budget.toml är {}, men KF:s ram är {} ({decision})",
                    frame.year,
                    tkr(own.amount),
                    tkr(frame.amount)
                ),
            )
            .figures(Some(own.amount.tkr()), Some(frame.amount.tkr()), "tkr")
            .about(&format!("{subject}:frame")),
        );
    }
}

/// Rules `parent` and `cascade`.
fn check_goals(council: &Plan, others: &[&Plan], findings: &mut Vec<Finding>) {
    let kf_goals: BTreeSet<&Id> = council.goals.iter().map(|goal| &goal.id).collect();
    let mut broken_down: BTreeSet<&Id> = BTreeSet::new();
    for plan in others {
        for goal in &plan.goals {
            let Some(parent) = &goal.parent else {
                continue;
            };
            if kf_goals.contains(parent) {
                broken_down.insert(parent);
                continue;
            }
            findings.push(
                Finding::new(
                    Severity::Error,
                    &goal.at,
                    "parent",
                    format!(
                        "parent: målet {} i {} plan bryter ned KF-målet {parent}, som inte \
                         finns i kommunfullmäktiges plan",
                        goal.id,
                        genitive(&body_name(council, &plan.document.body, Some(plan)))
                    ),
                )
                .about(&format!("{}:{}", plan.document.body, goal.id)),
            );
        }
    }
    for goal in &council.goals {
        if !broken_down.contains(&goal.id) {
            findings.push(
                Finding::new(
                    Severity::Warning,
                    &goal.at,
                    "cascade",
                    format!(
                        "KF-målet {} ({}) bryts inte ned av någon nämnds, styrelses eller \
                         bolags mål",
                        goal.number, goal.title
                    ),
                )
                .about(goal.id.as_str()),
            );
        }
    }
}

/// The key a plan is stored under besides its municipality: body, first year, version.
/// What two packages must not share: (municipality, body, first year, kind of version) — two
/// decided plans of one body for one year — or (municipality, version id), which names one
/// stored plan.
fn same_plan(a: &Plan, b: &Plan) -> Option<String> {
    let year = |p: &Plan| p.document.years.first().copied();
    if a.municipality.id != b.municipality.id {
        return None;
    }
    if a.budget.version.id == b.budget.version.id {
        return Some(format!("budgetversionen {}", a.budget.version.id));
    }
    if a.document.body == b.document.body
        && year(a) == year(b)
        && a.budget.version.kind == b.budget.version.kind
    {
        let year = year(a).map_or_else(|| "utan år".to_owned(), |year| year.to_string());
        return Some(format!(
            "organet {}, år {year} och versionens slag ({})",
            a.document.body,
            a.budget.version.kind.label_sv()
        ));
    }
    None
}

/// Two packages claiming the same plan ([`same_plan`]): an error for each package after the
/// first, naming both. `packages` are (the package's name as the user gave it, e.g. its folder,
/// and its plan); the finding's file is that package's styr.toml, its line the document's.
/// An import of a directory of packages refuses them all then.
pub fn duplicate_plans(packages: &[(&str, &Plan)]) -> Vec<Finding> {
    let mut findings = Vec::new();
    for (index, (source, plan)) in packages.iter().enumerate() {
        let Some((first, shared)) = packages[..index]
            .iter()
            .find_map(|(first, earlier)| Some((first, same_plan(earlier, plan)?)))
        else {
            continue;
        };
        findings.push(
            Finding::new(
                Severity::Error,
                &Location::new(format!("{source}/styr.toml"), plan.document.at.line),
                "duplicate",
                format!(
                    "{source} och {first} gäller samma plan i kommunen {}: {shared}; inget \
                     lästes in",
                    plan.municipality.id
                ),
            )
            .about(&format!(
                "{}:{}:{}",
                plan.municipality.id, plan.document.body, plan.budget.version.id
            )),
        );
    }
    findings
}

/// What `styr check` reports for several plans of a municipality: each plan's own report, by
/// body, and the findings of the rules across them.
#[derive(Debug, Clone)]
pub struct MunicipalReport {
    pub reports: Vec<(Id, crate::Report)>,
    pub across: Vec<Finding>,
}

impl MunicipalReport {
    /// Every finding, the plans' own and those across them.
    pub fn findings(&self) -> impl Iterator<Item = &Finding> {
        self.reports
            .iter()
            .flat_map(|(_, report)| &report.findings)
            .chain(&self.across)
    }
}

/// KF's plan among a municipality's: the one holding `council.toml`, else the one whose body
/// is the council.
pub fn council_of(plans: &[Plan]) -> Option<&Plan> {
    plans.iter().find(|p| p.council.is_some()).or_else(|| {
        plans.iter().find(|p| {
            p.body(&p.document.body)
                .is_some_and(|body| body.kind == BodyKind::Council)
        })
    })
}

/// Checks every plan on its own and the municipality's rules across them, with KF's plan
/// ([`council_of`]) on top. Without KF's plan the rules across plans cannot be tried: an info
/// finding says so rather than passing them over.
pub fn check_all(plans: &[Plan]) -> MunicipalReport {
    check_all_with_bases(plans, &[])
}

/// As [`check_all`], with `bases`: versions that are no body's current plan (a justerad budget
/// the database holds) against which the plans' ramberäkningar check their base.
pub fn check_all_with_bases(plans: &[Plan], bases: &[Plan]) -> MunicipalReport {
    let everything: Vec<&Plan> = plans.iter().chain(bases).collect();
    let reports = plans
        .iter()
        .map(|plan| {
            (
                plan.document.body.clone(),
                check_plan_with_bases(plan, &everything),
            )
        })
        .collect();
    let across = match council_of(plans) {
        Some(council) => check(council, plans),
        None => vec![Finding::new(
            Severity::Info,
            &Location::default(),
            "no_plan",
            "ingen av planerna är kommunfullmäktiges (council.toml): reglerna mellan organen \
             prövas inte"
                .to_owned(),
        )],
    };
    MunicipalReport { reports, across }
}
