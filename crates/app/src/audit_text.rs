//! The audit log in Swedish: a sentence with names (the assignment's title, the budget line's
//! and the unit's names, the period's title) for each stored row, computed when the log is
//! shown. The stored rows keep their stable keys (`report forecast haninge/2021-10/op.ksf.ksf`,
//! `changed=1`) unchanged: the API and `--format json` give those, and filters match them.

use crate::{Actor, App, AppError, PlanSelector};
use std::collections::BTreeMap;
use styr_domain::Plan;
use styr_domain::followup::EntryKind;
use styr_domain::ledger::BudgetLineRef;
use styr_store::{AuditEntry, AuditFilter};

/// A row of the audit log with its Swedish description, and its before and after with names
/// for ids and Swedish words for the stored keys (the row itself keeps them).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DescribedEntry {
    pub entry: AuditEntry,
    pub description: String,
    /// Who did it as people read it: the user's display name, else the login (the entry keeps
    /// the login).
    pub actor_name: String,
    pub before: Option<String>,
    pub after: Option<String>,
}

/// What a report's subject is called: `uppdraget «2020 KS 3 Mer företagsmark …»`,
/// `budgetraden «Kommunstyrelseförvaltningen»` …; the id itself when the plan does not have it.
pub fn subject_name(plan: &Plan, kind: EntryKind, subject: &str) -> String {
    let quoted = |what: &str, name: Option<String>| match name {
        Some(name) => format!("{what} «{name}»"),
        None => format!("{what} {subject}"),
    };
    match kind {
        EntryKind::Status => quoted(
            "uppdraget",
            plan.assignments
                .iter()
                .find(|a| a.id.as_str() == subject)
                .map(|a| {
                    styr_reports::period_report::assignment_label(a.code.as_deref(), &a.title)
                }),
        ),
        EntryKind::Outcome => quoted(
            "indikatorn",
            plan.indicators
                .iter()
                .find(|i| i.id.as_str() == subject)
                .map(|i| i.name.clone()),
        ),
        EntryKind::Assessment => quoted(
            "målet",
            plan.goals
                .iter()
                .find(|g| g.id.as_str() == subject)
                .map(|g| g.title.clone()),
        ),
        EntryKind::Forecast => quoted("budgetraden", line_name(plan, subject)),
        EntryKind::Control => quoted(
            "kontrollen",
            plan.control
                .controls
                .iter()
                .find(|c| c.id.as_str() == subject)
                .map(|c| c.title.clone()),
        ),
        EntryKind::AuditAction => quoted(
            "åtgärden",
            plan.control
                .actions()
                .find(|(_, _, a)| a.id.as_str() == subject)
                .map(|(_, _, a)| a.text.clone()),
        ),
    }
}

/// A budget line's name: the operating row's (with its table's title) or the investment
/// project's.
fn line_name(plan: &Plan, subject: &str) -> Option<String> {
    match BudgetLineRef::parse(subject)? {
        BudgetLineRef::Operating { table, line } => {
            let table = plan.budget.operating_table(table.as_str())?;
            let row = table.row(line.as_str())?;
            Some(format!("{}, {}", row.name, table.title))
        }
        BudgetLineRef::Investment { project } => plan
            .budget
            .investment
            .lines()
            .find(|row| row.id == project)
            .map(|row| row.name.clone()),
    }
}

/// A body's or a unit's name, or the id.
pub fn unit_name(plan: &Plan, id: &str) -> String {
    plan.bodies
        .iter()
        .find(|b| b.id.as_str() == id)
        .map(|b| b.name.clone())
        .or_else(|| {
            plan.units
                .iter()
                .find(|u| u.id.as_str() == id)
                .map(|u| u.name.clone())
        })
        .unwrap_or_else(|| id.to_owned())
}

/// A period's title ("Delårsrapport 2 2021"), or its month.
fn period_name(plan: Option<&Plan>, month: &str) -> String {
    let asked = styr_domain::Month::parse(month);
    plan.and_then(|plan| plan.periods.iter().find(|p| Some(p.month) == asked))
        .map_or_else(|| month.to_owned(), |p| format!("{} ({month})", p.title))
}

/// `key=value` pairs of a detail.
fn details(detail: &str) -> BTreeMap<&str, &str> {
    detail
        .split(' ')
        .filter_map(|pair| pair.split_once('='))
        .collect()
}

fn changes(detail: &str) -> String {
    let pairs = details(detail);
    match (pairs.get("changed"), pairs.get("unchanged")) {
        (Some(changed), Some(&"0") | None) => count(changed, "ändrad", "ändrade"),
        (Some(changed), Some(unchanged)) => format!(
            "{}, {}",
            count(changed, "ändrad", "ändrade"),
            count(unchanged, "oförändrad", "oförändrade")
        ),
        _ => String::new(),
    }
}

/// "1 ändrad", "3 ändrade".
fn count(number: &str, one: &str, many: &str) -> String {
    format!("{number} {}", if number == "1" { one } else { many })
}

/// What a report of a kind reports, in the log's sentence: "Rapporterade resultat för
/// kontrollen …", not "kontroll för kontrollen".
fn reported_what(kind: EntryKind) -> &'static str {
    match kind {
        EntryKind::Control => "resultat",
        EntryKind::AuditAction => "läget",
        other => other.label_sv(),
    }
}

/// The budget version a row is about (`import plan haninge/V`, `decide version haninge/V`,
/// `acknowledge finding haninge/V`): its own plan gives the version's name.
fn version_of(entry: &AuditEntry) -> Option<&str> {
    let mut words = entry.action.splitn(3, ' ');
    match (words.next()?, words.next()?) {
        ("import", "plan") | ("decide", "version") | ("acknowledge", "finding") => {
            words.next()?.split('/').nth(1)
        }
        _ => None,
    }
}

/// A follow-up action's target names its owner, `haninge/ks/2021-08/ks2020_3`; rows written
/// before follow-up belonged to a body name the municipality only, `haninge/2021-08/ks2020_3`.
/// Returns the body (if named) and the target without it, in the older form.
fn split_body(target: &str) -> (Option<&str>, String) {
    let parts: Vec<&str> = target.split('/').collect();
    let month_first = parts
        .get(1)
        .is_some_and(|p| styr_domain::Month::parse(p.split(' ').next().unwrap_or(p)).is_some());
    if month_first || parts.len() < 3 {
        return (None, target.to_owned());
    }
    let mut rest = vec![parts[0]];
    rest.extend(&parts[2..]);
    (Some(parts[1]), rest.join("/"))
}

/// Whether an action is about one body's follow-up (its target names the body).
fn is_followup_action(action: &str) -> bool {
    [
        "report ",
        "close period ",
        "reopen period ",
        "import followup ",
    ]
    .iter()
    .any(|prefix| action.starts_with(prefix))
}

/// The body a row is about, when its action names one.
fn body_of(entry: &AuditEntry) -> Option<&str> {
    if !is_followup_action(&entry.action) {
        return None;
    }
    let target = entry.action.splitn(3, ' ').nth(2)?;
    split_body(target).0
}

/// The Swedish sentence for one row of the log; the plan (of the row's municipality and body)
/// gives the names. An action this function does not know is shown as it is stored.
pub fn describe(plan: Option<&Plan>, entry: &AuditEntry) -> String {
    let words: Vec<&str> = entry.action.splitn(3, ' ').collect();
    let normalised = match words.get(2) {
        Some(target) if is_followup_action(&entry.action) => split_body(target).1,
        Some(target) => (*target).to_owned(),
        None => String::new(),
    };
    let target = |i: usize| {
        if i == 2 {
            normalised.as_str()
        } else {
            words.get(i).copied().unwrap_or_default()
        }
    };
    let parts = |text: &str| text.split('/').map(str::to_owned).collect::<Vec<_>>();
    let with_changes = |sentence: String| {
        let changes = changes(&entry.detail);
        if changes.is_empty() {
            sentence
        } else {
            format!("{sentence} ({changes})")
        }
    };
    match (target(0), target(1)) {
        ("report", "period") => {
            let path = target(2).split(' ').next().unwrap_or_default();
            let month = parts(path).get(1).cloned().unwrap_or_default();
            with_changes(format!(
                "Sparade periodens rapporter för {}",
                period_name(plan, &month)
            ))
        }
        ("report", kind) => {
            let path = parts(target(2));
            let (Some(month), Some(subject)) = (path.get(1), path.get(2)) else {
                return unknown(entry);
            };
            let Some(kind) = EntryKind::parse(kind) else {
                return unknown(entry);
            };
            let subject = match plan {
                Some(plan) => subject_name(plan, kind, subject),
                None => subject.clone(),
            };
            with_changes(format!(
                "Rapporterade {} för {subject}, {}",
                reported_what(kind),
                period_name(plan, month)
            ))
        }
        ("import", "plan") => {
            let path = parts(target(2));
            let version = path.get(1).cloned().unwrap_or_default();
            let name = plan
                .filter(|p| p.budget.version.id.as_str() == version)
                .map_or(version.clone(), |p| p.budget.version.name.clone());
            let rows = details(&entry.detail)
                .get("rows")
                .map_or(String::new(), |rows| format!(" ({rows} rader)"));
            plan_import_sentence(&entry.detail, &name, &rows)
        }
        ("save", "section") => {
            // `save section haninge/V/narrative/ordforande.md`
            let path = target(2)
                .splitn(3, '/')
                .nth(2)
                .unwrap_or_default()
                .to_owned();
            let revision = details(&entry.detail)
                .get("revision")
                .map_or(String::new(), |r| format!(" (revision {r})"));
            format!("Sparade avsnittet {path} i webben{revision}")
        }
        ("import", "followup") => {
            let file = target(2).split_once('/').map_or("", |(_, file)| file);
            with_changes(format!("Importerade uppföljningsfilen {file}"))
        }
        ("import", "actuals") => {
            let path = parts(target(2));
            let pairs = details(&entry.detail);
            format!(
                "Importerade bokföringen för {} {} ({} verifikationer, {} transaktioner{})",
                path.get(1).cloned().unwrap_or_default(),
                path.get(2).cloned().unwrap_or_default().replace("..", "–"),
                pairs.get("vouchers").unwrap_or(&"?"),
                pairs.get("transactions").unwrap_or(&"?"),
                if pairs.get("replaced") == Some(&"true") {
                    "; ersatte en tidigare import"
                } else {
                    ""
                }
            )
        }
        ("import", "kolada") => with_changes("Hämtade värden från Kolada".to_owned()),
        ("close" | "reopen", "period") => {
            let month = parts(target(2)).get(1).cloned().unwrap_or_default();
            let verb = if target(0) == "close" {
                "Stängde"
            } else {
                "Öppnade"
            };
            let reason = entry
                .detail
                .strip_prefix("reason=")
                .map_or(String::new(), |reason| format!(": {reason}"));
            // `close period haninge/*/2021-08`: every body's period at once.
            let everywhere = if entry.action.contains("/*/") {
                " för hela kommunen"
            } else {
                ""
            };
            format!(
                "{verb} perioden {}{everywhere}{reason}",
                period_name(plan, &month)
            )
        }
        ("decide", "version") => {
            let version = parts(target(2)).get(1).cloned().unwrap_or_default();
            let name = plan
                .filter(|p| p.budget.version.id.as_str() == version)
                .map_or(version.clone(), |p| p.budget.version.name.clone());
            format!("Beslutade budgetversionen «{name}»")
        }
        ("proposal", "state") => {
            let path = parts(target(2));
            let to = entry
                .after
                .as_deref()
                .and_then(|after| after.split("; ").next())
                .and_then(|state| state.strip_prefix("state: "))
                .and_then(styr_domain::process::ProposalState::parse)
                .map_or("?", |state| state.label_sv());
            format!(
                "Förslaget {} (organet {}) blev {to}",
                path.get(2).cloned().unwrap_or_default(),
                path.get(1).cloned().unwrap_or_default()
            )
        }
        ("budget", "calendar") => {
            let mut words = target(2).split(' ');
            let year = words
                .next()
                .and_then(|path| path.split('/').nth(1))
                .unwrap_or_default()
                .to_owned();
            let milestone = words
                .next()
                .and_then(styr_domain::process::Milestone::parse)
                .map_or("?", |m| m.label_sv());
            let body = words
                .next()
                .map_or(String::new(), |body| format!(" för organet {body}"));
            format!("Ändrade budgetkalendern {year}: {milestone}{body}")
        }
        ("beredning", "question") => {
            let mut words = target(2).split(' ');
            let id = words
                .next()
                .and_then(|p| p.split('/').nth(1))
                .unwrap_or("?");
            let body = words.next().unwrap_or("?");
            format!("Ställde fråga {id} i budgetberedningen om organet {body}")
        }
        ("beredning", "answer") => {
            let id = target(2)
                .split(' ')
                .next()
                .and_then(|p| p.split('/').nth(1))
                .unwrap_or("?")
                .to_owned();
            format!("Besvarade fråga {id} i budgetberedningen")
        }
        ("acknowledge", "finding") => format!("Kvitterade fyndet {}", entry.detail),
        ("put", "user") => format!("Lade till eller ändrade användaren {}", target(2)),
        ("create", "token") => format!("Skapade en API-nyckel åt {}", target(2)),
        ("set", "reminder") => format!(
            "Ändrade påminnelseschemat för {}",
            target(2).trim_start_matches("schedule ")
        ),
        ("set", "user") => format!(
            "Ändrade e-postadressen för {}",
            target(2).trim_start_matches("email ")
        ),
        (verb, "alternative") => {
            let number = parts(target(2)).get(1).cloned().unwrap_or_default();
            let what = match verb {
                "create" => "Skapade",
                "frames" => "Ändrade ramar i",
                "tax" => "Ändrade skatten i",
                "add-goal" => "Lade till ett mål i",
                "remove-goal" => "Tog bort ett mål ur",
                "add-assignment" => "Lade till ett uppdrag i",
                "remove-assignment" => "Tog bort ett uppdrag ur",
                "submit" => "Lämnade in",
                "publish" => "Publicerade",
                _ => return unknown(entry),
            };
            format!("{what} den alternativa budgeten {number}")
        }
        _ => unknown(entry),
    }
}

/// A row whose action this module does not know: said so, with the stored action.
fn unknown(entry: &AuditEntry) -> String {
    format!("Annan ändring: {}", entry.action)
}

/// A stored plan: imported, created as an adjusted version, or created by the year's rollover
/// (`rollover from=… to=…`, and `forced open_periods=… reason=…` when periods were open).
fn plan_import_sentence(detail: &str, name: &str, rows: &str) -> String {
    let pairs = details(detail);
    if let Some(from) = pairs.get("from").filter(|_| detail.contains("rollover ")) {
        let mut sentence = format!("Skapade nästa års plan «{name}» ur {from} (årsskifte){rows}");
        if detail.contains(" forced ") {
            let open = pairs
                .get("open_periods")
                .map_or(String::new(), |open| open.replace(';', ", "));
            let reason = detail
                .split_once(" reason=")
                .map_or("", |(_, reason)| reason);
            sentence.push_str(&format!(", trots öppna perioder ({open}): {reason}"));
        }
        return sentence;
    }
    let replaced = if pairs.get("replaced") == Some(&"true") {
        ", ersatte den lagrade"
    } else {
        ""
    };
    match pairs.get("kind") {
        Some(&"adjusted") => {
            format!("Skapade den justerade budgetversionen «{name}»{rows}{replaced}")
        }
        _ => format!("Importerade planen «{name}»{rows}{replaced}"),
    }
}

/// The before or after of a row with names and Swedish words, line by line: a report's line
/// (`2021-10 forecast op.ksf.ksf: prognos: 85 600 tkr`) names its subject
/// (`2021-10 budgetraden «Kommunstyrelseförvaltningen, …»: prognos: 85 600 tkr`); a line of
/// stored keys (`state: öppen`, `kind: decided; decision: kf_…`, `role: …; units: …`,
/// `finding: …; reason: …`) gets Swedish keys. Other lines are shown as stored.
pub fn describe_lines(plan: Option<&Plan>, text: &str) -> String {
    text.lines()
        .map(|line| describe_line(plan, line))
        .collect::<Vec<_>>()
        .join("\n")
}

fn describe_line(plan: Option<&Plan>, line: &str) -> String {
    if let Some((head, rest)) = line.split_once(": ") {
        let words: Vec<&str> = head.split(' ').collect();
        if let [month, kind, subject] = words[..]
            && let Some(kind) = EntryKind::parse(kind)
        {
            let subject = match plan {
                Some(plan) => subject_name(plan, kind, subject),
                None => format!("{} {subject}", kind.label_sv()),
            };
            return format!("{month} {subject}: {rest}");
        }
    }
    let pairs: Option<Vec<String>> = line
        .split("; ")
        .map(|pair| {
            let (key, value) = pair.split_once(": ")?;
            let key: String = match key {
                "state" => "status".into(),
                "body" => "organ".into(),
                "kind" => "slag".into(),
                "decision" => "beslut".into(),
                "role" => "roll".into(),
                "units" => "enheter".into(),
                "name" => "namn".into(),
                "finding" => "fynd".into(),
                "reason" => "skäl".into(),
                "comment" => "kommentar".into(),
                "date" => "datum".into(),
                "line" => "budgetrad".into(),
                "question" => "fråga".into(),
                "answer" => "svar".into(),
                "published" => "publicerat".into(),
                // An alternative budget's lines (store::alternatives::describe).
                "party" => "parti".into(),
                "title" => "titel".into(),
                "year" => "år".into(),
                "tax_rate" => "skattesats".into(),
                "tax_revenue" => "skatteintäkter (tkr)".into(),
                other => {
                    if let Some(body) = other.strip_prefix("frame ") {
                        format!("ram {body} (tkr)")
                    } else if let Some(parent) = other.strip_prefix("goal ") {
                        format!("mål {parent}")
                    } else if let Some(body) = other.strip_prefix("assignment ") {
                        format!("uppdrag {body}")
                    } else {
                        return None;
                    }
                }
            };
            let key = key.as_str();
            let value = match (key, value) {
                ("slag", "proposal") => "förslag",
                ("slag", "decided") => "beslutad",
                ("slag", "adjusted") => "justerad",
                ("publicerat", "1") => "ja",
                ("publicerat", "0") => "nej",
                ("status", code) if styr_domain::process::ProposalState::parse(code).is_some() => {
                    styr_domain::process::ProposalState::parse(code).map_or(code, |s| s.label_sv())
                }
                ("status", "draft") => "utkast",
                ("status", "submitted") => "inlämnad",
                ("status", "published") => "publicerad",
                ("enheter" | "namn", "") => "–",
                (_, value) => value,
            };
            let value = if key == "enheter" {
                value.replace(';', ", ")
            } else {
                value.to_owned()
            };
            Some(format!("{key}: {value}"))
        })
        .collect();
    pairs.map_or_else(|| line.to_owned(), |pairs| pairs.join("; "))
}

impl App {
    /// The audit log as [`App::audit_log`] gives it, each row with its Swedish description.
    pub async fn audit_log_described(
        &self,
        actor: &Actor,
        filter: &AuditFilter,
    ) -> Result<Vec<DescribedEntry>, AppError> {
        let entries = self.audit_log(actor, filter).await?;
        let names = self.user_names(actor).await?;
        // Each municipality's current plan (and a version's own, for rows about a version).
        let mut plans: BTreeMap<(String, Option<String>, Option<String>), Option<Plan>> =
            BTreeMap::new();
        let mut described = Vec::with_capacity(entries.len());
        for entry in entries {
            let key = (
                entry.municipality.clone(),
                body_of(&entry).map(str::to_owned),
                version_of(&entry).map(str::to_owned),
            );
            if !plans.contains_key(&key) {
                let plan = self
                    .load_plan(
                        actor,
                        &PlanSelector {
                            municipality: Some(key.0.clone()),
                            body: key.1.clone(),
                            version: key.2.clone(),
                        },
                    )
                    .await
                    .ok();
                plans.insert(key.clone(), plan);
            }
            let plan = plans.get(&key).and_then(Option::as_ref);
            described.push(DescribedEntry {
                description: describe(plan, &entry),
                actor_name: crate::users::display_name(&names, &entry.actor),
                before: entry
                    .before
                    .as_deref()
                    .map(|text| describe_lines(plan, text)),
                after: entry
                    .after
                    .as_deref()
                    .map(|text| describe_lines(plan, text)),
                entry,
            });
        }
        Ok(described)
    }
}

#[cfg(test)]
mod tests {
    //! Every kind of row the store writes gets a Swedish sentence with names, and its before
    //! and after Swedish keys: the stored forms below are the ones `styr-store` and the use
    //! cases write (`import plan …`, `report forecast …`, `report period …`, `close period …`,
    //! …).

    use super::*;

    fn plan() -> Plan {
        let example =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/haninge-ks-2021");
        styr_package::read_dir(&example).expect("the example reads")
    }

    fn row(action: &str, detail: &str) -> AuditEntry {
        AuditEntry {
            seq: 1,
            municipality: "haninge".into(),
            at: "2021-11-05T09:00:00Z".into(),
            actor: "anna".into(),
            action: action.into(),
            detail: detail.into(),
            before: None,
            after: None,
        }
    }

    /// The stored keys and English words a reader must not see in a description.
    const KEYS: &[&str] = &[
        "report ",
        "import ",
        "close ",
        "reopen ",
        "decide ",
        "acknowledge ",
        "put ",
        "create ",
        "forecast",
        "outcome",
        "assessment",
        "audit_action",
        "changed=",
        "unchanged=",
        "rows=",
        "kind=",
        "rollover",
        "from=",
        "items=",
        "Annan ändring",
        "haninge/",
        "op.ksf",
    ];

    #[test]
    fn every_stored_action_reads_as_a_swedish_sentence() {
        let plan = plan();
        let version = plan.budget.version.id.to_string();
        let cases = [
            (
                row(
                    &format!("import plan haninge/{version}"),
                    "kind=proposal replaced=false rows=773",
                ),
                "Importerade planen «",
            ),
            (
                row(
                    &format!("save section haninge/{version}/narrative/driftbudget.md"),
                    "revision=2 rows=773",
                ),
                "Sparade avsnittet narrative/driftbudget.md i webben (revision 2)",
            ),
            (
                row(
                    "import plan haninge/tillagg_1",
                    "kind=adjusted replaced=false rows=773",
                ),
                "Skapade den justerade budgetversionen «tillagg_1» (773 rader)",
            ),
            (
                row(
                    "import plan haninge/ks_2022",
                    "kind=proposal replaced=false rows=700 rollover from=ks_2021 to=ks_2022 forced open_periods=2021-11;2021-12 reason=KS beslutade så",
                ),
                "Skapade nästa års plan «ks_2022» ur ks_2021 (årsskifte) (700 rader), trots öppna perioder (2021-11, 2021-12): KS beslutade så",
            ),
            (
                row(
                    "import actuals haninge/212000-0000/2021",
                    "file=ks.se vouchers=10 transactions=20 monthly_rows=5 replaced=false",
                ),
                "Importerade bokföringen för 212000-0000 2021 (10 verifikationer, 20 transaktioner)",
            ),
            (
                row(
                    "import followup haninge/oktober.csv",
                    "changed=23 unchanged=0",
                ),
                "Importerade uppföljningsfilen oktober.csv (23 ändrade)",
            ),
            (
                row("import kolada haninge/2019-2020", "changed=4 unchanged=1"),
                "Hämtade värden från Kolada (4 ändrade, 1 oförändrad)",
            ),
            (
                row(
                    "report forecast haninge/2021-10/op.ksf.ksf",
                    "changed=1 unchanged=0",
                ),
                "Rapporterade prognos för budgetraden «",
            ),
            (
                row(
                    "report status haninge/2021-08/ks2020_3",
                    "changed=1 unchanged=0",
                ),
                "Rapporterade status för uppdraget «2020 KS 3",
            ),
            (
                row(
                    "report control haninge/2021-08/ikp21_attest",
                    "changed=1 unchanged=0",
                ),
                "Rapporterade resultat för kontrollen «Attesträtter i ekonomisystemet», ",
            ),
            (
                row(
                    "report audit_action haninge/2021-08/gdpr_a1",
                    "changed=1 unchanged=0",
                ),
                "Rapporterade läget för åtgärden «",
            ),
            (
                row(
                    "report outcome haninge/2021-08/bostader",
                    "changed=1 unchanged=0",
                ),
                "Rapporterade utfall för indikatorn «Nybyggda",
            ),
            (
                row(
                    "report assessment haninge/2021-08/mal1",
                    "changed=1 unchanged=0",
                ),
                "Rapporterade målbedömning för målet «",
            ),
            (
                row(
                    "report period haninge/2021-10 items=3",
                    "changed=3 unchanged=0",
                ),
                "Sparade periodens rapporter för ",
            ),
            (row("close period haninge/2021-08", ""), "Stängde perioden "),
            // Since follow-up belongs to a body, its actions name the body too.
            (
                row(
                    "report status haninge/ks/2021-08/ks2020_3",
                    "changed=1 unchanged=0",
                ),
                "Rapporterade status för uppdraget «2020 KS 3",
            ),
            (
                row(
                    "report period haninge/ks/2021-10 items=3",
                    "changed=3 unchanged=0",
                ),
                "Sparade periodens rapporter för Månadsuppföljning oktober 2021",
            ),
            (
                row("import followup haninge/ks/oktober.csv", "changed=2"),
                "Importerade uppföljningsfilen oktober.csv (2 ändrade)",
            ),
            (
                row("close period haninge/*/2021-08", "bodies=3"),
                "Stängde perioden Delårsrapport 2 per augusti 2021 (2021-08) för hela kommunen",
            ),
            (
                row("close period haninge/ks/2021-08", ""),
                "Stängde perioden Delårsrapport 2 per augusti 2021",
            ),
            (
                row("reopen period haninge/2021-08", "reason=rättelse"),
                "Öppnade perioden ",
            ),
            (
                row(&format!("decide version haninge/{version}"), ""),
                "Beslutade budgetversionen «",
            ),
            (
                row(&format!("acknowledge finding haninge/{version}"), "claim.x"),
                "Kvitterade fyndet claim.x",
            ),
            (
                row("put user anna", ""),
                "Lade till eller ändrade användaren anna",
            ),
            (
                row("create token anna", ""),
                "Skapade en API-nyckel åt anna",
            ),
        ];
        for (entry, expected) in cases {
            let sentence = describe(Some(&plan), &entry);
            assert!(
                sentence.starts_with(expected),
                "{}: {sentence}",
                entry.action
            );
            for key in KEYS {
                assert!(
                    !sentence.contains(key),
                    "{}: {key:?} i {sentence}",
                    entry.action
                );
            }
        }
        let one = describe(
            Some(&plan),
            &row(
                "report status haninge/2021-08/ks2020_3",
                "changed=1 unchanged=0",
            ),
        );
        assert!(one.ends_with("(1 ändrad)"), "{one}");
        // A row this module does not know says so, in Swedish, rather than passing for one.
        assert_eq!(
            describe(Some(&plan), &row("frobnicate thing haninge/x", "")),
            "Annan ändring: frobnicate thing haninge/x"
        );
    }

    #[test]
    fn before_and_after_name_their_subjects_and_keys_in_swedish() {
        let plan = plan();
        let described = describe_lines(
            Some(&plan),
            "2021-10 forecast op.ksf.ksf: prognos: 85 600 tkr\n–\n2021-08 status ks2020_3: status: Påbörjad",
        );
        let lines: Vec<&str> = described.lines().collect();
        assert!(lines[0].starts_with("2021-10 budgetraden «"), "{described}");
        assert!(lines[0].ends_with("»: prognos: 85 600 tkr"), "{described}");
        assert_eq!(lines[1], "–");
        assert!(
            lines[2].starts_with("2021-08 uppdraget «2020 KS 3"),
            "{described}"
        );
        for (stored, swedish) in [
            ("state: öppen", "status: öppen"),
            (
                "kind: decided; decision: kf_2020_11_09_185",
                "slag: beslutad; beslut: kf_2020_11_09_185",
            ),
            ("kind: proposal", "slag: förslag"),
            (
                "role: reporter; units: ksf;kf",
                "roll: reporter; enheter: ksf, kf",
            ),
            ("role: admin; units: ", "roll: admin; enheter: –"),
            (
                "role: reporter; units: an; name: Eva Lindqvist",
                "roll: reporter; enheter: an; namn: Eva Lindqvist",
            ),
            (
                "role: admin; units: ; name: ",
                "roll: admin; enheter: –; namn: –",
            ),
            (
                "finding: claim.x; reason: tryckfel i källan",
                "fynd: claim.x; skäl: tryckfel i källan",
            ),
            // Not a line of stored keys: shown as it is.
            (
                "N00945 0136 2020 T: 12 (Kolada, 2021-05-01)",
                "N00945 0136 2020 T: 12 (Kolada, 2021-05-01)",
            ),
        ] {
            assert_eq!(describe_lines(Some(&plan), stored), swedish);
        }
    }
}
